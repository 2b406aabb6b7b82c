#include "IntExpression.h"

#include <cctype>

namespace meshwork::config {
namespace {

constexpr int kMaxDepth = 64;  // parenthesis nesting; bounds the recursion

class Parser {
  public:
    explicit Parser(std::string_view text) : text_(text) {}

    IntExpressionResult run() {
        IntExpressionResult r;
        skip_space();
        if (pos_ == text_.size()) {
            r.error = "empty expression";
            return r;
        }
        std::uint64_t v = 0;
        if (!parse_or(v, 0)) {
            r.error = error_;
            return r;
        }
        skip_space();
        if (pos_ != text_.size()) {
            r.error = unexpected();
            return r;
        }
        r.ok = true;
        r.value = v;
        return r;
    }

  private:
    void skip_space() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) {
            ++pos_;
        }
    }

    bool fail(std::string message) {
        if (error_.empty()) {
            error_ = std::move(message);
        }
        return false;
    }

    std::string unexpected() const {
        if (pos_ >= text_.size()) {
            return "unexpected end of expression";
        }
        std::string found(1, text_[pos_]);
        if (pos_ + 1 < text_.size() &&
            (found == ">" || found == "<" || found == "&" || found == "|") &&
            text_[pos_ + 1] == text_[pos_]) {
            found += text_[pos_ + 1];
        }
        return "unsupported '" + found + "' at offset " + std::to_string(pos_) +
               " (supported: integer literals, +, <<, |, parentheses)";
    }

    bool parse_or(std::uint64_t &out, int depth) {
        if (!parse_shift(out, depth)) {
            return false;
        }
        for (;;) {
            skip_space();
            if (pos_ < text_.size() && text_[pos_] == '|' &&
                !(pos_ + 1 < text_.size() && text_[pos_ + 1] == '|')) {
                ++pos_;
                std::uint64_t rhs = 0;
                if (!parse_shift(rhs, depth)) {
                    return false;
                }
                out |= rhs;
            } else {
                return true;
            }
        }
    }

    bool parse_shift(std::uint64_t &out, int depth) {
        if (!parse_add(out, depth)) {
            return false;
        }
        for (;;) {
            skip_space();
            if (text_.substr(pos_, 2) == "<<") {
                pos_ += 2;
                std::uint64_t rhs = 0;
                if (!parse_add(rhs, depth)) {
                    return false;
                }
                if (rhs >= 64) {
                    return fail("shift by " + std::to_string(rhs) + " is not below 64");
                }
                if (rhs > 0 && (out >> (64 - rhs)) != 0) {
                    return fail("value overflows 64 bits");
                }
                out <<= rhs;
            } else {
                return true;
            }
        }
    }

    bool parse_add(std::uint64_t &out, int depth) {
        if (!parse_primary(out, depth)) {
            return false;
        }
        for (;;) {
            skip_space();
            if (pos_ < text_.size() && text_[pos_] == '+') {
                ++pos_;
                std::uint64_t rhs = 0;
                if (!parse_primary(rhs, depth)) {
                    return false;
                }
                if (out + rhs < out) {
                    return fail("value overflows 64 bits");
                }
                out += rhs;
            } else {
                return true;
            }
        }
    }

    bool parse_primary(std::uint64_t &out, int depth) {
        skip_space();
        if (pos_ >= text_.size()) {
            return fail("unexpected end of expression");
        }
        char c = text_[pos_];
        if (c == '(') {
            if (depth >= kMaxDepth) {
                return fail("parentheses nested deeper than " + std::to_string(kMaxDepth));
            }
            ++pos_;
            if (!parse_or(out, depth + 1)) {
                return false;
            }
            skip_space();
            if (pos_ >= text_.size() || text_[pos_] != ')') {
                return fail(pos_ >= text_.size() ? std::string("missing ')'") : unexpected());
            }
            ++pos_;
            return true;
        }
        if (std::isdigit(static_cast<unsigned char>(c))) {
            return parse_literal(out);
        }
        return fail(unexpected());
    }

    static int digit_value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return 99;
    }

    bool parse_literal(std::uint64_t &out) {
        std::size_t start = pos_;
        unsigned base = 10;
        if (text_[pos_] == '0' && pos_ + 1 < text_.size() &&
            (text_[pos_ + 1] == 'x' || text_[pos_ + 1] == 'X')) {
            base = 16;
            pos_ += 2;
        } else if (text_[pos_] == '0') {
            base = 8;
        }
        std::size_t digits_start = pos_;
        std::uint64_t v = 0;
        while (pos_ < text_.size() && std::isalnum(static_cast<unsigned char>(text_[pos_]))) {
            char ch = text_[pos_];
            if (ch == 'u' || ch == 'U' || ch == 'l' || ch == 'L') {
                break;
            }
            unsigned d = static_cast<unsigned>(digit_value(ch));
            if (d >= base) {
                return fail("invalid digit '" + std::string(1, ch) + "' in literal at offset " +
                            std::to_string(start));
            }
            if (v > (UINT64_MAX - d) / base) {
                return fail("literal at offset " + std::to_string(start) + " overflows 64 bits");
            }
            v = v * base + d;
            ++pos_;
        }
        if (base == 16 && pos_ == digits_start) {
            return fail("hexadecimal literal without digits at offset " + std::to_string(start));
        }
        // C integer suffixes: any order of one u/U and l/L/ll/LL.
        int us = 0;
        int ls = 0;
        while (pos_ < text_.size()) {
            char ch = text_[pos_];
            if (ch == 'u' || ch == 'U') {
                ++us;
            } else if (ch == 'l' || ch == 'L') {
                ++ls;
            } else {
                break;
            }
            ++pos_;
        }
        if (us > 1 || ls > 2) {
            return fail("invalid integer suffix at offset " + std::to_string(start));
        }
        if (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                    text_[pos_] == '_' || text_[pos_] == '.')) {
            return fail("invalid character '" + std::string(1, text_[pos_]) +
                        "' in literal at offset " + std::to_string(start));
        }
        out = v;
        return true;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::string error_;
};

}  // namespace

IntExpressionResult evaluate_int_expression(std::string_view text) {
    return Parser(text).run();
}

}  // namespace meshwork::config
