// The Mbed platform shim on simulated nodes: the same primitives the host tests exercise, run as
// fibers of a FiberExecutor in virtual time. Every wait ends at an exact virtual instant, an
// hour passes in microseconds of wall time, and a run of a thousand nodes repeats exactly.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/Random.h"
#include "drivers/Ticker.h"
#include "drivers/Timeout.h"
#include "drivers/Timer.h"
#include "events/EventQueue.h"
#include "events/mbed_shared_queues.h"
#include "platform/mbed_critical.h"
#include "platform/mbed_wait_api.h"
#include "rtos/ConditionVariable.h"
#include "rtos/EventFlags.h"
#include "rtos/Kernel.h"
#include "rtos/Mail.h"
#include "rtos/Mutex.h"
#include "rtos/Queue.h"
#include "rtos/Semaphore.h"
#include "rtos/ThisThread.h"
#include "rtos/Thread.h"
#include "sim/fiber/FiberExecutor.h"

using namespace std::chrono_literals;
using meshwork::Duration;
using meshwork::Instant;
using meshwork::sim::FiberExecutor;
using meshwork::sim::FiberOptions;
using meshwork::sim::Scheduler;

namespace {

Duration since_start() {
    return meshwork::current_executor().now().time_since_epoch();
}

// Runs `app` as the main fiber of one node until nothing is left to do; no deadlock allowed.
void run_node(const std::function<void()> &app) {
    Scheduler s;
    FiberExecutor ex(s, "node");
    ex.spawn(app, "main");
    s.run_until_idle();
    EXPECT_FALSE(ex.deadlock()) << *ex.deadlock();
    EXPECT_TRUE(ex.failures().empty());
}

// A queue at namespace scope, constructed before any executor exists (on the host).
events::EventQueue global_queue;

}  // namespace

TEST(FiberPlatform, ThreadsAreFibersAndJoinInVirtualTime) {
    run_node([] {
        std::vector<std::string> log;
        rtos::Thread a, b;
        a.start([&] {
            rtos::ThisThread::sleep_for(20ms);
            log.push_back("a@" + std::to_string(since_start().count()));
        });
        b.start([&] {
            rtos::ThisThread::sleep_for(10ms);
            log.push_back("b@" + std::to_string(since_start().count()));
        });
        EXPECT_EQ(a.join(), osOK);
        EXPECT_EQ(since_start(), 20ms);
        EXPECT_EQ(b.join(), osOK);
        EXPECT_EQ(a.get_state(), rtos::Thread::Deleted);
        EXPECT_EQ(log, (std::vector<std::string>{"b@10000", "a@20000"}));
    });
}

TEST(FiberPlatform, MutexHandOffAndOwner) {
    run_node([] {
        rtos::Mutex m;
        Duration got_it{};
        m.lock();
        rtos::Thread t;
        t.start([&] {
            EXPECT_FALSE(m.trylock());
            EXPECT_FALSE(m.trylock_for(5ms));  // times out in virtual time
            EXPECT_EQ(since_start(), 5ms);
            m.lock();  // handed over at 30 ms
            got_it = since_start();
            EXPECT_EQ(m.get_owner(), rtos::ThisThread::get_id());
            m.unlock();
        });
        rtos::ThisThread::sleep_for(30ms);
        EXPECT_EQ(m.get_owner(), rtos::ThisThread::get_id());
        m.unlock();
        t.join();
        EXPECT_EQ(got_it, 30ms);
        EXPECT_EQ(m.get_owner(), nullptr);
    });
}

TEST(FiberPlatform, ConditionVariablePingPongAlternates) {
    run_node([] {
        rtos::Mutex m;
        rtos::ConditionVariable cv(m);
        int turn = 0;
        std::string trace;
        auto player = [&](int me, char c) {
            for (int i = 0; i < 3; ++i) {
                m.lock();
                while (turn != me) {
                    cv.wait();
                }
                trace += c;
                turn = 1 - me;
                cv.notify_all();
                m.unlock();
            }
        };
        rtos::Thread ping, pong;
        ping.start([&] { player(0, 'i'); });
        pong.start([&] { player(1, 'o'); });
        ping.join();
        pong.join();
        EXPECT_EQ(trace, "ioioio");
    });
}

TEST(FiberPlatform, EventFlagTimeoutsEndAtTheExactVirtualInstant) {
    run_node([] {
        rtos::EventFlags ef;
        EXPECT_EQ(ef.wait_any_for(0x1, 100ms), osFlagsErrorTimeout);
        EXPECT_EQ(since_start(), 100ms);
        rtos::Thread setter;
        setter.start([&] {
            rtos::ThisThread::sleep_for(30ms);
            ef.set(0x3);
        });
        EXPECT_EQ(ef.wait_all_for(0x3, 1h), 0x3u);
        EXPECT_EQ(since_start(), 130ms);
        setter.join();
    });
}

