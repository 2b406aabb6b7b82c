// The meshwork-config command line: output, exit status and errors on stderr.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

#include "TempDir.h"

namespace {

namespace fs = std::filesystem;

struct ToolRun {
    int status = -1;
    std::string output;  // stdout and stderr, interleaved
};

ToolRun run(const std::string &args) {
    ToolRun r;
    std::string cmd = std::string("'") + MESHWORK_CONFIG_TOOL + "' " + args + " 2>&1";
    FILE *p = popen(cmd.c_str(), "r");
    if (p == nullptr) {
        return r;
    }
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) {
        r.output.append(buf, n);
    }
    int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

std::string slurp(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(Cli, WritesTheGoldenHeader) {
    fs::path golden = fs::path(MESHWORK_CONFIG_GOLDEN_DIR) / "mesh_doc_example";
    meshwork::test::TempDir tmp("meshwork-config-cli");
    ASSERT_TRUE(tmp.ok());
    fs::path out = fs::path(tmp.path()) / "mbed_config.h";
    ToolRun r =
        run("--app-config '" + (golden / "mbed_app.json").string() + "' -o '" + out.string() + "'");
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(r.output, "");
    EXPECT_EQ(slurp(out), slurp(golden / "mbed_config.h"));
}

TEST(Cli, LabelsAndVerbose) {
    fs::path golden = fs::path(MESHWORK_CONFIG_GOLDEN_DIR) / "target_sections_k64f";
    ToolRun r = run("--app-config '" + (golden / "mbed_app.json").string() +
                    "' --label K64F --label FRDM --verbose");
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.output.find("note: target_overrides \"LINUX\" ignored (labels: K64F, FRDM)"),
              std::string::npos);
    EXPECT_NE(r.output.find("#define TARGET_K64F"), std::string::npos);
    ToolRun quiet = run("--app-config '" + (golden / "mbed_app.json").string() + "' --label K64F");
    EXPECT_EQ(quiet.output.find("note:"), std::string::npos);
}

TEST(Cli, ErrorsGoToStderrWithNonZeroExit) {
    meshwork::test::TempDir tmp("meshwork-config-cli");
    ASSERT_TRUE(tmp.ok());
    fs::path dir = tmp.path();
    fs::path app = dir / "mbed_app.json";
    std::ofstream(app)
        << "{\"target_overrides\": {\"*\": {\"mbed-mesh-api.thread-config-channel\": 30}}}";
    fs::path out = dir / "never.h";
    ToolRun r = run("--app-config '" + app.string() + "' -o '" + out.string() + "'");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(
        r.output,
        app.string() +
            ": error: target_overrides \"*\": \"mbed-mesh-api.thread-config-channel\" = 30: out of "
            "range; allowed: 11..26\n");
    EXPECT_FALSE(fs::exists(out));
    ToolRun missing = run("--app-config '" + (dir / "absent.json").string() + "'");
    EXPECT_EQ(missing.status, 1);
    EXPECT_NE(missing.output.find("absent.json: error: cannot read the application configuration"),
              std::string::npos);
    ToolRun bad_option = run("--no-such-option");
    EXPECT_NE(bad_option.status, 0);
}

TEST(Cli, ListsLibrariesAndAcceptsExtraOnes) {
    ToolRun r = run("--list-libraries");
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.output.find("mbed-mesh-api\n"), std::string::npos);
    meshwork::test::TempDir tmp("meshwork-config-cli");
    ASSERT_TRUE(tmp.ok());
    fs::path dir = tmp.path();
    std::ofstream(dir / "mbed_lib.json")
        << R"({"name": "my-radio", "config": {"provide-default": false}})";
    std::ofstream(dir / "mbed_app.json")
        << R"({"target_overrides": {"*": {"my-radio.provide-default": true}}})";
    ToolRun lib = run("--app-config '" + (dir / "mbed_app.json").string() + "' --lib '" +
                      (dir / "mbed_lib.json").string() + "'");
    EXPECT_EQ(lib.status, 0) << lib.output;
    EXPECT_NE(lib.output.find("#define MBED_CONF_MY_RADIO_PROVIDE_DEFAULT"), std::string::npos);
}

TEST(Cli, SourceHoldsTheRunTimeTableAndIsOnlyRewrittenWhenItChanges) {
    meshwork::test::TempDir tmp("meshwork-config-cli");
    ASSERT_TRUE(tmp.ok());
    fs::path dir = tmp.path();
    fs::path app = dir / "mbed_app.json";
    std::ofstream(app) << R"({"target_overrides": {"*": {"nsapi.dns-cache-size": 4}}})";
    fs::path header = dir / "mbed_config.h";
    fs::path source = dir / "meshwork_app_config.cpp";
    const std::string args = "--app-config '" + app.string() + "' -o '" + header.string() +
                             "' --source '" + source.string() + "'";
    ToolRun r = run(args);
    ASSERT_EQ(r.status, 0) << r.output;
    const std::string text = slurp(source);
    EXPECT_NE(text.find("{\"nsapi.dns-cache-size\", 'i', \"4\", 4LL,"), std::string::npos) << text;
    EXPECT_NE(text.find("meshwork::config::application_configuration_table()"), std::string::npos);
    const auto written = fs::last_write_time(source);
    fs::last_write_time(source, written - std::chrono::hours(1));
    ASSERT_EQ(run(args).status, 0);
    EXPECT_EQ(fs::last_write_time(source), written - std::chrono::hours(1)) << "unchanged";
    std::ofstream(app) << R"({"target_overrides": {"*": {"nsapi.dns-cache-size": 5}}})";
    ASSERT_EQ(run(args).status, 0);
    EXPECT_NE(slurp(source).find("'i', \"5\", 5LL,"), std::string::npos);
    fs::remove_all(dir);
}

}  // namespace
