// The simulated executor (meshwork/Executor.h): every task of one simulated node is a fiber
// (Boost.Context) run in the simulation's one OS thread, on the simulation's sim::Scheduler and
// its virtual clock. A fiber runs until it blocks, yields or returns; nothing preempts it.
// Woken fibers join the executor's ready list in wake order and run from one scheduler event
// at the current instant (fibers they wake run in the same drain: a fiber that blocks or yields
// there switches straight to the next ready one, without going back through the scheduler's
// stack, so a hand-off costs one context switch); a timed block is a
// scheduler event at its deadline; yield() resumes behind every event already scheduled for the
// instant. So a run is decided by virtual time, then by sequence: the same inputs give the same
// interleaving. A loop that yields until virtual time passes never ends: sleep instead.
//
// One executor per node: the node's rtos::Thread, Ticker/Timeout timer task and shared event
// queues are its fibers, and its name labels reports (a deadlock, a throwing fiber, a stack
// overflow). Everything happens on the scheduler's thread; a wake from another OS thread is not
// supported.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "meshwork/Executor.h"
#include "sim/Scheduler.h"

namespace meshwork::sim {

class NodeContext;

struct FiberOptions {
    /// Usable stack per fiber (a guard page is added below it).
    std::size_t stack_size = 128 * 1024;
    /// The node every fiber of the executor belongs to (Task::node), if any.
    NodeContext *context = nullptr;
};

/// A fiber whose body let an exception escape.
struct FiberFailure {
    std::string node;
    std::string task;
    std::string what;
};

struct FiberTask;

class FiberExecutor final : public Executor {
  public:
    FiberExecutor(Scheduler &scheduler, std::string node, FiberOptions options = {});
    /// Cancels the fibers still alive (each unwinds from where it waits; see docs/sim.md) and
    /// releases the node's shared queues and timer task.
    ~FiberExecutor() override;
    FiberExecutor(const FiberExecutor &) = delete;
    FiberExecutor &operator=(const FiberExecutor &) = delete;

    const Clock &clock() const override { return scheduler_.clock(); }
    std::shared_ptr<Task> spawn(std::function<void()> body, const char *name) override;
    void reap(Task &task) override;
    bool block(Task &self, WaitGuard &guard, Instant deadline) override;
    bool park(Task &self, Instant deadline) override;
    void wake(Task &task) override;
    void yield() override;
    void sleep_until(Instant deadline) override;
    // Fibers of one OS thread are never preempted: a critical section excludes nothing more.
    void critical_enter() override {}
    void critical_exit() override {}

    const std::string &node() const { return node_; }
    Scheduler &scheduler() { return scheduler_; }

    /// Fibers spawned and not yet returned; those of them blocked (platform services such as
    /// the timer task and the shared queues' dispatchers, idle by design, are not counted).
    std::size_t live() const { return tasks_.size(); }
    std::size_t blocked() const;

    /// One line per blocked fiber (services aside): node, fiber, what it waits on (an rtos::Thread
    /// state), since when (virtual time).
    std::string blocked_report() const;

    /// A deadlock report when the scheduler is idle (no timer pending) and fibers of this
    /// executor are still blocked, else nothing.
    std::optional<std::string> deadlock() const;

    /// Fibers that threw, in the order they did.
    const std::vector<FiberFailure> &failures() const { return failures_; }

    /// Context switches into fibers so far.
    std::uint64_t switches() const { return switches_; }

  private:
    friend struct FiberTask;

    void make_ready(FiberTask &t);
    void post_drain();
    void drop_ready(FiberTask &t);
    FiberTask *pop_ready();
    void run_ready();
    void switch_in(FiberTask &t);
    void transfer(FiberTask &self, FiberTask &to);
    FiberTask &next_to_run();
    void run_body(FiberTask &t);
    void cancel_all();

    Scheduler &scheduler_;
    std::string node_;
    FiberOptions options_;
    std::map<std::uint64_t, std::shared_ptr<FiberTask>> tasks_;  // live, by spawn order
    // The ready list, intrusive (FiberTask::next_ready): no allocation per wake.
    FiberTask *ready_head_ = nullptr;
    FiberTask *ready_tail_ = nullptr;
    Scheduler::EventId ready_event_ = 0;  // the pending run_ready() event, 0 if none
    std::uint64_t next_seq_ = 0;
    std::uint64_t switches_ = 0;
    FiberTask *running_ = nullptr;
    // The scheduler's side (the stack switch_in was called on) while a fiber runs: a record
    // holding its suspended context, so that every switch is between two records.
    std::unique_ptr<FiberTask> main_;
    Task *main_task_ = nullptr;  // the task current on the scheduler's side
    // Who switched last, read by the side it switched to, which stores the context it got back
    // into that record's `context` (unless that fiber returned: its context is gone).
    FiberTask *from_ = nullptr;
    std::vector<FiberFailure> failures_;
    bool cancelling_ = false;
    bool draining_ = false;  // in run_ready()
};

/// Name of an rtos::Thread::State as reported for a blocked fiber ("WaitingMutex", ...).
const char *fiber_wait_name(int state);

}  // namespace meshwork::sim
