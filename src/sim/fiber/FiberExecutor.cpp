#include "FiberExecutor.h"

#include <boost/context/fiber.hpp>

#include <cstdio>
#include <exception>
#include <utility>

#include "FiberStack.h"
#include "rtos/Thread.h"

#if defined(__SANITIZE_ADDRESS__)
#define MESHWORK_FIBER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MESHWORK_FIBER_ASAN 1
#endif
#endif

#ifdef MESHWORK_FIBER_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

namespace meshwork::sim {

namespace ctx = boost::context;

namespace {

// Thrown from block() into a fiber the executor cancels, so it unwinds from where it waits.
// Deliberately not a std::exception: application code catching those does not swallow it.
struct FiberCancelled {};

void asan_start(void **fake, const void *bottom, std::size_t size) {
#ifdef MESHWORK_FIBER_ASAN
    __sanitizer_start_switch_fiber(fake, bottom, size);
#else
    (void)fake, (void)bottom, (void)size;
#endif
}

void asan_finish(void *fake, const void **bottom, std::size_t *size) {
#ifdef MESHWORK_FIBER_ASAN
    __sanitizer_finish_switch_fiber(fake, bottom, size);
#else
    (void)fake, (void)bottom, (void)size;
#endif
}

}  // namespace

struct FiberTask final : Task {
    FiberTask(FiberExecutor &e, std::uint64_t s) : Task(e), seq(s) {}

    std::uint64_t seq;
    std::string label;  // "node/name", for overflow reports
    std::function<void()> body;
    ctx::fiber context;  // the suspended fiber (or scheduler's side), while it is not running
    FiberTask *next_ready = nullptr;     // in the executor's ready list
    Scheduler::EventId timer = 0;        // the deadline of a timed block
    Scheduler::EventId yield_event = 0;  // the resumption after a yield
    bool started = false;
    bool ready = false;  // queued in ready_
    bool blocked = false;
    bool woken = false;
    bool timed_out = false;
    bool cancelled = false;
    bool finished = false;
    Instant blocked_at{};
    // AddressSanitizer: the fiber's stack and its fake stack while switched out (for the
    // scheduler's side: learnt whenever a fiber is entered from it).
    const void *stack_bottom = nullptr;
    std::size_t stack_size = 0;
    void *fake_stack = nullptr;