TEST(FiberPlatform, CallEveryHasNoDriftInVirtualTime) {
    run_node([] {
        events::EventQueue q;
        std::vector<Duration> runs;
        q.call_every(10ms, [&] { runs.push_back(since_start()); });
        q.dispatch_for(1s);
        ASSERT_EQ(runs.size(), 100u);
        for (std::size_t i = 0; i < runs.size(); ++i) {
            EXPECT_EQ(runs[i], 10ms * static_cast<int>(i + 1));
        }
        EXPECT_EQ(since_start(), 1s);
    });
}

TEST(FiberPlatform, AVirtualHourOfSleepTakesMilliseconds) {
    const auto wall_start = std::chrono::steady_clock::now();  // only measures the test
    run_node([] {
        rtos::ThisThread::sleep_for(std::chrono::hours(1));
        EXPECT_EQ(since_start(), std::chrono::hours(1));
        EXPECT_EQ(rtos::Kernel::Clock::now().time_since_epoch(), std::chrono::hours(1));
        EXPECT_EQ(rtos::Kernel::get_ms_count(), 3600u * 1000u);
    });
    EXPECT_LT(std::chrono::steady_clock::now() - wall_start, 1s);
}

TEST(FiberPlatform, QueueMailAndSemaphoreBlockTheFiber) {
    run_node([] {
        rtos::Queue<int, 2> queue;
        rtos::Mail<int, 1> mail;
        rtos::Semaphore sem(0);
        int items[3] = {1, 2, 3};
        rtos::Thread producer;
        producer.start([&] {
            for (int &i : items) {
                EXPECT_TRUE(queue.try_put_for(1h, &i));  // the third waits for room
            }
            rtos::ThisThread::sleep_for(5ms);
            int *m = mail.try_alloc_for(1h);
            *m = 42;
            mail.put(m);
            sem.release();
        });
        int *got = nullptr;
        rtos::ThisThread::sleep_for(1ms);
        std::vector<int> seen;
        while (seen.size() < 3 && queue.try_get_for(1h, &got)) {
            seen.push_back(*got);
        }
        EXPECT_EQ(seen, (std::vector<int>{1, 2, 3}));
        EXPECT_FALSE(queue.try_get_for(2ms, &got));
        EXPECT_TRUE(sem.try_acquire_for(1h));
        EXPECT_EQ(since_start(), 6ms);
        int *m = mail.try_get_for(0s);
        ASSERT_NE(m, nullptr);
        EXPECT_EQ(*m, 42);
        mail.free(m);
        producer.join();
    });
}

// As on RTX: release() gives its token to the longest waiter, which owns it before it runs
// again; the releaser (or anyone asking next) cannot take it back.
TEST(FiberPlatform, SemaphoreReleaseHandsTheTokenToTheLongestWaiter) {
    run_node([] {
        rtos::Semaphore sem(0);
        std::vector<std::string> order;
        rtos::Thread a;
        rtos::Thread b;
        a.start([&] {
            sem.acquire();
            order.push_back("a");
        });
        b.start([&] {
            EXPECT_TRUE(sem.try_acquire_for(1h));
            order.push_back("b");
        });
        rtos::ThisThread::yield();  // both block
        EXPECT_EQ(a.get_state(), rtos::Thread::WaitingSemaphore);
        EXPECT_EQ(b.get_state(), rtos::Thread::WaitingSemaphore);
        EXPECT_EQ(sem.release(), osOK);
        EXPECT_FALSE(sem.try_acquire());  // a's, though a has not run yet
        EXPECT_EQ(sem.release(), osOK);
        EXPECT_FALSE(sem.try_acquire());  // b's
        EXPECT_EQ(sem.release(), osOK);   // nobody waits: counted
        a.join();
        b.join();
        EXPECT_EQ(order, (std::vector<std::string>{"a", "b"}));
        EXPECT_EQ(since_start(), 0ms);  // b's timed wait ended by the hand-off, not the timeout
        EXPECT_TRUE(sem.try_acquire());
        EXPECT_FALSE(sem.try_acquire());
    });
}

// A token handed to a fiber that never runs again (its executor is destroyed first) is not
// lost: the fiber unwinds out of its wait and the token goes back to the semaphore.
TEST(FiberPlatform, ATokenHandedToACancelledFiberGoesBack) {
    rtos::Semaphore sem(0);
    {
        Scheduler s;
        FiberExecutor ex(s, "node");
        ex.spawn(
            [&] {
                sem.acquire();
                ADD_FAILURE() << "the waiter ran after its cancellation";
            },
            "waiter");
        s.step();                         // the waiter blocks
        EXPECT_EQ(sem.release(), osOK);   // from the scheduler's side: handed to the waiter
        EXPECT_FALSE(sem.try_acquire());  // ... which owns it
    }
    EXPECT_TRUE(sem.try_acquire());
    EXPECT_FALSE(sem.try_acquire());
}

