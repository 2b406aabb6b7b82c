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

#define NL "\n"
#define RCNL "\r\n"
/// Room for the host's synchronisation token (GREENTEA_SETUP_UUID), terminator included.
#define GREENTEA_UUID_LENGTH 48

// Keys of the protocol, as objects (Mbed declares them so).
extern const char *GREENTEA_TEST_ENV_END;
extern const char *GREENTEA_TEST_ENV_EXIT;
extern const char *GREENTEA_TEST_ENV_SYNC;
extern const char *GREENTEA_TEST_ENV_TIMEOUT;
extern const char *GREENTEA_TEST_ENV_HOST_TEST_NAME;
extern const char *GREENTEA_TEST_ENV_HOST_TEST_VERSION;
extern const char *GREENTEA_TEST_ENV_TESTCASE_COUNT;
extern const char *GREENTEA_TEST_ENV_TESTCASE_NAME;
extern const char *GREENTEA_TEST_ENV_TESTCASE_START;
extern const char *GREENTEA_TEST_ENV_TESTCASE_FINISH;
extern const char *GREENTEA_TEST_ENV_TESTCASE_SUMMARY;
extern const char *GREENTEA_TEST_ENV_SUCCESS;
extern const char *GREENTEA_TEST_ENV_FAILURE;
extern const char *GREENTEA_TEST_ENV_LCOV_START;

// The shorter spellings utest's reporting uses.
#define TEST_ENV_TESTCASE_COUNT GREENTEA_TEST_ENV_TESTCASE_COUNT
#define TEST_ENV_TESTCASE_NAME GREENTEA_TEST_ENV_TESTCASE_NAME
#define TEST_ENV_TESTCASE_START GREENTEA_TEST_ENV_TESTCASE_START
#define TEST_ENV_TESTCASE_FINISH GREENTEA_TEST_ENV_TESTCASE_FINISH
#define TEST_ENV_TESTCASE_SUMMARY GREENTEA_TEST_ENV_TESTCASE_SUMMARY

/// Sets the test up with the host (see the file comment) and announces timeout and host test.
void greentea_setup(int timeout, const char *host_test, bool sync);
/// The same, copying the host's synchronisation token into `buffer` (empty without one).
void greentea_setup_uuid(int timeout, const char *host_test, char *buffer, int size, bool sync);

#if defined(NO_GREENTEA)
#define GREENTEA_SETUP(timeout, host_test) ::greentea_setup(timeout, host_test, false)
#define GREENTEA_SETUP_UUID(timeout, host_test, buffer, size) \
    ::greentea_setup_uuid(timeout, host_test, buffer, size, false)
#else
#define GREENTEA_SETUP(timeout, host_test) ::greentea_setup(timeout, host_test, true)
#define GREENTEA_SETUP_UUID(timeout, host_test, buffer, size) \
    ::greentea_setup_uuid(timeout, host_test, buffer, size, true)
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
