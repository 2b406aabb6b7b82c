// rtos::Queue<T, queue_sz>: a bounded queue of T pointers; higher priority first, FIFO within a
// priority. Timed operations block the calling task through its executor.
#pragma once

#include <cstdint>
#include <deque>
#include <utility>

#include "meshwork/Executor.h"
#include "platform/NonCopyable.h"
#include "platform/mbed_toolchain.h"
#include "rtos/Kernel.h"
#include "rtos/mbed_rtos_types.h"

namespace rtos {

template <typename T, uint32_t queue_sz>
class Queue : private mbed::NonCopyable<Queue<T, queue_sz>> {
    static_assert(queue_sz > 0, "Invalid queue size. Must be greater than 0.");

  public:
    Queue() = default;

    bool empty() const {
        std::lock_guard<meshwork::WaitLock> lock(lock_);
        return items_.empty();
    }
    bool full() const {
        std::lock_guard<meshwork::WaitLock> lock(lock_);
        return items_.size() >= queue_sz;
    }
    uint32_t count() const {
        std::lock_guard<meshwork::WaitLock> lock(lock_);
        return static_cast<uint32_t>(items_.size());
    }

    bool try_put(T *data, uint8_t prio = 0) { return put_until(data, prio, kNoWait); }
    bool try_put_for(Kernel::Clock::duration_u32 rel_time, T *data, uint8_t prio = 0) {
        return put_until(data, prio, after(rel_time));
    }
    bool try_put_until(Kernel::Clock::time_point abs_time, T *data, uint8_t prio = 0) {
        return put_until(data, prio, at(abs_time));
    }
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Use try_put() or try_put_for()")
    osStatus put(T *data, uint32_t millisec = 0, uint8_t prio = 0) {
        const bool ok = millisec == 0
                            ? try_put(data, prio)
                            : try_put_for(Kernel::Clock::duration_u32(millisec), data, prio);
        return ok ? osOK : (millisec == 0 ? osErrorResource : osErrorTimeout);
    }

    bool try_get(T **data_out) { return get_until(data_out, kNoWait); }
    bool try_get_for(Kernel::Clock::duration_u32 rel_time, T **data_out) {
        return get_until(data_out, after(rel_time));
    }
    bool try_get_until(Kernel::Clock::time_point abs_time, T **data_out) {
        return get_until(data_out, at(abs_time));
    }
    /// 5.x: status osEventMessage with value.p, osEventTimeout, or osOK when millisec is 0.
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Use try_get() or try_get_for()")
    osEvent get(uint32_t millisec = osWaitForever) {
        osEvent event{};
        T *data = nullptr;
        const bool ok = millisec == 0 ? try_get(&data)
                                      : try_get_for(Kernel::Clock::duration_u32(millisec), &data);
        if (ok) {
            event.status = osEventMessage;
            event.value.p = data;
        } else {
            event.status = millisec == 0 ? osOK : osEventTimeout;
        }
        return event;
    }

  private:
    static constexpr meshwork::Instant kNoWait = meshwork::Instant::min();

    meshwork::Instant after(Kernel::Clock::duration_u32 rel_time) const {
        if (rel_time == Kernel::wait_for_u32_forever) {
            return meshwork::kNever;
        }
        if (rel_time.count() == 0) {
            return kNoWait;
        }
        return meshwork::saturating_add(meshwork::current_executor().now(),
                                        std::chrono::duration_cast<meshwork::Duration>(rel_time));
    }

    static meshwork::Instant at(Kernel::Clock::time_point t) {
        return meshwork::Instant(
            std::chrono::duration_cast<meshwork::Duration>(t.time_since_epoch()));
    }

    template <typename Pred>
    bool wait(meshwork::WaitGuard &lock, meshwork::Instant deadline, Pred ready) {
        while (!ready()) {
            if (deadline == kNoWait || !waiting_.wait_until(lock, deadline)) {
                return ready();
            }
        }
        return true;
    }

    bool put_until(T *data, uint8_t prio, meshwork::Instant deadline) {
        meshwork::WaitGuard lock(lock_);
        if (!wait(lock, deadline, [this] { return items_.size() < queue_sz; })) {
            return false;
        }
        auto it = items_.begin();
        while (it != items_.end() && it->first >= prio) {
            ++it;
        }
        items_.insert(it, {prio, data});
        waiting_.notify_all();
        return true;
    }

    bool get_until(T **data_out, meshwork::Instant deadline) {
        meshwork::WaitGuard lock(lock_);
        if (!wait(lock, deadline, [this] { return !items_.empty(); })) {
            return false;
        }
        *data_out = items_.front().second;
        items_.pop_front();
        waiting_.notify_all();
        return true;
    }

    mutable meshwork::WaitLock lock_;
    meshwork::WaitQueue waiting_;
    std::deque<std::pair<uint8_t, T *>> items_;
};

}  // namespace rtos
