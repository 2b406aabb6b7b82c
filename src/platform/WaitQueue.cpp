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

bool WaitQueue::wait(WaitGuard &guard, Instant deadline, const KernelWait *kernel) {
    Task &self = current_task();
    Waiter w{&self, nullptr, false};
    if (tail_) {
        tail_->next = &w;
    } else {
        head_ = &w;
    }
    tail_ = &w;
    // Leaves the queue unless a notifier took it out, also when block() throws (an executor
    // cancelling the task); the guard is held again at either point.
    struct Unlink {
        WaitQueue &q;
        Waiter &w;
        ~Unlink() {
            if (w.notified) {
                return;
            }
            Waiter *prev = nullptr;
            for (Waiter *it = q.head_; it != &w; it = it->next) {
                prev = it;
            }
            (prev ? prev->next : q.head_) = w.next;
            if (q.tail_ == &w) {
                q.tail_ = prev;
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

bool WaitQueue::notify_one() {
    Waiter *w = head_;
    if (!w) {
        return false;
    }
    head_ = w->next;
    if (!head_) {
        tail_ = nullptr;
    }
    w->notified = true;
    Task &t = *w->task;  // w lives on the waiter's stack: not touched after the wake
    t.executor->wake(t);
    return true;
}

void WaitQueue::notify_all() {
    while (notify_one()) {
    }
}

}  // namespace meshwork
