// LowpanNdNode: the composition of one simulated 6LoWPAN-ND node and its MeshBackend.
#include "LowpanNdNode.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "LoWPANNDInterface.h"
#include "mesh/api/LowpanNdSettings.h"
#include "meshwork/sim/NodeContext.h"
#include "meshwork/sim/Simulation.h"

namespace meshwork::testbed {

namespace {

std::uint64_t eui_value(const sim::Eui64 &e) {
    std::uint64_t v = 0;
    for (std::uint8_t b : e.bytes)
        v = v << 8 | b;
    return v;
}

bool to_socket_address(const wire::Ip6Address &a, SocketAddress *out) {
    if (a.is_unspecified())
        return false;
    if (out) {
        nsapi_addr_t na{};
        na.version = NSAPI_IPv6;
        std::memcpy(na.bytes, a.bytes, 16);
        out->set_addr(na);
    }
    return true;
}

}  // namespace

/// The adaptation layer's timer as one node event.
class LowpanNdNode::LowpanTimer final : public mac::MacTimer {
  public:
    explicit LowpanTimer(LowpanNdNode &owner) : owner_(owner) {}
    ~LowpanTimer() override { disarm(); }
    void arm(Instant at) override {
        disarm();
        event_ = owner_.node_.at(at, [this] {
            event_ = 0;
            owner_.lowpan_->poll();
            owner_.after();
        });
    }
    void disarm() override {
        if (event_ != 0)
            owner_.node_.cancel(event_);
        event_ = 0;
    }

  private:
    LowpanNdNode &owner_;
    sim::Node::EventId event_ = 0;
};

/// Takes the MAC's scan confirms (through the adaptation layer, which keeps the data).
class LowpanNdNode::ScanListener final : public mac::MacListener {
  public:
    explicit ScanListener(LowpanNdNode &owner) : owner_(owner) {}
    void mcps_data_confirm(const mac::MacTxConfirm &) override {}
    void mcps_data_indication(const wire::MacFrame &, const RadioRxFrame &) override {}
    void mlme_scan_confirm(const mac::MacScanConfirm &confirm) override { owner_.on_scan(confirm); }

