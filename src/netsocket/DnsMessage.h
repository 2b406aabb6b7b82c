// DNS message codec for the stub resolver: query emission and total response parsing
// (RFC 1035 section 4.1: header, question, resource records; section 4.1.4: name
// compression). A/AAAA records come from RFC 1035 section 3.4.1 and RFC 3596 section 2.
//
// Like the wire codecs, it never allocates and never reads past the given length: every
// malformed input yields an error status, never undefined behaviour.
#pragma once

#include <cstddef>
#include <cstdint>

#include "nsapi_types.h"

namespace meshwork {
namespace dns {

constexpr uint16_t kTypeA = 1;
constexpr uint16_t kTypeCname = 5;
constexpr uint16_t kTypeAaaa = 28;
constexpr uint16_t kClassIn = 1;
constexpr size_t kHeaderSize = 12;
constexpr size_t kMaxNameLength = 255;  // text form, RFC 1035 section 2.3.4
constexpr size_t kMaxLabelLength = 63;  // RFC 1035 section 2.3.4
constexpr size_t kMaxUdpMessage = 512;  // RFC 1035 section 4.2.1
constexpr uint16_t kDefaultPort = 53;

/// Query-emission outcome.
enum class EncodeStatus : uint8_t {
    kOk,
    kBadName,  // empty label, label > 63, name > 255, or a character that cannot be sent
    kNoSpace,  // output buffer too small
};

/// Writes a recursive query (RD set) for `name` with `qtype`, class IN, into `out`.
/// `*written` receives the message length on success.
EncodeStatus encode_query(uint16_t id, const char *name, uint16_t qtype, uint8_t *out,
                          size_t capacity, size_t *written);

/// Response-parsing outcome.
enum class ParseStatus : uint8_t {
    kOk,             // a response to our question; `count` may be 0 (no records of that type)
    kNotResponse,    // QR clear, wrong id, or a different question: not an answer to us
    kNameError,      // RCODE 3: the name does not exist
    kServerFailure,  // any other non-zero RCODE, or a truncated (TC) answer we cannot use
    kMalformed,      // the bytes do not form a valid message
};

/// One address record.
struct Record {
    nsapi_addr_t addr;
    uint32_t ttl;  // seconds
};

/// Parses a response to the query `id`/`qtype` for `name`. Up to `max_records` A (qtype A) or
/// AAAA (qtype AAAA) records of class IN from the answer section are stored in `records`;
/// `*count` receives how many. Records of other types (CNAME chains) are skipped.
ParseStatus parse_response(const uint8_t *msg, size_t len, uint16_t id, const char *name,
                           uint16_t qtype, Record *records, size_t max_records, size_t *count);

}  // namespace dns
}  // namespace meshwork
