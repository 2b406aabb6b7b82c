#include "meshwork/config/Configuration.h"

#include <algorithm>

#include "IntExpression.h"
#include "ValueText.h"

namespace meshwork::config {
namespace {

bool contains(const std::vector<std::string> &v, const std::string &s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

bool TargetConfig::has_device(const std::string &name) const {
    return contains(device_has, name);
}
bool TargetConfig::has_feature(const std::string &name) const {
    return contains(features, name);
}
bool TargetConfig::has_label(const std::string &name) const {
    return contains(labels, name);
}

bool AppConfig::has(const std::string &name) const {
    return values.count(name) != 0;
}

std::optional<bool> AppConfig::get_bool(const std::string &name) const {
    auto it = values.find(name);
    if (it == values.end()) {
        return std::nullopt;
    }
    const ParameterValue &v = it->second;
    if (v.kind == ParameterValue::Kind::kBool) {
        return v.bool_value;
    }
    if (v.kind == ParameterValue::Kind::kInteger && (v.int_value == 0 || v.int_value == 1)) {
        return v.int_value == 1;
    }
    return std::nullopt;
}

std::optional<std::int64_t> AppConfig::get_int(const std::string &name) const {
    auto it = values.find(name);
    if (it == values.end()) {
        return std::nullopt;
    }
    const ParameterValue &v = it->second;
    if (v.kind == ParameterValue::Kind::kInteger) {
        return v.int_value;
    }
    if (v.kind == ParameterValue::Kind::kString) {
        IntExpressionResult r = evaluate_int_expression(v.text);
        if (r.ok && r.value <= static_cast<std::uint64_t>(INT64_MAX)) {
            return static_cast<std::int64_t>(r.value);
        }
    }
    return std::nullopt;
}

std::optional<std::string> AppConfig::get_text(const std::string &name) const {
    auto it = values.find(name);
    if (it == values.end() || it->second.kind == ParameterValue::Kind::kNull) {
        return std::nullopt;
    }
    return it->second.text;
}

std::optional<std::string> AppConfig::get_c_string(const std::string &name) const {
    auto it = values.find(name);
    if (it == values.end() || it->second.kind != ParameterValue::Kind::kString) {
        return std::nullopt;
    }
    CStringResult r = parse_c_string_literal(it->second.text);
    if (!r.ok) {
        return std::nullopt;
    }
    return r.value;
}

std::optional<std::string> Configuration::c_string(const std::string &full_name) const {
    auto it = parameters.find(full_name);
    if (it == parameters.end() || it->second.kind != ParameterValue::Kind::kString) {
        return std::nullopt;
    }
    CStringResult r = parse_c_string_literal(it->second.text);
    if (!r.ok) {
        return std::nullopt;
    }
    return r.value;
}

}  // namespace meshwork::config
