#include "events/EventQueue.h"

#include <algorithm>
#include <climits>
#include <vector>

#include "core/TimerQueue.h"
#include "ThreadControl.h"

namespace events {

using meshwork::Instant;
using meshwork::kNever;

namespace {

int clamp_ms(meshwork::Duration d) {
    if (d <= meshwork::Duration::zero()) {
        return 0;
    }
    // Round up: an event must not look due before it is.
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(d).count();
    return ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
}

}  // namespace

EventQueue::EventQueue(unsigned size, unsigned char *buffer)
    : capacity_(std::max<std::size_t>(1, size / EVENTS_EVENT_SIZE)),
      timers_(std::make_unique<meshwork::TimerQueue>()) {}

EventQueue::~EventQueue() {
    chain(nullptr);
    background(nullptr);
    std::unordered_map<int, Entry> doomed;
    {
        meshwork::WaitGuard lock(mutex_);
        destroying_ = true;
        cv_.notify_all();
        // A queue destroyed from one of its own callbacks does not wait for itself.
        const int own = static_cast<int>(
            std::count(dispatching_.begin(), dispatching_.end(), &meshwork::current_task()));
        cv_.wait_until(lock, kNever, [&] { return dispatchers_ <= own; });
        timers_->clear();
        doomed.swap(entries_);
    }
    // Closures are destroyed outside the lock: their destructors may touch other queues.
}

int EventQueue::next_id_locked() {
    do {
        last_id_ = last_id_ == INT_MAX ? 1 : last_id_ + 1;
    } while (entries_.count(last_id_) != 0);
    return last_id_;
}

uint64_t EventQueue::schedule_locked(Instant deadline, int id) {
    // The callback fits std::function's inline storage: no allocation beyond the queue's nodes.
    return timers_->schedule(deadline, [this, id] { due_id_ = id; });
}

int EventQueue::post(Dur delay, Dur period, std::function<void()> fn) {
    int id;
    {
        std::lock_guard<meshwork::WaitLock> lock(mutex_);
        if (destroying_ || entries_.size() >= capacity_) {
            return 0;
        }
        id = next_id_locked();
        Entry &e = entries_[id];
        e.deadline =
            meshwork::saturating_add(meshwork::platform::now(), std::max(delay, Dur::zero()));
        e.period = period;
        e.fn = std::move(fn);
        e.timer = schedule_locked(e.deadline, id);
        cv_.notify_all();
    }
    report_background();
    return id;
}

bool EventQueue::cancel(int id) {
    bool cancelled = false;
    std::function<void()> doomed;
    {
        std::lock_guard<meshwork::WaitLock> lock(mutex_);
        auto it = entries_.find(id);
        if (it == entries_.end()) {
            return false;
        }
        Entry &e = it->second;
        if (e.running) {
            e.period = Dur(-1);  // a running periodic event does not come back
            return false;
        }
        timers_->cancel(e.timer);
        doomed = std::move(e.fn);
        entries_.erase(it);
        cancelled = true;
        cv_.notify_all();
    }
    report_background();
    return cancelled;
}

int EventQueue::time_left(int id) {
    std::lock_guard<meshwork::WaitLock> lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end()) {
        return -1;
    }
    if (it->second.running) {
        return 0;
    }
    return clamp_ms(it->second.deadline - meshwork::platform::now());
}

unsigned EventQueue::tick() {
    return static_cast<unsigned>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     meshwork::platform::now().time_since_epoch())
                                     .count());
}

void EventQueue::break_dispatch() {
    std::lock_guard<meshwork::WaitLock> lock(mutex_);
    break_requested_ = true;
    cv_.notify_all();
}

void EventQueue::dispatch(int ms) {
    if (ms < 0) {
        dispatch_forever();
    } else {
        dispatch_for(duration(ms));
    }
}

void EventQueue::dispatch_for(duration ms) {
    if (ms.count() < 0) {
        dispatch_forever();
        return;
    }
    dispatch_until(meshwork::saturating_add(meshwork::platform::now(), to_dur(ms)),
                   ms.count() == 0);
}

void EventQueue::dispatch_forever() {
    dispatch_until(kNever, false);
}

void EventQueue::dispatch_once() {
    dispatch_until(meshwork::platform::now(), true);
}

