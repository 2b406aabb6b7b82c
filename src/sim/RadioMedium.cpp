#include "sim/RadioMedium.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace meshwork::sim {

namespace {

double to_mw(double dbm) {
    return std::pow(10.0, dbm / 10.0);
}
double to_dbm(double mw) {
    return mw > 0 ? 10.0 * std::log10(mw) : -std::numeric_limits<double>::infinity();
}
std::int8_t clamp_dbm(double dbm) {
    if (!(dbm > -128))
        return -128;
    return static_cast<std::int8_t>(std::lround(std::min(dbm, 127.0)));
}

}  // namespace

const char *drop_reason_name(RadioRxDrop r) {
    switch (r) {
        case RadioRxDrop::kCollision:
            return "collision";
        case RadioRxDrop::kBusy:
            return "busy";
        case RadioRxDrop::kDeaf:
            return "deaf";
        case RadioRxDrop::kHalfDuplex:
            return "half-duplex";
        case RadioRxDrop::kRadioOff:
            return "radio-off";
        case RadioRxDrop::kAborted:
            return "aborted";
        case RadioRxDrop::kLinkLoss:
            return "link-loss";
        case RadioRxDrop::kLinkCut:
            return "link-cut";
        case RadioRxDrop::kCount:
            break;
    }
    return "?";
}

bool phy_timing(RadioChannel ch, PhyTiming *out) {
    PhyTiming t;
    if (ch.page == 0 && ch.number >= 11 && ch.number <= 26) {
        t.symbol_us = 16;
        t.bit_rate = 250000;
    } else if (ch.page == 2 && ch.number >= 1 && ch.number <= 10) {
        t.symbol_us = 16;
        t.bit_rate = 250000;
    } else if (ch.page == 2 && ch.number == 0) {
        t.symbol_us = 40;
        t.bit_rate = 100000;
    } else {
        return false;
    }
    *out = t;
    return true;
}

RadioMedium::RadioMedium(Scheduler &scheduler, std::unique_ptr<Propagation> propagation,
                         const RadioMediumConfig &config)
    : sched_(scheduler), model_(std::move(propagation)), cfg_(config), rng_(config.seed, 0x5244) {
    rebuild_grid();
}

RadioMedium::~RadioMedium() {
    // Events of this medium must not run after it is gone.
    for (auto &n : nodes_)
        sched_.cancel(n.op_event);
    for (auto &kv : active_)
        sched_.cancel(kv.second.end_event);
    for (auto id : fault_events_)
        sched_.cancel(id);
}

void RadioMedium::set_propagation(std::unique_ptr<Propagation> propagation) {
    model_ = std::move(propagation);
    rebuild_grid();
    mark_all_dirty();
}

// --- Topology -------------------------------------------------------------------------------

RadioNodeId RadioMedium::add_node(const Position &position, double tx_power_dbm) {
    const auto id = static_cast<RadioNodeId>(nodes_.size());
    Node n;
    n.position = position;
    n.tx_power_dbm = std::clamp(tx_power_dbm, cfg_.min_tx_power_dbm, cfg_.max_tx_power_dbm);
    n.cca_threshold_dbm = cfg_.cca_threshold_dbm;
    phy_timing(n.channel, &n.timing);
    nodes_.push_back(std::move(n));
    if (nodes_.back().tx_power_dbm > grid_power_dbm_) {
        rebuild_grid();  // the cells must be as large as the new largest range
    } else {
        grid_insert(id);
    }
    mark_all_dirty();
    return id;
}

void RadioMedium::set_position(RadioNodeId node, const Position &position) {
    grid_erase(node);
    nodes_[node].position = position;
    grid_insert(node);
    mark_all_dirty();
}

double RadioMedium::set_tx_power(RadioNodeId node, double dbm) {
    Node &n = nodes_[node];
    n.tx_power_dbm = std::clamp(dbm, cfg_.min_tx_power_dbm, cfg_.max_tx_power_dbm);
    n.neighbours_dirty = true;
    if (n.tx_power_dbm > grid_power_dbm_)
        rebuild_grid();
    return n.tx_power_dbm;
}

double RadioMedium::rx_power_dbm(RadioNodeId tx, RadioNodeId rx) const {
    if (tx == rx || tx >= nodes_.size() || rx >= nodes_.size() || link_cut(tx, rx))
        return -std::numeric_limits<double>::infinity();
    const double loss = model_->path_loss_db(tx, rx, nodes_[tx].position, nodes_[rx].position);
    if (!std::isfinite(loss))
        return -std::numeric_limits<double>::infinity();
    return nodes_[tx].tx_power_dbm - loss;
}

