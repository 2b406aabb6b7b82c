#include "TimerThread.h"

#include <optional>

#include "IsrContext.h"
#include "ThreadControl.h"

namespace meshwork::platform {

TimerThread::TimerThread(Runtime &runtime) : runtime_(runtime) {
    thread_ = std::thread([this] { run(); });
}

TimerThread::~TimerThread() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
        runtime_.notify_all(cv_);
    }
    if (thread_.joinable()) {
        thread_.join();
    }
}

void TimerThread::schedule_locked(mbed::TimerEvent *e, Instant deadline) {
    e->deadline_ = deadline;
    // A pending timer moves (no allocation); otherwise a new one whose callback only names the
    // event: the handler runs outside the mutex, in run().
    if (!e->timer_ || !timers_.reschedule(e->timer_, deadline)) {
        e->timer_ = timers_.schedule(deadline, [this, e] {
            e->timer_ = 0;
            fired_ = e;
        });
    }
}

void TimerThread::arm(mbed::TimerEvent *e, Duration delay, Duration period) {
    std::lock_guard<std::mutex> lock(mutex_);
    e->period_ = period;
    e->armed_ = true;
    schedule_locked(e, saturating_add(runtime_.now(), std::max(delay, Duration::zero())));
    runtime_.notify_all(cv_);
}

void TimerThread::disarm(mbed::TimerEvent *e) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (e->timer_) {
        timers_.cancel(e->timer_);
        e->timer_ = 0;
    }
    e->armed_ = false;
    if (running_ == e) {
        if (std::this_thread::get_id() == thread_.get_id()) {
            running_disarmed_ = true;
        } else {
            wait_until_pred(runtime_, cv_, lock, kNever, [&] { return running_ != e; });
        }
    }
}

Duration TimerThread::remaining(const mbed::TimerEvent *e) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!e->timer_) {
        return Duration::zero();
    }
    return std::max(Duration::zero(), e->deadline_ - runtime_.now());
}

bool TimerThread::armed(const mbed::TimerEvent *e) {
    std::lock_guard<std::mutex> lock(mutex_);
    return e->armed_;
}

void TimerThread::run() {
    RuntimeScope scope(runtime_);
    runtime_.thread_enter();
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_) {
        const Instant next = timers_.next_deadline();
        if (next == kNever) {
            runtime_.wait_until(cv_, lock, kNever);
            continue;
        }
        if (runtime_.now() < next) {
            runtime_.wait_until(cv_, lock, next);
            continue;
        }
        // Interrupt context: the critical section is taken before the timer mutex.
        lock.unlock();
        std::optional<IsrContext> isr;
        isr.emplace();
        lock.lock();
        fired_ = nullptr;
        if (!stop_ && timers_.run_one_due(runtime_.now(), timers_.order_mark()) && fired_) {
            mbed::TimerEvent *e = fired_;
            const Instant fired = e->deadline_;
            if (e->period_ <= Duration::zero()) {
                e->armed_ = false;
            }
            running_ = e;
            running_disarmed_ = false;
            lock.unlock();
            e->dispatch_(e);
            lock.lock();
            // Periodic, unless the handler disarmed it or re-armed it itself.
            if (!running_disarmed_ && e->armed_ && !e->timer_ && e->period_ > Duration::zero()) {
                schedule_locked(e, saturating_add(fired, e->period_));
            }
            running_ = nullptr;
            running_disarmed_ = false;
            runtime_.notify_all(cv_);
        }
        lock.unlock();
        isr.reset();
        lock.lock();
    }
    lock.unlock();
    runtime_.thread_exit();
}

}  // namespace meshwork::platform
