// greentea-client: the key-value protocol Mbed test binaries speak with a host test runner
// over stdio. Each message is one line "{{key;value}}".
//
// GREENTEA_SETUP waits for the host's "{{__sync;<uuid>}}" and echoes it only when the
// environment variable MESHWORK_GREENTEA_SYNC is set to 1 (a host runner drives stdin);
// otherwise (and always when NO_GREENTEA is defined) it skips the handshake and just announces
// the version, timeout and host test name, so the binaries run stand-alone.
#pragma once

#include <stddef.h>

#define GREENTEA_CLIENT_VERSION_STRING "1.3.0"

// Keys of the protocol.
#define GREENTEA_TEST_ENV_END "end"
#define GREENTEA_TEST_ENV_EXIT "__exit"
#define GREENTEA_TEST_ENV_SYNC "__sync"
#define GREENTEA_TEST_ENV_TIMEOUT "__timeout"
#define GREENTEA_TEST_ENV_HOST_TEST_NAME "__host_test_name"
#define GREENTEA_TEST_ENV_HOST_TEST_VERSION "__version"
#define GREENTEA_TEST_ENV_TESTCASE_COUNT "__testcase_count"
#define GREENTEA_TEST_ENV_TESTCASE_NAME "__testcase_name"
#define GREENTEA_TEST_ENV_TESTCASE_START "__testcase_start"
#define GREENTEA_TEST_ENV_TESTCASE_FINISH "__testcase_finish"
#define GREENTEA_TEST_ENV_TESTCASE_SUMMARY "__testcase_summary"
#define GREENTEA_TEST_ENV_SUCCESS "success"
#define GREENTEA_TEST_ENV_FAILURE "failure"
#define GREENTEA_TEST_ENV_LCOV_START "__coverage_start"

/// Sets the test up with the host (see the file comment) and announces timeout and host test.
void greentea_setup(int timeout, const char *host_test, bool sync);

#if defined(NO_GREENTEA)
#define GREENTEA_SETUP(timeout, host_test) greentea_setup(timeout, host_test, false)
#else
#define GREENTEA_SETUP(timeout, host_test) greentea_setup(timeout, host_test, true)
#endif

/// Announces the result: "{{end;success|failure}}" then "{{__exit;0}}".
void GREENTEA_TESTSUITE_RESULT(const int result);
void GREENTEA_TESTCASE_START(const char *test_case_id);
void GREENTEA_TESTCASE_FINISH(const char *test_case_id, const size_t passes, const size_t failed);
void greentea_notify_completion(const int result);

void greentea_send_kv(const char *key, const char *val);
void greentea_send_kv(const char *key, const int val);
void greentea_send_kv(const char *key, const char *val, const int result);
void greentea_send_kv(const char *key, const char *val, const int passes, const int failures);
void greentea_send_kv(const char *key, const int passes, const int failures);

/// Reads characters until a complete "{{key;value}}" arrives; returns 1 with both copied (and
/// truncated to fit), 0 at end of input.
int greentea_parse_kv(char *out_key, char *out_value, const int out_key_size,
                      const int out_value_size);

int greentea_getc(void);
void greentea_putc(int c);
void greentea_write_string(const char *str);
