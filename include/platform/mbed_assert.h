// Run-time and compile-time assertions with Mbed's names. As on Mbed, MBED_ASSERT is compiled out
// when NDEBUG is defined unless MBED_DEBUG is defined too; a failed assertion prints the
// expression and location to stderr and aborts.
#pragma once

#include "platform/mbed_toolchain.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Prints "Assertion failed: <expr>, file: <file>, line <line>" and aborts.
MBED_NORETURN void mbed_assert_internal(const char *expr, const char *file, int line);

#ifdef __cplusplus
}
#endif

#if defined(NDEBUG) && !defined(MBED_DEBUG)
#define MBED_ASSERT(expr) ((void)0)
#else
#define MBED_ASSERT(expr)                                    \
    do {                                                     \
        if (!(expr)) {                                       \
            mbed_assert_internal(#expr, __FILE__, __LINE__); \
        }                                                    \
    } while (0)
#endif

#ifdef __cplusplus
#define MBED_STATIC_ASSERT(expr, msg) static_assert(expr, msg)
#else
#define MBED_STATIC_ASSERT(expr, msg) _Static_assert(expr, msg)
#endif

/// Usable inside a struct or class body, where Mbed needed a separate form.
#define MBED_STRUCT_STATIC_ASSERT(expr, msg) MBED_STATIC_ASSERT(expr, msg)
