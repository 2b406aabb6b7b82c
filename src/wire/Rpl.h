// RPL control messages (RFC 6550 6): ICMPv6 type 155 with codes DIS (6.2), DIO (6.3), DAO
// (6.4) and DAO-ACK (6.5), and the control message options of 6.7: Pad1/PadN, DAG Metric
// Container (kept raw), Route Information (6.7.5), DODAG Configuration (6.7.6), RPL Target
// (6.7.7), Transit Information (6.7.8), Solicited Information (6.7.9), Prefix Information
// (6.7.10) and RPL Target Descriptor (6.7.11). Secure variants (codes 0x80..) are
// kUnsupported.
//
// RplMessage is one value type for the four messages; `code` selects which fields matter.
// Caps (more is kUnsupported): kMaxPrefixes PIOs, kMaxRoutes RIOs, kMaxDaoItems target /
// transit / descriptor options (kept in wire order because a DAO groups targets with the
// transits that follow them). Unknown options are skipped.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Checksum.h"
#include "wire/Ip6Address.h"
#include "wire/PrefixOptions.h"

namespace meshwork::wire {

namespace RplCode {
constexpr std::uint8_t kDis = 0x00;
constexpr std::uint8_t kDio = 0x01;
constexpr std::uint8_t kDao = 0x02;
constexpr std::uint8_t kDaoAck = 0x03;
}  // namespace RplCode

namespace RplOptionType {
constexpr std::uint8_t kPad1 = 0;
constexpr std::uint8_t kPadN = 1;
constexpr std::uint8_t kDagMetricContainer = 2;
constexpr std::uint8_t kRouteInformation = 3;
constexpr std::uint8_t kDodagConfiguration = 4;
constexpr std::uint8_t kTarget = 5;
constexpr std::uint8_t kTransitInformation = 6;
constexpr std::uint8_t kSolicitedInformation = 7;
constexpr std::uint8_t kPrefixInformation = 8;
constexpr std::uint8_t kTargetDescriptor = 9;
}  // namespace RplOptionType

/// Modes of operation (RFC 6550 6.3.1).
namespace RplMop {
constexpr std::uint8_t kNoDownward = 0;
constexpr std::uint8_t kNonStoring = 1;
constexpr std::uint8_t kStoringNoMulticast = 2;
constexpr std::uint8_t kStoringMulticast = 3;
}  // namespace RplMop

/// DODAG Configuration option (6.7.6); defaults are those of RFC 6550 17.
struct RplDodagConfig {
    static constexpr std::uint8_t kFlagAuthentication = 0x08;  // A
    std::uint8_t flags = 0;  // Flags (4) | A | PCS (3), as on the wire
    std::uint8_t dio_interval_doublings = 20;
    std::uint8_t dio_interval_min = 3;
    std::uint8_t dio_redundancy_constant = 10;
    std::uint16_t max_rank_increase = 0;
    std::uint16_t min_hop_rank_increase = 256;
    std::uint16_t ocp = 0;
    std::uint8_t default_lifetime = 0xff;
    std::uint16_t lifetime_unit = 0xffff;

    std::uint8_t pcs() const { return flags & 0x07; }
    bool operator==(const RplDodagConfig &o) const;
};

/// Route Information (6.7.5) and Prefix Information (6.7.10) options: the RIO and PIO bodies
/// shared with ND (PrefixOptions.h); RIO prefixes are masked to prefix_length.
using RplRouteInfo = RouteInfo;
using RplPrefixInfo = PrefixInfo;

/// Solicited Information option (6.7.9).
struct RplSolicitedInfo {
    static constexpr std::uint8_t kFlagV = 0x80;
    static constexpr std::uint8_t kFlagI = 0x40;
    static constexpr std::uint8_t kFlagD = 0x20;
    std::uint8_t instance_id = 0;
    std::uint8_t flags = 0;
    Ip6Address dodag_id;
    std::uint8_t version = 0;
    bool operator==(const RplSolicitedInfo &o) const;
};

/// One DAO option in wire order: a RPL Target (6.7.7), a Transit Information (6.7.8) or a
/// RPL Target Descriptor (6.7.11).
struct RplDaoItem {
    enum class Kind : std::uint8_t { kTarget, kTransit, kDescriptor };
    static constexpr std::uint8_t kTransitExternal = 0x80;  // E

    Kind kind = Kind::kTarget;
    // Target
    std::uint8_t target_flags = 0;
    std::uint8_t prefix_length = 128;
    Ip6Address target;  // masked to prefix_length
    // Transit
    std::uint8_t transit_flags = 0;
    std::uint8_t path_control = 0;
    std::uint8_t path_sequence = 0;
    std::uint8_t path_lifetime = 0;
    bool has_parent = false;  // non-storing mode carries the parent address
    Ip6Address parent;
    // Descriptor
    std::uint32_t descriptor = 0;

    static RplDaoItem make_target(const Ip6Address &a, std::uint8_t prefix_length = 128);
    static RplDaoItem make_transit(std::uint8_t path_sequence, std::uint8_t path_lifetime,
                                   const Ip6Address *parent, std::uint8_t path_control = 0);
    bool operator==(const RplDaoItem &o) const;
};

struct RplMessage {
    static constexpr std::size_t kMaxPrefixes = 4;
    static constexpr std::size_t kMaxRoutes = 8;
    static constexpr std::size_t kMaxDaoItems = 16;

    // DIO G|0|MOP|Prf byte
    static constexpr std::uint8_t kDioGrounded = 0x80;
    // DAO flags
    static constexpr std::uint8_t kDaoAckRequested = 0x80;    // K
    static constexpr std::uint8_t kDaoDodagIdPresent = 0x40;  // D
    // DAO-ACK flags
    static constexpr std::uint8_t kDaoAckDodagIdPresent = 0x80;  // D

    std::uint8_t code = RplCode::kDis;

    std::uint8_t instance_id = 0;  // DIO, DAO, DAO-ACK
    std::uint8_t flags = 0;        // DIS, DIO, DAO (K|D), DAO-ACK (D) flags byte
    // DIO
    std::uint8_t version = 0;
    std::uint16_t rank = 0xffff;
    bool grounded = false;
    std::uint8_t mop = 0;         // 3 bits
    std::uint8_t preference = 0;  // 3 bits
    std::uint8_t dtsn = 0;
    // DAO, DAO-ACK
    std::uint8_t sequence = 0;
    std::uint8_t status = 0;  // DAO-ACK
    // DIO, and DAO / DAO-ACK when the D flag is set
    Ip6Address dodag_id;

    // Options
    ByteSpan metric_container;  // raw DAG Metric Container value (RFC 6551), if any
    bool has_metric_container = false;
    bool has_config = false;
    RplDodagConfig config;
    std::uint8_t prefix_count = 0;
    RplPrefixInfo prefixes[kMaxPrefixes];
    std::uint8_t route_count = 0;
    RplRouteInfo routes[kMaxRoutes];
    bool has_solicited = false;
    RplSolicitedInfo solicited;
    std::uint8_t dao_item_count = 0;
    RplDaoItem dao_items[kMaxDaoItems];

    bool has_dodag_id() const;

    /// Parses a whole ICMPv6 RPL message (type 155). With `verify`, the checksum must match.
    static Result<RplMessage> parse(ByteSpan bytes, const PseudoHeader *verify = nullptr);
    std::size_t emitted_size() const;
    Status emit(MutableByteSpan out, const PseudoHeader &ph) const;
    bool operator==(const RplMessage &o) const;
};

}  // namespace meshwork::wire
