// The fixed IPv6 header (RFC 8200 3) and the next-header (protocol) numbers used by the stack.
//
//   Ip6View   checked view over untrusted bytes; parse() validates version and lengths once.
//   Ip6Header value type; parse() from bytes, emit() into a sized buffer.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Ip6Address.h"

namespace meshwork::wire {

/// IANA protocol numbers as they appear in Next Header fields.
namespace IpProto {
constexpr std::uint8_t kHopByHop = 0;
constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kUdp = 17;
constexpr std::uint8_t kIpv6 = 41;  // IPv6-in-IPv6 (RPL tunnelling, RFC 9008)
constexpr std::uint8_t kRouting = 43;
constexpr std::uint8_t kFragment = 44;
constexpr std::uint8_t kEsp = 50;
constexpr std::uint8_t kAh = 51;
constexpr std::uint8_t kIcmp6 = 58;
constexpr std::uint8_t kNoNext = 59;
constexpr std::uint8_t kDestOpts = 60;
constexpr std::uint8_t kMobility = 135;
}  // namespace IpProto

/// True for the extension headers that use the generic (next header, length) prefix and that
/// this library walks: hop-by-hop, routing, fragment, destination options (RFC 8200 4).
bool ip6_is_extension_header(std::uint8_t next_header);

constexpr std::size_t kIp6HeaderSize = 40;
constexpr std::size_t kIp6MinMtu = 1280;  // RFC 8200 5

class Ip6View {
  public:
    /// Requires version 6 and at least 40 + Payload Length bytes; bytes beyond that (link
    /// padding) are ignored. Jumbograms (RFC 2675) are not supported: payload length 0 means an
    /// empty payload.
    static Result<Ip6View> parse(ByteSpan bytes);

    std::uint8_t version() const { return static_cast<std::uint8_t>(b_[0] >> 4); }
    std::uint8_t traffic_class() const {
        return static_cast<std::uint8_t>((b_[0] & 0x0f) << 4 | b_[1] >> 4);
    }
    std::uint32_t flow_label() const {
        return static_cast<std::uint32_t>((b_[1] & 0x0f) << 16 | b_[2] << 8 | b_[3]);
    }
    std::uint16_t payload_length() const { return static_cast<std::uint16_t>(b_[4] << 8 | b_[5]); }
    std::uint8_t next_header() const { return b_[6]; }
    std::uint8_t hop_limit() const { return b_[7]; }
    Ip6Address src() const { return Ip6Address::from_bytes(b_.data + 8); }
    Ip6Address dst() const { return Ip6Address::from_bytes(b_.data + 24); }
    /// The 40 header bytes.
    ByteSpan header() const { return b_.subspan(0, kIp6HeaderSize); }
    /// Exactly payload_length() bytes after the header.
    ByteSpan payload() const { return b_.subspan(kIp6HeaderSize, payload_length()); }
    /// Header plus payload (without trailing link padding).
    ByteSpan packet() const { return b_.subspan(0, kIp6HeaderSize + payload_length()); }

  private:
    explicit Ip6View(ByteSpan b) : b_(b) {}
    ByteSpan b_;
};

struct Ip6Header {
    std::uint8_t traffic_class = 0;
    std::uint32_t flow_label = 0;  // 20 bits
    std::uint16_t payload_length = 0;
    std::uint8_t next_header = IpProto::kNoNext;
    std::uint8_t hop_limit = 64;
    Ip6Address src;
    Ip6Address dst;

    static Ip6Header from_view(const Ip6View &v);
    /// Parses and validates like Ip6View::parse.
    static Result<Ip6Header> parse(ByteSpan bytes);
    std::size_t emitted_size() const { return kIp6HeaderSize; }
    /// Writes the 40-byte header. kInvalidArgument if flow_label exceeds 20 bits, kNoSpace if
    /// `out` is shorter than 40 bytes.
    Status emit(MutableByteSpan out) const;

    bool operator==(const Ip6Header &o) const;
    bool operator!=(const Ip6Header &o) const { return !(*this == o); }
};

}  // namespace meshwork::wire
