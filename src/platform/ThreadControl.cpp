#include "ThreadControl.h"

#include "rtos/Thread.h"

namespace meshwork::platform {

namespace {

bool flags_satisfied(uint32_t have, uint32_t want, uint32_t options) {
    if (options & osFlagsWaitAll) {
        return (have & want) == want;
    }
    return (have & want) != 0;
}

}  // namespace

uint32_t thread_flags_set(ThreadControl &tc, uint32_t flags) {
    if (flags & osFlagsError) {
        return osFlagsErrorParameter;
    }
    WaitGuard guard(tc.flags_lock);
    tc.flags |= flags;
    const uint32_t result = tc.flags;
    tc.flags_waiters.notify_all();
    return result;
}

uint32_t thread_flags_wait(uint32_t flags, uint32_t options, Instant deadline, bool poll) {
    if (flags & osFlagsError) {
        return osFlagsErrorParameter;
    }
    ThreadControl &tc = current_thread_control();
    BlockedState blocked(rtos::Thread::WaitingThreadFlag);
    WaitGuard guard(tc.flags_lock);
    auto ready = [&] { return flags_satisfied(tc.flags, flags, options); };
    bool ok = poll ? ready() : tc.flags_waiters.wait_until(guard, deadline, ready);
    if (!ok) {
        return poll ? osFlagsErrorResource : osFlagsErrorTimeout;
    }
    const uint32_t before = tc.flags;
    if (!(options & osFlagsNoClear)) {
        tc.flags &= ~flags;
    }
    return before;
}

}  // namespace meshwork::platform
