// rtos::MemoryPool<T, pool_sz>: fixed-size blocks for T, handed out uninitialized (calloc:
// zeroed). Timed allocations block the calling task through its executor.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "meshwork/Executor.h"
#include "platform/NonCopyable.h"
#include "platform/mbed_toolchain.h"
#include "rtos/Kernel.h"
#include "rtos/mbed_rtos_types.h"

namespace rtos {

template <typename T, uint32_t pool_sz>
class MemoryPool : private mbed::NonCopyable<MemoryPool<T, pool_sz>> {
    static_assert(pool_sz > 0, "Invalid memory pool size. Must be greater than 0.");

  public:
    MemoryPool() {
        free_.reserve(pool_sz);
        for (uint32_t i = pool_sz; i > 0; --i) {
            free_.push_back(i - 1);
        }
    }

    /// Non-blocking: a block, or nullptr when the pool is empty.
    T *try_alloc() { return take(meshwork::Instant::min()); }
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Use try_alloc()")
    T *alloc() { return try_alloc(); }

    T *try_alloc_for(Kernel::Clock::duration_u32 rel_time) { return take(after(rel_time)); }
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Use try_alloc_for()")
    T *alloc_for(uint32_t millisec) { return try_alloc_for(Kernel::Clock::duration_u32(millisec)); }

    T *try_alloc_until(Kernel::Clock::time_point abs_time) { return take(at(abs_time)); }
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Use try_alloc_until()")
    T *alloc_until(uint64_t millisec) {
        return try_alloc_until(Kernel::Clock::time_point(Kernel::Clock::duration(millisec)));
    }

    T *try_calloc() { return zeroed(try_alloc()); }
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Use try_calloc()")
    T *calloc() { return try_calloc(); }
    T *try_calloc_for(Kernel::Clock::duration_u32 rel_time) {
        return zeroed(try_alloc_for(rel_time));
    }
    T *try_calloc_until(Kernel::Clock::time_point abs_time) {
        return zeroed(try_alloc_until(abs_time));
    }

    /// Returns a block; osErrorParameter if it is not one of this pool's.
    osStatus free(T *block) {
        const auto *p = reinterpret_cast<unsigned char *>(block);
        const auto *base = reinterpret_cast<unsigned char *>(storage_);
        if (!block || p < base || p >= base + sizeof storage_ || (p - base) % sizeof(Slot) != 0) {
            return osErrorParameter;
        }
        std::lock_guard<meshwork::WaitLock> lock(lock_);
        free_.push_back(static_cast<uint32_t>((p - base) / sizeof(Slot)));
        waiting_.notify_all();
        return osOK;
    }

  private:
    struct alignas(T) Slot {
        unsigned char bytes[sizeof(T)];
    };

    meshwork::Instant after(Kernel::Clock::duration_u32 rel_time) const {
        if (rel_time == Kernel::wait_for_u32_forever) {
            return meshwork::kNever;
        }
        return meshwork::saturating_add(meshwork::current_executor().now(),
                                        std::chrono::duration_cast<meshwork::Duration>(rel_time));
    }

    static meshwork::Instant at(Kernel::Clock::time_point t) {
        return meshwork::Instant(
            std::chrono::duration_cast<meshwork::Duration>(t.time_since_epoch()));
    }

    // Instant::min() means "do not wait".
    T *take(meshwork::Instant deadline) {
        meshwork::WaitGuard lock(lock_);
        while (free_.empty()) {
            if (deadline == meshwork::Instant::min() || !waiting_.wait_until(lock, deadline)) {
                if (free_.empty()) {
                    return nullptr;
                }
                break;
            }
        }
        const uint32_t index = free_.back();
        free_.pop_back();
        return reinterpret_cast<T *>(&storage_[index]);
    }

    static T *zeroed(T *block) {
        if (block) {
            std::memset(static_cast<void *>(block), 0, sizeof(T));
        }
        return block;
    }

    meshwork::WaitLock lock_;
    meshwork::WaitQueue waiting_;
    std::vector<uint32_t> free_;
    Slot storage_[pool_sz];
};

}  // namespace rtos
