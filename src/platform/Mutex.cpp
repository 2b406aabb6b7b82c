#include "rtos/Mutex.h"

#include "platform/ThreadControl.h"
#include "platform/mbed_assert.h"
#include "rtos/Thread.h"

namespace rtos {

using meshwork::platform::current_thread_control;
using meshwork::platform::deadline_after_ms;
using meshwork::platform::thread_id;
using meshwork::platform::wait_until_pred;

Mutex::Mutex() : Mutex(nullptr) {}

Mutex::Mutex(const char *name) : runtime_(&meshwork::current_runtime()), name_(name) {}

Mutex::~Mutex() = default;

bool Mutex::try_fast(osThreadId_t self) {
    // Uncontended: one compare-and-swap, no kernel mutex. Only the owner touches count_.
    osThreadId_t expected = nullptr;
    if (owner_.compare_exchange_strong(expected, self)) {
        count_ = 1;
        return true;
    }
    if (expected == self) {
        ++count_;
        return true;
    }
    return false;
}

bool Mutex::lock_until(meshwork::Instant deadline) {
    osThreadId_t self = thread_id(current_thread_control());
    if (try_fast(self)) {
        return true;
    }
    if (deadline == meshwork::Instant::min()) {
        return false;  // trylock
    }
    // Contended: register as a waiter before trying again, so an unlock that clears the owner
    // after our failed attempt sees us and notifies (both sides are sequentially consistent).
    std::unique_lock<std::mutex> lock(mutex_);
    waiters_.fetch_add(1);
    auto take = [&] {
        osThreadId_t none = nullptr;
        return owner_.compare_exchange_strong(none, self);
    };
    bool ok = take();
    if (!ok) {
        meshwork::platform::BlockedState blocked(Thread::WaitingMutex);
        ok = wait_until_pred(*runtime_, cv_, lock, deadline, take);
    }
    waiters_.fetch_sub(1);
    if (ok) {
        count_ = 1;
    }
    return ok;
}

void Mutex::lock() {
    if (!try_fast(thread_id(current_thread_control()))) {
        lock_until(meshwork::kNever);
    }
}

osStatus Mutex::lock(uint32_t millisec) {
    if (millisec == 0) {
        return trylock() ? osOK : osErrorResource;
    }
    return lock_until(deadline_after_ms(*runtime_, millisec)) ? osOK : osErrorTimeout;
}

bool Mutex::trylock() {
    return lock_until(meshwork::Instant::min());
}

bool Mutex::trylock_for(uint32_t millisec) {
    return trylock_for(Kernel::Clock::duration_u32(millisec));
}

bool Mutex::trylock_for(Kernel::Clock::duration_u32 rel_time) {
    if (rel_time.count() == 0) {
        return trylock();
    }
    return lock_until(deadline_after_ms(*runtime_, rel_time.count()));
}

bool Mutex::trylock_until(uint64_t millisec) {
    return trylock_until(Kernel::Clock::time_point(Kernel::Clock::duration(millisec)));
}

bool Mutex::trylock_until(Kernel::Clock::time_point abs_time) {
    return lock_until(meshwork::Instant(
        std::chrono::duration_cast<meshwork::Duration>(abs_time.time_since_epoch())));
}

void Mutex::unlock() {
    osThreadId_t self = thread_id(current_thread_control());
    if (owner_.load() != self || count_ == 0) {
        mbed_assert_internal("rtos::Mutex unlocked by a thread that does not own it", __FILE__,
                             __LINE__);
    }
    if (--count_ == 0) {
        owner_.store(nullptr);
        if (waiters_.load() > 0) {
            // Under the mutex: a waiter between its failed attempt and its wait holds it, so
            // the notification cannot fall into that gap.
            std::lock_guard<std::mutex> lock(mutex_);
            runtime_->notify_all(cv_);
        }
    }
}

osThreadId_t Mutex::get_owner() {
    return owner_.load();
}

}  // namespace rtos