TEST(FiberPlatform, TickerTimeoutTimerAndWaitUsFollowVirtualTime) {
    run_node([] {
        int ticks = 0;
        bool in_isr = false;
        Duration timeout_at{};
        mbed::Ticker ticker;
        mbed::Timeout timeout;
        mbed::Timer timer;
        timer.start();
        ticker.attach(
            [&] {
                ++ticks;
                in_isr = core_util_is_isr_active();
            },
            10ms);
        timeout.attach([&] { timeout_at = since_start(); }, 35ms);
        wait_us(1500);
        EXPECT_EQ(since_start(), 1500us);
        wait_us(105000 - 1500);
        ticker.detach();
        EXPECT_EQ(ticks, 10);
        EXPECT_TRUE(in_isr);
        EXPECT_EQ(timeout_at, 35ms);
        EXPECT_EQ(timer.elapsed_time(), 105ms);
    });
}

TEST(FiberPlatform, ThreadFlagsBetweenFibers) {
    run_node([] {
        rtos::Thread waiter;
        uint32_t got = 0;
        Duration at{};
        waiter.start([&] {
            got = rtos::ThisThread::flags_wait_all(0x5);
            at = since_start();
        });
        rtos::ThisThread::sleep_for(7ms);
        waiter.flags_set(0x1);
        rtos::ThisThread::sleep_for(7ms);
        waiter.flags_set(0x4);
        waiter.join();
        EXPECT_EQ(got, 0x5u);
        EXPECT_EQ(at, 14ms);
    });
}

TEST(FiberPlatform, AGlobalEventQueueRunsOnTheExecutorThatUsesIt) {
    run_node([] {
        bool ran = false;
        global_queue.call_in(1h, [&] { ran = true; });
        global_queue.dispatch_for(2h);
        EXPECT_TRUE(ran);
        EXPECT_EQ(since_start(), 2h);
    });
}

TEST(FiberPlatform, EachNodeHasItsOwnSharedQueues) {
    Scheduler s;
    std::vector<std::unique_ptr<FiberExecutor>> nodes;
    std::vector<events::EventQueue *> queues(2, nullptr);
    std::vector<Duration> ran(2);
    for (int i = 0; i < 2; ++i) {
        nodes.push_back(std::make_unique<FiberExecutor>(s, "n" + std::to_string(i)));
        nodes.back()->spawn(
            [&, i] {
                queues[i] = mbed::mbed_event_queue();
                queues[i]->call_in(10ms * (i + 1), [&, i] { ran[i] = since_start(); });
            },
            "main");
    }
    s.run_for(1s);
    EXPECT_NE(queues[0], queues[1]);
    EXPECT_EQ(ran[0], 10ms);
    EXPECT_EQ(ran[1], 20ms);
    nodes.clear();  // releases each node's shared queue (its dispatcher fiber is cancelled)
}

namespace {

// One node of the thousand: its main thread and a worker hand a mutex back and forth, the
// worker dispatches an EventQueue the main thread posts to, both sleep for node-specific
// times. Returns, in order, "node:time" as each node finishes.
std::vector<std::string> thousand_nodes(std::uint64_t seed) {
    Scheduler s;
    std::vector<std::string> finished;
    std::vector<std::unique_ptr<FiberExecutor>> nodes;
    FiberOptions small;
    small.stack_size = 32 * 1024;
    for (int n = 0; n < 1000; ++n) {
        nodes.push_back(std::make_unique<FiberExecutor>(s, std::to_string(n), small));
        nodes.back()->spawn(
            [&finished, n, seed] {
                meshwork::SeededRandom random(seed, static_cast<std::uint64_t>(n));
                rtos::Mutex m;
                events::EventQueue q;
                int counter = 0;
                rtos::Thread worker;
                worker.start([&] {
                    for (int i = 0; i < 3; ++i) {
                        m.lock();
                        ++counter;
                        rtos::ThisThread::sleep_for(
                            std::chrono::milliseconds(1 + random.uniform(5)));
                        m.unlock();
                    }
                    q.dispatch_for(50ms);
                });
                for (int i = 0; i < 3; ++i) {
                    rtos::ThisThread::sleep_for(std::chrono::milliseconds(random.uniform(4)));
                    m.lock();
                    ++counter;
                    m.unlock();
                    q.call_in(std::chrono::milliseconds(random.uniform(20)), [&] { ++counter; });
                }
                worker.join();
                if (counter == 9) {
                    finished.push_back(std::to_string(n) + ":" +
                                       std::to_string(since_start().count()));
                }
            },
            "main");
    }
    s.run_until_idle();
    for (const auto &node : nodes) {
        EXPECT_FALSE(node->deadlock());
    }
    return finished;
}

}  // namespace

