// The shim follows an injected meshwork::Runtime: with a clock that only moves when the test
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
#include "meshwork/Runtime.h"
#include "RuntimeResources.h"
#include "rtos/EventFlags.h"
#include "rtos/Kernel.h"
#include "rtos/Semaphore.h"
#include "rtos/ThisThread.h"
#include "rtos/Thread.h"

using namespace std::chrono_literals;

namespace {

class ManualRuntime final : public meshwork::Runtime {
  public:
    const meshwork::Clock &clock() const override { return clock_; }

    bool wait_until(std::condition_variable_any &cv, std::unique_lock<std::mutex> &lock,
                    meshwork::Instant deadline) override {
        if (deadline != meshwork::kNever && now() >= deadline) {
            return false;
        }
        // A short real wait so an advance() between the caller's check and this wait is
        // still noticed; callers re-check their condition.
        cv.wait_for(lock, std::chrono::milliseconds(1));
        return deadline == meshwork::kNever || now() < deadline;
    }

    void notify_all(std::condition_variable_any &cv) override { cv.notify_all(); }

    void sleep_until(meshwork::Instant deadline) override {
        while (now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }

    void thread_enter() override { ++entered; }
    void thread_exit() override { ++exited; }

    void advance(meshwork::Duration d) { clock_.us += d.count(); }

    std::atomic<int> entered{0};
    std::atomic<int> exited{0};

  private:
    struct ManualClock final : meshwork::Clock {
        meshwork::Instant now() const override {
            return meshwork::Instant(meshwork::Duration(us.load()));
        }
        std::atomic<int64_t> us{0};
    };
    ManualClock clock_;
};

}  // namespace

TEST(RuntimeInjection, KernelClockAndTimerReadTheInjectedClock) {
    ManualRuntime rt;
    meshwork::RuntimeScope scope(rt);
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
    meshwork::RuntimeScope scope(rt);
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
    meshwork::RuntimeScope scope(rt);
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
    EXPECT_EQ(rt.entered, 1);
    EXPECT_EQ(rt.exited, 1);
}

TEST(RuntimeInjection, EventFlagsAndSemaphoreTimeoutsFollowTheInjectedClock) {
    ManualRuntime rt;
    meshwork::RuntimeScope scope(rt);
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
    meshwork::RuntimeScope scope(rt);
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
        meshwork::RuntimeScope scope(rt);
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
        meshwork::RuntimeScope scope(rt);
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
