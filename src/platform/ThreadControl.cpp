#include "ThreadControl.h"

#include <memory>

#include "rtos/Thread.h"

namespace meshwork::platform {

namespace detail {
__thread ThreadControl *tls_control __attribute__((tls_model("initial-exec"))) = nullptr;
}  // namespace detail

using detail::tls_control;

namespace {

thread_local std::unique_ptr<ThreadControl> tls_owned_control;

bool flags_satisfied(uint32_t have, uint32_t want, uint32_t options) {
    if (options & osFlagsWaitAll) {
        return (have & want) == want;
    }
    return (have & want) != 0;
}

}  // namespace

ThreadControl &detail::create_thread_control() {
    tls_owned_control = std::make_unique<ThreadControl>();
    tls_owned_control->runtime = &current_runtime();
    tls_control = tls_owned_control.get();
    return *tls_control;
}

void bind_current_thread(ThreadControl *tc) {
    tls_control = tc;
}

BlockedState::BlockedState(int state)
    : tc_(current_thread_control()), previous_(tc_.state.exchange(state)) {}

BlockedState::~BlockedState() {
    tc_.state = previous_;
}

uint32_t thread_flags_set(ThreadControl &tc, uint32_t flags) {
    if (flags & osFlagsError) {
        return osFlagsErrorParameter;
    }
    std::lock_guard<std::mutex> lock(tc.mutex);
    tc.flags |= flags;
    const uint32_t result = tc.flags;
    tc.runtime->notify_all(tc.cv);
    return result;
}

uint32_t thread_flags_wait(uint32_t flags, uint32_t options, Instant deadline, bool poll) {
    if (flags & osFlagsError) {
        return osFlagsErrorParameter;
    }
    ThreadControl &tc = current_thread_control();
    BlockedState blocked(rtos::Thread::WaitingThreadFlag);
    std::unique_lock<std::mutex> lock(tc.mutex);
    tc.runtime = &current_runtime();
    auto ready = [&] { return flags_satisfied(tc.flags, flags, options); };
    bool ok = poll ? ready() : wait_until_pred(*tc.runtime, tc.cv, lock, deadline, ready);
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
