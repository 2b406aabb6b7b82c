#include "Rpl.h"

#include <algorithm>

#include "wire/Icmp6.h"

namespace meshwork::rpl {

namespace {
constexpr std::uint8_t kIcmpRpl = 155;
constexpr std::uint8_t kLinkHopLimit = 255;
constexpr unsigned kPoisonDios = 3;

Duration millis_pow2(std::uint8_t exp) {
    return std::chrono::milliseconds(1ll << (exp > 40 ? 40 : exp));
}

// The MAC address behind an IID formed from one (RFC 4944 6, RFC 6282 3.2.2).
wire::MacAddress mac_of_iid(const wire::Ip6Address &a) {
    const std::uint8_t *i = a.bytes + 8;
    if (i[0] == 0 && i[1] == 0 && i[2] == 0 && i[3] == 0xff && i[4] == 0xfe && i[5] == 0)
        return wire::MacAddress::from_short(static_cast<std::uint16_t>(i[6] << 8 | i[7]));
    std::uint8_t eui[8];
    std::copy(i, i + 8, eui);
    eui[0] ^= 0x02;  // the U/L bit (RFC 4291 2.5.1)
    return wire::MacAddress::from_eui64(eui);
}
}  // namespace

const char *rpl_drop_name(RplDrop d) {
    switch (d) {
        case RplDrop::kMalformed:
            return "malformed";
        case RplDrop::kOtherInstance:
            return "other-instance";
        case RplDrop::kUnsupportedMode:
            return "unsupported-mode";
        case RplDrop::kOlderVersion:
            return "older-version";
        case RplDrop::kNotRoot:
            return "not-root";
        case RplDrop::kRoleIgnores:
            return "role-ignores";
        case RplDrop::kNoGlobalAddress:
            return "no-global-address";
        case RplDrop::kSendFailed:
            return "send-failed";
        case RplDrop::kCount:
            break;
    }
    return "?";
}

bool Rpl::lollipop_greater(std::uint8_t a, std::uint8_t b) {
    constexpr unsigned kWindow = 16;  // SEQUENCE_WINDOW
    if (a == b)
        return false;
    if (a > 127 && b <= 127)
        return 256u + b - a > kWindow;
    if (a <= 127 && b > 127)
        return 256u + a - b <= kWindow;
    if (a > 127)
        return a > b;                   // both in the linear part
    const unsigned d = (a - b) & 127u;  // both in the circular part (serial arithmetic, 7 bits)
    return d != 0 && d < 64;
}

std::uint8_t Rpl::lollipop_next(std::uint8_t v) {
    return v == 127 || v == 255 ? 0 : static_cast<std::uint8_t>(v + 1);
}

Rpl::Rpl(stack::Stack &stack, stack::IfIndex ifindex, lowpan::LowpanAdaptation &lowpan,
         const Clock &clock, Random &random, RplConfig config)
    : stack_(stack),
      ifindex_(ifindex),
      lowpan_(lowpan),
      clock_(clock),
      random_(random),
      cfg_(config),
      of_(config.ocp, config.of),
      trickle_(random) {
    cfg_.of.min_hop_rank_increase = cfg_.min_hop_rank_increase;
    cfg_.of.max_rank_increase = cfg_.max_rank_increase;
    of_ = ObjectiveFunction(cfg_.ocp, cfg_.of);
    trickle_.set_config({millis_pow2(cfg_.dio_interval_min), cfg_.dio_interval_doublings,
                         cfg_.dio_redundancy_constant});
}

Rpl::~Rpl() {
    stop();
}

Status Rpl::start() {
    if (started_)
        return Status();
    const wire::Ip6Address ll = stack_.link_local(ifindex_);
    if (ll.is_unspecified())
        return Error::kBadState;
    if (cfg_.role == RplRole::kLeaf && stack_.config().forwarding)
        return Error::kInvalidArgument;  // a leaf never routes
    started_ = true;
    const Instant now = clock_.now();
    stack_.set_icmp_handler(kIcmpRpl, [this](stack::IfIndex i, const wire::Ip6View &ip,
                                             ByteSpan m) { return on_icmp(i, ip, m); });
    (void)stack_.join_group(ifindex_, wire::Ip6Address::all_rpl_nodes());
    stack_.set_rpl_data_plane(this);
    lowpan_.set_tx_observer([this](const wire::MacAddress &dst, bool ok, unsigned attempts) {
        on_tx(dst, ok, attempts);
    });
    if (cfg_.resolve_prefix_iids) {
        lowpan_.set_resolver([this](const wire::Ip6Address &a) -> std::optional<wire::MacAddress> {
            if (prefix_length_ == 0 || a.is_link_local() ||
                !a.matches_prefix(prefix_, prefix_length_))
                return std::nullopt;
            return mac_of_iid(a);
        });
    }
    if (cfg_.role == RplRole::kRoot) {
        prefix_ = cfg_.prefix.masked(cfg_.prefix_length);
        prefix_length_ = cfg_.prefix_length;
        dodag_id_ = cfg_.dodag_id.is_unspecified()
                        ? wire::Ip6Address::from_prefix_iid(prefix_, ll.iid())
                        : cfg_.dodag_id;
        global_ = dodag_id_;
        if (!stack_.is_local_address(dodag_id_))
            (void)stack_.add_address(ifindex_, dodag_id_, 128, true);
        // The root reaches the whole prefix on this link: source routes where it has them.
        stack::Route r;
        r.prefix = prefix_;
        r.prefix_length = prefix_length_;
        r.ifindex = ifindex_;
        r.origin = stack::RouteOrigin::kStatic;
        stack_.routes().add(r);
        dodag_config_.flags = static_cast<std::uint8_t>(cfg_.pcs & 0x07);
        dodag_config_.dio_interval_doublings = cfg_.dio_interval_doublings;
        dodag_config_.dio_interval_min = cfg_.dio_interval_min;
        dodag_config_.dio_redundancy_constant = cfg_.dio_redundancy_constant;
        dodag_config_.max_rank_increase = cfg_.max_rank_increase;
        dodag_config_.min_hop_rank_increase = cfg_.min_hop_rank_increase;
        dodag_config_.ocp = cfg_.ocp;
        dodag_config_.default_lifetime = cfg_.default_lifetime;
        dodag_config_.lifetime_unit = cfg_.lifetime_unit;
        have_config_ = true;
        pio_valid_ = pio_preferred_ = cfg_.prefix_valid_lifetime;
        rank_ = cfg_.min_hop_rank_increase;  // ROOT_RANK (RFC 6550 17)
        lowest_rank_ = rank_;
        joined_ = true;
        trickle_.start(now);
    } else {
        dis_at_ = now + std::chrono::milliseconds(random_.uniform(500));
        dis_wait_ = {};
    }
    return Status();
}

void Rpl::set_ready(bool ready) {
    const bool was = advertising();
    ready_ = ready;
    if (!was && advertising())
        trickle_.reset(clock_.now());
}

void Rpl::stop() {
    if (!started_)
        return;
    started_ = false;
    ready_ = false;
    stack_.set_icmp_handler(kIcmpRpl, {});
    stack_.set_rpl_data_plane(nullptr);
    lowpan_.set_tx_observer({});
    if (cfg_.resolve_prefix_iids)
        lowpan_.set_resolver({});
    (void)stack_.leave_group(ifindex_, wire::Ip6Address::all_rpl_nodes());
    set_default_route(std::nullopt);
    trickle_.stop();
    joined_ = false;
    parent_ = -1;
    nbrs_.clear();
    dao_acked_ = false;
    acked_via_ = {};
    dis_at_ = dao_at_ = poison_at_ = probe_at_ = kNever;
}

std::optional<wire::Ip6Address> Rpl::preferred_parent() const {
    if (parent_ < 0)
        return std::nullopt;
    return nbrs_[static_cast<std::size_t>(parent_)].link_local;
}

wire::Ip6Address Rpl::global_address() const {
    if (!global_.is_unspecified() && stack_.is_local_address(global_))
        return global_;
    if (prefix_length_ == 0)
        return {};
    for (const auto &a : stack_.netif(ifindex_).addresses)
        if (a.usable() && a.address.matches_prefix(prefix_, prefix_length_))
            return a.address;
    return {};
}

void Rpl::add_target(const wire::Ip6Address &addr) {
    if (std::find(targets_.begin(), targets_.end(), addr) != targets_.end())
        return;
    targets_.push_back(addr);
    if (joined_ && cfg_.role != RplRole::kRoot)
        schedule_dao(clock_.now());
}

void Rpl::remove_target(const wire::Ip6Address &addr) {
    auto it = std::find(targets_.begin(), targets_.end(), addr);
    if (it == targets_.end())
        return;
    targets_.erase(it);
    if (joined_ && cfg_.role != RplRole::kRoot)
        schedule_dao(clock_.now());
}

Status Rpl::increment_version() {
    if (cfg_.role != RplRole::kRoot || !started_)
        return Error::kBadState;
    version_ = lollipop_next(version_);
    dtsn_ = lollipop_next(dtsn_);
    dao_table_.clear();  // the new version's DAOs rebuild it
    ++stats_.global_repairs;
    trickle_.start(clock_.now());
    return Status();
}

// ---- Timers ------------------------------------------------------------------------------

Instant Rpl::next_deadline() const {
    if (!started_)
        return kNever;
    const Instant now = clock_.now();
    if (reselect_pending_ || !dio_unicast_.empty() || !acks_owed_.empty())
        return now;
    Instant next = kNever;
    auto fold = [&next](Instant t) {
        if (t < next)
            next = t;
    };
    if (advertising())
        fold(trickle_.next_deadline());
    fold(dis_at_);
    if (joined_)
        fold(probe_at_);
    fold(dao_at_);
    fold(poison_at_);
    if (cfg_.parent_timeout > Duration::zero())
        for (const auto &n : nbrs_)
            fold(n.last_heard + cfg_.parent_timeout);
    fold(dao_table_.next_expiry());
    return next;
}

void Rpl::poll() {
    if (!started_)
        return;
    const Instant now = clock_.now();
    if (cfg_.parent_timeout > Duration::zero()) {
        for (std::size_t i = nbrs_.size(); i-- > 0;)
            if (nbrs_[i].last_heard + cfg_.parent_timeout <= now) {
                remove_neighbor(i);
                reselect_pending_ = true;
            }
    }
    dao_table_.expire(now);
    if (reselect_pending_ && cfg_.role != RplRole::kRoot)
        reselect(now);
    reselect_pending_ = false;
    if (poison_at_ <= now) {
        if (poison_left_ > 0) {
            --poison_left_;
            ++stats_.poison_sent;
            send_dio(wire::Ip6Address::all_rpl_nodes());
        }
        poison_at_ = poison_left_ > 0 ? now + std::chrono::milliseconds(500) : kNever;
    }
    if (advertising()) {
        std::vector<wire::Ip6Address> owed;
        owed.swap(dio_unicast_);
        for (const auto &d : owed)
            send_dio(d);
        if (trickle_.poll(now))
            send_dio(wire::Ip6Address::all_rpl_nodes());
    } else {
        dio_unicast_.clear();
    }
    if (!acks_owed_.empty()) {
        auto owed = std::move(acks_owed_);
        acks_owed_.clear();
        for (const auto &a : owed)
            send_dao_ack(a.first, a.second);
    }
    if (!joined_ && cfg_.role != RplRole::kRoot && dis_at_ <= now) {
        send_dis();
        dis_wait_ =
            dis_wait_ < cfg_.dis_interval
                ? cfg_.dis_interval
                : std::min(dis_wait_ * 2, std::max(cfg_.dis_max_interval, cfg_.dis_interval));
        dis_at_ = now + dis_wait_;
    }
    if (joined_ && probe_at_ <= now) {
        // Nothing acknowledged by the parent for a probe interval: ask it for a DIO. The MAC
        // outcome comes back through on_tx(), like any other frame's.
        probe_at_ = kNever;
        if (auto parent = preferred_parent()) {
            send_dis(*parent);
            schedule_probe(now, false);
        }
    }
    if (joined_ && cfg_.role != RplRole::kRoot && dao_at_ <= now) {
        if (dao_pending_ && dao_transmissions_ >= cfg_.dao_max_transmissions) {
            // 9.7: no DAO-ACK after the retransmissions. The parent's link is judged by its
            // MAC acks (ETX) and its own state by its DIOs; a DAO lost on the way to the root
            // most often means a busy path there, which another parent would share. Keep the
            // parent and start a new DAO sequence after a long random pause, rather than
            // detaching a sub-DODAG and sending every child's DAO again.
            ++stats_.dao_failures;
            dao_pending_ = false;
            dao_acked_ = false;  // the root's path may be gone with the refreshes
            acked_via_ = {};
            const auto pause = cfg_.dao_ack_timeout * 16;
            dao_at_ = now + pause / 2 +
                      Duration(random_.uniform(static_cast<std::uint32_t>(
                          std::min<std::int64_t>((pause / 2).count(), 0xffffffff))));
        } else {
            send_dao(dao_pending_);
        }
    }
}

// ---- Input -------------------------------------------------------------------------------

bool Rpl::on_icmp(stack::IfIndex ifindex, const wire::Ip6View &ip, ByteSpan message) {
    if (ifindex != ifindex_)
        return false;
    auto v = wire::RplView::parse(message);
    if (!v) {
        drop(RplDrop::kMalformed);
        return true;
    }
    switch (v->code()) {
        case wire::RplCode::kDis:
            on_dis(ip);
            break;
        case wire::RplCode::kDio:
            on_dio(ip, *v);
            break;
        case wire::RplCode::kDao:
            on_dao(ip, *v);
            break;
        case wire::RplCode::kDaoAck:
            on_dao_ack(*v);
            break;
        default:
            drop(RplDrop::kMalformed);
            break;
    }
    return true;
}

void Rpl::on_dis(const wire::Ip6View &ip) {
    ++stats_.dis_received;
    if (!advertising()) {
        drop(RplDrop::kRoleIgnores);
        return;
    }
    if (ip.dst().is_multicast()) {
        trickle_.reset(clock_.now());  // 8.3: a multicast DIS is an inconsistency
    } else if (std::find(dio_unicast_.begin(), dio_unicast_.end(), ip.src()) ==
               dio_unicast_.end()) {
        dio_unicast_.push_back(ip.src());  // answered from poll()
    }
}

RplNeighbor *Rpl::find(const wire::Ip6Address &ll) {
    for (auto &n : nbrs_)
        if (n.link_local == ll)
            return &n;
    return nullptr;
}

void Rpl::remove_neighbor(std::size_t i) {
    if (i >= nbrs_.size())
        return;
    const int idx = static_cast<int>(i);
    nbrs_.erase(nbrs_.begin() + static_cast<std::ptrdiff_t>(i));
    if (parent_ == idx)
        parent_ = -1;
    else if (parent_ > idx)
        --parent_;
}

void Rpl::apply_config(const wire::RplDodagConfig &c) {
    if (have_config_ && c == dodag_config_)
        return;
    dodag_config_ = c;
    have_config_ = true;
    cfg_.dio_interval_min = c.dio_interval_min;
    cfg_.dio_interval_doublings = c.dio_interval_doublings;
    cfg_.dio_redundancy_constant = c.dio_redundancy_constant;
    cfg_.max_rank_increase = c.max_rank_increase;
    cfg_.min_hop_rank_increase = c.min_hop_rank_increase == 0 ? 1 : c.min_hop_rank_increase;
    cfg_.ocp = c.ocp;
    cfg_.default_lifetime = c.default_lifetime;
    cfg_.lifetime_unit = c.lifetime_unit;
    cfg_.pcs = c.pcs();
    cfg_.of.min_hop_rank_increase = cfg_.min_hop_rank_increase;
    cfg_.of.max_rank_increase = cfg_.max_rank_increase;
    of_ = ObjectiveFunction(cfg_.ocp, cfg_.of);
    trickle_.set_config({millis_pow2(cfg_.dio_interval_min), cfg_.dio_interval_doublings,
                         cfg_.dio_redundancy_constant});
}

void Rpl::learn_prefix(const wire::RplPrefixInfo &pio) {
    if (pio.prefix_length == 0 || pio.prefix_length > 128)
        return;
    pio_valid_ = pio.valid_lifetime;
    pio_preferred_ = pio.preferred_lifetime;
    const wire::Ip6Address p = pio.prefix.masked(pio.prefix_length);
    if (prefix_length_ == pio.prefix_length && p == prefix_)
        return;
    prefix_ = p;
    prefix_length_ = pio.prefix_length;
    if (cfg_.form_address && (pio.flags & wire::RplPrefixInfo::kFlagAutonomous)) {
        const wire::Ip6Address ll = stack_.link_local(ifindex_);
        global_ = wire::Ip6Address::from_prefix_iid(prefix_, ll.iid());
        if (!stack_.netif(ifindex_).find_address(global_))
            (void)stack_.add_address(ifindex_, global_, 128, true);
    }
}

void Rpl::on_dio(const wire::Ip6View &ip, const wire::RplView &v) {
    ++stats_.dio_received;
    const auto dio = v.dio();
    if (!dio || !ip.src().is_link_local()) {
        drop(RplDrop::kMalformed);
        return;
    }
    if (dio->instance_id != cfg_.instance_id) {
        drop(RplDrop::kOtherInstance);
        return;
    }
    if (dio->mop != wire::RplMop::kNonStoring) {
        drop(RplDrop::kUnsupportedMode);
        return;
    }
    const Instant now = clock_.now();
    if (cfg_.role == RplRole::kRoot) {
        if (dio->dodag_id != dodag_id_)
            return;
        if (lollipop_greater(version_, dio->version))
            trickle_.reset(now);  // an old version around: tell it
        else if (dio->version == version_ && dio->rank != kInfiniteRank)
            trickle_.consistent();
        return;
    }
    const bool known_dodag = !dodag_id_.is_unspecified();
    if (known_dodag && dio->dodag_id != dodag_id_)
        return;  // one DODAG per instance here
    if (!known_dodag || (nbrs_.empty() && !joined_)) {
        if (dio->rank == kInfiniteRank)
            return;
        if (!known_dodag || lollipop_greater(dio->version, version_) || dio->version == version_) {
            dodag_id_ = dio->dodag_id;
            version_ = dio->version;
        }
    }
    if (lollipop_greater(dio->version, version_)) {
        // 8.2.2.1: a new version (global repair): the old parents are gone; rejoin.
        if (dio->rank == kInfiniteRank)
            return;
        version_ = dio->version;
        nbrs_.clear();
        parent_ = -1;
        acked_via_ = {};  // the root starts the new version's DAO table empty
        dao_acked_ = false;
        rank_ = kInfiniteRank;  // every parent of the new version ranks below us
        lowest_rank_ = kInfiniteRank;
        detach_until_ = now;
        ++stats_.global_repairs;
        if (joined_ && cfg_.role != RplRole::kLeaf)
            trickle_.reset(now);
    } else if (dio->version != version_) {
        drop(RplDrop::kOlderVersion);  // from a lower version: ignored
        if (joined_ && cfg_.role != RplRole::kLeaf)
            trickle_.reset(now);
        return;
    }
    if (auto c = v.dodag_config())
        apply_config(*c);
    wire::Ip6Address sender_global;
    for (const auto &o : v.options()) {
        if (auto pio = o.prefix_info()) {
            learn_prefix(*pio);
            if (pio->flags & wire::RplPrefixInfo::kFlagRouterAddress)
                sender_global = pio->prefix;
        }
    }
    RplNeighbor *n = find(ip.src());
    if (dio->rank == kInfiniteRank) {
        // A poisoning neighbour (8.2.2.5) is no parent any more.
        if (n) {
            remove_neighbor(static_cast<std::size_t>(n - nbrs_.data()));
            reselect_pending_ = true;
        }
        return;
    }
    if (!n) {
        if (nbrs_.size() >= cfg_.max_candidates) {
            // Replace the worst-ranked candidate that is not the parent, if this one is better.
            std::size_t worst = nbrs_.size();
            for (std::size_t i = 0; i < nbrs_.size(); ++i)
                if (static_cast<int>(i) != parent_ &&
                    (worst == nbrs_.size() || nbrs_[i].rank > nbrs_[worst].rank))
                    worst = i;
            if (worst == nbrs_.size() || nbrs_[worst].rank <= dio->rank)
                return;
            remove_neighbor(worst);
        }
        RplNeighbor fresh;
        fresh.link_local = ip.src();
        fresh.etx = cfg_.initial_etx;
        fresh.dtsn = dio->dtsn;
        if (auto m = lowpan_.resolve(ip.src()))
            fresh.mac = *m;
        nbrs_.push_back(fresh);
        n = &nbrs_.back();
    }
    const bool is_parent = parent_ >= 0 && &nbrs_[static_cast<std::size_t>(parent_)] == n;
    if (is_parent && lollipop_greater(dio->dtsn, n->dtsn)) {
        // 9.6: the parent asks for fresh DAOs; pass it on in our own DTSN.
        dtsn_ = lollipop_next(dtsn_);
        schedule_dao(now);
    }
    const bool changed = n->rank != dio->rank;
    n->rank = dio->rank;
    n->version = dio->version;
    n->dtsn = dio->dtsn;
    n->last_heard = now;
    if (!sender_global.is_unspecified())
        n->global = sender_global;
    if (changed || !joined_ || is_parent)
        reselect_pending_ = true;
    if (joined_ && cfg_.role != RplRole::kLeaf && !changed)
        trickle_.consistent();
}

void Rpl::on_dao(const wire::Ip6View &ip, const wire::RplView &v) {
    ++stats_.dao_received;
    const auto dao = v.dao();
    if (!dao) {
        drop(RplDrop::kMalformed);
        return;
    }
    if (cfg_.role != RplRole::kRoot) {
        drop(RplDrop::kNotRoot);
        return;
    }
    if (dao->instance_id != cfg_.instance_id) {
        drop(RplDrop::kOtherInstance);
        return;
    }
    const Instant now = clock_.now();
    // 9.7 / 6.7.8: targets followed by the transits that apply to them.
    std::vector<wire::Ip6Address> group;
    bool after_transit = false;
    for (const auto &o : v.options()) {
        if (auto t = o.target()) {
            if (after_transit)
                group.clear();
            after_transit = false;
            group.push_back(t->prefix);
        } else if (auto tr = o.transit()) {
            after_transit = true;
            if (!tr->has_parent)
                continue;
            for (const auto &target : group) {
                const RplDaoRoute *old = dao_table_.find(target);
                if (tr->path_lifetime == 0) {
                    if (old)
                        dao_table_.erase(target);  // No-Path
                    continue;
                }
                if (old && lollipop_greater(old->path_sequence, tr->path_sequence))
                    continue;  // 7.2 / 9.2.2: an older path (a reordered DAO)
                RplDaoRoute r;
                r.target = target;
                r.parent = tr->parent;
                r.path_sequence = tr->path_sequence;
                r.expires =
                    tr->path_lifetime == 0xff
                        ? kNever
                        : now + std::chrono::seconds(static_cast<std::int64_t>(tr->path_lifetime) *
                                                     cfg_.lifetime_unit);
                dao_table_.upsert(target, r);
            }
        }
    }
    if (dao->flags & wire::RplDao::kAckRequested)
        acks_owed_.emplace_back(ip.src(), dao->sequence);
}

void Rpl::on_dao_ack(const wire::RplView &v) {
    const auto ack = v.dao_ack();
    if (!ack) {
        drop(RplDrop::kMalformed);
        return;
    }
    ++stats_.dao_ack_received;
    if (ack->instance_id != cfg_.instance_id || !dao_pending_ || ack->sequence != dao_seq_)
        return;
    dao_pending_ = false;
    if (ack->status >= 128) {
        dao_at_ = clock_.now();  // rejected: treated as not getting through
        dao_pending_ = true;
        dao_transmissions_ = cfg_.dao_max_transmissions;
        return;
    }
    dao_acked_ = true;
    acked_via_ = dao_via_;
    // Refresh at about two thirds of the path lifetime.
    const Duration life = path_lifetime();
    dao_at_ = life == Duration::max() ? kNever : clock_.now() + life * 2 / 3;
}

void Rpl::on_tx(const wire::MacAddress &dst, bool success, unsigned attempts) {
    for (auto &n : nbrs_) {
        if (n.mac != dst)
            continue;
        // RFC 6719 3.1 leaves the estimator open: an EWMA (alpha 0.1) of the attempts each
        // frame took, a failure counting as etx_failure_sample.
        const std::uint32_t sample =
            success ? static_cast<std::uint32_t>(attempts) * kEtxOne : cfg_.etx_failure_sample;
        std::uint32_t etx = (9u * n.etx + sample) / 10u;
        n.etx = static_cast<std::uint16_t>(etx > 0xffff ? 0xffff : etx);
        n.tx_failures = success ? 0 : n.tx_failures + 1;
        reselect_pending_ = true;
        if (parent_ >= 0 && &nbrs_[static_cast<std::size_t>(parent_)] == &n)
            schedule_probe(clock_.now(), !success);  // heard from: the next probe waits
        return;
    }
}

// ---- Parent selection and repair ---------------------------------------------------------

std::vector<OfCandidate> Rpl::candidates() const {
    std::vector<OfCandidate> c;
    c.reserve(nbrs_.size());
    const bool hold = clock_.now() < detach_until_;
    for (std::size_t i = 0; i < nbrs_.size(); ++i) {
        const RplNeighbor &n = nbrs_[i];
        OfCandidate o;
        o.rank = n.rank;
        o.etx = n.etx;
        // 8.2.1 / 8.2.2.4: parents rank below us. While joined, a new neighbour not ranked
        // below us may be in our sub-DODAG: never a parent (we would rather detach). The
        // preferred parent stays one when its rank rises: ours follows it (up to L +
        // MaxRankIncrease, below), rather than the whole sub-DODAG detaching at each rise (a
        // loop this lets form, two nodes each other's parent, shows as rank errors on the data
        // path and ends at L + MaxRankIncrease). Just after detaching, only those ranked below
        // the old rank, until they heard the poison.
        const bool below = !joined_ || static_cast<int>(i) == parent_ ||
                           of_.dag_rank(n.rank) < of_.dag_rank(rank_);
        if (n.version != version_ || !below || (hold && n.rank >= detached_rank_))
            o.rank = kInfiniteRank;
        c.push_back(o);
    }
    return c;
}

void Rpl::reselect(Instant now) {
    for (std::size_t i = nbrs_.size(); i-- > 0;)
        if (nbrs_[i].tx_failures >= cfg_.max_tx_failures)
            remove_neighbor(i);
    const std::optional<wire::Ip6Address> old_parent = preferred_parent();
    const auto cands = candidates();
    const int idx = of_.select(cands, parent_);
    std::uint16_t new_rank = idx < 0 ? kInfiniteRank : of_.rank(cands, idx);
    if (new_rank != kInfiniteRank && lowest_rank_ != kInfiniteRank &&
        new_rank > lowest_rank_ + static_cast<std::uint32_t>(cfg_.max_rank_increase))
        new_rank = kInfiniteRank;  // 8.2.2.4: no deeper than L + MaxRankIncrease
    if (new_rank == kInfiniteRank) {
        if (joined_)
            detach(now);
        parent_ = -1;
        return;
    }
    parent_ = idx;
    const bool first = !joined_;
    joined_ = true;
    dis_at_ = kNever;
    poison_left_ = 0;
    // A deeper rank is news the children need at once (their packets up would otherwise
    // meet the rank check); a shallower one waits for the next DIO.
    const bool rank_rose = of_.dag_rank(new_rank) > of_.dag_rank(rank_);
    rank_ = new_rank;
    if (rank_ < lowest_rank_)
        lowest_rank_ = rank_;
    if (first && cfg_.role != RplRole::kLeaf)
        trickle_.start(now);
    const std::optional<wire::Ip6Address> parent = preferred_parent();
    if (parent != old_parent) {
        if (!first)
            ++stats_.parent_changes;
        set_default_route(parent);
        schedule_dao(now);
        schedule_probe(now, false);
        if (cfg_.role != RplRole::kLeaf)
            trickle_.reset(now);
    } else if (rank_rose && !first && cfg_.role != RplRole::kLeaf) {
        trickle_.reset(now);
    }
    if (parent != reported_parent_) {
        reported_parent_ = parent;
        if (parent_listener_)
            parent_listener_(parent);
    }
}

void Rpl::detach(Instant now) {
    // 8.2.2.5 local repair: leave the DODAG, poison the sub-DODAG, look for a new parent.
    ++stats_.local_repairs;
    detached_rank_ = rank_;
    detach_until_ = now + cfg_.detach_hold;
    joined_ = false;
    rank_ = kInfiniteRank;
    lowest_rank_ = kInfiniteRank;
    parent_ = -1;
    set_default_route(std::nullopt);
    trickle_.stop();
    dio_unicast_.clear();
    dao_pending_ = false;
    dao_acked_ = false;
    acked_via_ = {};
    dao_at_ = kNever;
    if (cfg_.role == RplRole::kRouter) {
        poison_left_ = kPoisonDios;
        poison_at_ = now;
    }
    dis_at_ = now + std::chrono::milliseconds(random_.uniform(1000));
    dis_wait_ = {};
    if (reported_parent_) {
        reported_parent_.reset();
        if (parent_listener_)
            parent_listener_(std::nullopt);
    }
}

void Rpl::set_default_route(const std::optional<wire::Ip6Address> &parent) {
    if (route_parent_ == parent)
        return;
    stack::Route r;
    r.prefix_length = 0;
    r.ifindex = ifindex_;
    r.origin = stack::RouteOrigin::kStatic;
    if (route_parent_) {
        r.next_hop = *route_parent_;
        stack_.routes().remove(r);
    }
    route_parent_ = parent;
    if (parent) {
        r.next_hop = *parent;
        stack_.routes().add(r);
    }
}

// ---- Output ------------------------------------------------------------------------------

Duration Rpl::path_lifetime() const {
    if (cfg_.default_lifetime == 0xff)
        return Duration::max();
    return std::chrono::seconds(static_cast<std::int64_t>(cfg_.default_lifetime) *
                                cfg_.lifetime_unit);
}

wire::Ip6Address Rpl::parent_global() const {
    if (parent_ < 0)
        return {};
    const RplNeighbor &p = nbrs_[static_cast<std::size_t>(parent_)];
    if (!p.global.is_unspecified())
        return p.global;
    // No PIO with R from it: its link-local IID in the prefix (addresses from EUI-64s).
    return prefix_length_ == 0 ? wire::Ip6Address()
                               : wire::Ip6Address::from_prefix_iid(prefix_, p.link_local.iid());
}

Status Rpl::send(const wire::Ip6Address &dst, const std::vector<std::uint8_t> &msg,
                 std::uint8_t hop_limit) {
    stack::OutputRoute route;
    if (dst.is_link_scope()) {
        route.ifindex = ifindex_;
        route.next_hop = dst;
        route.src = stack_.link_local(ifindex_);
    } else {
        const wire::Ip6Address src = global_address();
        auto r = stack_.route_output(dst, ifindex_, src.is_unspecified() ? nullptr : &src);
        if (!r) {
            drop(RplDrop::kSendFailed);
            return r.error();
        }
        route = *r;
    }
    Status s = stack_.send_icmp(route, dst, ByteSpan(msg.data(), msg.size()), hop_limit);
    if (!s)
        drop(RplDrop::kSendFailed);
    return s;
}

void Rpl::schedule_probe(Instant now, bool retry) {
    if (cfg_.probe_interval <= Duration::zero() || cfg_.role == RplRole::kRoot) {
        probe_at_ = kNever;
        return;
    }
    if (retry) {
        probe_at_ = std::min(probe_at_, now + cfg_.probe_retry);
        return;
    }
    // The interval plus up to a tenth of it at random: neighbours do not probe in step.
    const auto spread = static_cast<std::uint32_t>(
        std::min<std::int64_t>((cfg_.probe_interval / 10).count(), 0xffffffff));
    probe_at_ = now + cfg_.probe_interval + Duration(random_.uniform(spread + 1));
}

void Rpl::send_dis(const wire::Ip6Address &dst) {
    std::vector<std::uint8_t> buf(wire::RplWriter(MutableByteSpan(), wire::RplDis{}).size());
    wire::RplWriter w(MutableByteSpan(buf.data(), buf.size()), wire::RplDis{});
    (void)w.finish(wire::PseudoHeader{stack_.link_local(ifindex_), dst});
    if (send(dst, buf, kLinkHopLimit))
        ++stats_.dis_sent;
}

std::vector<std::uint8_t> Rpl::build_dio(const wire::Ip6Address &src,
                                         const wire::Ip6Address &dst) const {
    wire::RplDio dio;
    dio.instance_id = cfg_.instance_id;
    dio.version = version_;
    dio.rank = joined_ ? rank_ : kInfiniteRank;
    dio.grounded = true;
    dio.mop = wire::RplMop::kNonStoring;
    dio.preference = cfg_.preference;
    dio.dtsn = dtsn_;
    dio.dodag_id = dodag_id_;
    wire::RplPrefixInfo pio;
    const bool have_prefix = prefix_length_ != 0;
    if (have_prefix) {
        pio.prefix_length = prefix_length_;
        // L clear (6LoWPAN: not on-link, RFC 6775 5.4), A set, R with our address (6.7.10).
        pio.flags = wire::RplPrefixInfo::kFlagAutonomous;
        pio.valid_lifetime = pio_valid_;
        pio.preferred_lifetime = pio_preferred_;
        const wire::Ip6Address g = global_address();
        if (!g.is_unspecified()) {
            pio.flags |= wire::RplPrefixInfo::kFlagRouterAddress;
            pio.prefix = g;
        } else {
            pio.prefix = prefix_;
        }
    }
    auto emit = [&](MutableByteSpan out) {
        wire::RplWriter w(out, dio);
        if (have_config_)
            w.add(dodag_config_);
        if (have_prefix)
            w.add(pio);
        return w;
    };
    std::vector<std::uint8_t> buf(emit(MutableByteSpan()).size());
    auto w = emit(MutableByteSpan(buf.data(), buf.size()));
    (void)w.finish(wire::PseudoHeader{src, dst});
    return buf;
}

void Rpl::send_dio(const wire::Ip6Address &dst) {
    if (cfg_.role == RplRole::kLeaf ||
        !(cfg_.role == RplRole::kRoot || cfg_.advertise_on_join || ready_))
        return;  // a leaf never sends DIOs, a router not ready yet none either
    if (send(dst, build_dio(stack_.link_local(ifindex_), dst), kLinkHopLimit))
        ++stats_.dio_sent;
}

std::vector<std::uint8_t> Rpl::build_dao(const wire::Ip6Address &src, const wire::Ip6Address &dst,
                                         std::uint8_t path_lifetime) const {
    wire::RplDao dao;
    dao.instance_id = cfg_.instance_id;
    dao.flags = wire::RplDao::kAckRequested | wire::RplDao::kDodagIdPresent;
    dao.sequence = dao_seq_;
    dao.dodag_id = dodag_id_;
    const wire::Ip6Address parent = parent_global();
    auto emit = [&](MutableByteSpan out) {
        wire::RplWriter w(out, dao);
        // 9.2.2 / 6.7.8 non-storing: our address with a transit naming the parent, then the
        // external targets with a transit marked E naming us (RFC 9010 style: we reach them).
        w.add(wire::RplTarget::make(src));
        w.add(wire::RplTransit::make(path_seq_, path_lifetime, &parent));
        if (!targets_.empty()) {
            for (const auto &t : targets_)
                w.add(wire::RplTarget::make(t));
            auto tr = wire::RplTransit::make(path_seq_, path_lifetime, &src);
            tr.flags = wire::RplTransit::kFlagExternal;
            w.add(tr);
        }
        return w;
    };
    std::vector<std::uint8_t> buf(emit(MutableByteSpan()).size());
    auto w = emit(MutableByteSpan(buf.data(), buf.size()));
    (void)w.finish(wire::PseudoHeader{src, dst});
    return buf;
}

void Rpl::schedule_dao(Instant now) {
    if (cfg_.role == RplRole::kRoot)
        return;
    path_seq_ = lollipop_next(path_seq_);
    dao_pending_ = false;
    dao_transmissions_ = 0;
    const auto d = std::chrono::duration_cast<std::chrono::milliseconds>(cfg_.dao_delay).count();
    dao_at_ = now + std::chrono::milliseconds(
                        d / 2 + random_.uniform(static_cast<std::uint32_t>(d > 0 ? d : 1)));
}

void Rpl::send_dao(bool retransmission) {
    const Instant now = clock_.now();
    const wire::Ip6Address src = global_address();
    if (src.is_unspecified() || parent_global().is_unspecified()) {
        drop(RplDrop::kNoGlobalAddress);
        dao_at_ = now + cfg_.dao_ack_timeout;
        return;
    }
    if (!retransmission) {
        dao_seq_ = lollipop_next(dao_seq_);
        dao_transmissions_ = 0;
    } else {
        ++stats_.dao_retransmissions;
    }
    const Duration life = path_lifetime();
    const std::uint8_t pl = life == Duration::max() ? 0xff : cfg_.default_lifetime;
    ++dao_transmissions_;
    dao_pending_ = true;
    dao_via_ = parent_global();
    if (dao_via_ != acked_via_)
        dao_acked_ = false;
    // RFC 6550 9.7: doubling retransmission timeout.
    dao_at_ = now + cfg_.dao_ack_timeout *
                        (1 << (dao_transmissions_ - 1 > 4 ? 4 : dao_transmissions_ - 1));
    if (send(dodag_id_, build_dao(src, dodag_id_, pl), 64))
        ++stats_.dao_sent;
}

void Rpl::send_dao_ack(const wire::Ip6Address &dst, std::uint8_t sequence) {
    wire::RplDaoAck ack;
    ack.instance_id = cfg_.instance_id;
    ack.sequence = sequence;
    ack.status = 0;
    std::vector<std::uint8_t> buf(wire::RplWriter(MutableByteSpan(), ack).size());
    wire::RplWriter w(MutableByteSpan(buf.data(), buf.size()), ack);
    (void)w.finish(wire::PseudoHeader{dodag_id_, dst});
    if (send(dst, buf, 64))
        ++stats_.dao_ack_sent;
}

// ---- Data plane --------------------------------------------------------------------------

bool Rpl::source_route(const wire::Ip6Address &dst, stack::SourceRoute &out) {
    if (cfg_.role != RplRole::kRoot || !started_)
        return false;
    // Walk from the destination up the DAO parents to the root, then reverse.
    wire::Ip6Address path[stack::SourceRoute::kMaxHops];
    std::size_t n = 0;
    wire::Ip6Address cur = dst;
    for (;;) {
        if (n == stack::SourceRoute::kMaxHops)
            return false;  // too long, or a loop in the DAO state
        const RplDaoRoute *it = dao_table_.find(cur);
        if (!it)
            return false;
        path[n++] = cur;
        if (it->parent == dodag_id_ || stack_.is_local_address(it->parent))
            break;
        cur = it->parent;
    }
    out.count = static_cast<std::uint8_t>(n);
    for (std::size_t i = 0; i < n; ++i)
        out.hops[i] = path[n - 1 - i];
    return true;
}

std::optional<wire::RplHopOption> Rpl::rpl_option(const wire::Ip6Address &dst) {
    if (cfg_.role == RplRole::kRoot || !joined_ || dst.is_link_scope())
        return std::nullopt;
    wire::RplHopOption o;
    o.instance_id = cfg_.instance_id;
    o.sender_rank = rank_;
    return o;  // going up (O clear)
}

bool Rpl::forward_rpl_option(wire::RplHopOption &opt) {
    if (opt.instance_id != cfg_.instance_id || !joined_)
        return true;
    // 11.2.2.2: going up, the sender must rank below us (a greater rank); going down, above.
    const std::uint16_t sender = of_.dag_rank(opt.sender_rank);
    const std::uint16_t mine = of_.dag_rank(rank_);
    const bool inconsistent = opt.down() ? sender >= mine : sender <= mine;
    if (inconsistent) {
        if (opt.rank_error()) {
            ++stats_.loops_dropped;
            trickle_.reset(clock_.now());
            return false;
        }
        opt.flags |= wire::RplHopOption::kFlagRankError;
        ++stats_.rank_errors;
        if (cfg_.role != RplRole::kLeaf)
            trickle_.reset(clock_.now());
    }
    opt.sender_rank = rank_;
    return true;
}

}  // namespace meshwork::rpl
