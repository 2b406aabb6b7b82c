// Thread helpers of the C API.
#pragma once

#include <stdint.h>

#include "platform/mbed_toolchain.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Milliseconds since the executor's epoch.
uint64_t get_ms_count(void);
void thread_sleep_for(uint32_t millisec);
void thread_sleep_until(uint64_t millisec);

#ifdef __cplusplus
}
#endif
