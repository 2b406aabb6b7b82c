// Delays. On a host these sleep (through the calling task's meshwork::Executor) instead of
// spinning; wait_ns rounds up to a microsecond.
#pragma once

#include "platform/mbed_toolchain.h"

#ifdef __cplusplus
extern "C" {
#endif

void wait_us(int us);
void wait_ns(unsigned int ns);

MBED_DEPRECATED_SINCE("mbed-os-5.14", "Use ThisThread::sleep_for() or wait_us()")
void wait_ms(int ms);

#ifdef __cplusplus
}

// C++ linkage: an extern "C" wait(float) would clash with POSIX wait(int *).
MBED_DEPRECATED_SINCE("mbed-os-5.14", "Use ThisThread::sleep_for() or wait_us()")
void wait(float s);
#endif
