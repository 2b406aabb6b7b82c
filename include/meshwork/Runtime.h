// The seam through which every blocking wait and every clock read of the Mbed platform shim and
// of the socket facade goes. The host runtime is real time on std::condition_variable; a
// simulation installs a virtual-time runtime for the threads of a simulated node, so the same
// application code blocks in virtual time.
//
// Which runtime a thread uses is a per-thread setting (RuntimeScope), inherited by the threads it
// starts through rtos::Thread. Threads that never set one use host_runtime().
#pragma once

#include <condition_variable>
#include <mutex>

#include "meshwork/Time.h"

namespace meshwork {

class Runtime {
  public:
    virtual ~Runtime() = default;

    virtual const Clock &clock() const = 0;
    Instant now() const { return clock().now(); }

    /// Blocks on `cv`, whose mutex `lock` owns, until notified through notify() or until
    /// `deadline` (kNever: no deadline). Returns false iff it returned because the deadline
    /// passed. Spurious wake-ups are allowed: callers re-check their condition in a loop.
    virtual bool wait_until(std::condition_variable_any &cv, std::unique_lock<std::mutex> &lock,
                            Instant deadline) = 0;

    /// Wakes every thread blocked on `cv`. Always notify through the runtime (never
    /// cv.notify_all() directly) so a virtual-time runtime knows a thread became runnable.
    virtual void notify_all(std::condition_variable_any &cv) = 0;

    /// Puts the calling thread to sleep until `deadline`.
    virtual void sleep_until(Instant deadline) = 0;

    /// Called by rtos::Thread (and any thread the shim starts) on the new thread, first and
    /// last thing, so a virtual-time runtime can count runnable threads.
    virtual void thread_enter() {}
    virtual void thread_exit() {}
};

/// The real-time runtime of this process (compatibility edge: one per process).
Runtime &host_runtime();

/// The runtime of the calling thread: the innermost RuntimeScope, else host_runtime().
Runtime &current_runtime();

/// Sets the calling thread's runtime for the scope's lifetime.
class RuntimeScope {
  public:
    explicit RuntimeScope(Runtime &runtime);
    ~RuntimeScope();
    RuntimeScope(const RuntimeScope &) = delete;
    RuntimeScope &operator=(const RuntimeScope &) = delete;

  private:
    Runtime *previous_;
};

}  // namespace meshwork
