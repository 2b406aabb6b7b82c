// greentea-client key-value protocol over stdin/stdout (POSIX read/write, unbuffered).
#include "greentea-client/test_env.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

namespace {

std::mutex &output_mutex() {
    static auto *m = new std::mutex;
    return *m;
}

void write_all(const std::string &s) {
    std::fflush(stdout);  // keep ordering with the application's printf output
    std::lock_guard<std::mutex> lock(output_mutex());
    size_t done = 0;
    while (done < s.size()) {
        const ssize_t n = ::write(STDOUT_FILENO, s.data() + done, s.size() - done);
        if (n <= 0) {
            return;
        }
        done += static_cast<size_t>(n);
    }
}

void send(const std::string &key, const std::string &value) {
    write_all("{{" + key + ";" + value + "}}\r\n");
}

void copy_out(const std::string &from, char *to, int size) {
    if (!to || size <= 0) {
        return;
    }
    const size_t n = std::min(from.size(), static_cast<size_t>(size - 1));
    std::memcpy(to, from.data(), n);
    to[n] = '\0';
}

}  // namespace

const char *GREENTEA_TEST_ENV_END = "end";
const char *GREENTEA_TEST_ENV_EXIT = "__exit";
const char *GREENTEA_TEST_ENV_SYNC = "__sync";
const char *GREENTEA_TEST_ENV_TIMEOUT = "__timeout";
const char *GREENTEA_TEST_ENV_HOST_TEST_NAME = "__host_test_name";
const char *GREENTEA_TEST_ENV_HOST_TEST_VERSION = "__version";
const char *GREENTEA_TEST_ENV_TESTCASE_COUNT = "__testcase_count";
const char *GREENTEA_TEST_ENV_TESTCASE_NAME = "__testcase_name";
const char *GREENTEA_TEST_ENV_TESTCASE_START = "__testcase_start";
const char *GREENTEA_TEST_ENV_TESTCASE_FINISH = "__testcase_finish";
const char *GREENTEA_TEST_ENV_TESTCASE_SUMMARY = "__testcase_summary";
const char *GREENTEA_TEST_ENV_SUCCESS = "success";
const char *GREENTEA_TEST_ENV_FAILURE = "failure";
const char *GREENTEA_TEST_ENV_LCOV_START = "__coverage_start";

void greentea_setup(int timeout, const char *host_test, bool sync) {
    greentea_setup_uuid(timeout, host_test, nullptr, 0, sync);
}

void greentea_setup_uuid(int timeout, const char *host_test, char *buffer, int size, bool sync) {
    copy_out("", buffer, size);
    const char *env = std::getenv("MESHWORK_GREENTEA_SYNC");
    if (sync && env && std::strcmp(env, "1") == 0) {
        char key[32];
        char value[GREENTEA_UUID_LENGTH];
        while (greentea_parse_kv(key, value, sizeof key, sizeof value)) {
            if (std::strcmp(key, GREENTEA_TEST_ENV_SYNC) == 0) {
                send(GREENTEA_TEST_ENV_SYNC, value);
                copy_out(value, buffer, size);
                break;
            }
        }
    }
    send(GREENTEA_TEST_ENV_HOST_TEST_VERSION, GREENTEA_CLIENT_VERSION_STRING);
    send(GREENTEA_TEST_ENV_TIMEOUT, std::to_string(timeout));
    send(GREENTEA_TEST_ENV_HOST_TEST_NAME, host_test ? host_test : "default_auto");
}

void greentea_notify_completion(const int result) {
    send(GREENTEA_TEST_ENV_END, result ? GREENTEA_TEST_ENV_SUCCESS : GREENTEA_TEST_ENV_FAILURE);
    send(GREENTEA_TEST_ENV_EXIT, "0");
}

void GREENTEA_TESTSUITE_RESULT(const int result) {
    greentea_notify_completion(result);
}

void GREENTEA_TESTCASE_START(const char *test_case_id) {
    send(GREENTEA_TEST_ENV_TESTCASE_START, test_case_id ? test_case_id : "");
}

void GREENTEA_TESTCASE_FINISH(const char *test_case_id, const size_t passes, const size_t failed) {
    send(GREENTEA_TEST_ENV_TESTCASE_FINISH, std::string(test_case_id ? test_case_id : "") + ";" +
                                                std::to_string(passes) + ";" +
                                                std::to_string(failed));
}

void greentea_send_kv(const char *key, const char *val) {
    send(key, val ? val : "");
}

void greentea_send_kv(const char *key, const int val) {
    send(key, std::to_string(val));
}

void greentea_send_kv(const char *key, const char *val, const int result) {
    send(key, std::string(val ? val : "") + ";" + std::to_string(result));
}

void greentea_send_kv(const char *key, const char *val, const int passes, const int failures) {
    send(key, std::string(val ? val : "") + ";" + std::to_string(passes) + ";" +
                  std::to_string(failures));
}

void greentea_send_kv(const char *key, const int passes, const int failures) {
    send(key, std::to_string(passes) + ";" + std::to_string(failures));
}

int greentea_getc(void) {
    unsigned char c;
    return ::read(STDIN_FILENO, &c, 1) == 1 ? c : EOF;
}

void greentea_putc(int c) {
    write_all(std::string(1, static_cast<char>(c)));
}

void greentea_write_string(const char *str) {
    write_all(str ? str : "");
}

int greentea_parse_kv(char *out_key, char *out_value, const int out_key_size,
                      const int out_value_size) {
    // Scan for "{{", then read up to "}}"; the first ';' splits key from value.
    int prev = 0;
    for (;;) {
        const int c = greentea_getc();
        if (c == EOF) {
            return 0;
        }
        if (prev == '{' && c == '{') {
            std::string body;
            for (;;) {
                const int d = greentea_getc();
                if (d == EOF) {
                    return 0;
                }
                body.push_back(static_cast<char>(d));
                if (body.size() >= 2 && body.compare(body.size() - 2, 2, "}}") == 0) {
                    body.resize(body.size() - 2);
                    break;
                }
            }
            const size_t semi = body.find(';');
            if (semi == std::string::npos) {
                prev = 0;
                continue;  // malformed: keep looking
            }
            copy_out(body.substr(0, semi), out_key, out_key_size);
            copy_out(body.substr(semi + 1), out_value, out_value_size);
            return 1;
        }
        prev = c;
    }
}
