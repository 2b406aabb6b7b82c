// RPL (RFC 6550) on one 6LoWPAN interface of a Stack, in grounded non-storing mode (MOP 1)
// with source routing (RFC 6554) from the root (docs/rpl.md):
//   - DIS (8.3, 18.2.1): multicast while not joined; a router answers a unicast DIS with a
//     unicast DIO and treats a multicast one as an inconsistency;
//   - DIO (8.2, 8.3) on a trickle timer (RFC 6206) with the DODAG Configuration option and a
//     PIO with the R flag (the sender's global address); routers learn the prefix from it;
//   - DAO / DAO-ACK (9.2.2, 9.3, 9.7, 9.9): a node's global address and external targets
//     (add_target) with a transit naming its preferred parent's global address, sent to the
//     root, retransmitted until acknowledged (a bound), refreshed before the path lifetime ends;
//   - parent selection with OF0 or MRHOF (ObjectiveFunction.h), ETX per neighbour from the
//     MAC's transmission outcomes (LowpanAdaptation::set_tx_observer);
//   - local repair (8.2.2.5: a parent lost after failed transmissions, DAO failures or silence;
//     another parent, or detach with a poisoning INFINITE_RANK DIO), global repair (the root's
//     increment_version(), 8.2.2.1), the DODAG version as a lollipop counter (7.2);
//   - the data plane hooks of the Stack (stack/RplDataPlane.h): the RPL option on packets going
//     up with the rank check (RFC 6553, 11.2), the root's source routes from its DAO table.
// Roles: kRoot (the DODAG root), kRouter, kLeaf (joins and sends DAOs, never DIOs, never routes:
// give its Stack forwarding = false). The owner calls poll() when next_deadline() comes and after
// any input (like Stack).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/ExpiringTable.h"
#include "core/Random.h"
#include "core/Time.h"
#include "mesh/lowpan/LowpanAdaptation.h"
#include "ObjectiveFunction.h"
#include "stack/RplDataPlane.h"
#include "stack/Stack.h"
#include "Trickle.h"
#include "wire/Ieee802154.h"
#include "wire/Ip6Address.h"
#include "wire/Rpl.h"

namespace meshwork::rpl {

enum class RplRole : std::uint8_t { kRoot, kRouter, kLeaf };

/// Defaults: the Nanostack border router's (mesh-facts.md): instance 1, Imin 2^12 ms, 9
/// doublings, k 10, MaxRankIncrease 2048, MinHopRankIncrease 128, lifetime 64 x 60 s, PCS 1,
/// OCP 1 (MRHOF). Non-root nodes take the DODAG configuration from the root's DIOs.
struct RplConfig {
    RplRole role = RplRole::kRouter;
    std::uint8_t instance_id = 1;
    std::uint8_t dio_interval_min = 12;  // Imin = 2^12 ms
    std::uint8_t dio_interval_doublings = 9;
    std::uint8_t dio_redundancy_constant = 10;
    std::uint16_t max_rank_increase = 2048;
    std::uint16_t min_hop_rank_increase = 128;
    std::uint16_t ocp = Ocp::kMrhof;
    std::uint8_t default_lifetime = 64;
    std::uint16_t lifetime_unit = 60;  // seconds
    std::uint8_t pcs = 1;
    std::uint8_t preference = 0;
    OfParams of;  // min_hop_rank_increase / max_rank_increase are taken from the above

    // Root
    wire::Ip6Address prefix;  // the DODAG's /prefix_length (advertised in the PIO)
    std::uint8_t prefix_length = 64;
    /// The DODAGID, the root's global address; unspecified: prefix + the link-local IID.
    wire::Ip6Address dodag_id;
    std::uint32_t prefix_valid_lifetime = 0xffffffff;