void EventQueue::dispatch_until(Instant deadline, bool once) {
    meshwork::WaitGuard lock(mutex_);
    ++dispatchers_;
    dispatching_.push_back(&meshwork::current_task());
    // Left however the pass ends (an event may throw, an executor may unwind a cancelled task).
    struct Leave {
        EventQueue &q;
        meshwork::WaitGuard &lock;
        ~Leave() {
            if (!lock.owns_lock()) {
                lock.lock();
            }
            --q.dispatchers_;
            auto self = std::find(q.dispatching_.rbegin(), q.dispatching_.rend(),
                                  &meshwork::current_task());
            q.dispatching_.erase(std::next(self).base());
            q.cv_.notify_all();  // a destructor may be waiting for dispatchers to leave
        }
    } leave{*this, lock};
    for (;;) {
        if (break_requested_ || destroying_) {
            break_requested_ = false;
            break;
        }
        // Run, one at a time, the events due at the start of this pass; events posted or
        // rescheduled meanwhile (newer sequence numbers) wait for the next pass.
        const Instant pass_time = meshwork::platform::now();
        const uint64_t pass_mark = timers_->order_mark();
        bool ran = false;
        for (;;) {
            if (break_requested_ || destroying_) {
                break;
            }
            due_id_ = 0;
            if (!timers_->run_one_due(pass_time, pass_mark)) {
                break;
            }
            const int id = due_id_;
            Entry &e = entries_.at(id);
            e.timer = 0;
            e.running = true;
            // A periodic event keeps its closure for the next period; a one-shot gives it up.
            std::function<void()> fn = e.period >= Dur::zero() ? e.fn : std::move(e.fn);
            lock.unlock();
            fn();
            fn = nullptr;
            lock.lock();
            Entry &done = entries_.at(id);
            done.running = false;
            if (done.period >= Dur::zero() && !destroying_) {
                done.deadline = meshwork::saturating_add(done.deadline, done.period);
                done.timer = schedule_locked(done.deadline, id);
            } else {
                entries_.erase(id);
            }
            ran = true;
        }
        if (ran) {
            lock.unlock();
            report_background();
            lock.lock();
        }
        if (break_requested_ || destroying_) {
            continue;  // handled at the top
        }
        const Instant now = meshwork::platform::now();
        if (once || now >= deadline) {
            break;
        }
        const Instant wake = std::min(deadline, timers_->next_deadline());
        if (wake > now) {
            cv_.wait_until(lock, wake);
        }
    }
}

void EventQueue::report_background() {
    std::lock_guard<meshwork::WaitLock> bg(background_mutex_);
    if (!background_) {
        return;
    }
    Instant next = kNever;
    Instant now;
    {
        std::lock_guard<meshwork::WaitLock> lock(mutex_);
        next = timers_->next_deadline();
        now = meshwork::platform::now();
    }
    if (next == reported_) {
        return;
    }
    reported_ = next;
    background_(next == kNever ? -1 : clamp_ms(next - now));
}

void EventQueue::background(mbed::Callback<void(int)> update) {
    {
        std::lock_guard<meshwork::WaitLock> bg(background_mutex_);
        if (background_) {
            background_(-1);
        }
        background_ = std::move(update);
        reported_ = meshwork::Instant::min();  // force a report to the new callback
    }
    report_background();
}

int EventQueue::chain(EventQueue *target) {
    if (target == this) {
        return -1;
    }
    if (!target) {
        EventQueue *old = nullptr;
        int old_event = 0;
        {
            std::lock_guard<meshwork::WaitLock> bg(background_mutex_);
            if (!chain_target_) {
                return 0;
            }
            old = chain_target_;
            old_event = chain_event_;
            chain_target_ = nullptr;
            chain_event_ = 0;
            background_ = nullptr;
        }
        old->cancel(old_event);
        return 0;
    }
    chain(nullptr);
    {
        std::lock_guard<meshwork::WaitLock> bg(background_mutex_);
        chain_target_ = target;
    }
    // Called with background_mutex_ held: keeps exactly one "dispatch me" event on the target,
    // due when this queue's next event is.
    background([this, target](int ms) {
        if (chain_event_) {
            target->cancel(chain_event_);
            chain_event_ = 0;
        }
        if (ms >= 0) {
            chain_event_ =
                target->post(std::chrono::milliseconds(ms), Dur(-1), [this] { dispatch_once(); });
        }
    });
    return 0;
}

}  // namespace events
