// rtos::Semaphore: a counting semaphore with a maximum count (0xffff by default, as on Mbed).
#pragma once

#include <cstdint>

#include "meshwork/Executor.h"
#include "platform/NonCopyable.h"
#include "platform/mbed_toolchain.h"
#include "rtos/Kernel.h"
#include "rtos/mbed_rtos_types.h"

namespace rtos {

class Semaphore : private mbed::NonCopyable<Semaphore> {
  public:
    explicit Semaphore(int32_t count = 0);
    Semaphore(int32_t count, uint16_t max_count);
    ~Semaphore();

    void acquire() { acquire_until(meshwork::kNever, false); }
    bool try_acquire();

    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a chrono duration")
    bool try_acquire_for(uint32_t millisec);
    bool try_acquire_for(Kernel::Clock::duration_u32 rel_time);

    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a Kernel::Clock::time_point")
    bool try_acquire_until(uint64_t millisec);
    bool try_acquire_until(Kernel::Clock::time_point abs_time);

    /// 5.x: returns the tokens available before taking one, 0 on timeout.
    MBED_DEPRECATED_SINCE("mbed-os-5.13", "Use acquire() or try_acquire_for()")
    int32_t wait(uint32_t millisec = osWaitForever);
    MBED_DEPRECATED_SINCE("mbed-os-5.13", "Use try_acquire_until()")
    int32_t wait_until(uint64_t millisec);

    /// Returns a token; osErrorResource when the count is already at its maximum.
    osStatus release();

  private:
    bool acquire_until(meshwork::Instant deadline, bool poll);
    static void refund(void *self);

    meshwork::WaitLock lock_;
    meshwork::WaitQueue waiting_;
    int32_t count_;
    uint16_t max_count_;
};

}  // namespace rtos
