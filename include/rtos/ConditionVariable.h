// rtos::ConditionVariable bound to an rtos::Mutex. Callers hold the mutex (locked exactly once)
// around wait and notify, as on Mbed. Waiters are woken in FIFO order by notify_one.
#pragma once

#include <cstdint>

#include "meshwork/Executor.h"
#include "platform/NonCopyable.h"
#include "platform/mbed_toolchain.h"
#include "rtos/Kernel.h"
#include "rtos/Mutex.h"

namespace rtos {

enum class cv_status { no_timeout, timeout };

class ConditionVariable : private mbed::NonCopyable<ConditionVariable> {
  public:
    explicit ConditionVariable(Mutex &mutex);
    ~ConditionVariable();

    void wait();

    template <typename Predicate>
    void wait(Predicate pred) {
        while (!pred()) {
            wait();
        }
    }

    /// Deprecated form: returns true on timeout.
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a chrono duration")
    bool wait_for(uint32_t millisec);
    cv_status wait_for(Kernel::Clock::duration rel_time);

    template <typename Predicate>
    bool wait_for(Kernel::Clock::duration rel_time, Predicate pred) {
        return wait_until(Kernel::Clock::now() + rel_time, std::move(pred));
    }

    /// Deprecated form: returns true on timeout.
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a Kernel::Clock::time_point")
    bool wait_until(uint64_t millisec);
    cv_status wait_until(Kernel::Clock::time_point abs_time);

    template <typename Predicate>
    bool wait_until(Kernel::Clock::time_point abs_time, Predicate pred) {
        while (!pred()) {
            if (wait_until(abs_time) == cv_status::timeout) {
                return pred();
            }
        }
        return true;
    }

    void notify_one();
    void notify_all();

  private:
    cv_status wait_until_instant(meshwork::Instant deadline);

    Mutex &mutex_;
    meshwork::WaitLock internal_;
    meshwork::WaitQueue waiting_;
};

}  // namespace rtos
