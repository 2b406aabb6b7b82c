#include "rtos/Kernel.h"

#include <atomic>

#include "meshwork/Executor.h"

namespace rtos::Kernel {

namespace {
// Compatibility edge: Mbed keeps these hooks process-wide.
std::atomic<void (*)(void)> idle_hook{nullptr};
std::atomic<void (*)(osThreadId_t)> terminate_hook{nullptr};
}  // namespace

Clock::time_point Clock::now() {
    return time_point(std::chrono::duration_cast<duration>(
        meshwork::current_executor().now().time_since_epoch()));
}

uint64_t get_ms_count() {
    return static_cast<uint64_t>(Clock::now().time_since_epoch().count());
}

void attach_idle_hook(void (*fptr)(void)) {
    idle_hook = fptr;
}

void attach_thread_terminate_hook(void (*fptr)(osThreadId_t id)) {
    terminate_hook = fptr;
}

}  // namespace rtos::Kernel

namespace meshwork::platform {

/// Runs the thread-terminate hook, if any; called by rtos::Thread when a task returns.
void run_thread_terminate_hook(osThreadId_t id) {
    if (auto hook = rtos::Kernel::terminate_hook.load()) {
        hook(id);
    }
}

}  // namespace meshwork::platform
