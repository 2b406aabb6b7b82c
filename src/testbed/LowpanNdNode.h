// A simulated node's 6LoWPAN-ND mesh interface (docs/mesh-api.md, "On a simulated node"): its
// radio on the simulation's 802.15.4 medium, the MAC, the 6LoWPAN adaptation layer, its IPv6
// Stack, 6LoWPAN-ND (mesh/nd) and, for routers and the border router, RPL (mesh/rpl), driven in
// the node's virtual time; the Mbed socket API over the stack (stack::NodeNetworkStack); and the
// MeshBackend that the node's LoWPANNDInterface drives, made the node's default interface.
//
// Roles, from the device type the application's settings give (mesh-facts.md section 3):
//   border router  6LBR + RPL root (grounded, non-storing); owns the prefix, context 0, ABRO;
//   router         6LR + RPL router; registers its own address with its RPL preferred parent
//                  and advertises the hosts registered with it as DAO targets;
//   host           6LN, no RPL: registers with one router, its default route.
// Every role runs MPL (mesh/mpl, RFC 7731) for groups of scope 3 or more: routers and the border
// router forward (and join ff03::fc), a host only originates and receives.
// MESH_CONNECTED is reported when the node is usable end to end: a host registered, a router
// registered, joined and its DAO acknowledged by the root, a border router at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/PacketBuffer.h"
#include "mesh/api/BackendRfPhy.h"
#include "mesh/api/MeshBackend.h"
#include "mesh/lowpan/LowpanAdaptation.h"
#include "mesh/mac/Mac.h"
#include "mesh/mpl/MplForwarder.h"
#include "mesh/nd/SixLowpanNd.h"
#include "mesh/rpl/Rpl.h"
#include "meshwork/sim/Node.h"
#include "RadioMacTimer.h"
#include "sim/RadioMedium.h"
#include "sim/SimRadio.h"
#include "stack/Stack.h"
#include "stack/nsapi/NodeNetworkStack.h"

class LoWPANNDInterface;

namespace meshwork::testbed {

struct LowpanNdNodeConfig {
    /// The mesh prefix a border router owns (and context 0).
    wire::Ip6Address prefix = *wire::Ip6Address::from_text("fd00:6c6f:7770:616e::");
    /// The PAN a border router starts (a node's PAN ID filter, when not 0xffff, must match).
    std::uint16_t pan_id = 0x0691;
    /// Packet pool buffers; its byte budget is the settings' heap-size (at start()).
    std::size_t pool_buffers = 48;
    /// This node is the border router whatever device type its settings give (Mbed's border
    /// router is a separate application; here any application can run on it).
    bool border_router = false;
    /// TCP's MSS on the mesh interface: a segment of 256 bytes with its headers, compressed,
    /// is three or four 802.15.4 frames, also inside the border router's RPL tunnel (0: from
    /// the 1,280-byte MTU, a dozen fragments per hop).
    std::size_t tcp_mss = 256;
    mac::MacConfig mac;
    /// Link-level retries of unicast frames the MAC gave up on (lowpan::LowpanConfig): in a
    /// dense mesh, hidden neighbours' retries collide again within the MAC's few milliseconds.
    unsigned link_retries = 3;
    Duration link_retry_delay = std::chrono::milliseconds(50);
    nd::NdConfig nd;     // role and prefix are set from the settings
    rpl::RplConfig rpl;  // role and prefix are set from the settings
    /// MPL for multicast beyond one hop; `forwarder` is set from the role.
    bool mpl_enabled = true;
    mpl::MplConfig mpl;
    /// Makes the node's LoWPANNDInterface its default interface and its NetworkStack the
    /// default stack.
    bool make_default = true;
    /// The network ID in beacons (protocol ID 4, then these 16 bytes, zero-padded): the
    /// border router and connected routers send it, a scanning node joins only a PAN with it.
    std::string network_id = "meshwork";
    /// A node whose settings allow several channels (6lowpan-nd-channel 0) scans them
    /// actively, each for aBaseSuperframeDuration x (2^scan_duration + 1) symbols, and scans
    /// again after scan_retry (plus up to as much at random) when it heard no such PAN.
    std::uint8_t scan_duration = 3;
    Duration scan_retry = std::chrono::seconds(2);
};

class LowpanNdNode final : public sim::NodeAttachment, public meshapi::MeshBackend {
  public:
    LowpanNdNode(sim::Node &node, sim::RadioMedium &medium, sim::RadioNodeId radio_id,
                 LowpanNdNodeConfig config = {});
    ~LowpanNdNode() override;
    LowpanNdNode(const LowpanNdNode &) = delete;
    LowpanNdNode &operator=(const LowpanNdNode &) = delete;

    // ---- meshapi::MeshBackend ---------------------------------------------------------
    mesh_error_t start(const meshapi::MeshStartRequest &request,
                       meshapi::MeshStatusCallback status) override;
    void stop() override;
    bool global_address(SocketAddress *address) const override;
    bool link_local_address(SocketAddress *address) const override;
    bool border_router_address(SocketAddress *address) const override;
    std::array<std::uint8_t, 8> eui64() const override;
    NetworkStack *network_stack() override;

