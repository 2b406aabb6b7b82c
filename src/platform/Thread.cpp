#include "rtos/Thread.h"

#include <system_error>
#include <thread>

#include "meshwork/Runtime.h"
#include "ThreadControl.h"
#include "rtos/ThisThread.h"

namespace meshwork::platform {
void run_thread_terminate_hook(osThreadId_t id);
}

namespace rtos {

using meshwork::Runtime;
using meshwork::platform::BlockedState;
using meshwork::platform::ThreadControl;

struct Thread::Shared {
    std::mutex mutex;
    std::condition_variable_any cv;
    ThreadControl control;
    Runtime *runtime = nullptr;  // of the thread that called start()
    mbed::Callback<void()> task;
    std::thread host_thread;  // joinable until joined or detached
    osPriority priority = osPriorityNormal;
    uint32_t stack_size = 0;
    const char *name = nullptr;
    bool started = false;
    bool finished = false;    // the task returned
    bool terminated = false;  // terminate() gave up on the task

    bool ended() const { return finished || terminated; }
};

namespace {

void run_task(std::shared_ptr<Thread::Shared> s) {
    Runtime &rt = *s->runtime;
    meshwork::RuntimeScope scope(rt);
    rt.thread_enter();
    meshwork::platform::bind_current_thread(&s->control);
    s->task();
    meshwork::platform::run_thread_terminate_hook(&s->control);
    {
        std::lock_guard<std::mutex> lock(s->mutex);
        s->finished = true;
        rt.notify_all(s->cv);
    }
    meshwork::platform::bind_current_thread(nullptr);
    rt.thread_exit();
}

}  // namespace

Thread::Thread(osPriority priority, uint32_t stack_size, unsigned char *stack_mem, const char *name)
    : shared_(std::make_shared<Shared>()) {
    shared_->priority = priority;
    shared_->stack_size = stack_size;
    shared_->name = name;
    shared_->control.name = name;
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
    std::thread host;
    bool finished = false;
    {
        std::lock_guard<std::mutex> lock(shared_->mutex);
        host = std::move(shared_->host_thread);
        finished = shared_->finished;
    }
    if (!host.joinable()) {
        return;
    }
    if (finished && host.get_id() != std::this_thread::get_id()) {
        host.join();  // only the last few instructions of the host thread remain
    } else {
        host.detach();
    }
}

osStatus Thread::start(mbed::Callback<void()> task) {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    if (shared_->started || !task) {
        return osErrorParameter;
    }
    shared_->task = std::move(task);
    shared_->runtime = &meshwork::current_runtime();
    {
        std::lock_guard<std::mutex> control_lock(shared_->control.mutex);
        shared_->control.runtime = shared_->runtime;
    }
    try {
        shared_->host_thread = std::thread(run_task, shared_);
    } catch (const std::system_error &) {
        return osErrorNoMemory;
    }
    shared_->started = true;
    return osOK;
}

osStatus Thread::join() {
    if (&meshwork::platform::current_thread_control() == &shared_->control) {
        return osError;
    }
    std::thread host;
    {
        BlockedState blocked(WaitingJoin);
        std::unique_lock<std::mutex> lock(shared_->mutex);
        Runtime &rt = shared_->runtime ? *shared_->runtime : meshwork::current_runtime();
        meshwork::platform::wait_until_pred(rt, shared_->cv, lock, meshwork::kNever,
                                            [this] { return shared_->ended(); });
        if (shared_->finished) {
            host = std::move(shared_->host_thread);
        }
    }
    if (host.joinable()) {
        host.join();
    }
    return osOK;
}

osStatus Thread::terminate() {
    if (&meshwork::platform::current_thread_control() == &shared_->control) {
        return osError;  // a host thread cannot end itself from the middle of its task
    }
    std::thread host;
    {
        std::lock_guard<std::mutex> lock(shared_->mutex);
        if (!shared_->started) {
            return osErrorParameter;
        }
        if (!shared_->finished) {
            shared_->terminated = true;
        }
        host = std::move(shared_->host_thread);
        Runtime &rt = shared_->runtime ? *shared_->runtime : meshwork::current_runtime();
        rt.notify_all(shared_->cv);
    }
    if (host.joinable()) {
        host.detach();
    }
    return osOK;
}

osStatus Thread::set_priority(osPriority priority) {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->priority = priority;
    return osOK;
}

osPriority Thread::get_priority() const {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    return shared_->priority;
}

uint32_t Thread::flags_set(uint32_t flags) {
    {
        std::lock_guard<std::mutex> lock(shared_->mutex);
        if (!shared_->started || shared_->ended()) {
            return osFlagsErrorParameter;
        }
    }
    return meshwork::platform::thread_flags_set(shared_->control, flags);
}

int32_t Thread::signal_set(int32_t signals) {
    return static_cast<int32_t>(flags_set(static_cast<uint32_t>(signals)));
}

Thread::State Thread::get_state() const {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    if (!shared_->started) {
        return Inactive;
    }
    if (shared_->ended()) {
        return Deleted;
    }
    return static_cast<State>(shared_->control.state.load());
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
    std::lock_guard<std::mutex> lock(shared_->mutex);
    if (!shared_->started || shared_->ended()) {
        return nullptr;
    }
    return &shared_->control;
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
