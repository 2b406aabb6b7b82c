// rtos::ThisThread: operations on the calling thread (any thread, including main). Sleeps and
// flag waits go through the calling task's meshwork::Executor. Timed flag waits return the
// thread's current flags when they time out (no error bit), as on Mbed.
#pragma once

#include <cstdint>

#include "platform/mbed_toolchain.h"
#include "rtos/Kernel.h"
#include "rtos/mbed_rtos_types.h"

namespace rtos {

namespace ThisThread {

uint32_t flags_clear(uint32_t flags);
uint32_t flags_get();

uint32_t flags_wait_all(uint32_t flags, bool clear = true);
uint32_t flags_wait_any(uint32_t flags, bool clear = true);

MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a chrono duration")
uint32_t flags_wait_all_for(uint32_t flags, uint32_t millisec, bool clear = true);
uint32_t flags_wait_all_for(uint32_t flags, Kernel::Clock::duration_u32 rel_time,
                            bool clear = true);
MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a Kernel::Clock::time_point")
uint32_t flags_wait_all_until(uint32_t flags, uint64_t millisec, bool clear = true);
uint32_t flags_wait_all_until(uint32_t flags, Kernel::Clock::time_point abs_time,
                              bool clear = true);

MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a chrono duration")
uint32_t flags_wait_any_for(uint32_t flags, uint32_t millisec, bool clear = true);
uint32_t flags_wait_any_for(uint32_t flags, Kernel::Clock::duration_u32 rel_time,
                            bool clear = true);
MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a Kernel::Clock::time_point")
uint32_t flags_wait_any_until(uint32_t flags, uint64_t millisec, bool clear = true);
uint32_t flags_wait_any_until(uint32_t flags, Kernel::Clock::time_point abs_time,
                              bool clear = true);

MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a chrono duration, e.g. 500ms")
void sleep_for(uint32_t millisec);
void sleep_for(Kernel::Clock::duration_u32 rel_time);

MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a Kernel::Clock::time_point")
void sleep_until(uint64_t millisec);
void sleep_until(Kernel::Clock::time_point abs_time);

void yield();
osThreadId_t get_id();
/// Name given to the rtos::Thread running the caller, or nullptr.
const char *get_name();

}  // namespace ThisThread

}  // namespace rtos
