// The simulation kernel's scheduler: a virtual clock in microseconds and an ordered set of
// events (ARCHITECTURE rules 2 and 3). Events at the same instant run in the order they were
// scheduled, so a run is a pure function of what was scheduled: same seed, same bytes. Nothing
// here reads the wall clock except the optional real-time pacing, which only decides *when* the
// next event runs, never which one or at what virtual time.
#pragma once

#include <cstdint>
#include <functional>

#include "core/Time.h"
#include "core/TimerQueue.h"

namespace meshwork::sim {

/// The virtual clock: what simulated code reads as "now".
class VirtualClock final : public Clock {
  public:
    Instant now() const override { return now_; }

  private:
    friend class Scheduler;
    Instant now_{};
};

/// Why a run returned.
enum class RunResult : std::uint8_t {
    kDeadline,   // virtual time reached the deadline
    kIdle,       // no event left
    kPredicate,  // the predicate held
    kStopped,    // stop() was called
};
const char *run_result_name(RunResult r);

class Scheduler {
  public:
    using EventId = TimerQueue::Id;
    using Event = std::function<void()>;

    Scheduler() = default;
    Scheduler(const Scheduler &) = delete;
    Scheduler &operator=(const Scheduler &) = delete;

    const Clock &clock() const { return clock_; }
    Instant now() const { return clock_.now_; }

    /// Runs `event` at virtual time `at` (an instant in the past means now). Returns its id.
    EventId at(Instant at, Event event);
    EventId after(Duration delay, Event event) {
        return at(saturating_add(now(), delay), std::move(event));
    }
    /// Runs `event` at the current instant, after everything already scheduled for it.
    EventId post(Event event) { return at(now(), std::move(event)); }
    bool cancel(EventId id) { return events_.cancel(id); }
    bool pending(EventId id) const { return events_.pending(id); }

    /// The instant of the next event, kNever when idle.
    Instant next_event_time() const { return events_.next_deadline(); }
    bool idle() const { return events_.empty(); }

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

    /// Events run so far (for benchmarks and statistics).
    std::uint64_t events_run() const { return events_run_; }

  private:
    void pace_until(Instant virtual_time);

    VirtualClock clock_;
    TimerQueue events_;
    std::uint64_t events_run_ = 0;
    double speed_ = 0;
    bool stop_ = false;
    // Real-time pacing anchor: (wall, virtual) at the start of pacing.
    std::int64_t wall_anchor_us_ = -1;
    Instant virtual_anchor_{};
};

}  // namespace meshwork::sim
