#include "rtos/Mutex.h"

#include "ThreadControl.h"
#include "platform/mbed_assert.h"
#include "rtos/Thread.h"

namespace rtos {

using meshwork::platform::current_thread_control;
using meshwork::platform::deadline_after_ms;
using meshwork::platform::thread_id;

Mutex::Mutex() : Mutex(nullptr) {}

Mutex::Mutex(const char *name) : name_(name) {}

Mutex::~Mutex() = default;

namespace {

std::uintptr_t word_of(osThreadId_t id) {
    return reinterpret_cast<std::uintptr_t>(id);
}

}  // namespace

bool Mutex::try_fast(std::uintptr_t self) {
    // Uncontended: one compare-and-swap, no kernel mutex. Only the owner touches count_.
    std::uintptr_t expected = 0;
    if (owner_.compare_exchange_strong(expected, self, std::memory_order_acquire,
                                       std::memory_order_relaxed)) {
        count_ = 1;
        return true;
    }
    if ((expected & ~kWaitersBit) == self) {
        ++count_;
        return true;
    }
    return false;
}

bool Mutex::lock_until(meshwork::Instant deadline) {
    const std::uintptr_t self = word_of(thread_id(current_thread_control()));
    if (try_fast(self)) {
        return true;
    }
    if (deadline == meshwork::Instant::min()) {
        return false;  // trylock
    }
    // Contended. Waiters take the lock only under wait_lock_, and mark the owner word before
    // they sleep, so the owner's unlock sees the mark and wakes them (under wait_lock_ too).
    meshwork::WaitGuard lock(wait_lock_);
    ++waiters_;
    auto take = [&] {
        std::uintptr_t cur = owner_.load(std::memory_order_relaxed);
        for (;;) {
            if (cur == 0) {
                // Other waiters keep the mark on, so that our unlock wakes them in turn.
                const std::uintptr_t mine = self | (waiters_ > 1 ? kWaitersBit : 0);
                if (owner_.compare_exchange_weak(cur, mine, std::memory_order_acquire,
                                                 std::memory_order_relaxed)) {
                    return true;
                }
            } else if ((cur & kWaitersBit) ||
                       owner_.compare_exchange_weak(cur, cur | kWaitersBit,
                                                    std::memory_order_relaxed)) {
                return false;
            }
        }
    };
    bool ok = take();
    if (!ok) {
        meshwork::platform::BlockedState blocked(Thread::WaitingMutex);
        ok = waiting_.wait_until(lock, deadline, take);
    }
    --waiters_;  // a mark left behind by a waiter that timed out only costs one slow unlock
    if (ok) {
        count_ = 1;
    }
    return ok;
}

void Mutex::lock() {
    if (!try_fast(word_of(thread_id(current_thread_control())))) {
        lock_until(meshwork::kNever);
    }
}

osStatus Mutex::lock(uint32_t millisec) {
    if (millisec == 0) {
        return trylock() ? osOK : osErrorResource;
    }
    return lock_until(deadline_after_ms(millisec)) ? osOK : osErrorTimeout;
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
    return lock_until(deadline_after_ms(rel_time.count()));
}

bool Mutex::trylock_until(uint64_t millisec) {
    return trylock_until(Kernel::Clock::time_point(Kernel::Clock::duration(millisec)));
}

bool Mutex::trylock_until(Kernel::Clock::time_point abs_time) {
    return lock_until(meshwork::Instant(
        std::chrono::duration_cast<meshwork::Duration>(abs_time.time_since_epoch())));
}

void Mutex::unlock() {
    const std::uintptr_t self = word_of(thread_id(current_thread_control()));
    if ((owner_.load(std::memory_order_relaxed) & ~kWaitersBit) != self || count_ == 0) {
        mbed_assert_internal("rtos::Mutex unlocked by a thread that does not own it", __FILE__,
                             __LINE__);
    }
    if (--count_ > 0) {
        return;
    }
    // Nobody waits: one compare-and-swap, and nothing of this object is touched afterwards (the
    // next owner may destroy it at once, as a socket closing itself does).
    std::uintptr_t expected = self;
    if (owner_.compare_exchange_strong(expected, 0, std::memory_order_release,
                                       std::memory_order_relaxed)) {
        return;
    }
    // Marked: release and wake under wait_lock_, which a waiter needs to take the lock, so no
    // waiter can own (and destroy) the mutex before this is done.
    meshwork::WaitGuard lock(wait_lock_);
    owner_.store(0, std::memory_order_release);
    waiting_.notify_all();
}

osThreadId_t Mutex::get_owner() {
    return reinterpret_cast<osThreadId_t>(owner_.load(std::memory_order_acquire) & ~kWaitersBit);
}

}  // namespace rtos
