// The true random number generator HAL (DEVICE_TRNG): on Linux, the kernel's entropy source
// (getrandom). Mbed's TLS code and applications that check DEVICE_TRNG read it through these.
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One generator; the kernel keeps no per-object state, so it only records initialisation.
typedef struct trng_s {
    int initialised;
} trng_t;

void trng_init(trng_t *obj);
void trng_free(trng_t *obj);
/// Fills `output` with up to `length` random bytes; `*output_length` receives the count.
/// Returns 0, or -1 when the kernel gives none.
int trng_get_bytes(trng_t *obj, uint8_t *output, size_t length, size_t *output_length);

#ifdef __cplusplus
}
#endif
