#include "core/TimerQueue.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace meshwork {
namespace {

Instant at(std::int64_t us) {
    return Instant(Duration(us));
}

TEST(TimerQueue, EmptyQueueHasNoDeadline) {
    TimerQueue q;
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.next_deadline(), kNever);
    EXPECT_EQ(q.run_due(at(1000)), 0u);
}

TEST(TimerQueue, FiresInDeadlineThenSchedulingOrder) {
    TimerQueue q;
    std::string log;
    q.schedule(at(30), [&] { log += "c"; });
    q.schedule(at(10), [&] { log += "a"; });
    q.schedule(at(20), [&] { log += "b1"; });
    q.schedule(at(20), [&] { log += "b2"; });
    EXPECT_EQ(q.next_deadline(), at(10));
    EXPECT_EQ(q.run_due(at(9)), 0u);
    EXPECT_EQ(q.run_due(at(20)), 3u);
    EXPECT_EQ(log, "ab1b2");
    EXPECT_EQ(q.next_deadline(), at(30));
    EXPECT_EQ(q.run_due(at(100)), 1u);
    EXPECT_EQ(log, "ab1b2c");
    EXPECT_TRUE(q.empty());
}

TEST(TimerQueue, CancelAndReschedule) {
    TimerQueue q;
    int fired = 0;
    const auto a = q.schedule(at(10), [&] { fired += 1; });
    const auto b = q.schedule(at(20), [&] { fired += 10; });
    EXPECT_NE(a, b);
    EXPECT_TRUE(q.pending(a));
    EXPECT_TRUE(q.cancel(a));
    EXPECT_FALSE(q.cancel(a));
    EXPECT_FALSE(q.pending(a));
    EXPECT_TRUE(q.reschedule(b, at(50)));
    EXPECT_EQ(q.deadline_of(b), at(50));
    EXPECT_EQ(q.run_due(at(40)), 0u);
    EXPECT_EQ(q.run_due(at(50)), 1u);
    EXPECT_EQ(fired, 10);
    EXPECT_FALSE(q.reschedule(b, at(60)));
    EXPECT_EQ(q.deadline_of(b), kNever);
}

TEST(TimerQueue, RescheduleOrdersAfterTimersAlreadyAtThatInstant) {
    TimerQueue q;
    std::string log;
    const auto a = q.schedule(at(5), [&] { log += "a"; });
    q.schedule(at(10), [&] { log += "b"; });
    q.reschedule(a, at(10));
    q.run_due(at(10));
    EXPECT_EQ(log, "ba");
}

TEST(TimerQueue, CallbacksMayCancelOthersDueInTheSameRun) {
    TimerQueue q;
    std::string log;
    TimerQueue::Id second = 0;
    q.schedule(at(1), [&] {
        log += "1";
        q.cancel(second);
    });
    second = q.schedule(at(2), [&] { log += "2"; });
    q.schedule(at(3), [&] { log += "3"; });
    EXPECT_EQ(q.run_due(at(10)), 2u);
    EXPECT_EQ(log, "13");
}

TEST(TimerQueue, TimersScheduledByACallbackFireInTheNextRun) {
    TimerQueue q;
    int count = 0;
    std::function<void()> rearm = [&] {
        ++count;
        q.schedule(at(0), rearm);  // due at once: must not loop inside one run
    };
    q.schedule(at(0), rearm);
    EXPECT_EQ(q.run_due(at(0)), 1u);
    EXPECT_EQ(count, 1);
    EXPECT_EQ(q.size(), 1u);
    EXPECT_EQ(q.run_due(at(0)), 1u);
    EXPECT_EQ(count, 2);
}

TEST(TimerQueue, NeverIsParkedUntilRescheduled) {
    TimerQueue q;
    bool fired = false;
    const auto id = q.schedule(kNever, [&] { fired = true; });
    EXPECT_EQ(q.next_deadline(), kNever);
    EXPECT_EQ(q.run_due(at(1'000'000'000)), 0u);
    q.reschedule(id, at(7));
    EXPECT_EQ(q.run_due(at(7)), 1u);
    EXPECT_TRUE(fired);
}

TEST(TimerQueue, RunOneDueStopsBetweenTimersAndRespectsTheMark) {
    TimerQueue q;
    std::string log;
    q.schedule(at(1), [&] {
        log += "a";
        q.schedule(at(1), [&] { log += "n"; });  // after the mark: not in this pass
    });
    q.schedule(at(2), [&] { log += "b"; });
    q.schedule(at(50), [&] { log += "late"; });
    const std::uint64_t mark = q.order_mark();
    EXPECT_TRUE(q.run_one_due(at(10), mark));
    EXPECT_EQ(log, "a");
    EXPECT_EQ(q.size(), 3u);  // b, n, late
    EXPECT_TRUE(q.run_one_due(at(10), mark));
    EXPECT_EQ(log, "ab");  // n (deadline 1) is skipped: scheduled after the mark
    EXPECT_FALSE(q.run_one_due(at(10), mark));
    EXPECT_TRUE(q.run_one_due(at(10), q.order_mark()));
    EXPECT_EQ(log, "abn");
    EXPECT_FALSE(q.run_one_due(at(10), q.order_mark()));  // "late" is not due
}

TEST(TimerQueue, FiredAndCancelledCallbacksReleaseTheirCapturesAtOnce) {
    TimerQueue q;
    auto token = std::make_shared<int>(0);
    const auto a = q.schedule(at(1), [token] {});
    q.schedule(at(2), [token] {});
    EXPECT_EQ(token.use_count(), 3);
    q.cancel(a);
    EXPECT_EQ(token.use_count(), 2);
    q.run_due(at(2));
    EXPECT_EQ(token.use_count(), 1);
    // Reused nodes behave as new ones.
    std::string log;
    for (int i = 0; i < 40; ++i)
        q.schedule(at(100 - i), [&log, i] { log += std::to_string(i) + ","; });
    EXPECT_EQ(q.run_due(at(60)), 0u);
    EXPECT_EQ(q.run_due(at(61)), 1u);
    EXPECT_EQ(log, "39,");
    EXPECT_EQ(q.size(), 39u);
}

TEST(TimerQueue, AnOldIdNeverNamesANewTimer) {
    TimerQueue q;
    int fired = 0;
    const auto a = q.schedule(at(1), [&] { fired += 1; });
    ASSERT_TRUE(q.cancel(a));
    const auto b = q.schedule(at(1), [&] { fired += 10; });  // reuses a's storage
    EXPECT_NE(a, b);
    EXPECT_FALSE(q.pending(a));
    EXPECT_FALSE(q.cancel(a));
    EXPECT_FALSE(q.reschedule(a, at(5)));
    EXPECT_TRUE(q.pending(b));
    q.run_due(at(1));
    EXPECT_EQ(fired, 10);
    EXPECT_FALSE(q.pending(b));
    EXPECT_FALSE(q.pending(0));
    EXPECT_FALSE(q.pending(0xffffffffffffffffULL));
}

TEST(TimerQueue, ClearDropsEverything) {
    TimerQueue q;
    q.schedule(at(1), [] {});
    q.schedule(at(2), [] {});
    q.clear();
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.run_due(at(10)), 0u);
}

}  // namespace
}  // namespace meshwork
