// unity's assertion functions: format what failed, then fail the running utest case.
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "HarnessState.h"
#include "unity/unity.h"
#include "utest/utest.h"

namespace meshwork::unity {

namespace {

std::string format_value(uint64_t bits_value, bool is_signed, Style style, unsigned bits) {
    char buf[48];
    const uint64_t mask = bits >= 64 ? ~uint64_t{0} : ((uint64_t{1} << bits) - 1);
    switch (style) {
        case Style::kHex:
            std::snprintf(buf, sizeof buf, "0x%0*" PRIX64, static_cast<int>(bits / 4),
                          bits_value & mask);
            break;
        case Style::kChar: {
            const auto c = static_cast<unsigned char>(bits_value);
            if (c >= 0x20 && c < 0x7f) {
                std::snprintf(buf, sizeof buf, "'%c'", c);
            } else {
                std::snprintf(buf, sizeof buf, "'\\x%02X'", c);
            }
            break;
        }
        default:
            if (is_signed) {
                std::snprintf(buf, sizeof buf, "%" PRId64, static_cast<int64_t>(bits_value));
            } else {
                std::snprintf(buf, sizeof buf, "%" PRIu64, bits_value & mask);
            }
    }
    return buf;
}

const char *relation(Compare op) {
    switch (op) {
        case Compare::kEqual:
            return "";
        case Compare::kNotEqual:
            return "Not ";
        case Compare::kGreater:
            return "Greater Than ";
        case Compare::kLess:
            return "Less Than ";
        case Compare::kGreaterOrEqual:
            return "Greater Or Equal To ";
        case Compare::kLessOrEqual:
            return "Less Or Equal To ";
    }
    return "";
}

template <typename T>
bool holds(Compare op, T threshold, T actual) {
    switch (op) {
        case Compare::kEqual:
            return actual == threshold;
        case Compare::kNotEqual:
            return actual != threshold;
        case Compare::kGreater:
            return actual > threshold;
        case Compare::kLess:
            return actual < threshold;
        case Compare::kGreaterOrEqual:
            return actual >= threshold;
        case Compare::kLessOrEqual:
            return actual <= threshold;
    }
    return false;
}

void print_line(const char *file, int line, const char *verdict, const std::string &what,
                const char *message) {
    std::string text = std::string(file) + ":" + std::to_string(line) + "::" + verdict;
    if (!what.empty()) {
        text += ": " + what;
    }
    if (message && *message) {
        text += std::string(". ") + message;
    }
    utest_printf("%s\n", text.c_str());
}

}  // namespace

void fail(const char *file, int line, const char *what, const char *message) {
    print_line(file, line, "FAIL", what ? what : "", message);
    greentea::record_failure(utest::v1::REASON_ASSERTION, true);
}

void ignore(const char *file, int line, const char *message) {
    print_line(file, line, "IGNORE", "", message);
    greentea::record_ignore();
}

void note(const char *file, int line, const char *message) {
    print_line(file, line, "INFO", "", message);
}

void compare_signed(int64_t expected, int64_t actual, Compare op, Style style, unsigned bits,
                    const char *file, int line, const char *message) {
    if (holds(op, expected, actual)) {
        return;
    }
    const std::string what = "Expected " + std::string(relation(op)) +
                             format_value(static_cast<uint64_t>(expected), true, style, bits) +
                             " Was " +
                             format_value(static_cast<uint64_t>(actual), true, style, bits);
    fail(file, line, what.c_str(), message);
}

void compare_unsigned(uint64_t expected, uint64_t actual, Compare op, Style style, unsigned bits,
                      const char *file, int line, const char *message) {
    if (holds(op, expected, actual)) {
        return;
    }
    const std::string what = "Expected " + std::string(relation(op)) +
                             format_value(expected, false, style, bits) + " Was " +
                             format_value(actual, false, style, bits);
    fail(file, line, what.c_str(), message);
}

void within_signed(uint64_t delta, int64_t expected, int64_t actual, Style style, unsigned bits,
                   const char *file, int line, const char *message) {
    const uint64_t distance = actual > expected
                                  ? static_cast<uint64_t>(actual) - static_cast<uint64_t>(expected)
                                  : static_cast<uint64_t>(expected) - static_cast<uint64_t>(actual);
    if (distance <= delta) {
        return;
    }
    const std::string what = "Values Not Within Delta " + std::to_string(delta) + ": Expected " +
                             format_value(static_cast<uint64_t>(expected), true, style, bits) +
                             " Was " +
                             format_value(static_cast<uint64_t>(actual), true, style, bits);
    fail(file, line, what.c_str(), message);
}

void within_unsigned(uint64_t delta, uint64_t expected, uint64_t actual, Style style, unsigned bits,
                     const char *file, int line, const char *message) {
    const uint64_t distance = actual > expected ? actual - expected : expected - actual;
    if (distance <= delta) {
        return;
    }
    const std::string what = "Values Not Within Delta " + std::to_string(delta) + ": Expected " +
                             format_value(expected, false, style, bits) + " Was " +
                             format_value(actual, false, style, bits);
    fail(file, line, what.c_str(), message);
}

void within_double(double delta, double expected, double actual, const char *file, int line,
                   const char *message) {
    if (std::fabs(actual - expected) <= std::fabs(delta)) {
        return;
    }
    char what[128];
    std::snprintf(what, sizeof what, "Values Not Within Delta %g: Expected %g Was %g", delta,
                  expected, actual);
    fail(file, line, what, message);
}

void equal_double(double expected, double actual, bool single, const char *file, int line,
                  const char *message) {
    // Equal to within a few units in the last place of the type compared.
    const double precision = single ? 1e-5 : 1e-12;
    const double scale = std::fmax(std::fabs(expected), 1.0);
    if (expected == actual || std::fabs(actual - expected) <= precision * scale) {
        return;
    }
    char what[96];
    std::snprintf(what, sizeof what, "Expected %g Was %g", expected, actual);
    fail(file, line, what, message);
}

void equal_ptr(const void *expected, const void *actual, const char *file, int line,
               const char *message) {
    if (expected == actual) {
        return;
    }
    char what[96];
    std::snprintf(what, sizeof what, "Expected %p Was %p", expected, actual);
    fail(file, line, what, message);
}

void equal_string(const char *expected, const char *actual, size_t length, const char *file,
                  int line, const char *message) {
    if (!expected || !actual) {
        if (expected != actual) {
            fail(file, line, expected ? "Was NULL" : "Expected NULL", message);
        }
        return;
    }
    const bool equal = length == SIZE_MAX ? std::strcmp(expected, actual) == 0
                                          : std::strncmp(expected, actual, length) == 0;
    if (equal) {
        return;
    }
    const std::string e = length == SIZE_MAX ? expected : std::string(expected).substr(0, length);
    const std::string a = length == SIZE_MAX ? actual : std::string(actual).substr(0, length);
    fail(file, line, ("Expected '" + e + "' Was '" + a + "'").c_str(), message);
}

void equal_memory(const void *expected, const void *actual, size_t length, size_t count,
                  const char *file, int line, const char *message) {
    if (!expected || !actual) {
        if (expected != actual) {
            fail(file, line, expected ? "Was NULL" : "Expected NULL", message);
        }
        return;
    }
    const auto *e = static_cast<const unsigned char *>(expected);
    const auto *a = static_cast<const unsigned char *>(actual);
    for (size_t i = 0; i < length * count; ++i) {
        if (e[i] != a[i]) {
            char what[96];
            std::snprintf(what, sizeof what,
                          "Memory Mismatch at byte %zu: Expected 0x%02X Was 0x%02X", i, e[i], a[i]);
            fail(file, line, what, message);
            return;
        }
    }
}

void equal_int_array(const void *expected, const void *actual, size_t count, size_t size,
                     Style style, const char *file, int line, const char *message) {
    if (!expected || !actual) {
        if (expected != actual) {
            fail(file, line, expected ? "Was NULL" : "Expected NULL", message);
        }
        return;
    }
    const bool is_signed = style == Style::kSigned || style == Style::kChar;
    for (size_t i = 0; i < count; ++i) {
        uint64_t e = 0;
        uint64_t a = 0;
        std::memcpy(&e, static_cast<const unsigned char *>(expected) + i * size, size);
        std::memcpy(&a, static_cast<const unsigned char *>(actual) + i * size, size);
        if (e != a) {
            const unsigned bits = static_cast<unsigned>(size * 8);
            if (is_signed && bits < 64) {  // sign-extend for printing
                const uint64_t sign = uint64_t{1} << (bits - 1);
                e = (e ^ sign) - sign;
                a = (a ^ sign) - sign;
            }
            const std::string what = "Element " + std::to_string(i) + " Expected " +
                                     format_value(e, is_signed, style, bits) + " Was " +
                                     format_value(a, is_signed, style, bits);
            fail(file, line, what.c_str(), message);
            return;
        }
    }
}

void equal_string_array(const char *const *expected, const char *const *actual, size_t count,
                        const char *file, int line, const char *message) {
    for (size_t i = 0; i < count; ++i) {
        const char *e = expected[i];
        const char *a = actual[i];
        if ((e == nullptr) != (a == nullptr) || (e && std::strcmp(e, a) != 0)) {
            const std::string what = "Element " + std::to_string(i) + " Expected '" +
                                     (e ? e : "NULL") + "' Was '" + (a ? a : "NULL") + "'";
            fail(file, line, what.c_str(), message);
            return;
        }
    }
}

void bits(uint64_t mask, uint64_t expected, uint64_t actual, const char *file, int line,
          const char *message) {
    if ((expected & mask) == (actual & mask)) {
        return;
    }
    char what[96];
    std::snprintf(what, sizeof what,
                  "Expected 0x%016" PRIX64 " Was 0x%016" PRIX64 " (mask 0x%016" PRIX64 ")",
                  expected & mask, actual & mask, mask);
    fail(file, line, what, message);
}

}  // namespace meshwork::unity
