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

#include "core/Time.h"

namespace meshwork {

class TimerQueue {
  public:
    /// Identifies a scheduled timer; 0 is never a valid id.
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

    bool pending(Id id) const { return index_.count(id) != 0; }
    /// The deadline of a pending timer, kNever if it is not pending.
    Instant deadline_of(Id id) const;

    /// The earliest pending deadline, kNever when empty.
    Instant next_deadline() const;

    /// Fires, in (deadline, scheduling order), every timer that was pending when the call began
    /// and is due at `now` (deadline <= now), unless a callback cancelled it first. Timers that
    /// callbacks schedule fire in a later call, even if already due, so a callback that
    /// re-arms itself at `now` cannot loop forever. Returns the number fired.
    std::size_t run_due(Instant now);

    std::size_t size() const { return index_.size(); }
    bool empty() const { return index_.empty(); }
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
        Id id;
        Callback cb;
    };

    std::map<Key, Entry> entries_;
    std::map<Id, Key> index_;
    Id next_id_ = 1;
    std::uint64_t next_order_ = 1;
};

}  // namespace meshwork
