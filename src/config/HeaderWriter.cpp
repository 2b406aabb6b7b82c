#include "HeaderWriter.h"

#include <algorithm>
#include <map>
#include <vector>

namespace meshwork::config {
namespace {

constexpr std::size_t kMaxValueColumn = 40;

struct Line {
    std::string name;
    std::string value;
    std::string comment;
};

void write_section(std::string &out, const char *title, const std::vector<Line> &lines) {
    if (lines.empty()) {
        return;
    }
    std::size_t name_width = 0;
    std::size_t value_width = 0;
    for (const auto &l : lines) {
        name_width = std::max(name_width, l.name.size());
        value_width = std::max(value_width, std::min(l.value.size(), kMaxValueColumn));
    }
    out += "\n// ";
    out += title;
    out += "\n";
    for (const auto &l : lines) {
        std::string line = "#define " + l.name;
        if (l.value.empty() && l.comment.empty()) {
            out += line + "\n";
            continue;
        }
        line.append(name_width - l.name.size() + 1, ' ');
        line += l.value;
        if (!l.comment.empty()) {
            if (l.value.size() < value_width) {
                line.append(value_width - l.value.size(), ' ');
            }
            line += " // " + l.comment;
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out += line + "\n";
    }
}

}  // namespace

std::string render_header(const ResolvedConfig &config) {
    std::string out =
        "// Automatically generated configuration file: meshwork-config, from the application's\n"
        "// mbed_app.json and the libraries' mbed_lib.json files. Do not edit.\n"
        "\n"
        "#ifndef __MBED_CONFIG_DATA__\n"
        "#define __MBED_CONFIG_DATA__\n";

    std::map<std::string, Line> params;
    for (const auto &[name, p] : config.parameters) {
        if (p.value.kind == ParameterValue::Kind::kNull) {
            continue;
        }
        params[p.value.macro_name] =
            Line{p.value.macro_name, p.value.text, "set by " + p.value.set_by};
    }
    std::vector<Line> lines;
    for (auto &[k, l] : params) {
        lines.push_back(l);
    }
    write_section(out, "Configuration parameters", lines);

    std::map<std::string, Line> target;
    auto add = [&](const std::string &prefix, const std::string &name) {
        target[prefix + name] = Line{prefix + name, "1", ""};
    };
    for (const auto &l : config.labels) {
        add("TARGET_", l);
    }
    for (const auto &l : config.extra_labels) {
        add("TARGET_", l);
    }
    for (const auto &f : config.features) {
        add("FEATURE_", f);
    }
    for (const auto &d : config.device_has) {
        add("DEVICE_", d);
    }
    for (const auto &c : config.components) {
        add("COMPONENT_", c);
    }
    lines.clear();
    for (auto &[k, l] : target) {
        lines.push_back(l);
    }
    write_section(out, "Target labels, features, peripherals and components", lines);

    lines.clear();
    for (const auto &[name, m] : config.macros) {
        lines.push_back(Line{name, m.body.value_or(""), "defined by " + m.defined_by});
    }
    write_section(out, "Macros", lines);

    out += "\n#endif\n";
    return out;
}

}  // namespace meshwork::config
