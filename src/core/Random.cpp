#include "core/Random.h"

#include <cstring>

namespace meshwork {

std::uint64_t mix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::uint32_t Random::uniform(std::uint32_t bound) {
    if (bound == 0)
        return 0;
    // Lemire: the high word of a 32x32 product is uniform once the low word's bias zone is
    // rejected.
    std::uint64_t m = std::uint64_t{next_u32()} * bound;
    auto low = static_cast<std::uint32_t>(m);
    if (low < bound) {
        const std::uint32_t threshold = static_cast<std::uint32_t>(-bound) % bound;
        while (low < threshold) {
            m = std::uint64_t{next_u32()} * bound;
            low = static_cast<std::uint32_t>(m);
        }
    }
    return static_cast<std::uint32_t>(m >> 32);
}

std::uint32_t Random::uniform_range(std::uint32_t lo, std::uint32_t hi) {
    if (hi <= lo)
        return lo;
    if (lo == 0 && hi == UINT32_MAX)
        return next_u32();
    return lo + uniform(hi - lo + 1);
}

void Random::fill(void *out, std::size_t n) {
    auto *p = static_cast<std::uint8_t *>(out);
    while (n >= 8) {
        const std::uint64_t v = next_u64();
        std::memcpy(p, &v, 8);
        p += 8;
        n -= 8;
    }
    if (n > 0) {
        const std::uint64_t v = next_u64();
        std::memcpy(p, &v, n);
    }
}

SeededRandom::SeededRandom(std::uint64_t seed, std::uint64_t stream)
    : seed_(seed), stream_(stream) {
    // Each state word comes from splitmix64 over a (seed, stream) mix; never all zero.
    std::uint64_t x = mix64(seed) ^ mix64(stream + 0x632be59bd9b4e019ULL);
    for (auto &w : s_) {
        x += 0x9e3779b97f4a7c15ULL;
        w = mix64(x);
    }
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0)
        s_[0] = 1;
}

std::uint64_t SeededRandom::next_u64() {
    auto rotl = [](std::uint64_t v, int k) { return (v << k) | (v >> (64 - k)); };
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

SeededRandom SeededRandom::derive(std::uint64_t stream) const {
    // Stream 0 (a scenario's root) derives as it always has, so every simulation's node
    // streams stay what they were; any other stream mixes its number in.
    std::uint64_t base = seed_ ^ 0xd1b54a32d192ed03ULL;
    if (stream_ != 0)
        base = mix64(base) ^ mix64(stream_ ^ 0x8cb92ba72f3d8dd7ULL);
    return SeededRandom(mix64(base), stream);
}

}  // namespace meshwork
