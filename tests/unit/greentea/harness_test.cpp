// The utest/unity harness, through a suite of its own (selftest_suite.cpp) run as a child
// process: what each case reports, that a failing assertion fails its case and only its case,
// the listing CTest registers cases from, and the host-test runner's verdict.
// Arguments: <selftest suite> <python3> <meshwork_htrun.py>.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace {

std::string g_suite, g_python, g_runner;

struct Result {
    std::string out;
    int status = -1;
};

Result run(const std::string &command) {
    Result r;
    FILE *p = ::popen(command.c_str(), "r");
    if (!p) {
        return r;
    }
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) {
        r.out.append(buf, n);
    }
    const int status = ::pclose(p);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

Result run_case(int index) {
    return run("env MESHWORK_UTEST_CASE=" + std::to_string(index) + " " + g_suite + " 2>&1");
}

bool has(const Result &r, const std::string &text) {
    return r.out.find(text) != std::string::npos;
}

struct Expect {
    const char *name;
    int passed;
    int failed;
};
const Expect kCases[] = {
    {"passes", 1, 0},
    {"fails_assertion", 0, 1},
    {"runs_after_a_failure", 1, 0},
    {"async_validated", 1, 0},
    {"async_times_out", 0, 1},
    {"repeats_by_call_count", 3, 0},
    {"fails_on_another_thread", 0, 1},
    {"ignored", 1, 0},
    {"string_mismatch", 0, 1},
    {"repeats_all", 2, 0},
};

TEST(GreenteaHarness, EachCaseAloneReportsItsOwnResult) {
    for (int i = 0; i < static_cast<int>(sizeof kCases / sizeof kCases[0]); ++i) {
        const Expect &e = kCases[i];
        const Result r = run_case(i);
        const std::string finish = "{{__testcase_finish;" + std::string(e.name) + ";" +
                                   std::to_string(e.passed) + ";" + std::to_string(e.failed) + "}}";
        EXPECT_TRUE(has(r, finish)) << e.name << ":\n" << r.out;
        EXPECT_TRUE(has(r, "{{__testcase_count;1}}")) << e.name;
        EXPECT_TRUE(has(r, e.failed ? "{{end;failure}}" : "{{end;success}}")) << e.name;
        EXPECT_EQ(r.status, e.failed ? 1 : 0) << e.name;
    }
}

TEST(GreenteaHarness, AFailedAssertionEndsItsCaseWithTheReason) {
    const Result r = run_case(1);
    EXPECT_TRUE(has(r, "::FAIL: Expected 1 Was 2. one is not two")) << r.out;
    EXPECT_FALSE(has(r, "NOT REACHED")) << "the case went on after its assertion failed";
    const Result s = run_case(8);
    EXPECT_TRUE(has(s, "Expected 'abc' Was 'abd'")) << s.out;
    const Result t = run_case(4);
    EXPECT_TRUE(has(t, "Timed Out")) << t.out;
}

TEST(GreenteaHarness, AFailureOnAnotherThreadFailsTheCaseWhenItEnds) {
    const Result r = run_case(6);
    EXPECT_TRUE(has(r, "REACHED AFTER THREAD")) << r.out;
    EXPECT_TRUE(has(r, "from a callback thread")) << r.out;
}

TEST(GreenteaHarness, RepeatsCallTheHandlerAgainAndRepeatAllRunsSetupAgain) {
    EXPECT_TRUE(has(run_case(5), "CALLS 3"));
    EXPECT_TRUE(has(run_case(9), "SETUPS 2"));
    const Result ignored = run_case(7);
    EXPECT_TRUE(has(ignored, "::IGNORE")) << ignored.out;
    EXPECT_FALSE(has(ignored, "NOT REACHED"));
}

TEST(GreenteaHarness, AWholeRunFailsOnlyTheFailingCases) {
    const Result r = run(g_suite + " 2>&1");
    for (const Expect &e : kCases) {
        const std::string finish = "{{__testcase_finish;" + std::string(e.name) + ";" +
                                   std::to_string(e.passed) + ";" + std::to_string(e.failed) + "}}";
        EXPECT_TRUE(has(r, finish)) << e.name << ":\n" << r.out;
    }
    EXPECT_TRUE(has(r, "{{__testcase_summary;6;4}}")) << r.out;
    EXPECT_TRUE(has(r, "{{end;failure}}"));
    EXPECT_EQ(r.status, 1);
}

TEST(GreenteaHarness, ListingNamesEveryCaseAndRunsNone) {
    const Result r = run("env MESHWORK_UTEST_LIST=1 " + g_suite + " 2>&1");
    for (int i = 0; i < static_cast<int>(sizeof kCases / sizeof kCases[0]); ++i) {
        EXPECT_TRUE(has(r, "MESHWORK_UTEST_CASE " + std::to_string(i) + " " + kCases[i].name))
            << r.out;
    }
    EXPECT_FALSE(has(r, "__testcase_start"));
    EXPECT_EQ(r.status, 0);
}

TEST(GreenteaHarness, TheRunnerPassesAPassingCaseAndFailsAFailingOne) {
    const std::string runner = g_python + " " + g_runner + " --timeout 60 --case ";
    const Result pass = run(runner + "0 -- " + g_suite + " 2>&1");
    EXPECT_EQ(pass.status, 0) << pass.out;
    EXPECT_TRUE(has(pass, "[htrun] PASS"));
    const Result fail = run(runner + "1 -- " + g_suite + " 2>&1");
    EXPECT_EQ(fail.status, 1) << fail.out;
    EXPECT_TRUE(has(fail, "[htrun] FAIL"));
}

}  // namespace

int main(int argc, char **argv) {
    ::testing::InitGoogleTest(&argc, argv);
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s <selftest suite> <python3> <meshwork_htrun.py>\n", argv[0]);
        return 2;
    }
    g_suite = argv[1];
    g_python = argv[2];
    g_runner = argv[3];
    return RUN_ALL_TESTS();
}
