#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include "platform/mbed_error.h"

namespace {
// Compatibility edge: Mbed keeps one error history per device.
std::atomic<int> first_error{0};
std::atomic<int> last_error{0};
std::atomic<int> error_count{0};

void record(mbed_error_status_t status) {
    int expected = 0;
    first_error.compare_exchange_strong(expected, status);
    last_error = status;
    ++error_count;
}
}  // namespace

extern "C" {

mbed_error_status_t mbed_error(mbed_error_status_t error_status, const char *error_msg,
                               unsigned int error_value, const char *filename, int line_number) {
    record(error_status);
    std::fprintf(stderr,
                 "\n++ MbedOS Error Info ++\nError Status: 0x%X Code: %d Module: %d\n"
                 "Error Message: %s\nLocation: %s:%d\nError Value: 0x%X\n-- MbedOS Error Info --\n",
                 static_cast<unsigned>(error_status), MBED_GET_ERROR_CODE(error_status),
                 static_cast<int>(MBED_GET_ERROR_MODULE(error_status)), error_msg ? error_msg : "",
                 filename ? filename : "?", line_number, error_value);
    std::fflush(stderr);
    std::abort();
}

mbed_error_status_t mbed_warning(mbed_error_status_t error_status, const char *error_msg,
                                 unsigned int error_value, const char *filename, int line_number) {
    record(error_status);
    return MBED_SUCCESS;
}

mbed_error_status_t mbed_get_first_error(void) {
    return first_error;
}

mbed_error_status_t mbed_get_last_error(void) {
    return last_error;
}

int mbed_get_error_count(void) {
    return error_count;
}

mbed_error_status_t mbed_clear_all_errors(void) {
    first_error = 0;
    last_error = 0;
    error_count = 0;
    return MBED_SUCCESS;
}
}

void error(const char *format, ...) {
    va_list args;
    va_start(args, format);
    std::vfprintf(stderr, format, args);
    va_end(args);
    std::fflush(stderr);
    std::abort();
}
