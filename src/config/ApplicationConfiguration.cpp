#include "meshwork/config/ApplicationConfiguration.h"

#include <cstdio>

#include "ConfigResolver.h"
#include "ConfigValidator.h"

namespace meshwork::config {
namespace {

const char *const kTableName = "<application configuration table>";

template <typename Container>
void insert_names(const NameList &list, Container &out) {
    for (std::size_t i = 0; i < list.count; ++i) {
        if (list.items != nullptr && list.items[i] != nullptr) {
            out.insert(out.end(), list.items[i]);
        }
    }
}

std::string or_empty(const char *s) {
    return s != nullptr ? s : "";
}

bool to_value(const ParameterRecord &r, ParameterValue &v) {
    v.text = or_empty(r.text);
    v.macro_name = or_empty(r.macro_name);
    v.set_by = or_empty(r.set_by);
    switch (r.kind) {
        case 'n':
            v.kind = ParameterValue::Kind::kNull;
            v.text.clear();
            return true;
        case 'b':
            v.kind = ParameterValue::Kind::kBool;
            v.bool_value = r.int_value != 0;
            v.int_value = r.int_value != 0 ? 1 : 0;
            return true;
        case 'i':
            v.kind = ParameterValue::Kind::kInteger;
            v.int_value = r.int_value;
            return true;
        case 'f':
            v.kind = ParameterValue::Kind::kFloat;
            return true;
        case 's':
            v.kind = ParameterValue::Kind::kString;
            return true;
        default:
            return false;
    }
}

}  // namespace

// Weak: the source meshwork_configure() generates defines the strong one. GCC never inlines a
// weak function into its callers, so the application's definition is always the one called.
__attribute__((weak)) const ConfigurationTable *application_configuration_table() {
    return nullptr;
}

Configuration configuration_from_table(const ConfigurationTable &table,
                                       std::vector<std::string> &errors) {
    Configuration out;
    if (table.format != kConfigurationTableFormat) {
        errors.push_back(std::string(kTableName) + ": error: format " +
                         std::to_string(table.format) + ", this meshwork reads format " +
                         std::to_string(kConfigurationTableFormat) +
                         " (regenerate it with this meshwork's meshwork-config)");
        return out;
    }
    ResolvedConfig r;
    for (std::size_t i = 0; table.parameters != nullptr && i < table.parameter_count; ++i) {
        const ParameterRecord &rec = table.parameters[i];
        if (rec.name == nullptr) {
            continue;
        }
        ResolvedParameter p;
        p.name = rec.name;
        p.unit = p.name.substr(0, p.name.find('.'));
        if (!to_value(rec, p.value)) {
            errors.push_back(std::string(kTableName) + ": error: \"" + p.name +
                             "\": unknown value kind");
            continue;
        }
        p.json_text = p.value.text;
        p.file = kTableName;
        p.where = "resolved";
        r.parameters[p.name] = std::move(p);
    }
    insert_names(table.labels, r.labels);
    insert_names(table.extra_labels, r.extra_labels);
    insert_names(table.features, r.features);
    insert_names(table.device_has, r.device_has);
    insert_names(table.components, r.components);
    insert_names(table.libraries, r.libraries);
    for (std::size_t i = 0; table.macros != nullptr && i < table.macro_count; ++i) {
        const MacroRecord &m = table.macros[i];
        if (m.name == nullptr) {
            continue;
        }
        MacroDefinition d;
        if (m.body != nullptr) {
            d.body = m.body;
        }
        r.macros[m.name] = d;
    }
    build_configuration(r, out, errors);
    return out;
}

const Configuration &application_configuration() {
    // Never destroyed: static destructors of the application may still read it.
    static const Configuration *const configuration = [] {
        const ConfigurationTable *table = application_configuration_table();
        if (table == nullptr) {
            return new Configuration();
        }
        std::vector<std::string> errors;
        auto *c = new Configuration(configuration_from_table(*table, errors));
        for (const std::string &e : errors) {
            std::fprintf(stderr, "meshwork: %s\n", e.c_str());
        }
        return c;
    }();
    return *configuration;
}

}  // namespace meshwork::config
