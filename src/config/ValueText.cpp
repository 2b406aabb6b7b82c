#include "ValueText.h"

#include <algorithm>
#include <cctype>

#include "IntExpression.h"

namespace meshwork::config {

CStringResult parse_c_string_literal(std::string_view text) {
    CStringResult r;
    if (text.size() < 2 || text.front() != '"' || text.back() != '"') {
        r.error = "not a C string literal (write it with escaped quotes, e.g. \"\\\"text\\\"\")";
        return r;
    }
    std::string out;
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
        char c = text[i];
        if (c == '"') {
            r.error = "unescaped '\"' inside the C string literal";
            return r;
        }
        if (c != '\\') {
            out += c;
            continue;
        }
        if (i + 2 >= text.size()) {
            r.error = "C string literal ends with a lone backslash";
            return r;
        }
        char e = text[++i];
        switch (e) {
            case '"':
            case '\\':
            case '\'':
                out += e;
                break;
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case 'r':
                out += '\r';
                break;
            case 'x': {
                unsigned v = 0;
                std::size_t n = 0;
                while (n < 2 && i + 1 < text.size() - 1 &&
                       std::isxdigit(static_cast<unsigned char>(text[i + 1]))) {
                    char h = text[++i];
                    v = v * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(h))
                                                           ? h - '0'
                                                           : (std::tolower(h) - 'a' + 10));
                    ++n;
                }
                if (n == 0) {
                    r.error = "\\x escape without hex digits";
                    return r;
                }
                out += static_cast<char>(v);
                break;
            }
            default:
                r.error = std::string("unsupported escape '\\") + e + "'";
                return r;
        }
    }
    r.ok = true;
    r.value = std::move(out);
    return r;
}

ByteListResult parse_byte_list(std::string_view text) {
    ByteListResult r;
    auto trim = [](std::string_view s) {
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
            s.remove_prefix(1);
        }
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
            s.remove_suffix(1);
        }
        return s;
    };
    std::string_view body = trim(text);
    if (body.size() < 2 || body.front() != '{' || body.back() != '}') {
        r.error = "not a brace initialiser {0x.., 0x.., ...}";
        return r;
    }
    body = trim(body.substr(1, body.size() - 2));
    if (body.empty()) {
        r.ok = true;
        return r;
    }
    std::size_t index = 0;
    for (;;) {
        std::size_t comma = body.find(',');
        std::string_view item = trim(body.substr(0, comma));
        if (item.empty()) {
            if (comma == std::string_view::npos && index > 0) {
                break;  // trailing comma
            }
            r.error = "empty element " + std::to_string(index);
            return r;
        }
        IntExpressionResult v = evaluate_int_expression(item);
        if (!v.ok) {
            r.error =
                "element " + std::to_string(index) + " '" + std::string(item) + "': " + v.error;
            return r;
        }
        if (v.value > 0xff) {
            r.error = "element " + std::to_string(index) + " '" + std::string(item) +
                      "' is not a byte (0..0xff)";
            return r;
        }
        r.bytes.push_back(static_cast<std::uint8_t>(v.value));
        ++index;
        if (comma == std::string_view::npos) {
            break;
        }
        body = body.substr(comma + 1);
        if (trim(body).empty()) {
            break;  // trailing comma
        }
    }
    r.ok = true;
    return r;
}

bool is_identifier(std::string_view text) {
    if (text.empty() || std::isdigit(static_cast<unsigned char>(text.front()))) {
        return false;
    }
    return std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            std::size_t cost = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                                       std::tolower(static_cast<unsigned char>(b[j - 1]))
                                   ? 0
                                   : 1;
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
            diag = up;
        }
    }
    return row[b.size()];
}

std::vector<std::string> nearest_names(std::string_view name,
                                       const std::vector<std::string> &candidates,
                                       std::size_t limit) {
    std::vector<std::pair<std::size_t, std::string>> scored;
    // The part after the unit prefix also counts on its own, so "nsapi.heap-size" finds
    // "mbed-mesh-api.heap-size"; thresholds grow slowly with length to keep suggestions relevant.
    auto suffix = [](std::string_view s) {
        std::size_t dot = s.find('.');
        return dot == std::string_view::npos ? s : s.substr(dot + 1);
    };
    std::size_t full_limit = std::max<std::size_t>(2, name.size() / 5);
    std::size_t suffix_limit = std::max<std::size_t>(1, suffix(name).size() / 3);
    for (const auto &c : candidates) {
        std::size_t d = edit_distance(name, c);
        std::size_t ds = edit_distance(suffix(name), suffix(c));
        if (d <= full_limit || ds <= suffix_limit) {
            scored.emplace_back(std::min(d, ds + 1), c);
        }
    }
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> out;
    for (std::size_t i = 0; i < scored.size() && out.size() < limit; ++i) {
        out.push_back(scored[i].second);
    }
    return out;
}

}  // namespace meshwork::config