    // Nodes
    /// Forms the node's global address (PIO prefix + link-local IID, /128, no DAD) from a DIO's
    /// PIO with the A flag. Off when 6LoWPAN-ND assigns it (the address is then whatever global
    /// address the interface has within the prefix).
    bool form_address = true;
    /// Installs a LowpanAdaptation resolver: a next hop inside the DODAG prefix maps to the MAC
    /// address of its IID (addresses formed from EUI-64s). Off when 6LoWPAN-ND's registration
    /// table resolves them.
    bool resolve_prefix_iids = true;
    Duration dis_interval = std::chrono::seconds(10);  // DIS while not joined
    /// Each further DIS waits twice as long, up to this (a multicast DIS resets the trickle
    /// timer of every router that hears it: a node far out waiting for the mesh to reach it
    /// would otherwise keep its neighbourhood at Imin). Equal to dis_interval: no backoff.
    Duration dis_max_interval = std::chrono::seconds(60);
    Duration dao_ack_timeout = std::chrono::seconds(3);
    unsigned dao_max_transmissions = 4;  // then a pause and a new sequence (the parent stays)
    Duration dao_delay = std::chrono::milliseconds(500);  // DAO_DELAY-like, randomised
    /// A neighbour is dropped after this many consecutive failed unicast transmissions.
    unsigned max_tx_failures = 3;
    /// A parent not heard from for this long is dropped (0: never). DIO intervals reach Imax.
    Duration parent_timeout = Duration::zero();
    /// After detaching, only candidates ranked below the old rank are taken for this long.
    Duration detach_hold = std::chrono::seconds(8);
    /// Parent probing: with no acknowledged unicast frame to the preferred parent for this
    /// long, a unicast DIS to it (0: never). A node that only receives (a download, a quiet
    /// sensor) would otherwise not notice a lost parent, and the root's source routes would
    /// keep going through it.
    Duration probe_interval = std::chrono::seconds(30);
    /// After an unacknowledged probe, the next one this soon (max_tx_failures in a row drop
    /// the parent).
    Duration probe_retry = std::chrono::seconds(2);
    std::size_t max_candidates = 16;
    /// A router sends DIOs as soon as it joins (RFC 6550). Off: only once its owner says it can
    /// serve children (set_ready(): for 6LoWPAN-ND, registered and DAO-acknowledged), so that no
    /// node picks a parent that cannot forward or register it yet and then waits for it.
    bool advertise_on_join = true;
    std::uint16_t initial_etx = 2 * kEtxOne;
    std::uint16_t etx_failure_sample = 8 * kEtxOne;
};

struct RplStats {
    std::uint64_t dis_sent = 0, dis_received = 0;
    std::uint64_t dio_sent = 0, dio_received = 0;
    std::uint64_t dao_sent = 0, dao_received = 0, dao_retransmissions = 0, dao_failures = 0;
    std::uint64_t dao_ack_sent = 0, dao_ack_received = 0;
    std::uint64_t parent_changes = 0, local_repairs = 0, global_repairs = 0;
    std::uint64_t poison_sent = 0;
    std::uint64_t rank_errors = 0, loops_dropped = 0;
};

enum class RplDrop : std::uint8_t {
    kMalformed,        // does not parse
    kOtherInstance,    // another RPLInstanceID
    kUnsupportedMode,  // a DIO with a MOP other than non-storing
    kOlderVersion,     // a DIO of an older DODAG version
    kNotRoot,          // a DAO at a non-root
    kRoleIgnores,      // e.g. a DIS at a leaf
    kNoGlobalAddress,  // a DAO could not be sent: no global address yet
    kSendFailed,       // the stack refused a message
    kCount
};
const char *rpl_drop_name(RplDrop d);

/// A neighbour that sent DIOs: a candidate parent.
struct RplNeighbor {
    wire::Ip6Address link_local;
    wire::Ip6Address global;  // from the PIO with R (unspecified if not known)
    wire::MacAddress mac;
    std::uint16_t rank = kInfiniteRank;
    std::uint8_t version = 0;
    std::uint8_t dtsn = 0;
    std::uint16_t etx = 2 * kEtxOne;
    unsigned tx_failures = 0;
    Instant last_heard{};
};

/// The root's record of a DAO target (non-storing: the target's parent).
struct RplDaoRoute {
    wire::Ip6Address target;
    wire::Ip6Address parent;
    std::uint8_t path_sequence = 0;
    Instant expires = kNever;
};

class Rpl final : public stack::RplDataPlane {
  public:
    Rpl(stack::Stack &stack, stack::IfIndex ifindex, lowpan::LowpanAdaptation &lowpan,
        const Clock &clock, Random &random, RplConfig config);
    ~Rpl() override;
    Rpl(const Rpl &) = delete;
    Rpl &operator=(const Rpl &) = delete;

