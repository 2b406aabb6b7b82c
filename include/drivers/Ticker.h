// mbed::Ticker: calls a function periodically from the timer thread (the shim's interrupt
// context). Intervals are fixed-rate from the first deadline.
#pragma once

#include <chrono>
#include <utility>

#include "drivers/TimerEvent.h"
#include "platform/Callback.h"
#include "platform/mbed_toolchain.h"

namespace mbed {

class TickerBase : public TimerEvent {
  public:
    ~TickerBase() override;

    /// Calls `func` every `t` (for a Timeout: once, after `t`). Re-attaching replaces the
    /// function and restarts the interval.
    void attach(Callback<void()> func, std::chrono::microseconds t);

    template <typename F>
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a chrono duration, e.g. 10ms, not a float")
    void attach(F &&func, float t) {
        attach(
            Callback<void()>(std::forward<F>(func)),
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::duration<float>(t)));
    }

    template <typename T, typename M>
    MBED_DEPRECATED_SINCE("mbed-os-5.1", "Use attach(callback(obj, method), t)")
    void attach(T *obj, M method, float t) {
        attach(Callback<void()>(obj, method), std::chrono::duration_cast<std::chrono::microseconds>(
                                                  std::chrono::duration<float>(t)));
    }

    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a chrono duration")
    void attach_us(Callback<void()> func, us_timestamp_t t) {
        attach(std::move(func), std::chrono::microseconds(t));
    }

    template <typename T, typename M>
    MBED_DEPRECATED_SINCE("mbed-os-5.1", "Use attach(callback(obj, method), t)")
    void attach_us(T *obj, M method, us_timestamp_t t) {
        attach(Callback<void()>(obj, method), std::chrono::microseconds(t));
    }

    /// Stops further calls; waits for a call in progress on the timer thread to return.
    void detach();

  protected:
    explicit TickerBase(bool periodic) : TimerEvent(&TickerBase::dispatch), periodic_(periodic) {}
    void handler() override;

  private:
    static void dispatch(TimerEvent *e);

  private:
    const bool periodic_;
    Callback<void()> function_;
};

class Ticker : public TickerBase {
  public:
    Ticker() : TickerBase(true) {}
};

class LowPowerTicker : public Ticker {};

}  // namespace mbed
