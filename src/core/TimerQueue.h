// One timer mechanism for the whole project (ARCHITECTURE rules 2 and 3): an ordered set of
// deadlines with callbacks, driven from outside. The queue never reads a clock and never starts
// a thread: its owner asks next_deadline(), waits however it waits (a host thread on a condition
// variable, the simulation's scheduler in virtual time, a protocol's poll), then calls
// run_due(now). Timers due at the same instant fire in the order they were scheduled, so a run
// is deterministic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "core/Time.h"

namespace meshwork {

class TimerQueue {
  public:
    /// Identifies a scheduled timer; 0 is never a valid id, and the id of a timer that fired or
    /// was cancelled never names another timer later (a slot with a generation count).
    using Id = std::uint64_t;
    using Callback = std::function<void()>;

    TimerQueue() = default;
    TimerQueue(const TimerQueue &) = delete;
    TimerQueue &operator=(const TimerQueue &) = delete;

    /// Schedules `cb` at `deadline` (kNever: parked until rescheduled). Returns its id.
    Id schedule(Instant deadline, Callback cb);

    /// Removes a pending timer. False if it already fired or was cancelled.
    bool cancel(Id id);

    /// Moves a pending timer to a new deadline (it then orders after timers already scheduled at
    /// that instant). False if it is not pending.
    bool reschedule(Id id, Instant deadline);

    bool pending(Id id) const { return find(id) != nullptr; }
    /// The deadline of a pending timer, kNever if it is not pending.
    Instant deadline_of(Id id) const;

    /// The earliest pending deadline, kNever when empty.
    Instant next_deadline() const;

    /// Fires, in (deadline, scheduling order), every timer that was pending when the call began
    /// and is due at `now` (deadline <= now), unless a callback cancelled it first. Timers that
    /// callbacks schedule or reschedule fire in a later call, even if already due, so a
    /// callback that re-arms itself at `now` cannot loop forever. Returns the number fired.
    std::size_t run_due(Instant now);

    /// For owners that must act between timers (drop a lock around a callback, stop early):
    /// a mark in the scheduling order; timers scheduled or rescheduled after it order after it.
    std::uint64_t order_mark() const { return next_order_; }
    /// Fires the first timer, in (deadline, scheduling order), that is due at `now` and was
    /// scheduled before `mark`; false if there is none. run_due(now) is a loop of these with
    /// one mark. The timer is no longer pending when its callback runs.
    bool run_one_due(Instant now, std::uint64_t mark);

    std::size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }
    void clear();

  private:
    struct Key {
        Instant deadline;
        std::uint64_t order;
        bool operator<(const Key &o) const {
            return deadline != o.deadline ? deadline < o.deadline : order < o.order;
        }
    };
    struct Entry {
        std::uint32_t slot;
        Callback cb;
    };
    using Entries = std::map<Key, Entry>;
    // Id -> entry without a second tree: a slot per live timer, reused through a free list.
    struct Slot {
        Entries::iterator it;
        std::uint32_t generation = 0;
        bool live = false;
    };
    // Nodes of fired or cancelled timers, reused by schedule() so that a steady flow of timers
    // allocates nothing (the EventQueue and Ticker hot paths); at most kSpareNodes kept.
    static constexpr std::size_t kSpareNodes = 16;

    const Slot *find(Id id) const;
    Slot *find(Id id) {
        return const_cast<Slot *>(static_cast<const TimerQueue *>(this)->find(id));
    }
    void release(Entries::node_type node);

    Entries entries_;
    std::vector<Slot> slots_;
    std::vector<std::uint32_t> free_slots_;
    std::vector<Entries::node_type> spare_nodes_;
    std::uint64_t next_order_ = 1;
};

}  // namespace meshwork
