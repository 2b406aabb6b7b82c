// Trickle (RFC 6206 4.2): interval doubling to Imax, t in [I/2, I), k suppression, reset.
#include <gtest/gtest.h>

#include "core/Random.h"
#include "mesh/rpl/Trickle.h"

namespace meshwork::rpl {
namespace {

using namespace std::chrono_literals;

TEST(Trickle, DefaultsAreNanostacks) {
    SeededRandom r(1, 0);
    Trickle t(r);
    EXPECT_EQ(t.config().imin, 4096ms);
    EXPECT_EQ(t.imax(), 4096ms * 512);
    EXPECT_EQ(t.config().k, 10);
}

TEST(Trickle, IntervalsDoubleUpToImaxWithOneTransmissionEach) {
    SeededRandom r(2, 0);
    Trickle t(r, {100ms, 3, 2});
    Instant now{};
    t.start(now);
    Duration expect = 100ms;
    Instant start = now;
    for (int i = 0; i < 6; ++i) {
        EXPECT_EQ(t.interval(), expect);
        // The transmission instant is in [I/2, I).
        const Instant tx = t.next_deadline();
        EXPECT_GE(tx, start + expect / 2);
        EXPECT_LT(tx, start + expect);
        EXPECT_FALSE(t.poll(tx - 1us));
        EXPECT_TRUE(t.poll(tx));
        EXPECT_EQ(t.next_deadline(), start + expect);
        EXPECT_FALSE(t.poll(start + expect - 1us));
        start += expect;
        (void)t.poll(start);
        expect = expect * 2 > 800ms ? 800ms : expect * 2;
    }
    EXPECT_EQ(t.interval(), 800ms);  // Imax = 100 ms * 2^3
    EXPECT_EQ(t.transmitted(), 6u);
}

TEST(Trickle, KConsistentMessagesSuppress) {
    SeededRandom r(3, 0);
    Trickle t(r, {100ms, 3, 2});
    t.start(Instant{});
    t.consistent();
    t.consistent();  // c = k
    EXPECT_FALSE(t.poll(t.next_deadline()));
    EXPECT_EQ(t.suppressed(), 1u);
    // The next interval starts with c = 0 again.
    (void)t.poll(Instant{} + 100ms);
    EXPECT_EQ(t.counter(), 0u);
    t.consistent();
    EXPECT_TRUE(t.poll(t.next_deadline()));
}

TEST(Trickle, KZeroNeverSuppresses) {
    SeededRandom r(4, 0);
    Trickle t(r, {100ms, 3, 0});
    t.start(Instant{});
    for (int i = 0; i < 50; ++i)
        t.consistent();
    EXPECT_TRUE(t.poll(t.next_deadline()));
}

TEST(Trickle, ResetGoesBackToImin) {
    SeededRandom r(5, 0);
    Trickle t(r, {100ms, 4, 10});
    Instant now{};
    t.start(now);
    now += 100ms + 200ms + 400ms;  // three intervals later: I = 800 ms
    (void)t.poll(now);
    EXPECT_EQ(t.interval(), 800ms);
    now += 10ms;
    t.reset(now);
    EXPECT_EQ(t.interval(), 100ms);
    EXPECT_GE(t.next_deadline(), now + 50ms);
    EXPECT_LT(t.next_deadline(), now + 100ms);
    // Already at Imin: a reset changes nothing (RFC 6206 4.2 step 6).
    const Instant tx = t.next_deadline();
    t.reset(now + 1ms);
    EXPECT_EQ(t.next_deadline(), tx);
}

}  // namespace
}  // namespace meshwork::rpl
