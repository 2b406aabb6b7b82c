// The shared IEEE 802.15.4 radio medium: bytes, timing and energy, no protocol. Nodes have a
// position, a transmit power and a channel; a transmission puts energy on its channel at every
// node the propagation model lets it reach, for exactly its PPDU air time (RadioPhy.h).
//
// Reception (per receiver, per frame):
//   * A receiver synchronises on a frame whose preamble starts while it is listening (on, on that
//     channel, not transmitting, past its TX->RX turnaround) and whose power is at least the
//     sensitivity. A frame that starts while it is deaf is missed whole.
//   * The frame survives if its SINR, signal over noise floor plus the sum of every other
//     signal on the channel, stays at or above sinr_threshold_db for its whole duration (checked
//     whenever energy rises, which is exact: energy only rises when a transmission starts).
//   * Capture: a later frame whose SINR at its start is above the threshold takes the receiver
//     over (the first one is lost); a weaker one only interferes.
//   * Half duplex: transmitting (and the turnaround before it) loses the frame being received.
//   * Channels do not interfere with each other.
//   * Propagation delay is zero (0.3 us per 100 m, below the 1 us resolution).
// CCA and energy detection take the maximum energy seen during their window.
//
// Cost: each node keeps the list of nodes its signal reaches above interference_floor_dbm,
// built from a spatial grid (cells as large as the largest range) or from the model's explicit
// links, and rebuilt only when a position, power, link cut or the model changes. A frame then
// costs O(neighbours), not O(N). `all_pairs` turns this off (each frame tests every node), as a
// baseline for benchmarks.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "core/DropCounters.h"
#include "core/Radio.h"
#include "core/Random.h"
#include "sim/Propagation.h"
#include "sim/RadioPhy.h"
#include "sim/Scheduler.h"

namespace meshwork::sim {

inline constexpr RadioNodeId kNoRadioNode = 0xffffffffu;

struct RadioMediumConfig {
    double noise_floor_dbm = -100;
    double sensitivity_dbm = -95;
    double sinr_threshold_db = 5;
    double cca_threshold_dbm = -75;        // default ED threshold (a radio may set its own)
    double interference_floor_dbm = -110;  // weaker signals are ignored entirely
    double min_tx_power_dbm = -40;
    double max_tx_power_dbm = 10;
    std::uint64_t seed = 0;  // per-frame link loss draws
    bool all_pairs = false;  // benchmark baseline: no neighbour lists
};

/// Why a frame that reached a receiver at or above its sensitivity was not delivered.
enum class RadioRxDrop : std::uint8_t {
    kCollision,   // SINR fell below the threshold (or a stronger frame captured the receiver)
    kBusy,        // the receiver was already synchronised on another frame
    kDeaf,        // off, asleep, transmitting or in turnaround when the preamble arrived
    kHalfDuplex,  // the receiver started to transmit during the frame
    kRadioOff,    // the receiver was turned off or changed channel during the frame
    kAborted,     // the sender stopped during the frame
    kLinkLoss,    // the link's per-frame loss probability
    kLinkCut,     // a link cut (fault) during the frame
    kCount
};
const char *drop_reason_name(RadioRxDrop r);

/// One transmission as seen by taps (at its start: the bytes are known, the outcome is not).
struct AirFrame {
    std::uint64_t id = 0;
    RadioNodeId sender = kNoRadioNode;
    RadioChannel channel;
    double tx_power_dbm = 0;
    Instant start{};     // first preamble symbol
    Instant sfd_time{};  // end of the SFD
    Instant end{};       // last symbol (for an aborted frame: when it stopped)
    ByteSpan psdu;       // valid during the callback
};

/// One frame delivered to one receiver.
struct AirReception {
    const AirFrame *frame = nullptr;
    RadioNodeId receiver = kNoRadioNode;
    double rssi_dbm = 0;
    std::uint8_t lqi = 0;
};

/// Observes the medium (captures, traces). Callbacks must not change the medium.
class RadioMediumTap {
  public:
    virtual ~RadioMediumTap() = default;
    virtual void on_air_start(const AirFrame &frame) { (void)frame; }
    virtual void on_air_end(const AirFrame &frame, bool aborted) { (void)frame, (void)aborted; }
    virtual void on_reception(const AirReception &reception) { (void)reception; }
};

/// What the medium reports to a node's radio (SimRadio implements it).
class RadioMediumClient {
  public:
    virtual ~RadioMediumClient() = default;
    virtual void medium_tx_done(const RadioTxResult &result) = 0;
    virtual void medium_receive(const RadioRxFrame &frame) = 0;
    virtual void medium_cca_done(bool clear) = 0;
    virtual void medium_energy_detect_done(std::int8_t max_dbm) = 0;
};

struct RadioMediumStats {
    std::uint64_t frames = 0;  // transmissions started
    std::uint64_t frames_aborted = 0;
    std::uint64_t deliveries = 0;  // (frame, receiver) pairs delivered
    std::uint64_t cca_busy = 0;
    std::uint64_t cca_clear = 0;
    std::uint64_t interference_bursts = 0;
    std::uint64_t contributions = 0;  // (transmission, node) energy updates: the medium's work
    DropCounters<RadioRxDrop> drops;
};

class RadioMedium {
  public:
    RadioMedium(Scheduler &scheduler, std::unique_ptr<Propagation> propagation,
                const RadioMediumConfig &config = {});
    RadioMedium(const RadioMedium &) = delete;
    RadioMedium &operator=(const RadioMedium &) = delete;
    ~RadioMedium();

