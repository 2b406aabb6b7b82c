# The allowed dependency graph of meshwork's libraries (ARCHITECTURE "one CMake library per src/
# folder"), declared once and enforced twice: meshwork_add_library() refuses at configure time a
# dependency on a meshwork library that is not listed here, and each library's compiler sees
# only its own folder, the exported headers of the libraries it may use and the public headers
# named here, so a wrong #include fails to build. scripts/check-layering.py checks the sources'
# includes against the same table in CI.
#
# meshwork_layer(<lib> [FOLDER <folder under src/>] DEPS <meshwork libs it may link directly>
#                HEADERS none|native|mbed [EXPORTS])
#   FOLDER: where its sources are (default: the name, with mesh_x in mesh/x); several libraries
#           may share one folder.
#   HEADERS none:   no public header at all (the vocabulary and the protocol layers);
#           native: include/meshwork/ only (meshwork's own C++ API);
#           mbed:   every public header, the Mbed API included.
#   EXPORTS: other libraries (and tests) include its headers as "<lib>/X.h"; without it, the
#            library's headers are private to it (its tests may use them, by bare name).

function(meshwork_layer lib)
  cmake_parse_arguments(L "EXPORTS" "HEADERS;FOLDER" "DEPS" ${ARGN})
  set_property(GLOBAL PROPERTY MESHWORK_LAYER_${lib}_DEPS "${L_DEPS}")
  set_property(GLOBAL PROPERTY MESHWORK_LAYER_${lib}_HEADERS "${L_HEADERS}")
  set_property(GLOBAL PROPERTY MESHWORK_LAYER_${lib}_EXPORTS "${L_EXPORTS}")
  set_property(GLOBAL APPEND PROPERTY MESHWORK_LAYERS ${lib})
endfunction()

# Vocabulary and pure codecs: no public Mbed header, nothing above them.
meshwork_layer(core HEADERS none EXPORTS)
meshwork_layer(wire DEPS core HEADERS none EXPORTS)
# Configuration (include/meshwork/config): config_runtime is the typed Configuration and the
# application's resolved table (every application links it); config is the mbed_app.json loader
# and resolver behind meshwork-config (nlohmann-json).
meshwork_layer(config_runtime FOLDER config DEPS core HEADERS native)
meshwork_layer(config DEPS config_runtime core HEADERS native)
# The Mbed platform shim and socket layer, and the backends and clients on top of them.
meshwork_layer(platform DEPS core config_runtime HEADERS mbed)
meshwork_layer(netsocket DEPS platform core config_runtime HEADERS mbed)
meshwork_layer(host_stack FOLDER host DEPS netsocket platform core config_runtime HEADERS mbed)
# The TAP device link (host/TapLink.h): plain frame I/O on the Link seam, for the user-space
# stack's Linux interop; exported so testbed can bind it to a node.
meshwork_layer(host_tap FOLDER host DEPS core HEADERS none EXPORTS)
meshwork_layer(host_default FOLDER host DEPS host_stack netsocket platform core config_runtime
               HEADERS mbed)
meshwork_layer(tls DEPS netsocket platform core HEADERS mbed)
# Greentea suites' utest and unity (on the platform's greentea-client).
meshwork_layer(greentea DEPS platform core config_runtime HEADERS mbed)
meshwork_layer(mqtt DEPS netsocket platform core HEADERS mbed)
meshwork_layer(websocket DEPS netsocket platform core HEADERS mbed)
# CoAP: the endpoint needs only the vocabulary and the codec (Thread's TMF uses it inside a
# node); the socket adapter sits on netsocket.
meshwork_layer(coap_endpoint FOLDER coap DEPS core wire HEADERS native)
meshwork_layer(coap DEPS coap_endpoint netsocket platform core wire HEADERS mbed)
# The mesh half (ARCHITECTURE layout): protocol code on wire and core only; the simulator on core
# only; the composition root may use everything.
meshwork_layer(stack DEPS wire core HEADERS none EXPORTS)
# The Mbed socket API over a node's stack (NetworkStack adapter, EthInterface), docs/stack.md:
# its own layer, so that the mesh API can use it as well as the testbed.
meshwork_layer(stack_nsapi FOLDER stack/nsapi DEPS stack netsocket platform wire core
               config_runtime HEADERS mbed EXPORTS)
# sim sees the native headers only for the kernel vocabulary it shares with the native API
# (include/meshwork/sim/RunResult.h); it still links core alone.
meshwork_layer(sim DEPS core HEADERS native EXPORTS)
# The simulated executor: a node's Mbed tasks as fibers on the sim scheduler (docs/sim.md).
meshwork_layer(sim_fiber FOLDER sim/fiber DEPS sim platform core config_runtime HEADERS mbed
               EXPORTS)
meshwork_layer(mesh_mac DEPS wire core HEADERS none EXPORTS)
meshwork_layer(mesh_lowpan DEPS mesh_mac stack wire core HEADERS none EXPORTS)
meshwork_layer(mesh_nd DEPS mesh_lowpan stack wire core HEADERS none EXPORTS)
meshwork_layer(mesh_rpl DEPS mesh_lowpan stack wire core HEADERS none EXPORTS)
# MPL (RFC 7731) beside the stack, on its MplDataPlane hooks: no link knowledge.
meshwork_layer(mesh_mpl DEPS stack wire core HEADERS none EXPORTS)
meshwork_layer(mesh_thread DEPS mesh_lowpan stack coap_endpoint wire core HEADERS none EXPORTS)
meshwork_layer(mesh_api DEPS mesh_thread mesh_nd mesh_rpl mesh_lowpan mesh_mac stack netsocket
               platform wire core config_runtime HEADERS mbed EXPORTS)
# The Mesh API's compatibility edge (default radio and default mesh interface), docs/mesh-api.md.
meshwork_layer(mesh_api_default FOLDER mesh/api DEPS mesh_api netsocket platform core
               config_runtime HEADERS mbed)
meshwork_layer(testbed DEPS ANY HEADERS mbed EXPORTS)
