// Internal: the thread that runs Ticker/Timeout handlers for one meshwork::Runtime, in
// deadline order, each inside an IsrContext (critical section + "in ISR"). The ordering,
// re-arming and cancelling are a core TimerQueue; this class only adds the thread that waits
// for its next deadline through the runtime. Lock order: the critical section first, then the
// timer mutex.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "core/TimerQueue.h"
#include "drivers/TimerEvent.h"
#include "meshwork/Runtime.h"

namespace meshwork::platform {

class TimerThread {
  public:
    explicit TimerThread(Runtime &runtime);
    /// Stops and joins the thread; pending events are dropped.
    ~TimerThread();
    TimerThread(const TimerThread &) = delete;
    TimerThread &operator=(const TimerThread &) = delete;

    void arm(mbed::TimerEvent *e, Duration delay, Duration period);
    /// Waits for a running handler of `e` to return, unless called from that handler.
    void disarm(mbed::TimerEvent *e);
    Duration remaining(const mbed::TimerEvent *e);
    bool armed(const mbed::TimerEvent *e);

  private:
    void run();
    void schedule_locked(mbed::TimerEvent *e, Instant deadline);

    Runtime &runtime_;
    std::mutex mutex_;
    std::condition_variable_any cv_;
    TimerQueue timers_;                  // guarded by mutex_
    mbed::TimerEvent *fired_ = nullptr;  // set by a TimerQueue callback inside run_one_due
    mbed::TimerEvent *running_ = nullptr;
    bool running_disarmed_ = false;  // the running handler disarmed (maybe destroyed) itself
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace meshwork::platform
