// CoAP messages (RFC 7252 section 3): 4-byte header (version 1, type, token length, code,
// message ID), token (0-8 bytes), options as deltas with 13/14 extensions (3.1), and an optional
// payload after the 0xff marker. Block-wise transfer options (RFC 7959 2.2). Thread management
// (TMF, UDP 61631) uses CoAP with Uri-Path options such as "a/as".
//
// CoapMessage is a checked view: parse() validates the whole message, so option iteration and
// accessors cannot fail. CoapBuilder writes a message into a caller buffer.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"

namespace meshwork::wire {

namespace CoapType {
constexpr std::uint8_t kConfirmable = 0;
constexpr std::uint8_t kNonConfirmable = 1;
constexpr std::uint8_t kAcknowledgement = 2;
constexpr std::uint8_t kReset = 3;
}  // namespace CoapType

/// Codes as class << 5 | detail (RFC 7252 12.1).
namespace CoapCode {
constexpr std::uint8_t kEmpty = 0x00;
constexpr std::uint8_t kGet = 0x01;
constexpr std::uint8_t kPost = 0x02;
constexpr std::uint8_t kPut = 0x03;
constexpr std::uint8_t kDelete = 0x04;
constexpr std::uint8_t kCreated = 0x41;
constexpr std::uint8_t kDeleted = 0x42;
constexpr std::uint8_t kValid = 0x43;
constexpr std::uint8_t kChanged = 0x44;
constexpr std::uint8_t kContent = 0x45;
constexpr std::uint8_t kContinue = 0x5f;  // 2.31, RFC 7959
constexpr std::uint8_t kBadRequest = 0x80;
constexpr std::uint8_t kNotFound = 0x84;
constexpr std::uint8_t kRequestEntityIncomplete = 0x88;  // 4.08, RFC 7959
constexpr std::uint8_t kInternalServerError = 0xa0;
inline constexpr std::uint8_t make(unsigned cls, unsigned detail) {
    return static_cast<std::uint8_t>(cls << 5 | detail);
}
}  // namespace CoapCode

namespace CoapOption {
constexpr std::uint16_t kIfMatch = 1;
constexpr std::uint16_t kUriHost = 3;
constexpr std::uint16_t kETag = 4;
constexpr std::uint16_t kIfNoneMatch = 5;
constexpr std::uint16_t kObserve = 6;
constexpr std::uint16_t kUriPort = 7;
constexpr std::uint16_t kLocationPath = 8;
constexpr std::uint16_t kUriPath = 11;
constexpr std::uint16_t kContentFormat = 12;
constexpr std::uint16_t kMaxAge = 14;
constexpr std::uint16_t kUriQuery = 15;
constexpr std::uint16_t kAccept = 17;
constexpr std::uint16_t kLocationQuery = 20;
constexpr std::uint16_t kBlock2 = 23;
constexpr std::uint16_t kBlock1 = 27;
constexpr std::uint16_t kSize2 = 28;
constexpr std::uint16_t kProxyUri = 35;
constexpr std::uint16_t kProxyScheme = 39;
constexpr std::uint16_t kSize1 = 60;
}  // namespace CoapOption

struct CoapOptionValue {
    std::uint16_t number = 0;
    ByteSpan value;
    /// The value as an RFC 7252 3.2 "uint" (big-endian, up to 4 bytes; longer values saturate).
    std::uint32_t as_uint() const;
};

/// Block1/Block2 value (RFC 7959 2.2): NUM, M, SZX (block size 2^(SZX+4)).
struct CoapBlock {
    std::uint32_t num = 0;
    bool more = false;
    std::uint8_t szx = 0;  // 0..6
    std::size_t size() const { return std::size_t{16} << szx; }
    static Result<CoapBlock> from_uint(std::uint32_t v);
    std::uint32_t to_uint() const { return num << 4 | (more ? 8u : 0u) | szx; }
};

class CoapMessage {
  public:
    static constexpr std::uint16_t kTmfPort = 61631;
    static constexpr std::uint16_t kDefaultPort = 5683;

    static Result<CoapMessage> parse(ByteSpan bytes);

    std::uint8_t type() const { return (b_[0] >> 4) & 3; }
    std::uint8_t code() const { return b_[1]; }
    std::uint8_t code_class() const { return b_[1] >> 5; }
    std::uint8_t code_detail() const { return b_[1] & 0x1f; }
    std::uint16_t message_id() const { return static_cast<std::uint16_t>(b_[2] << 8 | b_[3]); }
    ByteSpan token() const { return b_.subspan(4, b_[0] & 0x0f); }
    ByteSpan options_bytes() const { return b_.subspan(4 + token().size, options_len_); }
    ByteSpan payload() const { return payload_; }
    ByteSpan bytes() const { return b_; }
    bool is_request() const { return code_class() == 0 && code() != 0; }

    /// Calls f(CoapOptionValue) for each option in order.
    template <typename F>
    void for_each_option(F f) const {
        ByteReader r(options_bytes());
        std::uint16_t number = 0;
        while (!r.at_end()) {
            CoapOptionValue o;
            read_option(r, &number, &o);
            f(o);
        }
    }
    /// First option with `number`.
    bool find(std::uint16_t number, CoapOptionValue *out) const;
    std::size_t option_count() const;
    /// Uri-Path options joined with '/' (e.g. "a/as"), NUL-terminated. Returns length, or 0
    /// if there is none or it does not fit.
    std::size_t uri_path(char *out, std::size_t size) const;

  private:
    static Error read_option(ByteReader &r, std::uint16_t *number, CoapOptionValue *o);
    ByteSpan b_;
    std::size_t options_len_ = 0;
    ByteSpan payload_;
};

class CoapBuilder {
  public:
    CoapBuilder(MutableByteSpan out, std::uint8_t type, std::uint8_t code, std::uint16_t message_id,
                ByteSpan token);
    /// Options must be added in non-decreasing number order.
    CoapBuilder &option(std::uint16_t number, ByteSpan value);
    CoapBuilder &option_uint(std::uint16_t number, std::uint32_t value);
    /// One Uri-Path option per '/'-separated segment of `path` (leading '/' ignored).
    CoapBuilder &uri_path(const char *path);
    CoapBuilder &payload(ByteSpan payload);
    /// Bytes written, or the first error.
    Result<std::size_t> finish() const;

  private:
    ByteWriter w_;
    std::uint16_t last_number_ = 0;
    bool payload_written_ = false;
    Error error_ = Error::kOk;
};

}  // namespace meshwork::wire
