// UDP (RFC 768) over IPv6: the checksum is mandatory and covers the pseudo-header of
// RFC 8200 8.1; a computed 0 is sent as 0xffff, and a received 0 is invalid.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Checksum.h"

namespace meshwork::wire {

constexpr std::size_t kUdpHeaderSize = 8;

class UdpView {
  public:
    /// Requires 8 <= Length <= bytes.size (trailing bytes ignored). With `verify`, the checksum
    /// must be non-zero and correct (kChecksum otherwise).
    static Result<UdpView> parse(ByteSpan bytes, const PseudoHeader *verify = nullptr);

    std::uint16_t src_port() const { return u16(0); }
    std::uint16_t dst_port() const { return u16(2); }
    std::uint16_t length() const { return u16(4); }
    std::uint16_t checksum() const { return u16(6); }
    ByteSpan payload() const { return b_.subspan(kUdpHeaderSize, length() - kUdpHeaderSize); }
    /// Header plus payload, exactly length() bytes.
    ByteSpan datagram() const { return b_.subspan(0, length()); }
    bool verify_checksum(const PseudoHeader &ph) const;

  private:
    explicit UdpView(ByteSpan b) : b_(b) {}
    std::uint16_t u16(std::size_t i) const {
        return static_cast<std::uint16_t>(b_[i] << 8 | b_[i + 1]);
    }
    ByteSpan b_;
};

struct UdpHeader {
    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    std::uint16_t payload_length = 0;

    static Result<UdpHeader> parse(ByteSpan bytes, const PseudoHeader *verify = nullptr);
    std::size_t emitted_size() const { return kUdpHeaderSize + payload_length; }
    /// `out` holds the whole datagram: the payload must already be at out[8, 8+payload_length).
    /// Writes the header and the checksum over pseudo-header, header and payload.
    Status emit(MutableByteSpan out, const PseudoHeader &ph) const;
    /// Convenience: copies `payload` after the header, then emit().
    Status emit(MutableByteSpan out, ByteSpan payload, const PseudoHeader &ph);

    bool operator==(const UdpHeader &o) const {
        return src_port == o.src_port && dst_port == o.dst_port &&
               payload_length == o.payload_length;
    }
};

}  // namespace meshwork::wire
