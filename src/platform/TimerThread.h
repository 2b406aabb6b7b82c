// Internal: the task that runs Ticker/Timeout handlers for one meshwork::Executor, in
// deadline order, each inside an IsrContext (critical section + "in ISR"). The ordering,
// re-arming and cancelling are a core TimerQueue; this class only adds the task that waits
// for its next deadline through the executor. Lock order: the critical section first, then the
// timer mutex.
#pragma once

#include <cstdint>
#include <memory>

#include "core/TimerQueue.h"
#include "drivers/TimerEvent.h"
#include "meshwork/Executor.h"

namespace meshwork::platform {

class TimerThread {
  public:
    explicit TimerThread(Executor &executor);
    /// Stops the task and waits for it; pending events are dropped.
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

    Executor &executor_;
    WaitLock mutex_;
    WaitQueue cv_;
    TimerQueue timers_;                  // guarded by mutex_
    mbed::TimerEvent *fired_ = nullptr;  // set by a TimerQueue callback inside run_one_due
    mbed::TimerEvent *running_ = nullptr;
    bool running_disarmed_ = false;  // the running handler disarmed (maybe destroyed) itself
    bool stop_ = false;
    bool done_ = false;  // run() has returned
    std::shared_ptr<Task> task_;
};

}  // namespace meshwork::platform
