#include "rtos/ThisThread.h"

#include "ThreadControl.h"
#include "rtos/Thread.h"

namespace rtos::ThisThread {

using meshwork::platform::current_thread_control;
using meshwork::platform::deadline_after_ms;
using meshwork::platform::thread_flags_wait;

namespace {

meshwork::Instant to_instant(Kernel::Clock::time_point t) {
    return meshwork::Instant(std::chrono::duration_cast<meshwork::Duration>(t.time_since_epoch()));
}

// Timed waits report the current flags (not an error value) when they time out.
uint32_t timed_wait(uint32_t flags, uint32_t options, meshwork::Instant deadline, bool poll,
                    bool clear) {
    if (!clear) {
        options |= osFlagsNoClear;
    }
    const uint32_t result = thread_flags_wait(flags, options, deadline, poll);
    return (result & osFlagsError) ? flags_get() : result;
}

uint32_t wait_for_ms(uint32_t flags, uint32_t options, uint32_t ms, bool clear) {
    return timed_wait(flags, options, deadline_after_ms(ms), ms == 0, clear);
}

}  // namespace

uint32_t flags_clear(uint32_t flags) {
    return osThreadFlagsClear(flags);
}

uint32_t flags_get() {
    return osThreadFlagsGet();
}

uint32_t flags_wait_all(uint32_t flags, bool clear) {
    return timed_wait(flags, osFlagsWaitAll, meshwork::kNever, false, clear);
}

uint32_t flags_wait_any(uint32_t flags, bool clear) {
    return timed_wait(flags, osFlagsWaitAny, meshwork::kNever, false, clear);
}

uint32_t flags_wait_all_for(uint32_t flags, uint32_t millisec, bool clear) {
    return wait_for_ms(flags, osFlagsWaitAll, millisec, clear);
}

uint32_t flags_wait_all_for(uint32_t flags, Kernel::Clock::duration_u32 rel_time, bool clear) {
    return wait_for_ms(flags, osFlagsWaitAll, rel_time.count(), clear);
}

uint32_t flags_wait_all_until(uint32_t flags, uint64_t millisec, bool clear) {
    return flags_wait_all_until(flags, Kernel::Clock::time_point(Kernel::Clock::duration(millisec)),
                                clear);
}

uint32_t flags_wait_all_until(uint32_t flags, Kernel::Clock::time_point abs_time, bool clear) {
    return timed_wait(flags, osFlagsWaitAll, to_instant(abs_time), false, clear);
}

uint32_t flags_wait_any_for(uint32_t flags, uint32_t millisec, bool clear) {
    return wait_for_ms(flags, osFlagsWaitAny, millisec, clear);
}

uint32_t flags_wait_any_for(uint32_t flags, Kernel::Clock::duration_u32 rel_time, bool clear) {
    return wait_for_ms(flags, osFlagsWaitAny, rel_time.count(), clear);
}

uint32_t flags_wait_any_until(uint32_t flags, uint64_t millisec, bool clear) {
    return flags_wait_any_until(flags, Kernel::Clock::time_point(Kernel::Clock::duration(millisec)),
                                clear);
}

uint32_t flags_wait_any_until(uint32_t flags, Kernel::Clock::time_point abs_time, bool clear) {
    return timed_wait(flags, osFlagsWaitAny, to_instant(abs_time), false, clear);
}

void sleep_for(uint32_t millisec) {
    sleep_for(Kernel::Clock::duration_u32(millisec));
}

void sleep_for(Kernel::Clock::duration_u32 rel_time) {
    meshwork::platform::BlockedState blocked(Thread::WaitingDelay);
    meshwork::current_executor().sleep_until(deadline_after_ms(rel_time.count()));
}

void sleep_until(uint64_t millisec) {
    sleep_until(Kernel::Clock::time_point(Kernel::Clock::duration(millisec)));
}

void sleep_until(Kernel::Clock::time_point abs_time) {
    meshwork::platform::BlockedState blocked(Thread::WaitingDelay);
    meshwork::current_executor().sleep_until(to_instant(abs_time));
}

void yield() {
    meshwork::current_executor().yield();
}

osThreadId_t get_id() {
    return osThreadGetId();
}

const char *get_name() {
    return current_thread_control().name;
}

}  // namespace rtos::ThisThread