    // The side `self` has just been resumed: takes back the context of the one that switched.
    static void arrive(FiberExecutor &e, FiberTask &self, ctx::fiber &&back) {
        FiberTask *from = e.from_;
        const bool from_main = from == e.main_.get();
        asan_finish(self.fake_stack, from_main ? &from->stack_bottom : nullptr,
                    from_main ? &from->stack_size : nullptr);
        from->context = std::move(back);  // empty if `from` returned: its context is gone
    }
};

namespace {

FiberTask &fiber_of(Task &t) {
    return static_cast<FiberTask &>(t);
}

}  // namespace

const char *fiber_wait_name(int state) {
    switch (state) {
        case rtos::Thread::Ready:
            return "Ready";
        case rtos::Thread::Running:
            return "Running";
        case rtos::Thread::WaitingDelay:
            return "WaitingDelay";
        case rtos::Thread::WaitingJoin:
            return "WaitingJoin";
        case rtos::Thread::WaitingThreadFlag:
            return "WaitingThreadFlag";
        case rtos::Thread::WaitingEventFlag:
            return "WaitingEventFlag";
        case rtos::Thread::WaitingMutex:
            return "WaitingMutex";
        case rtos::Thread::WaitingSemaphore:
            return "WaitingSemaphore";
        case rtos::Thread::WaitingMemoryPool:
            return "WaitingMemoryPool";
        case rtos::Thread::WaitingMessageGet:
            return "WaitingMessageGet";
        case rtos::Thread::WaitingMessagePut:
            return "WaitingMessagePut";
        default:
            return "Waiting";
    }
}

FiberExecutor::FiberExecutor(Scheduler &scheduler, std::string node, FiberOptions options)
    : Executor(/*cooperative=*/true),
      scheduler_(scheduler),
      node_(std::move(node)),
      options_(options),
      main_(std::make_unique<FiberTask>(*this, ~std::uint64_t{0})) {
    install_stack_overflow_reporter();
}

FiberExecutor::~FiberExecutor() {
    cancel_all();
    // The node's shared queues and timer task were fibers: cancelled above, so releasing them
    // waits for nothing.
    release_executor_resources(*this);
    cancel_all();
    if (ready_event_) {
        scheduler_.cancel(ready_event_);
    }
}

void FiberExecutor::cancel_all() {
    cancelling_ = true;
    while (!tasks_.empty()) {
        std::shared_ptr<FiberTask> t = tasks_.begin()->second;
        t->cancelled = true;
        for (Scheduler::EventId *id : {&t->timer, &t->yield_event}) {
            if (*id) {
                scheduler_.cancel(*id);
                *id = 0;
            }
        }
        // Woken but not yet run (say, handed a semaphore's token): out of the ready list first,
        // its record may go with the switch below.
        drop_ready(*t);
        switch_in(*t);  // unwinds from its block (or skips a body never started)
        if (!t->finished) {
            // It blocked again while unwinding and was refused: give up on it.
            std::fprintf(stderr, "meshwork: fiber %s did not finish when cancelled\n",
                         t->label.c_str());
            drop_ready(*t);
            tasks_.erase(t->seq);
        }
    }
    while (pop_ready()) {
    }
    cancelling_ = false;
}

std::shared_ptr<Task> FiberExecutor::spawn(std::function<void()> body, const char *name) {
    auto t = std::make_shared<FiberTask>(*this, next_seq_++);
    t->name = name;
    t->node = options_.context;
    t->label = node_ + "/" + (name ? name : "fiber#" + std::to_string(t->seq));
    t->body = std::move(body);
    FiberTask *tp = t.get();
    try {
        GuardedStack stack(options_.stack_size, tp->label.c_str(), &tp->stack_bottom,
                           &tp->stack_size);
        t->context = ctx::fiber(std::allocator_arg, stack, [this, tp](ctx::fiber &&from) {
            FiberTask::arrive(*this, *tp, std::move(from));
            run_body(*tp);
            tp->finished = true;
            // Back to the scheduler's side, which drops the record.
            from_ = tp;
            running_ = nullptr;
            detail::tls_current_task = main_task_;
            asan_start(nullptr, main_->stack_bottom, main_->stack_size);  // this stack dies
            return std::move(main_->context);
        });
    } catch (const std::bad_alloc &) {
        return nullptr;
    }
    tasks_.emplace(t->seq, t);
    make_ready(*t);
    return t;
}

void FiberExecutor::run_body(FiberTask &t) {
    if (t.cancelled) {
        t.body = nullptr;
        return;  // cancelled before it ever ran
    }
    try {
        t.body();
    } catch (const FiberCancelled &) {
    } catch (const ctx::detail::forced_unwind &) {
        throw;  // Boost.Context's own unwinding: must reach its entry frame
    } catch (const std::exception &e) {
        failures_.push_back({node_, t.name ? t.name : "", e.what()});
        std::fprintf(stderr, "meshwork: node %s: fiber %s threw: %s\n", node_.c_str(),
                     t.label.c_str(), e.what());
    } catch (...) {
        failures_.push_back({node_, t.name ? t.name : "", "unknown exception"});
        std::fprintf(stderr, "meshwork: node %s: fiber %s threw a non-standard exception\n",
                     node_.c_str(), t.label.c_str());
    }
    t.body = nullptr;  // its captures die while the fiber is still the current task
}

inline void FiberExecutor::make_ready(FiberTask &t) {
    if (t.ready || t.finished) {
        return;
    }
    t.ready = true;
    t.next_ready = nullptr;
    (ready_tail_ ? ready_tail_->next_ready : ready_head_) = &t;
    ready_tail_ = &t;
    if (!draining_ && !ready_event_ && !cancelling_) {
        post_drain();
    }
}

// Out of line: a wake inside a drain (a hand-off) needs no event.
[[gnu::noinline]] void FiberExecutor::post_drain() {
    ready_event_ = scheduler_.post([this] {
        ready_event_ = 0;
        run_ready();
    });
}

// One context switch from `self` (running) to `to` (main_: the scheduler's side); returns when
// something switches back to `self`.
inline void FiberExecutor::transfer(FiberTask &self, FiberTask &to) {
    from_ = &self;
    if (&to == main_.get()) {
        running_ = nullptr;
        detail::tls_current_task = main_task_;
    } else {
        running_ = &to;
        detail::tls_current_task = &to;
        to.started = true;
        ++switches_;
    }
    asan_start(&self.fake_stack, to.stack_bottom, to.stack_size);
    ctx::fiber back = std::move(to.context).resume();
    FiberTask::arrive(*this, self, std::move(back));
}

// Takes `t` out of the ready list wherever it is (only when cancelling: a walk).
void FiberExecutor::drop_ready(FiberTask &t) {
    if (!t.ready) {
        return;
    }
    FiberTask *prev = nullptr;
    for (FiberTask *it = ready_head_; it != &t; it = it->next_ready) {
        prev = it;
    }
    (prev ? prev->next_ready : ready_head_) = t.next_ready;
    if (ready_tail_ == &t) {
        ready_tail_ = prev;
    }
    t.next_ready = nullptr;
    t.ready = false;
}

void FiberExecutor::reap(Task &) {
    // A finished fiber's stack went back when it returned; its record goes with its last owner.
}

inline FiberTask *FiberExecutor::pop_ready() {
    FiberTask *t = ready_head_;
    if (t) {
        ready_head_ = t->next_ready;
        if (!ready_head_) {
            ready_tail_ = nullptr;
        }
        t->next_ready = nullptr;
        t->ready = false;
    }
    return t;
}

// Where a fiber that blocks or yields goes: the next fiber of the drain it runs in, else the
// scheduler's side (which goes on with the drain or the scheduler).
inline FiberTask &FiberExecutor::next_to_run() {
    if (draining_) {
        while (FiberTask *next = pop_ready()) {
            if (!next->finished) {
                return *next;
            }
        }
    }
    return *main_;
}

void FiberExecutor::run_ready() {
    // Fibers woken meanwhile run in the same drain: a node's fibers settle at an instant
    // before the scheduler moves on (yield() is the way to let other events go first).
    // A fiber of the drain that blocks or yields pops the next one itself (transfer), so the
    // fibers run in exactly this order either way.
    draining_ = true;
    while (FiberTask *t = pop_ready()) {
        switch_in(*t);
    }
    draining_ = false;
}

void FiberExecutor::switch_in(FiberTask &t) {
    if (t.finished || running_) {
        return;
    }
    main_task_ = detail::tls_current_task;
    transfer(*main_, t);
    // Back on the scheduler's side, from whichever fiber of the drain switched here last.
    FiberTask *last = from_;
    if (last->finished) {
        tasks_.erase(last->seq);  // the record may go with it: not touched afterwards
    }
}

bool FiberExecutor::block(Task &self, WaitGuard &guard, Instant deadline) {
    // Nothing else runs on this thread until the fiber switches out, and no other thread
    // wakes it: releasing the guard first is the same as releasing it at the switch.
    guard.unlock();
    bool in_time;
    try {
        in_time = park(self, deadline);
    } catch (...) {
        guard.lock();
        throw;
    }
    guard.lock();
    return in_time;
}

bool FiberExecutor::park(Task &self, Instant deadline) {
    FiberTask &t = fiber_of(self);
    if (running_ != &t) [[unlikely]] {
        std::fprintf(stderr, "meshwork: node %s: a fiber task blocked outside its fiber\n",
                     node_.c_str());
        std::abort();
    }
    if (t.cancelled) [[unlikely]] {
        if (std::uncaught_exceptions() > 0) {
            return false;  // unwinding already: a wait there times out at once
        }
        throw FiberCancelled{};
    }
    const Instant now = scheduler_.now();
    t.woken = false;
    t.timed_out = false;
    if (deadline != kNever) {
        if (deadline <= now) {
            return false;
        }
        t.timer = scheduler_.at(deadline, [this, &t] {
            t.timer = 0;
            t.timed_out = true;
            make_ready(t);
        });
    }
    t.blocked = true;
    t.blocked_at = now;
    if (t.blocked_since == kNever) {
        t.blocked_since = now;  // the first block since a BlockedState began
    }
    transfer(t, next_to_run());
    t.blocked = false;
    if (t.timer) {
        scheduler_.cancel(t.timer);
        t.timer = 0;
    }
    if (t.cancelled && std::uncaught_exceptions() == 0) [[unlikely]] {
        throw FiberCancelled{};
    }
    return t.woken || !t.timed_out;
}

void FiberExecutor::wake(Task &task) {
    FiberTask &t = fiber_of(task);
    t.woken = true;
    if (t.blocked) {
        make_ready(t);
    }
}

void FiberExecutor::yield() {
    // Behind every event already scheduled for this instant, other nodes' included.
    FiberTask &t = fiber_of(current_task());
    t.yield_event = scheduler_.post([this, &t] {
        t.yield_event = 0;
        switch_in(t);
    });
    transfer(t, next_to_run());
}

void FiberExecutor::sleep_until(Instant deadline) {
    Task &self = current_task();
    while (now() < deadline) {
        park(self, deadline);
    }
}

std::size_t FiberExecutor::blocked() const {
    std::size_t n = 0;
    for (const auto &[seq, t] : tasks_) {
        n += t->blocked && !t->service ? 1 : 0;
    }
    return n;
}

std::string FiberExecutor::blocked_report() const {
    std::string out;
    for (const auto &[seq, t] : tasks_) {
        if (!t->blocked || t->service) {
            continue;
        }
        // The primitive's own state when it reports one (rtos), else a plain wait queue.
        const int state = t->state.load();
        const Instant since = state == rtos::Thread::Running ? t->blocked_at : t->blocked_since;
        const auto us =
            std::chrono::duration_cast<std::chrono::microseconds>(since.time_since_epoch()).count();
        out += "node " + node_ + " fiber " + (t->name ? t->name : "#" + std::to_string(seq)) +
               ": " + (state == rtos::Thread::Running ? "WaitQueue" : fiber_wait_name(state)) +
               " since " + std::to_string(us) + " us" + (t->timer ? " (with a timeout)" : "") +
               "\n";
    }
    return out;
}

std::optional<std::string> FiberExecutor::deadlock() const {
    if (!scheduler_.idle() || blocked() == 0) {
        return std::nullopt;
    }
    return "deadlock: every fiber blocked and no timer pending\n" + blocked_report();
}

}  // namespace meshwork::sim
