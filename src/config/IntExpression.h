// A small total evaluator for the integer expressions Mbed configuration values paste into C
// code: "0x7fff800", "(1<<12)", "(1<<11)|(1<<12)", "0x10000ULL". C literal rules (hex, octal
// with a leading 0, decimal, u/l suffixes) and the operators +, << and | with C precedence,
// plus parentheses. Anything else is an error that says what was found; nothing can crash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace meshwork::config {

struct IntExpressionResult {
    bool ok = false;
    std::uint64_t value = 0;
    std::string error;  // empty when ok
};

/// Evaluates `text` in unsigned 64-bit arithmetic; overflow is an error, not a wrap.
IntExpressionResult evaluate_int_expression(std::string_view text);

}  // namespace meshwork::config
