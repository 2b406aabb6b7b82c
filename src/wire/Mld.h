// Multicast Listener Discovery: MLDv2 queries and reports (RFC 3810 5.1, 5.2) plus the MLDv1
// query / report / done messages (RFC 2710 3) that an MLDv2 node must still understand. Sent
// with hop limit 1 and a Router Alert hop-by-hop option; that is the stack's business.
//
// Caps (more is kUnsupported): kMaxSources sources in a query, kMaxRecords address records
// in a report, kMaxRecordSources sources per record. Auxiliary data in records is skipped on
// parse and never emitted (RFC 3810 5.2.10).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Checksum.h"
#include "wire/Ip6Address.h"

namespace meshwork::wire {

namespace MldType {
constexpr std::uint8_t kQuery = 130;
constexpr std::uint8_t kV1Report = 131;
constexpr std::uint8_t kV1Done = 132;
constexpr std::uint8_t kV2Report = 143;
}  // namespace MldType

/// Multicast address record types (RFC 3810 5.2.12).
namespace MldRecordType {
constexpr std::uint8_t kModeIsInclude = 1;
constexpr std::uint8_t kModeIsExclude = 2;
constexpr std::uint8_t kChangeToInclude = 3;
constexpr std::uint8_t kChangeToExclude = 4;
constexpr std::uint8_t kAllowNewSources = 5;
constexpr std::uint8_t kBlockOldSources = 6;
}  // namespace MldRecordType

struct MldRecord {
    static constexpr std::size_t kMaxRecordSources = 4;
    std::uint8_t type = MldRecordType::kChangeToExclude;
    Ip6Address group;
    std::uint8_t source_count = 0;
    Ip6Address sources[kMaxRecordSources];
    bool operator==(const MldRecord &o) const;
};

struct MldMessage {
    static constexpr std::size_t kMaxSources = 8;
    static constexpr std::size_t kMaxRecords = 8;
    static constexpr std::uint8_t kFlagSuppress = 0x08;  // S

    std::uint8_t type = MldType::kV2Report;
    // Queries, and the MLDv1 messages
    bool v1 = false;  // a 24-byte MLDv1 message
    std::uint16_t max_response_code = 0;
    Ip6Address group;  // unspecified for a general query
    // MLDv2 query
    std::uint8_t flags = 0;  // Resv | S | QRV (3), as on the wire
    std::uint8_t qqic = 0;
    std::uint8_t source_count = 0;
    Ip6Address sources[kMaxSources];
    // MLDv2 report
    std::uint8_t record_count = 0;
    MldRecord records[kMaxRecords];

    std::uint8_t qrv() const { return flags & 0x07; }
    bool suppress() const { return flags & kFlagSuppress; }
    /// Maximum Response Delay in milliseconds (RFC 3810 5.1.3: exponential form >= 32768).
    std::uint32_t max_response_delay_ms() const;

    static Result<MldMessage> parse(ByteSpan bytes, const PseudoHeader *verify = nullptr);
    std::size_t emitted_size() const;
    Status emit(MutableByteSpan out, const PseudoHeader &ph) const;
    bool operator==(const MldMessage &o) const;
};

}  // namespace meshwork::wire
