// Drop-reason counters (ARCHITECTURE rule 6): the packet path returns a verdict and counts every
// drop by reason. Each layer declares its own reason enum, ending in kCount, and a name function
// found by argument-dependent lookup:
//
//     enum class Ip6Drop { kNoRoute, kHopLimit, kCount };
//     const char *drop_reason_name(Ip6Drop r);
//     DropCounters<Ip6Drop> drops;  drops.count(Ip6Drop::kNoRoute);
//
// A fixed array indexed by the enum: no allocation, no locking (one per node, run to
// completion).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

namespace meshwork {

template <typename Reason>
class DropCounters {
    static_assert(std::is_enum_v<Reason>, "DropCounters<Reason>: Reason must be an enum");

  public:
    static constexpr std::size_t kSize = static_cast<std::size_t>(Reason::kCount);

    /// Counts `n` drops for `reason`; a reason outside [0, kCount) is ignored.
    void count(Reason reason, std::uint64_t n = 1) {
        const auto i = static_cast<std::size_t>(reason);
        if (i < kSize)
            counts_[i] += n;
    }

    std::uint64_t operator[](Reason reason) const {
        const auto i = static_cast<std::size_t>(reason);
        return i < kSize ? counts_[i] : 0;
    }

    std::uint64_t total() const {
        std::uint64_t sum = 0;
        for (std::uint64_t c : counts_)
            sum += c;
        return sum;
    }

    void reset() { counts_.fill(0); }

    /// Calls f(reason, name, count) for every reason with a non-zero count, in enum order.
    template <typename F>
    void for_each_nonzero(F &&f) const {
        for (std::size_t i = 0; i < kSize; ++i) {
            if (counts_[i] != 0) {
                const auto r = static_cast<Reason>(i);
                f(r, name(r), counts_[i]);
            }
        }
    }

    /// The layer's name for `reason` (its drop_reason_name, found by ADL).
    static const char *name(Reason reason) { return drop_reason_name(reason); }

    /// "name=count" for each non-zero reason, space separated; empty when nothing dropped.
    std::string to_string() const {
        std::string out;
        for_each_nonzero([&](Reason, const char *n, std::uint64_t c) {
            if (!out.empty())
                out += ' ';
            out += n;
            out += '=';
            out += std::to_string(c);
        });
        return out;
    }

  private:
    std::array<std::uint64_t, kSize> counts_{};
};

}  // namespace meshwork
