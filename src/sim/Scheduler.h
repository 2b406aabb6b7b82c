// The simulation kernel's scheduler: a virtual clock in microseconds and an ordered set of
// events (ARCHITECTURE rules 2 and 3). Events at the same instant run in the order they were
// scheduled, so a run is a pure function of what was scheduled: same seed, same bytes. Nothing
// here reads the wall clock except the optional real-time pacing, which only decides *when* the
// next event runs, never which one or at what virtual time.
//
// Internals (docs/sim.md "Scheduler"): a 4-ary min-heap of (time, sequence, slot) entries and a
// slot table holding each event's callable in place (a small buffer; larger callables on the
// heap). Slots live in fixed chunks, so a running callable never moves when others are
// scheduled. Cancelled entries stay in the heap, marked stale, and are skipped (and compacted
// when they outnumber the live ones).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/Time.h"
#include "meshwork/sim/RunResult.h"  // RunResult, run_result_name

namespace meshwork::sim {

/// The virtual clock: what simulated code reads as "now".
class VirtualClock final : public Clock {
  public:
    Instant now() const override { return now_; }

  private:
    friend class Scheduler;
    Instant now_{};
};

class Scheduler {
  public:
    /// Identifies a scheduled event: a slot and a generation, so the id of an event that ran
    /// or was cancelled never names a later one. 0 is never an id.
    using EventId = std::uint64_t;
    using Event = std::function<void()>;

    Scheduler() = default;
    ~Scheduler();
    Scheduler(const Scheduler &) = delete;
    Scheduler &operator=(const Scheduler &) = delete;

    const Clock &clock() const { return clock_; }
    Instant now() const { return clock_.now_; }

    /// Runs `event` at virtual time `at` (an instant in the past means now). Returns its id.
    /// Any callable: one of up to kInlineBytes is stored without allocating. At most 2^24
    /// events are pending at once (a larger number aborts).
    template <class F>
    EventId at(Instant at, F &&event) {
        return enqueue(emplace(std::forward<F>(event), 0), at);
    }
    EventId at(Instant at, Event event) { return this->at<Event>(at, std::move(event)); }
    template <class F>
    EventId after(Duration delay, F &&event) {
        return at(saturating_add(now(), delay), std::forward<F>(event));
    }
    /// Runs `event` at the current instant, after everything already scheduled for it.
    template <class F>
    EventId post(F &&event) {
        return at(now(), std::forward<F>(event));
    }
    /// Runs `event` every `period` (> 0; the first time one period from now) until cancelled.
    /// The id stays the same across runs and the event is pending during its own run. Each
    /// run re-arms before it calls the event (as Mbed's Ticker does), so the next run is
    /// ordered before anything the event schedules for that same instant.
    template <class F>
    EventId every(Duration period, F &&event) {
        const auto p = period.count() > 0 ? period.count() : 1;
        return enqueue(emplace(std::forward<F>(event), p), saturating_add(now(), Duration(p)));
    }

    /// Removes a pending event (a periodic one: stops it, also from inside its own run).
    /// False if it already ran or was cancelled.
    bool cancel(EventId id);
    /// Moves a pending event to `at` (past: now), behind those already scheduled there.
    bool reschedule(EventId id, Instant at);
    bool pending(EventId id) const;

    /// The instant of the next event, kNever when idle.
    Instant next_event_time() const {
        return heap_.empty() ? kNever : Instant(Duration(heap_.front().time));
    }
    bool idle() const { return heap_.empty(); }
    /// Events scheduled and not yet run or cancelled.
    std::size_t size() const { return heap_.size() - stale_; }
    /// Drops every pending event without running it (their callables are destroyed).
    void clear();

    /// Runs the next event (advancing the clock to its instant). False when idle.
    bool step();

    /// Runs every event up to and including `deadline`, then sets the clock to `deadline`
    /// (unless stopped first).
    RunResult run_until(Instant deadline);
    RunResult run_for(Duration d) { return run_until(saturating_add(now(), d)); }
    /// Runs until no event is left.
    RunResult run_until_idle();
    /// Runs until `pred()` holds (checked before each event), the deadline passes or idle.
    RunResult run_while_not(const std::function<bool()> &pred, Instant deadline = kNever);

    /// Makes the current run return after the running event (from inside an event).
    void stop() { stop_ = true; }

    /// Real-time pacing: virtual time follows the wall clock `speed` times faster (0: as fast as
    /// possible, the default). A pacer only sleeps between events; the order and virtual times
    /// of events are the same with or without it.
    void set_real_time(double speed) {
        speed_ = speed;
        wall_anchor_us_ = -1;  // re-anchor at the next paced event
    }
    double real_time_speed() const { return speed_; }

    /// Testing aid: continues the scheduling sequence from `seq`, to exercise the renumbering
    /// that keeps it within its bits (it happens after 2^40 schedulings, never in a test run).
    void set_next_sequence_for_test(std::uint64_t seq) { next_seq_ = seq; }

    /// Events run so far (for benchmarks and statistics).
    std::uint64_t events_run() const { return events_run_; }

    /// Callables up to this size (and alignment 8) are stored in the slot itself.
    static constexpr std::size_t kInlineBytes = 40;

