// 6LoWPAN Neighbor Discovery (docs/nd.md): RFC 6775 with the RFC 8505 Extended Address
// Registration Option, one instance per 6LoWPAN interface, in one of three roles:
//   host (6LN)    RS to all-routers with backoff (RFC 6775 5.3) until an RA comes; takes PIO,
//                 6CO (into the adaptation layer's context table) and ABRO (RFC 6775 4.3:
//                 a newer version replaces prefix and context information); forms its global
//                 address (prefix + modified EUI-64 IID) and registers it with one router by
//                 NS+EARO (RFC 6775 5.5, RFC 8505 5), re-registering before the lifetime ends;
//   router (6LR)  the host part towards its upstream router, and: RAs in reply to RS only
//                 (RFC 6775 6.3; one multicast RA when the ABRO version changes), a registration
//                 table fed by NS+EARO (6.5), new registrations checked with the 6LBR by DAR/DAC
//                 (8.2), registered neighbours resolvable by the adaptation layer;
//   border router (6LBR)  the router part with configured prefix / contexts / ABRO version and
//                 the registry answering DARs (8.2.3).
//
// It sits beside the Stack: it takes ICMPv6 types 133-136, 157 and 158 with
// Stack::set_icmp_handler (NS/NA without an ARO are left to the stack) and sends with
// Stack::send_icmp. The interface must be added with netif_config() applied (no RFC 4861 DAD,
// RS or SLAAC of the stack's own). Run to completion on the node's thread like the Stack: the
// owner calls poll() when next_deadline() comes and after any input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/ExpiringTable.h"
#include "core/DropCounters.h"
#include "core/Random.h"
#include "core/Time.h"
#include "mesh/lowpan/LowpanAdaptation.h"
#include "stack/Netif.h"
#include "stack/Stack.h"
#include "wire/Ieee802154.h"
#include "wire/Ip6Address.h"
#include "wire/Nd.h"

namespace meshwork::nd {

enum class NdRole : std::uint8_t { kHost, kRouter, kBorderRouter };

/// The node's own registration state (host part; a 6LBR is kRegistered once started).
enum class NdState : std::uint8_t {
    kStopped,
    kSoliciting,         // RS sent, waiting for a usable RA
    kRegistering,        // NS+EARO sent to a router, waiting for its NA
    kRegistered,         // the global address is registered (re-registration keeps this state)
    kDuplicate,          // the router answered status 1: the address is in use elsewhere (terminal)
    kNeighborCacheFull,  // status 2 from every router known; solicits again later
    kRefused,            // another non-zero status (last_status() says which; terminal)
};
const char *nd_state_name(NdState s);

enum class NdDrop : std::uint8_t {
    kMalformed,   // an ND message or option that does not parse
    kHopLimit,    // RS/RA/NS/NA not sent with hop limit 255 (RFC 4861 6.1, 7.1.1)
    kBadSource,   // RA not from a link-local address, NS+ARO from the unspecified address
    kNoSllao,     // NS+ARO without SLLAO (RFC 6775 6.5), or one we cannot read
    kWrongRole,   // a message this role does not take (RS on a host, DAR off the 6LBR, ...)
    kUnexpected,  // NA or DAC matching nothing pending
    kStaleAbro,   // RA with an older ABRO version than the one held (RFC 6775 4.3)
    kNotReady,    // RS or NS+ARO before this router has prefix information
    kSendFailed,  // no route or no buffer for something we send
    kCount
};
const char *drop_reason_name(NdDrop r);

/// A 6LoWPAN context a 6LBR distributes (6CO, RFC 6775 4.2).
/// The metric of the default route through the registration router (lower wins).
constexpr std::uint32_t kDefaultRouteMetric = 1024;

struct NdContextConfig {
    std::uint8_t cid = 0;  // 0..15
    wire::Ip6Address prefix;
    std::uint8_t length = 64;
    bool compress = true;               // the C flag
    std::uint16_t valid_lifetime = 60;  // units of 60 s
};

struct NdConfig {
    NdRole role = NdRole::kHost;

