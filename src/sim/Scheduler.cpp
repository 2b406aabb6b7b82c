#include "sim/Scheduler.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace meshwork::sim {

namespace {
constexpr std::size_t kArity = 4;
// Compaction threshold: stale entries are dropped in one pass when there are more of them than
// live ones (and enough to be worth it), so cancelling never costs more than O(log n)
// amortised and the heap never grows without bound under cancel/re-arm churn.
constexpr std::size_t kMinStaleForCompaction = 256;
}  // namespace

const char *run_result_name(RunResult r) {
    switch (r) {
        case RunResult::kDeadline:
            return "deadline";
        case RunResult::kIdle:
            return "idle";
        case RunResult::kPredicate:
            return "predicate";
        case RunResult::kStopped:
            return "stopped";
    }
    return "?";
}

Scheduler::~Scheduler() {
    clear();
}

void Scheduler::clear() {
    // Callables may capture things whose destructors schedule or cancel: detach the heap first.
    heap_.clear();
    stale_ = 0;
    for (std::uint32_t i = 0; i < slots_used_; ++i) {
        Slot &s = slot(i);
        if (s.state == State::kQueued) {
            free_slot(i);
        } else if (s.state == State::kRequeued || s.state == State::kRunning) {
            s.state = State::kDone;  // running: freed when its run ends
        }
    }
    compact();  // in case a destroyed callable scheduled or cancelled something
}

std::uint32_t Scheduler::allocate_slot() {
    if (!free_.empty()) {
        const std::uint32_t i = free_.back();
        free_.pop_back();
        return i;
    }
    if ((slots_used_ & (kChunkSize - 1)) == 0)
        chunks_.push_back(std::make_unique<Slot[]>(kChunkSize));
    return slots_used_++;
}

void Scheduler::free_slot(std::uint32_t i) {
    Slot &s = slot(i);
    if (s.ops) {
        const Ops *ops = s.ops;
        s.ops = nullptr;
        ops->destroy(s.storage);
    }
    s.state = State::kFree;
    ++s.generation;
    if (s.generation == 0)
        s.generation = 1;
    free_.push_back(i);
}

const Scheduler::Slot *Scheduler::find(EventId id) const {
    const auto index = static_cast<std::uint32_t>(id & 0xffffffffu);
    if (index == 0 || index > slots_used_)
        return nullptr;
    const Slot &s = slot(index - 1);
    if (s.generation != static_cast<std::uint32_t>(id >> 32))
        return nullptr;
    return &s;
}

bool Scheduler::pending(EventId id) const {
    const Slot *s = find(id);
    if (!s)
        return false;
    return s->state == State::kQueued || s->state == State::kRequeued ||
           (s->state == State::kRunning && s->period > 0);
}

Scheduler::EventId Scheduler::enqueue(std::uint32_t i, Instant at) {
    Slot &s = slot(i);
    const std::int64_t t = std::max(at, now()).time_since_epoch().count();
    s.seq = next_seq_++;
    s.state = State::kQueued;
    push(Entry{t, s.seq, i});
    return (std::uint64_t{s.generation} << 32) | (i + 1);
}

bool Scheduler::cancel(EventId id) {
    const Slot *found = find(id);
    if (!found)
        return false;
    const auto i = static_cast<std::uint32_t>((id & 0xffffffffu) - 1);
    Slot &s = slot(i);
    switch (s.state) {
        case State::kQueued:
            ++stale_;
            free_slot(i);
            drop_stale_front();
            if (stale_ >= kMinStaleForCompaction && stale_ * 2 > heap_.size())
                compact();
            return true;
        case State::kRequeued:
            ++stale_;
            s.state = State::kDone;
            drop_stale_front();
            return true;
        case State::kRunning:
            if (s.period == 0)
                return false;  // a one-shot that is running has already "happened"
            s.state = State::kDone;
            return true;
        default:
            return false;
    }
}

bool Scheduler::reschedule(EventId id, Instant at) {
    const Slot *found = find(id);
    if (!found)
        return false;
    const auto i = static_cast<std::uint32_t>((id & 0xffffffffu) - 1);
    Slot &s = slot(i);
    const std::int64_t t = std::max(at, now()).time_since_epoch().count();
    switch (s.state) {
        case State::kQueued:
        case State::kRequeued:
            ++stale_;  // the old entry no longer matches the slot's sequence
            s.seq = next_seq_++;
            push(Entry{t, s.seq, i});
            drop_stale_front();
            if (stale_ >= kMinStaleForCompaction && stale_ * 2 > heap_.size())
                compact();
            return true;
        case State::kRunning:
            if (s.period == 0)
                return false;
            s.seq = next_seq_++;
            s.state = State::kRequeued;
            push(Entry{t, s.seq, i});
            return true;
        default:
            return false;
    }
}

bool Scheduler::stale(const Entry &e) const {
    const Slot &s = slot(e.slot);
    return !(s.state == State::kQueued || s.state == State::kRequeued) || s.seq != e.seq;
}

