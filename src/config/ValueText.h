// Interpreting the text of configuration values the way C code that pastes them would: C string
// literals ("\"Thread Network\"") and brace initialisers of bytes ("{0xfd, 0x0, ...}").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meshwork::config {

/// The contents of a C string literal, or an error. Accepts the escapes \" \\ \n \t \r and
/// \xHH; the literal must be the whole text.
struct CStringResult {
    bool ok = false;
    std::string value;
    std::string error;
};
CStringResult parse_c_string_literal(std::string_view text);

/// The bytes of a brace initialiser "{a, b, ...}"; each element is an integer expression
/// 0..255 (a trailing comma is allowed, as in C).
struct ByteListResult {
    bool ok = false;
    std::vector<std::uint8_t> bytes;
    std::string error;
};
ByteListResult parse_byte_list(std::string_view text);

/// True for a C identifier.
bool is_identifier(std::string_view text);

/// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// Up to `limit` candidates nearest to `name`, best first; only plausible ones.
std::vector<std::string> nearest_names(std::string_view name,
                                       const std::vector<std::string> &candidates,
                                       std::size_t limit = 3);

}  // namespace meshwork::config