    // ---- Host part (RFC 6775 5.3, 5.5; 9 gives the defaults) ------------------------------
    Duration rs_max_delay = std::chrono::seconds(1);      // random delay before the first RS
    Duration rs_interval = std::chrono::seconds(10);      // RTR_SOLICITATION_INTERVAL
    unsigned rs_initial_count = 3;                        // MAX_RTR_SOLICITATIONS at that interval
    Duration rs_max_interval = std::chrono::seconds(60);  // MAX_RTR_SOLICITATION_INTERVAL
    std::uint16_t registration_lifetime = 60;             // requested, units of 60 s
    Duration ns_retrans = std::chrono::seconds(1);        // RetransTimer for registration NS
    unsigned ns_max_tries = 3;  // per router (MAX_UNICAST_SOLICIT), then the next router
    /// Each retransmission waits twice as long as the one before (RFC 7048), up to
    /// ns_retrans x 2^ns_backoff_doublings: 1 s, 2 s, 4 s by default.
    unsigned ns_backoff_doublings = 2;
    /// Router probing (a registered node): with no frame to the router acknowledged for this
    /// long (router_link()), a unicast RS to it (0: never). A node that only receives would
    /// otherwise not notice its router is gone until its next re-registration.
    Duration router_probe_interval = std::chrono::seconds(30);
    Duration router_probe_retry = std::chrono::seconds(2);  // after an unacknowledged one
    /// Register only with the preferred router (set_preferred_router: a 6LR's RPL parent),
    /// never with whichever router answered first.
    bool wait_for_preferred = false;
    /// Re-register at a random point in [refresh_min, refresh_max] of the granted lifetime.
    unsigned refresh_min_percent = 80;
    unsigned refresh_max_percent = 90;
    /// The global address's IID; default: the modified EUI-64 of the MAC extended address.
    std::optional<wire::Ip6Iid> interface_id;

    // ---- Router part (RFC 6775 6) --------------------------------------------------------
    std::size_t max_registrations = 32;                      // full -> status 2
    Duration tentative_lifetime = std::chrono::seconds(20);  // TENTATIVE_NCE_LIFETIME
    Duration dar_retrans = std::chrono::seconds(2);
    unsigned dar_max_tries = 3;
    std::uint16_t ra_router_lifetime = 1800;  // s, in RAs
    /// Solicited RAs wait a random time in [0, ra_max_delay] (RFC 4861 6.2.6,
    /// MAX_RA_DELAY_TIME): the routers around a soliciting node would otherwise answer in the
    /// same millisecond and collide at it, hidden from each other.
    Duration ra_max_delay = std::chrono::milliseconds(500);
    /// Solicited RAs waiting at once; beyond it one multicast RA answers them all.
    std::size_t max_pending_ras = 8;
    /// A 6LR announces itself with one multicast RA (after the same random delay) when its
    /// own registration first succeeds, so that nodes soliciting nearby need not wait for
    /// their next, backed-off RS.
    bool initial_ra = true;
    /// Periodic multicast RAs (RFC 6775 6.3 allows them, off by default: zero).
    Duration periodic_ra_interval{0};
    /// One multicast RA when the information changes (a newer ABRO version).
    bool announce_changes = true;

