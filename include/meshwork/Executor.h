// The executor seam: the one place where the Mbed platform shim and the socket facade meet the
// thing that runs their code. An executor spawns tasks, names the current task, blocks it with a
// deadline and wakes it, yields, and owns the clock. The host executor runs each task on a
// std::thread and blocks it on the OS; a simulation's executor runs each task as a fiber in its
// one OS thread, in virtual time. Nothing outside an executor names an OS primitive: the shim's
// primitives hold a WaitLock (the short lock guarding their state) and a WaitQueue (the tasks
// blocked on them), neither of which is bound to an executor, so a global `EventQueue queue;`
// works from whichever executor runs the code that uses it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "meshwork/Time.h"

namespace meshwork {
namespace sim {
class NodeContext;
}

class Executor;
struct Task;

/// A kernel object whose readiness is also what a waiter waits for (a socket's descriptor):
/// an executor that blocks its tasks on the OS may wait on the object itself, so the kernel
/// wakes the task directly instead of through the event source's own thread. fd < 0: none.
struct KernelWait {
    int fd = -1;
    bool readable = false;  // input, or the peer's shutdown
    bool writable = false;  // room for output
};

/// A short lock guarding a primitive's state and its WaitQueue; never held across a block
/// (WaitQueue::wait_until releases it). Uncontended: one compare-and-swap each way. Contended
/// (only between OS threads, so only on the host) it sleeps in the kernel. BasicLockable.
class WaitLock {
  public:
    void lock() {
        std::uint32_t expected = 0;
        if (!word_.compare_exchange_strong(expected, 1, std::memory_order_acquire,
                                           std::memory_order_relaxed)) {
            lock_slow();
        }
    }
    bool try_lock() {
        std::uint32_t expected = 0;
        return word_.compare_exchange_strong(expected, 1, std::memory_order_acquire,
                                             std::memory_order_relaxed);
    }
    void unlock() {
        if (word_.exchange(0, std::memory_order_release) == 2) {
            unlock_slow();
        }
    }

  private:
    void lock_slow();
    void unlock_slow();
    std::atomic<std::uint32_t> word_{0};  // 0 free, 1 held, 2 held with sleepers
};

using WaitGuard = std::unique_lock<WaitLock>;

/// The tasks blocked on one primitive, in arrival order: a condition variable that works for
/// tasks of any executor (each waiter names its own).
class WaitQueue {
  public:
    WaitQueue() = default;
    WaitQueue(const WaitQueue &) = delete;
    WaitQueue &operator=(const WaitQueue &) = delete;

    /// With `guard` held: blocks the current task until notified or until `deadline` (kNever:
    /// none), `guard` released meanwhile and held again on return. False iff the deadline
    /// passed without a notification. No spurious returns.
    bool wait_until(WaitGuard &guard, Instant deadline);

    /// Waits until `pred()` holds or `deadline` passes; returns the final pred().
    template <typename Pred>
    bool wait_until(WaitGuard &guard, Instant deadline, Pred pred) {
        while (!pred()) {
            if (!wait_until(guard, deadline)) {
                return pred();
            }
        }
        return true;
    }

    /// The same, but the wait also ends when `kernel` may be ready, if the task's executor
    /// waits on the kernel (Executor::waits_on_kernel); otherwise only a notification ends it.
    /// May return true spuriously; false iff the deadline passed first.
    bool wait_until(WaitGuard &guard, Instant deadline, const KernelWait &kernel);

    /// A hand-off wait, for a primitive whose notifier hands the waiter what it waits for (a
    /// semaphore's token: notify_one() returning true means the token went to a waiter)
    /// instead of letting it re-check under the lock. With `lock` held: blocks the current
    /// task until a notification chose it (true) or `deadline` passes first (false). Returns
    /// (or throws) with `lock` released, so a fiber that was handed the token never takes the
    /// lock again. If the wait ends by an exception after a notification (a cancelled fiber
    /// unwinding), `refund(context)` is called with `lock` held to pass the token on.
    bool wait_handed(WaitLock &lock, Instant deadline, void (*refund)(void *), void *context);

