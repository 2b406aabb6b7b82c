#include "rtos/Thread.h"

#include "meshwork/Executor.h"
#include "ThreadControl.h"
#include "rtos/ThisThread.h"

namespace meshwork::platform {
void run_thread_terminate_hook(osThreadId_t id);
}  // namespace meshwork::platform

namespace rtos {

using meshwork::WaitGuard;
using meshwork::platform::BlockedState;

struct Thread::Shared {
    meshwork::WaitLock lock;
    meshwork::WaitQueue ended_waiters;
    std::shared_ptr<meshwork::Task> task;  // the executor's task, once started
    mbed::Callback<void()> body;
    osPriority priority = osPriorityNormal;
    uint32_t stack_size = 0;
    const char *name = nullptr;
    bool started = false;
    bool finished = false;    // the task returned
    bool terminated = false;  // terminate() gave up on the task
    bool reaped = false;      // the executor has released the finished task

    bool ended() const { return finished || terminated; }
};

namespace {

void run_thread_body(const std::shared_ptr<Thread::Shared> &s) {
    // Finished however the body ends: an executor may unwind a task it cancels.
    struct Finish {
        Thread::Shared &s;
        ~Finish() {
            WaitGuard guard(s.lock);
            s.finished = true;
            s.ended_waiters.notify_all();
        }
    } finish{*s};
    s->body();
    meshwork::platform::run_thread_terminate_hook(&meshwork::current_task());
}

// With the guard held: hands a finished task back to its executor (once).
void reap_locked(Thread::Shared &s, WaitGuard &guard) {
    if (!s.finished || s.reaped || !s.task) {
        return;
    }
    s.reaped = true;
    std::shared_ptr<meshwork::Task> task = s.task;
    guard.unlock();
    task->executor->reap(*task);
    guard.lock();
}

}  // namespace

Thread::Thread(osPriority priority, uint32_t stack_size, unsigned char *stack_mem, const char *name)
    : shared_(std::make_shared<Shared>()) {
    shared_->priority = priority;
    shared_->stack_size = stack_size;
    shared_->name = name;
}

Thread::Thread(uint32_t tz_module, osPriority priority, uint32_t stack_size,
               unsigned char *stack_mem, const char *name)
    : Thread(priority, stack_size, stack_mem, name) {}

Thread::Thread(mbed::Callback<void()> task, osPriority priority, uint32_t stack_size,
               unsigned char *stack_mem)
    : Thread(priority, stack_size, stack_mem, nullptr) {
    start(std::move(task));
}

Thread::~Thread() {
    // A task still running keeps its own state alive and goes on (see terminate()).
    WaitGuard guard(shared_->lock);
    if (shared_->task.get() != &meshwork::current_task()) {
        reap_locked(*shared_, guard);
    }
}

osStatus Thread::start(mbed::Callback<void()> task) {
    return meshwork::platform::start_thread_on(*this, meshwork::current_executor(),
                                               std::move(task));
}

osStatus Thread::join() {
    if (&meshwork::current_task() == shared_->task.get()) {
        return osError;
    }
    BlockedState blocked(WaitingJoin);
    WaitGuard guard(shared_->lock);
    shared_->ended_waiters.wait_until(guard, meshwork::kNever, [this] { return shared_->ended(); });
    reap_locked(*shared_, guard);
    return osOK;
}

osStatus Thread::terminate() {
    WaitGuard guard(shared_->lock);
    if (shared_->task && &meshwork::current_task() == shared_->task.get()) {
        return osError;  // a task cannot end itself from the middle of its body
    }
    if (!shared_->started) {
        return osErrorParameter;
    }
    if (!shared_->finished) {
        shared_->terminated = true;
    }
    shared_->ended_waiters.notify_all();
    return osOK;
}

osStatus Thread::set_priority(osPriority priority) {
    std::lock_guard<meshwork::WaitLock> lock(shared_->lock);
    shared_->priority = priority;
    return osOK;
}

osPriority Thread::get_priority() const {
    std::lock_guard<meshwork::WaitLock> lock(shared_->lock);
    return shared_->priority;
}

uint32_t Thread::flags_set(uint32_t flags) {
    {
        std::lock_guard<meshwork::WaitLock> lock(shared_->lock);
        if (!shared_->started || shared_->ended()) {
            return osFlagsErrorParameter;
        }
    }
    return meshwork::platform::thread_flags_set(*shared_->task, flags);
}

int32_t Thread::signal_set(int32_t signals) {
    return static_cast<int32_t>(flags_set(static_cast<uint32_t>(signals)));
}

Thread::State Thread::get_state() const {
    std::lock_guard<meshwork::WaitLock> lock(shared_->lock);
    if (!shared_->started) {
        return Inactive;
    }
    if (shared_->ended()) {
        return Deleted;
    }
    return static_cast<State>(shared_->task->state.load());
}

uint32_t Thread::stack_size() const {
    return shared_->stack_size;
}

uint32_t Thread::free_stack() const {
    return shared_->stack_size;
}

uint32_t Thread::used_stack() const {
    return 0;
}

uint32_t Thread::max_stack() const {
    return 0;
}

const char *Thread::get_name() const {
    return shared_->name;
}

osThreadId_t Thread::get_id() const {
    std::lock_guard<meshwork::WaitLock> lock(shared_->lock);
    if (!shared_->started || shared_->ended()) {
        return nullptr;
    }
    return shared_->task.get();
}

osEvent Thread::signal_wait(int32_t signals, uint32_t millisec) {
    return osSignalWait(signals, millisec);
}

osStatus Thread::wait(uint32_t millisec) {
    ThisThread::sleep_for(Kernel::Clock::duration_u32(millisec));
    return osOK;
}

osStatus Thread::wait_until(uint64_t millisec) {
    ThisThread::sleep_until(Kernel::Clock::time_point(Kernel::Clock::duration(millisec)));
    return osOK;
}

osStatus Thread::yield() {
    ThisThread::yield();
    return osOK;
}

osThreadId Thread::gettid() {
    return ThisThread::get_id();
}

void Thread::attach_idle_hook(void (*fptr)(void)) {
    Kernel::attach_idle_hook(fptr);
}

void Thread::attach_terminate_hook(void (*fptr)(osThreadId id)) {
    Kernel::attach_thread_terminate_hook(fptr);
}

}  // namespace rtos

namespace meshwork::platform {

osStatus start_thread_on(rtos::Thread &thread, Executor &executor, mbed::Callback<void()> body) {
    const std::shared_ptr<rtos::Thread::Shared> s = thread.shared_;
    WaitGuard guard(s->lock);
    if (s->started || !body) {
        return osErrorParameter;
    }
    s->body = std::move(body);
    // The new task takes the lock to finish, so it cannot end before s->task is set.
    s->task = executor.spawn([s] { rtos::run_thread_body(s); }, s->name);
    if (!s->task) {
        s->body = nullptr;
        return osErrorNoMemory;
    }
    s->started = true;
    return osOK;
}

}  // namespace meshwork::platform
