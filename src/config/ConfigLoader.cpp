#include "meshwork/config/ConfigLoader.h"

#include <exception>
#include <fstream>
#include <sstream>

#include "BuiltinLibraries.h"
#include "ConfigResolver.h"
#include "ConfigValidator.h"
#include "HeaderWriter.h"
#include "SourceWriter.h"

namespace meshwork::config {
namespace {

bool read_file(const std::string &path, std::string &out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return !in.bad();
}

}  // namespace

std::vector<std::string> builtin_library_names() {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < kBuiltinLibraryCount; ++i) {
        std::string path = kBuiltinLibraries[i].path;  // mbed_lib/<name>/mbed_lib.json
        std::size_t a = path.find('/');
        std::size_t b = path.find('/', a + 1);
        names.push_back(path.substr(a + 1, b - a - 1));
    }
    return names;
}

LoadResult load_configuration(const LoadOptions &options) {
    LoadResult result;
    try {
        ConfigResolver resolver(options.labels);
        for (std::size_t i = 0; i < kBuiltinLibraryCount; ++i) {
            resolver.add_library(std::string("<builtin>/") + kBuiltinLibraries[i].path,
                                 kBuiltinLibraries[i].text);
        }
        for (const auto &path : options.library_paths) {
            std::string text;
            if (!read_file(path, text)) {
                result.errors.push_back(path + ": error: cannot read the library file");
                continue;
            }
            resolver.add_library(path, text);
        }
        std::string app_name = options.app_config_path.value_or("mbed_app.json");
        if (options.app_config_text) {
            resolver.set_application(app_name, *options.app_config_text);
        } else if (options.app_config_path) {
            std::string text;
            if (!read_file(*options.app_config_path, text)) {
                result.errors.push_back(app_name +
                                        ": error: cannot read the application configuration");
                return result;
            }
            resolver.set_application(app_name, text);
        }
        resolver.resolve();
        result.errors.insert(result.errors.end(), resolver.errors().begin(),
                             resolver.errors().end());
        result.notes = resolver.notes();
        if (!result.errors.empty()) {
            return result;
        }
        build_configuration(resolver.result(), result.config, result.errors);
        if (result.errors.empty()) {
            result.header = render_header(resolver.result());
            result.source = render_application_source(resolver.result());
        }
    } catch (const std::exception &e) {
        result.errors.push_back(std::string("error: internal error: ") + e.what());
    }
    return result;
}

}  // namespace meshwork::config
