// CoAP messages (RFC 7252 section 3): 4-byte header (version 1, type, token length, code,
// message ID), token (0-8 bytes), options as deltas with 13/14 extensions (3.1), and an optional
// payload after the 0xff marker. Block-wise transfer options (RFC 7959 2.2). Thread management
// (TMF, UDP 61631) uses CoAP with Uri-Path options such as "a/as".
//
// This header is the one CoAP vocabulary of the project: types, codes, option numbers,
// Content-Formats and the Block value are defined here and nowhere else (meshwork::coap names
// them through aliases). CoapMessage is a checked view: parse() validates the whole message, so
// option iteration and accessors cannot fail. CoapBuilder writes a message into a caller buffer.
// Neither allocates; the owning value type is coap::Message, built on both.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"

namespace meshwork::wire {

/// Message types (RFC 7252 3).
enum class CoapType : std::uint8_t {
    kConfirmable = 0,
    kNonConfirmable = 1,
    kAcknowledgement = 2,
    kReset = 3
};

/// Codes as class << 5 | detail (RFC 7252 12.1.1 and 12.1.2; 2.31 and 4.08 from RFC 7959 2.9).
namespace CoapCode {
inline constexpr std::uint8_t make(unsigned cls, unsigned detail) {
    return static_cast<std::uint8_t>(cls << 5 | detail);
}
constexpr std::uint8_t kEmpty = 0x00;
constexpr std::uint8_t kGet = 0x01;
constexpr std::uint8_t kPost = 0x02;
constexpr std::uint8_t kPut = 0x03;
constexpr std::uint8_t kDelete = 0x04;
constexpr std::uint8_t kCreated = make(2, 1);
constexpr std::uint8_t kDeleted = make(2, 2);
constexpr std::uint8_t kValid = make(2, 3);
constexpr std::uint8_t kChanged = make(2, 4);
constexpr std::uint8_t kContent = make(2, 5);
constexpr std::uint8_t kContinue = make(2, 31);
constexpr std::uint8_t kBadRequest = make(4, 0);
constexpr std::uint8_t kBadOption = make(4, 2);
constexpr std::uint8_t kNotFound = make(4, 4);
constexpr std::uint8_t kMethodNotAllowed = make(4, 5);
constexpr std::uint8_t kRequestEntityIncomplete = make(4, 8);
constexpr std::uint8_t kRequestEntityTooLarge = make(4, 13);
constexpr std::uint8_t kInternalServerError = make(5, 0);
constexpr std::uint8_t kServiceUnavailable = make(5, 3);
/// Class 0 with a non-zero detail is a method (RFC 7252 12.1.1).
inline constexpr bool is_request(std::uint8_t code) {
    return code >= 1 && code <= 31;
}
/// Classes 2, 4 and 5 (RFC 7252 12.1.2).
inline constexpr bool is_response(std::uint8_t code) {
    return code >= 64 && code < 192;
}
}  // namespace CoapCode

/// Option numbers (RFC 7252 12.2; Observe RFC 7641 2; Block and Size RFC 7959 2.1, 4).
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
/// Odd numbers are critical: a recipient that does not understand one must reject (5.4.1).
inline constexpr bool is_critical(std::uint16_t number) {
    return (number & 1) != 0;
}
}  // namespace CoapOption

/// Content-Format registry values (RFC 7252 12.3).
namespace CoapContentFormat {
constexpr std::uint16_t kTextPlain = 0;
constexpr std::uint16_t kLinkFormat = 40;
constexpr std::uint16_t kOctetStream = 42;
constexpr std::uint16_t kJson = 50;
constexpr std::uint16_t kCbor = 60;
}  // namespace CoapContentFormat

/// Largest option value the encoding can carry (length nibble 14: 269 + 0xffff).
constexpr std::size_t kCoapMaxOptionLength = 0xffff + 269;

/// An RFC 7252 3.2 "uint" option value: big-endian, minimal length (0 is the empty value).
/// Writes up to 4 bytes to `out`; returns the length.
std::size_t coap_encode_uint(std::uint32_t value, std::uint8_t (&out)[4]);
/// Reads a "uint" value; longer than 4 bytes saturates to UINT32_MAX.
std::uint32_t coap_decode_uint(ByteSpan value);

struct CoapOptionValue {
    std::uint16_t number = 0;
    ByteSpan value;
    /// The value as an RFC 7252 3.2 "uint" (big-endian, up to 4 bytes; longer values saturate).
    std::uint32_t as_uint() const { return coap_decode_uint(value); }
};

/// Block1/Block2 value (RFC 7959 2.2): NUM, M, SZX (block size 2^(SZX+4); 6, 1024 bytes, by
/// default).
struct CoapBlock {
    std::uint32_t num = 0;
    bool more = false;
    std::uint8_t szx = 6;  // 0..6
    std::size_t size() const { return std::size_t{16} << szx; }
    std::uint32_t to_uint() const { return num << 4 | (more ? 8u : 0u) | szx; }
    /// From the option's uint value; SZX 7 is reserved and NUM is at most 20 bits.
    static Result<CoapBlock> from_uint(std::uint32_t v);
    /// From the option's bytes (0-3 of them, 2.2).
    static Result<CoapBlock> parse(ByteSpan value);
};

class CoapMessage {
  public:
    static constexpr std::uint16_t kTmfPort = 61631;
    static constexpr std::uint16_t kDefaultPort = 5683;

    static Result<CoapMessage> parse(ByteSpan bytes);

    CoapType type() const { return static_cast<CoapType>((b_[0] >> 4) & 3); }
    std::uint8_t code() const { return b_[1]; }
    std::uint8_t code_class() const { return b_[1] >> 5; }
    std::uint8_t code_detail() const { return b_[1] & 0x1f; }
    std::uint16_t message_id() const { return static_cast<std::uint16_t>(b_[2] << 8 | b_[3]); }
    ByteSpan token() const { return b_.subspan(4, b_[0] & 0x0f); }
    ByteSpan options_bytes() const { return b_.subspan(4 + token().size, options_len_); }
    ByteSpan payload() const { return payload_; }
    ByteSpan bytes() const { return b_; }
    bool is_request() const { return CoapCode::is_request(code()); }

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
    CoapBuilder(MutableByteSpan out, CoapType type, std::uint8_t code, std::uint16_t message_id,
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
