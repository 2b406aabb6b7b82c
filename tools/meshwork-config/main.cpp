// meshwork-config: mbed_app.json (+ the built-in mbed_lib.json files) -> mbed_config.h, and
// optionally the C++ source that hands the same configuration to meshwork's libraries at run
// time. Errors go to stderr, one per line, and the exit status is 1; output files are only
// rewritten when their contents change, so builds that depend on them stay incremental.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "meshwork/config/ConfigLoader.h"

namespace {

bool same_contents(const std::string &path, const std::string &text) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str() == text;
}

// Writes `text` to `path` unless it already holds exactly that.
bool write_if_changed(const std::string &path, const std::string &text, const char *what) {
    if (same_contents(path, text)) {
        return true;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
        std::cerr << path << ": error: cannot write the " << what << "\n";
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char **argv) {
    CLI::App cli{"Generate mbed_config.h from an Mbed application's mbed_app.json",
                 "meshwork-config"};
    std::string app_config;
    std::vector<std::string> labels;
    std::vector<std::string> libraries;
    std::string output;
    std::string source;
    bool verbose = false;
    bool list_libraries = false;
    cli.add_option("--app-config", app_config, "The application's mbed_app.json");
    cli.add_option("--label", labels,
                   "Target label for target_overrides (repeatable; default LINUX)");
    cli.add_option("--lib", libraries, "An extra library mbed_lib.json (repeatable)");
    cli.add_option("-o,--output", output,
                   "Where to write mbed_config.h (default: standard output)");
    cli.add_option("--source", source,
                   "Also write the C++ source that hands the configuration to the libraries at "
                   "run time");
    cli.add_flag("-v,--verbose", verbose,
                 "Also report ignored target_overrides sections and other notes");
    cli.add_flag("--list-libraries", list_libraries, "List the built-in libraries and exit");
    CLI11_PARSE(cli, argc, argv);

    if (list_libraries) {
        for (const auto &name : meshwork::config::builtin_library_names()) {
            std::cout << name << "\n";
        }
        return 0;
    }

    meshwork::config::LoadOptions options;
    if (!app_config.empty()) {
        options.app_config_path = app_config;
    }
    options.labels = labels;
    options.library_paths = libraries;
    meshwork::config::LoadResult result = meshwork::config::load_configuration(options);
    if (verbose) {
        for (const auto &note : result.notes) {
            std::cerr << note << "\n";
        }
    }
    for (const auto &error : result.errors) {
        std::cerr << error << "\n";
    }
    if (!result.ok()) {
        return 1;
    }
    if (!source.empty() && !write_if_changed(source, result.source, "source")) {
        return 1;
    }
    if (output.empty()) {
        std::cout << result.header;
        return std::cout.good() ? 0 : 1;
    }
    return write_if_changed(output, result.header, "header") ? 0 : 1;
}
