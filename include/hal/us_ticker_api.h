// The microsecond ticker (DEVICE_USTICKER): the host's monotonic clock, in microseconds.
#pragma once

#include "hal/ticker_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/// The low 32 bits of the microsecond ticker (wraps after about 71 minutes, as on Mbed).
uint32_t us_ticker_read(void);

#ifdef __cplusplus
}
#endif
