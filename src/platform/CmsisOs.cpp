// The CMSIS-RTOS2 calls applications use, and the CMSIS-RTOS1 signal calls mapped onto thread
// flags (signals are thread flags 0..30).
#include "rtos/Thread.h"

#include "ThreadControl.h"
#include "rtos/cmsis_os.h"
#include "rtos/cmsis_os2.h"

using namespace meshwork;
using namespace meshwork::platform;

namespace {
constexpr uint32_t kAllSignals = 0x7FFFFFFFu;
}

extern "C" {

osThreadId_t osThreadGetId(void) {
    return thread_id(current_thread_control());
}

uint32_t osThreadFlagsSet(osThreadId_t thread_id, uint32_t flags) {
    if (thread_id == nullptr) {
        return osFlagsErrorParameter;
    }
    return thread_flags_set(*from_thread_id(thread_id), flags);
}

uint32_t osThreadFlagsClear(uint32_t flags) {
    if (flags & osFlagsError) {
        return osFlagsErrorParameter;
    }
    ThreadControl &tc = current_thread_control();
    std::lock_guard<meshwork::WaitLock> lock(tc.flags_lock);
    const uint32_t before = tc.flags;
    tc.flags &= ~flags;
    return before;
}

uint32_t osThreadFlagsGet(void) {
    ThreadControl &tc = current_thread_control();
    std::lock_guard<meshwork::WaitLock> lock(tc.flags_lock);
    return tc.flags;
}

uint32_t osThreadFlagsWait(uint32_t flags, uint32_t options, uint32_t timeout) {
    return thread_flags_wait(flags, options, deadline_after_ms(timeout), timeout == 0);
}

osStatus_t osThreadYield(void) {
    meshwork::current_executor().yield();
    return osOK;
}

osStatus_t osDelay(uint32_t ticks) {
    meshwork::platform::BlockedState blocked(rtos::Thread::WaitingDelay);
    meshwork::current_executor().sleep_until(deadline_after_ms(ticks));
    return osOK;
}

uint32_t osKernelGetTickCount(void) {
    return static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     meshwork::current_executor().now().time_since_epoch())
                                     .count());
}

uint32_t osKernelGetTickFreq(void) {
    return 1000;
}

int32_t osSignalSet(osThreadId thread_id, int32_t signals) {
    const uint32_t after = osThreadFlagsSet(thread_id, static_cast<uint32_t>(signals));
    if (after & osFlagsError) {
        return static_cast<int32_t>(0x80000000u);
    }
    return static_cast<int32_t>(after & ~static_cast<uint32_t>(signals));
}

int32_t osSignalClear(osThreadId thread_id, int32_t signals) {
    if (thread_id == nullptr || (static_cast<uint32_t>(signals) & osFlagsError)) {
        return static_cast<int32_t>(0x80000000u);
    }
    ThreadControl &tc = *from_thread_id(thread_id);
    std::lock_guard<meshwork::WaitLock> lock(tc.flags_lock);
    const uint32_t before = tc.flags;
    tc.flags &= ~static_cast<uint32_t>(signals);
    return static_cast<int32_t>(before);
}

osEvent osSignalWait(int32_t signals, uint32_t millisec) {
    osEvent event{};
    const uint32_t flags =
        signals != 0 ? osThreadFlagsWait(static_cast<uint32_t>(signals), osFlagsWaitAll, millisec)
                     : osThreadFlagsWait(kAllSignals, osFlagsWaitAny, millisec);
    if (!(flags & osFlagsError)) {
        event.status = osEventSignal;
        event.value.signals = static_cast<int32_t>(flags);
        return event;
    }
    switch (flags) {
        case osFlagsErrorResource:
            event.status = osOK;
            break;
        case osFlagsErrorTimeout:
            event.status = osEventTimeout;
            break;
        case osFlagsErrorISR:
            event.status = osErrorISR;
            break;
        default:
            event.status = osErrorValue;
            break;
    }
    event.value.signals = 0;
    return event;
}
}
