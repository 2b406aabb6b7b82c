// A Greentea suite exercising the harness itself, for greentea_harness_test: passing, failing
// and ignored cases, asynchronous ones, repeats, and a failure on another thread. Some cases
// fail on purpose, so it is a program of the harness test, not a CTest suite of its own.
#include <stdio.h>

#include <thread>

#include "greentea-client/test_env.h"
#include "unity/unity.h"
#include "utest/utest.h"

using namespace utest::v1;

namespace {

void passes() {
    TEST_ASSERT_EQUAL(2, 1 + 1);
    TEST_ASSERT_EQUAL_STRING("abc", "abc");
    TEST_ASSERT_EQUAL_HEX8(0x12, 0x1012);  // compared as uint8_t
    TEST_ASSERT_INT_WITHIN(2, 10, 11);
    TEST_ASSERT_FLOAT_WITHIN(0.01f, 1.0f, 1.005f);
}

void fails_assertion() {
    TEST_ASSERT_EQUAL_INT_MESSAGE(1, 2, "one is not two");
    printf("NOT REACHED\n");
}

void runs_after_a_failure() {
    TEST_ASSERT_TRUE(true);
}

control_t async_validated() {
    std::thread([] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        Harness::validate_callback();
    }).detach();
    return CaseTimeout(5000);
}

control_t async_times_out() {
    return CaseTimeout(50);
}

size_t calls = 0;
control_t repeats_by_call_count(const size_t call_count) {
    calls++;
    TEST_ASSERT_EQUAL(calls, call_count);
    if (call_count < 3) {
        return CaseRepeatHandler;
    }
    printf("CALLS %zu\n", calls);
    return CaseNext;
}

void fails_on_another_thread() {
    std::thread([] { TEST_ASSERT_TRUE_MESSAGE(false, "from a callback thread"); }).join();
    printf("REACHED AFTER THREAD\n");
}

void ignored() {
    TEST_IGNORE_MESSAGE("not on this target");
    printf("NOT REACHED\n");
}

void string_mismatch() {
    TEST_ASSERT_EQUAL_STRING("abc", "abd");
}

size_t setups = 0;
status_t counting_setup(const Case *const source, const size_t index) {
    setups++;
    return greentea_case_setup_handler(source, index);
}
control_t repeats_all(const size_t call_count) {
    TEST_ASSERT_EQUAL(call_count, setups);
    if (call_count < 2) {
        return CaseRepeatAll;
    }
    printf("SETUPS %zu\n", setups);
    return CaseNext;
}

status_t test_setup(const size_t number_of_cases) {
    GREENTEA_SETUP(20, "default_auto");
    return greentea_test_setup_handler(number_of_cases);
}

Case cases[] = {
    Case("passes", passes),
    Case("fails_assertion", fails_assertion),
    Case("runs_after_a_failure", runs_after_a_failure),
    Case("async_validated", async_validated),
    Case("async_times_out", async_times_out),
    Case("repeats_by_call_count", repeats_by_call_count),
    Case("fails_on_another_thread", fails_on_another_thread),
    Case("ignored", ignored),
    Case("string_mismatch", string_mismatch),
    Case("repeats_all", counting_setup, repeats_all),
};

Specification specification(test_setup, cases, greentea_continue_handlers);

}  // namespace

int main() {
    return !Harness::run(specification);
}
