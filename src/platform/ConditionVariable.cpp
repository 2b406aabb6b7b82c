#include "rtos/ConditionVariable.h"

#include "ThreadControl.h"
#include "platform/mbed_assert.h"
#include "rtos/Thread.h"

namespace rtos {

ConditionVariable::ConditionVariable(Mutex &mutex)
    : mutex_(mutex), runtime_(&meshwork::current_runtime()) {}

ConditionVariable::~ConditionVariable() = default;

cv_status ConditionVariable::wait_until_instant(meshwork::Instant deadline) {
    Waiter self;
    std::unique_lock<std::mutex> lock(internal_);
    // Registered before the mutex is released, so a notify issued after the release sees us.
    waiters_.push_back(&self);
    auto it = std::prev(waiters_.end());
    if (mutex_.get_owner() != osThreadGetId()) {
        mbed_assert_internal("ConditionVariable wait without holding its mutex", __FILE__,
                             __LINE__);
    }
    mutex_.unlock();
    bool signaled;
    {
        meshwork::platform::BlockedState blocked(Thread::WaitingThreadFlag);
        signaled = meshwork::platform::wait_until_pred(*runtime_, cv_, lock, deadline,
                                                       [&] { return self.signaled; });
    }
    if (!signaled) {
        waiters_.erase(it);
    }
    lock.unlock();
    mutex_.lock();
    return signaled ? cv_status::no_timeout : cv_status::timeout;
}

void ConditionVariable::wait() {
    wait_until_instant(meshwork::kNever);
}

bool ConditionVariable::wait_for(uint32_t millisec) {
    if (millisec == osWaitForever) {
        wait();
        return false;
    }
    return wait_for(Kernel::Clock::duration(millisec)) == cv_status::timeout;
}

cv_status ConditionVariable::wait_for(Kernel::Clock::duration rel_time) {
    return wait_until_instant(meshwork::saturating_add(
        runtime_->now(), std::chrono::duration_cast<meshwork::Duration>(rel_time)));
}

bool ConditionVariable::wait_until(uint64_t millisec) {
    return wait_until(Kernel::Clock::time_point(Kernel::Clock::duration(millisec))) ==
           cv_status::timeout;
}

cv_status ConditionVariable::wait_until(Kernel::Clock::time_point abs_time) {
    return wait_until_instant(meshwork::Instant(
        std::chrono::duration_cast<meshwork::Duration>(abs_time.time_since_epoch())));
}

void ConditionVariable::notify_one() {
    std::lock_guard<std::mutex> lock(internal_);
    if (!waiters_.empty()) {
        waiters_.front()->signaled = true;
        waiters_.pop_front();
        runtime_->notify_all(cv_);
    }
}

void ConditionVariable::notify_all() {
    std::lock_guard<std::mutex> lock(internal_);
    for (Waiter *w : waiters_) {
        w->signaled = true;
    }
    waiters_.clear();
    runtime_->notify_all(cv_);
}

}  // namespace rtos
