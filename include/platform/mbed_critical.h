// Critical sections. A host process cannot mask interrupts, so a critical section is a
// process-wide recursive lock: the timer thread that runs Ticker/Timeout callbacks (the shim's
// "interrupt context") takes it around each callback, so code inside a critical section is not
// interrupted by them, as on Mbed. Keep critical sections short and never block inside one.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "platform/mbed_atomic.h"

#ifdef __cplusplus
extern "C" {
#endif

/// False inside a critical section entered by the calling thread.
bool core_util_are_interrupts_enabled(void);
/// True on the timer thread while it runs a Ticker/Timeout/InterruptIn callback.
bool core_util_is_isr_active(void);
/// True if the calling thread is inside a critical section.
bool core_util_in_critical_section(void);
/// Enters a critical section; nests.
void core_util_critical_section_enter(void);
void core_util_critical_section_exit(void);

#ifdef __cplusplus
}
#endif
