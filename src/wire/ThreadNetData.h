// Thread Network Data TLVs (Thread 1.1 spec 5.18): the first byte holds the type in its upper
// seven bits and the "stable" flag in bit 0, then a one-byte length. Top level: Prefix (with
// Has Route, Border Router and 6LoWPAN ID / context sub-TLVs), Commissioning Data, Service (with
// Server sub-TLVs). Lists are validated and iterated through TlvList (kNetDataTlvFormat).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Ip6Address.h"
#include "wire/Tlv.h"

namespace meshwork::wire {

namespace NetDataTlvType {
constexpr std::uint8_t kHasRoute = 0;
constexpr std::uint8_t kPrefix = 1;
constexpr std::uint8_t kBorderRouter = 2;
constexpr std::uint8_t kContext = 3;  // "6LoWPAN ID"
constexpr std::uint8_t kCommissioningData = 4;
constexpr std::uint8_t kService = 5;
constexpr std::uint8_t kServer = 6;
}  // namespace NetDataTlvType

/// Border Router entry flags (second byte is reserved except N in Thread 1.2).
namespace NetDataBrFlags {
constexpr std::uint16_t kPreferred = 0x2000;     // P
constexpr std::uint16_t kSlaac = 0x1000;         // S
constexpr std::uint16_t kDhcp = 0x0800;          // D
constexpr std::uint16_t kConfigure = 0x0400;     // C
constexpr std::uint16_t kDefaultRoute = 0x0200;  // R
constexpr std::uint16_t kOnMesh = 0x0100;        // O
constexpr std::uint16_t kNdDns = 0x0080;         // N
}  // namespace NetDataBrFlags

/// Validates a Network Data byte string (the Network Data MLE TLV value).
inline Result<TlvList> netdata_parse(ByteSpan bytes) {
    return TlvList::parse(bytes, kNetDataTlvFormat);
}

struct NetDataPrefix {
    std::uint8_t domain_id = 0;
    std::uint8_t prefix_length = 0;  // bits
    Ip6Address prefix;
    TlvList sub_tlvs;
    static Result<NetDataPrefix> parse(ByteSpan value);
};

struct NetDataHasRouteEntry {
    static constexpr std::size_t kSize = 3;
    std::uint16_t rloc16 = 0;
    std::uint8_t flags = 0;  // preference in bits 6-7
    std::int8_t preference() const {
        return static_cast<std::int8_t>(static_cast<std::int8_t>(flags) >> 6);
    }
    Status emit(ByteWriter &w) const;
    bool operator==(const NetDataHasRouteEntry &o) const {
        return rloc16 == o.rloc16 && flags == o.flags;
    }
};
struct NetDataBorderRouterEntry {
    static constexpr std::size_t kSize = 4;
    std::uint16_t rloc16 = 0;
    std::uint16_t flags = 0;  // preference in bits 14-15, then P S D C R O N
    std::int8_t preference() const {
        return static_cast<std::int8_t>(
            static_cast<std::int8_t>(static_cast<std::uint8_t>(flags >> 8)) >> 6);
    }
    Status emit(ByteWriter &w) const;
    bool operator==(const NetDataBorderRouterEntry &o) const {
        return rloc16 == o.rloc16 && flags == o.flags;
    }
};

/// Has Route (3-byte entries) and Border Router (4-byte entries) values.
template <typename F>
Status netdata_for_each_has_route(ByteSpan value, F f) {
    if (value.size % 3)
        return Error::kMalformed;
    for (std::size_t i = 0; i < value.size; i += 3)
        f(NetDataHasRouteEntry{static_cast<std::uint16_t>(value[i] << 8 | value[i + 1]),
                               value[i + 2]});
    return Status();
}
template <typename F>
Status netdata_for_each_border_router(ByteSpan value, F f) {
    if (value.size % 4)
        return Error::kMalformed;
    for (std::size_t i = 0; i < value.size; i += 4)
        f(NetDataBorderRouterEntry{static_cast<std::uint16_t>(value[i] << 8 | value[i + 1]),
                                   static_cast<std::uint16_t>(value[i + 2] << 8 | value[i + 3])});
    return Status();
}

/// 6LoWPAN ID (context) sub-TLV value: C flag, context ID, context length.
struct NetDataContext {
    bool compress = false;
    std::uint8_t context_id = 0;
    std::uint8_t context_length = 0;
    static Result<NetDataContext> parse(ByteSpan value);
    /// Writes the value (2 bytes); the reserved bits are sent as zero.
    Status emit(ByteWriter &w) const;
    bool operator==(const NetDataContext &o) const {
        return compress == o.compress && context_id == o.context_id &&
               context_length == o.context_length;
    }
};

struct NetDataService {
    bool thread_enterprise = true;  // T: enterprise number elided (Thread, 44970)
    std::uint8_t service_id = 0;
    std::uint32_t enterprise_number = 44970;
    ByteSpan service_data;
    TlvList sub_tlvs;
    static Result<NetDataService> parse(ByteSpan value);
    std::size_t value_size() const {
        return 1 + (thread_enterprise ? 0 : 4) + 1 + service_data.size + sub_tlvs.bytes().size;
    }
    /// Writes the value; kInvalidArgument for a service ID over 15 or service data over 255
    /// bytes. The reserved bits of the first byte are sent as zero.
    Status emit(ByteWriter &w) const;
    bool operator==(const NetDataService &o) const;
};

struct NetDataServer {
    std::uint16_t rloc16 = 0;
    ByteSpan server_data;
    static Result<NetDataServer> parse(ByteSpan value);
    std::size_t value_size() const { return 2 + server_data.size; }
    /// Writes the value.
    Status emit(ByteWriter &w) const;
    bool operator==(const NetDataServer &o) const {
        return rloc16 == o.rloc16 && server_data.equals(o.server_data);
    }
};

/// Writes a Prefix TLV; `sub_tlvs` is the already-encoded sub-TLV bytes.
Status netdata_emit_prefix(ByteWriter &w, bool stable, std::uint8_t domain_id,
                           const Ip6Address &prefix, std::uint8_t prefix_length, ByteSpan sub_tlvs);

}  // namespace meshwork::wire
