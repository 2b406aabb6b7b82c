// rtos::Mutex: a recursive mutex with owner tracking, as Mbed's. A contended lock blocks the
// calling task through its executor (meshwork/Executor.h); the mutex is bound to none.
#pragma once

#include <atomic>
#include <cstdint>

#include "meshwork/Executor.h"
#include "platform/NonCopyable.h"
#include "platform/mbed_toolchain.h"
#include "rtos/Kernel.h"
#include "rtos/mbed_rtos_types.h"

namespace rtos {

class Mutex : private mbed::NonCopyable<Mutex> {
  public:
    Mutex();
    explicit Mutex(const char *name);
    ~Mutex();

    /// Waits until the mutex is free or owned by the calling thread (it is recursive).
    void lock();

    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Use lock() or trylock_for()")
    osStatus lock(uint32_t millisec);

    bool trylock();

    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a chrono duration")
    bool trylock_for(uint32_t millisec);
    bool trylock_for(Kernel::Clock::duration_u32 rel_time);

    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a Kernel::Clock::time_point")
    bool trylock_until(uint64_t millisec);
    bool trylock_until(Kernel::Clock::time_point abs_time);

    /// Releases one level of ownership. Unlocking a mutex the caller does not own aborts.
    void unlock();

    /// The owning thread, or nullptr when unlocked.
    osThreadId_t get_owner();

    /// For std::lock_guard / std::unique_lock.
    bool try_lock() { return trylock(); }

  private:
    friend class ConditionVariable;

    bool try_fast(std::uintptr_t self);
    bool lock_until(meshwork::Instant deadline);

    // The owner word: the owning thread's id, with kWaitersBit set while threads may be blocked
    // in lock. Uncontended lock and unlock are one compare-and-swap each; wait_lock_ and
    // waiters_queue_ serve only blocking.
    static constexpr std::uintptr_t kWaitersBit = 1;

    [[maybe_unused]] const char *name_;  // kept for debugging, as on Mbed
    meshwork::WaitLock wait_lock_;
    meshwork::WaitQueue waiting_;
    std::atomic<std::uintptr_t> owner_{0};
    uint32_t count_ = 0;    // recursion depth, touched by the owner only
    uint32_t waiters_ = 0;  // tasks in the blocking path of lock (guarded by wait_lock_)
};

}  // namespace rtos

#include "platform/ScopedLock.h"

namespace rtos {
/// RAII lock of an rtos::Mutex.
using ScopedMutexLock = mbed::ScopedLock<Mutex>;
}  // namespace rtos
