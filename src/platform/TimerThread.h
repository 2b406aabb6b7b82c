// Internal: the thread that runs Ticker/Timeout handlers for one meshwork::Runtime, in
// deadline order, each inside an IsrContext (critical section + "in ISR"). Lock order: the
// critical section first, then the timer mutex.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

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
    using Key = std::pair<Instant, uint64_t>;

    void run();
    void unschedule_locked(mbed::TimerEvent *e);

    Runtime &runtime_;
    std::mutex mutex_;
    std::condition_variable_any cv_;
    std::map<Key, mbed::TimerEvent *> schedule_;
    mbed::TimerEvent *running_ = nullptr;
    bool running_disarmed_ = false;  // the running handler disarmed (maybe destroyed) itself
    uint64_t next_seq_ = 0;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace meshwork::platform