    // ---- Border router part (RFC 6775 8) -------------------------------------------------
    wire::Ip6Address prefix;
    std::uint8_t prefix_length = 64;
    std::uint32_t prefix_valid_lifetime = 0xffffffff;  // s
    std::uint32_t prefix_preferred_lifetime = 0xffffffff;
    std::vector<NdContextConfig> contexts;
    std::uint32_t abro_version = 1;
    std::uint16_t abro_valid_lifetime = 10000;  // units of 60 s (RFC 6775 4.3 default)
    std::size_t max_registry = 16384;           // full -> status 9 (RFC 8505)
};

struct NdStats {
    std::uint64_t rs_sent = 0, rs_received = 0;
    std::uint64_t ra_sent = 0, ra_received = 0;
    std::uint64_t ns_sent = 0, ns_received = 0;  // with ARO
    std::uint64_t na_sent = 0, na_received = 0;  // with ARO
    std::uint64_t dar_sent = 0, dar_received = 0;
    std::uint64_t dac_sent = 0, dac_received = 0;
    std::uint64_t registrations_added = 0;    // router: table entries that became registered
    std::uint64_t registrations_removed = 0;  // expired or deregistered
    std::uint64_t registrations_refused = 0;  // NA with a non-zero status sent
    std::uint64_t abro_updates = 0;           // newer ABRO versions taken
};

/// A Registered Owner Verifier (RFC 8505 5.3): the EUI-64 here (8 bytes).
struct NdRovr {
    std::uint8_t bytes[wire::NdAddressRegistration::kMaxRovr] = {};
    std::uint8_t size = 0;
    bool operator==(const NdRovr &o) const;
    bool operator!=(const NdRovr &o) const { return !(*this == o); }
};

enum class NdRegState : std::uint8_t { kTentative, kRegistered };

/// One entry of a router's registration table (RFC 6775 3.5 registered NCE).
struct NdRegistration {
    wire::Ip6Address address;
    NdRovr rovr;
    wire::MacAddress mac;
    NdRegState state = NdRegState::kTentative;
    std::uint16_t lifetime = 0;  // units of 60 s, as requested
    Instant expires = kNever;
    std::uint8_t tid = 0;
    bool router = false;        // R flag
    wire::Ip6Address reply_to;  // the NS source, for the NA that answers the DAC
    unsigned dar_tries = 0;
    Instant dar_at = kNever;
    bool refreshing = false;  // registered, a DAR refreshing the 6LBR's registry in flight
};

/// One entry of the 6LBR's DAD registry (RFC 6775 8.2).
struct NdRegistryEntry {
    wire::Ip6Address address;
    NdRovr rovr;
    Instant expires = kNever;
};

/// Prefix / context / border router information held (learnt from an RA, or configured).
struct NdInfo {
    struct Prefix {
        wire::PrefixInfo pio;
        Instant valid_until = kNever;
        Instant preferred_until = kNever;
    };
    struct Context {
        wire::NdSixLowpanContext ctx;
        Instant expires = kNever;
    };
    std::optional<wire::NdBorderRouter> abro;
    Instant abro_expires = kNever;
    std::vector<Prefix> prefixes;
    std::vector<Context> contexts;
    bool empty() const { return prefixes.empty() && !abro; }
};

class SixLowpanNd {
  public:
    using StateListener = std::function<void(NdState)>;
    using RegistrationListener = std::function<void(const wire::Ip6Address &addr, bool added)>;

    SixLowpanNd(stack::Stack &stack, stack::IfIndex ifindex, lowpan::LowpanAdaptation &lowpan,
                const Clock &clock, Random &random, NdConfig config);
    ~SixLowpanNd();
    SixLowpanNd(const SixLowpanNd &) = delete;
    SixLowpanNd &operator=(const SixLowpanNd &) = delete;

    /// `base` with the stack's own RFC 4861/4862 machinery off (no DAD, RS, RA processing or
    /// SLAAC): use it to add the interface this instance runs on.
    static stack::NetifConfig netif_config(stack::NetifConfig base);

    /// Takes the ICMPv6 types, sets the adaptation layer's resolver; a host/router starts
    /// soliciting, a 6LBR installs its address and contexts.
    void start();
    /// Releases everything: a registered host part deregisters (lifetime 0, best effort);
    /// routes, the global address, registrations (listener fired) and handlers are removed.
    void stop();

    Instant next_deadline() const;
    void poll();

