// A decoded CoAP message as an owning value (RFC 7252 section 3), for applications of the
// meshwork CoAP client and server. The byte-level codec is wire::CoapMessage / CoapBuilder; this
// type adds ownership and convenience accessors for Uri-Path (5.10.1), Uri-Query, Content-Format
// (5.10.3), Observe (RFC 7641 2) and Block1/Block2 (RFC 7959 2.2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace meshwork::coap {

enum class Type : std::uint8_t {
    kConfirmable = 0,
    kNonConfirmable = 1,
    kAcknowledgement = 2,
    kReset = 3
};

/// Codes as class << 5 | detail (RFC 7252 12.1); c(2, 5) is 2.05 Content.
constexpr std::uint8_t code(unsigned cls, unsigned detail) {
    return static_cast<std::uint8_t>(cls << 5 | detail);
}
namespace Code {
constexpr std::uint8_t kEmpty = 0x00;
constexpr std::uint8_t kGet = 0x01;
constexpr std::uint8_t kPost = 0x02;
constexpr std::uint8_t kPut = 0x03;
constexpr std::uint8_t kDelete = 0x04;
constexpr std::uint8_t kCreated = code(2, 1);
constexpr std::uint8_t kDeleted = code(2, 2);
constexpr std::uint8_t kValid = code(2, 3);
constexpr std::uint8_t kChanged = code(2, 4);
constexpr std::uint8_t kContent = code(2, 5);
constexpr std::uint8_t kContinue = code(2, 31);
constexpr std::uint8_t kBadRequest = code(4, 0);
constexpr std::uint8_t kBadOption = code(4, 2);
constexpr std::uint8_t kNotFound = code(4, 4);
constexpr std::uint8_t kMethodNotAllowed = code(4, 5);
constexpr std::uint8_t kRequestEntityIncomplete = code(4, 8);
constexpr std::uint8_t kRequestEntityTooLarge = code(4, 13);
constexpr std::uint8_t kInternalServerError = code(5, 0);
constexpr std::uint8_t kServiceUnavailable = code(5, 3);
}  // namespace Code

namespace Option {
constexpr std::uint16_t kObserve = 6;
constexpr std::uint16_t kUriPath = 11;
constexpr std::uint16_t kContentFormat = 12;
constexpr std::uint16_t kMaxAge = 14;
constexpr std::uint16_t kUriQuery = 15;
constexpr std::uint16_t kAccept = 17;
constexpr std::uint16_t kBlock2 = 23;
constexpr std::uint16_t kBlock1 = 27;
constexpr std::uint16_t kSize2 = 28;
constexpr std::uint16_t kSize1 = 60;
}  // namespace Option

/// Content-Format registry values (RFC 7252 12.3).
namespace ContentFormat {
constexpr std::uint16_t kTextPlain = 0;
constexpr std::uint16_t kLinkFormat = 40;
constexpr std::uint16_t kOctetStream = 42;
constexpr std::uint16_t kJson = 50;
constexpr std::uint16_t kCbor = 60;
}  // namespace ContentFormat

/// "2.05" style text for a code.
std::string code_string(std::uint8_t code);

/// Block option value (RFC 7959 2.2): block number, more flag, size exponent (16 << szx bytes).
struct Block {
    std::uint32_t num = 0;
    bool more = false;
    std::uint8_t szx = 6;
    std::size_t size() const { return std::size_t{16} << szx; }
    std::uint32_t to_uint() const { return num << 4 | (more ? 8u : 0u) | szx; }
};

struct OptionEntry {
    std::uint16_t number = 0;
    std::vector<std::uint8_t> value;
};

class Message {
  public:
    Type type = Type::kConfirmable;
    std::uint8_t code = Code::kEmpty;
    std::uint16_t message_id = 0;
    std::vector<std::uint8_t> token;   // 0..8 bytes
    std::vector<OptionEntry> options;  // kept sorted by number (stable for repeats)
    std::vector<std::uint8_t> payload;

    /// Parses untrusted bytes; false if the message is malformed.
    static bool decode(const std::uint8_t *data, std::size_t size, Message *out);
    /// Serialises into `out`; returns the length or 0 if it does not fit or is invalid.
    std::size_t encode(std::uint8_t *out, std::size_t size) const;
    std::vector<std::uint8_t> encode() const;

    bool is_request() const { return code >= 1 && code <= 31; }
    bool is_response() const { return code >= 64; }
    bool is_empty() const { return code == Code::kEmpty; }

    /// Inserts after any options with the same number (repeatable options keep their order).
    void add_option(std::uint16_t number, const std::vector<std::uint8_t> &value);
    void add_option_uint(std::uint16_t number, std::uint32_t value);
    void add_option_string(std::uint16_t number, const std::string &value);
    void remove_option(std::uint16_t number);
    const OptionEntry *find_option(std::uint16_t number) const;
    bool has_option(std::uint16_t number) const { return find_option(number) != nullptr; }
    /// The option as a uint, or `fallback` if absent.
    std::uint32_t option_uint(std::uint16_t number, std::uint32_t fallback = 0) const;

    /// Replaces the Uri-Path options with one per '/'-separated segment ("/a/b?x=1" also sets
    /// Uri-Query from the part after '?').
    void set_uri(const std::string &path_and_query);
    /// Uri-Path segments joined with '/', without a leading '/'.
    std::string uri_path() const;
    void add_uri_query(const std::string &query);
    std::vector<std::string> uri_queries() const;

    void set_content_format(std::uint16_t format);
    /// -1 if absent.
    int content_format() const;

    /// False if the option is absent or malformed.
    bool block(std::uint16_t number, Block *out) const;
    void set_block(std::uint16_t number, const Block &b);

    /// RFC 7641 Observe value, or -1 if absent.
    std::int64_t observe() const;

    std::string payload_string() const { return std::string(payload.begin(), payload.end()); }
    void set_payload(const std::string &s) { payload.assign(s.begin(), s.end()); }
};

}  // namespace meshwork::coap
