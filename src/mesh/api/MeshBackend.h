// The seam between the Mesh API classes and a node's mesh stack. LoWPANNDInterface (through
// MeshConnection) drives a MeshBackend: start() joins the mesh with the node's settings and
// reports progress as mesh_connection_status_t values, stop() leaves it. A simulated node's
// composition (src/testbed) implements it with the node's 802.15.4 MAC, 6LoWPAN adaptation,
// 6LoWPAN-ND (mesh/nd) and RPL (mesh/rpl); tests implement it with a fake.
//
// Threading contract: every call here is made from the node's own context (its fibers, or the
// thread that owns it on the host); `status` must be called from that context too, never while
// the backend holds a lock that its other methods take, and may be called from inside start().
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>

#include "LowpanNdSettings.h"
#include "SocketAddress.h"
#include "mesh_interface_types.h"

class NetworkStack;

namespace meshwork::meshapi {

/// A report from the backend, in the order things happen:
///   MESH_BOOTSTRAP_STARTED       joining (optional: start() implies it);
///   MESH_CONNECTED               joined (6LoWPAN-ND: registered with a router, global address
///                                formed; the interface reports GLOBAL_UP if global_address()
///                                has one, else LOCAL_UP); or the finer MESH_CONNECTED_LOCAL /
///                                MESH_CONNECTED_GLOBAL;
///   MESH_BOOTSTRAP_FAILED        an attempt failed; the backend keeps trying;
///   MESH_BOOTSTRAP_START_FAILED  it gave up and has stopped (as if stop() had been called);
///   MESH_DISCONNECTED            it left the mesh on its own and has stopped.
using MeshStatusCallback = std::function<void(mesh_connection_status_t)>;

struct MeshStartRequest {
    LowpanNdSettings settings;
    /// An EUI-64 the application set with set_mac_address() before connecting; none: the
    /// backend's own.
    std::optional<std::array<std::uint8_t, 8>> eui64;
};

class MeshBackend {
  public:
    virtual ~MeshBackend() = default;

    /// Starts joining. MESH_ERROR_NONE: started, reports follow through `status` (kept until
    /// stop()). MESH_ERROR_PARAM (settings it cannot use), MESH_ERROR_MEMORY, MESH_ERROR_STATE
    /// (already started) or MESH_ERROR_UNKNOWN: not started, `status` is dropped.
    virtual mesh_error_t start(const MeshStartRequest &request, MeshStatusCallback status) = 0;

    /// Leaves the mesh and drops `status` (never called after stop() returns). The node's
    /// addresses and routes go; a later start() joins again from scratch.
    virtual void stop() = 0;

    /// The node's global (registered) IPv6 address; false while there is none.
    virtual bool global_address(SocketAddress *address) const = 0;
    /// The node's link-local address; false while there is none.
    virtual bool link_local_address(SocketAddress *address) const = 0;
    /// The 6LoWPAN border router (6LBR) of the node's mesh (ABRO's address, RFC 6775 section
    /// 4.3); false while not connected.
    virtual bool border_router_address(SocketAddress *address) const = 0;
    /// The radio's EUI-64 (the one in effect: an application's override once started).
    virtual std::array<std::uint8_t, 8> eui64() const = 0;
    /// The NetworkStack the interface's sockets use (the node's stack::NodeNetworkStack).
    virtual NetworkStack *network_stack() = 0;
};

}  // namespace meshwork::meshapi
