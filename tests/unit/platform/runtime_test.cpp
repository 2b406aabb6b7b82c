#include "meshwork/Runtime.h"

#include <gtest/gtest.h>

#include <thread>

namespace meshwork {
namespace {

class FixedClock final : public Clock {
  public:
    Instant now() const override { return Instant(Duration(42)); }
};

class RecordingRuntime final : public Runtime {
  public:
    const Clock &clock() const override { return clock_; }
    bool wait_until(std::condition_variable_any &, std::unique_lock<std::mutex> &,
                    Instant) override {
        return false;
    }
    void notify_all(std::condition_variable_any &cv) override { cv.notify_all(); }
    void sleep_until(Instant) override {}

  private:
    FixedClock clock_;
};

TEST(Runtime, HostClockIsMonotonic) {
    Instant a = host_runtime().now();
    Instant b = host_runtime().now();
    EXPECT_LE(a, b);
}

TEST(Runtime, ScopeOverridesPerThreadAndRestores) {
    RecordingRuntime rt;
    EXPECT_EQ(&current_runtime(), &host_runtime());
    {
        RuntimeScope scope(rt);
        EXPECT_EQ(&current_runtime(), &rt);
        EXPECT_EQ(current_runtime().now(), Instant(Duration(42)));
        Runtime *seen_by_other = nullptr;
        std::thread([&] { seen_by_other = &current_runtime(); }).join();
        EXPECT_EQ(seen_by_other, &host_runtime());  // a plain std::thread does not inherit
    }
    EXPECT_EQ(&current_runtime(), &host_runtime());
}

TEST(Runtime, HostWaitTimesOut) {
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock<std::mutex> lock(m);
    Runtime &rt = host_runtime();
    const Instant deadline = rt.now() + Duration(2000);
    bool notified = true;
    while (rt.now() < deadline && notified) {
        notified = rt.wait_until(cv, lock, deadline);
    }
    EXPECT_FALSE(notified);
    EXPECT_GE(rt.now(), deadline);
}

}  // namespace
}  // namespace meshwork
