// mbed::TimerEvent: the base of Ticker and Timeout. An armed event runs handler() on the timer
// task of the executor of the task that first armed it (the shim's "interrupt
// context": inside a critical section, core_util_is_isr_active() true), at its deadline and,
// if periodic, every period after that.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "meshwork/Time.h"
#include "platform/NonCopyable.h"

namespace meshwork::platform {
class TimerThread;
}

/// Microsecond timestamps and intervals of the ticker API.
typedef uint32_t timestamp_t;
typedef uint64_t us_timestamp_t;

namespace mbed {

class TimerEvent : private NonCopyable<TimerEvent> {
  public:
    TimerEvent();
    /// Derived classes call disarm() in their own destructor, so handler() never runs on a
    /// partly destroyed object.
    virtual ~TimerEvent();

  protected:
    /// Runs on the timer thread (unless a derived class installs a dispatch function).
    virtual void handler() = 0;

    /// For derived classes: the timer thread calls `dispatch(this)` instead of the virtual
    /// handler(), so it never reads the vtable while a destructor is running.
    using Dispatch = void (*)(TimerEvent *);
    explicit TimerEvent(Dispatch dispatch);

    /// Arms the event `delay` from now, repeating every `period` if it is positive.
    void arm(std::chrono::microseconds delay, std::chrono::microseconds period);
    /// Disarms; waits for a running handler() unless called from it.
    void disarm();
    /// Time left before the next run (zero if due or not armed).
    std::chrono::microseconds remaining() const;
    bool armed() const;

  private:
    friend class meshwork::platform::TimerThread;

    static void dispatch_virtual(TimerEvent *e) { e->handler(); }

    Dispatch dispatch_;
    std::atomic<meshwork::platform::TimerThread *> thread_{nullptr};  // bound by the first arm()
    // Guarded by the timer thread's mutex.
    meshwork::Instant deadline_{};
    meshwork::Duration period_{0};
    uint64_t timer_ = 0;  // the pending timer in the thread's TimerQueue, 0 if none
    bool armed_ = false;
};

}  // namespace mbed