TEST(FiberPlatform, AThousandNodesFinishInTheSameOrderEveryRun) {
    const std::vector<std::string> first = thousand_nodes(7);
    ASSERT_EQ(first.size(), 1000u);
    EXPECT_EQ(thousand_nodes(7), first);
    // The order is decided by virtual time, not by creation order, and by the seed.
    std::vector<std::string> by_creation;
    for (const std::string &f : first) {
        by_creation.push_back(f.substr(0, f.find(':')));
    }
    std::vector<std::string> creation;
    for (int n = 0; n < 1000; ++n) {
        creation.push_back(std::to_string(n));
    }
    EXPECT_NE(by_creation, creation);
    EXPECT_NE(thousand_nodes(8), first);
}

namespace {

// A thousand nodes whose fibers hand off to each other many times per instant (the executor's
// direct fiber-to-fiber path): on each node a semaphore ping-pong, a mutex passed around three
// threads, yields between the hand-offs, an EventQueue fed from the threads and sleeps of
// seeded lengths. Every step of every fiber is logged as "node.fiber.step@time", all nodes into
// one log, so the log fixes the interleaving within and across nodes.
std::vector<std::string> hand_off_log(std::uint64_t seed) {
    Scheduler s;
    std::vector<std::string> log;
    std::vector<std::unique_ptr<FiberExecutor>> nodes;
    FiberOptions small;
    small.stack_size = 32 * 1024;
    for (int n = 0; n < 1000; ++n) {
        nodes.push_back(std::make_unique<FiberExecutor>(s, std::to_string(n), small));
        nodes.back()->spawn(
            [&log, n, seed] {
                meshwork::SeededRandom random(seed, static_cast<std::uint64_t>(n));
                const auto note = [&log, n](const char *fiber, int step) {
                    log.push_back(std::to_string(n) + "." + fiber + "." + std::to_string(step) +
                                  "@" + std::to_string(since_start().count()));
                };
                rtos::Semaphore to_ping(0), to_pong(0);
                rtos::Mutex m;
                events::EventQueue q;
                rtos::Thread ping, pong, third;
                ping.start([&] {
                    for (int i = 0; i < 4; ++i) {
                        to_ping.acquire();
                        note("ping", i);
                        to_pong.release();
                        if (i == 1) {
                            rtos::ThisThread::yield();
                        }
                    }
                });
                pong.start([&] {
                    for (int i = 0; i < 4; ++i) {
                        to_ping.release();
                        to_pong.acquire();
                        note("pong", i);
                    }
                    rtos::ThisThread::sleep_for(std::chrono::milliseconds(random.uniform(3)));
                    q.call([&] { note("event", 0); });
                });
                third.start([&] {
                    for (int i = 0; i < 3; ++i) {
                        m.lock();
                        note("third", i);
                        rtos::ThisThread::yield();
                        m.unlock();
                    }
                    q.call_in(std::chrono::milliseconds(1 + random.uniform(3)),
                              [&] { note("event", 1); });
                });
                for (int i = 0; i < 3; ++i) {
                    m.lock();
                    note("main", i);
                    m.unlock();
                    rtos::ThisThread::sleep_for(std::chrono::milliseconds(random.uniform(2)));
                }
                ping.join();
                pong.join();
                third.join();
                q.dispatch_for(10ms);
                note("main", 9);
            },
            "main");
    }
    s.run_until_idle();
    for (const auto &node : nodes) {
        EXPECT_FALSE(node->deadlock());
    }
    return log;
}

}  // namespace

TEST(FiberPlatform, AThousandNodesHandingOffAtOneInstantRepeatExactly) {
    const std::vector<std::string> first = hand_off_log(7);
    // 4 ping, 4 pong, 3 third, 4 main steps and 2 events per node.
    ASSERT_EQ(first.size(), 17u * 1000u);
    EXPECT_EQ(hand_off_log(7), first);
    EXPECT_NE(hand_off_log(8), first);
    // Within a node at one instant the ping-pong alternates strictly and every step is logged.
    std::vector<std::string> node0;
    for (const std::string &line : first) {
        if (line.rfind("0.p", 0) == 0) {
            node0.push_back(line.substr(0, line.find('@')));
        }
    }
    EXPECT_EQ(node0, (std::vector<std::string>{"0.ping.0", "0.pong.0", "0.ping.1", "0.pong.1",
                                               "0.ping.2", "0.pong.2", "0.ping.3", "0.pong.3"}));
    // A digest of the whole log, printed for comparing two implementations of the executor.
    std::uint64_t digest = 14695981039346656037ull;
    for (const std::string &line : first) {
        for (const char c : line + "\n") {
            digest = (digest ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        }
    }
    std::printf("hand-off log digest %016llx\n", static_cast<unsigned long long>(digest));
}
