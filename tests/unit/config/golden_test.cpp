// Golden mbed_config.h outputs: each folder under golden/ holds an mbed_app.json, optionally a
// `labels` file (whitespace-separated target labels), and the expected mbed_config.h.
// MESHWORK_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "meshwork/config/ConfigLoader.h"

namespace meshwork::config {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> golden_cases() {
    std::vector<std::string> out;
    for (const auto &e : fs::directory_iterator(MESHWORK_CONFIG_GOLDEN_DIR)) {
        if (e.is_directory()) {
            out.push_back(e.path().filename().string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, HeaderMatches) {
    fs::path dir = fs::path(MESHWORK_CONFIG_GOLDEN_DIR) / GetParam();
    LoadOptions options;
    options.app_config_path = "mbed_app.json";
    options.app_config_text = slurp(dir / "mbed_app.json");
    if (fs::exists(dir / "labels")) {
        std::istringstream labels(slurp(dir / "labels"));
        std::string l;
        while (labels >> l) {
            options.labels.push_back(l);
        }
    }
    LoadResult r = load_configuration(options);
    ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors.front());
    const char *update = std::getenv("MESHWORK_UPDATE_GOLDEN");
    if (update != nullptr && std::string(update) == "1") {
        std::ofstream(dir / "mbed_config.h", std::ios::binary) << r.header;
        GTEST_SKIP() << "golden file rewritten";
    }
    ASSERT_TRUE(fs::exists(dir / "mbed_config.h")) << "no golden mbed_config.h in " << dir;
    EXPECT_EQ(r.header, slurp(dir / "mbed_config.h"));
}

INSTANTIATE_TEST_SUITE_P(Config, Golden, ::testing::ValuesIn(golden_cases()),
                         [](const auto &info) { return info.param; });

TEST(GoldenSet, CoversTheIssueCases) {
    std::vector<std::string> cases = golden_cases();
    for (const char *name :
         {"mesh_doc_example", "thread_app", "lowpan_psk_app", "socket_app", "target_sections_linux",
          "target_sections_k64f", "bare_metal_requires"}) {
        EXPECT_NE(std::find(cases.begin(), cases.end(), name), cases.end()) << name;
    }
}

TEST(Header, IsDeterministic) {
    LoadOptions options;
    options.app_config_path = "mbed_app.json";
    options.app_config_text =
        slurp(fs::path(MESHWORK_CONFIG_GOLDEN_DIR) / "thread_app" / "mbed_app.json");
    EXPECT_EQ(load_configuration(options).header, load_configuration(options).header);
}

}  // namespace
}  // namespace meshwork::config
