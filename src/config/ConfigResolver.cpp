#include "ConfigResolver.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <functional>
#include <nlohmann/json.hpp>

#include "IntExpression.h"
#include "ValueText.h"

namespace meshwork::config {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kMaxJsonDepth = 64;

const char *const kCumulative[] = {"features", "device_has", "components", "extra_labels",
                                   "macros"};

std::string dump(const Json &j) {
    return j.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
}

std::string quote(const std::string &s) {
    return dump(Json(s));
}

std::string join(const std::vector<std::string> &items, const char *sep = ", ") {
    std::string out;
    for (const auto &i : items) {
        if (!out.empty()) {
            out += sep;
        }
        out += i;
    }
    return out;
}

bool is_param_key(const std::string &key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
}

// Line and column (1-based) of byte offset `pos` in `text`.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t pos) {
    std::size_t line = 1;
    std::size_t col = 1;
    for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return {line, col};
}

struct Unit {
    std::string file;
    std::string name;  // library name, or "app"
    Json doc;
    bool is_app = false;
};

}  // namespace

std::string default_macro_name(const std::string &full_name) {
    std::string out = "MBED_CONF_";
    for (char c : full_name) {
        out += (c == '.' || c == '-')
                   ? '_'
                   : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

namespace {

// Parses `text` into `out`; returns "" or a "file:line:col: error: invalid JSON: ..." message.
std::string parse_json(const std::string &file, std::string_view text, Json &out) {
    // Depth first: the parser and the value printer recurse, so refuse absurd nesting early.
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > kMaxJsonDepth) {
                auto [line, col] = line_column(text, i);
                return file + ":" + std::to_string(line) + ":" + std::to_string(col) +
                       ": error: invalid JSON: nested deeper than " +
                       std::to_string(kMaxJsonDepth) + " levels";
            }
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    try {
        out = Json::parse(text.begin(), text.end());
    } catch (const Json::parse_error &e) {
        // e.byte is the 1-based index of the character where parsing stopped.
        std::size_t pos = e.byte == 0 ? 0 : e.byte - 1;
        auto [line, col] = line_column(text, pos);
        std::string what = e.what();
        // Keep the parser's explanation, not its "[json.exception...] ... column y: " prefix.
        std::size_t colon = what.find(": ");
        std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
        return file + ":" + std::to_string(line) + ":" + std::to_string(col) +
               ": error: invalid JSON: " + detail;
    }
    return {};
}

}  // namespace

std::string check_json_syntax(const std::string &file, std::string_view text) {
    Json doc;
    return parse_json(file, text, doc);
}

struct ConfigResolver::Impl {
    std::vector<std::string> labels;
    std::vector<Unit> libraries;
    std::optional<Unit> app;
    ResolvedConfig out;
    std::map<std::string, Json> target_attributes;
    std::set<std::string> known_units;  // every library name, active or not
    std::vector<std::string> errors;
    std::vector<std::string> notes;

    void error(const std::string &file, const std::string &message) {
        errors.push_back(file + ": error: " + message);
    }

    bool check_top_level(const std::string &file, const Json &doc,
                         const std::vector<std::string> &allowed) {
        if (!doc.is_object()) {
            error(file,
                  "the top level must be a JSON object, found " + std::string(doc.type_name()));
            return false;
        }
        bool ok = true;
        for (auto it = doc.begin(); it != doc.end(); ++it) {
            if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
                std::vector<std::string> near = nearest_names(it.key(), allowed, 1);
                error(file, "unknown top-level key " + quote(it.key()) +
                                "; allowed: " + join(allowed) +
                                (near.empty() ? "" : " (did you mean " + quote(near[0]) + "?)"));
                ok = false;
            }
        }
        return ok;
    }

    std::optional<Unit> parse_unit(const std::string &file, std::string_view text) {
        Unit u;
        u.file = file;
        std::string syntax = parse_json(file, text, u.doc);
        if (!syntax.empty()) {
            errors.push_back(syntax);
            return std::nullopt;
        }
        return u;
    }

    // JSON value -> pasted text. Arrays and objects are not values.
    bool convert(const Json &j, ParameterValue &v, std::string &problem) {
        v = ParameterValue{};
        switch (j.type()) {
            case Json::value_t::null:
                v.kind = ParameterValue::Kind::kNull;
                return true;
            case Json::value_t::boolean:
                v.kind = ParameterValue::Kind::kBool;
                v.bool_value = j.get<bool>();
                v.text = v.bool_value ? "1" : "0";
                v.int_value = v.bool_value ? 1 : 0;
                return true;
            case Json::value_t::number_integer:
                v.kind = ParameterValue::Kind::kInteger;
                v.int_value = j.get<std::int64_t>();
                v.text = dump(j);
                return true;
            case Json::value_t::number_unsigned: {
                std::uint64_t u = j.get<std::uint64_t>();
                v.text = dump(j);
                if (u <= static_cast<std::uint64_t>(INT64_MAX)) {
                    v.kind = ParameterValue::Kind::kInteger;
                    v.int_value = static_cast<std::int64_t>(u);
                } else {
                    v.kind = ParameterValue::Kind::kFloat;
                }
                return true;
            }
            case Json::value_t::number_float:
                v.kind = ParameterValue::Kind::kFloat;
                v.text = dump(j);
                return true;
            case Json::value_t::string: {
                v.kind = ParameterValue::Kind::kString;
                v.text = j.get<std::string>();
                if (v.text.find_first_of("\r\n") != std::string::npos) {
                    problem = "a macro value cannot contain a line break";
                    return false;
                }
                if (!v.text.empty() && v.text.back() == '\\') {
                    problem =
                        "a macro value cannot end with a backslash (it would continue the line)";
                    return false;
                }
                return true;
            }
            default:
                problem = "wrong type (" + std::string(j.type_name()) + ")" +
                          "; allowed: a boolean, a number, a string or null";
                return false;
        }
    }

    std::string set_by_for(const Unit &u, const std::string &section) const {
        std::string base =
            u.is_app ? "application" : (u.name == "target" ? "target" : "library:" + u.name);
        if (u.name == "target" && section.empty()) {
            return "target:" + labels.front();
        }
        return section.empty() ? base : base + "[" + section + "]";
    }

    void define_parameters(const Unit &u) {
        auto it = u.doc.find("config");
        if (it == u.doc.end()) {
            return;
        }
        if (!it->is_object()) {
            error(u.file, "\"config\" must be an object, found " + std::string(it->type_name()));
            return;
        }
        std::string unit = u.is_app ? "app" : u.name;
        for (auto p = it->begin(); p != it->end(); ++p) {
            const std::string &key = p.key();
            if (!is_param_key(key)) {
                error(u.file, "config: parameter name " + quote(key) +
                                  " is invalid; allowed: letters, digits, '-' and '_' (no '.')");
                continue;
            }
            ResolvedParameter param;
            param.name = unit + "." + key;
            param.unit = unit;
            param.defined_in = u.file;
            param.file = u.file;
            param.where = "config";
            Json value;
            std::string macro_name;
            if (p->is_object()) {
                const Json &def = *p;
                for (auto f = def.begin(); f != def.end(); ++f) {
                    static const std::vector<std::string> kFields = {
                        "help",      "value",     "macro_name", "required", "accepted_values",
                        "value_min", "value_max", "conflicts"};
                    if (std::find(kFields.begin(), kFields.end(), f.key()) == kFields.end()) {
                        notes.push_back(u.file + ": note: config " + quote(key) +
                                        ": unknown field " + quote(f.key()) + " ignored");
                    }
                }
                if (def.contains("value")) {
                    value = def["value"];
                }
                if (def.contains("macro_name")) {
                    const Json &m = def["macro_name"];
                    if (!m.is_string() || !is_identifier(m.get<std::string>())) {
                        error(u.file, "config: " + quote(key) + ": macro_name = " + dump(m) +
                                          " is not a C identifier");
                        continue;
                    }
                    macro_name = m.get<std::string>();
                }
                if (def.contains("required")) {
                    if (!def["required"].is_boolean()) {
                        error(u.file, "config: " + quote(key) +
                                          ": required = " + dump(def["required"]) +
                                          ": wrong type; allowed: true or false");
                        continue;
                    }
                    param.required = def["required"].get<bool>();
                }
                if (def.contains("accepted_values")) {
                    const Json &a = def["accepted_values"];
                    if (!a.is_array()) {
                        error(u.file, "config: " + quote(key) + ": accepted_values = " + dump(a) +
                                          " must be an array");
                        continue;
                    }
                    bool good = true;
                    for (const auto &item : a) {
                        ParameterValue pv;
                        std::string problem;
                        if (!convert(item, pv, problem)) {
                            error(u.file, "config: " + quote(key) + ": accepted_values element " +
                                              dump(item) + ": " + problem);
                            good = false;
                            break;
                        }
                        param.accepted_values.push_back(pv);
                    }
                    if (!good) {
                        continue;
                    }
                }
                bool bounds_ok = true;
                for (const char *bound : {"value_min", "value_max"}) {
                    if (!def.contains(bound) || def[bound].is_null()) {
                        continue;
                    }
                    const Json &b = def[bound];
                    std::optional<std::int64_t> n;
                    if (b.is_number_integer() &&
                        !(b.is_number_unsigned() && b.get<std::uint64_t>() > INT64_MAX)) {
                        n = b.get<std::int64_t>();
                    } else if (b.is_string()) {
                        IntExpressionResult r = evaluate_int_expression(b.get<std::string>());
                        if (r.ok && r.value <= static_cast<std::uint64_t>(INT64_MAX)) {
                            n = static_cast<std::int64_t>(r.value);
                        }
                    }
                    if (!n) {
                        error(u.file, "config: " + quote(key) + ": " + bound + " = " + dump(b) +
                                          " is not an integer; allowed: a JSON integer or an "
                                          "integer expression");
                        bounds_ok = false;
                        break;
                    }
                    (std::string(bound) == "value_min" ? param.value_min : param.value_max) = n;
                }
                if (!bounds_ok) {
                    continue;
                }
            } else {
                value = *p;
            }
            std::string problem;
            if (!convert(value, param.value, problem)) {
                error(u.file, "config: " + quote(key) + " = " + dump(value) + ": " + problem);
                continue;
            }
            param.json_text = dump(value);
            param.value.macro_name =
                macro_name.empty() ? default_macro_name(param.name) : macro_name;
            param.value.set_by = set_by_for(u, "");
            if (out.parameters.count(param.name) != 0) {
                error(u.file, "config: parameter " + quote(param.name) +
                                  " is defined twice (also in " +
                                  out.parameters[param.name].defined_in + ")");
                continue;
            }
            out.parameters.emplace(param.name, std::move(param));
        }
    }

    bool parse_macro(const std::string &file, const std::string &context, const Json &m,
                     std::string &name, std::optional<std::string> &body) {
        if (!m.is_string()) {
            error(file, context + ": macro " + dump(m) +
                            ": wrong type; allowed: a string \"NAME\" or \"NAME=VALUE\"");
            return false;
        }
        std::string s = m.get<std::string>();
        std::size_t eq = s.find('=');
        name = s.substr(0, eq);
        if (eq != std::string::npos) {
            body = s.substr(eq + 1);
        } else {
            body.reset();
        }
        // Function-like macros keep their parameter list in the name: "F(x)=...".
        std::string bare = name.substr(0, name.find('('));
        if (!is_identifier(bare)) {
            error(file, context + ": macro " + quote(s) + ": " + quote(name) +
                            " is not a C identifier; allowed: \"NAME\" or \"NAME=VALUE\"");
            return false;
        }
        if (s.find_first_of("\r\n") != std::string::npos || (!s.empty() && s.back() == '\\')) {
            error(file, context + ": macro " + quote(s) +
                            " contains a line break or ends with a backslash");
            return false;
        }
        return true;
    }

    void add_macros(const Unit &u) {
        auto it = u.doc.find("macros");
        if (it == u.doc.end()) {
            return;
        }
        if (!it->is_array()) {
            error(u.file,
                  "\"macros\" must be an array of strings, found " + std::string(it->type_name()));
            return;
        }
        for (const auto &m : *it) {
            std::string name;
            std::optional<std::string> body;
            if (parse_macro(u.file, "macros", m, name, body)) {
                out.macros[name] =
                    MacroDefinition{body, u.is_app ? "application" : "library:" + u.name};
            }
        }
    }

    std::vector<std::string> all_names() const {
        std::vector<std::string> names;
        for (const auto &[n, p] : out.parameters) {
            names.push_back(n);
        }
        for (const auto &[n, v] : target_attributes) {
            names.push_back("target." + n);
        }
        for (const char *c : kCumulative) {
            names.push_back(std::string("target.") + c + "_add");
            names.push_back(std::string("target.") + c + "_remove");
        }
        return names;
    }

    void cumulative(const Unit &u, const std::string &context, const std::string &attr,
                    const std::string &op, const Json &value) {
        std::string key = "target." + attr + op;
        if (!value.is_array()) {
            error(u.file, context + ": " + quote(key) + " = " + dump(value) +
                              ": wrong type; allowed: an array of strings");
            return;
        }
        if (attr == "extra_labels" && !u.is_app) {
            error(u.file,
                  context + ": " + quote(key) + ": only the application may change extra_labels");
            return;
        }
        if (attr == "macros") {
            if (op.empty()) {
                for (auto it = out.macros.begin(); it != out.macros.end();) {
                    it = it->second.defined_by == "target" ? out.macros.erase(it) : std::next(it);
                }
            }
            for (const auto &m : value) {
                std::string name;
                std::optional<std::string> body;
                if (!parse_macro(u.file, context + ": " + quote(key), m, name, body)) {
                    continue;
                }
                if (op == "_remove") {
                    out.macros.erase(name);
                } else {
                    out.macros[name] = MacroDefinition{body, "target"};
                }
            }
            return;
        }
        std::set<std::string> &set = attr == "features"     ? out.features
                                     : attr == "device_has" ? out.device_has
                                     : attr == "components" ? out.components
                                                            : out.extra_labels;
        std::vector<std::string> items;
        for (const auto &item : value) {
            // Digits may lead ("802_15_4_PHY"): the name always follows a prefix such as DEVICE_.
            if (!item.is_string() || !is_param_key(item.get<std::string>()) ||
                item.get<std::string>().find('-') != std::string::npos) {
                error(u.file, context + ": " + quote(key) + ": element " + dump(item) +
                                  " is invalid; allowed: names of letters, digits and '_'");
                return;
            }
            items.push_back(item.get<std::string>());
        }
        if (op.empty()) {
            set.clear();
        }
        for (const auto &i : items) {
            if (op == "_remove") {
                set.erase(i);
            } else {
                set.insert(i);
            }
        }
    }

    void apply(const Unit &u, const std::string &section, const std::string &key,
               const Json &value) {
        std::string context = "target_overrides " + quote(section);
        std::string full =
            key.find('.') == std::string::npos ? (u.is_app ? "app" : u.name) + "." + key : key;
        std::string unit = full.substr(0, full.find('.'));
        std::string rest = full.substr(full.find('.') + 1);
        if (unit == "target") {
            for (const char *c : kCumulative) {
                for (const char *op : {"", "_add", "_remove"}) {
                    if (rest == std::string(c) + op) {
                        cumulative(u, context, c, op, value);
                        return;
                    }
                }
            }
            if (out.parameters.count(full) == 0) {
                auto attr = target_attributes.find(rest);
                if (attr != target_attributes.end()) {
                    if (value.is_array() || value.is_object()) {
                        error(u.file, context + ": " + quote(full) + " = " + dump(value) +
                                          ": wrong type; allowed: a boolean, a number, a "
                                          "string or null");
                        return;
                    }
                    attr->second = value;
                    return;
                }
            }
        }
        auto it = out.parameters.find(full);
        if (it == out.parameters.end()) {
            std::string msg = context + ": " + quote(full) + " = " + dump(value) +
                              ": override of a parameter that no library or application defines";
            if (known_units.count(unit) != 0 && out.libraries.count(unit) == 0) {
                msg += " (library " + quote(unit) + " is not in the application's \"requires\")";
            } else if (unit != "app" && known_units.count(unit) == 0) {
                std::vector<std::string> units(known_units.begin(), known_units.end());
                units.push_back("app");
                msg += " (no library is named " + quote(unit) + "; libraries: " + join(units) + ")";
            }
            std::vector<std::string> near = nearest_names(full, all_names());
            msg += near.empty() ? "; no similarly named parameter exists"
                                : "; nearest defined: " + join(near);
            error(u.file, msg);
            return;
        }
        ResolvedParameter &p = it->second;
        ParameterValue v;
        std::string problem;
        if (!convert(value, v, problem)) {
            error(u.file, context + ": " + quote(full) + " = " + dump(value) + ": " + problem);
            return;
        }
        v.macro_name = p.value.macro_name;
        v.set_by = set_by_for(u, section);
        p.value = std::move(v);
        p.json_text = dump(value);
        p.file = u.file;
        p.where = context;
    }

    void apply_overrides(const Unit &u) {
        auto it = u.doc.find("target_overrides");
        if (it == u.doc.end()) {
            return;
        }
        if (!it->is_object()) {
            error(u.file,
                  "\"target_overrides\" must be an object, found " + std::string(it->type_name()));
            return;
        }
        std::set<std::string> match(labels.begin(), labels.end());
        match.insert(out.extra_labels.begin(), out.extra_labels.end());
        for (auto s = it->begin(); s != it->end(); ++s) {
            if (!s->is_object()) {
                error(u.file, "target_overrides " + quote(s.key()) + " must be an object, found " +
                                  std::string(s->type_name()));
                continue;
            }
            if (s.key() != "*" && match.count(s.key()) == 0) {
                notes.push_back(u.file + ": note: target_overrides " + quote(s.key()) +
                                " ignored (labels: " + join(labels) + ")");
                continue;
            }
            for (auto kv = s->begin(); kv != s->end(); ++kv) {
                apply(u, s.key(), kv.key(), kv.value());
            }
        }
    }

    void load_target(const Unit &t) {
        auto list = [&](const char *key, std::set<std::string> &into) {
            auto it = t.doc.find(key);
            if (it == t.doc.end()) {
                return;
            }
            if (!it->is_array()) {
                error(t.file, std::string("\"") + key + "\" must be an array of strings");
                return;
            }
            for (const auto &i : *it) {
                if (i.is_string()) {
                    into.insert(i.get<std::string>());
                }
            }
        };
        list("features", out.features);
        list("device_has", out.device_has);
        list("components", out.components);
        list("extra_labels", out.extra_labels);
        auto attrs = t.doc.find("attributes");
        if (attrs != t.doc.end() && attrs->is_object()) {
            for (auto a = attrs->begin(); a != attrs->end(); ++a) {
                target_attributes[a.key()] = a.value();
            }
        }
        auto macros = t.doc.find("macros");
        if (macros != t.doc.end() && macros->is_array()) {
            for (const auto &m : *macros) {
                std::string name;
                std::optional<std::string> body;
                if (parse_macro(t.file, "macros", m, name, body)) {
                    out.macros[name] = MacroDefinition{body, "target"};
                }
            }
        }
    }

    void select_libraries() {
        std::map<std::string, const Unit *> by_name;
        for (const auto &l : libraries) {
            by_name[l.name] = &l;
        }
        const Json *req = nullptr;
        if (app && app->doc.contains("requires")) {
            req = &app->doc["requires"];
        }
        if (req == nullptr) {
            for (const auto &l : libraries) {
                out.libraries.insert(l.name);
            }
            return;
        }
        if (!req->is_array()) {
            error(app->file, "\"requires\" = " + dump(*req) +
                                 ": wrong type; allowed: an array of library names");
            for (const auto &l : libraries) {
                out.libraries.insert(l.name);
            }
            return;
        }
        std::vector<std::string> todo = {"target", "meshwork"};
        for (const auto &r : *req) {
            if (!r.is_string()) {
                error(app->file,
                      "\"requires\" element " + dump(r) + " is not a library name string");
                continue;
            }
            todo.push_back(r.get<std::string>());
        }
        while (!todo.empty()) {
            std::string name = todo.back();
            todo.pop_back();
            if (out.libraries.count(name) != 0) {
                continue;
            }
            auto l = by_name.find(name);
            if (l == by_name.end()) {
                if (name != "target" && name != "meshwork") {
                    notes.push_back(app->file + ": note: \"requires\" names " + quote(name) +
                                    ", which meshwork does not provide; ignored");
                }
                continue;
            }
            out.libraries.insert(name);
            auto sub = l->second->doc.find("requires");
            if (sub != l->second->doc.end() && sub->is_array()) {
                for (const auto &s : *sub) {
                    if (s.is_string()) {
                        todo.push_back(s.get<std::string>());
                    }
                }
            }
        }
    }

    void check_constraints() {
        std::map<std::string, std::string> macro_owner;
        // Library parameters claim their macros first, so a clash is reported on the
        // application's parameter.
        std::vector<ResolvedParameter *> ordered;
        for (auto &[name, p] : out.parameters) {
            ordered.push_back(&p);
        }
        std::stable_partition(ordered.begin(), ordered.end(),
                              [](const ResolvedParameter *p) { return p->unit != "app"; });
        for (ResolvedParameter *pp : ordered) {
            const ResolvedParameter &p = *pp;
            const std::string &name = p.name;
            const ParameterValue &v = p.value;
            std::string head = p.where + ": " + quote(name) + " = " + p.json_text;
            if (v.kind == ParameterValue::Kind::kNull) {
                if (p.required) {
                    error(p.file, head +
                                      ": the parameter is required and has no value; allowed: any "
                                      "non-null value");
                }
                continue;
            }
            if (!p.accepted_values.empty()) {
                bool found = std::any_of(
                    p.accepted_values.begin(), p.accepted_values.end(),
                    [&](const ParameterValue &a) { return a.kind == v.kind && a.text == v.text; });
                if (!found) {
                    std::vector<std::string> allowed;
                    for (const auto &a : p.accepted_values) {
                        allowed.push_back(a.kind == ParameterValue::Kind::kString ? quote(a.text)
                                                                                  : a.text);
                    }
                    error(p.file, head + ": not an accepted value; allowed: " + join(allowed));
                }
            }
            if (p.value_min || p.value_max) {
                std::string range = (p.value_min ? std::to_string(*p.value_min) : std::string("")) +
                                    ".." +
                                    (p.value_max ? std::to_string(*p.value_max) : std::string(""));
                std::optional<std::int64_t> n;
                if (v.kind == ParameterValue::Kind::kInteger) {
                    n = v.int_value;
                } else if (v.kind == ParameterValue::Kind::kString) {
                    IntExpressionResult r = evaluate_int_expression(v.text);
                    if (r.ok && r.value <= static_cast<std::uint64_t>(INT64_MAX)) {
                        n = static_cast<std::int64_t>(r.value);
                    }
                }
                if (!n) {
                    error(p.file,
                          head + ": wrong type, not an integer; allowed: an integer in " + range);
                } else if ((p.value_min && *n < *p.value_min) ||
                           (p.value_max && *n > *p.value_max)) {
                    error(p.file, head + ": out of range; allowed: " + range);
                }
            }
            auto [owner, inserted] = macro_owner.emplace(v.macro_name, name);
            if (!inserted) {
                error(p.file, head + ": macro " + v.macro_name + " is also the macro of " +
                                  quote(owner->second));
            }
        }
        for (const auto &[name, m] : out.macros) {
            std::string bare = name.substr(0, name.find('('));
            auto o = macro_owner.find(bare);
            if (o != macro_owner.end()) {
                errors.push_back(
                    std::string(m.defined_by == "application" && app ? app->file : m.defined_by) +
                    ": error: macros: " + quote(name) + " is also the macro of parameter " +
                    quote(o->second));
            }
        }
    }

    void resolve() {
        if (labels.empty()) {
            labels.push_back("LINUX");
        }
        for (const auto &l : labels) {
            if (!is_param_key(l) || l.find('-') != std::string::npos) {
                errors.push_back(
                    "error: target label " + quote(l) +
                    " is invalid; allowed: letters, digits and '_' (it becomes TARGET_" + l + ")");
            }
        }
        out.labels = labels;
        for (const auto &l : libraries) {
            known_units.insert(l.name);
        }
        select_libraries();
        std::vector<const Unit *> active;
        for (const auto &l : libraries) {
            if (out.libraries.count(l.name) != 0) {
                active.push_back(&l);
            }
        }
        // The target first, then libraries by name, so the order does not depend on discovery.
        std::stable_sort(active.begin(), active.end(), [](const Unit *a, const Unit *b) {
            if ((a->name == "target") != (b->name == "target")) {
                return a->name == "target";
            }
            return a->name < b->name;
        });
        for (const Unit *u : active) {
            if (u->name == "target") {
                load_target(*u);
            }
            define_parameters(*u);
            add_macros(*u);
        }
        if (app) {
            define_parameters(*app);
            add_macros(*app);
        }
        for (const Unit *u : active) {
            apply_overrides(*u);
        }
        if (app) {
            apply_overrides(*app);
        }
        check_constraints();
    }
};

