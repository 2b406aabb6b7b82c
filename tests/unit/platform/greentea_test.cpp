#include "greentea-client/test_env.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace {

// Redirects stdin (from `input`) and stdout (captured) around `body`.
template <typename F>
std::string with_stdio(const std::string &input, F body) {
    int in_pipe[2];
    int out_pipe[2];
    EXPECT_EQ(pipe(in_pipe), 0);
    EXPECT_EQ(pipe(out_pipe), 0);
    EXPECT_EQ(write(in_pipe[1], input.data(), input.size()), static_cast<ssize_t>(input.size()));
    close(in_pipe[1]);
    const int saved_in = dup(STDIN_FILENO);
    const int saved_out = dup(STDOUT_FILENO);
    dup2(in_pipe[0], STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    body();
    dup2(saved_in, STDIN_FILENO);
    dup2(saved_out, STDOUT_FILENO);
    close(saved_in);
    close(saved_out);
    close(in_pipe[0]);
    close(out_pipe[1]);
    std::string out;
    char buf[256];
    ssize_t n;
    while ((n = read(out_pipe[0], buf, sizeof buf)) > 0) {
        out.append(buf, static_cast<size_t>(n));
    }
    close(out_pipe[0]);
    return out;
}

}  // namespace

TEST(Greentea, SetupWithoutSyncAnnouncesTimeoutAndHostTest) {
    unsetenv("MESHWORK_GREENTEA_SYNC");
    const std::string out = with_stdio("", [] {
        GREENTEA_SETUP(20, "echo");
        greentea_send_kv("answer", 42);
        greentea_send_kv("case", "x", 1, 0);
        GREENTEA_TESTSUITE_RESULT(true);
    });
    EXPECT_EQ(out,
              "{{__version;1.3.0}}\r\n{{__timeout;20}}\r\n{{__host_test_name;echo}}\r\n"
              "{{answer;42}}\r\n{{case;x;1;0}}\r\n{{end;success}}\r\n{{__exit;0}}\r\n");
}

TEST(Greentea, SyncHandshakeEchoesTheUuid) {
    setenv("MESHWORK_GREENTEA_SYNC", "1", 1);
    const std::string out =
        with_stdio("noise {{__sync;0123-abcd}}\n", [] { GREENTEA_SETUP(5, "default_auto"); });
    unsetenv("MESHWORK_GREENTEA_SYNC");
    EXPECT_EQ(out.rfind("{{__sync;0123-abcd}}\r\n{{__version;1.3.0}}\r\n", 0), 0u) << out;
}

TEST(Greentea, ParseKv) {
    char key[8];
    char value[6];
    int first = 0;
    int second = 0;
    int third = 1;
    with_stdio("x{{bad}}{{key;value}}{{longer_key;long value}}", [&] {
        first = greentea_parse_kv(key, value, sizeof key, sizeof value);
        EXPECT_STREQ(key, "key");
        EXPECT_STREQ(value, "value");
        second = greentea_parse_kv(key, value, sizeof key, sizeof value);
        EXPECT_STREQ(key, "longer_");  // truncated to fit
        EXPECT_STREQ(value, "long ");
        third = greentea_parse_kv(key, value, sizeof key, sizeof value);
    });
    EXPECT_EQ(first, 1);
    EXPECT_EQ(second, 1);
    EXPECT_EQ(third, 0);  // end of input
}
