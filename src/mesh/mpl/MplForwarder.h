// MPL, the Multicast Protocol for Low-Power and Lossy Networks (RFC 7731), data messages in
// proactive mode, for one interface's MPL domain ff03::fc (all MPL forwarders):
//   - seed set (5.2): per seed, MinSequence and a lifetime (SEED_SET_ENTRY_LIFETIME). A seed
//     entry made by a message starts its MinSequence 16 below it, so that an older message of the
//     seed overtaken on the way (each message has its own trickle, and forwarders retransmit them
//     in random order) is still new;
//   - buffered message set (5.3): each new data message, kept while its trickle runs and a
//     hold after; messages leave oldest first, each raising its seed's MinSequence past it, so
//     that no copy of a message already delivered is ever new again;
//   - a trickle timer per buffered message (5.5, RFC 6206) with DATA_MESSAGE_IMIN / IMAX / K /
//     TIMER_EXPIRATIONS; a copy heard of the same message is consistent; a copy whose M flag
//     says its sender has nothing newer while we do is inconsistent for the newer ones (9.3);
//   - the MPL option (4) carried directly in the datagram's hop-by-hop header, with the seed-id
//     the IPv6 source (S = 0, Nanostack's MULTICAST_MPL_SEED_ID_IPV6_SRC_FOR_DOMAIN); every group
//     of scope 3 or more belongs to the one domain (Nanostack's "realm domains as one"), so no
//     IPv6-in-IPv6 encapsulation is done (docs/mesh-api.md says where that differs from 9.1);
//   - hop limit: a forwarder's copy carries the received Hop Limit less one and is not
//     transmitted when that is 0 (it is still buffered, to suppress duplicates).
// A forwarder (a router) retransmits; a non-forwarder (a host) only originates (one
// transmission) and receives. Control messages (ICMPv6 MPL, 6) are not implemented.
// Run to completion: time from the injected Clock, randomness from the injected Random; the
// owner calls poll() at next_deadline().
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/Random.h"
#include "core/Time.h"
#include "stack/MplDataPlane.h"
#include "wire/Ip6Address.h"
#include "wire/Ip6Ext.h"

namespace meshwork::mpl {

/// RFC 7731 5.4 parameters. The data-message trickle defaults are Nanostack's for 6LoWPAN
/// (ZigBee IP's: Imin = Imax = 512 ms, k infinite, 3 expirations), which 6LoWPAN-ND follows:
/// RFC 7731's k = 1 lets a router on a line hear the copy of the node behind it and stay quiet
/// while the node ahead never got it. The RFC's values (Imin = 10 x the link latency, Imax =
/// Imin, k = 1, 3 expirations) are a configuration away.
struct MplConfig {
    bool forwarder = true;  // PROACTIVE_FORWARDING on a router; false on a host
    Duration data_message_imin = std::chrono::milliseconds(512);
    Duration data_message_imax = std::chrono::milliseconds(512);
    std::uint8_t data_message_k = 0;  // 0: infinite, never suppressed
    std::uint8_t data_message_timer_expirations = 3;
    /// How long a message stays buffered once its trickle is over (or, not forwarded, once
    /// a forwarder's would be), to recognise late copies. Messages leave in sequence order, so
    /// that MinSequence can rise past each one.
    Duration message_hold = std::chrono::seconds(5);
    Duration seed_set_entry_lifetime = std::chrono::minutes(30);  // SEED_SET_ENTRY_LIFETIME
    std::size_t max_seeds = 16;
    std::size_t max_buffered_messages = 16;  // over all seeds; the oldest goes first
};

struct MplStats {
    std::uint64_t originated = 0;
    std::uint64_t received_new = 0;
    std::uint64_t duplicates = 0;  // not new: already buffered or below MinSequence
    std::uint64_t invalid = 0;     // V flag set, or an unreadable option
    std::uint64_t transmitted = 0;
    std::uint64_t suppressed = 0;           // trickle: k consistent copies heard in the interval
    std::uint64_t hop_limit_exhausted = 0;  // new messages buffered but never retransmitted
    std::uint64_t evicted = 0;              // removed early, the buffered set being full
};

/// Serial-number order of 8-bit sequences (RFC 1982, as RFC 7731 5.2 requires).
inline bool mpl_sequence_less(std::uint8_t a, std::uint8_t b) {
    const auto d = static_cast<std::uint8_t>(b - a);
    return d != 0 && d < 128;
}

class MplForwarder final : public stack::MplDataPlane {
  public:
    /// Sends a whole IPv6 packet on the link, to its (multicast) destination.
    using Transmit = std::function<void(ByteSpan packet)>;

