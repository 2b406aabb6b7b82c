#include "TimerThread.h"

#include <optional>

#include "IsrContext.h"
#include "ThreadControl.h"

namespace meshwork::platform {

TimerThread::TimerThread(Executor &executor) : executor_(executor) {
    task_ = executor_.spawn([this] { run(); }, "timer_thread");
    if (task_) {
        task_->service = true;
    } else {
        done_ = true;  // out of memory: nothing will ever fire
    }
}

TimerThread::~TimerThread() {
    {
        WaitGuard lock(mutex_);
        stop_ = true;
        cv_.notify_all();
        cv_.wait_until(lock, kNever, [this] { return done_; });
    }
    if (task_) {
        executor_.reap(*task_);
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
    std::lock_guard<WaitLock> lock(mutex_);
    e->period_ = period;
    e->armed_ = true;
    schedule_locked(e, saturating_add(executor_.now(), std::max(delay, Duration::zero())));
    cv_.notify_all();
}

void TimerThread::disarm(mbed::TimerEvent *e) {
    WaitGuard lock(mutex_);
    if (e->timer_) {
        timers_.cancel(e->timer_);
        e->timer_ = 0;
    }
    e->armed_ = false;
    if (running_ == e) {
        if (&current_task() == task_.get()) {
            running_disarmed_ = true;
        } else {
            cv_.wait_until(lock, kNever, [&] { return running_ != e; });
        }
    }
}

Duration TimerThread::remaining(const mbed::TimerEvent *e) {
    std::lock_guard<WaitLock> lock(mutex_);
    if (!e->timer_) {
        return Duration::zero();
    }
    return std::max(Duration::zero(), e->deadline_ - executor_.now());
}

bool TimerThread::armed(const mbed::TimerEvent *e) {
    std::lock_guard<WaitLock> lock(mutex_);
    return e->armed_;
}

void TimerThread::run() {
    WaitGuard lock(mutex_);
    // Done however run() ends: an executor may unwind a task it cancels.
    struct Done {
        TimerThread &t;
        WaitGuard &lock;
        ~Done() {
            if (!lock.owns_lock()) {
                lock.lock();
            }
            t.done_ = true;
            t.cv_.notify_all();
        }
    } done{*this, lock};
    while (!stop_) {
        const Instant next = timers_.next_deadline();
        if (next == kNever) {
            cv_.wait_until(lock, kNever);
            continue;
        }
        if (executor_.now() < next) {
            cv_.wait_until(lock, next);
            continue;
        }
        // Interrupt context: the critical section is taken before the timer mutex.
        lock.unlock();
        std::optional<IsrContext> isr;
        isr.emplace();
        lock.lock();
        fired_ = nullptr;
        if (!stop_ && timers_.run_one_due(executor_.now(), timers_.order_mark()) && fired_) {
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
            cv_.notify_all();
        }
        lock.unlock();
        isr.reset();
        lock.lock();
    }
}

}  // namespace meshwork::platform