    /// Registers for ICMPv6 155, joins ff02::1a, installs the data plane hooks; the root
    /// starts its DODAG, other nodes send a DIS. kBadState before the link-local address is
    /// usable; kInvalidArgument for a leaf on a forwarding Stack.
    Status start();
    void stop();
    Instant next_deadline() const;
    void poll();

    // ---- State ---------------------------------------------------------------------------
    bool joined() const { return joined_; }
    /// With advertise_on_join off: whether this router may now advertise (DIOs, answers to
    /// DIS). Opening it starts the trickle timer afresh (Imin): children hear it soon.
    void set_ready(bool ready);
    bool advertising() const {
        return joined_ && cfg_.role != RplRole::kLeaf &&
               (cfg_.role == RplRole::kRoot || cfg_.advertise_on_join || ready_);
    }
    std::uint16_t rank() const { return rank_; }
    std::optional<wire::Ip6Address> preferred_parent() const;
    std::uint8_t dodag_version() const { return version_; }
    const wire::Ip6Address &dodag_id() const { return dodag_id_; }
    /// The node's global address in the DODAG prefix (unspecified until known).
    wire::Ip6Address global_address() const;
    bool dao_acknowledged() const { return dao_acked_; }
    const RplConfig &config() const { return cfg_; }
    RplRole role() const { return cfg_.role; }

    /// External targets advertised in this node's DAOs (e.g. 6LoWPAN-ND hosts).
    void add_target(const wire::Ip6Address &addr);
    void remove_target(const wire::Ip6Address &addr);
    const std::vector<wire::Ip6Address> &targets() const { return targets_; }
    void set_parent_listener(std::function<void(std::optional<wire::Ip6Address>)> fn) {
        parent_listener_ = std::move(fn);
    }

    /// Root: global repair (8.2.2.1): a new DODAG version; nodes rejoin and send new DAOs.
    Status increment_version();
    /// A unicast transmission's outcome (ETX, neighbour loss). start() subscribes to the
    /// adaptation layer's tx observer; an owner that replaces the observer forwards here.
    void on_tx(const wire::MacAddress &dst, bool success, unsigned attempts);

    // ---- Introspection -------------------------------------------------------------------
    const std::vector<RplNeighbor> &neighbors() const { return nbrs_; }
    /// The root's DAO routes (non-storing mode), in target order.
    const ExpiringTable<wire::Ip6Address, RplDaoRoute> &dao_routes() const { return dao_table_; }
    const RplStats &stats() const { return stats_; }
    const DropCounters<RplDrop> &drops() const { return drops_; }
    const Trickle &trickle() const { return trickle_; }
    const ObjectiveFunction &objective() const { return of_; }

    // ---- Message building (also for tests) ----------------------------------------------
    /// The DIO this node sends now (rank INFINITE when poisoning); the ICMPv6 checksum over
    /// `src` -> `dst`.
    std::vector<std::uint8_t> build_dio(const wire::Ip6Address &src,
                                        const wire::Ip6Address &dst) const;
    std::vector<std::uint8_t> build_dao(const wire::Ip6Address &src, const wire::Ip6Address &dst,
                                        std::uint8_t path_lifetime) const;

    // ---- stack::RplDataPlane ---------------------------------------------------------------
    bool source_route(const wire::Ip6Address &dst, stack::SourceRoute &out) override;
    std::optional<wire::RplHopOption> rpl_option(const wire::Ip6Address &dst) override;
    bool forward_rpl_option(wire::RplHopOption &opt) override;

    /// RFC 6550 7.2: lollipop counter comparison and increment.
    static bool lollipop_greater(std::uint8_t a, std::uint8_t b);
    static std::uint8_t lollipop_next(std::uint8_t v);

  private:
    bool on_icmp(stack::IfIndex ifindex, const wire::Ip6View &ip, ByteSpan message);
    void on_dis(const wire::Ip6View &ip);
    void on_dio(const wire::Ip6View &ip, const wire::RplView &v);
    void on_dao(const wire::Ip6View &ip, const wire::RplView &v);
    void on_dao_ack(const wire::RplView &v);

