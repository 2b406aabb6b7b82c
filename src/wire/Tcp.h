// TCP header (RFC 9293 3.1) with the options the stack negotiates: MSS (RFC 9293 3.2), window
// scale and timestamps (RFC 7323), SACK-permitted and SACK (RFC 2018). The checksum covers the
// RFC 8200 8.1 pseudo-header.
//
// TcpHeader keeps the known options as values; unknown options are skipped on parse and not
// re-emitted. Emission lays options out in a fixed order (MSS, WS, SACK-perm, TS, SACK) with
// NOP alignment, or packed without NOPs when the aligned layout would not fit, and fails with
// kInvalidArgument if even that exceeds the 40-byte option space.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Checksum.h"

namespace meshwork::wire {

constexpr std::size_t kTcpHeaderSize = 20;
constexpr std::size_t kTcpMaxOptionsSize = 40;

namespace TcpFlag {
constexpr std::uint8_t kFin = 0x01;
constexpr std::uint8_t kSyn = 0x02;
constexpr std::uint8_t kRst = 0x04;
constexpr std::uint8_t kPsh = 0x08;
constexpr std::uint8_t kAck = 0x10;
constexpr std::uint8_t kUrg = 0x20;
constexpr std::uint8_t kEce = 0x40;
constexpr std::uint8_t kCwr = 0x80;
}  // namespace TcpFlag

namespace TcpOptionKind {
constexpr std::uint8_t kEnd = 0;
constexpr std::uint8_t kNop = 1;
constexpr std::uint8_t kMss = 2;
constexpr std::uint8_t kWindowScale = 3;
constexpr std::uint8_t kSackPermitted = 4;
constexpr std::uint8_t kSack = 5;
constexpr std::uint8_t kTimestamp = 8;
}  // namespace TcpOptionKind

class TcpView {
  public:
    /// Requires 20 bytes and 5 <= Data Offset <= bytes.size / 4. The whole span is the segment.
    /// With `verify`, the checksum must be correct (kChecksum otherwise).
    static Result<TcpView> parse(ByteSpan bytes, const PseudoHeader *verify = nullptr);

    std::uint16_t src_port() const { return u16(0); }
    std::uint16_t dst_port() const { return u16(2); }
    std::uint32_t seq() const { return u32(4); }
    std::uint32_t ack() const { return u32(8); }
    std::uint8_t data_offset() const { return static_cast<std::uint8_t>(b_[12] >> 4); }
    std::size_t header_length() const { return data_offset() * 4u; }
    std::uint8_t flags() const { return b_[13]; }
    std::uint16_t window() const { return u16(14); }
    std::uint16_t checksum() const { return u16(16); }
    std::uint16_t urgent_pointer() const { return u16(18); }
    ByteSpan options() const {
        return b_.subspan(kTcpHeaderSize, header_length() - kTcpHeaderSize);
    }
    ByteSpan payload() const { return b_.subspan(header_length()); }
    ByteSpan segment() const { return b_; }
    bool verify_checksum(const PseudoHeader &ph) const;

  private:
    explicit TcpView(ByteSpan b) : b_(b) {}
    std::uint16_t u16(std::size_t i) const {
        return static_cast<std::uint16_t>(b_[i] << 8 | b_[i + 1]);
    }
    std::uint32_t u32(std::size_t i) const {
        return static_cast<std::uint32_t>(u16(i)) << 16 | u16(i + 2);
    }
    ByteSpan b_;
};

struct TcpSackBlock {
    std::uint32_t left = 0;
    std::uint32_t right = 0;
    bool operator==(const TcpSackBlock &o) const { return left == o.left && right == o.right; }
};

struct TcpHeader {
    static constexpr std::size_t kMaxSackBlocks = 4;  // 4 blocks fill the option space

    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
    std::uint16_t urgent_pointer = 0;

    bool has_mss = false;
    std::uint16_t mss = 0;
    bool has_window_scale = false;
    std::uint8_t window_scale = 0;  // shift count; RFC 7323 2.3 caps use at 14, kept as sent
    bool sack_permitted = false;
    bool has_timestamp = false;
    std::uint32_t ts_val = 0;
    std::uint32_t ts_ecr = 0;
    std::uint8_t sack_count = 0;
    TcpSackBlock sack[kMaxSackBlocks];

    std::size_t payload_length = 0;  // set by parse; used by emit

    /// Parses header and options. Known options with a wrong length are kMalformed; a
    /// truncated option list is kTruncated.
    static Result<TcpHeader> parse(ByteSpan bytes, const PseudoHeader *verify = nullptr);
    std::size_t options_size() const;  // padded to a multiple of 4
    std::size_t header_size() const { return kTcpHeaderSize + options_size(); }
    std::size_t emitted_size() const { return header_size() + payload_length; }
    /// `out` holds the whole segment: the payload must already be at
    /// out[header_size(), header_size() + payload_length). Writes header, options, checksum.
    Status emit(MutableByteSpan out, const PseudoHeader &ph) const;
    /// As emit(out, ph), with the payload already in place after the header and its checksum
    /// (summed from the payload's first byte, e.g. by Checksum::add_copy) in `payload_sum`:
    /// the payload is not read again.
    Status emit(MutableByteSpan out, const PseudoHeader &ph, const Checksum &payload_sum) const;
    /// Convenience: copies `payload` after the header, then emit().
    Status emit(MutableByteSpan out, ByteSpan payload, const PseudoHeader &ph);

    bool operator==(const TcpHeader &o) const;
    bool operator!=(const TcpHeader &o) const { return !(*this == o); }

  private:
    Status emit_impl(MutableByteSpan out, const PseudoHeader &ph,
                     const Checksum *payload_sum) const;
};

}  // namespace meshwork::wire