    Scheduler &scheduler() { return sched_; }
    const RadioMediumConfig &config() const { return cfg_; }
    const RadioMediumStats &stats() const { return stats_; }
    const Propagation &propagation() const { return *model_; }
    /// Replaces the model (every neighbour list is rebuilt before the next frame).
    void set_propagation(std::unique_ptr<Propagation> propagation);

    // --- Topology -------------------------------------------------------------------------
    RadioNodeId add_node(const Position &position, double tx_power_dbm = 0);
    std::size_t node_count() const { return nodes_.size(); }
    void set_position(RadioNodeId node, const Position &position);
    Position position(RadioNodeId node) const { return nodes_[node].position; }
    /// Clamped to [min_tx_power_dbm, max_tx_power_dbm]; returns the power in use.
    double set_tx_power(RadioNodeId node, double dbm);
    double tx_power(RadioNodeId node) const { return nodes_[node].tx_power_dbm; }
    /// Received power at rx of a frame from tx now (-infinity when it gets nothing).
    double rx_power_dbm(RadioNodeId tx, RadioNodeId rx) const;
    /// The nodes tx's signal reaches above the interference floor (its neighbour list).
    std::vector<RadioNodeId> neighbours(RadioNodeId tx);

    // --- Faults (immediate, or scheduled at a virtual time) -------------------------------
    /// Noise of `power_dbm` at every listed node (all nodes when empty) on `channel`.
    void start_interference(RadioChannel channel, Duration duration, double power_dbm,
                            std::vector<RadioNodeId> nodes = {});
    void schedule_interference(Instant at, RadioChannel channel, Duration duration,
                               double power_dbm, std::vector<RadioNodeId> nodes = {});
    /// A node's radio held off: ongoing requests end (tx kAborted, CCA busy), nothing received.
    void set_radio_failed(RadioNodeId node, bool failed);
    void schedule_radio_off(RadioNodeId node, Instant at, Duration duration);
    /// Cuts the link tx -> rx (and rx -> tx when `both`): nothing passes, not even energy.
    void set_link_cut(RadioNodeId tx, RadioNodeId rx, bool cut, bool both = true);
    void schedule_link_cut(RadioNodeId a, RadioNodeId b, Instant at, Duration duration,
                           bool both = true);
    bool link_cut(RadioNodeId tx, RadioNodeId rx) const;

    // --- Taps -----------------------------------------------------------------------------
    void add_tap(RadioMediumTap *tap);
    void remove_tap(RadioMediumTap *tap);

    // --- The PHY of one node (SimRadio's side) --------------------------------------------
    void attach(RadioNodeId node, RadioMediumClient *client);
    Status set_channel(RadioNodeId node, RadioChannel channel);
    RadioChannel channel(RadioNodeId node) const { return nodes_[node].channel; }
    const PhyTiming &timing(RadioNodeId node) const { return nodes_[node].timing; }
    void set_receiving(RadioNodeId node, bool on);
    bool receiving(RadioNodeId node) const { return nodes_[node].rx_on; }
    bool failed(RadioNodeId node) const { return nodes_[node].failed; }
    bool busy(RadioNodeId node) const { return nodes_[node].phase != Phase::kIdle; }
    void set_cca_threshold(RadioNodeId node, double dbm) { nodes_[node].cca_threshold_dbm = dbm; }
    Status transmit(RadioNodeId node, ByteSpan psdu, bool cca, CcaMode mode);
    Status start_cca(RadioNodeId node, CcaMode mode);
    Status start_energy_detect(RadioNodeId node, Duration duration);
    /// Energy on the node's channel now (signals plus noise floor), in dBm.
    double energy_dbm(RadioNodeId node) const;

