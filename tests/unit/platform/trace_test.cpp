#define TRACE_GROUP "test"
#include "mbed-trace/mbed_trace.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

std::vector<std::string> g_lines;
int g_waits = 0;
int g_releases = 0;

void capture(const char *line) {
    g_lines.emplace_back(line);
}
void wait_hook() {
    ++g_waits;
}
void release_hook() {
    ++g_releases;
}

class Trace : public ::testing::Test {
  protected:
    void SetUp() override {
        g_lines.clear();
        mbed_trace_init();
        mbed_trace_print_function_set(capture);
        mbed_trace_config_set(TRACE_ACTIVE_LEVEL_ALL | TRACE_MODE_PLAIN);
    }
    void TearDown() override { mbed_trace_free(); }
};

}  // namespace

TEST_F(Trace, LevelsAndGroupFormat) {
    tr_debug("d %d", 1);
    tr_info("i %s", "x");
    tr_warn("w");
    tr_error("e");
    tr_err("e2");
    mbed_tracef(TRACE_LEVEL_INFO, "grp5", "other group");
    ASSERT_EQ(g_lines.size(), 6u);
    EXPECT_EQ(g_lines[0], "[DBG ][test]: d 1");
    EXPECT_EQ(g_lines[1], "[INFO][test]: i x");
    EXPECT_EQ(g_lines[2], "[WARN][test]: w");
    EXPECT_EQ(g_lines[3], "[ERR ][test]: e");
    EXPECT_EQ(g_lines[4], "[ERR ][test]: e2");
    EXPECT_EQ(g_lines[5], "[INFO][grp5]: other group");
    EXPECT_STREQ(mbed_trace_last(), "[INFO][grp5]: other group");
}

TEST_F(Trace, ActiveLevelMaskFilters) {
    mbed_trace_config_set(TRACE_ACTIVE_LEVEL_WARN);
    EXPECT_EQ(mbed_trace_config_get(), TRACE_ACTIVE_LEVEL_WARN);
    tr_debug("no");
    tr_info("no");
    tr_warn("yes");
    tr_error("yes");
    EXPECT_EQ(g_lines.size(), 2u);
    mbed_trace_config_set(TRACE_ACTIVE_LEVEL_NONE);
    tr_error("no");
    EXPECT_EQ(g_lines.size(), 2u);
}

TEST_F(Trace, GroupFilters) {
    char exclude[] = "noisy";
    mbed_trace_exclude_filters_set(exclude);
    EXPECT_STREQ(mbed_trace_exclude_filters_get(), "noisy");
    mbed_tracef(TRACE_LEVEL_INFO, "noisy", "dropped");
    mbed_tracef(TRACE_LEVEL_INFO, "calm", "kept");
    char include[] = "only";
    mbed_trace_exclude_filters_set(nullptr);
    mbed_trace_include_filters_set(include);
    mbed_tracef(TRACE_LEVEL_INFO, "calm", "dropped");
    mbed_tracef(TRACE_LEVEL_INFO, "only", "kept");
    ASSERT_EQ(g_lines.size(), 2u);
    EXPECT_EQ(g_lines[0], "[INFO][calm]: kept");
    EXPECT_EQ(g_lines[1], "[INFO][only]: kept");
}

TEST_F(Trace, MutexHooksWrapEachLine) {
    g_waits = g_releases = 0;
    mbed_trace_mutex_wait_function_set(wait_hook);
    mbed_trace_mutex_release_function_set(release_hook);
    tr_info("a");
    tr_info("b");
    EXPECT_EQ(g_waits, 2);
    EXPECT_EQ(g_releases, 2);
}

TEST_F(Trace, ColorModeWrapsTheLine) {
    mbed_trace_config_set(TRACE_ACTIVE_LEVEL_ALL | TRACE_MODE_COLOR);
    tr_error("red");
    ASSERT_EQ(g_lines.size(), 1u);
    EXPECT_EQ(g_lines[0], "\x1b[31m[ERR ][test]: red\x1b[0m");
}

TEST_F(Trace, HelpersFormatArraysAndIpv6) {
    const uint8_t bytes[] = {0x01, 0xab, 0xff};
    const uint8_t addr[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};
    const uint8_t ll[16] = {0xfe, 0x80, 0,    0,    0,    0,    0,    0,
                            0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55};
    const uint8_t two_runs[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1};
    tr_info("%s | %s | %s", trace_array(bytes, 3), trace_ipv6(addr), trace_ipv6(ll));
    tr_info("%s", trace_ipv6_prefix(addr, 32));
    tr_info("%s", tr_ipv6(two_runs));
    ASSERT_EQ(g_lines.size(), 3u);
    EXPECT_EQ(g_lines[0], "[INFO][test]: 01:ab:ff | 2001:db8::1 | fe80::211:22ff:fe33:4455");
    EXPECT_EQ(g_lines[1], "[INFO][test]: 2001:db8::/32");
    EXPECT_EQ(g_lines[2], "[INFO][test]: 2001:db8::1:0:0:1");  // first of equal runs
}

TEST_F(Trace, ArrayLongerThanScratchIsTruncatedWithStar) {
    uint8_t big[100];
    for (int i = 0; i < 100; ++i) {
        big[i] = static_cast<uint8_t>(i);
    }
    const std::string text = trace_array(big, sizeof big);
    EXPECT_LT(text.size(), 128u);
    EXPECT_EQ(text.substr(0, 9), "00:01:02:");
    EXPECT_EQ(text.back(), '*');
    tr_info("flush scratch");
}

TEST(TraceUninitialized, PrintsNothingBeforeInit) {
    g_lines.clear();
    mbed_trace_print_function_set(capture);
    tr_info("not yet");
    EXPECT_TRUE(g_lines.empty());
    mbed_trace_free();
}
