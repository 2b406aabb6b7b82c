// 6LoWPAN-ND (RFC 6775, RFC 8505): see SixLowpanNd.h and docs/nd.md.
#include "SixLowpanNd.h"

#include <algorithm>
#include <cstring>

#include "wire/Icmp6.h"

namespace meshwork::nd {

using wire::Ip6Address;
using wire::MacAddress;
using wire::NdAddressRegistration;
namespace Type = wire::Icmp6Type;

namespace {

constexpr std::uint8_t kNdHopLimit = 255;    // RFC 4861 6.1, 7.1
constexpr std::uint8_t kMultihopLimit = 64;  // MULTIHOP_HOPLIMIT (RFC 6775 9)
constexpr std::size_t kMessageMax = 768;     // an RA with 16 6COs fits

Instant add_minutes(Instant t, std::uint32_t minutes) {
    return t + std::chrono::minutes(minutes);
}

Instant add_seconds_or_never(Instant t, std::uint32_t seconds) {
    return seconds == 0xffffffff ? kNever : t + std::chrono::seconds(seconds);
}

std::uint32_t remaining_seconds(Instant until, Instant now) {
    if (until == kNever)
        return 0xffffffff;
    if (until <= now)
        return 0;
    const auto s = std::chrono::duration_cast<std::chrono::seconds>(until - now).count();
    return s >= 0xffffffff ? 0xfffffffe : static_cast<std::uint32_t>(s);
}

std::uint16_t remaining_minutes(Instant until, Instant now) {
    if (until == kNever)
        return 0xffff;
    if (until <= now)
        return 0;
    const auto m = std::chrono::duration_cast<std::chrono::minutes>(until - now).count();
    return m >= 0xffff ? 0xffff : static_cast<std::uint16_t>(m < 1 ? 1 : m);
}

NdRovr rovr_of(const std::uint8_t *bytes, std::uint8_t size) {
    NdRovr r;
    r.size = size > sizeof(r.bytes) ? sizeof(r.bytes) : size;
    std::memcpy(r.bytes, bytes, r.size);
    return r;
}

/// The MAC address an 802.15.4 SLLAO names (RFC 4944 8): an EUI-64 in a 2-unit option, a
/// short address in a 1-unit one.
std::optional<MacAddress> mac_of_lla(const wire::NdLinkLayerAddress &a) {
    if (a.address.size >= 14)
        return MacAddress::from_eui64(a.address.data);
    if (a.address.size == 6) {
        const std::uint16_t s = static_cast<std::uint16_t>(a.address[0] << 8 | a.address[1]);
        if (s == MacAddress::kBroadcastShort || s == MacAddress::kNoShortAddress)
            return std::nullopt;
        return MacAddress::from_short(s);
    }
    return std::nullopt;
}

/// The link-local address a MAC address derives (RFC 4944 6), for NAs carrying a refusal:
/// the registration did not happen, so only the derived address is resolvable (RFC 6775 6.5.2).
Ip6Address link_local_of(const MacAddress &m) {
    if (m.mode == wire::MacAddrMode::kShort)
        return Ip6Address::link_local(wire::Ip6Iid::from_short_address(m.short_address));
    std::uint8_t eui[8];
    m.to_eui64(eui);
    return Ip6Address::link_local(wire::Ip6Iid::from_eui64(eui));
}

}  // namespace

bool NdRovr::operator==(const NdRovr &o) const {
    return size == o.size && std::memcmp(bytes, o.bytes, size) == 0;
}

const char *nd_state_name(NdState s) {
    switch (s) {
        case NdState::kStopped:
            return "stopped";
        case NdState::kSoliciting:
            return "soliciting";
        case NdState::kRegistering:
            return "registering";
        case NdState::kRegistered:
            return "registered";
        case NdState::kDuplicate:
            return "duplicate";
        case NdState::kNeighborCacheFull:
            return "neighbor-cache-full";
        case NdState::kRefused:
            return "refused";
    }
    return "?";
}

const char *drop_reason_name(NdDrop r) {
    switch (r) {
        case NdDrop::kMalformed:
            return "malformed";
        case NdDrop::kHopLimit:
            return "hop-limit";
        case NdDrop::kBadSource:
            return "bad-source";
        case NdDrop::kNoSllao:
            return "no-sllao";
        case NdDrop::kWrongRole:
            return "wrong-role";
        case NdDrop::kUnexpected:
            return "unexpected";
        case NdDrop::kStaleAbro:
            return "stale-abro";
        case NdDrop::kNotReady:
            return "not-ready";
        case NdDrop::kSendFailed:
            return "send-failed";
        case NdDrop::kCount:
            break;
    }
    return "?";
}

SixLowpanNd::SixLowpanNd(stack::Stack &stack, stack::IfIndex ifindex,
                         lowpan::LowpanAdaptation &lowpan, const Clock &clock, Random &random,
                         NdConfig config)
    : stack_(stack),
      ifindex_(ifindex),
      lowpan_(lowpan),
      clock_(clock),
      random_(random),
      cfg_(std::move(config)) {
    if (cfg_.refresh_max_percent > 100)
        cfg_.refresh_max_percent = 100;
    if (cfg_.refresh_min_percent > cfg_.refresh_max_percent)
        cfg_.refresh_min_percent = cfg_.refresh_max_percent;
    if (cfg_.ns_max_tries == 0)
        cfg_.ns_max_tries = 1;
    if (cfg_.dar_max_tries == 0)
        cfg_.dar_max_tries = 1;
}

SixLowpanNd::~SixLowpanNd() {
    if (running_) {
        // Only the hooks into objects that outlive us: no messages from a destructor.
        for (std::uint8_t t : {Type::kRouterSolicitation, Type::kRouterAdvertisement,
                               Type::kNeighborSolicitation, Type::kNeighborAdvertisement,
                               Type::kDuplicateAddressRequest, Type::kDuplicateAddressConfirmation})
            stack_.set_icmp_handler(t, nullptr);
        lowpan_.set_resolver(nullptr);
    }
}

stack::NetifConfig SixLowpanNd::netif_config(stack::NetifConfig base) {
    base.dad_transmits = 0;          // DAD is by registration (RFC 6775 5.5)
    base.max_rtr_solicitations = 0;  // RS is ours (RFC 6775 5.3)
    base.accept_ra = false;
    base.slaac = false;
    base.advertise = false;
    return base;
}

// ---- Life cycle -------------------------------------------------------------------------------

void SixLowpanNd::start() {
    if (running_)
        return;
    running_ = true;
    for (std::uint8_t t : {Type::kRouterSolicitation, Type::kRouterAdvertisement,
                           Type::kNeighborSolicitation, Type::kNeighborAdvertisement,
                           Type::kDuplicateAddressRequest, Type::kDuplicateAddressConfirmation})
        stack_.set_icmp_handler(t, [this](stack::IfIndex i, const wire::Ip6View &ip, ByteSpan m) {
            return on_icmp(i, ip, m);
        });
    if (serving()) {
        lowpan_.set_resolver([this](const Ip6Address &a) { return resolve(a); });
        (void)stack_.join_group(ifindex_, Ip6Address::all_routers_link_local());  // for RSs
    }
    if (cfg_.role == NdRole::kBorderRouter) {
        build_br_info();
        apply_contexts({});
        ensure_global();
        registry_.upsert(global_, {global_, own_rovr(), kNever});
        set_state(NdState::kRegistered);
    } else {
        start_soliciting();
    }
    if (serving() && cfg_.periodic_ra_interval > Duration::zero())
        periodic_ra_at_ = now() + cfg_.periodic_ra_interval;
}

void SixLowpanNd::stop() {
    if (!running_)
        return;
    if (has_upstream() && (state_ == NdState::kRegistered) && !router_.is_unspecified())
        send_registration(0);  // deregistration (RFC 6775 5.5.3 / RFC 8505 5.1), best effort
    while (!regs_.empty())
        remove_registration(regs_.size() - 1);
    registry_.clear();
    remove_default_route();
    drop_global();
    for (const auto &c : info_.contexts)
        (void)lowpan_.clear_context(c.ctx.cid());
    info_ = {};
    candidates_.clear();
    router_ = {};
    rs_at_ = ns_at_ = info_refresh_ = periodic_ra_at_ = registration_expires_ = kNever;
    pending_ras_.clear();
    waiting_rs_.clear();
    was_advertising_ = false;
    probe_at_ = kNever;
    for (std::uint8_t t : {Type::kRouterSolicitation, Type::kRouterAdvertisement,
                           Type::kNeighborSolicitation, Type::kNeighborAdvertisement,
                           Type::kDuplicateAddressRequest, Type::kDuplicateAddressConfirmation})
        stack_.set_icmp_handler(t, nullptr);
    lowpan_.set_resolver(nullptr);
    if (serving())
        (void)stack_.leave_group(ifindex_, Ip6Address::all_routers_link_local());
    running_ = false;
    set_state(NdState::kStopped);
}

void SixLowpanNd::set_state(NdState s) {
    if (s == state_)
        return;
    state_ = s;
    advertising_changed();
    if (state_listener_)
        state_listener_(s);
}

void SixLowpanNd::router_link(bool acked) {
    if (!running_ || cfg_.router_probe_interval <= Duration::zero() ||
        state_ != NdState::kRegistered)
        return;
    const Instant t = now();
    if (acked) {
        const auto spread = static_cast<std::uint32_t>(
            std::min<std::int64_t>((cfg_.router_probe_interval / 10).count(), 0xffffffff));
        probe_at_ = t + cfg_.router_probe_interval + Duration(random_.uniform(spread + 1));
    } else {
        probe_at_ = std::min(probe_at_, t + cfg_.router_probe_retry);
    }
}

void SixLowpanNd::set_upstream_ready(bool ready) {
    upstream_ready_ = ready;
    advertising_changed();
}

void SixLowpanNd::advertising_changed() {
    const bool now_advertising = running_ && advertising();
    if (now_advertising && !was_advertising_) {
        // Now able to serve: the routers that asked too early first (unicast: the MAC retries
        // it), then one multicast RA for anyone else around.
        for (const auto &w : waiting_rs_)
            schedule_ra(w);
        waiting_rs_.clear();
        const auto all = Ip6Address::all_nodes_link_local();
        if (cfg_.role == NdRole::kRouter && cfg_.initial_ra &&
            std::none_of(pending_ras_.begin(), pending_ras_.end(),
                         [&](const PendingRa &p) { return p.dst == all; }))
            pending_ras_.push_back({all, ra_time()});
    }
    was_advertising_ = now_advertising;
}

// ---- Timers -----------------------------------------------------------------------------------

Instant SixLowpanNd::next_deadline() const {
    if (!running_)
        return kNever;
    Instant next = std::min({rs_at_, ns_at_, info_refresh_, periodic_ra_at_, probe_at_});
    for (const auto &p : pending_ras_)
        next = std::min(next, p.at);
    for (const auto &r : regs_)
        next = std::min({next, r.expires, r.dar_at});
    next = std::min(next, registry_.next_expiry());
    return next;
}

void SixLowpanNd::poll() {
    if (!running_)
        return;
    const Instant t = now();
    if (rs_at_ <= t) {
        rs_at_ = kNever;
        if (state_ == NdState::kSoliciting || state_ == NdState::kNeighborCacheFull) {
            if (state_ == NdState::kNeighborCacheFull) {
                set_state(NdState::kSoliciting);
                for (auto &c : candidates_)
                    c.failed = false;
            }
            // A router waiting for its preferred router asks that one alone: a multicast RS
            // in a dense mesh brings an RA from every registered router around. With none
            // chosen yet it does not ask at all: set_preferred_router() starts it.
            if (!cfg_.wait_for_preferred || preferred_) {
                send_rs(cfg_.wait_for_preferred ? *preferred_
                                                : Ip6Address::all_routers_link_local());
                ++rs_count_;
                // RFC 6775 5.3: the first RSs at RTR_SOLICITATION_INTERVAL, then binary
                // exponential backoff truncated to MAX_RTR_SOLICITATION_INTERVAL.
                Duration d = cfg_.rs_interval;
                for (unsigned i = cfg_.rs_initial_count; i < rs_count_ && d < cfg_.rs_max_interval;
                     ++i)
                    d *= 2;
                rs_at_ = t + std::min(d, cfg_.rs_max_interval);
            }
        }
    }
    expire_info(t);
    if (probe_at_ <= t) {
        probe_at_ = kNever;
        if (state_ == NdState::kRegistered && !router_.is_unspecified() && !refreshing_) {
            send_rs(router_);  // its MAC ack (router_link) says the router is there
            probe_at_ = t + cfg_.router_probe_interval;
        }
    }
    if (info_refresh_ <= t) {
        // Before prefix / context / ABRO information runs out, ask the router again (RFC 6775
        // 5.3: unicast RS to refresh).
        info_refresh_ = kNever;
        send_rs(router_.is_unspecified() ? Ip6Address::all_routers_link_local() : router_);
    }
    if (ns_at_ <= t) {
        ns_at_ = kNever;
        if (state_ == NdState::kRegistered && !refreshing_) {
            refreshing_ = true;  // the refresh point: re-register
            ns_tries_ = 0;
        }
        if (state_ == NdState::kRegistering || refreshing_)
            registration_timeout();
    }
    if (registration_expires_ <= t) {
        registration_expires_ = kNever;  // the router never confirmed a refresh in time
        if (state_ == NdState::kRegistered)
            next_router();
    }
    if (periodic_ra_at_ <= t) {
        periodic_ra_at_ = t + cfg_.periodic_ra_interval;
        if (!info_.empty() && advertising())
            send_ra(Ip6Address::all_nodes_link_local());
    }
    for (std::size_t i = 0; i < pending_ras_.size();) {
        if (pending_ras_[i].at > t) {
            ++i;
            continue;
        }
        const Ip6Address dst = pending_ras_[i].dst;
        pending_ras_.erase(pending_ras_.begin() + static_cast<std::ptrdiff_t>(i));
        if (!info_.empty() && advertising())
            send_ra(dst);
    }
    for (std::size_t i = regs_.size(); i-- > 0;) {
        NdRegistration &r = regs_[i];
        if (r.expires <= t) {
            remove_registration(i);
            continue;
        }
        if (r.dar_at <= t) {
            r.dar_at = kNever;
            if (r.dar_tries >= cfg_.dar_max_tries) {
                if (r.state == NdRegState::kTentative)
                    remove_registration(i);  // no 6LBR answer: the host will try again
                else
                    r.refreshing = false;
                continue;
            }
            send_dar(r);
        }
    }
    registry_.expire(t);
}

// ---- Input ------------------------------------------------------------------------------------

bool SixLowpanNd::on_icmp(stack::IfIndex ifindex, const wire::Ip6View &ip, ByteSpan msg) {
    if (ifindex != ifindex_ || !running_)
        return false;
    auto v = wire::NdView::parse(msg);
    if (!v) {
        drops_.count(NdDrop::kMalformed);
        return true;
    }
    const std::uint8_t type = v->type();
    if (type == Type::kDuplicateAddressRequest || type == Type::kDuplicateAddressConfirmation) {
        auto d = v->duplicate_address();
        if (type == Type::kDuplicateAddressRequest)
            on_dar(ip, *d);
        else
            on_dac(*d);
        return true;
    }
    auto aro = v->options().aro();
    if ((type == Type::kNeighborSolicitation || type == Type::kNeighborAdvertisement) && !aro)
        return false;  // plain NUD / resolution: the stack's
    if (ip.hop_limit() != kNdHopLimit) {
        drops_.count(NdDrop::kHopLimit);
        return true;
    }
    switch (type) {
        case Type::kRouterSolicitation:
            on_rs(ip, *v);
            break;
        case Type::kRouterAdvertisement:
            on_ra(ip, *v);
            break;
        case Type::kNeighborSolicitation:
            on_ns(ip, *v, *aro);
            break;
        case Type::kNeighborAdvertisement:
            on_na(ip, *v);
            break;
        default:
            return false;  // Redirect: the stack's
    }
    return true;
}

// ---- Host part --------------------------------------------------------------------------------

void SixLowpanNd::start_soliciting(bool restart_backoff) {
    refreshing_ = false;
    ns_at_ = kNever;
    if (restart_backoff)
        rs_count_ = 0;
    set_state(NdState::kSoliciting);
    const auto max_us =
        static_cast<std::uint32_t>(std::min<std::int64_t>(cfg_.rs_max_delay.count(), 0xffffffff));
    rs_at_ = now() + Duration(random_.uniform(max_us + 1));
}

void SixLowpanNd::send_rs(const Ip6Address &dst) {
    const Ip6Address src = stack_.link_local(ifindex_);
    std::uint8_t buf[64];
    std::uint8_t eui[8];
    mac_eui64(eui);
    wire::NdWriter w(MutableByteSpan(buf, sizeof buf), wire::NdRouterSolicitation{});
    if (!src.is_unspecified())
        w.add_sllao(wire::NdLinkLayerAddress::from(ByteSpan(eui, 8)));  // RFC 6775 5.3
    auto m = w.finish(wire::PseudoHeader{src, dst});
    if (m && send(dst, src, dst, *m, kNdHopLimit))
        ++stats_.rs_sent;
}

bool SixLowpanNd::take_info(const wire::NdView &v) {
    const Instant t = now();
    auto abro = v.options().abro();
    bool newer = false;
    if (abro) {
        if (info_.abro && info_.abro->address == abro->address &&
            abro->version < info_.abro->version) {
            drops_.count(NdDrop::kStaleAbro);
            return false;
        }
        newer = !info_.abro || info_.abro->address != abro->address ||
                abro->version > info_.abro->version;
    } else if (info_.abro) {
        newer = false;  // information without an ABRO only refreshes what we hold
    } else {
        newer = info_.empty();
    }
    const std::vector<NdInfo::Context> old = info_.contexts;
    if (newer) {
        // RFC 6775 4.3: a newer version replaces the prefix and context information.
        info_.prefixes.clear();
        info_.contexts.clear();
        if (abro)
            ++stats_.abro_updates;
    }
    if (abro) {
        info_.abro = *abro;
        info_.abro_expires = add_minutes(t, abro->valid_lifetime ? abro->valid_lifetime : 10000);
    }
    for (auto o : v.options()) {
        if (auto p = o.prefix_info()) {
            NdInfo::Prefix np{*p, add_seconds_or_never(t, p->valid_lifetime),
                              add_seconds_or_never(t, p->preferred_lifetime)};
            np.pio.prefix = p->prefix.masked(p->prefix_length);
            auto it = std::find_if(info_.prefixes.begin(), info_.prefixes.end(), [&](auto &x) {
                return x.pio.prefix == np.pio.prefix && x.pio.prefix_length == p->prefix_length;
            });
            if (p->valid_lifetime == 0) {
                if (it != info_.prefixes.end())
                    info_.prefixes.erase(it);
            } else if (it != info_.prefixes.end()) {
                // The same version's information from any router: keep the longest
                // lifetimes, or a neighbour's ageing copy would shorten ours (the copies age
                // down the mesh, each router passing on what remains of its own).
                np.valid_until = std::max(np.valid_until, it->valid_until);
                np.preferred_until = std::max(np.preferred_until, it->preferred_until);
                *it = np;
            } else {
                info_.prefixes.push_back(np);
            }
        } else if (auto c = o.context()) {
            auto it = std::find_if(info_.contexts.begin(), info_.contexts.end(),
                                   [&](auto &x) { return x.ctx.cid() == c->cid(); });
            if (c->valid_lifetime == 0) {
                if (it != info_.contexts.end())
                    info_.contexts.erase(it);
            } else {
                NdInfo::Context nc{*c, add_minutes(t, c->valid_lifetime)};
                if (it != info_.contexts.end()) {
                    nc.expires = std::max(nc.expires, it->expires);  // as for prefixes
                    *it = nc;
                } else
                    info_.contexts.push_back(nc);
            }
        }
    }
    apply_contexts(old);
    info_refresh_ = info_refresh_at();
    return newer && abro;
}

void SixLowpanNd::expire_info(Instant t) {
    // Information whose lifetime ended is gone (RFC 6775 4.2: a context past its valid
    // lifetime is not used; RFC 4861 6.3.4 for prefixes).
    if (cfg_.role == NdRole::kBorderRouter)
        return;
    const std::vector<NdInfo::Context> old = info_.contexts;
    const auto before = info_.prefixes.size() + info_.contexts.size();
    info_.prefixes.erase(std::remove_if(info_.prefixes.begin(), info_.prefixes.end(),
                                        [t](const auto &p) { return p.valid_until <= t; }),
                         info_.prefixes.end());
    info_.contexts.erase(std::remove_if(info_.contexts.begin(), info_.contexts.end(),
                                        [t](const auto &c) { return c.expires <= t; }),
                         info_.contexts.end());
    if (info_.prefixes.size() + info_.contexts.size() != before)
        apply_contexts(old);
}

void SixLowpanNd::apply_contexts(const std::vector<NdInfo::Context> &old) {
    const Instant t = now();
    for (const auto &o : old)
        if (std::none_of(info_.contexts.begin(), info_.contexts.end(),
                         [&](auto &c) { return c.ctx.cid() == o.ctx.cid(); }))
            (void)lowpan_.clear_context(o.ctx.cid());
    for (const auto &c : info_.contexts) {
        const Duration life = c.expires == kNever ? Duration::max() : c.expires - t;
        if (life <= Duration::zero())
            continue;
        (void)lowpan_.set_context(c.ctx.cid(), c.ctx.prefix, c.ctx.context_length,
                                  c.ctx.compression(), life);
    }
}

Instant SixLowpanNd::info_refresh_at() const {
    if (cfg_.role == NdRole::kBorderRouter)
        return kNever;
    const Instant t = now();
    Instant first = info_.abro_expires > t ? info_.abro_expires : kNever;
    for (const auto &p : info_.prefixes)
        if (p.valid_until > t)
            first = std::min(first, p.valid_until);
    for (const auto &c : info_.contexts)
        if (c.expires > t)
            first = std::min(first, c.expires);
    if (first == kNever)
        return kNever;
    // Well before the first lifetime ends, and never more often than RSs are retransmitted
    // (a lifetime about to end must not turn into an RS at every step).
    return t + std::max<Duration>((first - t) * 9 / 10, cfg_.rs_interval);
}

void SixLowpanNd::on_ra(const wire::Ip6View &ip, const wire::NdView &v) {
    ++stats_.ra_received;
    if (cfg_.role == NdRole::kBorderRouter) {
        drops_.count(NdDrop::kWrongRole);  // the 6LBR is the source of the information
        return;
    }
    if (!ip.src().is_link_local()) {
        drops_.count(NdDrop::kBadSource);
        return;
    }
    const bool was_empty = info_.empty();
    const bool newer = take_info(v);
    if (info_.empty())
        return;
    if (advertising() && newer && !was_empty && cfg_.announce_changes)
        send_ra(Ip6Address::all_nodes_link_local());  // pass the new version on
    if (newer && global_installed_) {
        // The prefix may have changed with the version: keep the address only if still ours.
        const bool still = std::any_of(info_.prefixes.begin(), info_.prefixes.end(), [&](auto &p) {
            return global_.matches_prefix(p.pio.prefix, p.pio.prefix_length);
        });
        if (!still) {
            remove_default_route();
            drop_global();
            if (state_ == NdState::kRegistered || state_ == NdState::kRegistering)
                begin_registration(router_);
        }
    }
    const Ip6Address from = ip.src();
    if (v.ra()->router_lifetime == 0)
        return;  // not a default router candidate
    if (std::none_of(candidates_.begin(), candidates_.end(),
                     [&](auto &c) { return c.address == from; }))
        candidates_.push_back({from, false});
    if (state_ == NdState::kSoliciting) {
        // Any router with information will do for now; the preferred router's RA, when it
        // comes, moves the registration (below). A router told to wait registers only with
        // its preferred router (its RPL parent): a registration elsewhere would be moved at
        // once, a second NS and DAR across the mesh.
        if (cfg_.wait_for_preferred && (!preferred_ || *preferred_ != from))
            return;
        rs_at_ = kNever;
        begin_registration(from);
    } else if (preferred_ && *preferred_ == from && router_ != from &&
               state_ != NdState::kDuplicate && state_ != NdState::kRefused) {
        remove_default_route();
        begin_registration(from);
    }
}

void SixLowpanNd::ensure_global() {
    if (global_installed_)
        return;
    const NdInfo::Prefix *p = nullptr;
    for (const auto &x : info_.prefixes)
        if (x.pio.prefix_length == 64 && (cfg_.role == NdRole::kBorderRouter ||
                                          (x.pio.flags & wire::PrefixInfo::kFlagAutonomous))) {
            p = &x;
            break;
        }
    if (!p)
        return;
    wire::Ip6Iid iid;
    if (cfg_.interface_id) {
        iid = *cfg_.interface_id;
    } else {
        std::uint8_t eui[8];
        mac_eui64(eui);
        iid = wire::Ip6Iid::from_eui64(eui);
    }
    global_ = Ip6Address::from_prefix_iid(p->pio.prefix, iid);
    // A /128: in a route-over 6LoWPAN the prefix is not on-link (RFC 6775 5.4); no DAD, the
    // registration is the duplicate check.
    if (stack_.add_address(ifindex_, global_, 128, true))
        global_installed_ = true;
}

void SixLowpanNd::drop_global() {
    if (global_installed_)
        (void)stack_.remove_address(ifindex_, global_);
    global_installed_ = false;
    global_ = {};
}

void SixLowpanNd::install_default_route() {
    remove_default_route();
    stack::Route r;
    r.ifindex = ifindex_;
    r.next_hop = router_;
    r.origin = stack::RouteOrigin::kDefaultRouter;
    // A routing protocol's default route (a 6LR's RPL parent, metric 0) wins: the router a
    // 6LR registered with may be a sibling or a child in the DODAG, where upward packets would
    // meet RPL's rank check (RFC 6550 11.2) and be dropped as looping.
    r.metric = kDefaultRouteMetric;
    stack_.routes().add(r);
    default_route_ = true;
}

void SixLowpanNd::remove_default_route() {
    if (!default_route_)
        return;
    stack_.routes().remove_if([this](const stack::Route &r) {
        return r.prefix_length == 0 && r.ifindex == ifindex_ &&
               r.origin == stack::RouteOrigin::kDefaultRouter;
    });
    default_route_ = false;
}

void SixLowpanNd::begin_registration(const Ip6Address &router) {
    ensure_global();
    if (!global_installed_) {
        set_state(NdState::kSoliciting);  // no usable prefix yet
        if (rs_at_ == kNever)
            rs_at_ = now() + cfg_.rs_interval;
        return;
    }
    router_ = router;
    refreshing_ = false;
    ns_tries_ = 0;
    set_state(NdState::kRegistering);
    registration_timeout();  // sends the first NS
}

void SixLowpanNd::registration_timeout() {
    if (ns_tries_ >= cfg_.ns_max_tries) {
        // MAX_UNICAST_SOLICIT without an answer: the router is gone; try another one.
        for (auto &c : candidates_)
            if (c.address == router_)
                c.failed = true;
        next_router();
        return;
    }
    ++ns_tries_;
    send_registration(cfg_.registration_lifetime);
    // RFC 7048's exponential backoff of NS retransmissions: the answer to a first
    // registration waits for the router's DAR to reach the 6LBR and its DAC to come back, which
    // takes longer than RetransTimer in a deep or busy mesh.
    ns_at_ = now() + cfg_.ns_retrans * (1u << std::min(ns_tries_ - 1, cfg_.ns_backoff_doublings));
}

const SixLowpanNd::Candidate *SixLowpanNd::pick_candidate(const Ip6Address &except) const {
    // The preferred router (a router's RPL parent) when it is a usable candidate, else the
    // first usable one (none with wait_for_preferred: solicit again).
    const Candidate *any = nullptr;
    for (const auto &c : candidates_) {
        if (c.failed || c.address == except)
            continue;
        if (preferred_ && *preferred_ == c.address)
            return &c;
        if (!any)
            any = &c;
    }
    return cfg_.wait_for_preferred ? nullptr : any;
}

void SixLowpanNd::router_unreachable() {
    if (!running_ || router_.is_unspecified() ||
        (state_ != NdState::kRegistered && state_ != NdState::kRegistering))
        return;
    for (auto &c : candidates_)
        if (c.address == router_)
            c.failed = true;
    next_router();
}

void SixLowpanNd::next_router() {
    refreshing_ = false;
    ns_at_ = kNever;
    registration_expires_ = kNever;
    granted_lifetime_ = 0;
    remove_default_route();
    if (const Candidate *c = pick_candidate(router_)) {
        begin_registration(c->address);
        return;
    }
    // Nobody left: forget the routers and solicit again, the RS backoff carrying on (a
    // registration that keeps failing must not turn into an RS, and RAs, every few seconds).
    candidates_.clear();
    router_ = {};
    start_soliciting(false);
}

void SixLowpanNd::send_registration(std::uint16_t lifetime) {
    if (router_.is_unspecified() || global_.is_unspecified())
        return;
    std::uint8_t eui[8];
    mac_eui64(eui);
    NdAddressRegistration aro = NdAddressRegistration::aro(0, lifetime, eui);
    aro.flags = NdAddressRegistration::kFlagT;
    if (cfg_.role != NdRole::kHost)
        aro.flags |= NdAddressRegistration::kFlagR;
    aro.tid = ++tid_;  // RFC 8505 5.2: a new TID per registration attempt
    std::uint8_t buf[96];
    wire::NdWriter w(MutableByteSpan(buf, sizeof buf), wire::NdNeighborSolicitation{global_});
    w.add_sllao(wire::NdLinkLayerAddress::from(ByteSpan(eui, 8))).add(aro);
    // RFC 6775 5.5.1: the registered address is the source; RFC 8505 5.5 also puts it in the
    // target. Unicast to the router's link-local address (derived from its MAC).
    auto m = w.finish(wire::PseudoHeader{global_, router_});
    if (m && send(router_, global_, router_, *m, kNdHopLimit))
        ++stats_.ns_sent;
}

void SixLowpanNd::on_na(const wire::Ip6View &ip, const wire::NdView &v) {
    ++stats_.na_received;
    const auto aro = *v.options().aro();
    const Ip6Address target = v.na()->target;
    const NdRovr mine = own_rovr();
    if (target != global_ || ip.src() != router_ || rovr_of(aro.rovr, aro.rovr_size) != mine ||
        (state_ != NdState::kRegistering && !refreshing_)) {
        drops_.count(NdDrop::kUnexpected);
        return;
    }
    last_status_ = aro.status;
    ns_at_ = kNever;
    refreshing_ = false;
    switch (aro.status) {
        case wire::NdArStatus::kSuccess: {
            if (aro.lifetime == 0) {
                next_router();  // the router took the registration away
                return;
            }
            granted_lifetime_ = aro.lifetime;
            const Duration life = std::chrono::minutes(aro.lifetime);
            registration_expires_ = now() + life;
            const std::uint32_t pct =
                random_.uniform_range(cfg_.refresh_min_percent, cfg_.refresh_max_percent);
            ns_at_ = now() + life * pct / 100;
            if (!default_route_)
                install_default_route();
            set_state(NdState::kRegistered);
            router_link(true);  // the NA is word from the router: probes from now on
            return;
        }
        case wire::NdArStatus::kDuplicate:
            // RFC 6775 5.5.2: the address must not be used.
            remove_default_route();
            drop_global();
            registration_expires_ = kNever;
            set_state(NdState::kDuplicate);
            return;
        case wire::NdArStatus::kNeighborCacheFull: {
            // Another router may have room (RFC 6775 5.5.2).
            for (auto &c : candidates_)
                if (c.address == router_)
                    c.failed = true;
            remove_default_route();
            registration_expires_ = kNever;
            if (const Candidate *c = pick_candidate(Ip6Address{})) {
                begin_registration(c->address);
                return;
            }
            set_state(NdState::kNeighborCacheFull);
            rs_count_ = cfg_.rs_initial_count;
            rs_at_ = now() + cfg_.rs_max_interval;  // ask again, slowly
            return;
        }
        default:
            remove_default_route();
            registration_expires_ = kNever;
            set_state(NdState::kRefused);
            return;
    }
}

void SixLowpanNd::set_preferred_router(const Ip6Address &link_local) {
    preferred_ = link_local;
    if (!running_ || router_ == link_local || state_ == NdState::kDuplicate ||
        state_ == NdState::kRefused)
        return;
    if (std::any_of(candidates_.begin(), candidates_.end(),
                    [&](auto &c) { return c.address == link_local; })) {
        remove_default_route();
        begin_registration(link_local);
    } else if (state_ == NdState::kSoliciting) {
        rs_count_ = 0;  // a new router to ask: its own backoff
        rs_at_ = std::min(rs_at_, now());
    } else {
        send_rs(link_local);  // its RA makes it a candidate
    }
}

// ---- Router part ------------------------------------------------------------------------------

void SixLowpanNd::build_br_info() {
    const Instant t = now();
    info_ = {};
    wire::PrefixInfo p;
    p.prefix = cfg_.prefix.masked(cfg_.prefix_length);
    p.prefix_length = cfg_.prefix_length;
    p.flags = wire::PrefixInfo::kFlagAutonomous;  // L clear: route-over (RFC 6775 5.4)
    p.valid_lifetime = cfg_.prefix_valid_lifetime;
    p.preferred_lifetime = cfg_.prefix_preferred_lifetime;
    info_.prefixes.push_back({p, add_seconds_or_never(t, p.valid_lifetime),
                              add_seconds_or_never(t, p.preferred_lifetime)});
    for (const auto &c : cfg_.contexts) {
        wire::NdSixLowpanContext x;
        x.context_length = c.length;
        x.flags = static_cast<std::uint8_t>(
            (c.cid & 0x0f) | (c.compress ? wire::NdSixLowpanContext::kFlagCompression : 0));
        x.valid_lifetime = c.valid_lifetime;
        x.prefix = c.prefix.masked(c.length);
        info_.contexts.push_back({x, kNever});  // the 6LBR's own contexts do not run out
    }
    wire::NdBorderRouter b;
    b.version = cfg_.abro_version;
    b.valid_lifetime = cfg_.abro_valid_lifetime;
    b.address = Ip6Address::from_prefix_iid(p.prefix, [&] {
        if (cfg_.interface_id)
            return *cfg_.interface_id;
        std::uint8_t eui[8];
        mac_eui64(eui);
        return wire::Ip6Iid::from_eui64(eui);
    }());
    info_.abro = b;
    info_.abro_expires = kNever;
}

Status SixLowpanNd::set_context(const NdContextConfig &c) {
    if (cfg_.role != NdRole::kBorderRouter || c.cid > 15 || c.length > 128)
        return Error::kInvalidArgument;
    auto it = std::find_if(cfg_.contexts.begin(), cfg_.contexts.end(),
                           [&](auto &x) { return x.cid == c.cid; });
    if (it != cfg_.contexts.end())
        *it = c;
    else
        cfg_.contexts.push_back(c);
    return Status();
}

void SixLowpanNd::increment_abro_version() {
    if (cfg_.role != NdRole::kBorderRouter)
        return;
    ++cfg_.abro_version;
    if (!running_)
        return;
    const std::vector<NdInfo::Context> old = info_.contexts;
    build_br_info();
    apply_contexts(old);
    ++stats_.abro_updates;
    if (cfg_.announce_changes)
        send_ra(Ip6Address::all_nodes_link_local());
}

void SixLowpanNd::on_rs(const wire::Ip6View &ip, const wire::NdView &v) {
    ++stats_.rs_received;
    (void)v;
    if (!serving()) {
        drops_.count(NdDrop::kWrongRole);  // hosts never answer RS
        return;
    }
    if (info_.empty() || !advertising()) {
        drops_.count(NdDrop::kNotReady);
        const Ip6Address src = ip.src();
        if (src.is_link_local() && waiting_rs_.size() < cfg_.max_pending_ras &&
            std::find(waiting_rs_.begin(), waiting_rs_.end(), src) == waiting_rs_.end())
            waiting_rs_.push_back(src);
        return;
    }
    // RFC 6775 6.5.2 / 6.3: a unicast RA to the soliciting node's link-local address (derived
    // from its MAC, so resolvable); an RS from the unspecified address gets a multicast one.
    const Ip6Address src = ip.src();
    schedule_ra(src.is_unspecified() ? Ip6Address::all_nodes_link_local() : src);
}

void SixLowpanNd::schedule_ra(const Ip6Address &dst) {
    if (cfg_.ra_max_delay <= Duration::zero()) {
        send_ra(dst);
        return;
    }
    const auto all = Ip6Address::all_nodes_link_local();
    for (const auto &p : pending_ras_)
        if (p.dst == dst || p.dst == all)
            return;  // already answering it (RFC 4861 6.2.6: one RA for several RSs)
    const Instant at = ra_time();
    if (pending_ras_.size() >= cfg_.max_pending_ras || dst == all) {
        // Many solicitations at once: one multicast RA, at the earliest pending time.
        Instant first = at;
        for (const auto &p : pending_ras_)
            first = std::min(first, p.at);
        pending_ras_.assign(1, PendingRa{all, first});
        return;
    }
    pending_ras_.push_back({dst, at});
}

Instant SixLowpanNd::ra_time() {
    const auto max_us =
        static_cast<std::uint32_t>(std::min<std::int64_t>(cfg_.ra_max_delay.count(), 0xffffffff));
    return now() + Duration(random_.uniform(max_us + 1));
}

void SixLowpanNd::send_ra(const Ip6Address &dst) {
    const Instant t = now();
    const Ip6Address src = stack_.link_local(ifindex_);
    if (src.is_unspecified())
        return;
    wire::NdRouterAdvertisement ra;
    ra.router_lifetime = cfg_.ra_router_lifetime;
    std::uint8_t buf[kMessageMax];
    std::uint8_t eui[8];
    mac_eui64(eui);
    wire::NdWriter w(MutableByteSpan(buf, sizeof buf), ra);
    w.add_sllao(wire::NdLinkLayerAddress::from(ByteSpan(eui, 8)));
    for (const auto &p : info_.prefixes) {
        wire::PrefixInfo x = p.pio;
        x.valid_lifetime = remaining_seconds(p.valid_until, t);
        x.preferred_lifetime = remaining_seconds(p.preferred_until, t);
        if (x.valid_lifetime != 0)
            w.add(x);
    }
    for (const auto &c : info_.contexts) {
        wire::NdSixLowpanContext x = c.ctx;
        if (c.expires != kNever)
            x.valid_lifetime = remaining_minutes(c.expires, t);
        if (x.valid_lifetime != 0)
            w.add(x);
    }
    if (info_.abro) {
        wire::NdBorderRouter b = *info_.abro;
        if (info_.abro_expires != kNever)
            b.valid_lifetime = remaining_minutes(info_.abro_expires, t);
        w.add(b);
    }
    auto m = w.finish(wire::PseudoHeader{src, dst});
    if (m && send(dst, src, dst, *m, kNdHopLimit))
        ++stats_.ra_sent;
}

const NdRegistration *SixLowpanNd::find_registration(const Ip6Address &a) const {
    for (const auto &r : regs_)
        if (r.address == a)
            return &r;
    return nullptr;
}

std::optional<MacAddress> SixLowpanNd::resolve(const Ip6Address &a) const {
    const NdRegistration *r = find_registration(a);
    if (!r)
        return std::nullopt;
    return r->mac;  // tentative too: the NA answering the DAC goes to it
}

void SixLowpanNd::on_ns(const wire::Ip6View &ip, const wire::NdView &v,
                        const NdAddressRegistration &aro) {
    ++stats_.ns_received;
    if (!serving()) {
        drops_.count(NdDrop::kWrongRole);
        return;
    }
    if (ip.src().is_unspecified()) {
        drops_.count(NdDrop::kBadSource);  // RFC 6775 6.5: ignored
        return;
    }
    auto sllao = v.options().sllao();
    std::optional<MacAddress> mac;
    if (sllao)
        mac = mac_of_lla(*sllao);
    if (!mac) {
        drops_.count(NdDrop::kNoSllao);
        return;
    }
    // RFC 8505 5.5: the target is the registered address (RFC 6775: the source).
    Ip6Address addr = v.ns()->target;
    if (addr.is_unspecified())
        addr = ip.src();
    if (!addr.is_unicast()) {
        drops_.count(NdDrop::kMalformed);
        return;
    }
    if (info_.empty() || global_.is_unspecified()) {
        drops_.count(NdDrop::kNotReady);
        return;
    }
    const NdRovr rovr = rovr_of(aro.rovr, aro.rovr_size);
    const std::uint8_t flags = aro.flags & (NdAddressRegistration::kFlagT);
    auto it = std::find_if(regs_.begin(), regs_.end(), [&](auto &r) { return r.address == addr; });

    if (aro.lifetime == 0) {
        // Deregistration (RFC 6775 6.5.3): only by the owner.
        if (it != regs_.end() && it->rovr == rovr) {
            const std::size_t i = static_cast<std::size_t>(it - regs_.begin());
            NdRegistration r = *it;
            remove_registration(i);
            if (cfg_.role == NdRole::kBorderRouter) {
                (void)registry_check(addr, rovr, 0);
            } else if (r.state == NdRegState::kRegistered) {
                r.lifetime = 0;
                r.dar_tries = cfg_.dar_max_tries - 1;  // one DAR telling the 6LBR, no retries
                send_dar(r);
            }
        }
        send_na(ip.src(), addr, rovr, wire::NdArStatus::kSuccess, 0, aro.tid, flags);
        return;
    }
    if (it != regs_.end() && it->rovr != rovr && it->state == NdRegState::kRegistered) {
        refuse(addr, rovr, *mac, wire::NdArStatus::kDuplicate, aro.tid, flags);
        return;
    }
    if (it == regs_.end() || it->rovr != rovr) {
        if (it != regs_.end())
            regs_.erase(it);  // a tentative claim by another owner: the latest one is checked
        if (regs_.size() >= cfg_.max_registrations) {
            refuse(addr, rovr, *mac, wire::NdArStatus::kNeighborCacheFull, aro.tid, flags);
            return;
        }
        NdRegistration r;
        r.address = addr;
        r.rovr = rovr;
        r.mac = *mac;
        r.lifetime = aro.lifetime;
        r.tid = aro.tid;
        r.router = aro.flags & NdAddressRegistration::kFlagR;
        r.reply_to = ip.src();
        r.expires = now() + cfg_.tentative_lifetime;
        regs_.push_back(r);
        it = regs_.end() - 1;
        if (cfg_.role == NdRole::kBorderRouter) {
            const std::uint8_t status = registry_check(addr, rovr, aro.lifetime);
            if (status != wire::NdArStatus::kSuccess) {
                regs_.erase(it);
                refuse(addr, rovr, *mac, status, aro.tid, flags);
                return;
            }
            confirm(*it);
        } else {
            send_dar(*it);  // multihop DAD (RFC 6775 8.2.1): the NA waits for the DAC
        }
        return;
    }
    // The owner again.
    it->mac = *mac;
    it->tid = aro.tid;
    it->lifetime = aro.lifetime;
    it->reply_to = ip.src();
    if (it->state == NdRegState::kTentative)
        return;  // a retransmission while the DAR is out: answered by the DAC
    if (cfg_.role == NdRole::kBorderRouter)
        (void)registry_check(addr, rovr, aro.lifetime);
    else if (!it->refreshing) {
        // Keep the 6LBR's registry entry alive with the registration (RFC 6775 8.2.1).
        it->refreshing = true;
        it->dar_tries = 0;
        send_dar(*it);
    }
    confirm(*it);
}

void SixLowpanNd::confirm(NdRegistration &r) {
    const bool added = r.state == NdRegState::kTentative;
    r.state = NdRegState::kRegistered;
    r.expires = add_minutes(now(), r.lifetime);
    if (!r.refreshing)
        r.dar_at = kNever;
    if (added) {
        // Route-over: registered neighbours are host routes on this link (RFC 6775 6.5.4).
        stack::Route route;
        route.prefix = r.address;
        route.prefix_length = 128;
        route.ifindex = ifindex_;
        route.origin = stack::RouteOrigin::kStatic;
        if (!r.address.is_link_local())
            stack_.routes().add(route);
        ++stats_.registrations_added;
    }
    const Ip6Address addr = r.address, reply_to = r.reply_to;
    const NdRovr rovr = r.rovr;
    const std::uint16_t lifetime = r.lifetime;
    const std::uint8_t tid = r.tid;
    send_na(reply_to, addr, rovr, wire::NdArStatus::kSuccess, lifetime, tid,
            NdAddressRegistration::kFlagT);
    if (added && reg_listener_)
        reg_listener_(addr, true);
}

void SixLowpanNd::refuse(const Ip6Address &target, const NdRovr &rovr, const MacAddress &mac,
                         std::uint8_t status, std::uint8_t tid, std::uint8_t flags) {
    ++stats_.registrations_refused;
    // RFC 6775 6.5.2: a refusal goes to the link-local address derived from the MAC address.
    send_na(link_local_of(mac), target, rovr, status, 0, tid, flags);
}

void SixLowpanNd::remove_registration(std::size_t i) {
    const NdRegistration r = regs_[i];
    regs_.erase(regs_.begin() + static_cast<std::ptrdiff_t>(i));
    if (r.state != NdRegState::kRegistered)
        return;
    stack::Route key;
    key.prefix = r.address;
    key.prefix_length = 128;
    key.ifindex = ifindex_;
    stack_.routes().remove(key);
    ++stats_.registrations_removed;
    if (reg_listener_)
        reg_listener_(r.address, false);
}

void SixLowpanNd::send_na(const Ip6Address &dst, const Ip6Address &target, const NdRovr &rovr,
                          std::uint8_t status, std::uint16_t lifetime, std::uint8_t tid,
                          std::uint8_t flags) {
    const Ip6Address src = stack_.link_local(ifindex_);
    NdAddressRegistration aro;
    aro.status = status;
    aro.flags = flags;
    aro.tid = tid;
    aro.lifetime = lifetime;
    aro.rovr_size = rovr.size;
    std::memcpy(aro.rovr, rovr.bytes, rovr.size);
    wire::NdNeighborAdvertisement na;
    na.flags = wire::NdNeighborAdvertisement::kSolicited | wire::NdNeighborAdvertisement::kRouter;
    na.target = target;
    std::uint8_t buf[96];
    wire::NdWriter w(MutableByteSpan(buf, sizeof buf), na);
    w.add(aro);
    auto m = w.finish(wire::PseudoHeader{src, dst});
    if (m && send(dst, src, dst, *m, kNdHopLimit))
        ++stats_.na_sent;
}

void SixLowpanNd::send_dar(NdRegistration &r) {
    ++r.dar_tries;
    r.dar_at = now() + cfg_.dar_retrans * (1u << std::min(r.dar_tries - 1, 4u));  // backoff
    if (!info_.abro || global_.is_unspecified()) {
        drops_.count(NdDrop::kSendFailed);
        return;
    }
    wire::NdDuplicateAddress d;
    d.type = Type::kDuplicateAddressRequest;
    d.tid = r.tid;
    d.lifetime = r.lifetime;
    d.rovr_size = r.rovr.size;
    std::memcpy(d.rovr, r.rovr.bytes, r.rovr.size);
    d.registered = r.address;
    const Ip6Address dst = info_.abro->address;
    std::uint8_t buf[96];
    wire::NdWriter w(MutableByteSpan(buf, sizeof buf), d);
    auto m = w.finish(wire::PseudoHeader{global_, dst});
    if (m && send(dst, global_, Ip6Address(), *m, kMultihopLimit))
        ++stats_.dar_sent;
}

std::uint8_t SixLowpanNd::registry_check(const Ip6Address &a, const NdRovr &rovr,
                                         std::uint16_t lifetime) {
    const NdRegistryEntry *e = registry_.find(a);
    if (e && e->rovr != rovr)
        return wire::NdArStatus::kDuplicate;  // RFC 6775 8.2.3
    if (lifetime == 0) {
        if (e && e->expires != kNever)
            registry_.erase(a);
        return wire::NdArStatus::kSuccess;
    }
    if (!e) {
        if (registry_.size() >= cfg_.max_registry)
            return wire::NdArStatus::kSixLbrRegistrySaturated;
        registry_.upsert(a, {a, rovr, add_minutes(now(), lifetime)});
    } else if (e->expires != kNever) {
        registry_.set_expires(a, add_minutes(now(), lifetime));
    }
    return wire::NdArStatus::kSuccess;
}

void SixLowpanNd::on_dar(const wire::Ip6View &ip, const wire::NdDuplicateAddress &d) {
    ++stats_.dar_received;
    if (cfg_.role != NdRole::kBorderRouter) {
        drops_.count(NdDrop::kWrongRole);
        return;
    }
    if (!ip.src().is_unicast() || ip.src().is_link_local()) {
        drops_.count(NdDrop::kBadSource);
        return;
    }
    wire::NdDuplicateAddress c = d;
    c.type = Type::kDuplicateAddressConfirmation;
    c.status = registry_check(d.registered, rovr_of(d.rovr, d.rovr_size), d.lifetime);
    std::uint8_t buf[96];
    wire::NdWriter w(MutableByteSpan(buf, sizeof buf), c);
    const Ip6Address dst = ip.src();
    auto m = w.finish(wire::PseudoHeader{global_, dst});
    if (m && send(dst, global_, Ip6Address(), *m, kMultihopLimit))
        ++stats_.dac_sent;
}

void SixLowpanNd::on_dac(const wire::NdDuplicateAddress &d) {
    ++stats_.dac_received;
    if (cfg_.role != NdRole::kRouter) {
        drops_.count(NdDrop::kWrongRole);
        return;
    }
    const NdRovr rovr = rovr_of(d.rovr, d.rovr_size);
    auto it = std::find_if(regs_.begin(), regs_.end(), [&](auto &r) {
        return r.address == d.registered && r.rovr == rovr &&
               (r.state == NdRegState::kTentative || r.refreshing);
    });
    if (it == regs_.end()) {
        drops_.count(NdDrop::kUnexpected);
        return;
    }
    const std::size_t i = static_cast<std::size_t>(it - regs_.begin());
    it->dar_at = kNever;
    const bool tentative = it->state == NdRegState::kTentative;
    it->refreshing = false;
    if (d.status == wire::NdArStatus::kSuccess) {
        if (tentative)
            confirm(*it);
        return;
    }
    const NdRegistration r = *it;
    remove_registration(i);
    if (tentative)
        refuse(r.address, r.rovr, r.mac, d.status, r.tid, NdAddressRegistration::kFlagT);
}

// ---- Helpers ----------------------------------------------------------------------------------

Status SixLowpanNd::send(const Ip6Address &dst, const Ip6Address &src, const Ip6Address &next_hop,
                         ByteSpan message, std::uint8_t hop_limit) {
    stack::OutputRoute route;
    if (next_hop.is_unspecified()) {
        // Multihop (DAR/DAC): through the routing table.
        auto r = stack_.route_output(dst, stack::kAnyInterface, &src);
        if (!r) {
            drops_.count(NdDrop::kSendFailed);
            return r.error();
        }
        route = *r;
        route.src = src;
    } else {
        route.ifindex = ifindex_;
        route.next_hop = next_hop;
        route.src = src;
        route.direct = true;
    }
    Status s = stack_.send_icmp(route, dst, message, hop_limit);
    if (!s)
        drops_.count(NdDrop::kSendFailed);
    return s;
}

void SixLowpanNd::mac_eui64(std::uint8_t out[8]) const {
    MacAddress::from_extended(lowpan_.config().extended_address).to_eui64(out);
}

NdRovr SixLowpanNd::own_rovr() const {
    std::uint8_t eui[8];
    mac_eui64(eui);
    return rovr_of(eui, 8);
}

}  // namespace meshwork::nd
