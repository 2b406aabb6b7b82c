// WaitQueue: a FIFO of blocked tasks, each parked through its own executor.
#include "meshwork/Executor.h"

namespace meshwork {

bool WaitQueue::wait_until(WaitGuard &guard, Instant deadline) {
    Task &self = current_task();
    Waiter w{&self, nullptr, false};
    if (tail_) {
        tail_->next = &w;
    } else {
        head_ = &w;
    }
    tail_ = &w;
    while (!w.notified) {
        if (!self.executor->block(self, guard, deadline)) {
            break;
        }
    }
    if (!w.notified) {
        // Timed out: still queued (a notifier unlinks under the guard we hold again).
        Waiter *prev = nullptr;
        for (Waiter *it = head_; it != &w; it = it->next) {
            prev = it;
        }
        (prev ? prev->next : head_) = w.next;
        if (tail_ == &w) {
            tail_ = prev;
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
