// rtos::EventFlags: 31 event flags threads can wait on (any or all). Waits return the flags
// before clearing, or a value with osFlagsError set: osFlagsErrorTimeout after a timeout,
// osFlagsErrorResource when a zero timeout finds the flags unset (as CMSIS-RTOS2 defines).
#pragma once

#include <cstdint>

#include "meshwork/Executor.h"
#include "platform/NonCopyable.h"
#include "rtos/Kernel.h"
#include "rtos/mbed_rtos_types.h"

namespace rtos {

class EventFlags : private mbed::NonCopyable<EventFlags> {
  public:
    EventFlags();
    explicit EventFlags(const char *name);
    ~EventFlags();

    /// Sets flags; returns the flags after setting, or osFlagsErrorParameter if bit 31 is set.
    uint32_t set(uint32_t flags);
    /// Clears flags; returns the flags before clearing.
    uint32_t clear(uint32_t flags = 0x7fffffff);
    uint32_t get() const;

    uint32_t wait_all(uint32_t flags = 0, uint32_t millisec = osWaitForever, bool clear = true);
    uint32_t wait_all_for(uint32_t flags, Kernel::Clock::duration_u32 rel_time, bool clear = true);
    uint32_t wait_all_until(uint32_t flags, Kernel::Clock::time_point abs_time, bool clear = true);

    uint32_t wait_any(uint32_t flags = 0, uint32_t millisec = osWaitForever, bool clear = true);
    uint32_t wait_any_for(uint32_t flags, Kernel::Clock::duration_u32 rel_time, bool clear = true);
    uint32_t wait_any_until(uint32_t flags, Kernel::Clock::time_point abs_time, bool clear = true);

  private:
    uint32_t wait(uint32_t flags, uint32_t options, meshwork::Instant deadline, bool zero_timeout);
    // The public all/any forms differ only in `options` (osFlagsWaitAll or osFlagsWaitAny).
    uint32_t wait_ms(uint32_t flags, uint32_t options, uint32_t millisec, bool clear);
    uint32_t wait_until_time(uint32_t flags, uint32_t options, Kernel::Clock::time_point abs_time,
                             bool clear);

    [[maybe_unused]] const char *name_;  // kept for debugging, as on Mbed
    mutable meshwork::WaitLock lock_;
    meshwork::WaitQueue waiting_;
    uint32_t flags_ = 0;
};

}  // namespace rtos
