#include "sim/Scheduler.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
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

void Scheduler::Entries::grow() {
    const std::size_t capacity = capacity_ ? capacity_ * 2 : 256;
    // Three entries of padding before index 0 put index 1 (and so 4i+1) on a line boundary.
    constexpr std::size_t kPad = 3;
    static_assert(sizeof(Entry) == 16 && kArity * sizeof(Entry) == 64, "one family, one line");
    void *raw = std::aligned_alloc(64, (capacity + kPad + 1) * sizeof(Entry));
    if (!raw) {
        std::fprintf(stderr, "meshwork::sim::Scheduler: out of memory\n");
        std::abort();
    }
    auto *data =
        reinterpret_cast<Entry *>(static_cast<unsigned char *>(raw) + kPad * sizeof(Entry));
    for (std::size_t i = 0; i < size_; ++i)
        ::new (static_cast<void *>(data + i)) Entry(data_[i]);
    std::free(raw_);
    raw_ = raw;
    data_ = data;
    capacity_ = capacity;
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
        if (s.state != State::kQueued)
            continue;
        if (s.running)
            s.state = State::kIdle;  // freed when its run ends
        else
            free_slot(i);
    }
    compact();  // in case a destroyed callable scheduled or cancelled something
}

std::uint32_t Scheduler::allocate_slot() {
    if (!free_.empty()) {
        const std::uint32_t i = free_.back();
        free_.pop_back();
        return i;
    }
    if (slots_used_ > kSlotMask) {
        std::fprintf(stderr, "meshwork::sim::Scheduler: more than %llu pending events\n",
                     static_cast<unsigned long long>(kSlotMask + 1));
        std::abort();
    }
    if ((slots_used_ & (kChunkSize - 1)) == 0)
        chunks_.push_back(std::make_unique<Slot[]>(kChunkSize));
    return slots_used_++;
}

inline void Scheduler::free_slot(std::uint32_t i) {
    Slot &s = slot(i);
    if (s.ops) {
        const Ops *ops = s.ops;
        s.ops = nullptr;
        if (ops->destroy)
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
    if (s.generation != static_cast<std::uint32_t>(id >> 32) || s.state == State::kFree)
        return nullptr;
    return &s;
}

bool Scheduler::pending(EventId id) const {
    const Slot *s = find(id);
    return s && s->state == State::kQueued;
}

inline std::uint64_t Scheduler::next_key(std::uint32_t i) {
    if (next_seq_ >= kSequenceLimit)
        renumber();
    return (next_seq_++ << kSlotBits) | i;
}

Scheduler::EventId Scheduler::enqueue(std::uint32_t i, Instant at) {
    Slot &s = slot(i);
    const std::int64_t t = std::max(at, now()).time_since_epoch().count();
    s.key = next_key(i);
    s.state = State::kQueued;
    push(Entry{t, s.key});
    return (std::uint64_t{s.generation} << 32) | (i + 1);
}

void Scheduler::after_cancel() {
    ++stale_;
    drop_stale_front();
    if (stale_ >= kMinStaleForCompaction && stale_ * 2 > heap_.size())
        compact();
}

bool Scheduler::cancel(EventId id) {
    if (!find(id))
        return false;
    const auto i = static_cast<std::uint32_t>((id & 0xffffffffu) - 1);
    Slot &s = slot(i);
    if (s.state != State::kQueued)
        return false;  // a one-shot that is running has already "happened"
    if (s.running)
        s.state = State::kIdle;  // a periodic event cancelled in its own run: freed at its end
    else
        free_slot(i);
    after_cancel();
    return true;
}

bool Scheduler::reschedule(EventId id, Instant at) {
    if (!find(id))
        return false;
    const auto i = static_cast<std::uint32_t>((id & 0xffffffffu) - 1);
    Slot &s = slot(i);
    if (s.state != State::kQueued)
        return false;
    const std::int64_t t = std::max(at, now()).time_since_epoch().count();
    s.key = next_key(i);  // the old entry no longer matches: stale
    push(Entry{t, s.key});
    after_cancel();
    return true;
}

bool Scheduler::stale(const Entry &e) const {
    const Slot &s = slot(static_cast<std::uint32_t>(e.key & kSlotMask));
    return s.state != State::kQueued || s.key != e.key;
}

inline void Scheduler::push(Entry e) {
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

// Places `e` at hole `i` and moves it down to its place.
void Scheduler::sift_down(std::size_t i, Entry e) {
    const std::size_t n = heap_.size();
    Entry *h = heap_.data();
    for (;;) {
        const std::size_t first = i * kArity + 1;
        if (first >= n)
            break;
        std::size_t best = first;
        if (first + kArity <= n) {
            // Full family: a fixed tournament the compiler unrolls.
            const std::size_t a = before(h[first + 1], h[first]) ? first + 1 : first;
            const std::size_t b = before(h[first + 3], h[first + 2]) ? first + 3 : first + 2;
            best = before(h[b], h[a]) ? b : a;
        } else {
            for (std::size_t c = first + 1; c < n; ++c) {
                if (before(h[c], h[best]))
                    best = c;
            }
        }
        if (!before(h[best], e))
            break;
        h[i] = h[best];
        i = best;
    }
    h[i] = e;
}

inline void Scheduler::pop_front() {
    const Entry last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty())
        sift_down(0, last);
}

void Scheduler::drop_stale_front_slow() {
    while (!heap_.empty() && stale(heap_.front())) {
        pop_front();
        --stale_;
    }
}

void Scheduler::compact() {
    Entry *kept =
        std::remove_if(heap_.begin(), heap_.end(), [this](const Entry &e) { return stale(e); });
    heap_.truncate(static_cast<std::size_t>(kept - heap_.begin()));
    stale_ = 0;
    // Rebuild bottom-up (Floyd).
    const std::size_t n = heap_.size();
    if (n < 2)
        return;
    for (std::size_t start = (n - 2) / kArity + 1; start-- > 0;)
        sift_down(start, heap_[start]);
}

void Scheduler::renumber() {
    // The sequence only orders events at one instant, so renumbering the pending ones from 0
    // in their current order changes nothing observable. A sorted array is a valid heap.
    compact();
    std::sort(heap_.begin(), heap_.end(), before);
    std::uint64_t seq = 0;
    for (auto &e : heap_) {
        const auto i = static_cast<std::uint32_t>(e.key & kSlotMask);
        e.key = (seq++ << kSlotBits) | i;
        slot(i).key = e.key;
    }
    next_seq_ = seq;
}

inline void Scheduler::finish_run(std::uint32_t i) {
    Slot &s = slot(i);
    s.running = false;
    if (s.state != State::kQueued)
        free_slot(i);
}

bool Scheduler::step() {
    if (heap_.empty())
        return false;
    const Entry e = heap_.front();
    if (speed_ > 0)
        pace_until(Instant(Duration(e.time)));
    clock_.now_ = Instant(Duration(e.time));
    const auto i = static_cast<std::uint32_t>(e.key & kSlotMask);
    Slot &s = slot(i);
    if (s.period > 0) {
        // Re-arm first: one sift of the front instead of a pop and a push.
        s.key = next_key(i);
        sift_down(0,
                  Entry{saturating_add(clock_.now_, Duration(s.period)).time_since_epoch().count(),
                        s.key});
    } else {
        s.state = State::kIdle;
        pop_front();
    }
    drop_stale_front();
    s.running = true;
    ++events_run_;
    // Ends the run (frees the slot unless it is queued again) also when the callable throws.
    struct Finish {
        Scheduler *self;
        std::uint32_t i;
        ~Finish() { self->finish_run(i); }
    } finish{this, i};
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
