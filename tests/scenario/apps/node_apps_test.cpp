// An unmodified Mbed application (counter_app/) built with meshwork_add_node_app() and run by
// meshwork-sim as 100 simulated nodes: each copy has its own globals, each node's standard output
// is its own (prefixed with its id and virtual time), and the same seed gives the same bytes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "TempDir.h"

namespace {

struct SimRun {
    int status = -1;
    std::string out;
    std::string err;
};

SimRun run_sim(const meshwork::test::TempDir &dir, const std::string &args) {
    SimRun r;
    const std::string err_file = dir.file("stderr.txt");
    // The runner's own temporary directory (the nodes' copies of the module) goes here too.
    const std::string cmd =
        "TMPDIR=" + dir.path() + " " + MESHWORK_SIM_RUNNER + " " + args + " 2>" + err_file;
    FILE *p = ::popen(cmd.c_str(), "r");
    if (p == nullptr)
        return r;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        r.out.append(buf, n);
    const int w = ::pclose(p);
    r.status = WIFEXITED(w) ? WEXITSTATUS(w) : -1;
    std::ifstream e(err_file);
    std::stringstream ss;
    ss << e.rdbuf();
    r.err = ss.str();
    return r;
}

std::string app_args(unsigned nodes, unsigned seed) {
    return std::string("--app ") + NODE_APP_COUNTER + " --nodes " + std::to_string(nodes) +
           " --seed " + std::to_string(seed) + " --until 5s";
}

// "[node <id> @ <s>.<6 digits> s] <text>" -> id, "<s>.<us>", text.
static bool parse_line(const std::string &line, unsigned *id, std::string *stamp,
                       std::string *text) {
    const std::string head = "[node ";
    if (line.compare(0, head.size(), head) != 0)
        return false;
    std::size_t i = head.size(), j = i;
    while (j < line.size() && std::isdigit(static_cast<unsigned char>(line[j])))
        ++j;
    if (j == i || line.compare(j, 3, " @ ") != 0)
        return false;
    *id = static_cast<unsigned>(std::stoul(line.substr(i, j - i)));
    i = j + 3;
    const std::size_t end = line.find(" s] ", i);
    if (end == std::string::npos)
        return false;
    *stamp = line.substr(i, end - i);
    const std::size_t dot = stamp->find('.');
    if (dot == 0 || dot == std::string::npos || stamp->size() - dot - 1 != 6)
        return false;
    for (std::size_t k = 0; k < stamp->size(); ++k) {
        if (k != dot && !std::isdigit(static_cast<unsigned char>((*stamp)[k])))
            return false;
    }
    *text = line.substr(end + 4);
    return true;
}

TEST(NodeApps, HundredCopiesEachWithItsOwnGlobalsAndOutput) {
    meshwork::test::TempDir dir("node-apps");
    ASSERT_TRUE(dir.ok());
    const SimRun r = run_sim(dir, app_args(100, 7));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err, "");

    // Every line is a node's, prefixed "[node <id> @ <s>.<us> s] ".
    std::map<unsigned, std::vector<std::string>> by_node;
    std::istringstream in(r.out);
    std::string line;
    std::size_t lines = 0;
    while (std::getline(in, line)) {
        unsigned id = 0;
        std::string stamp, text;
        ASSERT_TRUE(parse_line(line, &id, &stamp, &text)) << line;
        by_node[id].push_back(stamp + " " + text);
        ++lines;
    }
    EXPECT_EQ(lines, 400u);
    ASSERT_EQ(by_node.size(), 100u);
    // Each copy counts its own five events (one shared counter would reach 500), in virtual
    // time: five 100 ms sleeps, then the report, then 10 ms later the end.
    const std::vector<std::string> expected = {
        "0.000000 hello: 5 rounds",
        "0.500000 counter=5 after 500 ms",
        "0.510000 cout works",
        "0.510000 done",
    };
    for (unsigned id = 1; id <= 100; ++id)
        EXPECT_EQ(by_node[id], expected) << "node " << id;

    // The runner removed its copies of the module: only our stderr file is left.
    std::vector<std::string> left;
    for (const auto &e : std::filesystem::directory_iterator(dir.path()))
        left.push_back(e.path().filename().string());
    EXPECT_EQ(left, std::vector<std::string>{"stderr.txt"});
}

TEST(NodeApps, SameSeedGivesTheSameBytes) {
    meshwork::test::TempDir dir("node-apps");
    ASSERT_TRUE(dir.ok());
    const SimRun a = run_sim(dir, app_args(100, 3));
    const SimRun b = run_sim(dir, app_args(100, 3));
    ASSERT_EQ(a.status, 0) << a.err;
    ASSERT_EQ(b.status, 0) << b.err;
    EXPECT_FALSE(a.out.empty());
    EXPECT_EQ(a.out, b.out);
}