    // ---- Owner controls ----------------------------------------------------------------
    /// The router to register with (a router's RPL preferred parent). Re-registers with it
    /// when it differs from the current one and an RA from it has been seen (or when one is).
    void set_preferred_router(const wire::Ip6Address &link_local);
    /// Router: whether the routing protocol makes this router reachable both ways (RPL:
    /// joined, its DAO acknowledged). A 6LR does not advertise before; true by default (a
    /// router with no routing protocol above it).
    void set_upstream_ready(bool ready);
    /// The link layer's word on a frame to the registration router: acknowledged or not (the
    /// owner of the MAC calls it; it times the router probes).
    void router_link(bool acked);
    /// The link layer lost the current router (unacknowledged frames to it: RFC 6775 5.5.3
    /// lets link-layer hints stand for NUD). Its registration ends and another router is
    /// tried, or routers are solicited again.
    void router_unreachable();
    void set_state_listener(StateListener l) { state_listener_ = std::move(l); }
    void set_registration_listener(RegistrationListener l) { reg_listener_ = std::move(l); }
    /// 6LBR: replaces (same CID) or adds a context; takes effect in RAs at the next
    /// increment_abro_version() (kInvalidArgument off a 6LBR or for a CID over 15).
    Status set_context(const NdContextConfig &c);
    /// 6LBR: the information changed (RFC 6775 4.3): version + 1, announced when configured.
    void increment_abro_version();

    // ---- Introspection -----------------------------------------------------------------
    NdRole role() const { return cfg_.role; }
    NdState state() const { return state_; }
    bool registered() const { return state_ == NdState::kRegistered; }
    /// The registered (or registering) global address; unspecified when none.
    const wire::Ip6Address &global_address() const { return global_; }
    /// The router registered with (or being registered with), link-local; unspecified if none.
    const wire::Ip6Address &router() const { return router_; }
    std::uint32_t abro_version() const { return info_.abro ? info_.abro->version : 0; }
    /// The status of the last NA+EARO answering our registration.
    std::uint8_t last_status() const { return last_status_; }
    /// The granted lifetime of the current registration (units of 60 s).
    std::uint16_t registered_lifetime() const { return granted_lifetime_; }
    const NdInfo &info() const { return info_; }
    const std::vector<NdRegistration> &registrations() const { return regs_; }
    /// The 6LBR's registry (RFC 6775 8.2), in address order.
    const ExpiringTable<wire::Ip6Address, NdRegistryEntry> &registry() const { return registry_; }
    const NdRegistration *find_registration(const wire::Ip6Address &a) const;
    /// The MAC of a registered (or tentative) neighbour address: the resolver start() gives the
    /// adaptation layer; an owner that chains resolvers calls it.
    std::optional<wire::MacAddress> resolve(const wire::Ip6Address &a) const;
    const NdStats &stats() const { return stats_; }
    const DropCounters<NdDrop> &drops() const { return drops_; }
    const NdConfig &config() const { return cfg_; }

  private:
    struct Candidate {
        wire::Ip6Address address;  // link-local
        bool failed = false;       // no answer or status 2: try the others first
    };

    Instant now() const { return clock_.now(); }
    bool on_icmp(stack::IfIndex ifindex, const wire::Ip6View &ip, ByteSpan msg);
    bool serving() const { return cfg_.role != NdRole::kHost; }
    /// A 6LR advertises only once its own address is registered and its routing protocol says
    /// it is reachable (set_upstream_ready): before that the DAR of a registration it took
    /// would find no way to the 6LBR, or the DAC no way back.
    bool advertising() const {
        return cfg_.role == NdRole::kBorderRouter ||
               (cfg_.role == NdRole::kRouter && state_ == NdState::kRegistered && upstream_ready_);
    }
    void advertising_changed();  // the initial RA when advertising starts
    bool has_upstream() const { return cfg_.role != NdRole::kBorderRouter; }

    // Host part
    void on_ra(const wire::Ip6View &ip, const wire::NdView &v);
    void on_na(const wire::Ip6View &ip, const wire::NdView &v);
    void send_rs(const wire::Ip6Address &dst);
    void send_registration(std::uint16_t lifetime);
    void begin_registration(const wire::Ip6Address &router);
    void registration_timeout();
    void next_router();
    const Candidate *pick_candidate(const wire::Ip6Address &except) const;
    void start_soliciting(bool restart_backoff = true);
    void set_state(NdState s);
    void ensure_global();
    void drop_global();
    void install_default_route();
    void remove_default_route();
    bool take_info(const wire::NdView &v);  // true if a newer ABRO version was taken
    void apply_contexts(const std::vector<NdInfo::Context> &old);
    void expire_info(Instant t);
    Instant info_refresh_at() const;

