#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "rtos/EventFlags.h"
#include "rtos/Kernel.h"
#include "rtos/Mutex.h"
#include "rtos/cmsis_os.h"

using namespace std::chrono_literals;

TEST(Mutex, RecursiveAndOwner) {
    rtos::Mutex m;
    EXPECT_EQ(m.get_owner(), nullptr);
    m.lock();
    m.lock();
    EXPECT_EQ(m.get_owner(), osThreadGetId());
    EXPECT_TRUE(m.trylock());
    m.unlock();
    m.unlock();
    EXPECT_EQ(m.get_owner(), osThreadGetId());
    m.unlock();
    EXPECT_EQ(m.get_owner(), nullptr);
}

TEST(Mutex, TrylockForFailsWhileAnotherThreadOwns) {
    rtos::Mutex m;
    std::atomic<bool> locked{false};
    std::atomic<bool> release{false};
    std::thread owner([&] {
        m.lock();
        locked = true;
        while (!release) {
            std::this_thread::yield();
        }
        m.unlock();
    });
    while (!locked) {
        std::this_thread::yield();
    }
    EXPECT_FALSE(m.trylock());
    EXPECT_FALSE(m.trylock_for(10ms));
    EXPECT_FALSE(m.trylock_for(5));
    release = true;
    EXPECT_TRUE(m.trylock_for(rtos::Kernel::wait_for_u32_forever));
    m.unlock();
    owner.join();
}

TEST(EventFlags, SetClearGet) {
    rtos::EventFlags ef;
    EXPECT_EQ(ef.set(0x1), 0x1u);
    EXPECT_EQ(ef.set(0x4), 0x5u);
    EXPECT_EQ(ef.get(), 0x5u);
    EXPECT_EQ(ef.clear(0x1), 0x5u);
    EXPECT_EQ(ef.get(), 0x4u);
    EXPECT_EQ(ef.clear(), 0x4u);
    EXPECT_EQ(ef.get(), 0u);
    EXPECT_EQ(ef.set(0x80000000u), osFlagsErrorParameter);
}

TEST(EventFlags, WaitAnyAndAllClearOnlyRequestedFlags) {
    rtos::EventFlags ef;
    ef.set(0x3);
    EXPECT_EQ(ef.wait_any(0x1), 0x3u);  // returns the flags before clearing
    EXPECT_EQ(ef.get(), 0x2u);
    ef.set(0x5);
    EXPECT_EQ(ef.wait_all(0x6, osWaitForever, false), 0x7u);
    EXPECT_EQ(ef.get(), 0x7u);
    EXPECT_EQ(ef.wait_all(0x6), 0x7u);
    EXPECT_EQ(ef.get(), 0x1u);
}

TEST(EventFlags, TimeoutsReturnErrorValues) {
    rtos::EventFlags ef;
    ef.set(0x1);
    const uint32_t r = ef.wait_any(0x2, 5);
    EXPECT_TRUE(r & osFlagsError);
    EXPECT_EQ(r, osFlagsErrorTimeout);
    EXPECT_EQ(ef.wait_all(0x3, 0), osFlagsErrorResource);
    EXPECT_EQ(ef.wait_any_for(0x2, 1ms), osFlagsErrorTimeout);
    EXPECT_EQ(ef.wait_all_until(0x2, rtos::Kernel::Clock::now() + 2ms), osFlagsErrorTimeout);
    EXPECT_EQ(ef.get(), 0x1u);
}

TEST(EventFlags, WaitWakesOnSetFromAnotherThread) {
    rtos::EventFlags ef;
    std::thread setter([&] { ef.set(0x10); });
    EXPECT_EQ(ef.wait_any(0x10), 0x10u);
    setter.join();
    std::thread setter2([&] {
        ef.set(0x1);
        ef.set(0x2);
    });
    EXPECT_EQ(ef.wait_all(0x3) & 0x3u, 0x3u);
    setter2.join();
}

TEST(Kernel, ClockIsMonotonic) {
    auto a = rtos::Kernel::Clock::now();
    auto b = rtos::Kernel::Clock::now();
    EXPECT_LE(a, b);
    EXPECT_GE(rtos::Kernel::get_ms_count(), static_cast<uint64_t>(a.time_since_epoch().count()));
}

TEST(Signals, SetAndWait) {
    osThreadId main_id = osThreadGetId();
    std::thread t([main_id] { osSignalSet(main_id, 0x3); });
    osEvent ev = osSignalWait(0x3, osWaitForever);
    t.join();
    EXPECT_EQ(ev.status, osEventSignal);
    EXPECT_EQ(ev.value.signals & 0x3, 0x3);
    EXPECT_EQ(osSignalWait(0x1, 2).status, osEventTimeout);
    EXPECT_EQ(osSignalWait(0x1, 0).status, osOK);
    EXPECT_EQ(osSignalSet(osThreadGetId(), 0x4), 0);
    EXPECT_EQ(osSignalSet(osThreadGetId(), 0x8), 0x4);
    ev = osSignalWait(0, 0);
    EXPECT_EQ(ev.status, osEventSignal);
    EXPECT_EQ(ev.value.signals, 0xC);
}
