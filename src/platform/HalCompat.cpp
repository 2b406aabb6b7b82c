// The HAL functions of the capabilities the LINUX pseudo-target declares (DEVICE_TRNG,
// DEVICE_USTICKER, DEVICE_LPTICKER): the kernel's entropy and the monotonic clock.
#include <sys/random.h>

#include <cerrno>
#include <chrono>

#include "hal/lp_ticker_api.h"
#include "hal/trng_api.h"
#include "hal/us_ticker_api.h"

struct ticker_data_s {
    ticker_info_t info;
};

namespace {

// Immutable descriptions, shared by every caller: 1 MHz, 32-bit counters, as Mbed reports them.
const ticker_data_s kUsTicker{{1000000u, 32u}};
const ticker_data_s kLpTicker{{1000000u, 32u}};

us_timestamp_t monotonic_us() {
    const auto now = std::chrono::steady_clock::now().time_since_epoch();
    return static_cast<us_timestamp_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(now).count());
}

}  // namespace

extern "C" {

void trng_init(trng_t *obj) {
    if (obj) {
        obj->initialised = 1;
    }
}

void trng_free(trng_t *obj) {
    if (obj) {
        obj->initialised = 0;
    }
}

int trng_get_bytes(trng_t *, uint8_t *output, size_t length, size_t *output_length) {
    size_t done = 0;
    while (output && done < length) {
        const ssize_t n = ::getrandom(output + done, length - done, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        done += static_cast<size_t>(n);
    }
    if (output_length) {
        *output_length = done;
    }
    return done > 0 || length == 0 ? 0 : -1;
}

const ticker_data_t *get_us_ticker_data(void) {
    return &kUsTicker;
}

const ticker_data_t *get_lp_ticker_data(void) {
    return &kLpTicker;
}

us_timestamp_t ticker_read_us(const ticker_data_t *) {
    return monotonic_us();
}

timestamp_t ticker_read(const ticker_data_t *ticker) {
    return static_cast<timestamp_t>(ticker_read_us(ticker));
}

const ticker_info_t *ticker_get_info(const ticker_data_t *ticker) {
    return ticker ? &ticker->info : nullptr;
}

uint32_t us_ticker_read(void) {
    return static_cast<uint32_t>(monotonic_us());
}

uint32_t lp_ticker_read(void) {
    return static_cast<uint32_t>(monotonic_us());
}

}  // extern "C"