void Scheduler::push(Entry e) {
    std::size_t i = heap_.size();
    heap_.push_back(e);
    Entry *h = heap_.data();
    while (i > 0) {
        const std::size_t parent = (i - 1) / kArity;
        if (!before(e, h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
}

void Scheduler::pop_front() {
    const Entry last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0)
        return;
    Entry *h = heap_.data();
    std::size_t i = 0;
    for (;;) {
        const std::size_t first = i * kArity + 1;
        if (first >= n)
            break;
        std::size_t best = first;
        const std::size_t end = std::min(first + kArity, n);
        for (std::size_t c = first + 1; c < end; ++c) {
            if (before(h[c], h[best]))
                best = c;
        }
        if (!before(h[best], last))
            break;
        h[i] = h[best];
        i = best;
    }
    h[i] = last;
}

void Scheduler::drop_stale_front() {
    while (!heap_.empty() && stale(heap_.front())) {
        pop_front();
        --stale_;
    }
}

void Scheduler::compact() {
    heap_.erase(
        std::remove_if(heap_.begin(), heap_.end(), [this](const Entry &e) { return stale(e); }),
        heap_.end());
    stale_ = 0;
    // Rebuild bottom-up (Floyd), 4-ary.
    const std::size_t n = heap_.size();
    if (n < 2)
        return;
    Entry *h = heap_.data();
    for (std::size_t start = (n - 2) / kArity + 1; start-- > 0;) {
        const Entry moving = h[start];
        std::size_t i = start;
        for (;;) {
            const std::size_t first = i * kArity + 1;
            if (first >= n)
                break;
            std::size_t best = first;
            const std::size_t end = std::min(first + kArity, n);
            for (std::size_t c = first + 1; c < end; ++c) {
                if (before(h[c], h[best]))
                    best = c;
            }
            if (!before(h[best], moving))
                break;
            h[i] = h[best];
            i = best;
        }
        h[i] = moving;
    }
}

void Scheduler::finish_run(std::uint32_t i) {
    Slot &s = slot(i);
    switch (s.state) {
        case State::kRunning:  // periodic, still armed
            s.seq = next_seq_++;
            s.state = State::kQueued;
            push(Entry{saturating_add(now(), Duration(s.period)).time_since_epoch().count(), s.seq,
                       i});
            break;
        case State::kRequeued:
            s.state = State::kQueued;
            break;
        default:
            free_slot(i);
            break;
    }
}

bool Scheduler::step() {
    if (heap_.empty())
        return false;
    const Entry e = heap_.front();
    if (speed_ > 0)
        pace_until(Instant(Duration(e.time)));
    clock_.now_ = Instant(Duration(e.time));
    pop_front();
    drop_stale_front();
    Slot &s = slot(e.slot);
    s.state = s.period > 0 ? State::kRunning : State::kDone;
    ++events_run_;
    // Ends the run (re-arms or frees the slot) also when the callable throws.
    struct Finish {
        Scheduler *self;
        std::uint32_t i;
        ~Finish() { self->finish_run(i); }
    } finish{this, e.slot};
    s.ops->invoke(s.storage);  // the slot's chunk never moves while it runs
    return true;
}

RunResult Scheduler::run_until(Instant deadline) {
    stop_ = false;
    while (!stop_) {
        const Instant t = next_event_time();
        if (t == kNever || t > deadline) {
            if (deadline != kNever && deadline > now()) {
                if (speed_ > 0)
                    pace_until(deadline);
                clock_.now_ = deadline;
            }
            return t == kNever && deadline == kNever ? RunResult::kIdle : RunResult::kDeadline;
        }
        step();
    }
    return RunResult::kStopped;
}

RunResult Scheduler::run_until_idle() {
    stop_ = false;
    while (!stop_) {
        if (!step())
            return RunResult::kIdle;
    }
    return RunResult::kStopped;
}

RunResult Scheduler::run_while_not(const std::function<bool()> &pred, Instant deadline) {
    stop_ = false;
    while (!stop_) {
        if (pred())
            return RunResult::kPredicate;
        const Instant t = next_event_time();
        if (t == kNever)
            return RunResult::kIdle;
        if (t > deadline) {
            if (speed_ > 0)
                pace_until(deadline);
            clock_.now_ = deadline;
            return RunResult::kDeadline;
        }
        step();
    }
    return RunResult::kStopped;
}

void Scheduler::pace_until(Instant virtual_time) {
    // The wall clock is read only to decide how long to sleep; it never changes what runs.
    using namespace std::chrono;
    const auto wall_now = [] {
        return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
    };
    if (wall_anchor_us_ < 0) {
        wall_anchor_us_ = wall_now();
        virtual_anchor_ = now();
    }
    const double virtual_us = double((virtual_time - virtual_anchor_).count());
    const auto target = wall_anchor_us_ + std::int64_t(virtual_us / speed_);
    const auto wait = target - wall_now();
    if (wait > 0)
        std::this_thread::sleep_for(microseconds(wait));
}

}  // namespace meshwork::sim
