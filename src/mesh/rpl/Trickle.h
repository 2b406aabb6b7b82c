// The Trickle algorithm (RFC 6206 4.2) as RPL uses it for DIOs (RFC 6550 8.3): intervals from
// Imin doubling up to Imax = Imin * 2^doublings, a transmission at a random instant t in
// [I/2, I) unless k or more consistent messages were heard in the interval (k = 0: never
// suppressed), and a reset to Imin on an inconsistency.
#pragma once

#include <cstdint>

#include "core/Random.h"
#include "core/Time.h"

namespace meshwork::rpl {

struct TrickleConfig {
    Duration imin = std::chrono::milliseconds(4096);  // 2^12 ms (mesh-facts.md, Nanostack)
    std::uint8_t doublings = 9;
    std::uint8_t k = 10;  // redundancy constant; 0 = infinity
};

class Trickle {
  public:
    explicit Trickle(Random &random, TrickleConfig config = {}) : random_(random), cfg_(config) {}

    void set_config(const TrickleConfig &c) { cfg_ = c; }
    const TrickleConfig &config() const { return cfg_; }
    Duration imax() const;

    /// Starts (or restarts) with I = Imin (RFC 6206 4.2 step 1).
    void start(Instant now);
    void stop() { running_ = false; }
    bool running() const { return running_; }
    /// Step 3: a consistent transmission heard.
    void consistent() { ++c_; }
    /// Step 6: an inconsistency. Restarts at Imin unless I is already Imin.
    void reset(Instant now);

    Instant next_deadline() const;
    /// Advances to `now`; true when a transmission is due now (step 4). The caller sends.
    bool poll(Instant now);

    Duration interval() const { return i_; }
    unsigned counter() const { return c_; }
    std::uint64_t suppressed() const { return suppressed_; }
    std::uint64_t transmitted() const { return transmitted_; }

  private:
    void begin_interval(Instant start);

    Random &random_;
    TrickleConfig cfg_;
    bool running_ = false;
    Duration i_{};
    Instant interval_start_{};
    Instant t_{};
    bool fired_ = false;
    unsigned c_ = 0;
    std::uint64_t suppressed_ = 0;
    std::uint64_t transmitted_ = 0;
};

}  // namespace meshwork::rpl
