#include "rtos/ConditionVariable.h"

#include "ThreadControl.h"
#include "platform/mbed_assert.h"
#include "rtos/Thread.h"

namespace rtos {

ConditionVariable::ConditionVariable(Mutex &mutex) : mutex_(mutex) {}

ConditionVariable::~ConditionVariable() = default;

cv_status ConditionVariable::wait_until_instant(meshwork::Instant deadline) {
    // The guard is taken before the mutex is released, so a notify issued after the release
    // finds this task queued.
    meshwork::WaitGuard guard(internal_);
    if (mutex_.get_owner() != osThreadGetId()) {
        mbed_assert_internal("ConditionVariable wait without holding its mutex", __FILE__,
                             __LINE__);
    }
    mutex_.unlock();
    bool signaled;
    {
        meshwork::platform::BlockedState blocked(Thread::WaitingThreadFlag);
        signaled = waiting_.wait_until(guard, deadline);
    }
    guard.unlock();
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
        meshwork::platform::now(), std::chrono::duration_cast<meshwork::Duration>(rel_time)));
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
    std::lock_guard<meshwork::WaitLock> guard(internal_);
    waiting_.notify_one();
}

void ConditionVariable::notify_all() {
    std::lock_guard<meshwork::WaitLock> guard(internal_);
    waiting_.notify_all();
}

}  // namespace rtos