std::vector<RadioNodeId> RadioMedium::neighbours(RadioNodeId tx) {
    if (nodes_[tx].neighbours_dirty)
        build_neighbours(tx);
    std::vector<RadioNodeId> out;
    for (const auto &nb : nodes_[tx].neighbours)
        out.push_back(nb.id);
    return out;
}

std::pair<std::int64_t, std::int64_t> RadioMedium::cell_of(const Position &p) const {
    return {static_cast<std::int64_t>(std::floor(p.x / cell_m_)),
            static_cast<std::int64_t>(std::floor(p.y / cell_m_))};
}

void RadioMedium::grid_insert(RadioNodeId id) {
    if (cell_m_ <= 0)
        return;
    nodes_[id].cell = cell_of(nodes_[id].position);
    grid_[nodes_[id].cell].push_back(id);
}

void RadioMedium::grid_erase(RadioNodeId id) {
    if (cell_m_ <= 0)
        return;
    auto it = grid_.find(nodes_[id].cell);
    if (it == grid_.end())
        return;
    auto &v = it->second;
    v.erase(std::remove(v.begin(), v.end(), id), v.end());
    if (v.empty())
        grid_.erase(it);
}

void RadioMedium::rebuild_grid() {
    grid_.clear();
    // Cells as large as the range of the strongest transmitter (0 dBm before any node), so a
    // node's candidates are in the 3 x 3 cells around it.
    grid_power_dbm_ = nodes_.empty() ? 0.0 : -std::numeric_limits<double>::infinity();
    for (const Node &n : nodes_)
        grid_power_dbm_ = std::max(grid_power_dbm_, n.tx_power_dbm);
    const double r = model_->position_based()
                         ? model_->max_range_m(grid_power_dbm_ - cfg_.interference_floor_dbm)
                         : 0.0;
    cell_m_ = std::isfinite(r) && r > 0 ? r : 0.0;
    for (RadioNodeId i = 0; i < nodes_.size(); ++i)
        grid_insert(i);
}

void RadioMedium::mark_all_dirty() {
    for (auto &n : nodes_)
        n.neighbours_dirty = true;
}

