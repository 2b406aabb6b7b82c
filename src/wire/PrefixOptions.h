// The Prefix Information and Route Information bodies that ND and RPL share. RPL's Prefix
// Information option (RFC 6550 6.7.10) carries the body of ND's PIO (RFC 4861 4.6.2), and RPL's
// Route Information option (RFC 6550 6.7.5) that of ND's RIO (RFC 4191 2.3); only the option
// type and the length encoding differ, so Nd.cpp and Rpl.cpp write those and share the rest.
// These are the option value types of both NdWriter::add and RplWriter::add.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Ip6Address.h"

namespace meshwork::wire {

/// Prefix Information body: 30 bytes after the option type and length. Flags per RFC 4861
/// 4.6.2 and RFC 6275 7.2 (R).
struct PrefixInfo {
    static constexpr std::uint8_t kFlagOnLink = 0x80;         // L
    static constexpr std::uint8_t kFlagAutonomous = 0x40;     // A
    static constexpr std::uint8_t kFlagRouterAddress = 0x20;  // R
    static constexpr std::size_t kBodySize = 30;

    std::uint8_t prefix_length = 0;
    std::uint8_t flags = 0;
    std::uint32_t valid_lifetime = 0;
    std::uint32_t preferred_lifetime = 0;
    Ip6Address prefix;  // kept as received (bits beyond prefix_length are not masked)
    bool operator==(const PrefixInfo &o) const;

    /// Reads the body; kTruncated if `r` holds fewer than 30 bytes, kMalformed for a prefix
    /// length over 128.
    static Result<PrefixInfo> read(ByteReader &r);
    /// Writes the 30-byte body; kInvalidArgument for a prefix length over 128.
    Status write(ByteWriter &w) const;
};

/// Route Information body: prefix length, the 2-bit Prf (01 high, 00 medium, 11 low), the route
/// lifetime and the prefix in a field whose size the caller's option encoding decides.
struct RouteInfo {
    std::uint8_t prefix_length = 0;  // 0..128
    std::uint8_t preference = 0;
    std::uint32_t route_lifetime = 0;
    Ip6Address prefix;  // bits beyond prefix_length are zero after parse and emitted as zero
    bool operator==(const RouteInfo &o) const;

    /// Writes the body with a `prefix_field`-byte prefix (masked); kInvalidArgument for a
    /// prefix length over 128 or a preference over 3.
    Status write(ByteWriter &w, std::size_t prefix_field) const;
};

}  // namespace meshwork::wire
