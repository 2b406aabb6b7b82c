// The ticker HAL's types and its read functions (DEVICE_USTICKER, DEVICE_LPTICKER), for sources
// that include it for timestamps. Both tickers read the host's monotonic clock; events are
// scheduled through Timer, Ticker and Timeout (drivers/), not through this interface.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t timestamp_t;     // a ticker's counter value, in its own unit (here 1 us)
typedef uint64_t us_timestamp_t;  // microseconds

/// A ticker's description: frequency and counter width.
typedef struct {
    uint32_t frequency;
    uint32_t bits;
} ticker_info_t;

/// A ticker instance; opaque to applications.
typedef struct ticker_data_s ticker_data_t;

const ticker_data_t *get_us_ticker_data(void);
const ticker_data_t *get_lp_ticker_data(void);
/// The ticker's time in microseconds since an arbitrary origin (64 bits: never wraps).
us_timestamp_t ticker_read_us(const ticker_data_t *ticker);
/// The low 32 bits of ticker_read_us.
timestamp_t ticker_read(const ticker_data_t *ticker);
const ticker_info_t *ticker_get_info(const ticker_data_t *ticker);

#ifdef __cplusplus
}
#endif