  private:
    LowpanNdNode &owner_;
};

LowpanNdNode::LowpanNdNode(sim::Node &node, sim::RadioMedium &medium, sim::RadioNodeId radio_id,
                           LowpanNdNodeConfig config)
    : node_(node),
      cfg_(std::move(config)),
      radio_(medium, radio_id),
      mac_timer_(node.simulation().scheduler()) {
    const Clock &clock = node.context().clock();
    Random &random = node.random();
    // The node's memory bound is its configured heap (mbed-mesh-api.heap-size).
    std::vector<std::string> errors;
    const auto settings = meshapi::LowpanNdSettings::from_configuration(node.config(), errors);
    mac_ = std::make_unique<mac::Mac>(radio_, clock, random, mac_timer_, cfg_.mac);
    mac_timer_.bind(mac_.get());
    lowpan_timer_ = std::make_unique<LowpanTimer>(*this);
    lowpan::LowpanConfig lc;
    lc.pan_id = cfg_.pan_id;
    lc.extended_address = eui_value(node.eui64());
    lc.link_retries = cfg_.link_retries;
    lc.link_retry_delay = cfg_.link_retry_delay;
    lowpan_ =
        std::make_unique<lowpan::LowpanAdaptation>(*mac_, clock, random, lowpan_timer_.get(), lc);
    pool_ = std::make_unique<PacketPool>(settings.heap_size, cfg_.pool_buffers);
    stack::StackConfig sc;
    sc.rpl_data_plane = true;   // source routes from the root, the RPL option
    sc.ip6_in_ip6 = true;       // node-to-node traffic tunnelled by the root ends here
    sc.send_redirects = false;  // RPL routes: a redirect would point off the DODAG
    stack_ = std::make_unique<stack::Stack>(clock, random, *pool_, sc);
    stack::NetifConfig nif = nd::SixLowpanNd::netif_config(lowpan_->netif_config());
    nif.tcp_mss = cfg_.tcp_mss;
    ifindex_ = stack_->add_interface(std::move(nif), *lowpan_).value();
    lowpan_->set_deliver([this](ByteSpan packet) {
        stack_->receive_packet(ifindex_, packet);
        after();
    });
    nsapi_ = std::make_unique<stack::NodeNetworkStack>(
        *stack_, [this] { after(); }, ifindex_);
    phy_ = std::make_unique<meshapi::BackendRfPhy>(this);
    interface_ = std::make_unique<LoWPANNDInterface>(phy_.get());
    sim::NodeContext &ctx = node.context();
    ctx.rf_phy = phy_.get();
    if (cfg_.make_default) {
        ctx.default_interface = interface_.get();
        ctx.default_stack = nsapi_.get();
        made_default_ = true;
    }
}

LowpanNdNode::~LowpanNdNode() {
    sim::NodeContext &ctx = node_.context();
    if (ctx.rf_phy == phy_.get())
        ctx.rf_phy = nullptr;
    if (made_default_) {
        ctx.default_interface = nullptr;
        ctx.default_stack = nullptr;
    }
    ctx.dns = nullptr;  // the node's resolver may hold sockets on this stack
    ctx.dns_owned.reset();
    status_ = nullptr;
    in_after_ = true;  // nothing re-arms while the parts go
    if (poll_event_ != 0)
        node_.cancel(poll_event_);
    interface_.reset();
    if (rpl_)
        rpl_->stop();
    if (nd_)
        nd_->stop();
    stack_->set_mpl_data_plane(nullptr);
    mpl_.reset();
    rpl_.reset();
    nd_.reset();
    nsapi_.reset();
    stack_.reset();
    lowpan_.reset();
    lowpan_timer_.reset();
    mac_timer_.disarm();
    mac_.reset();
}

// ---- MeshBackend -------------------------------------------------------------------------------

mesh_error_t LowpanNdNode::start(const meshapi::MeshStartRequest &request,
                                 meshapi::MeshStatusCallback status) {
    if (started_)
        return MESH_ERROR_STATE;
    const meshapi::LowpanNdSettings &s = request.settings;
    nd::NdRole nd_role;
    switch (cfg_.border_router ? NET_6LOWPAN_BORDER_ROUTER : s.device_type) {
        case NET_6LOWPAN_BORDER_ROUTER:
            nd_role = nd::NdRole::kBorderRouter;
            break;
        case NET_6LOWPAN_ROUTER:
            nd_role = nd::NdRole::kRouter;
            break;
        case NET_6LOWPAN_HOST:
            nd_role = nd::NdRole::kHost;
            break;
        default:
            return MESH_ERROR_PARAM;
    }
    const std::vector<std::uint8_t> channels = s.channels();
    if (channels.empty())
        return MESH_ERROR_PARAM;
    // The border router starts its PAN on the first channel the settings allow; any other
    // node with a choice of channels scans them for a PAN (Nanostack's bootstrap), else it
    // takes the one it is given.
    const bool scan = nd_role != nd::NdRole::kBorderRouter && channels.size() > 1;
    if (!radio_.set_channel(RadioChannel{s.channel_page, channels.front()}))
        return MESH_ERROR_PARAM;
    lowpan_->set_pan_id(s.panid_filter != 0xffff ? s.panid_filter : cfg_.pan_id);
    if (!configure_security(s))
        return MESH_ERROR_PARAM;
    device_type_ = cfg_.border_router ? NET_6LOWPAN_BORDER_ROUTER : s.device_type;
    pool_->set_byte_budget(s.heap_size);
    stack_->set_forwarding(nd_role != nd::NdRole::kHost);
    if (!stack_->netif(ifindex_).up)
        (void)stack_->set_up(ifindex_);
    nd_role_ = nd_role;
    channel_page_ = s.channel_page;
    scan_channels_ = channels;
    panid_filter_ = s.panid_filter;
    status_ = std::move(status);
    started_ = true;
    connected_ = false;
    connected_at_ = kNever;
    down_since_ = kNever;
    scans_ = 0;
    if (scan) {
        report(MESH_BOOTSTRAP_STARTED);
        begin_scan();
        return MESH_ERROR_NONE;
    }
    if (!begin_mesh()) {
        stop();
        return MESH_ERROR_UNKNOWN;
    }
    report(MESH_BOOTSTRAP_STARTED);
    after();
    return MESH_ERROR_NONE;
}

bool LowpanNdNode::begin_mesh() {
    const nd::NdRole nd_role = nd_role_;
    const Clock &clock = node_.context().clock();
    Random &random = node_.random();
    nd::NdConfig nc = cfg_.nd;
    nc.role = nd_role;
    // A router registers with its RPL parent only (the parent listener below names it).
    nc.wait_for_preferred = nd_role == nd::NdRole::kRouter;
    // A router's registration router is its RPL parent, which RPL probes already (a unicast
    // DIS when nothing was acknowledged for a while); a second probe by RS would double it.
    if (nd_role == nd::NdRole::kRouter)
        nc.router_probe_interval = Duration::zero();
    if (nd_role == nd::NdRole::kBorderRouter) {
        nc.prefix = cfg_.prefix;
        nc.prefix_length = 64;
        if (nc.contexts.empty())
            nc.contexts.push_back(nd::NdContextConfig{0, cfg_.prefix, 64, true, 60});
    }
    nd_ = std::make_unique<nd::SixLowpanNd>(*stack_, ifindex_, *lowpan_, clock, random, nc);
    if (nd_role != nd::NdRole::kHost) {
        rpl::RplConfig rc = cfg_.rpl;
        rc.role =
            nd_role == nd::NdRole::kBorderRouter ? rpl::RplRole::kRoot : rpl::RplRole::kRouter;
        rc.prefix = cfg_.prefix;
        rc.prefix_length = 64;
        rc.form_address = false;         // 6LoWPAN-ND forms and registers it
        rc.resolve_prefix_iids = false;  // ND's registrations, then set_iid_prefix()
        rpl_ = std::make_unique<rpl::Rpl>(*stack_, ifindex_, *lowpan_, clock, random, rc);
        rpl_->set_parent_listener([this](std::optional<wire::Ip6Address> parent) {
            if (parent && nd_)
                nd_->set_preferred_router(*parent);
        });
        nd_->set_registration_listener([this](const wire::Ip6Address &a, bool added) {
            if (!rpl_ || a.is_link_local())
                return;
            // A registered host is this router's DAO target (RFC 9010); a router (the R flag)
            // sends its own DAOs, and in this one each would make a new DAO sequence here,
            // unacknowledged (and so not serving) for a round trip to the root.
            const nd::NdRegistration *r = added ? nd_->find_registration(a) : nullptr;
            if (added && r && !r->router)
                rpl_->add_target(a);
            else if (!added)
                rpl_->remove_target(a);
        });
    }
    if (cfg_.mpl_enabled) {
        mpl::MplConfig mc = cfg_.mpl;
        mc.forwarder = nd_role != nd::NdRole::kHost;
        mpl_ = std::make_unique<mpl::MplForwarder>(clock, random, mc, [this](ByteSpan packet) {
            (void)stack_->transmit_packet(ifindex_, packet);
        });
        stack_->set_mpl_data_plane(mpl_.get());
        if (mc.forwarder)
            (void)stack_->join_group(ifindex_, mpl::MplForwarder::all_mpl_forwarders(), false);
    }
    if (nd_role == nd::NdRole::kRouter)
        nd_->set_upstream_ready(false);  // until RPL says so (update_connection)
    nd_->start();
    if (rpl_) {
        if (!rpl_->start())
            return false;
        // RPL's ETX comes from the MAC's confirms; they arrive outside any input, so the node
        // re-evaluates its timers after each one.
        lowpan_->set_tx_observer([this](const wire::MacAddress &dst, bool ok, unsigned attempts) {
            if (rpl_)
                rpl_->on_tx(dst, ok, attempts);
            after();
        });
    }
    if (!rpl_) {
        // A host learns that its router is gone from the MAC: frames to it go unacknowledged.
        router_tx_failures_ = 0;
        lowpan_->set_tx_observer([this](const wire::MacAddress &dst, bool ok, unsigned) {
            if (!nd_)
                return;
            const auto router = lowpan_->resolve(nd_->router());
            if (router && *router == dst) {
                nd_->router_link(ok);  // the next probe of the router waits, or comes soon
                router_tx_failures_ = ok ? 0 : router_tx_failures_ + 1;
                if (router_tx_failures_ >= kRouterLossFrames) {
                    router_tx_failures_ = 0;
                    nd_->router_unreachable();
                }
            }
            after();
        });
    }
    if (nd_role == nd::NdRole::kBorderRouter) {
        lowpan_->set_iid_prefix(cfg_.prefix, 64);
        // The PAN coordinator answers beacon requests from the start.
        const auto payload = beacon_payload();
        (void)mac_->set_beacon_payload(ByteSpan(payload.data(), payload.size()));
        mac_->set_coordinator(true, true);
    }
    return true;
}

std::vector<std::uint8_t> LowpanNdNode::beacon_payload() const {
    // Nanostack's 6LoWPAN-ND beacons: protocol ID 4, then a 16-byte network ID.
    std::vector<std::uint8_t> p(17, 0);
    p[0] = kBeaconProtocolId;
    std::memcpy(p.data() + 1, cfg_.network_id.data(),
                std::min<std::size_t>(16, cfg_.network_id.size()));
    return p;
}

void LowpanNdNode::begin_scan() {
    scan_event_ = 0;
    if (!started_)
        return;
    mac::MacScanRequest req;
    req.type = mac::MacScanType::kActive;
    req.duration = cfg_.scan_duration;
    for (std::uint8_t c : scan_channels_)
        req.channels.push_back(RadioChannel{channel_page_, c});
    if (!scan_listener_)
        scan_listener_ = std::make_unique<ScanListener>(*this);
    lowpan_->set_mlme_listener(scan_listener_.get());
    scanning_ = true;
    if (mac_->mlme_scan(req)) {
        ++scans_;
        return;
    }
    // The MAC is busy (a frame on its way): try again shortly.
    scan_event_ = node_.at(node_.now() + std::chrono::milliseconds(50), [this] { begin_scan(); });
}

void LowpanNdNode::on_scan(const mac::MacScanConfirm &confirm) {
    if (!started_ || !scanning_)
        return;
    const auto want = beacon_payload();
    const mac::MacPanDescriptor *best = nullptr;
    for (const auto &p : confirm.pans) {
        if (p.beacon_payload.size() < want.size() ||
            !std::equal(want.begin(), want.end(), p.beacon_payload.begin()))
            continue;  // not a 6LoWPAN-ND PAN of this network
        if (panid_filter_ != 0xffff && p.pan_id != panid_filter_)
            continue;
        if (!best || p.lqi > best->lqi)
            best = &p;  // the best link; the first heard among equals
    }
    if (!best) {
        const auto spread =
            static_cast<std::uint32_t>(std::min<std::int64_t>(cfg_.scan_retry.count(), 0xffffffff));
        const Instant at =
            node_.now() + cfg_.scan_retry + Duration(node_.random().uniform(spread + 1));
        scan_event_ = node_.at(at, [this] { begin_scan(); });
        return;
    }
    scanning_ = false;
    lowpan_->set_mlme_listener(nullptr);
    if (!radio_.set_channel(best->channel)) {
        auto cb = status_;
        stop();
        if (cb)
            cb(MESH_BOOTSTRAP_START_FAILED);
        return;
    }
    lowpan_->set_pan_id(best->pan_id);
    if (!begin_mesh()) {
        auto cb = status_;
        stop();
        if (cb)
            cb(MESH_BOOTSTRAP_START_FAILED);
        return;
    }
    after();
}

bool LowpanNdNode::configure_security(const meshapi::LowpanNdSettings &s) {
    mac::MacSecurityTable &table = mac_->security();
    if (s.security != meshapi::LowpanSecurity::kPsk)  // the key stays, its counter with it
        return lowpan_->set_security(0, 1).ok();
    if (s.sec_level < 1 || s.sec_level > 7 || s.psk_key_id == 0)
        return false;
    // PSK (Nanostack's 6LoWPAN-ND PSK mode): one network key named by its index alone (key
    // identifier mode 1), every data frame secured at sec_level; peers are learned as their
    // frames authenticate.
    mac::MacKeyDescriptor key;
    std::copy(s.psk_key.begin(), s.psk_key.end(), key.key);
    key.key_id_mode = 1;
    key.key_index = s.psk_key_id;
    wire::AuxSecurityHeader id;
    id.key_id_mode = 1;
    id.key_index = s.psk_key_id;
    const mac::MacKeyDescriptor *old = table.key(table.find_key(id, 0));
    if (!old || std::memcmp(old->key, key.key, sizeof key.key) != 0 || table.key_count() != 1) {
        // A new key: the outgoing frame counter still never goes back (this node's frames
        // under a key its neighbours kept would look like replays).
        std::uint32_t counter = 0;
        for (int i = 0; i < static_cast<int>(mac::MacSecurityTable::kMaxKeys); ++i)
            if (const mac::MacKeyDescriptor *k = table.key(i))
                counter = std::max(counter, k->frame_counter);
        key.frame_counter = counter;
        table.clear();
        if (!table.add_key(key))
            return false;
    }
    return lowpan_->set_security(s.sec_level, s.psk_key_id).ok();
}

void LowpanNdNode::stop() {
    if (!started_)
        return;
    status_ = nullptr;
    started_ = false;
    connected_ = false;
    down_since_ = kNever;
    scanning_ = false;
    if (scan_event_ != 0)
        node_.cancel(scan_event_);
    scan_event_ = 0;
    lowpan_->set_mlme_listener(nullptr);
    mac_->set_coordinator(false);
    lowpan_->set_tx_observer({});
    if (rpl_)
        rpl_->stop();
    if (nd_)
        nd_->stop();
    rpl_.reset();
    nd_.reset();
    if (mpl_) {
        stack_->set_mpl_data_plane(nullptr);
        if (mpl_->config().forwarder)
            (void)stack_->leave_group(ifindex_, mpl::MplForwarder::all_mpl_forwarders(), false);
        mpl_.reset();
    }
    lowpan_->set_iid_prefix(wire::Ip6Address{}, 0);
    stack_->set_forwarding(false);
    after();
}

bool LowpanNdNode::global_address(SocketAddress *address) const {
    return to_socket_address(global(), address);
}

bool LowpanNdNode::link_local_address(SocketAddress *address) const {
    return to_socket_address(stack_->link_local(ifindex_), address);
}

bool LowpanNdNode::border_router_address(SocketAddress *address) const {
    if (!connected_ || !nd_)
        return false;
    if (device_type_ == NET_6LOWPAN_BORDER_ROUTER)
        return to_socket_address(nd_->global_address(), address);
    const auto &abro = nd_->info().abro;
    return abro && to_socket_address(abro->address, address);
}

std::array<std::uint8_t, 8> LowpanNdNode::eui64() const {
    return node_.eui64().bytes;
}

NetworkStack *LowpanNdNode::network_stack() {
    return nsapi_.get();
}

// ---- State -----------------------------------------------------------------------------------

wire::Ip6Address LowpanNdNode::global() const {
    return nd_ ? nd_->global_address() : wire::Ip6Address{};
}

unsigned LowpanNdNode::route_hops(const wire::Ip6Address &dst) {
    if (device_type_ != NET_6LOWPAN_BORDER_ROUTER || !rpl_)
        return 0;
    stack::SourceRoute route;
    if (rpl_->source_route(dst, route))
        return route.count;
    return nd_ && nd_->find_registration(dst) ? 1 : 0;
}

void LowpanNdNode::report(mesh_connection_status_t s) {
    if (status_) {
        auto cb = status_;  // the callback may stop() us
        cb(s);
    }
}

void LowpanNdNode::update_connection() {
    if (!started_ || !nd_)
        return;
    if (nd_->state() == nd::NdState::kDuplicate || nd_->state() == nd::NdState::kRefused) {
        auto cb = status_;
        stop();
        if (cb)
            cb(MESH_BOOTSTRAP_START_FAILED);
        return;
    }
    // Neighbours' addresses in the mesh prefix resolve from their IIDs as soon as the prefix is
    // known, registered or not: a router forwards source-routed packets before it registers.
    if (!nd_->info().prefixes.empty())
        lowpan_->set_iid_prefix(nd_->info().prefixes.front().pio.prefix,
                                nd_->info().prefixes.front().pio.prefix_length);
    if (rpl_ && device_type_ != NET_6LOWPAN_BORDER_ROUTER)
        nd_->set_upstream_ready(rpl_->joined() && rpl_->dao_acknowledged());
    bool up = false;
    switch (device_type_) {
        case NET_6LOWPAN_BORDER_ROUTER:
            up = !nd_->global_address().is_unspecified();
            break;
        case NET_6LOWPAN_HOST:
            up = nd_->registered();
            break;
        default:
            up = nd_->registered() && rpl_ && rpl_->joined() && rpl_->dao_acknowledged();
            break;
    }
    const Instant now = node_.now();
    if (up) {
        down_since_ = kNever;
        if (rpl_)
            rpl_->set_ready(true);  // with RplConfig::advertise_on_join off, it starts now
        if (!connected_) {
            connected_ = true;
            connected_at_ = now;
            if (device_type_ == NET_6LOWPAN_ROUTER) {
                // A connected router answers beacon requests: nodes out of the border
                // router's reach find the PAN through it when they scan.
                const auto payload = beacon_payload();
                (void)mac_->set_beacon_payload(ByteSpan(payload.data(), payload.size()));
                mac_->set_coordinator(true);
            }
            report(MESH_CONNECTED);
        }
    } else if (connected_) {
        // Lost for longer than a repair takes (a new router or parent, its registration and
        // DAO-ACK): connecting again, as Nanostack's tasklet bootstraps again
        // (MESH_BOOTSTRAP_STARTED; the interface's status becomes CONNECTING, quietly), then
        // MESH_CONNECTED when the mesh is back.
        if (down_since_ == kNever) {
            down_since_ = now;
        } else if (now - down_since_ >= kLossHold) {
            connected_ = false;
            if (device_type_ == NET_6LOWPAN_ROUTER)
                mac_->set_coordinator(false);
            down_since_ = kNever;
            ++losses_;
            report(MESH_BOOTSTRAP_STARTED);
        }
    }
}

void LowpanNdNode::after() {
    if (in_after_)
        return;  // a callback that touched the stack: the outer call finishes
    in_after_ = true;
    // Inputs may have made work due now; run it before choosing the next wake-up.
    for (int round = 0; round < 4; ++round) {
        const Instant now = node_.now();
        bool ran = false;
        if (stack_->next_deadline() <= now) {
            stack_->poll();
            ran = true;
        }
        if (nd_ && nd_->next_deadline() <= now) {
            nd_->poll();
            ran = true;
        }
        if (rpl_ && rpl_->next_deadline() <= now) {
            rpl_->poll();
            ran = true;
        }
        if (mpl_ && mpl_->next_deadline() <= now) {
            mpl_->poll();
            ran = true;
        }
        if (!ran)
            break;
    }
    update_connection();
    Instant d = stack_->next_deadline();
    if (nd_)
        d = std::min(d, nd_->next_deadline());
    if (rpl_)
        d = std::min(d, rpl_->next_deadline());
    if (mpl_)
        d = std::min(d, mpl_->next_deadline());
    if (!(poll_event_ != 0 && node_.pending(poll_event_) && d == armed_)) {
        if (poll_event_ != 0)
            node_.cancel(poll_event_);
        poll_event_ = 0;
        armed_ = d;
        if (d != kNever) {
            poll_event_ = node_.at(d, [this] {
                poll_event_ = 0;
                armed_ = kNever;
                after();
            });
        }
    }
    in_after_ = false;
}

}  // namespace meshwork::testbed
