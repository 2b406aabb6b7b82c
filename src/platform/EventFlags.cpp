#include "rtos/EventFlags.h"

#include "ThreadControl.h"
#include "rtos/Thread.h"
#include "rtos/Thread.h"

namespace rtos {

using meshwork::platform::deadline_after_ms;

namespace {

meshwork::Instant to_instant(Kernel::Clock::time_point t) {
    return meshwork::Instant(std::chrono::duration_cast<meshwork::Duration>(t.time_since_epoch()));
}

}  // namespace

EventFlags::EventFlags() : EventFlags(nullptr) {}

EventFlags::EventFlags(const char *name) : name_(name) {}

EventFlags::~EventFlags() = default;

uint32_t EventFlags::set(uint32_t flags) {
    if (flags & osFlagsError) {
        return osFlagsErrorParameter;
    }
    std::lock_guard<meshwork::WaitLock> lock(lock_);
    flags_ |= flags;
    waiting_.notify_all();
    return flags_;
}

uint32_t EventFlags::clear(uint32_t flags) {
    if (flags & osFlagsError) {
        return osFlagsErrorParameter;
    }
    std::lock_guard<meshwork::WaitLock> lock(lock_);
    const uint32_t before = flags_;
    flags_ &= ~flags;
    return before;
}

uint32_t EventFlags::get() const {
    std::lock_guard<meshwork::WaitLock> lock(lock_);
    return flags_;
}

uint32_t EventFlags::wait(uint32_t flags, uint32_t options, meshwork::Instant deadline,
                          bool zero_timeout) {
    if (flags & osFlagsError) {
        return osFlagsErrorParameter;
    }
    meshwork::WaitGuard lock(lock_);
    auto ready = [&] {
        return (options & osFlagsWaitAll) ? (flags_ & flags) == flags : (flags_ & flags) != 0;
    };
    bool ok = ready();
    if (!ok && !zero_timeout) {
        meshwork::platform::BlockedState blocked(Thread::WaitingEventFlag);
        ok = waiting_.wait_until(lock, deadline, ready);
    }
    if (!ok) {
        return zero_timeout ? osFlagsErrorResource : osFlagsErrorTimeout;
    }
    const uint32_t before = flags_;
    if (!(options & osFlagsNoClear)) {
        flags_ &= ~flags;
    }
    return before;
}

uint32_t EventFlags::wait_ms(uint32_t flags, uint32_t options, uint32_t millisec, bool clear) {
    return wait(flags, options | (clear ? 0 : osFlagsNoClear), deadline_after_ms(millisec),
                millisec == 0);
}

uint32_t EventFlags::wait_until_time(uint32_t flags, uint32_t options,
                                     Kernel::Clock::time_point abs_time, bool clear) {
    return wait(flags, options | (clear ? 0 : osFlagsNoClear), to_instant(abs_time),
                to_instant(abs_time) <= meshwork::platform::now());  // reached: a poll, as 0 ms
}

uint32_t EventFlags::wait_all(uint32_t flags, uint32_t millisec, bool clear) {
    return wait_ms(flags, osFlagsWaitAll, millisec, clear);
}

uint32_t EventFlags::wait_all_for(uint32_t flags, Kernel::Clock::duration_u32 rel_time,
                                  bool clear) {
    return wait_ms(flags, osFlagsWaitAll, rel_time.count(), clear);
}

uint32_t EventFlags::wait_all_until(uint32_t flags, Kernel::Clock::time_point abs_time,
                                    bool clear) {
    return wait_until_time(flags, osFlagsWaitAll, abs_time, clear);
}

uint32_t EventFlags::wait_any(uint32_t flags, uint32_t millisec, bool clear) {
    return wait_ms(flags, osFlagsWaitAny, millisec, clear);
}

uint32_t EventFlags::wait_any_for(uint32_t flags, Kernel::Clock::duration_u32 rel_time,
                                  bool clear) {
    return wait_ms(flags, osFlagsWaitAny, rel_time.count(), clear);
}

uint32_t EventFlags::wait_any_until(uint32_t flags, Kernel::Clock::time_point abs_time,
                                    bool clear) {
    return wait_until_time(flags, osFlagsWaitAny, abs_time, clear);
}

}  // namespace rtos
