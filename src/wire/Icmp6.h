// ICMPv6 (RFC 4443): the common 4-byte header, echo and the error messages. Every ICMPv6
// message carries a checksum over the RFC 8200 8.1 pseudo-header. ND (Nd.h), MLD (Mld.h) and
// RPL (Rpl.h) messages are ICMPv6 messages with their own bodies; they reuse
// icmp6_finish_checksum().
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Checksum.h"

namespace meshwork::wire {

namespace Icmp6Type {
constexpr std::uint8_t kDestinationUnreachable = 1;
constexpr std::uint8_t kPacketTooBig = 2;
constexpr std::uint8_t kTimeExceeded = 3;
constexpr std::uint8_t kParameterProblem = 4;
constexpr std::uint8_t kEchoRequest = 128;
constexpr std::uint8_t kEchoReply = 129;
constexpr std::uint8_t kMldQuery = 130;            // RFC 3810
constexpr std::uint8_t kRouterSolicitation = 133;  // RFC 4861
constexpr std::uint8_t kRouterAdvertisement = 134;
constexpr std::uint8_t kNeighborSolicitation = 135;
constexpr std::uint8_t kNeighborAdvertisement = 136;
constexpr std::uint8_t kRedirect = 137;
constexpr std::uint8_t kMldv2Report = 143;                   // RFC 3810
constexpr std::uint8_t kRpl = 155;                           // RFC 6550
constexpr std::uint8_t kDuplicateAddressRequest = 157;       // RFC 6775, RFC 8505
constexpr std::uint8_t kDuplicateAddressConfirmation = 158;  // RFC 6775, RFC 8505
}  // namespace Icmp6Type

/// Codes of Destination Unreachable (RFC 4443 3.1).
namespace Icmp6Unreachable {
constexpr std::uint8_t kNoRoute = 0;
constexpr std::uint8_t kAdminProhibited = 1;
constexpr std::uint8_t kBeyondScope = 2;
constexpr std::uint8_t kAddressUnreachable = 3;
constexpr std::uint8_t kPortUnreachable = 4;
constexpr std::uint8_t kSourcePolicy = 5;
constexpr std::uint8_t kRejectRoute = 6;
constexpr std::uint8_t kSourceRoutingHeaderError = 7;  // RFC 6554 / RFC 6550 (error in SRH)
}  // namespace Icmp6Unreachable

/// Codes of Parameter Problem (RFC 4443 3.4).
namespace Icmp6ParamProblem {
constexpr std::uint8_t kErroneousHeaderField = 0;
constexpr std::uint8_t kUnrecognizedNextHeader = 1;
constexpr std::uint8_t kUnrecognizedOption = 2;
}  // namespace Icmp6ParamProblem

constexpr std::size_t kIcmp6HeaderSize = 4;

/// True for error messages (types 0..127, RFC 4443 2.1).
inline bool icmp6_is_error(std::uint8_t type) {
    return type < 128;
}

class Icmp6View {
  public:
    /// Requires the 4-byte header; the whole span is the message. With `verify`, the checksum
    /// must be correct (kChecksum otherwise).
    static Result<Icmp6View> parse(ByteSpan bytes, const PseudoHeader *verify = nullptr);

    std::uint8_t type() const { return b_[0]; }
    std::uint8_t code() const { return b_[1]; }
    std::uint16_t checksum() const { return static_cast<std::uint16_t>(b_[2] << 8 | b_[3]); }
    /// Everything after the checksum.
    ByteSpan body() const { return b_.subspan(kIcmp6HeaderSize); }
    ByteSpan message() const { return b_; }
    bool verify_checksum(const PseudoHeader &ph) const;

  private:
    explicit Icmp6View(ByteSpan b) : b_(b) {}
    ByteSpan b_;
};

/// Writes the checksum of an ICMPv6 message laid out in `message` (checksum field ignored).
void icmp6_finish_checksum(MutableByteSpan message, const PseudoHeader &ph);

/// Echo request/reply (RFC 4443 4) and the error messages (RFC 4443 3), whose first body word
/// is a 32-bit field (unused / MTU / pointer) followed by data. `data` refers to the parsed
/// bytes (or, for emission, the caller's).
struct Icmp6Message {
    std::uint8_t type = Icmp6Type::kEchoRequest;
    std::uint8_t code = 0;
    std::uint32_t word = 0;  // echo: identifier << 16 | sequence; PTB: MTU; param problem: pointer
    ByteSpan data;           // echo data, or as much of the invoking packet as fits

    static Result<Icmp6Message> parse(ByteSpan bytes, const PseudoHeader *verify = nullptr);

    static Icmp6Message echo(bool reply, std::uint16_t identifier, std::uint16_t sequence,
                             ByteSpan data);
    /// An error message quoting `invoking` truncated so that the whole IPv6 packet stays
    /// within the minimum MTU (RFC 4443 2.4 (c)): at most 1280 - 40 - 8 bytes.
    static Icmp6Message error(std::uint8_t type, std::uint8_t code, std::uint32_t word,
                              ByteSpan invoking);

    std::uint16_t identifier() const { return static_cast<std::uint16_t>(word >> 16); }
    std::uint16_t sequence() const { return static_cast<std::uint16_t>(word); }
    std::uint32_t mtu() const { return word; }
    std::uint32_t pointer() const { return word; }

    std::size_t emitted_size() const { return 8 + data.size; }
    Status emit(MutableByteSpan out, const PseudoHeader &ph) const;

    bool operator==(const Icmp6Message &o) const {
        return type == o.type && code == o.code && word == o.word && data.equals(o.data);
    }
};

}  // namespace meshwork::wire