    MplForwarder(const Clock &clock, Random &random, MplConfig config, Transmit transmit);

    /// The all-MPL-forwarders group of the realm (ff03::fc), which forwarders join.
    static wire::Ip6Address all_mpl_forwarders() {
        return wire::Ip6Address::multicast(wire::Ip6Scope::kRealmLocal, 0xfc);
    }

    // ---- stack::MplDataPlane --------------------------------------------------------------
    std::size_t originate_option(const wire::Ip6Address &src, const wire::Ip6Address &group,
                                 MutableByteSpan out) override;
    void originated(ByteSpan packet) override;
    Verdict receive(ByteSpan packet) override;

    Instant next_deadline() const;
    void poll();

    // ---- Introspection ----------------------------------------------------------------
    const MplConfig &config() const { return cfg_; }
    const MplStats &stats() const { return stats_; }
    std::size_t seed_count() const { return seeds_.size(); }
    std::size_t buffered_count() const;
    /// The seed's MinSequence (false when the seed is not in the seed set). S = 0 seeds are
    /// named by their IPv6 source.
    bool min_sequence(const wire::Ip6Address &seed, std::uint8_t &out) const;
    /// True when the message (seed, sequence) is in the buffered message set.
    bool buffered(const wire::Ip6Address &seed, std::uint8_t sequence) const;

  private:
    struct SeedKey {
        std::uint8_t s = 0;
        std::uint8_t id[16] = {};
        bool operator==(const SeedKey &o) const;
    };
    /// A trickle timer with an expiration count (RFC 7731 5.5, RFC 6206 4.2).
    struct Trickle {
        bool running = false;
        Duration i{};
        Instant start{};
        Instant t{};
        bool fired = false;
        unsigned c = 0;
        unsigned expirations = 0;
    };
    struct Message {
        std::uint8_t sequence = 0;
        std::vector<std::uint8_t> packet;  // as retransmitted: Hop Limit already decremented
        std::size_t option_at = 0;         // offset of the MPL option's value in `packet`
        bool forward = false;
        Trickle trickle;
        Instant arrived{};
        Instant remove_at = kNever;  // once its trickle is over
    };
    struct Seed {
        SeedKey key;
        std::uint8_t min_sequence = 0;
        Instant expires_at = kNever;
        std::vector<Message> messages;  // in sequence order
    };

    static bool key_of(ByteSpan packet, const wire::MplOption &opt, SeedKey &out);
    Seed *find(const SeedKey &k);
    const Seed *find(const SeedKey &k) const;
    Seed &add_seed(const SeedKey &k, std::uint8_t min_sequence);
    /// Buffers a new message (`packet` as it goes out again) and starts its trickle.
    void buffer(Seed &seed, std::uint8_t sequence, ByteSpan packet, std::size_t option_at,
                bool forward);
    void start_interval(Trickle &t, Instant at);
    void trickle_start(Trickle &t);
    void trickle_reset(Trickle &t);
    void send(const Seed &seed, Message &m);
    /// Removes the seed's oldest message and raises its MinSequence past it (RFC 7731 5.3).
    void remove_oldest(Seed &seed);
    void evict_oldest();

    const Clock &clock_;
    Random &random_;
    MplConfig cfg_;
    Transmit transmit_;
    std::uint8_t sequence_ = 0;
    bool sequence_chosen_ = false;  // drawn at the first origination
    std::vector<Seed> seeds_;
    MplStats stats_;
};

}  // namespace meshwork::mpl
