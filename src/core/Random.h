// Injected randomness (ARCHITECTURE rule 2). Protocol and client code draws every random value
// (DNS query ids, CoAP message ids and tokens, WebSocket masks, backoffs) from a Random it was
// given, never from std::random_device, rand() or getrandom(). A simulation derives each node's
// stream from one scenario seed, so the same seed gives the same bytes; the host seeds its
// streams from OS entropy (only the host backend and TLS on the host read OS entropy).
#pragma once

#include <cstddef>
#include <cstdint>

namespace meshwork {

/// A source of uniformly distributed 64-bit values. Not thread-safe: one per node (or per
/// owner), used from that owner's context.
class Random {
  public:
    virtual ~Random() = default;

    /// The next 64 uniformly distributed bits.
    virtual std::uint64_t next_u64() = 0;

    std::uint32_t next_u32() { return static_cast<std::uint32_t>(next_u64() >> 32); }
    std::uint16_t next_u16() { return static_cast<std::uint16_t>(next_u64() >> 48); }

    /// Uniform in [0, bound); 0 when bound is 0. Unbiased (Lemire's multiply-and-reject).
    std::uint32_t uniform(std::uint32_t bound);

    /// Uniform in [lo, hi] (inclusive); lo when hi < lo.
    std::uint32_t uniform_range(std::uint32_t lo, std::uint32_t hi);

    /// Fills `n` bytes at `out`.
    void fill(void *out, std::size_t n);
};

/// A deterministic stream: xoshiro256** seeded through splitmix64 from (seed, stream), so
/// distinct stream numbers under one seed give independent, reproducible sequences.
class SeededRandom final : public Random {
  public:
    explicit SeededRandom(std::uint64_t seed, std::uint64_t stream = 0);

    std::uint64_t next_u64() override;

    /// A new independent stream derived from this one's seed and stream number and from
    /// `stream` (for example a node id under the scenario seed): two streams' sub-streams
    /// differ. Does not advance this stream.
    SeededRandom derive(std::uint64_t stream) const;

    std::uint64_t seed() const { return seed_; }

  private:
    std::uint64_t seed_;
    std::uint64_t stream_;
    std::uint64_t s_[4];
};

/// splitmix64 finaliser: a good 64-bit mix, used to spread seeds.
std::uint64_t mix64(std::uint64_t x);

}  // namespace meshwork
