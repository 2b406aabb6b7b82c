// The shim follows an injected executor clock: with a clock that only moves when the test
// advances it, hour-long timeouts complete as soon as fake time passes them (a real-time wait
// would hang and fail through the test timeout), and nothing fires before its fake deadline.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "drivers/Timeout.h"
#include "drivers/Timer.h"
#include "events/EventQueue.h"
#include "events/mbed_shared_queues.h"
#include "meshwork/Executor.h"
#include "RuntimeResources.h"
#include "rtos/EventFlags.h"
#include "rtos/Kernel.h"
#include "rtos/Semaphore.h"
#include "rtos/ThisThread.h"
#include "rtos/Thread.h"

using namespace std::chrono_literals;

namespace {

struct ManualClock final : meshwork::Clock {
    meshwork::Instant now() const override {
        return meshwork::Instant(meshwork::Duration(us.load()));
    }
    std::atomic<int64_t> us{0};
};

struct ManualClockHolder {
    ManualClock manual_clock_;
};

// Host threads, blocked on the OS, on a clock that only moves when the test advances it.
class ManualRuntime final : private ManualClockHolder, public meshwork::HostExecutor {
  public:
    ManualRuntime() : meshwork::HostExecutor(manual_clock_) {}
    void advance(meshwork::Duration d) { manual_clock_.us += d.count(); }
};

}  // namespace

TEST(RuntimeInjection, KernelClockAndTimerReadTheInjectedClock) {
    ManualRuntime rt;
    meshwork::ExecutorScope scope(rt);
    EXPECT_EQ(rtos::Kernel::Clock::now().time_since_epoch(), 0ms);
    mbed::Timer timer;
    timer.start();
    rt.advance(1500ms);
    EXPECT_EQ(rtos::Kernel::Clock::now().time_since_epoch(), 1500ms);
    EXPECT_EQ(timer.elapsed_time(), 1500ms);
    timer.stop();
    rt.advance(1s);
    EXPECT_EQ(timer.elapsed_time(), 1500ms);
}

TEST(RuntimeInjection, EventQueueTimingFollowsTheInjectedClock) {
    ManualRuntime rt;
    meshwork::ExecutorScope scope(rt);
    events::EventQueue q;
    std::vector<int> v;
    q.call_in(100ms, [&] { v.push_back(100); });
    q.call_in(50ms, [&] { v.push_back(50); });
    int ticks = 0;
    q.call_every(30ms, [&] { ++ticks; });
    q.dispatch_once();
    EXPECT_TRUE(v.empty());
    EXPECT_EQ(q.time_left(1), 100);
    rt.advance(49ms);
    q.dispatch_once();
    EXPECT_TRUE(v.empty());
    EXPECT_EQ(ticks, 1);  // 30 ms
    rt.advance(1ms);
    q.dispatch_once();
    EXPECT_EQ(v, (std::vector<int>{50}));
    rt.advance(50ms);
    q.dispatch_once();
    EXPECT_EQ(v, (std::vector<int>{50, 100}));
    EXPECT_EQ(ticks, 2);  // 60 ms; the rescheduled 90 ms run waits for the next pass
    q.dispatch_once();
    EXPECT_EQ(ticks, 3);
}

TEST(RuntimeInjection, DispatchForAndCallInOfAnHourCompleteInFakeTime) {
    ManualRuntime rt;
    meshwork::ExecutorScope scope(rt);
    events::EventQueue q;
    std::atomic<bool> ran{false};
    std::atomic<bool> returned{false};
    std::atomic<bool> dispatching{false};
    q.call([&] { dispatching = true; });
    q.call_in(1h, [&] { ran = true; });
    rtos::Thread t;
    t.start([&] {
        q.dispatch_for(std::chrono::hours(2));
        returned = true;
    });
    while (!dispatching) {  // the dispatch deadline is fixed: fake time 0 + 2 h
        std::this_thread::yield();
    }
    rt.advance(59min);
    EXPECT_FALSE(ran);
    rt.advance(1min);
    while (!ran) {
        std::this_thread::yield();
    }
    EXPECT_FALSE(returned);
    rt.advance(1h);
    t.join();
    EXPECT_TRUE(returned);
    EXPECT_EQ(rt.started(), 1);
    EXPECT_EQ(rt.finished(), 1);
}

