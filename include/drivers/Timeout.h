// mbed::Timeout: calls a function once, after a delay, from the timer thread.
#pragma once

#include <chrono>

#include "drivers/Ticker.h"

namespace mbed {

class Timeout : public TickerBase {
  public:
    Timeout() : TickerBase(false) {}

    /// Time left before the call (zero once it has run or when detached).
    std::chrono::microseconds remaining_time() const { return remaining(); }
};

class LowPowerTimeout : public Timeout {};

}  // namespace mbed
