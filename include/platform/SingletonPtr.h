// SingletonPtr<T>: a T constructed on first use, safe for globals (constant-initialized, so it
// works before and during static construction) and thread-safe. Never destroyed unless
// destroy() is called, so it can be used during static destruction too.
#pragma once

#include <atomic>
#include <mutex>
#include <new>

namespace meshwork::platform {
/// One process-wide lock for first-use construction (compatibility edge).
std::mutex &singleton_mutex();
}  // namespace meshwork::platform

template <class T>
struct SingletonPtr {
    T *get() const {
        T *p = _ptr.load(std::memory_order_acquire);
        if (p == nullptr) {
            std::lock_guard<std::mutex> lock(meshwork::platform::singleton_mutex());
            p = _ptr.load(std::memory_order_relaxed);
            if (p == nullptr) {
                p = ::new (static_cast<void *>(_data)) T();
                _ptr.store(p, std::memory_order_release);
            }
        }
        return p;
    }

    T *operator->() const { return get(); }
    T &operator*() const { return *get(); }

    /// Destroys the object; the next get() constructs a new one.
    void destroy() {
        std::lock_guard<std::mutex> lock(meshwork::platform::singleton_mutex());
        if (T *p = _ptr.exchange(nullptr)) {
            p->~T();
        }
    }

    // Public, as on Mbed, so the struct stays an aggregate with constant initialization.
    mutable std::atomic<T *> _ptr;
    alignas(T) mutable unsigned char _data[sizeof(T)];
};
