// The fiber executor itself: tasks as fibers on the scheduler, blocking with deadlines in
// virtual time, wake order, reports of deadlocks, throwing fibers and stack overflows.
#include "sim/fiber/FiberExecutor.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace meshwork::sim {
namespace {

using namespace std::chrono_literals;

Instant at(Duration d) {
    return Instant(d);
}

TEST(FiberExecutor, TasksRunAsFibersOfTheSchedulerThread) {
    Scheduler s;
    FiberExecutor ex(s, "n1");
    std::vector<std::string> log;
    Task *seen = nullptr;
    std::shared_ptr<Task> t = ex.spawn(
        [&] {
            seen = &current_task();
            EXPECT_EQ(&current_executor(), &ex);
            log.push_back("start");
            ex.sleep_until(at(1h));
            log.push_back("woke at " + std::to_string(ex.now().time_since_epoch().count()));
        },
        "main");
    ASSERT_TRUE(t);
    EXPECT_TRUE(log.empty());  // spawned, not yet run
    EXPECT_EQ(ex.live(), 1u);
    EXPECT_EQ(s.run_until_idle(), RunResult::kIdle);
    EXPECT_EQ(seen, t.get());
    EXPECT_EQ(log, (std::vector<std::string>{"start", "woke at 3600000000"}));
    EXPECT_EQ(s.now(), at(1h));
    EXPECT_EQ(ex.live(), 0u);
    EXPECT_NE(&current_task(), t.get());  // back on the test's own task
}

TEST(FiberExecutor, BlockTimesOutAtItsDeadlineAndWakeComesFirst) {
    Scheduler s;
    FiberExecutor ex(s, "n1");
    WaitLock lock;
    WaitQueue queue;
    bool first = true, second = true;
    Instant first_at{}, second_at{};
    ex.spawn(
        [&] {
            WaitGuard g(lock);
            first = queue.wait_until(g, at(50ms));
            first_at = ex.now();
            second = queue.wait_until(g, at(10s));
            second_at = ex.now();
        },
        "waiter");
    ex.spawn(
        [&] {
            ex.sleep_until(at(2s));
            std::lock_guard<WaitLock> g(lock);
            EXPECT_TRUE(queue.notify_one());
        },
        "notifier");
    s.run_until_idle();
    EXPECT_FALSE(first);
    EXPECT_EQ(first_at, at(50ms));
    EXPECT_TRUE(second);
    EXPECT_EQ(second_at, at(2s));
    EXPECT_TRUE(s.idle());  // the 10 s timeout was cancelled, not left behind
}

TEST(FiberExecutor, WokenFibersRunInWakeOrder) {
    Scheduler s;
    FiberExecutor ex(s, "n1");
    WaitLock lock;
    WaitQueue queue;
    std::vector<int> order;
    for (int i = 0; i < 5; ++i) {
        ex.spawn(
            [&, i] {
                WaitGuard g(lock);
                queue.wait_until(g, kNever);
                order.push_back(i);
            },
            nullptr);
    }
    ex.spawn(
        [&] {
            std::lock_guard<WaitLock> g(lock);
            queue.notify_all();
        },
        "notifier");
    s.run_until_idle();
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(FiberExecutor, YieldLetsTheOthersRunAtTheSameInstant) {
    Scheduler s;
    FiberExecutor ex(s, "n1");
    std::string trace;
    for (char c : {'a', 'b'}) {
        ex.spawn(
            [&, c] {
                for (int i = 0; i < 3; ++i) {
                    trace += c;
                    ex.yield();
                }
            },
            nullptr);
    }
    s.run_until_idle();
    EXPECT_EQ(trace, "ababab");
    EXPECT_EQ(s.now(), Instant{});
}

// Inside one drain, fibers that block, finish or yield hand the CPU to the next ready fiber in
// wake order; a yield resumes only after the events already scheduled for the instant.
TEST(FiberExecutor, HandOffsInADrainKeepWakeOrderAroundYieldsAndEvents) {
    Scheduler s;
    FiberExecutor ex(s, "n1");
    WaitLock lock;
    WaitQueue workers, kicker;
    std::vector<std::string> log;
    for (int i = 0; i < 3; ++i) {
        ex.spawn(
            [&, i] {
                WaitGuard g(lock);
                workers.wait_until(g, kNever);
                log.push_back("w" + std::to_string(i));
                if (i == 1) {
                    g.unlock();
                    ex.yield();
                    log.push_back("y1");
                } else if (i == 2) {
                    kicker.notify_one();
                }
            },
            nullptr);
    }
    ex.spawn(
        [&] {
            s.post([&] { log.push_back("E"); });
            WaitGuard g(lock);
            workers.notify_all();
            log.push_back("K");
            kicker.wait_until(g, kNever);
            log.push_back("k2");
        },
        "kick");
    s.run_until_idle();
    EXPECT_EQ(log, (std::vector<std::string>{"K", "w0", "w1", "w2", "k2", "E", "y1"}));
    EXPECT_EQ(s.now(), Instant{});
    EXPECT_EQ(ex.live(), 0u);
}

TEST(FiberExecutor, DeadlockIsReportedWithEachFibersWait) {
    Scheduler s;
    FiberExecutor ex(s, "n7");
    WaitLock lock;
    WaitQueue never;
    EXPECT_FALSE(ex.deadlock());
    for (const char *name : {"left", "right"}) {
        ex.spawn(
            [&] {
                ex.sleep_until(at(3ms));
                WaitGuard g(lock);
                never.wait_until(g, kNever);
            },
            name);
    }
    EXPECT_EQ(s.run_until_idle(), RunResult::kIdle);  // returns: no hang
    EXPECT_EQ(ex.blocked(), 2u);
    std::optional<std::string> report = ex.deadlock();
    ASSERT_TRUE(report);
    EXPECT_NE(report->find("deadlock"), std::string::npos);
    EXPECT_NE(report->find("node n7 fiber left: WaitQueue since 3000 us"), std::string::npos)
        << *report;
    EXPECT_NE(report->find("node n7 fiber right: WaitQueue since 3000 us"), std::string::npos)
        << *report;
    // Destroying the executor cancels them: each unwinds out of its wait.
}

TEST(FiberExecutor, AThrowingFiberIsReportedWithItsNode) {
    Scheduler s;
    FiberExecutor ex(s, "n3");
    bool other_ran = false;
    ex.spawn([] { throw std::runtime_error("boom"); }, "bad");
    ex.spawn([&] { other_ran = true; }, "good");
    s.run_until_idle();
    ASSERT_EQ(ex.failures().size(), 1u);
    EXPECT_EQ(ex.failures()[0].node, "n3");
    EXPECT_EQ(ex.failures()[0].task, "bad");
    EXPECT_EQ(ex.failures()[0].what, "boom");
    EXPECT_TRUE(other_ran);
    EXPECT_EQ(ex.live(), 0u);
}

TEST(FiberExecutor, CancelledFibersUnwindTheirStacks) {
    int destroyed = 0;
    struct Counter {
        int &n;
        ~Counter() { ++n; }
    };
    {
        Scheduler s;
        FiberExecutor ex(s, "n1");
        ex.spawn(
            [&] {
                Counter c{destroyed};
                ex.sleep_until(kNever);
            },
            "sleeper");
        ex.spawn([&] { Counter c{destroyed}; }, "never-run");
        s.step();  // runs the ready fibers once: the sleeper blocks
        EXPECT_EQ(destroyed, 1);
    }
    EXPECT_EQ(destroyed, 2);
}

int recurse(int n) {
    volatile char pad[1024];
    pad[0] = static_cast<char>(n);
    return n == 0 ? pad[0] : recurse(n - 1) + pad[0];
}

TEST(FiberExecutorDeathTest, StackOverflowHitsTheGuardPageAndIsReported) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            Scheduler s;
            FiberOptions small;
            small.stack_size = 32 * 1024;
            FiberExecutor ex(s, "n9", small);
            ex.spawn([] { recurse(1000); }, "deep");
            s.run_until_idle();
        },
        "fiber stack overflow in n9/deep");
}

}  // namespace
}  // namespace meshwork::sim
