#include "sim/Scheduler.h"

#include <chrono>
#include <thread>

namespace meshwork::sim {

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

Scheduler::EventId Scheduler::at(Instant at, Event event) {
    if (at < now())
        at = now();
    return events_.schedule(at, std::move(event));
}

bool Scheduler::step() {
    const Instant t = events_.next_deadline();
    if (t == kNever)
        return false;
    if (speed_ > 0)
        pace_until(t);
    clock_.now_ = t;
    // One event per step: a mark taken now admits everything already scheduled at t.
    if (events_.run_one_due(t, events_.order_mark()))
        ++events_run_;
    return true;
}

RunResult Scheduler::run_until(Instant deadline) {
    stop_ = false;
    while (!stop_) {
        const Instant t = events_.next_deadline();
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
        const Instant t = events_.next_deadline();
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
