// Helpers shared by the IPv6-layer wire tests.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/Bytes.h"
#include "wire/Ip6Address.h"

namespace wiretest {

using Bytes = std::vector<std::uint8_t>;

/// Hex digits to bytes; spaces, '|' and newlines separate fields for readability.
inline Bytes hex(const char *s) {
    Bytes out;
    int hi = -1;
    for (; *s; ++s) {
        if (!std::isxdigit(static_cast<unsigned char>(*s)))
            continue;
        int v =
            std::isdigit(static_cast<unsigned char>(*s)) ? *s - '0' : (std::tolower(*s) - 'a' + 10);
        if (hi < 0) {
            hi = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(hi << 4 | v));
            hi = -1;
        }
    }
    EXPECT_LT(hi, 0) << "odd number of hex digits";
    return out;
}

inline meshwork::ByteSpan span(const Bytes &b) {
    return meshwork::ByteSpan(b.data(), b.size());
}
inline meshwork::ByteSpan prefix(const Bytes &b, std::size_t n) {
    return meshwork::ByteSpan(b.data(), n);
}

inline meshwork::wire::Ip6Address A(const char *s) {
    auto r = meshwork::wire::Ip6Address::from_text(s);
    EXPECT_TRUE(r.ok()) << s;
    return r.value_or(meshwork::wire::Ip6Address());
}

/// Every proper prefix of `b` must be rejected by `parse` (a callable ByteSpan -> Result<T>),
/// except the lengths in `valid` (ends of whole options, where a shorter message is valid).
template <typename F>
void expect_prefixes_rejected(const Bytes &b, F parse, const std::set<std::size_t> &valid = {}) {
    for (std::size_t n = 0; n < b.size(); ++n) {
        auto r = parse(prefix(b, n));
        if (valid.count(n)) {
            EXPECT_TRUE(r.ok()) << "prefix " << n << " should parse";
        } else {
            EXPECT_FALSE(r.ok()) << "prefix " << n << " of " << b.size() << " accepted";
        }
    }
}

}  // namespace wiretest
