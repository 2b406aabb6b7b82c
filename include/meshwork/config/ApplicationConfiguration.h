// The application's configuration at run time. meshwork's libraries are precompiled without the
// application's mbed_config.h, so meshwork_configure() also generates a source that hands them
// the whole resolved configuration as one constant table (the same values the header pastes
// into macros). The libraries read it through application_configuration(), at the
// compatibility edge only (default instances, the shared queues, the process-wide resolver);
// everything else takes a Configuration, or the part of it it needs, at construction, so a
// simulated node can carry its own.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "meshwork/config/Configuration.h"

namespace meshwork::config {

/// One resolved parameter. `kind` is 'n' (null), 'b' (boolean: int_value 1 or 0), 'i'
/// (integer: int_value), 'f' (float: text only) or 's' (string: text).
struct ParameterRecord {
    const char *name;  // "nsapi.dns-cache-size"
    char kind;
    const char *text;  // the macro body; "" for null
    long long int_value;
    const char *macro_name;
    const char *set_by;
};

/// One "macros" entry; body is nullptr for a bare "#define NAME".
struct MacroRecord {
    const char *name;
    const char *body;
};

/// A list of names; items may be nullptr when count is 0.
struct NameList {
    const char *const *items;
    std::size_t count;
};

/// The resolved configuration as generated code holds it: plain constant data, initialised
/// before any code runs, so reading it is safe even from static constructors.
struct ConfigurationTable {
    unsigned format;  // kConfigurationTableFormat of the generator
    const ParameterRecord *parameters;
    std::size_t parameter_count;
    NameList labels;  // the target labels the sections were matched against
    NameList extra_labels;
    NameList features;
    NameList device_has;
    NameList components;
    NameList libraries;  // the active libraries (after "requires")
    const MacroRecord *macros;
    std::size_t macro_count;
};

/// Bumped whenever ConfigurationTable or ParameterRecord change shape.
constexpr unsigned kConfigurationTableFormat = 1;

/// The table of this process's application: defined by the source meshwork_configure()
/// generates; the library's weak definition returns nullptr (no generated configuration).
const ConfigurationTable *application_configuration_table();

/// The typed configuration a table describes. Messages for values the table gets wrong (a
/// table of another format, or values outside the ranges) go to `errors`; those fields keep
/// their library defaults.
Configuration configuration_from_table(const ConfigurationTable &table,
                                       std::vector<std::string> &errors);

/// This process's application configuration: the generated table's, else the library
/// defaults (Configuration{}). Built once on first use and never destroyed.
const Configuration &application_configuration();

}  // namespace meshwork::config
