#include "platform/mbed_critical.h"

#include "IsrContext.h"
#include "meshwork/Executor.h"
#include "platform/mbed_assert.h"

// The depth and the interrupt flag belong to the task; the exclusion to its executor (a
// process-wide recursive lock on the host, nothing to do for fibers of one OS thread).

namespace meshwork::platform {

IsrContext::IsrContext() {
    core_util_critical_section_enter();
    Task &t = current_task();
    previous_ = t.in_isr;
    t.in_isr = true;
}

IsrContext::~IsrContext() {
    current_task().in_isr = previous_;
    core_util_critical_section_exit();
}

}  // namespace meshwork::platform

using meshwork::current_task;

extern "C" {

bool core_util_are_interrupts_enabled(void) {
    return current_task().critical_depth == 0;
}

bool core_util_is_isr_active(void) {
    return current_task().in_isr;
}

bool core_util_in_critical_section(void) {
    return current_task().critical_depth != 0;
}

void core_util_critical_section_enter(void) {
    meshwork::Task &t = current_task();
    t.executor->critical_enter();
    ++t.critical_depth;
}

void core_util_critical_section_exit(void) {
    meshwork::Task &t = current_task();
    if (t.critical_depth == 0) {
        mbed_assert_internal("critical section exit without enter", __FILE__, __LINE__);
    }
    --t.critical_depth;
    t.executor->critical_exit();
}
}
