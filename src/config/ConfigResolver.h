// Mbed's configuration resolution, reproduced: library mbed_lib.json files and the
// application's mbed_app.json are read, parameters defined, then "target_overrides" applied for
// the pseudo-target's labels ("*" and matching labels, in file order; libraries first, the
// application last), cumulative target attributes (features, device_has, components,
// extra_labels, macros) edited with _add/_remove, and the parameters' own constraints
// (accepted_values, value_min, value_max, required) checked. The JSON parser stays inside the
// .cpp so that only this translation unit pays for it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "meshwork/config/Configuration.h"

namespace meshwork::config {

struct ResolvedParameter {
    std::string name;  // "unit.key"
    std::string unit;  // library name, "app" or "target"
    ParameterValue value;
    std::string json_text;   // the value as JSON, for messages
    std::string file;        // file of the last write
    std::string where;       // "config" or "target_overrides \"*\""
    std::string defined_in;  // file of the definition
    std::vector<ParameterValue> accepted_values;
    std::optional<std::int64_t> value_min;
    std::optional<std::int64_t> value_max;
    bool required = false;
};

struct MacroDefinition {
    std::optional<std::string> body;  // nullopt: "#define NAME"
    std::string defined_by;           // "application", "library:x", "target"
};

struct ResolvedConfig {
    std::map<std::string, ResolvedParameter> parameters;  // by full name
    std::vector<std::string> labels;                      // as given (order kept)
    std::set<std::string> features;
    std::set<std::string> device_has;
    std::set<std::string> components;
    std::set<std::string> extra_labels;
    std::map<std::string, MacroDefinition> macros;
    std::set<std::string> libraries;  // active ones
};

class ConfigResolver {
  public:
    /// `labels` empty means {"LINUX"}.
    explicit ConfigResolver(std::vector<std::string> labels);
    ~ConfigResolver();
    ConfigResolver(const ConfigResolver &) = delete;
    ConfigResolver &operator=(const ConfigResolver &) = delete;

    /// Registers one mbed_lib.json (or the target definition, a library named "target").
    void add_library(const std::string &file, std::string_view text);
    /// Registers the application's mbed_app.json (at most once).
    void set_application(const std::string &file, std::string_view text);
    /// Applies everything. Call once, after the add/set calls.
    void resolve();

    const ResolvedConfig &result() const;
    const std::vector<std::string> &errors() const;
    const std::vector<std::string> &notes() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// "MBED_CONF_" + upper-cased name with '.' and '-' turned into '_'.
std::string default_macro_name(const std::string &full_name);

/// "file:line:col: error: invalid JSON: ..." or empty; checks nesting depth too.
std::string check_json_syntax(const std::string &file, std::string_view text);

}  // namespace meshwork::config
