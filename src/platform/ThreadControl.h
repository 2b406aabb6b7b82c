// Internal: the shim's view of the executor's task (osThreadId_t is a meshwork::Task *):
// thread flags (and the CMSIS-RTOS1 signals built on them), the blocked state reported by
// rtos::Thread::get_state(), and deadline helpers.
#pragma once

#include <cstdint>

#include "meshwork/Executor.h"
#include "rtos/mbed_rtos_types.h"

namespace meshwork::platform {

using ThreadControl = Task;

inline ThreadControl &current_thread_control() {
    return current_task();
}

inline osThreadId_t thread_id(ThreadControl &tc) {
    return &tc;
}
inline ThreadControl *from_thread_id(osThreadId_t id) {
    return static_cast<ThreadControl *>(id);
}

/// Reports the calling task as blocked in `state` (an rtos::Thread::State) for the scope.
class BlockedState {
  public:
    explicit BlockedState(int state) : tc_(current_thread_control()) {
        // The executor's block() records since when (the simulated one reports it), which
        // saves reading the clock on every wait. Only the task itself writes its state (others
        // just read it for reports): plain stores, not a locked exchange on every block.
        tc_.blocked_since = kNever;
        previous_ = tc_.state.load(std::memory_order_relaxed);
        tc_.state.store(state, std::memory_order_relaxed);
    }
    ~BlockedState() { tc_.state.store(previous_, std::memory_order_relaxed); }
    BlockedState(const BlockedState &) = delete;
    BlockedState &operator=(const BlockedState &) = delete;

  private:
    ThreadControl &tc_;
    int previous_;
};

/// osThreadFlagsSet semantics: returns the flags after setting or osFlagsErrorParameter.
uint32_t thread_flags_set(ThreadControl &tc, uint32_t flags);

/// osThreadFlagsWait semantics for the calling task: returns the flags before clearing,
/// osFlagsErrorTimeout after `deadline`, osFlagsErrorResource if `poll` and not satisfied.
uint32_t thread_flags_wait(uint32_t flags, uint32_t options, Instant deadline, bool poll);

/// Deadline `ms` milliseconds from now on the current executor; osWaitForever gives kNever.
inline Instant deadline_after_ms(uint32_t ms) {
    if (ms == osWaitForever) {
        return kNever;
    }
    return saturating_add(current_executor().now(), std::chrono::milliseconds(ms));
}

inline Instant now() {
    return current_executor().now();
}

}  // namespace meshwork::platform