    void send_dis(const wire::Ip6Address &dst = wire::Ip6Address::all_rpl_nodes());
    void schedule_probe(Instant now, bool retry);
    void send_dio(const wire::Ip6Address &dst);
    void send_dao(bool retransmission);
    void send_dao_ack(const wire::Ip6Address &dst, std::uint8_t sequence);
    Status send(const wire::Ip6Address &dst, const std::vector<std::uint8_t> &msg,
                std::uint8_t hop_limit);
    void reselect(Instant now);
    void detach(Instant now);
    void set_default_route(const std::optional<wire::Ip6Address> &parent);
    void learn_prefix(const wire::RplPrefixInfo &pio);
    void apply_config(const wire::RplDodagConfig &c);
    void schedule_dao(Instant now);
    void remove_neighbor(std::size_t i);
    RplNeighbor *find(const wire::Ip6Address &ll);
    std::vector<OfCandidate> candidates() const;
    wire::Ip6Address parent_global() const;
    Duration path_lifetime() const;
    void drop(RplDrop d) { drops_.count(d); }

    stack::Stack &stack_;
    stack::IfIndex ifindex_;
    lowpan::LowpanAdaptation &lowpan_;
    const Clock &clock_;
    Random &random_;
    RplConfig cfg_;
    ObjectiveFunction of_;
    Trickle trickle_;
    bool started_ = false;

    // DODAG state
    bool joined_ = false;
    bool ready_ = false;  // set_ready()
    wire::Ip6Address dodag_id_;
    std::uint8_t version_ = 240;  // RFC 6550 7.2: lollipop counters start at 240
    std::uint8_t dtsn_ = 240;
    std::uint16_t rank_ = kInfiniteRank;
    std::uint16_t lowest_rank_ = kInfiniteRank;  // L of 8.2.2.4 in this version
    int parent_ = -1;                            // index into nbrs_
    wire::Ip6Address prefix_;
    std::uint8_t prefix_length_ = 0;
    wire::Ip6Address global_;
    bool have_config_ = false;
    wire::RplDodagConfig dodag_config_;  // the root's, or the one learned from DIOs
    std::uint32_t pio_valid_ = 0xffffffff, pio_preferred_ = 0xffffffff;
    std::vector<RplNeighbor> nbrs_;
    bool reselect_pending_ = false;
    std::optional<wire::Ip6Address> route_parent_;  // the default route installed
    std::optional<wire::Ip6Address> reported_parent_;

    // Detached (local repair)
    unsigned poison_left_ = 0;
    Instant poison_at_ = kNever;
    std::uint16_t detached_rank_ = kInfiniteRank;
    Instant detach_until_{};

    // DIS
    Instant dis_at_ = kNever;
    Duration dis_wait_{};        // the current DIS interval (backing off to dis_max_interval)
    Instant probe_at_ = kNever;  // the next parent probe
    std::vector<wire::Ip6Address> dio_unicast_;  // DIS senders owed a unicast DIO

    // DAO (nodes)
    std::vector<wire::Ip6Address> targets_;
    std::uint8_t dao_seq_ = 240;
    std::uint8_t path_seq_ = 240;
    Instant dao_at_ = kNever;         // next (re)transmission or refresh
    unsigned dao_transmissions_ = 0;  // of the current sequence
    bool dao_acked_ = false;
    // The parent the DAO in flight names, and the one the last DAO-ACK confirmed: a refresh
    // through the same parent leaves the root's path (and this node's readiness) in place.
    wire::Ip6Address dao_via_, acked_via_;
    bool dao_pending_ = false;  // a DAO awaiting its ACK

    // Root
    ExpiringTable<wire::Ip6Address, RplDaoRoute> dao_table_;
    std::vector<std::pair<wire::Ip6Address, std::uint8_t>> acks_owed_;

    RplStats stats_;
    DropCounters<RplDrop> drops_;
    std::function<void(std::optional<wire::Ip6Address>)> parent_listener_;
};

}  // namespace meshwork::rpl
