#include "platform/mbed_critical.h"

#include <mutex>

#include "IsrContext.h"
#include "platform/mbed_assert.h"

namespace meshwork::platform {

namespace {
thread_local unsigned tls_critical_depth = 0;
thread_local bool tls_in_isr = false;

// Compatibility edge: one "interrupt mask" per process, deliberately leaked so it outlives
// every thread that may still enter a critical section during process exit.
std::recursive_mutex &critical_mutex() {
    static auto *m = new std::recursive_mutex;
    return *m;
}
}  // namespace

IsrContext::IsrContext() {
    core_util_critical_section_enter();
    previous_ = tls_in_isr;
    tls_in_isr = true;
}

IsrContext::~IsrContext() {
    tls_in_isr = previous_;
    core_util_critical_section_exit();
}

}  // namespace meshwork::platform

using namespace meshwork::platform;

extern "C" {

bool core_util_are_interrupts_enabled(void) {
    return tls_critical_depth == 0;
}

bool core_util_is_isr_active(void) {
    return tls_in_isr;
}

bool core_util_in_critical_section(void) {
    return tls_critical_depth != 0;
}

void core_util_critical_section_enter(void) {
    critical_mutex().lock();
    ++tls_critical_depth;
}

void core_util_critical_section_exit(void) {
    if (tls_critical_depth == 0) {
        mbed_assert_internal("critical section exit without enter", __FILE__, __LINE__);
    }
    --tls_critical_depth;
    critical_mutex().unlock();
}
}
