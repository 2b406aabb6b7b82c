// rtos::MemoryPool<T, pool_sz>: fixed-size blocks for T, handed out uninitialized (calloc:
// zeroed). Timed allocations wait through the meshwork::Runtime current at construction.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <vector>

#include "meshwork/Runtime.h"
#include "platform/NonCopyable.h"
#include "platform/mbed_toolchain.h"
#include "rtos/Kernel.h"
#include "rtos/mbed_rtos_types.h"

namespace rtos {

template <typename T, uint32_t pool_sz>
class MemoryPool : private mbed::NonCopyable<MemoryPool<T, pool_sz>> {
    static_assert(pool_sz > 0, "Invalid memory pool size. Must be greater than 0.");

  public:
    MemoryPool() : runtime_(&meshwork::current_runtime()) {
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
        std::lock_guard<std::mutex> lock(mutex_);
        free_.push_back(static_cast<uint32_t>((p - base) / sizeof(Slot)));
        runtime_->notify_all(cv_);
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
        return meshwork::saturating_add(runtime_->now(),
                                        std::chrono::duration_cast<meshwork::Duration>(rel_time));
    }

    static meshwork::Instant at(Kernel::Clock::time_point t) {
        return meshwork::Instant(
            std::chrono::duration_cast<meshwork::Duration>(t.time_since_epoch()));
    }

    // Instant::min() means "do not wait".
    T *take(meshwork::Instant deadline) {
        std::unique_lock<std::mutex> lock(mutex_);
        while (free_.empty()) {
            if (deadline == meshwork::Instant::min() ||
                !runtime_->wait_until(cv_, lock, deadline)) {
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

    meshwork::Runtime *runtime_;
    std::mutex mutex_;
    std::condition_variable_any cv_;
    std::vector<uint32_t> free_;
    Slot storage_[pool_sz];
};

}  // namespace rtos