    // Router part
    void on_rs(const wire::Ip6View &ip, const wire::NdView &v);
    void on_ns(const wire::Ip6View &ip, const wire::NdView &v,
               const wire::NdAddressRegistration &aro);
    void on_dar(const wire::Ip6View &ip, const wire::NdDuplicateAddress &d);
    void on_dac(const wire::NdDuplicateAddress &d);
    void send_ra(const wire::Ip6Address &dst);
    void schedule_ra(const wire::Ip6Address &dst);  // after the random solicited-RA delay
    Instant ra_time();                              // now + that delay
    void send_na(const wire::Ip6Address &dst, const wire::Ip6Address &target, const NdRovr &rovr,
                 std::uint8_t status, std::uint16_t lifetime, std::uint8_t tid, std::uint8_t flags);
    void send_dar(NdRegistration &r);
    void confirm(NdRegistration &r);  // tentative -> registered, NA status 0
    void refuse(const wire::Ip6Address &target, const NdRovr &rovr, const wire::MacAddress &mac,
                std::uint8_t status, std::uint8_t tid, std::uint8_t flags);
    void remove_registration(std::size_t i);
    /// 6LBR: the registry's answer for (address, rovr, lifetime); updates the registry.
    std::uint8_t registry_check(const wire::Ip6Address &a, const NdRovr &rovr,
                                std::uint16_t lifetime);
    void build_br_info();

    Status send(const wire::Ip6Address &dst, const wire::Ip6Address &src,
                const wire::Ip6Address &next_hop, ByteSpan message, std::uint8_t hop_limit);
    void mac_eui64(std::uint8_t out[8]) const;
    NdRovr own_rovr() const;

    stack::Stack &stack_;
    stack::IfIndex ifindex_;
    lowpan::LowpanAdaptation &lowpan_;
    const Clock &clock_;
    Random &random_;
    NdConfig cfg_;
    bool running_ = false;

    // Host part
    NdState state_ = NdState::kStopped;
    NdInfo info_;
    wire::Ip6Address global_;
    bool global_installed_ = false;
    wire::Ip6Address router_;
    std::optional<wire::Ip6Address> preferred_;
    std::vector<Candidate> candidates_;
    bool default_route_ = false;
    unsigned rs_count_ = 0;
    Instant rs_at_ = kNever;
    Instant info_refresh_ = kNever;
    Instant ns_at_ = kNever;  // retransmission or refresh
    unsigned ns_tries_ = 0;
    bool refreshing_ = false;  // re-registration of a registered address
    std::uint8_t tid_ = 0;
    std::uint8_t last_status_ = 0;
    std::uint16_t granted_lifetime_ = 0;
    Instant registration_expires_ = kNever;

    // Router part
    std::vector<NdRegistration> regs_;
    ExpiringTable<wire::Ip6Address, NdRegistryEntry> registry_;
    Instant periodic_ra_at_ = kNever;
    bool upstream_ready_ = true;
    Instant probe_at_ = kNever;  // the next router probe (host part)
    bool was_advertising_ = false;
    struct PendingRa {
        wire::Ip6Address dst;
        Instant at;
    };
    std::vector<PendingRa> pending_ras_;  // solicited RAs waiting for their random delay
    // Link-local sources of RSs that came before this router could serve (at most
    // max_pending_ras): each gets a unicast RA, acknowledged by the MAC, when it can. A child
    // would otherwise wait for its next RS, which backs off to a minute.
    std::vector<wire::Ip6Address> waiting_rs_;

    StateListener state_listener_;
    RegistrationListener reg_listener_;
    NdStats stats_;
    DropCounters<NdDrop> drops_;
};

}  // namespace meshwork::nd