ConfigResolver::ConfigResolver(std::vector<std::string> labels) : impl_(std::make_unique<Impl>()) {
    impl_->labels = std::move(labels);
}

ConfigResolver::~ConfigResolver() = default;

void ConfigResolver::add_library(const std::string &file, std::string_view text) {
    try {
        std::optional<Unit> u = impl_->parse_unit(file, text);
        if (!u) {
            return;
        }
        if (!impl_->check_top_level(
                file, u->doc,
                {"name", "config", "macros", "target_overrides", "requires", "features",
                 "device_has", "components", "extra_labels", "attributes"})) {
            return;
        }
        auto name = u->doc.find("name");
        if (name == u->doc.end() || !name->is_string() || !is_param_key(name->get<std::string>())) {
            impl_->error(
                file, "\"name\" must be a library name string (letters, digits, '-', '_'), found " +
                          (name == u->doc.end() ? std::string("nothing") : dump(*name)));
            return;
        }
        u->name = name->get<std::string>();
        if (u->name == "app") {
            impl_->error(file, "a library cannot be named \"app\"");
            return;
        }
        for (const auto &l : impl_->libraries) {
            if (l.name == u->name) {
                impl_->error(file,
                             "library " + quote(u->name) + " is already defined by " + l.file);
                return;
            }
        }
        impl_->libraries.push_back(std::move(*u));
    } catch (const std::exception &e) {
        impl_->error(file, std::string("internal error while reading the library: ") + e.what());
    }
}

void ConfigResolver::set_application(const std::string &file, std::string_view text) {
    try {
        std::optional<Unit> u = impl_->parse_unit(file, text);
        if (!u) {
            return;
        }
        if (!impl_->check_top_level(
                file, u->doc,
                {"config", "macros", "target_overrides", "requires", "artifact_name", "name"})) {
            return;
        }
        u->name = "app";
        u->is_app = true;
        impl_->app = std::move(*u);
    } catch (const std::exception &e) {
        impl_->error(file,
                     std::string("internal error while reading the application: ") + e.what());
    }
}

void ConfigResolver::resolve() {
    try {
        impl_->resolve();
    } catch (const std::exception &e) {
        impl_->errors.push_back(std::string("error: internal error while resolving: ") + e.what());
    }
}

const ResolvedConfig &ConfigResolver::result() const {
    return impl_->out;
}
const std::vector<std::string> &ConfigResolver::errors() const {
    return impl_->errors;
}
const std::vector<std::string> &ConfigResolver::notes() const {
    return impl_->notes;
}

}  // namespace meshwork::config
