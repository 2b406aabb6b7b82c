// rtos::Mail<T, queue_sz>: a queue of T blocks from its own memory pool: alloc, fill, put; the
// receiver gets, reads and frees.
#pragma once

#include <cstdint>

#include "platform/NonCopyable.h"
#include "platform/mbed_toolchain.h"
#include "rtos/Kernel.h"
#include "rtos/MemoryPool.h"
#include "rtos/Queue.h"
#include "rtos/mbed_rtos_types.h"

namespace rtos {

template <typename T, uint32_t queue_sz>
class Mail : private mbed::NonCopyable<Mail<T, queue_sz>> {
  public:
    bool empty() const { return queue_.empty(); }
    bool full() const { return queue_.full(); }

    T *try_alloc() { return pool_.try_alloc(); }
    T *try_alloc_for(Kernel::Clock::duration_u32 rel_time) { return pool_.try_alloc_for(rel_time); }
    T *try_alloc_until(Kernel::Clock::time_point abs_time) {
        return pool_.try_alloc_until(abs_time);
    }
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Use try_alloc() or try_alloc_for()")
    T *alloc(uint32_t millisec = 0) {
        return millisec == 0 ? pool_.try_alloc()
                             : pool_.try_alloc_for(Kernel::Clock::duration_u32(millisec));
    }

    T *try_calloc() { return pool_.try_calloc(); }
    T *try_calloc_for(Kernel::Clock::duration_u32 rel_time) {
        return pool_.try_calloc_for(rel_time);
    }
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Use try_calloc() or try_calloc_for()")
    T *calloc(uint32_t millisec = 0) {
        return millisec == 0 ? pool_.try_calloc()
                             : pool_.try_calloc_for(Kernel::Clock::duration_u32(millisec));
    }

    /// Queues a block from alloc(); never blocks (the queue holds as many as the pool).
    osStatus put(T *mptr) { return queue_.try_put(mptr) ? osOK : osErrorResource; }

    T *try_get() {
        T *mptr = nullptr;
        return queue_.try_get(&mptr) ? mptr : nullptr;
    }
    T *try_get_for(Kernel::Clock::duration_u32 rel_time) {
        T *mptr = nullptr;
        return queue_.try_get_for(rel_time, &mptr) ? mptr : nullptr;
    }
    /// 5.x: status osEventMail with value.p, osEventTimeout, or osOK when millisec is 0.
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Use try_get() or try_get_for()")
    osEvent get(uint32_t millisec = osWaitForever) {
        osEvent event{};
        T *mptr = millisec == 0 ? try_get() : try_get_for(Kernel::Clock::duration_u32(millisec));
        if (mptr) {
            event.status = osEventMail;
            event.value.p = mptr;
        } else {
            event.status = millisec == 0 ? osOK : osEventTimeout;
        }
        return event;
    }

    osStatus free(T *mptr) { return pool_.free(mptr); }

  private:
    Queue<T, queue_sz> queue_;
    MemoryPool<T, queue_sz> pool_;
};

}  // namespace rtos
