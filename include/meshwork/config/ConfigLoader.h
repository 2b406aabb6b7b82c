// Loading an application's mbed_app.json together with the built-in library mbed_lib.json files:
// the resolved, validated Configuration, the text of the mbed_config.h Mbed would generate and
// the source that hands the configuration to the precompiled libraries at run time.
// This is the library entry point behind the meshwork-config tool and meshwork_configure().
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "meshwork/config/Configuration.h"

namespace meshwork::config {

struct LoadOptions {
    /// The application's mbed_app.json; none means "no application configuration".
    std::optional<std::string> app_config_path;
    /// Application text used instead of reading app_config_path (which then only names it).
    std::optional<std::string> app_config_text;
    /// Target labels the target_overrides sections are matched against; empty means {"LINUX"}.
    std::vector<std::string> labels;
    /// Extra mbed_lib.json files (third-party libraries), after the built-in ones.
    std::vector<std::string> library_paths;
};

struct LoadResult {
    /// Empty when the configuration is valid. Each entry is one complete message that names
    /// the file, the key, the value and what is allowed ("file:line:col: ..." for bad JSON).
    std::vector<std::string> errors;
    /// Informational notes for --verbose (ignored sections, unknown "requires" names, ...).
    std::vector<std::string> notes;
    Configuration config;
    /// The generated mbed_config.h; empty when there are errors.
    std::string header;
    /// The generated C++ source that hands the configuration to the libraries at run time
    /// (meshwork/config/ApplicationConfiguration.h); empty when there are errors.
    std::string source;

    bool ok() const { return errors.empty(); }
};

/// Resolves, validates and renders. Never throws; every failure is in LoadResult::errors.
LoadResult load_configuration(const LoadOptions &options);

/// Names of the built-in libraries ("events", "mbed-mesh-api", "nsapi", ...).
std::vector<std::string> builtin_library_names();

}  // namespace meshwork::config
