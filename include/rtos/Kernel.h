// rtos::Kernel: the kernel clock and tick count. Time is read from the calling thread's
// meshwork::Executor, so a simulated node sees virtual time; the epoch is the executor's.
#pragma once

#include <chrono>
#include <cstdint>

#include "platform/mbed_toolchain.h"
#include "rtos/mbed_rtos_types.h"

namespace rtos {

namespace Kernel {

/// Milliseconds since the executor's epoch.
MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Use Kernel::Clock::now()")
uint64_t get_ms_count();

/// Monotonic millisecond clock, a std::chrono clock (1 ms is the kernel tick).
struct Clock {
    Clock() = delete;
    using duration = std::chrono::milliseconds;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::time_point<Clock>;
    static constexpr bool is_steady = true;
    static time_point now();
    /// The 32-bit millisecond count RTOS APIs take as a relative timeout.
    using duration_u32 = std::chrono::duration<uint32_t, period>;
    /// Nothing to lock: the clock does not depend on the kernel's tick interrupt.
    static void lock() {}
    static void unlock() {}
};

/// The longest finite wait an RTOS call accepts, and the value meaning "wait forever".
inline constexpr Clock::duration_u32 wait_for_u32_max{osWaitForever - 1};
inline constexpr Clock::duration_u32 wait_for_u32_forever{osWaitForever};

/// Hooks kept for source compatibility; the host has no idle loop, so the idle hook never runs.
void attach_idle_hook(void (*fptr)(void));
/// Called with the thread's id when an rtos::Thread's task returns.
void attach_thread_terminate_hook(void (*fptr)(osThreadId_t id));

}  // namespace Kernel

}  // namespace rtos