    /// With the guard held: wakes the longest waiter (false if none) or every waiter.
    bool notify_one() {
        Waiter *w = head_;
        if (!w) {
            return false;
        }
        head_ = w->next;
        if (!head_) {
            tail_ = nullptr;
        }
        w->notified = true;
        Task &t = *w->task;  // w lives on the waiter's stack: not touched after the wake
        wake(t);
        return true;
    }
    void notify_all();
    bool empty() const { return head_ == nullptr; }

  private:
    struct Waiter {
        Task *task;
        Waiter *next;
        bool notified;
    };
    static void wake(Task &t);
    bool wait_handed_blocking(Task &self, WaitLock &lock, Instant deadline, void (*refund)(void *),
                              void *context);
    void end_handed(Waiter &w, WaitLock &lock, void (*refund)(void *), void *context);
    bool wait(WaitGuard &guard, Instant deadline, const KernelWait *kernel);
    void link(Waiter &w);
    void unlink(Waiter &w);
    Waiter *head_ = nullptr;
    Waiter *tail_ = nullptr;
};

/// One task's identity and the per-task state of the shim (osThreadId_t is a Task *): the
/// rtos::Mutex owner, critical-section depth, interrupt flag, thread flags, and what it waits
/// for (for state reports and deadlock diagnostics). An executor derives its own record.
struct Task {
    explicit Task(Executor &e) : executor(&e) {}
    virtual ~Task() = default;
    Task(const Task &) = delete;
    Task &operator=(const Task &) = delete;

    Executor *executor;
    const char *name = nullptr;
    std::atomic<int> state{2};  // an rtos::Thread::State; Running unless blocked
    // Since when the task waits, for reports (the simulated executor's): a BlockedState stores
    // kNever, and the executor's first block after it the instant (no clock read per wait).
    Instant blocked_since{};
    unsigned critical_depth = 0;
    bool in_isr = false;
    bool service = false;  // a platform service (timer task, shared queue): idle is not stuck
    // The simulated device this task belongs to (null on the host): what Mbed keeps per device
    // (default interface, DNS resolver, ...) is read from it (docs/sim.md, per-node context).
    sim::NodeContext *node = nullptr;
    // Thread flags (guarded by flags_lock).
    WaitLock flags_lock;
    WaitQueue flags_waiters;
    std::uint32_t flags = 0;
};

class Executor {
  public:
    virtual ~Executor() = default;

    /// Every task of this executor is a fiber of one OS thread, never preempted, and only that
    /// thread wakes them (a simulation): a wait may read what its notifier wrote without the
    /// lock, and may release its guard before park() (nothing runs in between).
    bool cooperative() const { return cooperative_; }

    virtual const Clock &clock() const = 0;
    Instant now() const { return clock().now(); }

    /// Starts `body` as a new task of this executor; nullptr if it cannot (out of memory).
    /// The record lives while the task runs and while a shared_ptr holds it.
    virtual std::shared_ptr<Task> spawn(std::function<void()> body, const char *name) = 0;

    /// After `task`'s body has returned: releases what the executor holds for it (the host
    /// joins its OS thread). Called at most once, never by the task itself.
    virtual void reap(Task &task) = 0;

    /// Blocks `self`, the current task, until wake(self) or `deadline`, with `guard` released
    /// meanwhile; `guard` is held on entry and on return. May return early (spuriously);
    /// returns false iff the deadline has passed. WaitQueue is the only caller.
    virtual bool block(Task &self, WaitGuard &guard, Instant deadline) = 0;

    /// block(), but also ending (true) when `kernel` may be ready. Only an executor whose
    /// waits_on_kernel() is true looks at `kernel`; the default is block().
    virtual bool block_on(Task &self, WaitGuard &guard, Instant deadline,
                          const KernelWait &kernel) {
        (void)kernel;
        return block(self, guard, deadline);
    }

    /// Whether block_on() waits on the kernel object: then an event source need not raise its
    /// callback for a task of this executor (the host: yes; a simulation: never).
    virtual bool waits_on_kernel() const { return false; }

