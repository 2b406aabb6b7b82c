// MplForwarder: RFC 7731 data messages (sections 5, 9), see MplForwarder.h.
#include "MplForwarder.h"

#include <algorithm>
#include <cstring>

#include "wire/Ip6.h"
#include "wire/OptionIterator.h"

namespace meshwork::mpl {

namespace {
constexpr std::size_t kHopLimitAt = 7;  // in the fixed IPv6 header
constexpr std::size_t kSrcAt = 8;
/// A new seed entry accepts this many older messages of the seed (overtaken ones); serial
/// order leaves the newer half of the space new.
constexpr std::uint8_t kOvertaken = 16;

/// The MPL option in the hop-by-hop header right after the fixed header: its value's offset
/// (0: none).
std::size_t find_option(ByteSpan packet, wire::MplOption &out, bool &invalid) {
    invalid = false;
    wire::Option o;
    const std::size_t at = wire::find_hop_by_hop_option(
        packet, [](const wire::Option &x) { return x.type == wire::Ip6OptionType::kMpl; }, &o);
    if (at == 0)
        return 0;
    auto opt = wire::MplOption::parse(o.value);
    if (!opt) {
        invalid = true;
        return 0;
    }
    out = *opt;
    return at;
}
}  // namespace

bool MplForwarder::SeedKey::operator==(const SeedKey &o) const {
    return s == o.s && std::memcmp(id, o.id, sizeof id) == 0;
}

MplForwarder::MplForwarder(const Clock &clock, Random &random, MplConfig config, Transmit transmit)
    : clock_(clock), random_(random), cfg_(config), transmit_(std::move(transmit)) {}

bool MplForwarder::key_of(ByteSpan packet, const wire::MplOption &opt, SeedKey &out) {
    out = SeedKey{};
    out.s = opt.s;
    if (opt.s == 0) {
        if (packet.size < kSrcAt + 16)
            return false;
        std::memcpy(out.id, packet.data + kSrcAt, 16);
    } else {
        std::memcpy(out.id, opt.seed_id, wire::MplOption::seed_id_length(opt.s));
    }
    return true;
}

MplForwarder::Seed *MplForwarder::find(const SeedKey &k) {
    for (Seed &s : seeds_)
        if (s.key == k)
            return &s;
    return nullptr;
}

const MplForwarder::Seed *MplForwarder::find(const SeedKey &k) const {
    for (const Seed &s : seeds_)
        if (s.key == k)
            return &s;
    return nullptr;
}

MplForwarder::Seed &MplForwarder::add_seed(const SeedKey &k, std::uint8_t min_sequence) {
    if (seeds_.size() >= cfg_.max_seeds) {
        // The seed set is full: the entry closest to its end goes, messages and all.
        auto victim = std::min_element(
            seeds_.begin(), seeds_.end(),
            [](const Seed &a, const Seed &b) { return a.expires_at < b.expires_at; });
        stats_.evicted += victim->messages.size();
        seeds_.erase(victim);
    }
    Seed s;
    s.key = k;
    s.min_sequence = min_sequence;
    seeds_.push_back(std::move(s));
    return seeds_.back();
}

std::size_t MplForwarder::buffered_count() const {
    std::size_t n = 0;
    for (const Seed &s : seeds_)
        n += s.messages.size();
    return n;
}

bool MplForwarder::min_sequence(const wire::Ip6Address &seed, std::uint8_t &out) const {
    SeedKey k;
    std::memcpy(k.id, seed.bytes, 16);
    const Seed *s = find(k);
    if (!s)
        return false;
    out = s->min_sequence;
    return true;
}

bool MplForwarder::buffered(const wire::Ip6Address &seed, std::uint8_t sequence) const {
    SeedKey k;
    std::memcpy(k.id, seed.bytes, 16);
    const Seed *s = find(k);
    if (!s)
        return false;
    return std::any_of(s->messages.begin(), s->messages.end(),
                       [sequence](const Message &m) { return m.sequence == sequence; });
}

// ---- Origination (RFC 7731 9.1) ------------------------------------------------------------

std::size_t MplForwarder::originate_option(const wire::Ip6Address &, const wire::Ip6Address &group,
                                           MutableByteSpan out) {
    if (!group.is_multicast() || group.multicast_scope() < 3 || out.size < 8)
        return 0;
    if (!sequence_chosen_) {
        // Nanostack starts a domain's sequence at random: a restarted seed is unlikely to
        // fall below the MinSequence its neighbours still hold. Drawn here, not at
        // construction, so that a node sending no MPL traffic draws nothing.
        sequence_ = static_cast<std::uint8_t>(random_.next_u32() >> 24);
        sequence_chosen_ = true;
    }
    wire::MplOption opt;
    opt.s = 0;     // the seed-id is the IPv6 source
    opt.m = true;  // a seed's newest message is its largest
    opt.sequence = sequence_++;
    // Hop-by-hop: Next Header (the stack fills it), Hdr Ext Len 0, the option, PadN(0).
    out.data[0] = wire::IpProto::kNoNext;
    out.data[1] = 0;
    out.data[2] = wire::Ip6OptionType::kMpl;
    out.data[3] = static_cast<std::uint8_t>(opt.value_size());
    (void)opt.emit(out.subspan(4, opt.value_size()));
    out.data[6] = wire::Ip6OptionType::kPadN;
    out.data[7] = 0;
    return 8;
}

void MplForwarder::originated(ByteSpan packet) {
    wire::MplOption opt;
    bool invalid = false;
    const std::size_t at = find_option(packet, opt, invalid);
    SeedKey k;
    if (at == 0 || !key_of(packet, opt, k))
        return;
    ++stats_.originated;
    Seed *seed = find(k);
    if (!seed)
        seed = &add_seed(k, static_cast<std::uint8_t>(opt.sequence - kOvertaken));
    seed->expires_at = saturating_add(clock_.now(), cfg_.seed_set_entry_lifetime);
    // The stack sends it now; a forwarder's trickle retransmits it unless its neighbours'
    // copies say they have it (the seed's own copies keep the Hop Limit it was sent with).
    buffer(*seed, opt.sequence, packet, at, cfg_.forwarder);
}

// ---- Reception (RFC 7731 9.3) --------------------------------------------------------------

MplForwarder::Verdict MplForwarder::receive(ByteSpan packet) {
    wire::MplOption opt;
    bool invalid = false;
    const std::size_t at = find_option(packet, opt, invalid);
    SeedKey k;
    if (at == 0 || opt.v || !key_of(packet, opt, k)) {
        ++stats_.invalid;  // 9.3: V set means a version this node does not speak
        return Verdict::kInvalid;
    }
    const Instant now = clock_.now();
    Seed *seed = find(k);
    if (!seed)
        seed = &add_seed(k, static_cast<std::uint8_t>(opt.sequence - kOvertaken));
    if (mpl_sequence_less(opt.sequence, seed->min_sequence)) {
        ++stats_.duplicates;
        return Verdict::kDuplicate;
    }
    for (Message &m : seed->messages) {
        if (m.sequence == opt.sequence) {
            ++stats_.duplicates;
            ++m.trickle.c;  // a consistent transmission
            if (opt.m) {
                // Its sender's newest is this one: every newer message here is news to it.
                for (Message &newer : seed->messages)
                    if (mpl_sequence_less(opt.sequence, newer.sequence) && newer.forward)
                        trickle_reset(newer.trickle);
            }
            return Verdict::kDuplicate;
        }
    }
    ++stats_.received_new;
    seed->expires_at = saturating_add(now, cfg_.seed_set_entry_lifetime);
    const bool hops_left = packet[kHopLimitAt] > 1;
    if (!hops_left)
        ++stats_.hop_limit_exhausted;
    std::vector<std::uint8_t> copy(packet.data, packet.data + packet.size);
    copy[kHopLimitAt] = static_cast<std::uint8_t>(hops_left ? packet[kHopLimitAt] - 1 : 0);
    buffer(*seed, opt.sequence, ByteSpan(copy.data(), copy.size()), at,
           cfg_.forwarder && hops_left);
    return Verdict::kNew;
}

void MplForwarder::buffer(Seed &seed, std::uint8_t sequence, ByteSpan packet, std::size_t option_at,
                          bool forward) {
    const SeedKey key = seed.key;
    if (buffered_count() >= cfg_.max_buffered_messages) {
        evict_oldest();
        if (!find(key))
            return;
    }
    Seed &s = *find(key);
    if (mpl_sequence_less(sequence, s.min_sequence))
        return;  // the eviction passed it
    Message m;
    m.sequence = sequence;
    m.packet.assign(packet.data, packet.data + packet.size);
    m.option_at = option_at;
    m.forward = forward;
    m.arrived = clock_.now();
    if (forward) {
        trickle_start(m.trickle);
    } else {
        // Kept as long as a forwarder's trickle would run, and the hold, to recognise copies.
        m.remove_at =
            saturating_add(m.arrived, cfg_.data_message_imax * cfg_.data_message_timer_expirations +
                                          cfg_.message_hold);
    }
    auto pos = std::find_if(s.messages.begin(), s.messages.end(), [sequence](const Message &x) {
        return mpl_sequence_less(sequence, x.sequence);
    });
    s.messages.insert(pos, std::move(m));
}

void MplForwarder::evict_oldest() {
    // The seed whose oldest message came first gives it up.
    Seed *victim = nullptr;
    for (Seed &s : seeds_)
        if (!s.messages.empty() &&
            (!victim || s.messages.front().arrived < victim->messages.front().arrived))
            victim = &s;
    if (victim) {
        ++stats_.evicted;
        remove_oldest(*victim);
    }
}

void MplForwarder::remove_oldest(Seed &seed) {
    const std::uint8_t next = static_cast<std::uint8_t>(seed.messages.front().sequence + 1);
    if (mpl_sequence_less(seed.min_sequence, next))
        seed.min_sequence = next;
    seed.messages.erase(seed.messages.begin());
}

// ---- Trickle (RFC 7731 5.5 on RFC 6206 4.2) --------------------------------------------------

void MplForwarder::start_interval(Trickle &t, Instant at) {
    t.start = at;
    t.c = 0;
    t.fired = false;
    const auto half = t.i / 2;
    const auto span = static_cast<std::uint64_t>(half.count());
    const auto off = span == 0 ? 0 : random_.next_u64() % span;
    t.t = at + half + Duration(static_cast<std::int64_t>(off));
}

void MplForwarder::trickle_start(Trickle &t) {
    t.running = true;
    t.expirations = 0;
    t.i = cfg_.data_message_imin;
    start_interval(t, clock_.now());
}

void MplForwarder::trickle_reset(Trickle &t) {
    // An inconsistency: back to Imin, and the expirations count again (5.5).
    if (!t.running || t.i > cfg_.data_message_imin || t.expirations > 0)
        trickle_start(t);
}

void MplForwarder::send(const Seed &seed, Message &m) {
    // M: this is the largest sequence buffered for its seed (4).
    const bool largest = &m == &seed.messages.back();
    std::uint8_t &flags = m.packet[m.option_at];
    flags = static_cast<std::uint8_t>(largest ? flags | wire::MplOption::kFlagM
                                              : flags & ~wire::MplOption::kFlagM);
    ++stats_.transmitted;
    if (transmit_)
        transmit_(ByteSpan(m.packet.data(), m.packet.size()));
}

Instant MplForwarder::next_deadline() const {
    Instant next = kNever;
    for (const Seed &s : seeds_) {
        if (s.messages.empty())
            next = std::min(next, s.expires_at);
        else if (!s.messages.front().trickle.running)
            next = std::min(next, s.messages.front().remove_at);
        for (const Message &m : s.messages)
            if (m.trickle.running)
                next =
                    std::min(next, m.trickle.fired ? m.trickle.start + m.trickle.i : m.trickle.t);
    }
    return next;
}

void MplForwarder::poll() {
    const Instant now = clock_.now();
    for (Seed &seed : seeds_) {
        for (Message &m : seed.messages) {
            Trickle &t = m.trickle;
            while (t.running) {
                if (!t.fired) {
                    if (now < t.t)
                        break;
                    t.fired = true;
                    if (cfg_.data_message_k == 0 || t.c < cfg_.data_message_k)
                        send(seed, m);
                    else
                        ++stats_.suppressed;
                    continue;
                }
                const Instant end = t.start + t.i;
                if (now < end)
                    break;
                if (++t.expirations >= cfg_.data_message_timer_expirations) {
                    t.running = false;  // 5.5: the message is no longer transmitted
                    m.remove_at = saturating_add(end, cfg_.message_hold);
                    break;
                }
                t.i = std::min(t.i * 2, cfg_.data_message_imax);
                start_interval(t, end);
            }
        }
        // Oldest first, so that MinSequence passes only messages that are gone.
        while (!seed.messages.empty() && !seed.messages.front().trickle.running &&
               seed.messages.front().remove_at <= now)
            remove_oldest(seed);
    }
    seeds_.erase(
        std::remove_if(seeds_.begin(), seeds_.end(),
                       [now](const Seed &s) { return s.messages.empty() && s.expires_at <= now; }),
        seeds_.end());
}

}  // namespace meshwork::mpl