void RadioMedium::build_neighbours(RadioNodeId id) {
    Node &n = nodes_[id];
    n.neighbours.clear();
    n.neighbours_dirty = false;
    std::vector<RadioNodeId> candidates;
    double r = std::numeric_limits<double>::infinity();
    if (!model_->position_based()) {
        model_->links_from(id, &candidates);
    } else if (cell_m_ > 0) {
        r = model_->max_range_m(n.tx_power_dbm - cfg_.interference_floor_dbm);
        const auto lo = cell_of({n.position.x - r, n.position.y - r, 0});
        const auto hi = cell_of({n.position.x + r, n.position.y + r, 0});
        for (std::int64_t cx = lo.first; cx <= hi.first; ++cx) {
            for (std::int64_t cy = lo.second; cy <= hi.second; ++cy) {
                auto it = grid_.find({cx, cy});
                if (it != grid_.end())
                    candidates.insert(candidates.end(), it->second.begin(), it->second.end());
            }
        }
    } else {
        for (RadioNodeId j = 0; j < nodes_.size(); ++j)
            candidates.push_back(j);
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (RadioNodeId j : candidates) {
        if (j >= nodes_.size() || distance(n.position, nodes_[j].position) > r)
            continue;  // beyond any loss the model can give: not worth asking it
        const double rx = rx_power_dbm(id, j);
        if (rx >= cfg_.interference_floor_dbm)
            n.neighbours.push_back({j, rx, to_mw(rx)});
    }
}

// --- Faults ---------------------------------------------------------------------------------

void RadioMedium::start_interference(RadioChannel channel, Duration duration, double power_dbm,
                                     std::vector<RadioNodeId> nodes) {
    Transmission t;
    t.is_frame = false;
    t.air.id = next_tx_id_++;
    t.air.channel = channel;
    t.air.tx_power_dbm = power_dbm;
    t.air.start = sched_.now();
    t.air.sfd_time = t.air.start;
    t.air.end = t.air.start + duration;
    t.burst_nodes = std::move(nodes);
    const std::uint64_t id = t.air.id;
    Transmission &at = active_.emplace(id, std::move(t)).first->second;
    ++stats_.interference_bursts;
    const double mw = to_mw(power_dbm);
    if (at.burst_nodes.empty()) {
        for (RadioNodeId j = 0; j < nodes_.size(); ++j)
            contribute(at, j, power_dbm, mw, false);
    } else {
        for (RadioNodeId j : at.burst_nodes) {
            if (j < nodes_.size())
                contribute(at, j, power_dbm, mw, false);
        }
    }
    at.end_event = sched_.at(at.air.end, [this, id] { finish(id, false); });
}

void RadioMedium::schedule_interference(Instant at, RadioChannel channel, Duration duration,
                                        double power_dbm, std::vector<RadioNodeId> nodes) {
    fault_events_.push_back(sched_.at(at, [this, channel, duration, power_dbm, nodes] {
        start_interference(channel, duration, power_dbm, nodes);
    }));
}

void RadioMedium::set_radio_failed(RadioNodeId node, bool failed) {
    Node &n = nodes_[node];
    if (failed == n.failed)
        return;
    n.failed = failed;
    if (failed) {
        drop_lock(n, RadioRxDrop::kRadioOff);
        abort_request(node);
    }
}

void RadioMedium::schedule_radio_off(RadioNodeId node, Instant at, Duration duration) {
    fault_events_.push_back(sched_.at(at, [this, node] { set_radio_failed(node, true); }));
    fault_events_.push_back(
        sched_.at(saturating_add(at, duration), [this, node] { set_radio_failed(node, false); }));
}

void RadioMedium::set_link_cut(RadioNodeId tx, RadioNodeId rx, bool cut, bool both) {
    auto apply = [&](RadioNodeId a, RadioNodeId b) {
        if (cut)
            cuts_.insert({a, b});
        else
            cuts_.erase({a, b});
    };
    apply(tx, rx);
    if (both)
        apply(rx, tx);
    if (tx < nodes_.size())
        nodes_[tx].neighbours_dirty = true;
    if (rx < nodes_.size())
        nodes_[rx].neighbours_dirty = true;
}

void RadioMedium::schedule_link_cut(RadioNodeId a, RadioNodeId b, Instant at, Duration duration,
                                    bool both) {
    fault_events_.push_back(sched_.at(at, [this, a, b, both] { set_link_cut(a, b, true, both); }));
    fault_events_.push_back(sched_.at(saturating_add(at, duration),
                                      [this, a, b, both] { set_link_cut(a, b, false, both); }));
}

bool RadioMedium::link_cut(RadioNodeId tx, RadioNodeId rx) const {
    return !cuts_.empty() && cuts_.count({tx, rx}) != 0;
}

void RadioMedium::add_tap(RadioMediumTap *tap) {
    taps_.push_back(tap);
}

void RadioMedium::remove_tap(RadioMediumTap *tap) {
    taps_.erase(std::remove(taps_.begin(), taps_.end(), tap), taps_.end());
}

// --- Energy and reception -------------------------------------------------------------------

bool RadioMedium::listening(const Node &n) const {
    if (!n.rx_on || n.failed || sched_.now() < n.rx_ready_at)
        return false;
    return n.phase == Phase::kIdle || n.phase == Phase::kTxCca || n.phase == Phase::kCca ||
           n.phase == Phase::kEnergyDetect;
}

double RadioMedium::sinr_db(const Node &n, double signal_mw) const {
    const double others = std::max(0.0, n.energy_mw - signal_mw);
    return 10.0 * std::log10(signal_mw / (to_mw(cfg_.noise_floor_dbm) + others));
}

void RadioMedium::contribute(Transmission &t, RadioNodeId node, double rx_dbm, double rx_mw,
                             bool can_lock) {
    Node &n = nodes_[node];
    if (n.channel != t.air.channel)
        return;
    ++stats_.contributions;
    const bool carrier = t.is_frame && rx_dbm >= cfg_.sensitivity_dbm;
    n.energy_mw += rx_mw;
    ++n.contributions;
    if (carrier)
        ++n.carriers;
    t.contributions.push_back({node, n.epoch, rx_mw, carrier});
    if (n.sensing) {
        n.sense_max_mw = std::max(n.sense_max_mw, n.energy_mw);
        n.sense_carrier = n.sense_carrier || carrier;
    }
    // More energy: the frame being received may no longer survive.
    if (n.lock.tx != 0) {
        const double s = sinr_db(n, n.lock.signal_mw);
        n.lock.min_sinr_db = std::min(n.lock.min_sinr_db, s);
        if (s < cfg_.sinr_threshold_db)
            n.lock.corrupted = true;
    }
    if (!carrier || !can_lock)
        return;
    if (!listening(n)) {
        stats_.drops.count(RadioRxDrop::kDeaf);
        return;
    }
    const double s = sinr_db(n, rx_mw);
    if (n.lock.tx != 0) {
        if (s < cfg_.sinr_threshold_db) {
            stats_.drops.count(RadioRxDrop::kBusy);
            return;
        }
        drop_lock(n, RadioRxDrop::kCollision);  // captured by the stronger frame
    }
    n.lock.tx = t.air.id;
    n.lock.signal_mw = rx_mw;
    n.lock.rssi_dbm = rx_dbm;
    n.lock.min_sinr_db = s;
    n.lock.corrupted = s < cfg_.sinr_threshold_db;
}

void RadioMedium::drop_lock(Node &n, RadioRxDrop reason) {
    if (n.lock.tx == 0)
        return;
    stats_.drops.count(reason);
    n.lock = Lock{};
}

void RadioMedium::recompute_energy(RadioNodeId id) {
    Node &n = nodes_[id];
    ++n.epoch;
    n.energy_mw = 0;
    n.contributions = 0;
    n.carriers = 0;
    // What is already on the new channel is energy, but too late to synchronise on.
    for (auto &kv : active_) {
        Transmission &t = kv.second;
        if (t.air.channel != n.channel)
            continue;
        if (t.is_frame) {
            const double rx = rx_power_dbm(t.air.sender, id);
            if (rx >= cfg_.interference_floor_dbm)
                contribute(t, id, rx, to_mw(rx), false);
        } else if (t.burst_nodes.empty() || std::find(t.burst_nodes.begin(), t.burst_nodes.end(),
                                                      id) != t.burst_nodes.end()) {
            contribute(t, id, t.air.tx_power_dbm, to_mw(t.air.tx_power_dbm), false);
        }
    }
}

double RadioMedium::energy_dbm(RadioNodeId node) const {
    return to_dbm(to_mw(cfg_.noise_floor_dbm) + nodes_[node].energy_mw);
}

std::uint8_t RadioMedium::lqi(const Lock &l) const {
    const double margin =
        std::min(l.rssi_dbm - cfg_.sensitivity_dbm, l.min_sinr_db - cfg_.sinr_threshold_db);
    return static_cast<std::uint8_t>(std::clamp(std::lround(margin * 255.0 / 30.0), 0L, 255L));
}

void RadioMedium::finish(std::uint64_t tx_id, bool aborted) {
    auto it = active_.find(tx_id);
    if (it == active_.end())
        return;
    Transmission t = std::move(it->second);
    active_.erase(it);
    if (aborted) {
        t.aborted = true;
        t.air.end = sched_.now();
    }
    std::vector<Delivery> deliveries;
    for (const Contribution &c : t.contributions) {
        Node &n = nodes_[c.node];
        if (c.epoch != n.epoch)
            continue;
        --n.contributions;
        n.energy_mw = n.contributions == 0 ? 0.0 : std::max(0.0, n.energy_mw - c.mw);
        if (c.carrier)
            --n.carriers;
        if (n.lock.tx != tx_id)
            continue;
        const Lock l = n.lock;
        n.lock = Lock{};
        RadioRxDrop reason = RadioRxDrop::kCount;
        if (aborted) {
            reason = RadioRxDrop::kAborted;
        } else if (l.corrupted) {
            reason = RadioRxDrop::kCollision;
        } else if (link_cut(t.air.sender, c.node)) {
            reason = RadioRxDrop::kLinkCut;
        } else {
            const double p = model_->frame_loss(t.air.sender, c.node);
            if (p > 0 && double(rng_.next_u64() >> 11) / 9007199254740992.0 < p)
                reason = RadioRxDrop::kLinkLoss;
        }
        if (reason != RadioRxDrop::kCount) {
            stats_.drops.count(reason);
            continue;
        }
        ++stats_.deliveries;
        RadioRxFrame f;
        f.psdu = ByteSpan(t.psdu.data(), t.psdu.size());
        f.rssi_dbm = clamp_dbm(l.rssi_dbm);
        f.lqi = lqi(l);
        f.channel = t.air.channel;
        f.sfd_time = t.air.sfd_time;
        f.end_time = t.air.end;
        deliveries.push_back({c.node, f, l.rssi_dbm});
    }
    if (!t.is_frame)
        return;
    t.air.psdu = ByteSpan(t.psdu.data(), t.psdu.size());
    for (auto *tap : taps_)
        tap->on_air_end(t.air, aborted);
    if (aborted)
        return;  // abort_request() tells the sender
    Node &s = nodes_[t.air.sender];
    s.phase = Phase::kIdle;
    s.own_tx = 0;
    s.rx_ready_at = sched_.now() + s.timing.turnaround();
    for (const Delivery &d : deliveries) {
        AirReception r{&t.air, d.node, d.rssi_dbm, d.frame.lqi};
        for (auto *tap : taps_)
            tap->on_reception(r);
        if (nodes_[d.node].client)
            nodes_[d.node].client->medium_receive(d.frame);
    }
    RadioTxResult res;
    res.status = RadioTxStatus::kOk;
    res.sfd_time = t.air.sfd_time;
    res.end_time = t.air.end;
    // Looked up again: a receiver's callback may have added nodes.
    if (RadioMediumClient *client = nodes_[t.air.sender].client)
        client->medium_tx_done(res);
}

// --- One node's PHY -------------------------------------------------------------------------

void RadioMedium::attach(RadioNodeId node, RadioMediumClient *client) {
    nodes_[node].client = client;
}

Status RadioMedium::set_channel(RadioNodeId node, RadioChannel channel) {
    Node &n = nodes_[node];
    PhyTiming timing;
    if (!phy_timing(channel, &timing))
        return Status(Error::kUnsupported);
    if (n.phase != Phase::kIdle)
        return Status(Error::kBadState);
    if (channel == n.channel)
        return Status();
    drop_lock(n, RadioRxDrop::kRadioOff);
    n.channel = channel;
    n.timing = timing;
    recompute_energy(node);
    return Status();
}

void RadioMedium::set_receiving(RadioNodeId node, bool on) {
    Node &n = nodes_[node];
    if (!on)
        drop_lock(n, RadioRxDrop::kRadioOff);
    n.rx_on = on;
}

void RadioMedium::open_sense(Node &n) {
    n.sensing = true;
    n.sense_max_mw = n.energy_mw;
    n.sense_carrier = n.carriers > 0;
}

bool RadioMedium::sense_busy(const Node &n, CcaMode mode) const {
    const bool energy = to_dbm(to_mw(cfg_.noise_floor_dbm) + n.sense_max_mw) >= n.cca_threshold_dbm;
    const bool carrier = n.sense_carrier;
    switch (mode) {
        case CcaMode::kEnergy:
            return energy;
        case CcaMode::kCarrierSense:
            return carrier;
        case CcaMode::kCarrierAndEnergy:
            return carrier && energy;
        case CcaMode::kCarrierOrEnergy:
            return carrier || energy;
    }
    return energy;
}

Status RadioMedium::transmit(RadioNodeId node, ByteSpan psdu, bool cca, CcaMode mode) {
    Node &n = nodes_[node];
    if (psdu.size == 0 || psdu.size > PhyTiming::kMaxPsdu)
        return Status(Error::kInvalidArgument);
    if (n.failed || !n.rx_on || n.phase != Phase::kIdle)
        return Status(Error::kBadState);
    n.tx_psdu.assign(psdu.begin(), psdu.end());
    if (cca) {
        n.phase = Phase::kTxCca;
        n.cca_mode = mode;
        open_sense(n);
        n.op_event = sched_.after(n.timing.cca(), [this, node] { end_cca(node); });
    } else {
        start_turnaround(node);
    }
    return Status();
}

Status RadioMedium::start_cca(RadioNodeId node, CcaMode mode) {
    Node &n = nodes_[node];
    if (n.failed || !n.rx_on || n.phase != Phase::kIdle)
        return Status(Error::kBadState);
    n.phase = Phase::kCca;
    n.cca_mode = mode;
    open_sense(n);
    n.op_event = sched_.after(n.timing.cca(), [this, node] { end_cca(node); });
    return Status();
}

Status RadioMedium::start_energy_detect(RadioNodeId node, Duration duration) {
    Node &n = nodes_[node];
    if (n.failed || !n.rx_on || n.phase != Phase::kIdle)
        return Status(Error::kBadState);
    n.phase = Phase::kEnergyDetect;
    open_sense(n);
    n.op_event = sched_.after(duration, [this, node] { end_cca(node); });
    return Status();
}

void RadioMedium::end_cca(RadioNodeId id) {
    Node &n = nodes_[id];
    n.sensing = false;
    const Phase phase = n.phase;
    if (phase == Phase::kEnergyDetect) {
        n.phase = Phase::kIdle;
        const double e = to_dbm(to_mw(cfg_.noise_floor_dbm) + n.sense_max_mw);
        if (n.client)
            n.client->medium_energy_detect_done(clamp_dbm(e));
        return;
    }
    const bool busy = sense_busy(n, n.cca_mode);
    ++(busy ? stats_.cca_busy : stats_.cca_clear);
    if (phase == Phase::kCca) {
        n.phase = Phase::kIdle;
        if (n.client)
            n.client->medium_cca_done(!busy);
        return;
    }
    if (busy) {
        n.phase = Phase::kIdle;
        RadioTxResult res;
        res.status = RadioTxStatus::kChannelBusy;
        if (n.client)
            n.client->medium_tx_done(res);
        return;
    }
    start_turnaround(id);
}

void RadioMedium::start_turnaround(RadioNodeId id) {
    Node &n = nodes_[id];
    n.phase = Phase::kTurnaround;
    drop_lock(n, RadioRxDrop::kHalfDuplex);
    n.op_event = sched_.after(n.timing.turnaround(), [this, id] { start_air(id); });
}

void RadioMedium::start_air(RadioNodeId id) {
    Node &n = nodes_[id];
    n.phase = Phase::kTx;
    Transmission t;
    t.air.id = next_tx_id_++;
    t.air.sender = id;
    t.air.channel = n.channel;
    t.air.tx_power_dbm = n.tx_power_dbm;
    t.air.start = sched_.now();
    t.air.sfd_time = t.air.start + n.timing.shr();
    t.air.end = t.air.start + n.timing.ppdu(n.tx_psdu.size());
    t.psdu = std::move(n.tx_psdu);
    n.tx_psdu.clear();
    const std::uint64_t tx_id = t.air.id;
    n.own_tx = tx_id;
    Transmission &at = active_.emplace(tx_id, std::move(t)).first->second;
    at.air.psdu = ByteSpan(at.psdu.data(), at.psdu.size());
    ++stats_.frames;
    if (cfg_.all_pairs) {
        // Baseline: ask the model about every node, every frame.
        for (RadioNodeId j = 0; j < nodes_.size(); ++j) {
            const double rx = rx_power_dbm(id, j);
            if (rx >= cfg_.interference_floor_dbm)
                contribute(at, j, rx, to_mw(rx), true);
        }
    } else {
        if (n.neighbours_dirty)
            build_neighbours(id);
        for (const Neighbour &nb : nodes_[id].neighbours)
            contribute(at, nb.id, nb.rx_dbm, nb.rx_mw, true);
    }
    for (auto *tap : taps_)
        tap->on_air_start(at.air);
    at.end_event = sched_.at(at.air.end, [this, tx_id] { finish(tx_id, false); });
}

void RadioMedium::abort_request(RadioNodeId id) {
    Node &n = nodes_[id];
    const Phase phase = n.phase;
    if (phase == Phase::kIdle)
        return;
    sched_.cancel(n.op_event);
    n.sensing = false;
    n.phase = Phase::kIdle;
    if (phase == Phase::kTx) {
        auto it = active_.find(n.own_tx);
        if (it != active_.end()) {
            sched_.cancel(it->second.end_event);
            ++stats_.frames_aborted;
            finish(n.own_tx, true);
        }
        n.own_tx = 0;
        n.rx_ready_at = sched_.now() + n.timing.turnaround();
    }
    n.tx_psdu.clear();
    if (!n.client)
        return;
    if (phase == Phase::kCca) {
        n.client->medium_cca_done(false);
    } else if (phase == Phase::kEnergyDetect) {
        n.client->medium_energy_detect_done(clamp_dbm(cfg_.noise_floor_dbm));
    } else {
        RadioTxResult res;
        res.status = RadioTxStatus::kAborted;
        n.client->medium_tx_done(res);
    }
}

}  // namespace meshwork::sim
