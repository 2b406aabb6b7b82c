# meshwork_configure(<target> APP_CONFIG <mbed_app.json> [TARGET_LABELS <label>...]
#                    [LIBRARIES <mbed_lib.json>...] [OUTPUT <mbed_config.h>])
#
# Generates mbed_config.h from the application's mbed_app.json (and meshwork's built-in
# mbed_lib.json files) with the meshwork-config tool, at build time, and force-includes it in
# every C and C++ source of <target>, as an Mbed build does. The header is regenerated when
# mbed_app.json, an extra library file or the tool changes. A generated C++ source, added to
# <target>, hands the same configuration to meshwork's precompiled libraries at run time.
# Works inside the meshwork build (tool target `meshwork-config`) and for installed packages
# (`meshwork::meshwork-config`).
# TARGET_LABELS defaults to LINUX; OUTPUT defaults to <binary dir>/<target>_config/mbed_config.h.
function(meshwork_configure target)
  cmake_parse_arguments(MWC "" "APP_CONFIG;OUTPUT" "TARGET_LABELS;LIBRARIES" ${ARGN})
  if(NOT TARGET ${target})
    message(FATAL_ERROR "meshwork_configure: ${target} is not a target")
  endif()
  if(MWC_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "meshwork_configure: unexpected arguments: ${MWC_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT MWC_OUTPUT)
    set(MWC_OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/${target}_config/mbed_config.h)
  endif()
  cmake_path(ABSOLUTE_PATH MWC_OUTPUT BASE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})

  # Inside the meshwork build the tool is a target of this project; installed, it is imported.
  if(TARGET meshwork-config)
    set(tool meshwork-config)
  elseif(TARGET meshwork::meshwork-config)
    set(tool meshwork::meshwork-config)
  elseif(PROJECT_NAME STREQUAL "meshwork" AND MESHWORK_BUILD_TOOLS)
    set(tool meshwork-config)  # defined later in this build; resolved at generation time
  else()
    find_program(MESHWORK_CONFIG_EXECUTABLE meshwork-config)
    if(NOT MESHWORK_CONFIG_EXECUTABLE)
      message(FATAL_ERROR "meshwork_configure: the meshwork-config tool is not available "
                          "(build meshwork with MESHWORK_BUILD_TOOLS=ON)")
    endif()
    set(tool ${MESHWORK_CONFIG_EXECUTABLE})
  endif()

  set(args)
  set(depends ${tool})
  if(MWC_APP_CONFIG)
    cmake_path(ABSOLUTE_PATH MWC_APP_CONFIG BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND args --app-config ${MWC_APP_CONFIG})
    list(APPEND depends ${MWC_APP_CONFIG})
  endif()
  foreach(label ${MWC_TARGET_LABELS})
    list(APPEND args --label ${label})
  endforeach()
  foreach(lib ${MWC_LIBRARIES})
    cmake_path(ABSOLUTE_PATH lib BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND args --lib ${lib})
    list(APPEND depends ${lib})
  endforeach()

  get_filename_component(out_dir ${MWC_OUTPUT} DIRECTORY)
  # meshwork's libraries are precompiled without the application's mbed_config.h; this source
  # hands them the whole resolved configuration as one constant table, read at run time
  # through meshwork::config::application_configuration() (docs/configuration.md).
  set(source ${out_dir}/meshwork_app_config.cpp)
  add_custom_command(
    OUTPUT ${MWC_OUTPUT} ${source}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
    COMMAND ${tool} ${args} -o ${MWC_OUTPUT} --source ${source}
    DEPENDS ${depends}
    COMMENT "meshwork-config: mbed_config.h and the run-time configuration for ${target}"
    VERBATIM)
  # Listing the header as a source orders its generation before the target's compilation.
  target_sources(${target} PRIVATE ${MWC_OUTPUT} ${source})
  target_include_directories(${target} PRIVATE ${out_dir})
  target_compile_options(${target} PRIVATE "SHELL:-include ${MWC_OUTPUT}")
  set_property(TARGET ${target} PROPERTY MESHWORK_CONFIG_HEADER ${MWC_OUTPUT})
  set_property(TARGET ${target} PROPERTY MESHWORK_CONFIG_SOURCE ${source})
endfunction()

# meshwork_add_node_app(<target> <source>... [APP_CONFIG <mbed_app.json>]
#                       [TARGET_LABELS <label>...] [LIBRARIES <mbed_lib.json>...])
#
# Builds an unmodified Mbed application (its main(), its globals, its mbed_app.json) as a module
# that the meshwork-sim runner loads once per simulated node (docs/sim.md "Running your own
# application as N nodes"): a position-independent shared module (<target>.so) that links none
# of meshwork; its meshwork, Mbed and C library symbols resolve against the runner, which holds
# meshwork whole. Only the headers come from meshwork. APP_CONFIG and the other options are
# meshwork_configure()'s: the module gets its mbed_config.h, and carries the resolved
# configuration table that the runner gives each node.
function(meshwork_add_node_app target)
  cmake_parse_arguments(MNA "" "APP_CONFIG" "TARGET_LABELS;LIBRARIES" ${ARGN})
  if(NOT MNA_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "meshwork_add_node_app: ${target} has no sources")
  endif()
  add_library(${target} MODULE ${MNA_UNPARSED_ARGUMENTS})
  set_target_properties(${target} PROPERTIES PREFIX "" POSITION_INDEPENDENT_CODE ON)
  # The headers' include directories, without linking their libraries (a copy of meshwork in the
  # module would give each node a second platform, beside the runner's).
  foreach(lib meshwork_headers meshwork_core meshwork::meshwork_headers meshwork::core)
    if(TARGET ${lib})
      target_include_directories(${target} PRIVATE
        $<TARGET_PROPERTY:${lib},INTERFACE_INCLUDE_DIRECTORIES>)
    endif()
  endforeach()
  # Mbed applications use deprecated APIs freely; as on Mbed OS that is a warning at most.
  target_compile_options(${target} PRIVATE -Wno-deprecated-declarations)
  set(args)
  if(MNA_APP_CONFIG)
    list(APPEND args APP_CONFIG ${MNA_APP_CONFIG})
  endif()
  if(MNA_TARGET_LABELS)
    list(APPEND args TARGET_LABELS ${MNA_TARGET_LABELS})
  endif()
  if(MNA_LIBRARIES)
    list(APPEND args LIBRARIES ${MNA_LIBRARIES})
  endif()
  meshwork_configure(${target} ${args})
  set_property(TARGET ${target} PROPERTY MESHWORK_NODE_APP ON)
endfunction()
