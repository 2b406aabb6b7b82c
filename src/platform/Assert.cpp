#include <cstdio>
#include <cstdlib>

#include "platform/mbed_assert.h"

extern "C" void mbed_assert_internal(const char *expr, const char *file, int line) {
    std::fprintf(stderr, "Assertion failed: %s, file: %s, line %d\n", expr, file, line);
    std::fflush(stderr);
    std::abort();
}
