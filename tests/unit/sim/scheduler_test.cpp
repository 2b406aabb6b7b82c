#include "sim/Scheduler.h"

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace meshwork::sim
