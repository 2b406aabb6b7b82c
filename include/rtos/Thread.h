// rtos::Thread: a task of the executor of the task that calls start() (meshwork/Executor.h):
// a std::thread on the host, a fiber on a simulated node.
// Differences from an RTOS (see docs/platform.md): priorities are recorded but advisory; stack
// sizes are reported but not enforced; terminate() cannot stop a running task (it detaches it).
#pragma once

#include <cstdint>
#include <memory>

#include "platform/Callback.h"
#include "platform/NonCopyable.h"
#include "platform/mbed_toolchain.h"
#include "rtos/Kernel.h"
#include "rtos/mbed_rtos_types.h"

#ifndef OS_STACK_SIZE
#ifdef MBED_CONF_RTOS_THREAD_STACK_SIZE
#define OS_STACK_SIZE MBED_CONF_RTOS_THREAD_STACK_SIZE
#else
#define OS_STACK_SIZE 4096
#endif
#endif

namespace meshwork {
class Executor;
}
namespace rtos {
class Thread;
}
namespace meshwork::platform {
/// Internal: starts `thread` as a task of `executor` (Thread::start uses the caller's).
osStatus start_thread_on(rtos::Thread &thread, Executor &executor, mbed::Callback<void()> body);
}  // namespace meshwork::platform

namespace rtos {

class Thread : private mbed::NonCopyable<Thread> {
  public:
    Thread(osPriority priority = osPriorityNormal, uint32_t stack_size = OS_STACK_SIZE,
           unsigned char *stack_mem = nullptr, const char *name = nullptr);
    /// TrustZone variant; the module id is ignored.
    Thread(uint32_t tz_module, osPriority priority = osPriorityNormal,
           uint32_t stack_size = OS_STACK_SIZE, unsigned char *stack_mem = nullptr,
           const char *name = nullptr);

    /// 5.x: constructs and starts at once.
    MBED_DEPRECATED_SINCE("mbed-os-5.1", "Use Thread() followed by start()")
    Thread(mbed::Callback<void()> task, osPriority priority = osPriorityNormal,
           uint32_t stack_size = OS_STACK_SIZE, unsigned char *stack_mem = nullptr);

    /// Detaches a task that is still running (it cannot be stopped); see terminate().
    virtual ~Thread();

    /// Starts the task. osErrorParameter if already started, osErrorNoMemory if the host
    /// refuses a thread.
    osStatus start(mbed::Callback<void()> task);

    template <typename T, typename M>
    MBED_DEPRECATED_SINCE("mbed-os-5.1", "Use start(callback(obj, method))")
    osStatus start(T *obj, M method) {
        return start(mbed::Callback<void()>(obj, method));
    }

    /// Waits for the task to return (or for terminate()). osError when called by the thread
    /// itself.
    osStatus join();

    /// A host cannot stop a running thread: the task is detached and keeps running until it
    /// returns; the Thread reports Deleted, join() returns and the object may be destroyed.
    osStatus terminate();

    osStatus set_priority(osPriority priority);
    osPriority get_priority() const;

    /// Sets thread flags; returns the flags after setting, osFlagsErrorParameter if bit 31 set,
    /// osFlagsErrorResource if the thread was never started or has ended.
    uint32_t flags_set(uint32_t flags);

    MBED_DEPRECATED_SINCE("mbed-os-5.10", "Use flags_set()")
    int32_t signal_set(int32_t signals);

    enum State {
        Inactive,
        Ready,
        Running,
        WaitingDelay,
        WaitingJoin,
        WaitingThreadFlag,
        WaitingEventFlag,
        WaitingMutex,
        WaitingSemaphore,
        WaitingMemoryPool,
        WaitingMessageGet,
        WaitingMessagePut,
        WaitingInterval,
        WaitingOr,
        WaitingAnd,
        WaitingMailbox,
        Deleted = 0xFF
    };

    State get_state() const;

    /// The configured size; the host stack is not limited to it.
    uint32_t stack_size() const;
    /// Stack usage is not measured: free_stack() reports the configured size, used 0.
    uint32_t free_stack() const;
    uint32_t used_stack() const;
    uint32_t max_stack() const;

    const char *get_name() const;
    /// The thread's id once started (nullptr before start and after the task has ended).
    osThreadId_t get_id() const;

    MBED_DEPRECATED_SINCE("mbed-os-5.10", "Use ThisThread::flags_wait_all() and friends")
    static osEvent signal_wait(int32_t signals, uint32_t millisec = osWaitForever);
    MBED_DEPRECATED_SINCE("mbed-os-5.10", "Use ThisThread::sleep_for()")
    static osStatus wait(uint32_t millisec);
    MBED_DEPRECATED_SINCE("mbed-os-5.10", "Use ThisThread::sleep_until()")
    static osStatus wait_until(uint64_t millisec);
    MBED_DEPRECATED_SINCE("mbed-os-5.10", "Use ThisThread::yield()")
    static osStatus yield();
    MBED_DEPRECATED_SINCE("mbed-os-5.10", "Use ThisThread::get_id()")
    static osThreadId gettid();
    MBED_DEPRECATED_SINCE("mbed-os-5.10", "Use Kernel::attach_idle_hook()")
    static void attach_idle_hook(void (*fptr)(void));
    MBED_DEPRECATED_SINCE("mbed-os-5.10", "Use Kernel::attach_thread_terminate_hook()")
    static void attach_terminate_hook(void (*fptr)(osThreadId id));

    struct Shared;  // state shared with the running task (internal)

  private:
    friend osStatus meshwork::platform::start_thread_on(Thread &, meshwork::Executor &,
                                                        mbed::Callback<void()>);
    std::shared_ptr<Shared> shared_;
};

}  // namespace rtos
