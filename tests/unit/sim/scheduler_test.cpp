#include "sim/Scheduler.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/Random.h"

namespace meshwork::sim {
namespace {

Instant at_us(std::int64_t us) {
    return Instant(Duration(us));
}

TEST(Scheduler, RunsEventsInTimeThenSchedulingOrderAndAdvancesTheClock) {
    Scheduler s;
    std::string log;
    s.at(at_us(20), [&] { log += "b" + std::to_string(s.now().time_since_epoch().count()); });
    s.at(at_us(10), [&] { log += "a" + std::to_string(s.now().time_since_epoch().count()); });
    s.at(at_us(20), [&] { log += "c"; });
    EXPECT_EQ(s.next_event_time(), at_us(10));
    EXPECT_EQ(s.run_until_idle(), RunResult::kIdle);
    EXPECT_EQ(log, "a10b20c");
    EXPECT_EQ(s.now(), at_us(20));
    EXPECT_EQ(s.events_run(), 3u);
}

TEST(Scheduler, EventsScheduledForNowRunAfterThoseAlreadyThere) {
    Scheduler s;
    std::string log;
    s.at(at_us(5), [&] {
        log += "1";
        s.post([&] { log += "3"; });
    });
    s.at(at_us(5), [&] { log += "2"; });
    s.run_until_idle();
    EXPECT_EQ(log, "123");
}

TEST(Scheduler, RunUntilStopsAtTheDeadlineAndSetsTheClock) {
    Scheduler s;
    int ran = 0;
    s.at(at_us(100), [&] { ++ran; });
    s.at(at_us(300), [&] { ++ran; });
    EXPECT_EQ(s.run_until(at_us(200)), RunResult::kDeadline);
    EXPECT_EQ(ran, 1);
    EXPECT_EQ(s.now(), at_us(200));
    EXPECT_EQ(s.run_for(Duration(100)), RunResult::kDeadline);
    EXPECT_EQ(ran, 2);
    EXPECT_EQ(s.now(), at_us(300));
}

TEST(Scheduler, PastInstantsMeanNowAndCancelWorks) {
    Scheduler s;
    s.run_until(at_us(50));
    Instant seen{};
    s.at(at_us(10), [&] { seen = s.now(); });
    const auto id = s.after(Duration(5), [] { FAIL() << "cancelled"; });
    EXPECT_TRUE(s.cancel(id));
    s.run_until_idle();
    EXPECT_EQ(seen, at_us(50));
}

TEST(Scheduler, PredicateAndStop) {
    Scheduler s;
    int n = 0;
    for (int i = 1; i <= 10; ++i)
        s.at(at_us(i), [&] { ++n; });
    EXPECT_EQ(s.run_while_not([&] { return n == 4; }), RunResult::kPredicate);
    EXPECT_EQ(n, 4);
    s.at(at_us(6), [&] { s.stop(); });
    EXPECT_EQ(s.run_until_idle(), RunResult::kStopped);
    EXPECT_LT(n, 10);
    EXPECT_EQ(s.run_until_idle(), RunResult::kIdle);
    EXPECT_EQ(n, 10);
}

TEST(Scheduler, TwoSchedulersAreIndependent) {
    Scheduler a, b;
    int na = 0, nb = 0;
    a.at(at_us(10), [&] { ++na; });
    b.at(at_us(1000), [&] { ++nb; });
    a.run_until_idle();
    EXPECT_EQ(na, 1);
    EXPECT_EQ(nb, 0);
    EXPECT_EQ(b.now(), at_us(0));
}

TEST(Scheduler, PeriodicEventsKeepTheirIdAndStopWhenCancelled) {
    Scheduler s;
    std::vector<std::int64_t> at;
    Scheduler::EventId id = 0;
    id = s.every(Duration(10), [&] {
        at.push_back(s.now().time_since_epoch().count());
        EXPECT_TRUE(s.pending(id));  // armed again after this run
        if (at.size() == 3) {
            EXPECT_TRUE(s.cancel(id));  // from inside its own run
        }
    });
    s.at(at_us(15), [&] { EXPECT_TRUE(s.pending(id)); });
    EXPECT_EQ(s.run_until_idle(), RunResult::kIdle);
    EXPECT_EQ(at, (std::vector<std::int64_t>{10, 20, 30}));
    EXPECT_FALSE(s.pending(id));
    EXPECT_FALSE(s.cancel(id));
}

TEST(Scheduler, PeriodicReArmingIsOrderedBeforeWhatItsRunSchedules) {
    Scheduler s;
    std::string log;
    const auto id = s.every(Duration(10), [&] {
        log += "p";
        if (log.size() == 1)  // scheduled after the re-arm at 20: runs after it
            s.at(at_us(20), [&] { log += "x"; });
    });
    s.run_until(at_us(20));
    EXPECT_EQ(log, "ppx");
    s.cancel(id);
}

TEST(Scheduler, APeriodicEventMayRescheduleOrClearFromItsOwnRun) {
    Scheduler s;
    std::vector<std::int64_t> at;
    Scheduler::EventId id = 0;
    id = s.every(Duration(10), [&] {
        at.push_back(s.now().time_since_epoch().count());
        if (at.size() == 2) {
            EXPECT_TRUE(s.reschedule(id, at_us(100)));  // replaces the re-arm at 30
        } else if (at.size() == 4) {
            s.clear();
        }
    });
    s.run_until_idle();
    EXPECT_EQ(at, (std::vector<std::int64_t>{10, 20, 100, 110}));
    EXPECT_FALSE(s.pending(id));
    EXPECT_TRUE(s.idle());
    EXPECT_EQ(s.size(), 0u);
}

TEST(Scheduler, RescheduleMovesBehindThoseAlreadyThere) {
    Scheduler s;
    std::string log;
    const auto a = s.at(at_us(5), [&] { log += "a"; });
    s.at(at_us(10), [&] { log += "b"; });
    EXPECT_TRUE(s.reschedule(a, at_us(10)));
    EXPECT_EQ(s.size(), 2u);
    EXPECT_EQ(s.next_event_time(), at_us(10));
    s.run_until_idle();
    EXPECT_EQ(log, "ba");
    EXPECT_FALSE(s.reschedule(a, at_us(30)));
}

TEST(Scheduler, OneShotIsNotPendingWhileItRunsAndIdsAreNotReused) {
    Scheduler s;
    Scheduler::EventId self = 0;
    self = s.post([&] {
        EXPECT_FALSE(s.pending(self));
        EXPECT_FALSE(s.cancel(self));
    });
    s.run_until_idle();
    const auto next = s.post([] {});  // reuses the slot, not the id
    EXPECT_NE(next, self);
    EXPECT_FALSE(s.pending(self));
    EXPECT_TRUE(s.pending(next));
    EXPECT_FALSE(s.cancel(0));
}

TEST(Scheduler, LargeCallablesAndClearDestroyWithoutRunning) {
    Scheduler s;
    auto counter = std::make_shared<int>(0);
    std::array<char, 200> big{};
    big[0] = 1;
    s.after(Duration(1), [counter, big] { *counter += big[0]; });
    s.after(Duration(2), [counter] { *counter += 10; });
    EXPECT_EQ(counter.use_count(), 3);
    s.run_until(at_us(1));
    EXPECT_EQ(*counter, 1);
    EXPECT_EQ(counter.use_count(), 2);  // the one that ran was destroyed
    s.clear();
    EXPECT_EQ(counter.use_count(), 1);
    EXPECT_TRUE(s.idle());
    EXPECT_EQ(*counter, 1);
}

TEST(Scheduler, ACallableThatThrowsLeavesTheSchedulerConsistent) {
    Scheduler s;
    int ran = 0;
    s.post([] { throw std::runtime_error("boom"); });
    s.post([&] { ++ran; });
    EXPECT_THROW(s.step(), std::runtime_error);
    EXPECT_EQ(s.size(), 1u);
    s.run_until_idle();
    EXPECT_EQ(ran, 1);
}

TEST(Scheduler, RenumberingTheSequenceKeepsTheOrder) {
    Scheduler s;
    std::string log;
    s.set_next_sequence_for_test((std::uint64_t{1} << 40) - 3);
    for (char c = 'a'; c <= 'f'; ++c)  // renumbers once on the way
        s.at(at_us(c < 'd' ? 7 : 5), [&log, c] { log += c; });
    const auto g = s.at(at_us(5), [&] { log += 'g'; });
    s.at(at_us(6), [&] { log += 'h'; });
    EXPECT_TRUE(s.reschedule(g, at_us(7)));
    s.run_until_idle();
    EXPECT_EQ(log, "defhabcg");
}

// Random schedules, cancels and reschedules against a reference model ordered by
// (time, scheduling order): the heap with stale entries and compaction must agree exactly.
TEST(Scheduler, AgreesWithAReferenceModelUnderChurn) {
    SeededRandom rng(42);
    Scheduler s;
    std::map<std::pair<std::int64_t, std::uint64_t>, int> model;  // (time, order) -> tag
    std::map<int, std::pair<Scheduler::EventId, std::pair<std::int64_t, std::uint64_t>>> live;
    std::vector<int> ran, expected;
    std::uint64_t order = 0;
    int next_tag = 0;
    for (int round = 0; round < 20000; ++round) {
        const auto op = rng.uniform(10);
        const std::int64_t now = s.now().time_since_epoch().count();
        if (op < 5 || live.empty()) {
            const std::int64_t t = now + rng.uniform(1000);
            const int tag = next_tag++;
            const auto id = s.at(at_us(t), [&ran, tag] { ran.push_back(tag); });
            live[tag] = {id, {t, order}};
            model[{t, order++}] = tag;
        } else {
            auto it = live.begin();
            std::advance(it, rng.uniform(std::uint32_t(live.size())));
            if (op < 8) {
                EXPECT_TRUE(s.cancel(it->second.first));
                model.erase(it->second.second);
                live.erase(it);
            } else {
                const std::int64_t t = now + rng.uniform(1000);
                EXPECT_TRUE(s.reschedule(it->second.first, at_us(t)));
                model.erase(it->second.second);
                it->second.second = {t, order};
                model[{t, order++}] = it->first;
            }
        }
        if (rng.uniform(4) == 0 && !model.empty()) {
            const auto first = model.begin();
            expected.push_back(first->second);
            live.erase(first->second);
            model.erase(first);
            ASSERT_TRUE(s.step());
        }
        ASSERT_EQ(s.size(), model.size());
    }
    for (const auto &m : model)
        expected.push_back(m.second);
    s.run_until_idle();
    EXPECT_EQ(ran, expected);
}

}  // namespace
}  // namespace meshwork::sim
