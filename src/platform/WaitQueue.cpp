// WaitQueue: a FIFO of blocked tasks, each parked through its own executor.
#include "meshwork/Executor.h"

namespace meshwork {

// The waiter lives on the blocked task's stack and is unlinked before this function returns;
// GCC cannot see that.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#endif

bool WaitQueue::wait_until(WaitGuard &guard, Instant deadline) {
    return wait(guard, deadline, nullptr);
}

bool WaitQueue::wait_until(WaitGuard &guard, Instant deadline, const KernelWait &kernel) {
    return wait(guard, deadline, &kernel);
}

inline void WaitQueue::link(Waiter &w) {
    if (tail_) {
        tail_->next = &w;
    } else {
        head_ = &w;
    }
    tail_ = &w;
}

// With the guard held, for a waiter no notifier took out.
void WaitQueue::unlink(Waiter &w) {
    Waiter *prev = nullptr;
    for (Waiter *it = head_; it != &w; it = it->next) {
        prev = it;
    }
    (prev ? prev->next : head_) = w.next;
    if (tail_ == &w) {
        tail_ = prev;
    }
}

bool WaitQueue::wait(WaitGuard &guard, Instant deadline, const KernelWait *kernel) {
    Task &self = current_task();
    Waiter w{&self, nullptr, false};
    link(w);
    // Leaves the queue unless a notifier took it out, also when block() throws (an executor
    // cancelling the task); the guard is held again at either point.
    struct Unlink {
        WaitQueue &q;
        Waiter &w;
        ~Unlink() {
            if (!w.notified) {
                q.unlink(w);
            }
        }
    } unlink{*this, w};
    if (kernel && kernel->fd >= 0) {
        // One block: a return may mean the kernel object is ready, which only the caller's
        // retry can tell.
        return self.executor->block_on(self, guard, deadline, *kernel) || w.notified;
    }
    while (!w.notified) {
        if (!self.executor->block(self, guard, deadline)) {
            break;
        }
    }
    return w.notified;
}

bool WaitQueue::wait_handed(WaitLock &lock, Instant deadline, void (*refund)(void *),
                            void *context) {
    Task &self = current_task();
    Executor &executor = *self.executor;
    Waiter w{&self, nullptr, false};
    link(w);
    bool in_time = true;
    try {
        if (executor.cooperative()) [[likely]] {
            // Only this OS thread notifies, and only while this task is switched out:
            // w.notified is read without the lock, which is not taken again when the token
            // was handed over.
            lock.unlock();
            do {
                in_time = executor.park(self, deadline);
            } while (!w.notified && in_time);
            if (w.notified) {
                return true;
            }
            lock.lock();
        } else {
            // block() holds the lock again on return, and when it throws.
            WaitGuard guard(lock, std::adopt_lock);
            struct Keep {
                WaitGuard &guard;
                ~Keep() { guard.release(); }
            } keep{guard};
            while (!w.notified && in_time) {
                in_time = executor.block(self, guard, deadline);
            }
        }
    } catch (...) {
        if (executor.cooperative()) {
            lock.lock();
        }
        if (w.notified) {
            refund(context);
        } else {
            unlink(w);
        }
        lock.unlock();
        throw;
    }
    const bool handed = w.notified;
    if (!handed) {
        unlink(w);
    }
    lock.unlock();
    return handed;
}

bool Executor::park(Task &self, Instant deadline) {
    WaitLock lock;
    WaitGuard guard(lock);
    return block(self, guard, deadline);
}

void WaitQueue::notify_all() {
    while (notify_one()) {
    }
}

}  // namespace meshwork
