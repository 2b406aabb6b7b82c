// Monotonic time as the project sees it: microsecond instants read from an injectable Clock.
// Protocol code and the platform shim never read std::chrono::steady_clock directly, so a
// simulation can substitute virtual time (ARCHITECTURE rule 2).
#pragma once

#include <chrono>
#include <cstdint>

namespace meshwork {

/// Tag type for instants of a meshwork Clock (real or virtual). Not a std clock: it has no
/// static now(); read time through a Clock object.
struct ClockTag {
    using rep = std::int64_t;
    using period = std::micro;
    using duration = std::chrono::duration<rep, period>;
    using time_point = std::chrono::time_point<ClockTag, duration>;
    static constexpr bool is_steady = true;
};

using Duration = std::chrono::microseconds;
using Instant = ClockTag::time_point;

/// The far future: a deadline that never expires.
inline constexpr Instant kNever = Instant(Duration(INT64_MAX));

class Clock {
  public:
    virtual ~Clock() = default;
    /// Monotonic, never goes backwards.
    virtual Instant now() const = 0;
};

/// Real time: std::chrono::steady_clock, with the epoch at the first read in the process.
class SteadyClock final : public Clock {
  public:
    Instant now() const override;
};

/// Saturating addition, so `now + huge_timeout` never overflows into the past.
inline Instant saturating_add(Instant t, Duration d) {
    if (d.count() > 0 && t.time_since_epoch().count() > INT64_MAX - d.count()) {
        return kNever;
    }
    return t + d;
}

}  // namespace meshwork
