// debug() and debug_if(): printf to stderr in debug builds (no NDEBUG, or MBED_DEBUG set),
// compiled to nothing otherwise, as on Mbed.
#pragma once

#include <stdarg.h>
#include <stdio.h>

#include "platform/mbed_toolchain.h"

#ifdef __cplusplus
extern "C" {
#endif

static inline void debug(const char *format, ...) MBED_PRINTF(1, 2);
static inline void debug(const char *format, ...) {
#if defined(MBED_DEBUG) || !defined(NDEBUG)
    va_list args;
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
#else
    (void)format;
#endif
}

static inline void debug_if(int condition, const char *format, ...) MBED_PRINTF(2, 3);
static inline void debug_if(int condition, const char *format, ...) {
#if defined(MBED_DEBUG) || !defined(NDEBUG)
    if (condition) {
        va_list args;
        va_start(args, format);
        vfprintf(stderr, format, args);
        va_end(args);
    }
#else
    (void)condition;
    (void)format;
#endif
}

#ifdef __cplusplus
}
#endif