TEST(RuntimeInjection, EventFlagsAndSemaphoreTimeoutsFollowTheInjectedClock) {
    ManualRuntime rt;
    meshwork::ExecutorScope scope(rt);
    rtos::EventFlags ef;
    rtos::Semaphore sem;
    std::atomic<uint32_t> flags_result{0};
    std::atomic<int> sem_result{-1};
    rtos::Thread t;
    t.start([&] {
        flags_result = ef.wait_any_for(0x1, std::chrono::hours(1));
        sem_result = sem.try_acquire_for(std::chrono::hours(1)) ? 1 : 0;
    });
    while (t.get_state() != rtos::Thread::WaitingEventFlag) {
        std::this_thread::yield();
    }
    rt.advance(30min);
    EXPECT_EQ(flags_result, 0u);
    rt.advance(30min);
    while (flags_result == 0u) {
        std::this_thread::yield();
    }
    EXPECT_EQ(flags_result, osFlagsErrorTimeout);
    while (t.get_state() != rtos::Thread::WaitingSemaphore) {
        std::this_thread::yield();
    }
    rt.advance(1h);
    t.join();
    EXPECT_EQ(sem_result, 0);
}

TEST(RuntimeInjection, SleepAndTimeoutFollowTheInjectedClock) {
    ManualRuntime rt;
    meshwork::ExecutorScope scope(rt);
    std::atomic<bool> woke{false};
    rtos::Thread sleeper;
    sleeper.start([&] {
        rtos::ThisThread::sleep_for(std::chrono::hours(24));
        woke = true;
    });
    while (sleeper.get_state() != rtos::Thread::WaitingDelay) {
        std::this_thread::yield();
    }
    std::atomic<int> fired{0};
    {
        mbed::Timeout timeout;
        timeout.attach([&] { ++fired; }, std::chrono::hours(1));
        rt.advance(std::chrono::hours(1));
        while (fired == 0) {
            std::this_thread::yield();
        }
        EXPECT_EQ(fired, 1);
    }
    rt.advance(std::chrono::hours(23));
    sleeper.join();
    EXPECT_TRUE(woke);
    meshwork::platform::release_runtime_resources(rt);
}

TEST(RuntimeInjection, SharedQueuesArePerRuntime) {
    events::EventQueue *host_queue = mbed::mbed_event_queue();
    ManualRuntime rt;
    events::EventQueue *sim_queue = nullptr;
    {
        meshwork::ExecutorScope scope(rt);
        sim_queue = mbed::mbed_event_queue();
        EXPECT_EQ(sim_queue, mbed::mbed_event_queue());
        std::atomic<bool> ran{false};
        sim_queue->call_in(10min, [&] { ran = true; });
        rt.advance(10min);
        while (!ran) {
            std::this_thread::yield();
        }
    }
    EXPECT_NE(host_queue, sim_queue);
    meshwork::platform::release_runtime_resources(rt);
}

TEST(RuntimeInjection, ARuntimeSizesItsSharedQueuesFromItsOwnConfiguration) {
    ManualRuntime rt;
    meshwork::config::EventsConfig events;  // a node's events.shared-* keys
    events.shared_eventsize = 3 * EVENTS_EVENT_SIZE;
    events.shared_highprio_eventsize = 1 * EVENTS_EVENT_SIZE;
    meshwork::platform::configure_shared_queues(rt, events);
    {
        meshwork::ExecutorScope scope(rt);
        struct {
            events::EventQueue *queue;
            int capacity;
        } cases[] = {{mbed::mbed_event_queue(), 3}, {mbed::mbed_highprio_event_queue(), 1}};
        for (const auto &c : cases) {
            int accepted = 0;
            while (accepted <= c.capacity && c.queue->call_in(1h, [] {}) != 0) {
                ++accepted;
            }
            EXPECT_EQ(accepted, c.capacity);
        }
    }
    meshwork::platform::release_runtime_resources(rt);
    // The process's queue keeps the application's size (the library default, 16 events).
    events::EventQueue *host_queue = mbed::mbed_event_queue();
    std::vector<int> ids;
    for (int id; ids.size() < 20 && (id = host_queue->call_in(1h, [] {})) != 0;) {
        ids.push_back(id);
    }
    EXPECT_EQ(ids.size(), 768u / EVENTS_EVENT_SIZE);
    for (int id : ids) {
        host_queue->cancel(id);
    }
}