  private:
    enum class Phase : std::uint8_t { kIdle, kTxCca, kTurnaround, kTx, kCca, kEnergyDetect };

    struct Neighbour {
        RadioNodeId id;
        double rx_dbm;
        double rx_mw;
    };
    struct Lock {
        std::uint64_t tx = 0;  // 0: none
        double signal_mw = 0;
        double rssi_dbm = 0;
        double min_sinr_db = 0;
        bool corrupted = false;
    };
    struct Node {
        Position position;
        double tx_power_dbm = 0;
        RadioChannel channel;
        PhyTiming timing;
        RadioMediumClient *client = nullptr;
        bool rx_on = true;
        bool failed = false;
        Phase phase = Phase::kIdle;
        Scheduler::EventId op_event{};
        std::uint64_t own_tx = 0;
        std::vector<std::uint8_t> tx_psdu;
        Instant rx_ready_at{};
        double cca_threshold_dbm = 0;
        CcaMode cca_mode = CcaMode::kEnergy;
        // Energy on the channel, from the contributions of active transmissions.
        double energy_mw = 0;
        std::uint32_t contributions = 0;
        std::uint32_t carriers = 0;  // frames at or above sensitivity
        std::uint32_t epoch = 0;     // bumped when the channel changes
        bool sensing = false;
        double sense_max_mw = 0;
        bool sense_carrier = false;
        Lock lock;
        std::vector<Neighbour> neighbours;
        bool neighbours_dirty = true;
        std::pair<std::int64_t, std::int64_t> cell{};
    };
    struct Contribution {
        RadioNodeId node;
        std::uint32_t epoch;
        double mw;
        bool carrier;
    };
    struct Transmission {
        AirFrame air;
        std::vector<std::uint8_t> psdu;
        bool is_frame = true;
        bool aborted = false;
        Scheduler::EventId end_event{};
        std::vector<Contribution> contributions;
        std::vector<RadioNodeId> burst_nodes;  // interference: where (empty: everywhere)
    };
    struct Delivery {
        RadioNodeId node;
        RadioRxFrame frame;
        double rssi_dbm;
    };

    bool listening(const Node &n) const;
    double sinr_db(const Node &n, double signal_mw) const;
    void build_neighbours(RadioNodeId id);
    std::pair<std::int64_t, std::int64_t> cell_of(const Position &p) const;
    void grid_insert(RadioNodeId id);
    void grid_erase(RadioNodeId id);
    void mark_all_dirty();
    void rebuild_grid();

    void contribute(Transmission &t, RadioNodeId node, double rx_dbm, double rx_mw, bool can_lock);
    void finish(std::uint64_t tx_id, bool aborted);
    void drop_lock(Node &n, RadioRxDrop reason);
    void recompute_energy(RadioNodeId id);
    void open_sense(Node &n);
    bool sense_busy(const Node &n, CcaMode mode) const;

    void start_turnaround(RadioNodeId id);
    void start_air(RadioNodeId id);
    void end_cca(RadioNodeId id);
    void abort_request(RadioNodeId id);
    std::uint8_t lqi(const Lock &l) const;

    Scheduler &sched_;
    std::unique_ptr<Propagation> model_;
    RadioMediumConfig cfg_;
    RadioMediumStats stats_;
    SeededRandom rng_;
    std::vector<Node> nodes_;
    std::map<std::uint64_t, Transmission> active_;  // by id: deterministic order
    std::uint64_t next_tx_id_ = 1;
    std::set<std::pair<RadioNodeId, RadioNodeId>> cuts_;
    std::vector<RadioMediumTap *> taps_;
    // Spatial grid (position-based models with a finite range).
    double cell_m_ = 0;
    double grid_power_dbm_ = 0;
    std::map<std::pair<std::int64_t, std::int64_t>, std::vector<RadioNodeId>> grid_;
    std::vector<Scheduler::EventId> fault_events_;
};

}  // namespace meshwork::sim