    // ---- Introspection ----------------------------------------------------------------
    bool started() const { return started_; }
    bool connected() const { return connected_; }
    /// The virtual instant MESH_CONNECTED was reported (kNever before).
    Instant connected_at() const { return connected_at_; }
    net_6lowpan_mode_e device_type() const { return device_type_; }
    stack::Stack &stack() { return *stack_; }
    const stack::Stack &stack() const { return *stack_; }
    stack::IfIndex ifindex() const { return ifindex_; }
    lowpan::LowpanAdaptation &lowpan() { return *lowpan_; }
    mac::Mac &mac() { return *mac_; }
    nd::SixLowpanNd *nd() { return nd_.get(); }
    const nd::SixLowpanNd *nd() const { return nd_.get(); }
    rpl::Rpl *rpl() { return rpl_.get(); }
    const rpl::Rpl *rpl() const { return rpl_.get(); }
    mpl::MplForwarder *mpl() { return mpl_.get(); }
    const mpl::MplForwarder *mpl() const { return mpl_.get(); }
    stack::NodeNetworkStack &network() { return *nsapi_; }
    LoWPANNDInterface &interface() { return *interface_; }
    sim::Node &node() { return node_; }
    /// The global address (unspecified before one is formed).
    wire::Ip6Address global() const;
    /// On the border router: the hops from it to `dst` along the source route its DAO table
    /// gives (1 for a neighbour registered with it directly); 0 when unknown.
    unsigned route_hops(const wire::Ip6Address &dst);
    /// Consecutive unacknowledged frames to a host's router after which it is lost.
    static constexpr unsigned kRouterLossFrames = 3;
    /// A connected node not usable end to end for this long has lost the mesh.
    static constexpr Duration kLossHold = std::chrono::seconds(30);
    /// Times the mesh was lost after MESH_CONNECTED (each reported MESH_BOOTSTRAP_STARTED).
    unsigned losses() const { return losses_; }
    /// Runs what became due and re-arms the node's timer: call it after using the stack (or
    /// ND / RPL) directly.
    void touched() { after(); }
    /// Scanning the settings' channels for a PAN (before ND and RPL start).
    bool scanning() const { return scanning_; }
    /// Active scans made since start() (0 with one channel).
    unsigned scans() const { return scans_; }
    /// The channel the node is on.
    RadioChannel channel() { return radio_.channel(); }

  private:
    class LowpanTimer;
    class ScanListener;
    static constexpr std::uint8_t kBeaconProtocolId = 4;
    /// ND and RPL on the channel and PAN chosen (configured or scanned); false when RPL does
    /// not start.
    bool begin_mesh();
    void begin_scan();
    void on_scan(const mac::MacScanConfirm &confirm);
    std::vector<std::uint8_t> beacon_payload() const;
    /// After anything ran: poll what is due, update the connection state, re-arm the timer.
    void after();
    void update_connection();
    void report(mesh_connection_status_t s);
    /// The MAC key table and the adaptation layer's security from the settings' security
    /// mode; false for PSK settings out of range.
    bool configure_security(const meshapi::LowpanNdSettings &s);

    sim::Node &node_;
    LowpanNdNodeConfig cfg_;
    sim::SimRadio radio_;
    RadioMacTimer mac_timer_;
    std::unique_ptr<mac::Mac> mac_;
    std::unique_ptr<LowpanTimer> lowpan_timer_;
    std::unique_ptr<lowpan::LowpanAdaptation> lowpan_;
    std::unique_ptr<PacketPool> pool_;
    std::unique_ptr<stack::Stack> stack_;
    stack::IfIndex ifindex_ = 0;
    std::unique_ptr<stack::NodeNetworkStack> nsapi_;
    std::unique_ptr<nd::SixLowpanNd> nd_;
    std::unique_ptr<rpl::Rpl> rpl_;
    std::unique_ptr<mpl::MplForwarder> mpl_;
    std::unique_ptr<meshapi::BackendRfPhy> phy_;
    std::unique_ptr<LoWPANNDInterface> interface_;
    meshapi::MeshStatusCallback status_;
    net_6lowpan_mode_e device_type_ = NET_6LOWPAN_ROUTER;
    bool started_ = false;
    bool connected_ = false;
    bool made_default_ = false;
    bool in_after_ = false;
    unsigned router_tx_failures_ = 0;
    Instant connected_at_ = kNever;
    Instant down_since_ = kNever;  // connected, but not usable since
    unsigned losses_ = 0;
    sim::Node::EventId poll_event_ = 0;
    Instant armed_ = kNever;
    nd::NdRole nd_role_ = nd::NdRole::kRouter;
    std::uint8_t channel_page_ = 0;
    std::vector<std::uint8_t> scan_channels_;
    std::uint16_t panid_filter_ = 0xffff;
    std::unique_ptr<ScanListener> scan_listener_;
    bool scanning_ = false;
    unsigned scans_ = 0;
    sim::Node::EventId scan_event_ = 0;
};

}  // namespace meshwork::testbed
