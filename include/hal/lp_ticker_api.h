// The low-power ticker (DEVICE_LPTICKER): on a host, the same monotonic clock as the
// microsecond ticker.
#pragma once

#include "hal/ticker_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/// The low 32 bits of the low-power ticker, in microseconds.
uint32_t lp_ticker_read(void);

#ifdef __cplusplus
}
#endif
