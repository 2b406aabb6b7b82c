// A CoAP message as an owning value (RFC 7252 section 3): the value type of the CoAP endpoint and
// of applications. It parses through the checked view wire::CoapMessage and emits through
// wire::CoapBuilder (the only codec), and adds ownership and accessors for Uri-Path (5.10.1),
// Uri-Query, Content-Format (5.10.3), Observe (RFC 7641 2) and Block1/Block2 (RFC 7959 2.2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/Bytes.h"
#include "wire/Coap.h"

namespace meshwork::coap {

// The vocabulary is wire's (wire/Coap.h), named here without the Coap prefix.
using Type = wire::CoapType;
namespace Code = wire::CoapCode;
namespace Option = wire::CoapOption;
namespace ContentFormat = wire::CoapContentFormat;
/// Block option value (RFC 7959 2.2): block number, more flag, size exponent (16 << szx bytes).
using Block = wire::CoapBlock;

/// "2.05" style text for a code.
std::string code_string(std::uint8_t code);

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

    /// Parses untrusted bytes; the view's error if the message is malformed.
    static Result<Message> parse(ByteSpan bytes);
    /// Parses untrusted bytes; false if the message is malformed.
    static bool decode(const std::uint8_t *data, std::size_t size, Message *out);
    /// Serialises into `out`; returns the length or 0 if it does not fit or is invalid.
    std::size_t encode(std::uint8_t *out, std::size_t size) const;
    std::vector<std::uint8_t> encode() const;

    bool is_request() const { return Code::is_request(code); }
    bool is_response() const { return Code::is_response(code); }
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
