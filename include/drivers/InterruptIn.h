// mbed::InterruptIn as an in-memory dummy: callbacks are stored but no edge ever occurs on a
// host (there is no pin). read() returns the pull level.
#pragma once

#include <atomic>
#include <mutex>

#include "drivers/PinNames.h"
#include "platform/Callback.h"
#include "platform/mbed_toolchain.h"

namespace mbed {

class InterruptIn {
  public:
    explicit InterruptIn(PinName pin) : pin_(pin) {}
    InterruptIn(PinName pin, PinMode mode) : pin_(pin) { this->mode(mode); }

    int read() { return value_; }
    operator int() { return read(); }

    void rise(Callback<void()> func) {
        std::lock_guard<std::mutex> lock(mutex_);
        rise_ = std::move(func);
    }
    void fall(Callback<void()> func) {
        std::lock_guard<std::mutex> lock(mutex_);
        fall_ = std::move(func);
    }

    template <typename T, typename M>
    MBED_DEPRECATED_SINCE("mbed-os-5.1", "Use rise(callback(obj, method))")
    void rise(T *obj, M method) {
        rise(Callback<void()>(obj, method));
    }
    template <typename T, typename M>
    MBED_DEPRECATED_SINCE("mbed-os-5.1", "Use fall(callback(obj, method))")
    void fall(T *obj, M method) {
        fall(Callback<void()>(obj, method));
    }

    void mode(PinMode pull) { value_ = pull == PullUp ? 1 : 0; }
    void enable_irq() {}
    void disable_irq() {}

  private:
    [[maybe_unused]] PinName pin_;
    std::atomic<int> value_{0};
    std::mutex mutex_;
    Callback<void()> rise_;
    Callback<void()> fall_;
};

}  // namespace mbed
