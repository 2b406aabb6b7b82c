// utest's handler sets: verbose ones print progress to the console, greentea ones also report
// each case and the result to the host over the key-value protocol (greentea-client).
#include <cstdarg>
#include <cstdio>
#include <string>

#include "HarnessState.h"
#include "greentea-client/test_env.h"
#include "utest/utest.h"

extern "C" int utest_printf(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    const int n = std::vprintf(format, ap);
    va_end(ap);
    std::fflush(stdout);
    return n;
}

namespace utest {
namespace v1 {

const char *stringify(failure_reason_t reason) {
    const bool ignored = reason & REASON_IGNORE;
    switch (static_cast<failure_reason_t>(reason & ~REASON_IGNORE)) {
        case REASON_NONE:
            return ignored ? "Ignored: No Failure" : "No Failure";
        case REASON_CASES:
            return ignored ? "Ignored: Test Cases Failed" : "Test Cases Failed";
        case REASON_EMPTY_CASE:
            return ignored ? "Ignored: Test Case is Empty" : "Test Case is Empty";
        case REASON_TIMEOUT:
            return ignored ? "Ignored: Timed Out" : "Timed Out";
        case REASON_ASSERTION:
            return ignored ? "Ignored: Assertion Failed" : "Assertion Failed";
        case REASON_TEST_SETUP:
            return ignored ? "Ignored: Test Setup Failed" : "Test Setup Failed";
        case REASON_TEST_TEARDOWN:
            return ignored ? "Ignored: Test Teardown Failed" : "Test Teardown Failed";
        case REASON_CASE_SETUP:
            return ignored ? "Ignored: Case Setup Failed" : "Case Setup Failed";
        case REASON_CASE_HANDLER:
            return ignored ? "Ignored: Case Handler Failed" : "Case Handler Failed";
        case REASON_CASE_TEARDOWN:
            return ignored ? "Ignored: Case Teardown Failed" : "Case Teardown Failed";
        case REASON_CASE_INDEX:
            return ignored ? "Ignored: Case Index Invalid" : "Case Index Invalid";
        case REASON_SCHEDULER:
            return ignored ? "Ignored: Scheduler Invalid" : "Scheduler Invalid";
        default:
            return ignored ? "Ignored: Unknown Failure" : "Unknown Failure";
    }
}

const char *stringify(location_t location) {
    switch (location) {
        case LOCATION_NONE:
            return "No Location";
        case LOCATION_TEST_SETUP:
            return "Test Setup Handler";
        case LOCATION_TEST_TEARDOWN:
            return "Test Teardown Handler";
        case LOCATION_CASE_SETUP:
            return "Case Setup Handler";
        case LOCATION_CASE_HANDLER:
            return "Case Handler";
        case LOCATION_CASE_TEARDOWN:
            return "Case Teardown Handler";
        default:
            return "Unknown Location";
    }
}

const char *stringify(status_t status) {
    switch (status) {
        case STATUS_CONTINUE:
            return "Continue";
        case STATUS_IGNORE:
            return "Ignore";
        case STATUS_ABORT:
            return "Abort";
    }
    return "Unknown Status";
}

// Verbose handlers.

status_t verbose_test_setup_handler(const size_t number_of_cases) {
    utest_printf(">>> Running %zu test cases...\n", number_of_cases);
    return STATUS_CONTINUE;
}

void verbose_test_teardown_handler(const size_t passed, const size_t failed,
                                   const failure_t failure) {
    utest_printf("\n>>> Test cases: %zu passed, %zu failed", passed, failed);
    if (failure.reason == REASON_NONE) {
        utest_printf("\n");
    } else {
        utest_printf(" with reason '%s'\n", stringify(failure.reason));
    }
    if (failed) {
        utest_printf(">>> TESTS FAILED!\n");
    }
}

void verbose_test_failure_handler(const failure_t failure) {
    utest_printf(">>> failure with reason '%s' during '%s'\n", stringify(failure.reason),
                 stringify(failure.location));
}

status_t verbose_case_setup_handler(const Case *const source, const size_t index_of_case) {
    utest_printf("\n>>> Running case #%zu: '%s'...\n", index_of_case + 1,
                 source->get_description());
    return STATUS_CONTINUE;
}

status_t verbose_case_teardown_handler(const Case *const source, const size_t passed,
                                       const size_t failed, const failure_t failure) {
    utest_printf(">>> '%s': %zu passed, %zu failed", source->get_description(), passed, failed);
    if (failure.reason == REASON_NONE) {
        utest_printf("\n");
    } else {
        utest_printf(" with reason '%s'\n", stringify(failure.reason));
    }
    return STATUS_CONTINUE;
}

status_t verbose_case_failure_handler(const Case *const, const failure_t failure) {
    if (!(failure.reason & REASON_IGNORE)) {
        utest_printf(">>> failure with reason '%s' during '%s'\n", stringify(failure.reason),
                     stringify(failure.location));
    }
    return STATUS_CONTINUE;
}

// Greentea handlers.

status_t greentea_test_setup_handler(const size_t number_of_cases) {
    greentea_send_kv(TEST_ENV_TESTCASE_COUNT, static_cast<int>(number_of_cases));
    for (const std::string &name : meshwork::greentea::selected_case_names()) {
        greentea_send_kv(TEST_ENV_TESTCASE_NAME, name.c_str());
    }
    return verbose_test_setup_handler(number_of_cases);
}

void greentea_test_teardown_handler(const size_t passed, const size_t failed,
                                    const failure_t failure) {
    verbose_test_teardown_handler(passed, failed, failure);
    greentea_send_kv(TEST_ENV_TESTCASE_SUMMARY, static_cast<int>(passed), static_cast<int>(failed));
    GREENTEA_TESTSUITE_RESULT(failed == 0 && failure.reason == REASON_NONE);
}

void greentea_test_failure_handler(const failure_t failure) {
    verbose_test_failure_handler(failure);
}

status_t greentea_case_setup_handler(const Case *const source, const size_t index_of_case) {
    greentea_send_kv(TEST_ENV_TESTCASE_START, source->get_description());
    return verbose_case_setup_handler(source, index_of_case);
}

status_t greentea_case_teardown_handler(const Case *const source, const size_t passed,
                                        const size_t failed, const failure_t failure) {
    greentea_send_kv(TEST_ENV_TESTCASE_FINISH, source->get_description(), static_cast<int>(passed),
                     static_cast<int>(failed));
    return verbose_case_teardown_handler(source, passed, failed, failure);
}

status_t greentea_case_failure_abort_handler(const Case *const source, const failure_t failure) {
    verbose_case_failure_handler(source, failure);
    return failure.reason & REASON_IGNORE ? STATUS_CONTINUE : STATUS_ABORT;
}

status_t greentea_case_failure_continue_handler(const Case *const source, const failure_t failure) {
    return verbose_case_failure_handler(source, failure);
}

const handlers_t greentea_abort_handlers = {
    greentea_test_setup_handler,    greentea_test_teardown_handler,
    greentea_test_failure_handler,  greentea_case_setup_handler,
    greentea_case_teardown_handler, greentea_case_failure_abort_handler,
};
const handlers_t greentea_continue_handlers = {
    greentea_test_setup_handler,    greentea_test_teardown_handler,
    greentea_test_failure_handler,  greentea_case_setup_handler,
    greentea_case_teardown_handler, greentea_case_failure_continue_handler,
};
const handlers_t verbose_continue_handlers = {
    verbose_test_setup_handler, verbose_test_teardown_handler, verbose_test_failure_handler,
    verbose_case_setup_handler, verbose_case_teardown_handler, verbose_case_failure_handler,
};
const handlers_t selftest_handlers = {
    verbose_test_setup_handler, verbose_test_teardown_handler, verbose_test_failure_handler,
    verbose_case_setup_handler, verbose_case_teardown_handler, verbose_case_failure_handler,
};
// Spelled out, not copied from greentea_abort_handlers: constant initialisation, so a suite's
// namespace-scope Specification (constructed in another translation unit) never sees zeros.
const handlers_t default_handlers = {
    greentea_test_setup_handler,    greentea_test_teardown_handler,
    greentea_test_failure_handler,  greentea_case_setup_handler,
    greentea_case_teardown_handler, greentea_case_failure_abort_handler,
};

}  // namespace v1
}  // namespace utest
