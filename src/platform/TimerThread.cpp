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

void TimerThread::unschedule_locked(mbed::TimerEvent *e) {
    if (e->scheduled_) {
        schedule_.erase(Key(e->deadline_, e->seq_));
        e->scheduled_ = false;
    }
}

void TimerThread::arm(mbed::TimerEvent *e, Duration delay, Duration period) {
    std::lock_guard<std::mutex> lock(mutex_);
    unschedule_locked(e);
    e->deadline_ = saturating_add(runtime_.now(), std::max(delay, Duration::zero()));
    e->period_ = period;
    e->seq_ = next_seq_++;
    e->armed_ = true;
    e->scheduled_ = true;
    schedule_.emplace(Key(e->deadline_, e->seq_), e);
    runtime_.notify_all(cv_);
}

void TimerThread::disarm(mbed::TimerEvent *e) {
    std::unique_lock<std::mutex> lock(mutex_);
    unschedule_locked(e);
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
    if (!e->scheduled_) {
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
        if (schedule_.empty()) {
            runtime_.wait_until(cv_, lock, kNever);
            continue;
        }
        const Instant next = schedule_.begin()->first.first;
        if (runtime_.now() < next) {
            runtime_.wait_until(cv_, lock, next);
            continue;
        }
        // Interrupt context: the critical section is taken before the timer mutex.
        lock.unlock();
        std::optional<IsrContext> isr;
        isr.emplace();
        lock.lock();
        if (!stop_ && !schedule_.empty() && schedule_.begin()->first.first <= runtime_.now()) {
            mbed::TimerEvent *e = schedule_.begin()->second;
            schedule_.erase(schedule_.begin());
            e->scheduled_ = false;
            const Instant fired = e->deadline_;
            if (e->period_ <= Duration::zero()) {
                e->armed_ = false;
            }
            running_ = e;
            running_disarmed_ = false;
            lock.unlock();
            e->dispatch_(e);
            lock.lock();
            if (!running_disarmed_ && e->armed_ && !e->scheduled_ &&
                e->period_ > Duration::zero()) {
                e->deadline_ = saturating_add(fired, e->period_);
                e->seq_ = next_seq_++;
                e->scheduled_ = true;
                schedule_.emplace(Key(e->deadline_, e->seq_), e);
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
