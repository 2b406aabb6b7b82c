#include "rtos/Semaphore.h"

#include "ThreadControl.h"
#include "rtos/Thread.h"

namespace rtos {

using meshwork::platform::deadline_after_ms;

Semaphore::Semaphore(int32_t count) : Semaphore(count, 0xffff) {}

Semaphore::Semaphore(int32_t count, uint16_t max_count) : count_(count), max_count_(max_count) {}

Semaphore::~Semaphore() = default;

bool Semaphore::acquire_until(meshwork::Instant deadline, bool poll) {
    lock_.lock();
    if (count_ > 0) {
        --count_;
        lock_.unlock();
        return true;
    }
    if (poll) {
        lock_.unlock();
        return false;
    }
    // As on RTX, release() hands its token straight to the longest waiter: a woken task owns
    // it without re-checking, and no task that did not wait can take it in between.
    meshwork::platform::BlockedState blocked(Thread::WaitingSemaphore);
    return waiting_.wait_handed(lock_, deadline, &Semaphore::refund, this);
}

// A waiter handed a token is unwinding instead (its executor cancels it): the token goes on.
void Semaphore::refund(void *self) {
    auto &s = *static_cast<Semaphore *>(self);
    if (!s.waiting_.notify_one()) {
        ++s.count_;
    }
}

bool Semaphore::try_acquire() {
    return acquire_until(meshwork::kNever, true);
}

bool Semaphore::try_acquire_for(uint32_t millisec) {
    return try_acquire_for(Kernel::Clock::duration_u32(millisec));
}

bool Semaphore::try_acquire_for(Kernel::Clock::duration_u32 rel_time) {
    if (rel_time.count() == 0) {
        return try_acquire();
    }
    return acquire_until(deadline_after_ms(rel_time.count()), false);
}

bool Semaphore::try_acquire_until(uint64_t millisec) {
    return try_acquire_until(Kernel::Clock::time_point(Kernel::Clock::duration(millisec)));
}

bool Semaphore::try_acquire_until(Kernel::Clock::time_point abs_time) {
    return acquire_until(meshwork::Instant(std::chrono::duration_cast<meshwork::Duration>(
                             abs_time.time_since_epoch())),
                         false);
}

int32_t Semaphore::wait(uint32_t millisec) {
    const bool ok =
        millisec == 0 ? try_acquire() : acquire_until(deadline_after_ms(millisec), false);
    if (!ok) {
        return 0;
    }
    std::lock_guard<meshwork::WaitLock> lock(lock_);
    return count_ + 1;
}

int32_t Semaphore::wait_until(uint64_t millisec) {
    if (!try_acquire_until(Kernel::Clock::time_point(Kernel::Clock::duration(millisec)))) {
        return 0;
    }
    std::lock_guard<meshwork::WaitLock> lock(lock_);
    return count_ + 1;
}

osStatus Semaphore::release() {
    std::lock_guard<meshwork::WaitLock> lock(lock_);
    if (count_ >= max_count_) {
        return osErrorResource;
    }
    if (!waiting_.notify_one()) {
        ++count_;  // nobody waits (a waiter exists only while the count is 0)
    }
    return osOK;
}

}  // namespace rtos
