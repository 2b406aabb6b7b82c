#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include "meshwork/Executor.h"
#include "meshwork/sim/NodeContext.h"
#include "platform/mbed_error.h"

namespace {
// Mbed keeps one error history per device: a simulated node's is its context's `errors` (found
// through the current task); the process's below is the compatibility edge on the host.
std::atomic<int> first_error{0};
std::atomic<int> last_error{0};
std::atomic<int> error_count{0};

void record(mbed_error_status_t status) {
    if (meshwork::sim::NodeContext *node = meshwork::current_node_context()) {
        node->errors.record(status);
        return;
    }
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
    if (meshwork::sim::NodeContext *node = meshwork::current_node_context()) {
        return node->errors.first_error;
    }
    return first_error;
}

mbed_error_status_t mbed_get_last_error(void) {
    if (meshwork::sim::NodeContext *node = meshwork::current_node_context()) {
        return node->errors.last_error;
    }
    return last_error;
}

int mbed_get_error_count(void) {
    if (meshwork::sim::NodeContext *node = meshwork::current_node_context()) {
        return node->errors.error_count;
    }
    return error_count;
}

mbed_error_status_t mbed_clear_all_errors(void) {
    if (meshwork::sim::NodeContext *node = meshwork::current_node_context()) {
        node->errors.clear();
        return MBED_SUCCESS;
    }
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
