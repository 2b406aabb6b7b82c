// Internal: the per-thread control block behind osThreadId_t. Every thread that touches the shim
// gets one: rtos::Thread owns the block of the thread it starts; any other thread (main, a raw
// std::thread) gets one lazily, freed when the thread exits. Thread flags (and the CMSIS-RTOS1
// signals built on them) live here.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "meshwork/Runtime.h"
#include "rtos/mbed_rtos_types.h"

namespace rtos {
class Thread;
}

namespace meshwork::platform {

struct ThreadControl {
    std::mutex mutex;
    std::condition_variable_any cv;
    uint32_t flags = 0;          // guarded by mutex
    Runtime *runtime = nullptr;  // runtime the thread waits through; guarded by mutex
    const char *name = nullptr;
    std::atomic<int> state{2};  // an rtos::Thread::State; Running unless blocked
};

/// Reports the calling thread as blocked in `state` (an rtos::Thread::State) for the scope.
class BlockedState {
  public:
    explicit BlockedState(int state);
    ~BlockedState();
    BlockedState(const BlockedState &) = delete;
    BlockedState &operator=(const BlockedState &) = delete;

  private:
    ThreadControl &tc_;
    int previous_;
};

namespace detail {
// __thread and initial-exec: a plain %fs-relative load, without the C++ thread_local wrapper or
// a __tls_get_addr call (the libraries are built position-independent).
extern __thread ThreadControl *tls_control __attribute__((tls_model("initial-exec")));
ThreadControl &create_thread_control();
}  // namespace detail

/// The calling thread's control block (created on first use for foreign threads). Inline: every
/// rtos::Mutex lock and unlock asks for it.
inline ThreadControl &current_thread_control() {
    ThreadControl *tc = detail::tls_control;
    return tc ? *tc : detail::create_thread_control();
}

/// Makes `tc` the calling thread's control block; used by rtos::Thread on its new thread.
void bind_current_thread(ThreadControl *tc);

inline osThreadId_t thread_id(ThreadControl &tc) {
    return &tc;
}
inline ThreadControl *from_thread_id(osThreadId_t id) {
    return static_cast<ThreadControl *>(id);
}

/// osThreadFlagsSet semantics: returns the flags after setting or osFlagsErrorParameter.
uint32_t thread_flags_set(ThreadControl &tc, uint32_t flags);

/// osThreadFlagsWait semantics for the calling thread: returns the flags before clearing,
/// osFlagsErrorTimeout after `deadline`, osFlagsErrorResource if `poll` and not satisfied.
uint32_t thread_flags_wait(uint32_t flags, uint32_t options, Instant deadline, bool poll);

/// Deadline `ms` milliseconds from now on `rt`; osWaitForever gives kNever.
inline Instant deadline_after_ms(Runtime &rt, uint32_t ms) {
    if (ms == osWaitForever) {
        return kNever;
    }
    return saturating_add(rt.now(), std::chrono::milliseconds(ms));
}

/// Waits through `rt` until `pred()` holds or `deadline` passes; returns the final pred().
template <typename Pred>
bool wait_until_pred(Runtime &rt, std::condition_variable_any &cv,
                     std::unique_lock<std::mutex> &lock, Instant deadline, Pred pred) {
    while (!pred()) {
        if (!rt.wait_until(cv, lock, deadline)) {
            return pred();
        }
    }
    return true;
}

}  // namespace meshwork::platform
