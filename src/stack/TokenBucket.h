// A token bucket on an injected time base: the ICMPv6 error rate limit of RFC 4443 2.4 (f).
// `burst` tokens at most; one token comes back every `interval`.
#pragma once
#include <cstdint>

#include "core/Time.h"

namespace meshwork::stack {

class TokenBucket {
  public:
    TokenBucket(std::uint32_t burst, Duration interval)
        : burst_(burst), interval_(interval), tokens_(burst) {}

    /// Takes a token if there is one at `now`.
    bool take(Instant now) {
        refill(now);
        if (tokens_ == 0)
            return false;
        --tokens_;
        return true;
    }
    std::uint32_t tokens(Instant now) {
        refill(now);
        return tokens_;
    }
    void configure(std::uint32_t burst, Duration interval) {
        burst_ = burst;
        interval_ = interval;
        if (tokens_ > burst_)
            tokens_ = burst_;
    }

  private:
    void refill(Instant now) {
        if (!started_) {
            started_ = true;
            last_ = now;
            return;
        }
        if (interval_.count() <= 0) {
            tokens_ = burst_;
            return;
        }
        if (now <= last_)
            return;
        const auto gained = (now - last_) / interval_;
        if (gained <= 0)
            return;
        const std::uint64_t t = tokens_ + static_cast<std::uint64_t>(gained);
        tokens_ = t > burst_ ? burst_ : static_cast<std::uint32_t>(t);
        last_ += interval_ * gained;  // keep the fractional part
        if (tokens_ == burst_)
            last_ = now;
    }

    std::uint32_t burst_;
    Duration interval_;
    std::uint32_t tokens_;
    Instant last_{};
    bool started_ = false;
};

}  // namespace meshwork::stack