TEST(NodeApps, DeadlockedApplicationIsReportedNotHung) {
    meshwork::test::TempDir dir("node-apps");
    ASSERT_TRUE(dir.ok());
    const SimRun r = run_sim(dir, std::string("--app ") + NODE_APP_STUCK + " --nodes 3");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out,
              "[node 1 @ 0.000000 s] waiting\n"
              "[node 2 @ 0.000000 s] waiting\n"
              "[node 3 @ 0.000000 s] waiting\n");
    for (const char *node : {"node1", "node2", "node3"})
        EXPECT_NE(r.err.find(node), std::string::npos) << node << " missing in: " << r.err;
    EXPECT_EQ(r.err.find("unreachable"), std::string::npos);
}

TEST(NodeApps, RunnerReportsWhatItCannotRun) {
    meshwork::test::TempDir dir("node-apps");
    ASSERT_TRUE(dir.ok());
    const SimRun missing = run_sim(dir, "--app " + dir.file("no-such-app.so"));
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("cannot read"), std::string::npos) << missing.err;

    // A file that is not a module: each node reports the loader's error, the run fails.
    {
        std::ofstream junk(dir.file("junk.so"));
        junk << "not an ELF file\n";
    }
    const SimRun junk = run_sim(dir, "--app " + dir.file("junk.so") + " --nodes 2");
    EXPECT_EQ(junk.status, 1);
    EXPECT_NE(junk.err.find("node1"), std::string::npos) << junk.err;
    EXPECT_NE(junk.err.find("node2"), std::string::npos) << junk.err;
    EXPECT_EQ(junk.out, "");

    const SimRun bad_time =
        run_sim(dir, std::string("--app ") + NODE_APP_COUNTER + " --until 5parsecs");
    EXPECT_EQ(bad_time.status, 2);
}

// Each node's lines of the rand_app, without their stamps.
std::map<unsigned, std::vector<std::string>> rand_lines(const meshwork::test::TempDir &dir,
                                                        unsigned nodes, unsigned seed) {
    const SimRun r = run_sim(dir, std::string("--app ") + NODE_APP_RAND + " --nodes " +
                                      std::to_string(nodes) + " --seed " + std::to_string(seed));
    EXPECT_EQ(r.status, 0) << r.err;
    std::map<unsigned, std::vector<std::string>> by_node;
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line)) {
        unsigned id = 0;
        std::string stamp, text;
        EXPECT_TRUE(parse_line(line, &id, &stamp, &text)) << line;
        by_node[id].push_back(text);
    }
    return by_node;
}

TEST(NodeApps, EachNodeHasItsOwnCLibraryGenerator) {
    meshwork::test::TempDir dir("node-apps");
    ASSERT_TRUE(dir.ok());
    // This process is no runner: its rand() is the C library's, the reference.
    std::srand(7);
    std::vector<std::string> seeded;
    for (int i = 0; i < 3; ++i)
        seeded.push_back("seeded " + std::to_string(std::rand()));
    ::srandom(7);
    const std::string random7 = "random " + std::to_string(::random());

    auto by_node = rand_lines(dir, 3, 5);
    ASSERT_EQ(by_node.size(), 3u);
    std::vector<std::string> firsts;
    for (unsigned id = 1; id <= 3; ++id) {
        const auto &l = by_node[id];
        ASSERT_EQ(l.size(), 7u) << "node " << id;
        // The nodes' draws interleave (a sleep after each): with one generator shared by all,
        // a node would see every third value. Its own gives glibc's sequence for srand(7).
        EXPECT_EQ(std::vector<std::string>(l.begin() + 3, l.begin() + 6), seeded) << "node " << id;
        EXPECT_EQ(l[6], random7) << "node " << id;
        firsts.push_back(l[0] + l[1] + l[2]);
    }
    // Unseeded, each node starts from its own stream of the scenario seed.
    EXPECT_NE(firsts[0], firsts[1]);
    EXPECT_NE(firsts[1], firsts[2]);
    EXPECT_NE(firsts[0], firsts[2]);
    // The same seed, the same values; a node's values do not depend on how many nodes there are;
    // another seed, others.
    EXPECT_EQ(rand_lines(dir, 3, 5), by_node);
    EXPECT_EQ(rand_lines(dir, 1, 5)[1], by_node[1]);
    EXPECT_EQ(rand_lines(dir, 2, 5)[2], by_node[2]);
    EXPECT_NE(rand_lines(dir, 3, 6)[1][0], by_node[1][0]);
}

}  // namespace
