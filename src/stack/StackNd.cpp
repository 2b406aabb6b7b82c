// Neighbour discovery on Ethernet-like links (RFC 4861): NS/NA and the neighbour cache, router
// and prefix discovery from RAs, redirects; SLAAC and DAD (RFC 4862); router advertisements
// when the node forwards; MLDv2 listener reports (RFC 3810, host part).
#include <cstring>
#include <vector>

#include "Stack.h"
#include "wire/Icmp6.h"
#include "wire/Mld.h"
#include "wire/Nd.h"

namespace meshwork::stack {

namespace {
constexpr std::size_t kNdRoom = 256;
constexpr Duration kRtrSolicitationInterval = std::chrono::seconds(4);
constexpr Duration kMaxRtrSolicitationDelay = std::chrono::seconds(1);
constexpr Duration kMaxRaDelay = std::chrono::milliseconds(500);
constexpr Duration kMinDelayBetweenRas = std::chrono::seconds(3);
constexpr Duration kMaxInitialRtrAdvertInterval = std::chrono::seconds(16);
constexpr unsigned kMaxInitialRtrAdvertisements = 3;
constexpr Duration kUnsolicitedReportInterval = std::chrono::seconds(1);  // RFC 3810 9.11
constexpr unsigned kRobustness = 2;                                       // RFC 3810 9.1
constexpr Duration kTwoHours = std::chrono::hours(2);

Instant lifetime_end(Instant now, std::uint32_t seconds) {
    if (seconds == 0xffffffffu)
        return kNever;  // infinity (RFC 4861 4.6.2)
    return saturating_add(now, std::chrono::seconds(seconds));
}

// A link-layer address option's address as this link's (6-byte) address; empty if shorter.
LinkAddress lla_of(const std::optional<wire::NdLinkLayerAddress> &o, std::size_t size) {
    if (!o || o->address.size < size)
        return {};
    return LinkAddress::from(o->address.subspan(0, size));
}

bool reportable(const wire::Ip6Address &g) {
    // RFC 3810 6: never for ff02::1 nor for interface-local groups.
    return g != wire::Ip6Address::all_nodes_link_local() && g.multicast_scope() > 1;
}
}  // namespace

Duration Stack::random_delay(Duration max) {
    if (max.count() <= 0)
        return Duration(0);
    const auto bound =
        max.count() >= 0xffffffffll ? 0xffffffffu : static_cast<std::uint32_t>(max.count() + 1);
    return Duration(random_.uniform(bound));
}

Duration Stack::random_reachable_time(const Netif &nif) {
    // RFC 4861 6.3.2: BaseReachableTime times a factor in [0.5, 1.5].
    const auto f = random_.uniform_range(500, 1500);
    return Duration(nif.base_reachable_time.count() / 1000 * f);
}

void Stack::router_lost(Netif &nif, const wire::Ip6Address &router) {
    routes_.remove_if([&](const Route &r) {
        return r.ifindex == nif.index && r.next_hop == router &&
               (r.origin == RouteOrigin::kDefaultRouter || r.origin == RouteOrigin::kRedirect);
    });
}

// ---- Sending ND ----------------------------------------------------------------------------

void Stack::send_nd(Netif &nif, PacketBuffer msg, const wire::Ip6Address &src,
                    const wire::Ip6Address &dst, const LinkAddress *direct) {
    OutputRoute route{nif.index, dst, src};
    if (!direct) {
        (void)output(std::move(msg), route, dst, wire::IpProto::kIcmp6, 255);
        return;
    }
    // A NUD probe goes to the cached link-layer address without touching the entry's state.
    wire::Ip6Header h;
    h.payload_length = static_cast<std::uint16_t>(msg.size());
    h.next_header = wire::IpProto::kIcmp6;
    h.hop_limit = 255;
    h.src = src;
    h.dst = dst;
    auto hdr = msg.prepend(wire::kIp6HeaderSize);
    if (!hdr || !h.emit(*hdr))
        return;
    transmit(nif, *direct, std::move(msg));
}

namespace {
// Builds one ND message in a pool buffer: `fill` adds the options to the writer.
template <typename Fixed, typename Fill>
Result<PacketBuffer> make_nd(Stack &s, const Fixed &fixed, const wire::PseudoHeader &ph, Fill fill,
                             std::size_t room = kNdRoom) {
    auto b = s.allocate(room);
    if (!b)
        return Error::kNoMemory;
    wire::NdWriter w(b->mutable_data(), fixed);
    fill(w);
    auto done = w.finish(ph);
    if (!done)
        return done.error();
    (void)b->trim_back(room - done->size);
    return b;
}
}  // namespace

void Stack::send_ns(Netif &nif, const wire::Ip6Address &target, const LinkAddress *unicast_to,
                    bool dad) {
    wire::Ip6Address src;
    if (!dad) {
        // 7.2.2: a source on this interface; the target's scope picks it.
        auto r = route_output(target, nif.index);
        if (r && nif.find_address(r->src))
            src = r->src;
        else
            src = link_local(nif.index);
        if (src.is_unspecified())
            return;  // no usable address yet: nothing valid to send from
    }
    const wire::Ip6Address dst = unicast_to ? target : wire::Ip6Address::solicited_node(target);
    wire::NdNeighborSolicitation ns;
    ns.target = target;
    auto msg = make_nd(*this, ns, wire::PseudoHeader{src, dst}, [&](wire::NdWriter &w) {
        if (!dad)
            w.add_sllao(wire::NdLinkLayerAddress::from(nif.config.mac.span()));
    });
    if (!msg)
        return;
    send_nd(nif, std::move(*msg), src, dst, unicast_to);
}

void Stack::send_na(Netif &nif, const wire::Ip6Address &dst, const wire::Ip6Address &target,
                    bool solicited) {
    wire::NdNeighborAdvertisement na;
    na.target = target;
    na.flags = wire::NdNeighborAdvertisement::kOverride;
    if (solicited)
        na.flags |= wire::NdNeighborAdvertisement::kSolicited;
    if (config_.forwarding)
        na.flags |= wire::NdNeighborAdvertisement::kRouter;
    auto msg = make_nd(*this, na, wire::PseudoHeader{target, dst}, [&](wire::NdWriter &w) {
        w.add_tllao(wire::NdLinkLayerAddress::from(nif.config.mac.span()));
    });
    if (!msg)
        return;
    send_nd(nif, std::move(*msg), target, dst, nullptr);
}

void Stack::send_rs(Netif &nif) {
    const wire::Ip6Address src = link_local(nif.index);
    const wire::Ip6Address dst = wire::Ip6Address::all_routers_link_local();
    auto msg = make_nd(*this, wire::NdRouterSolicitation{}, wire::PseudoHeader{src, dst},
                       [&](wire::NdWriter &w) {
                           if (!src.is_unspecified())  // 4.1: no SLLAO from ::
                               w.add_sllao(wire::NdLinkLayerAddress::from(nif.config.mac.span()));
                       });
    if (!msg)
        return;
    ++stats_.rs_sent;
    send_nd(nif, std::move(*msg), src, dst, nullptr);
}

void Stack::send_ra(Netif &nif, const wire::Ip6Address &dst) {
    const wire::Ip6Address src = link_local(nif.index);
    if (src.is_unspecified())
        return;  // 6.2.2: RAs come from a link-local address
    const NetifConfig &c = nif.config;
    wire::NdRouterAdvertisement ra;
    ra.cur_hop_limit = c.adv_cur_hop_limit;
    ra.router_lifetime = c.router_lifetime;
    ra.reachable_time = c.adv_reachable_time;
    ra.retrans_timer = c.adv_retrans_timer;
    auto msg = make_nd(
        *this, ra, wire::PseudoHeader{src, dst},
        [&](wire::NdWriter &w) {
            w.add_sllao(wire::NdLinkLayerAddress::from(c.mac.span()));
            if (c.adv_mtu)
                w.add_mtu(static_cast<std::uint32_t>(nif.mtu));
            for (const auto &p : c.prefixes) {
                wire::PrefixInfo pio;
                pio.prefix = p.prefix.masked(p.prefix_length);
                pio.prefix_length = p.prefix_length;
                pio.valid_lifetime = p.valid_lifetime;
                pio.preferred_lifetime = p.preferred_lifetime;
                pio.flags = static_cast<std::uint8_t>(
                    (p.on_link ? wire::PrefixInfo::kFlagOnLink : 0) |
                    (p.autonomous ? wire::PrefixInfo::kFlagAutonomous : 0));
                w.add(pio);
            }
        },
        1024);
    if (!msg)
        return;
    ++stats_.ra_sent;
    nif.last_ra_sent = now();
    nif.ra_ever_sent = true;
    send_nd(nif, std::move(*msg), src, dst, nullptr);
}

void Stack::maybe_redirect(Netif &nif, ByteSpan packet, const wire::Ip6View &ip,
                           const wire::Ip6Address &next_hop) {
    // RFC 4861 8.2: only when the source is a neighbour on this link.
    const wire::Ip6Address src = ip.src();
    bool neighbour = src.is_link_local();
    if (!neighbour) {
        const Route *r = routes_.lookup(src);
        neighbour = r && r->on_link() && r->ifindex == nif.index;
    }
    const wire::Ip6Address from = link_local(nif.index);
    if (!neighbour || from.is_unspecified())
        return;
    if (!icmp_bucket_.take(now())) {
        drops_.count(StackDrop::kIcmpRateLimited);
        return;
    }
    wire::NdRedirect rd;
    rd.target = next_hop;
    rd.destination = ip.dst();
    const auto *entry = nif.neighbors.find(next_hop);
    // 4.5: the quoted packet keeps the redirect within the minimum MTU.
    const std::size_t room = wire::kIp6MinMtu - wire::kIp6HeaderSize;
    const std::size_t quote_max = room - 40 - 8 - (entry ? 8 : 0);
    ByteSpan quoted = packet.subspan(0, quote_max / 8 * 8);
    auto msg = make_nd(
        *this, rd, wire::PseudoHeader{from, src},
        [&](wire::NdWriter &w) {
            if (entry && entry->state != NeighborState::kIncomplete)
                w.add_tllao(wire::NdLinkLayerAddress::from(entry->lladdr.span()));
            w.add_redirected(quoted);
        },
        room);
    if (!msg)
        return;
    ++stats_.redirects_sent;
    send_nd(nif, std::move(*msg), from, src, nullptr);
}

// ---- Receiving ND --------------------------------------------------------------------------

Stack::Verdict Stack::input_nd(Netif &nif, const wire::Ip6View &ip, ByteSpan msg) {
    // RFC 4861 6.1, 7.1, 8.1: hop limit 255 proves the message did not cross a router.
    if (ip.hop_limit() != 255)
        return drop(StackDrop::kNdInvalid);
    auto v = wire::NdView::parse(msg);
    if (!v)
        return drop(StackDrop::kNdInvalid);
    const wire::Ip6Address src = ip.src();
    const std::size_t lsize = nif.config.mac.size;
    if (auto rs = v->rs()) {
        LinkAddress sll = lla_of(v->options().sllao(), lsize);
        if (src.is_unspecified() && !sll.empty())
            return drop(StackDrop::kNdInvalid);
        on_rs(nif, ip, sll.empty() ? nullptr : &sll);
        return Verdict::kDelivered;
    }
    if (v->ra()) {
        if (!src.is_link_local())
            return drop(StackDrop::kNdInvalid);
        on_ra(nif, ip, msg);
        return Verdict::kDelivered;
    }
    if (auto ns = v->ns()) {
        if (ns->target.is_multicast())
            return drop(StackDrop::kNdInvalid);
        LinkAddress sll = lla_of(v->options().sllao(), lsize);
        if (src.is_unspecified() && (!ip.dst().is_solicited_node() || !sll.empty()))
            return drop(StackDrop::kNdInvalid);
        on_ns(nif, ip, ns->target, sll.empty() ? nullptr : &sll);
        return Verdict::kDelivered;
    }
    if (auto na = v->na()) {
        if (na->target.is_multicast() ||
            (ip.dst().is_multicast() && (na->flags & wire::NdNeighborAdvertisement::kSolicited)))
            return drop(StackDrop::kNdInvalid);
        LinkAddress tll = lla_of(v->options().tllao(), lsize);
        on_na(nif, ip, na->flags, na->target, tll.empty() ? nullptr : &tll);
        return Verdict::kDelivered;
    }
    if (auto rd = v->redirect()) {
        if (!src.is_link_local() || rd->destination.is_multicast() ||
            (!rd->target.is_link_local() && rd->target != rd->destination))
            return drop(StackDrop::kNdInvalid);
        LinkAddress tll = lla_of(v->options().tllao(), lsize);
        on_redirect(nif, ip, rd->target, rd->destination, tll.empty() ? nullptr : &tll);
        return Verdict::kDelivered;
    }
    return Verdict::kDelivered;  // DAR/DAC belong to 6LoWPAN-ND
}

void Stack::on_ns(Netif &nif, const wire::Ip6View &ip, const wire::Ip6Address &target,
                  const LinkAddress *sllao) {
    NetifAddress *a = nif.find_address(target);
    if (!a || a->state == AddressState::kDuplicate)
        return;
    const wire::Ip6Address src = ip.src();
    if (a->state == AddressState::kTentative) {
        // RFC 4862 5.4.3: another node is doing DAD for the same address.
        if (src.is_unspecified())
            dad_failed(nif, target);
        return;
    }
    if (src.is_unspecified()) {
        send_na(nif, wire::Ip6Address::all_nodes_link_local(), target, false);
        return;
    }
    if (sllao)
        nif.neighbors.on_link_address(src, *sllao, now());
    send_na(nif, src, target, true);
}

void Stack::on_na(Netif &nif, const wire::Ip6View &ip, std::uint8_t flags,
                  const wire::Ip6Address &target, const LinkAddress *tllao) {
    if (NetifAddress *a = nif.find_address(target)) {
        // RFC 4862 5.4.4: an NA for a tentative address means it is in use.
        if (a->state == AddressState::kTentative)
            dad_failed(nif, target);
        return;
    }
    nif.neighbors.on_advertisement(target, tllao, flags & wire::NdNeighborAdvertisement::kSolicited,
                                   flags & wire::NdNeighborAdvertisement::kOverride,
                                   flags & wire::NdNeighborAdvertisement::kRouter, now());
}

void Stack::on_rs(Netif &nif, const wire::Ip6View &ip, const LinkAddress *sllao) {
    if (!config_.forwarding || !nif.config.advertise)
        return;  // 6.2.6: hosts ignore RSs
    if (sllao && !ip.src().is_unspecified())
        nif.neighbors.on_link_address(ip.src(), *sllao, now(), false);
    // 6.2.6: answer after a random delay, no sooner than MIN_DELAY_BETWEEN_RAS after the last.
    Instant at = saturating_add(now(), random_delay(kMaxRaDelay));
    if (nif.ra_ever_sent && at < nif.last_ra_sent + kMinDelayBetweenRas)
        at = nif.last_ra_sent + kMinDelayBetweenRas;
    if (at < nif.ra_at)
        nif.ra_at = at;
}

void Stack::on_ra(Netif &nif, const wire::Ip6View &ip, ByteSpan msg) {
    if (config_.forwarding || !nif.config.accept_ra)
        return;
    auto v = wire::NdView::parse(msg);
    const auto ra = v->ra();
    const Instant t = now();
    const wire::Ip6Address router = ip.src();
    nif.ra_seen = true;
    nif.rs_at = kNever;
    // 6.3.4: parameters, when specified.
    if (ra->cur_hop_limit != 0)
        nif.cur_hop_limit = ra->cur_hop_limit;
    if (ra->reachable_time != 0 &&
        Duration(std::chrono::milliseconds(ra->reachable_time)) != nif.base_reachable_time) {
        nif.base_reachable_time = std::chrono::milliseconds(ra->reachable_time);
        nif.neighbors.params().reachable_time = random_reachable_time(nif);
    }
    if (ra->retrans_timer != 0) {
        nif.retrans_timer = std::chrono::milliseconds(ra->retrans_timer);
        nif.neighbors.params().retrans_timer = nif.retrans_timer;
    }
    if (auto mtu = v->options().mtu()) {
        if (*mtu >= wire::kIp6MinMtu && *mtu <= nif.config.mtu)
            nif.mtu = *mtu;
    }
    LinkAddress sll = lla_of(v->options().sllao(), nif.config.mac.size);
    if (!sll.empty())
        nif.neighbors.on_link_address(router, sll, t, true);
    // The default router list (6.3.4), kept as ::/0 routes.
    Route def;
    def.prefix_length = 0;
    def.ifindex = nif.index;
    def.next_hop = router;
    def.origin = RouteOrigin::kDefaultRouter;
    if (ra->router_lifetime == 0) {
        routes_.remove(def);
    } else {
        def.expires = saturating_add(t, std::chrono::seconds(ra->router_lifetime));
        routes_.add(def);
    }
    for (wire::NdOption o : v->options()) {
        auto pio = o.prefix_info();
        if (!pio || pio->prefix.is_link_local() || pio->prefix_length > 128)
            continue;
        if (pio->flags & wire::PrefixInfo::kFlagOnLink) {
            Route r;
            r.prefix = pio->prefix;
            r.prefix_length = pio->prefix_length;
            r.ifindex = nif.index;
            r.origin = RouteOrigin::kPrefixOnLink;
            if (pio->valid_lifetime == 0) {
                routes_.remove(r);
            } else {
                r.expires = lifetime_end(t, pio->valid_lifetime);
                routes_.add(r);
            }
        }
        if (nif.config.slaac && (pio->flags & wire::PrefixInfo::kFlagAutonomous))
            slaac(nif, *pio);
    }
}

void Stack::slaac(Netif &nif, const wire::PrefixInfo &pio) {
    // RFC 4862 5.5.3.
    if (pio.preferred_lifetime > pio.valid_lifetime || pio.prefix_length != 64)
        return;  // (c), and (d): the interface identifier is 64 bits on Ethernet
    wire::Ip6Address ll;
    for (const auto &a : nif.addresses)
        if (a.address.is_link_local())
            ll = a.address;
    if (ll.is_unspecified())
        return;
    const wire::Ip6Address addr = wire::Ip6Address::from_prefix_iid(pio.prefix, ll.iid());
    const Instant t = now();
    NetifAddress *a = nif.find_address(addr);
    if (!a) {
        if (pio.valid_lifetime == 0)
            return;
        NetifAddress n;
        n.address = addr;
        n.prefix_length = 64;
        n.autoconf = true;
        n.preferred_until = lifetime_end(t, pio.preferred_lifetime);
        n.valid_until = lifetime_end(t, pio.valid_lifetime);
        add_address_entry(nif, n, false);
        return;
    }
    if (!a->autoconf)
        return;
    a->preferred_until = lifetime_end(t, pio.preferred_lifetime);
    if (a->state == AddressState::kDeprecated && pio.preferred_lifetime != 0)
        a->state = AddressState::kPreferred;
    // (e): the two-hour rule against a forged short lifetime.
    const Instant received = lifetime_end(t, pio.valid_lifetime);
    const Duration remaining = a->valid_until == kNever ? Duration::max() : a->valid_until - t;
    if (received == kNever || std::chrono::seconds(pio.valid_lifetime) > kTwoHours ||
        received > a->valid_until)
        a->valid_until = received;
    else if (remaining <= kTwoHours)
        ;  // ignore
    else
        a->valid_until = saturating_add(t, kTwoHours);
}

void Stack::on_redirect(Netif &nif, const wire::Ip6View &ip, const wire::Ip6Address &target,
                        const wire::Ip6Address &destination, const LinkAddress *tllao) {
    if (config_.forwarding)
        return;
    // RFC 4861 8.1: only the current first-hop router for the destination may redirect.
    const Route *cur = routes_.lookup(destination);
    if (!cur || cur->on_link() || cur->next_hop != ip.src() || cur->ifindex != nif.index)
        return;
    Route host;
    host.prefix = destination;
    host.prefix_length = 128;
    host.ifindex = nif.index;
    host.origin = RouteOrigin::kRedirect;
    const bool to_router = target != destination;
    if (to_router)
        host.next_hop = target;
    routes_.add(host);
    if (tllao)
        nif.neighbors.on_link_address(target, *tllao, now(), to_router);
}

// ---- Addresses and DAD -----------------------------------------------------------------------

void Stack::add_address_entry(Netif &nif, NetifAddress a, bool skip_dad) {
    a.state = AddressState::kTentative;
    nif.addresses.push_back(a);
    NetifAddress &x = nif.addresses.back();
    join(nif, wire::Ip6Address::solicited_node(x.address), true);
    if (skip_dad || nif.config.dad_transmits == 0)
        address_ready(nif, x);
    else
        start_dad(nif, x);
}

void Stack::remove_address_entry(Netif &nif, const wire::Ip6Address &address) {
    for (auto it = nif.addresses.begin(); it != nif.addresses.end(); ++it) {
        if (it->address != address)
            continue;
        const bool joined = it->state != AddressState::kDuplicate;
        const bool autoconf = it->autoconf;
        const std::uint8_t len = it->prefix_length;
        nif.addresses.erase(it);
        if (joined)
            leave(nif, wire::Ip6Address::solicited_node(address));
        if (!autoconf) {
            Route r;
            r.prefix = address;
            r.prefix_length = len;
            r.ifindex = nif.index;
            r.origin = RouteOrigin::kConnected;
            routes_.remove_if([&](const Route &x) {
                return x.origin == RouteOrigin::kConnected && x.same_key(r) && [&] {
                    for (const auto &o : nif.addresses)
                        if (o.address.matches_prefix(x.prefix, x.prefix_length))
                            return false;
                    return true;
                }();
            });
        }
        return;
    }
}

void Stack::start_dad(Netif &nif, NetifAddress &a) {
    // RFC 4862 5.4.2: a random delay before the first NS, then DupAddrDetectTransmits NSs
    // RetransTimer apart.
    a.state = AddressState::kTentative;
    a.dad_sent = 0;
    a.dad_deadline = saturating_add(now(), random_delay(kMaxRtrSolicitationDelay));
}

void Stack::address_ready(Netif &nif, NetifAddress &a) {
    a.state = a.preferred_until <= now() ? AddressState::kDeprecated : AddressState::kPreferred;
    a.dad_deadline = kNever;
    if (a.address.is_link_local() && !config_.forwarding && nif.config.accept_ra && !nif.ra_seen &&
        nif.config.max_rtr_solicitations > 0) {
        // RFC 4861 6.3.7: solicit routers once a link-local source exists.
        nif.rs_sent = 0;
        nif.rs_at = saturating_add(now(), random_delay(kMaxRtrSolicitationDelay));
    }
}

void Stack::dad_failed(Netif &nif, const wire::Ip6Address &address) {
    NetifAddress *a = nif.find_address(address);
    if (!a || a->state != AddressState::kTentative)
        return;
    ++stats_.dad_failures;
    a->state = AddressState::kDuplicate;
    a->dad_deadline = kNever;
    leave(nif, wire::Ip6Address::solicited_node(address));
    // RFC 4862 5.4.5: a duplicate hardware-derived link-local address disables IP.
    if (address.is_link_local())
        nif.disabled = true;
}

// ---- MLD (RFC 3810, host part) ------------------------------------------------------------------

void Stack::join(Netif &nif, const wire::Ip6Address &group, bool report) {
    GroupMembership &g = nif.groups[group];
    if (g.users++ != 0 || !report || !reportable(group))
        return;
    // 6.1: an unsolicited report now, repeated Robustness - 1 times.
    g.state_change = true;
    g.unsolicited_left = kRobustness;
    g.report_at = now();
}

void Stack::leave(Netif &nif, const wire::Ip6Address &group, bool report) {
    auto it = nif.groups.find(group);
    if (it == nif.groups.end())
        return;
    if (--it->second.users != 0)
        return;
    nif.groups.erase(it);
    if (report && reportable(group) && nif.up && !nif.disabled)
        send_mld_report(nif, {group}, wire::MldRecordType::kChangeToInclude);
}

void Stack::send_mld_report(Netif &nif, const std::vector<wire::Ip6Address> &groups,
                            std::uint8_t record_type) {
    // RFC 3810 5.2.13, 5.2.14: from a link-local address (or :: before one exists), hop limit 1,
    // Router Alert (RFC 2711 value 0) in a hop-by-hop header.
    static constexpr std::uint8_t kHbh[8] = {0, 0, 5, 2, 0, 0, 1, 0};
    const wire::Ip6Address src = link_local(nif.index);
    const wire::Ip6Address dst = wire::Ip6Address::all_mldv2_routers();
    for (std::size_t i = 0; i < groups.size(); i += wire::MldMessage::kMaxRecords) {
        wire::MldMessage m;
        m.type = wire::MldType::kV2Report;
        for (std::size_t j = i; j < groups.size() && m.record_count < wire::MldMessage::kMaxRecords;
             ++j) {
            wire::MldRecord &r = m.records[m.record_count++];
            r.type = record_type;
            r.group = groups[j];
        }
        auto b = allocate(m.emitted_size());
        if (!b)
            return;
        if (!m.emit(b->mutable_data(), wire::PseudoHeader{src, dst}))
            return;
        ++stats_.mld_reports_sent;
        (void)output(std::move(*b), OutputRoute{nif.index, dst, src}, dst, wire::IpProto::kIcmp6, 1,
                     ByteSpan(kHbh));
    }
}

Stack::Verdict Stack::input_mld(Netif &nif, const wire::Ip6View &ip, ByteSpan msg) {
    auto m = wire::MldMessage::parse(msg);
    if (!m)
        return drop(StackDrop::kIcmpInvalid);
    if (m->type != wire::MldType::kQuery)
        return Verdict::kDelivered;  // other listeners' reports: nothing for a host to do
    if (!ip.src().is_link_local() || ip.hop_limit() != 1)
        return drop(StackDrop::kIcmpInvalid);  // RFC 3810 5.1.14
    const Duration max_delay = std::chrono::milliseconds(m->max_response_delay_ms());
    const Instant t = now();
    for (auto &kv : nif.groups) {
        if (!reportable(kv.first))
            continue;
        if (!m->group.is_unspecified() && m->group != kv.first)
            continue;
        const Instant at = saturating_add(t, random_delay(max_delay));
        if (at < kv.second.report_at)
            kv.second.report_at = at;
    }
    return Verdict::kDelivered;
}

// ---- Interface timers
// ----------------------------------------------------------------------------

Instant Stack::netif_deadline(const Netif &nif) const {
    Instant next = kNever;
    auto fold = [&next](Instant t) {
        if (t < next)
            next = t;
    };
    if (!nif.up)
        return next;
    for (const auto &a : nif.addresses) {
        if (a.state == AddressState::kTentative)
            fold(a.dad_deadline);
        if (a.state == AddressState::kPreferred)
            fold(a.preferred_until);
        if (a.state != AddressState::kDuplicate)
            fold(a.valid_until);
    }
    if (nif.disabled)
        return next;  // no RS, RA or MLD from a disabled interface (poll_netif skips them)
    if (!nif.ra_seen)
        fold(nif.rs_at);
    fold(nif.ra_at);
    for (const auto &kv : nif.groups)
        fold(kv.second.report_at);
    return next;
}

void Stack::poll_netif(Netif &nif, Instant t) {
    if (!nif.up)
        return;
    // DAD and lifetimes. Work on addresses by value: the callbacks may change the vector.
    std::vector<wire::Ip6Address> expired;
    for (auto &a : nif.addresses) {
        if (a.state == AddressState::kTentative && a.dad_deadline <= t) {
            if (a.dad_sent < nif.config.dad_transmits) {
                ++a.dad_sent;
                a.dad_deadline = saturating_add(t, nif.retrans_timer);
                const wire::Ip6Address target = a.address;
                send_ns(nif, target, nullptr, true);
            } else {
                address_ready(nif, a);
            }
        }
        if (a.state == AddressState::kPreferred && a.preferred_until <= t)
            a.state = AddressState::kDeprecated;
        if (a.state != AddressState::kDuplicate && a.valid_until <= t)
            expired.push_back(a.address);
    }
    for (const auto &x : expired)
        remove_address_entry(nif, x);
    if (nif.disabled)
        return;
    // Router solicitation (RFC 4861 6.3.7).
    if (!nif.ra_seen && nif.rs_at <= t) {
        send_rs(nif);
        ++nif.rs_sent;
        nif.rs_at = nif.rs_sent < nif.config.max_rtr_solicitations
                        ? saturating_add(t, kRtrSolicitationInterval)
                        : kNever;
    }
    // Router advertisement (6.2.4).
    if (nif.ra_at <= t) {
        send_ra(nif, wire::Ip6Address::all_nodes_link_local());
        ++nif.ra_sent;
        const Duration span = nif.config.max_rtr_adv_interval - nif.config.min_rtr_adv_interval;
        Duration next = nif.config.min_rtr_adv_interval + random_delay(span);
        if (nif.ra_sent < kMaxInitialRtrAdvertisements && next > kMaxInitialRtrAdvertInterval)
            next = kMaxInitialRtrAdvertInterval;
        nif.ra_at = saturating_add(t, next);
    }
    // MLD reports due now, batched: state changes and query answers.
    std::vector<wire::Ip6Address> changes, current;
    for (auto &kv : nif.groups) {
        GroupMembership &g = kv.second;
        if (g.report_at > t)
            continue;
        if (g.state_change && g.unsolicited_left > 0) {
            changes.push_back(kv.first);
            if (--g.unsolicited_left > 0) {
                g.report_at = saturating_add(t, random_delay(kUnsolicitedReportInterval));
                continue;
            }
            g.state_change = false;
        } else {
            current.push_back(kv.first);
        }
        g.report_at = kNever;
    }
    if (!changes.empty())
        send_mld_report(nif, changes, wire::MldRecordType::kChangeToExclude);
    if (!current.empty())
        send_mld_report(nif, current, wire::MldRecordType::kModeIsExclude);
}

}  // namespace meshwork::stack
