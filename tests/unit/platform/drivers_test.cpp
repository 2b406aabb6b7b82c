#include <gtest/gtest.h>

#include <atomic>

#include "drivers/DigitalOut.h"
#include "drivers/InterruptIn.h"
#include "drivers/Ticker.h"
#include "drivers/Timeout.h"
#include "drivers/Timer.h"
#include "platform/mbed_critical.h"
#include "platform/mbed_wait_api.h"
#include "rtos/Semaphore.h"
#include "rtos/ThisThread.h"

using namespace std::chrono_literals;

TEST(Timer, MeasuresOnlyWhileRunning) {
    mbed::Timer t;
    EXPECT_EQ(t.elapsed_time(), 0us);
    t.start();
    wait_us(2000);
    t.stop();
    const auto first = t.elapsed_time();
    EXPECT_GE(first, 2ms);
    wait_us(1000);
    EXPECT_EQ(t.elapsed_time(), first);  // stopped
    EXPECT_EQ(t.read_us(), static_cast<int>(first.count()));
    EXPECT_EQ(t.read_ms(), static_cast<int>(first.count() / 1000));
    t.reset();
    EXPECT_EQ(t.elapsed_time(), 0us);
    EXPECT_EQ(t.read(), 0.0f);
}

TEST(Ticker, CounterReachesN) {
    mbed::Ticker ticker;
    std::atomic<int> count{0};
    rtos::Semaphore reached;
    std::atomic<bool> was_isr{false};
    ticker.attach(
        [&] {
            was_isr = core_util_is_isr_active();
            if (++count == 5) {
                reached.release();
            }
        },
        1ms);
    reached.acquire();
    ticker.detach();
    const int after_detach = count;
    EXPECT_GE(after_detach, 5);
    wait_us(5000);
    EXPECT_EQ(count, after_detach);  // no call after detach() returned
    EXPECT_TRUE(was_isr);
}

TEST(Ticker, DeprecatedFloatAndMicrosecondForms) {
    mbed::Ticker ticker;
    rtos::Semaphore hit;
    ticker.attach([&] { hit.release(); }, 0.001f);
    hit.acquire();
    ticker.attach_us([&] { hit.release(); }, 1000);
    hit.acquire();
    hit.acquire();  // periodic
    ticker.detach();
}

TEST(Timeout, FiresOnceAndCanReattachFromItsCallback) {
    mbed::Timeout timeout;
    std::atomic<int> fired{0};
    rtos::Semaphore done;
    mbed::Callback<void()> again;
    again = [&] {
        if (++fired < 3) {
            timeout.attach(again, 1ms);  // re-arm from "interrupt context"
        } else {
            done.release();
        }
    };
    timeout.attach(again, 1ms);
    done.acquire();
    wait_us(5000);
    EXPECT_EQ(fired, 3);
    EXPECT_EQ(timeout.remaining_time(), 0us);
}

TEST(Timeout, DetachBeforeDeadlineCancels) {
    std::atomic<int> fired{0};
    {
        mbed::Timeout timeout;
        timeout.attach([&] { ++fired; }, 1h);
        EXPECT_GT(timeout.remaining_time(), 59min);
        timeout.detach();
        EXPECT_EQ(timeout.remaining_time(), 0us);
    }
    EXPECT_EQ(fired, 0);
}

TEST(Critical, SectionsNestAndExcludeTimerCallbacks) {
    EXPECT_FALSE(core_util_in_critical_section());
    EXPECT_TRUE(core_util_are_interrupts_enabled());
    core_util_critical_section_enter();
    core_util_critical_section_enter();
    EXPECT_TRUE(core_util_in_critical_section());
    EXPECT_FALSE(core_util_are_interrupts_enabled());
    core_util_critical_section_exit();
    EXPECT_TRUE(core_util_in_critical_section());
    core_util_critical_section_exit();
    EXPECT_FALSE(core_util_in_critical_section());
    EXPECT_FALSE(core_util_is_isr_active());

    // While this thread is in a critical section, a due Timeout cannot run.
    std::atomic<int> fired{0};
    mbed::Timeout timeout;
    core_util_critical_section_enter();
    timeout.attach([&] { ++fired; }, 1ms);
    wait_us(5000);
    EXPECT_EQ(fired, 0);
    core_util_critical_section_exit();
    while (fired == 0) {
        rtos::ThisThread::yield();
    }
}

TEST(Atomic, Helpers) {
    core_util_atomic_flag flag = CORE_UTIL_ATOMIC_FLAG_INIT;
    EXPECT_FALSE(core_util_atomic_flag_test_and_set(&flag));
    EXPECT_TRUE(core_util_atomic_flag_test_and_set(&flag));
    core_util_atomic_flag_clear(&flag);
    EXPECT_FALSE(core_util_atomic_flag_test_and_set(&flag));
    volatile uint32_t v = 5;
    EXPECT_EQ(core_util_atomic_incr_u32(&v, 2), 7u);
    EXPECT_EQ(core_util_atomic_decr_u32(&v, 1), 6u);
    EXPECT_EQ(core_util_atomic_fetch_add_u32(&v, 4), 6u);
    uint32_t expected = 10;
    EXPECT_TRUE(core_util_atomic_cas_u32(&v, &expected, 1));
    EXPECT_EQ(core_util_atomic_load_u32(&v), 1u);
    int x = 0;
    void *volatile p = nullptr;
    EXPECT_EQ(core_util_atomic_exchange_ptr(&p, &x), nullptr);
    EXPECT_EQ(core_util_atomic_load_ptr(&p), &x);
}

TEST(DigitalIo, InMemoryDummies) {
    mbed::DigitalOut led(LED1, 1);
    EXPECT_EQ(led.read(), 1);
    led = 0;
    EXPECT_EQ(static_cast<int>(led), 0);
    led = !led;
    EXPECT_EQ(led.read(), 1);
    EXPECT_TRUE(led.is_connected());
    mbed::DigitalOut nc(NC);
    EXPECT_FALSE(nc.is_connected());
    mbed::DigitalIn button(BUTTON1, PullUp);
    EXPECT_EQ(button.read(), 1);
    mbed::InterruptIn irq(SW2);
    irq.mode(PullDown);
    irq.fall([] {});
    irq.rise([] {});
    EXPECT_EQ(irq.read(), 0);
}
