#include "events/EventQueue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "events/mbed_shared_queues.h"
#include "rtos/Semaphore.h"
#include "rtos/ThisThread.h"
#include "rtos/Thread.h"

using namespace std::chrono_literals;
using events::EventQueue;

namespace {

struct Recorder {
    std::vector<std::string> order;
    void add(std::string s) { order.push_back(std::move(s)); }
    void add_const(int x) const { seen_const = x; }
    mutable int seen_const = 0;
};

void append(std::vector<int> *v, int x) {
    v->push_back(x);
}

}  // namespace

TEST(EventQueue, CallRunsInFifoOrder) {
    EventQueue q;
    std::vector<int> v;
    for (int i = 0; i < 5; ++i) {
        EXPECT_NE(q.call(append, &v, i), 0);
    }
    q.dispatch_once();
    EXPECT_EQ(v, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(EventQueue, CallAcceptsEveryCallableForm) {
    EventQueue q;
    Recorder r;
    int lambda_calls = 0;
    q.call(&r, &Recorder::add, std::string("method"));
    q.call(&r, &Recorder::add_const, 7);
    q.call([&lambda_calls] { ++lambda_calls; });
    q.call(mbed::callback(&r, &Recorder::add), std::string("callback"));
    q.call([&r](int a, int b) { r.add(std::to_string(a + b)); }, 2, 3);
    q.dispatch_once();
    EXPECT_EQ(r.order, (std::vector<std::string>{"method", "callback", "5"}));
    EXPECT_EQ(r.seen_const, 7);
    EXPECT_EQ(lambda_calls, 1);
}

TEST(EventQueue, CallInRunsInDeadlineOrder) {
    EventQueue q;
    std::vector<int> v;
    q.call_in(30ms, append, &v, 3);
    q.call_in(10ms, append, &v, 1);
    q.call_in(20ms, append, &v, 2);
    q.call(append, &v, 0);
    q.dispatch_for(200ms);
    EXPECT_EQ(v, (std::vector<int>{0, 1, 2, 3}));
}

TEST(EventQueue, DispatchZeroRunsOnlyWhatIsDue) {
    EventQueue q;
    std::vector<int> v;
    q.call(append, &v, 1);
    q.call_in(1h, append, &v, 2);
    q.dispatch(0);
    EXPECT_EQ(v, (std::vector<int>{1}));
    // An event posted by a running event waits for the next dispatch.
    q.call([&] { q.call(append, &v, 3); });
    q.dispatch_for(0ms);
    EXPECT_EQ(v, (std::vector<int>{1}));
    q.dispatch_once();
    EXPECT_EQ(v, (std::vector<int>{1, 3}));
}

TEST(EventQueue, CancelOnlyPendingEvents) {
    EventQueue q;
    std::vector<int> v;
    const int a = q.call_in(1h, append, &v, 1);
    const int b = q.call(append, &v, 2);
    ASSERT_NE(a, 0);
    ASSERT_NE(b, 0);
    EXPECT_NE(a, b);
    EXPECT_TRUE(q.cancel(a));
    EXPECT_FALSE(q.cancel(a));  // already cancelled
    q.dispatch_once();
    EXPECT_EQ(v, (std::vector<int>{2}));
    EXPECT_FALSE(q.cancel(b));  // already dispatched
    EXPECT_FALSE(q.cancel(0));

    // An event cannot cancel itself while it runs.
    int self = 0;
    bool self_cancel = true;
    self = q.call([&] { self_cancel = q.cancel(self); });
    q.dispatch_once();
    EXPECT_FALSE(self_cancel);
}

TEST(EventQueue, TimeLeft) {
    EventQueue q;
    const int id = q.call_in(1h, [] {});
    const int left = q.time_left(id);
    EXPECT_GT(left, 3500 * 1000);
    EXPECT_LE(left, 3600 * 1000);
    const int now_id = q.call([] {});
    EXPECT_EQ(q.time_left(now_id), 0);
    q.cancel(id);
    EXPECT_EQ(q.time_left(id), -1);
}

TEST(EventQueue, CallEveryRepeatsUntilCancelled) {
    EventQueue q;
    int count = 0;
    int id = 0;
    id = q.call_every(1ms, [&] {
        if (++count == 5) {
            q.cancel(id);  // running: no further run, returns false
            q.break_dispatch();
        }
    });
    q.dispatch_for(10s);
    EXPECT_EQ(count, 5);
    EXPECT_EQ(q.time_left(id), -1);
    q.dispatch_for(5ms);
    EXPECT_EQ(count, 5);
}

TEST(EventQueue, DeprecatedIntegerForms) {
    EventQueue q;
    int count = 0;
    q.call_in(1, [&] { ++count; });
    const int every = q.call_every(1, [&] { ++count; });
    while (count < 4) {
        q.dispatch(5);
    }
    q.cancel(every);
    EXPECT_GE(count, 4);
}

TEST(EventQueue, DispatchForReturnsAfterItsTime) {
    EventQueue q;
    q.call_in(1h, [] {});
    // Returns (does not wait for the far event); a hang fails through the test timeout.
    q.dispatch_for(20ms);
    SUCCEED();
}

TEST(EventQueue, BreakDispatchFromAnotherThread) {
    EventQueue q;
    std::atomic<bool> started{false};
    rtos::Thread t;
    t.start([&] { q.dispatch_forever(); });
    q.call([&] { started = true; });
    while (!started) {
        rtos::ThisThread::yield();
    }
    q.break_dispatch();
    EXPECT_EQ(t.join(), osOK);
}

TEST(EventQueue, BreakBeforeDispatchMakesNextDispatchReturn) {
    EventQueue q;
    q.break_dispatch();
    q.dispatch_forever();  // returns at once
    SUCCEED();
}

TEST(EventQueue, CapacityFollowsSize) {
    EventQueue q(2 * EVENTS_EVENT_SIZE);
    EXPECT_NE(q.call([] {}), 0);
    EXPECT_NE(q.call([] {}), 0);
    EXPECT_EQ(q.call([] {}), 0);  // full
    q.dispatch_once();
    EXPECT_NE(q.call([] {}), 0);
}

TEST(EventQueue, ChainDispatchesThroughTarget) {
    EventQueue target;
    EventQueue source;
    std::vector<int> v;
    source.chain(&target);
    source.call(append, &v, 1);
    source.call_in(5ms, append, &v, 2);
    target.call_in(50ms, [&] { target.break_dispatch(); });
    target.dispatch_for(10s);
    EXPECT_EQ(v, (std::vector<int>{1, 2}));
    source.chain(nullptr);
    source.call(append, &v, 3);
    target.dispatch_for(5ms);
    EXPECT_EQ(v, (std::vector<int>{1, 2}));
    source.dispatch_once();
    EXPECT_EQ(v, (std::vector<int>{1, 2, 3}));
}

TEST(EventQueue, BackgroundReportsNextDeadline) {
    EventQueue q;
    std::vector<int> reports;
    q.background([&](int ms) { reports.push_back(ms); });
    ASSERT_EQ(reports, (std::vector<int>{-1}));  // empty queue
    q.call([] {});
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_EQ(reports[1], 0);
    q.dispatch_once();
    EXPECT_EQ(reports.back(), -1);
    q.background(nullptr);
    EXPECT_EQ(reports.back(), -1);
}

TEST(EventQueue, EventObjectsPostWithArguments) {
    EventQueue q;
    std::vector<int> v;
    auto e = q.event(append, &v);  // Event<void(int)>
    e.post(1);
    e.call(2);
    e(3);
    Recorder r;
    auto m = q.event(&r, &Recorder::add);
    m.post(std::string("x"));
    auto lam = q.event([&v](int a) { v.push_back(a * 10); });
    lam.post(4);
    mbed::Callback<void(int)> as_callback = e;  // events convert to callbacks (e.g. for ISRs)
    as_callback(5);
    q.dispatch_once();
    EXPECT_EQ(v, (std::vector<int>{1, 2, 3, 40, 5}));
    EXPECT_EQ(r.order, (std::vector<std::string>{"x"}));

    e.delay(1h);
    e.post(6);
    EXPECT_TRUE(e.cancel());
    q.dispatch_once();
    EXPECT_EQ(v.size(), 5u);
}

TEST(EventQueue, DestructorStopsADispatchingThread) {
    auto q = std::make_unique<EventQueue>();
    rtos::Thread t;
    std::atomic<bool> started{false};
    t.start([&] { q->dispatch_forever(); });
    q->call([&] { started = true; });
    while (!started) {
        rtos::ThisThread::yield();
    }
    q.reset();  // wakes the dispatcher and waits for it to leave
    EXPECT_EQ(t.join(), osOK);
}

TEST(SharedEventQueue, RunsEventsOnItsOwnThread) {
    rtos::Semaphore done;
    osThreadId_t runner = nullptr;
    events::EventQueue *q = mbed::mbed_event_queue();
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q, mbed::mbed_event_queue());
    EXPECT_NE(q, mbed::mbed_highprio_event_queue());
    q->call([&] {
        runner = osThreadGetId();
        done.release();
    });
    done.acquire();
    EXPECT_NE(runner, osThreadGetId());
    mbed::mbed_highprio_event_queue()->call([&] { done.release(); });
    done.acquire();
}
