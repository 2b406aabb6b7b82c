#include "meshwork/Executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace meshwork {
namespace {

class FixedClock final : public Clock {
  public:
    Instant now() const override { return Instant(Duration(42)); }
};

TEST(Executor, HostClockIsMonotonic) {
    Instant a = host_executor().now();
    Instant b = host_executor().now();
    EXPECT_LE(a, b);
}

TEST(Executor, ScopeOverridesPerThreadAndRestores) {
    FixedClock clock;
    HostExecutor ex(clock);
    EXPECT_EQ(&current_executor(), &host_executor());
    {
        ExecutorScope scope(ex);
        EXPECT_EQ(&current_executor(), &ex);
        EXPECT_EQ(current_executor().now(), Instant(Duration(42)));
        Executor *seen_by_other = nullptr;
        std::thread([&] { seen_by_other = &current_executor(); }).join();
        EXPECT_EQ(seen_by_other, &host_executor());  // a plain std::thread does not inherit
    }
    EXPECT_EQ(&current_executor(), &host_executor());
}

TEST(Executor, EachOsThreadIsItsOwnTask) {
    Task *mine = &current_task();
    EXPECT_EQ(mine, &current_task());
    Task *other = nullptr;
    std::thread([&] { other = &current_task(); }).join();
    EXPECT_NE(other, mine);
}

TEST(Executor, WaitQueueTimesOutOnTheHost) {
    WaitLock lock;
    WaitQueue queue;
    WaitGuard guard(lock);
    Executor &ex = host_executor();
    const Instant deadline = ex.now() + Duration(2000);
    EXPECT_FALSE(queue.wait_until(guard, deadline));
    EXPECT_GE(ex.now(), deadline);
    EXPECT_TRUE(guard.owns_lock());
    EXPECT_TRUE(queue.empty());  // the timed-out waiter left the queue
}

TEST(Executor, WaitQueueNotifyWakesTheLongestWaiterFirst) {
    WaitLock lock;
    WaitQueue queue;
    std::atomic<int> queued{0};
    std::vector<int> order;
    auto waiter = [&](int id) {
        WaitGuard guard(lock);
        ++queued;
        EXPECT_TRUE(queue.wait_until(guard, kNever));
        order.push_back(id);
    };
    std::thread a(waiter, 1);
    while (queued < 1) {
        std::this_thread::yield();
    }
    std::thread b(waiter, 2);
    while (queued < 2) {
        std::this_thread::yield();
    }
    {
        WaitGuard guard(lock);  // both are queued once they have released the lock
        EXPECT_TRUE(queue.notify_one());
    }
    a.join();
    {
        WaitGuard guard(lock);
        EXPECT_TRUE(queue.notify_one());
        EXPECT_FALSE(queue.notify_one());
    }
    b.join();
    EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(Executor, SpawnedTaskIsCurrentInsideItsBody) {
    HostExecutor &ex = host_executor();
    std::atomic<Task *> seen{nullptr};
    std::shared_ptr<Task> t = ex.spawn([&] { seen = &current_task(); }, "t");
    ASSERT_TRUE(t);
    while (!seen) {
        std::this_thread::yield();
    }
    EXPECT_EQ(seen.load(), t.get());
    EXPECT_STREQ(t->name, "t");
    ex.reap(*t);
}

}  // namespace
}  // namespace meshwork