  private:
    struct Ops {
        void (*invoke)(void *);
        void (*destroy)(void *);  // nullptr: nothing to destroy
    };
    template <class Fn>
    struct InlineOps {
        static void invoke(void *p) { (*static_cast<Fn *>(p))(); }
        static void destroy(void *p) { static_cast<Fn *>(p)->~Fn(); }
        // Nothing to call for a trivially destructible callable (a lambda of pointers).
        static constexpr Ops kOps{&invoke,
                                  std::is_trivially_destructible_v<Fn> ? nullptr : &destroy};
    };
    template <class Fn>
    struct HeapOps {
        static void invoke(void *p) { (**static_cast<Fn **>(p))(); }
        static void destroy(void *p) { delete *static_cast<Fn **>(p); }
        static constexpr Ops kOps{&invoke, &destroy};
    };

    enum class State : std::uint8_t {
        kFree,
        kQueued,  // has one live heap entry (whose key is `key`)
        kIdle,    // allocated, not queued: a one-shot that is running, or cancelled while running
    };
    struct Slot {
        alignas(8) unsigned char storage[kInlineBytes];
        const Ops *ops = nullptr;
        std::uint64_t key = 0;    // key of its live heap entry
        std::int64_t period = 0;  // > 0: periodic
        std::uint32_t generation = 1;
        State state = State::kFree;
        bool running = false;  // its callable is running: destruction waits for the end
    };
    // 16 bytes, so a node's four children span at most two cache lines. The key orders events
    // at one instant: the scheduling sequence in the high bits, the slot in the low ones (the
    // sequence is unique, so the slot never decides).
    struct Entry {
        std::int64_t time;
        std::uint64_t key;
    };
    static constexpr unsigned kSlotBits = 24;
    static constexpr std::uint64_t kSlotMask = (std::uint64_t{1} << kSlotBits) - 1;
    static constexpr std::uint64_t kSequenceLimit = std::uint64_t{1} << (64 - kSlotBits);
    // One 128-bit comparison (times are never negative), which compiles without branches: the
    // heap's comparisons on random times are unpredictable.
    static bool before(const Entry &a, const Entry &b) {
        using U = unsigned __int128;
        return ((U(static_cast<std::uint64_t>(a.time)) << 64) | a.key) <
               ((U(static_cast<std::uint64_t>(b.time)) << 64) | b.key);
    }
    // The heap's array, placed so that every family of four children (indices 4i+1..4i+4)
    // fills exactly one 64-byte cache line: a sift-down level reads one line.
    class Entries {
      public:
        Entries() = default;
        Entries(const Entries &) = delete;
        Entries &operator=(const Entries &) = delete;
        ~Entries() { std::free(raw_); }
        std::size_t size() const { return size_; }
        bool empty() const { return size_ == 0; }
        Entry *data() { return data_; }
        Entry *begin() { return data_; }
        Entry *end() { return data_ + size_; }
        Entry &operator[](std::size_t i) { return data_[i]; }
        const Entry &front() const { return data_[0]; }
        const Entry &back() const { return data_[size_ - 1]; }
        void push_back(const Entry &e) {
            if (size_ == capacity_)
                grow();
            data_[size_++] = e;
        }
        void pop_back() { --size_; }
        void clear() { size_ = 0; }
        void truncate(std::size_t n) { size_ = n; }

      private:
        void grow();
        void *raw_ = nullptr;
        Entry *data_ = nullptr;
        std::size_t size_ = 0;
        std::size_t capacity_ = 0;
    };

    static constexpr unsigned kChunkBits = 10;
    static constexpr std::uint32_t kChunkSize = 1u << kChunkBits;

    Slot &slot(std::uint32_t i) { return chunks_[i >> kChunkBits][i & (kChunkSize - 1)]; }
    const Slot &slot(std::uint32_t i) const {
        return chunks_[i >> kChunkBits][i & (kChunkSize - 1)];
    }
    const Slot *find(EventId id) const;
    std::uint32_t allocate_slot();
    void free_slot(std::uint32_t i);

    template <class F>
    std::uint32_t emplace(F &&f, std::int64_t period) {
        using Fn = std::decay_t<F>;
        const std::uint32_t i = allocate_slot();
        Slot &s = slot(i);
        if constexpr (sizeof(Fn) <= kInlineBytes && alignof(Fn) <= 8) {
            ::new (static_cast<void *>(s.storage)) Fn(std::forward<F>(f));
            s.ops = &InlineOps<Fn>::kOps;
        } else {
            Fn *p = new Fn(std::forward<F>(f));
            ::new (static_cast<void *>(s.storage)) Fn *(p);
            s.ops = &HeapOps<Fn>::kOps;
        }
        s.period = period;
        return i;
    }
    EventId enqueue(std::uint32_t i, Instant at);
    std::uint64_t next_key(std::uint32_t i);
    void push(Entry e);
    void sift_down(std::size_t i, Entry e);
    void pop_front();
    void drop_stale_front() {
        if (stale_ != 0)
            drop_stale_front_slow();
    }
    void drop_stale_front_slow();
    void after_cancel();
    bool stale(const Entry &e) const;
    void compact();
    void renumber();
    void finish_run(std::uint32_t i);
    void pace_until(Instant virtual_time);

    VirtualClock clock_;
    Entries heap_;
    std::vector<std::unique_ptr<Slot[]>> chunks_;
    std::vector<std::uint32_t> free_;
    std::uint32_t slots_used_ = 0;  // slots ever handed out (the rest of the last chunk unused)
    std::size_t stale_ = 0;         // heap entries of cancelled or rescheduled events
    std::uint64_t next_seq_ = 0;
    std::uint64_t events_run_ = 0;
    double speed_ = 0;
    bool stop_ = false;
    // Real-time pacing anchor: (wall, virtual) at the start of pacing.
    std::int64_t wall_anchor_us_ = -1;
    Instant virtual_anchor_{};
};

}  // namespace meshwork::sim
