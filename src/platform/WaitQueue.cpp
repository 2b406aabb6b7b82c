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

// A hand-off wait that ends without the token (or by an exception): with the lock held.
void WaitQueue::end_handed(Waiter &w, WaitLock &lock, void (*refund)(void *), void *context) {
    if (w.notified) {
        refund(context);  // only when unwinding: the token was handed over all the same
    } else {
        unlink(w);
    }
    lock.unlock();
}

bool WaitQueue::wait_handed(WaitLock &lock, Instant deadline, void (*refund)(void *),
                            void *context) {
    Task &self = current_task();
    Executor &executor = *self.executor;
    if (!executor.cooperative()) [[unlikely]] {
        return wait_handed_blocking(self, lock, deadline, refund, context);
    }
    // Only this OS thread notifies, and only while this task is switched out: w.notified is
    // read without the lock, which is not taken again when the token was handed over.
    Waiter w{&self, nullptr, false};
    link(w);
    lock.unlock();
    try {
        while (executor.park(self, deadline)) {
            if (w.notified) [[likely]] {
                return true;
            }
        }
    } catch (...) {
        lock.lock();
        end_handed(w, lock, refund, context);
        throw;
    }
    if (w.notified) {
        return true;  // at the deadline, but a notification came first
    }
    lock.lock();
    end_handed(w, lock, refund, context);
    return false;
}

// The same for tasks blocked on the OS: the notifier's write is read under the lock.
bool WaitQueue::wait_handed_blocking(Task &self, WaitLock &lock, Instant deadline,
                                     void (*refund)(void *), void *context) {
    Waiter w{&self, nullptr, false};
    link(w);
    // block() holds the lock again on return, and when it throws.
    WaitGuard guard(lock, std::adopt_lock);
    struct Keep {
        WaitGuard &guard;
        ~Keep() { guard.release(); }
    } keep{guard};
    try {
        bool in_time = true;
        while (!w.notified && in_time) {
            in_time = self.executor->block(self, guard, deadline);
        }
    } catch (...) {
        end_handed(w, lock, refund, context);
        throw;
    }
    if (w.notified) {
        lock.unlock();
        return true;
    }
    end_handed(w, lock, refund, context);
    return false;
}

void WaitQueue::notify_all() {
    while (notify_one()) {
    }
}

}  // namespace meshwork