    /// Makes `task`, blocked in block(), runnable. Called with the guard `task` blocked under.
    virtual void wake(Task &task) = 0;

    /// Only on a cooperative() executor: block() for a caller that has released its guard
    /// already (nothing else runs on the thread until this task switches out). Returns false
    /// iff the deadline has passed; may return early. The default takes a private lock
    /// around block().
    virtual bool park(Task &self, Instant deadline);

    /// Lets other tasks run.
    virtual void yield() = 0;

    /// Puts the current task to sleep until `deadline`.
    virtual void sleep_until(Instant deadline) = 0;

    /// A critical section's exclusion: the host takes a process-wide recursive lock; a
    /// cooperative executor needs none (nothing runs until the task blocks or yields).
    virtual void critical_enter() = 0;
    virtual void critical_exit() = 0;

  protected:
    Executor() = default;
    explicit Executor(bool cooperative) : cooperative_(cooperative) {}

  private:
    bool cooperative_ = false;
};

inline void WaitQueue::wake(Task &t) {
    t.executor->wake(t);
}

namespace detail {
// __thread and initial-exec: a plain %fs-relative load (every rtos::Mutex lock asks for it).
extern __thread Task *tls_current_task __attribute__((tls_model("initial-exec")));
Task &adopt_current_thread();
}  // namespace detail

/// The running task. An OS thread that no executor started (main, a raw std::thread) becomes
/// a task of the host executor (or of an ExecutorScope's) on first use.
inline Task &current_task() {
    Task *t = detail::tls_current_task;
    return t ? *t : detail::adopt_current_thread();
}

inline Executor &current_executor() {
    return *current_task().executor;
}

/// The node the running task belongs to; null on the host (or in a simulation event).
inline sim::NodeContext *current_node_context() {
    Task *t = detail::tls_current_task;
    return t ? t->node : nullptr;
}

/// For executor implementations: the task now running on this OS thread.
void set_current_task(Task *task);

/// Tasks on std::thread, blocked on the OS. Default: real time on the steady clock. With an
/// injected clock (a test's manual clock), waits poll it every millisecond of real time.
class HostExecutor : public Executor {
  public:
    HostExecutor();
    explicit HostExecutor(const Clock &clock);
    ~HostExecutor() override;

    const Clock &clock() const override { return *clock_; }
    std::shared_ptr<Task> spawn(std::function<void()> body, const char *name) override;
    void reap(Task &task) override;
    bool block(Task &self, WaitGuard &guard, Instant deadline) override;
    /// poll() on the descriptor and on the task's own wake-up eventfd.
    bool block_on(Task &self, WaitGuard &guard, Instant deadline,
                  const KernelWait &kernel) override;
    /// True unless on an injected clock (whose waits poll the clock instead).
    bool waits_on_kernel() const override { return !polls_; }
    void wake(Task &task) override;
    void yield() override;
    void sleep_until(Instant deadline) override;
    void critical_enter() override;
    void critical_exit() override;

    /// Tasks this executor spawned that have started / returned.
    int started() const { return started_.load(); }
    int finished() const { return finished_.load(); }

  private:
    SteadyClock steady_;
    const Clock *clock_;
    bool polls_;
    std::atomic<int> started_{0};
    std::atomic<int> finished_{0};
};

/// Stops and frees the per-executor singletons of the platform shim (the shared event queues
/// and the Ticker/Timeout timer task) of `executor`; its owner calls this before destroying it.
void release_executor_resources(Executor &executor);

/// The real-time executor of this process (compatibility edge: one per process, never
/// destroyed).
HostExecutor &host_executor();

/// Makes the calling OS thread's task belong to `executor` for the scope (tests inject a
/// manual clock this way); threads it starts through rtos::Thread inherit it.
class ExecutorScope {
  public:
    explicit ExecutorScope(HostExecutor &executor);
    ~ExecutorScope();
    ExecutorScope(const ExecutorScope &) = delete;
    ExecutorScope &operator=(const ExecutorScope &) = delete;

  private:
    Task &task_;
    Executor *previous_;
    Executor *previous_scope_;
};

}  // namespace meshwork
