// The neighbour cache of one interface (RFC 4861 7.2, 7.3, appendix C): address resolution and
// neighbour unreachability detection with the states INCOMPLETE, REACHABLE, STALE, DELAY and
// PROBE. The cache only decides; what goes on the link is done through Hooks by its owner, so
// the state machine is tested on its own. Time is an argument; deadlines are reported.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>

#include "core/PacketBuffer.h"
#include "core/Time.h"
#include "StackTypes.h"
#include "wire/Ip6Address.h"

namespace meshwork::stack {

enum class NeighborState : std::uint8_t { kIncomplete, kReachable, kStale, kDelay, kProbe };
const char *neighbor_state_name(NeighborState s);

struct NeighborParams {
    Duration reachable_time = std::chrono::seconds(30);  // already randomised by the owner
    Duration retrans_timer = std::chrono::seconds(1);
    Duration delay_first_probe = std::chrono::seconds(5);  // DELAY_FIRST_PROBE_TIME
    unsigned max_multicast_solicit = 3;                    // MAX_MULTICAST_SOLICIT
    unsigned max_unicast_solicit = 3;                      // MAX_UNICAST_SOLICIT
    std::size_t max_queue = 3;  // packets held per INCOMPLETE entry (7.2.2: at least one)
    std::size_t max_entries = 64;
};

class NeighborCache {
  public:
    class Hooks {
      public:
        virtual ~Hooks() = default;
        /// Send an NS for `target`: multicast to its solicited-node group when `unicast_to` is
        /// empty, else unicast to that link-layer address (NUD probe).
        virtual void send_solicitation(const wire::Ip6Address &target,
                                       const LinkAddress *unicast_to) = 0;
        /// Put a packet (the IPv6 packet, headroom for the link header) on the link.
        virtual void transmit(const LinkAddress &to, PacketBuffer packet) = 0;
        /// Resolution failed: `packet` was waiting for `target` (RFC 4861 7.2.2: ICMPv6
        /// address unreachable).
        virtual void unreachable(const wire::Ip6Address &target, PacketBuffer packet) = 0;
        /// Counts a drop (queue overflow).
        virtual void dropped(StackDrop reason) = 0;
        /// A router's entry went away or stopped being a router (6.3.5 / 7.3.3).
        virtual void router_lost(const wire::Ip6Address &router) {}
    };

    struct Entry {
        NeighborState state = NeighborState::kIncomplete;
        LinkAddress lladdr;
        bool is_router = false;
        unsigned probes = 0;  // solicitations sent in INCOMPLETE / PROBE
        Instant deadline = kNever;
        std::deque<PacketBuffer> queue;
    };

    NeighborCache(Hooks &hooks, NeighborParams params) : hooks_(hooks), params_(params) {}

    NeighborParams &params() { return params_; }

    /// Sends `packet` to on-link neighbour `next_hop`, resolving it first if needed (7.2.2,
    /// 7.3.3: a send to a STALE entry starts DELAY).
    void output(const wire::Ip6Address &next_hop, PacketBuffer packet, Instant now);

    /// An NA for `target` (7.2.5). `tllao` empty if the NA had none.
    void on_advertisement(const wire::Ip6Address &target, const LinkAddress *tllao, bool solicited,
                          bool override_flag, bool router, Instant now);
    /// A link-layer address learnt from an NS, RS, RA or Redirect (7.2.3, 6.3.4, 8.3): creates a
    /// STALE entry or updates a changed address to STALE. `router` sets IsRouter when given.
    void on_link_address(const wire::Ip6Address &ip, const LinkAddress &lladdr, Instant now,
                         std::optional<bool> router = std::nullopt);
    /// Upper-layer reachability confirmation (7.3.1).
    void confirm_reachable(const wire::Ip6Address &ip, Instant now);

    const Entry *find(const wire::Ip6Address &ip) const;
    void remove(const wire::Ip6Address &ip);
    std::size_t size() const { return entries_.size(); }

    Instant next_deadline() const;
    void poll(Instant now);

  private:
    Entry *create(const wire::Ip6Address &ip, Instant now);
    void flush(const wire::Ip6Address &ip, Entry &e);
    void set_reachable(Entry &e, Instant now) {
        e.state = NeighborState::kReachable;
        e.probes = 0;
        e.deadline = saturating_add(now, params_.reachable_time);
    }
    void set_stale(Entry &e) {
        e.state = NeighborState::kStale;
        e.probes = 0;
        e.deadline = kNever;  // STALE has no timer: it waits for traffic
    }
    void set_router(const wire::Ip6Address &ip, Entry &e, bool router);

    Hooks &hooks_;
    NeighborParams params_;
    std::map<wire::Ip6Address, Entry> entries_;  // ordered: deterministic iteration
};

}  // namespace meshwork::stack
