#include "platform/mbed_critical.h"

#include "IsrContext.h"
#include "meshwork/Executor.h"
#include "meshwork/sim/NodeContext.h"
#include "platform/mbed_assert.h"

// The depth belongs to the device: a simulated node's is its context's `critical_depth` (every
// task of the node sees the node's "interrupts off", as on Mbed), the host's is per task (the
// host lock excludes every other thread while it is held). The interrupt flag belongs to the
// task; the exclusion to its executor (a process-wide recursive lock on the host, nothing to do
// for fibers of one OS thread).

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

namespace {

// The nesting counter of the running task's device.
template <class F>
auto with_depth(meshwork::Task &t, F f) {
    if (t.node != nullptr) {
        return f(t.node->critical_depth);
    }
    return f(t.critical_depth);
}

}  // namespace

extern "C" {

bool core_util_are_interrupts_enabled(void) {
    return with_depth(current_task(), [](const auto &depth) { return depth == 0; });
}

bool core_util_is_isr_active(void) {
    return current_task().in_isr;
}

bool core_util_in_critical_section(void) {
    return with_depth(current_task(), [](const auto &depth) { return depth != 0; });
}

void core_util_critical_section_enter(void) {
    meshwork::Task &t = current_task();
    t.executor->critical_enter();
    with_depth(t, [](auto &depth) { ++depth; });
}

void core_util_critical_section_exit(void) {
    meshwork::Task &t = current_task();
    with_depth(t, [](auto &depth) {
        if (depth == 0) {
            mbed_assert_internal("critical section exit without enter", __FILE__, __LINE__);
        }
        --depth;
    });
    t.executor->critical_exit();
}
}
