// mbed::Timer: a stopwatch on the calling task's meshwork::Executor clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

#include "platform/NonCopyable.h"
#include "platform/mbed_toolchain.h"

namespace mbed {

class TimerBase : private NonCopyable<TimerBase> {
  public:
    void start();
    void stop();
    /// Zeroes the elapsed time; a running timer keeps running.
    void reset();

    std::chrono::microseconds elapsed_time() const;

    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Use elapsed_time()")
    float read() const;
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Use elapsed_time()")
    int read_ms() const;
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Use elapsed_time()")
    int read_us() const;
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Use elapsed_time()")
    uint64_t read_high_resolution_us() const;
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Use elapsed_time()")
    operator float() const;

  protected:
    TimerBase() = default;

  private:
    std::chrono::microseconds elapsed_locked() const;

    mutable std::mutex mutex_;
    bool running_ = false;
    std::chrono::microseconds start_{0};
    std::chrono::microseconds accumulated_{0};
};

class Timer : public TimerBase {
  public:
    Timer() = default;
};

class LowPowerTimer : public TimerBase {
  public:
    LowPowerTimer() = default;
};

}  // namespace mbed
