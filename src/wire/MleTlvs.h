// The MLE TLV values Thread sends (Thread 1.1 4.5; the list and its numbers in Mle.h's
// MleTlvType), one small value type each. Every type T has the same shape, so MLE code reads and
// writes them generically:
//
//   T::kType                           the TLV type
//   static Result<T> T::parse(value)   the TLV's value bytes (kTruncated if too short,
//                                      kMalformed for a wrong length or a bad value)
//   std::size_t value_size() const     bytes write_value() writes
//   Status write_value(ByteWriter &)   the value only (kInvalidArgument if it cannot be encoded)
//   operator==
//
// mle_emit(w, v) writes the whole TLV (type, length, value) and mle_find<T>(list) parses the
// first TLV of T's type in a list. emit(parse(x)) == x for every well-formed TLV: nothing is
// normalised except the reserved bits of Address Registration control bytes, sent as zero.
// Values that hold a ByteSpan (Route64, Network Data, TLV Request, Address Registration and the
// MeshCoP lists) point into the parsed bytes, or at the caller's for emission.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Tlv.h"

namespace meshwork::wire {

namespace MleTlvType {
constexpr std::uint8_t kSourceAddress = 0;
constexpr std::uint8_t kMode = 1;
constexpr std::uint8_t kTimeout = 2;
constexpr std::uint8_t kChallenge = 3;
constexpr std::uint8_t kResponse = 4;
constexpr std::uint8_t kLinkLayerFrameCounter = 5;
constexpr std::uint8_t kLinkQuality = 6;
constexpr std::uint8_t kNetworkParameter = 7;
constexpr std::uint8_t kMleFrameCounter = 8;
constexpr std::uint8_t kRoute64 = 9;
constexpr std::uint8_t kAddress16 = 10;
constexpr std::uint8_t kLeaderData = 11;
constexpr std::uint8_t kNetworkData = 12;
constexpr std::uint8_t kTlvRequest = 13;
constexpr std::uint8_t kScanMask = 14;
constexpr std::uint8_t kConnectivity = 15;
constexpr std::uint8_t kLinkMargin = 16;
constexpr std::uint8_t kStatus = 17;
constexpr std::uint8_t kVersion = 18;
constexpr std::uint8_t kAddressRegistration = 19;
constexpr std::uint8_t kChannel = 20;
constexpr std::uint8_t kPanId = 21;
constexpr std::uint8_t kActiveTimestamp = 22;
constexpr std::uint8_t kPendingTimestamp = 23;
constexpr std::uint8_t kActiveDataset = 24;
constexpr std::uint8_t kPendingDataset = 25;
constexpr std::uint8_t kDiscovery = 26;
}  // namespace MleTlvType

/// A TLV whose value is one big-endian unsigned integer of sizeof(U) bytes.
template <std::uint8_t Type, typename U>
struct MleUintTlv {
    static constexpr std::uint8_t kType = Type;
    U value = 0;

    static Result<MleUintTlv> parse(ByteSpan v) {
        if (v.size < sizeof(U))
            return Error::kTruncated;
        if (v.size > sizeof(U))
            return Error::kMalformed;
        ByteReader r(v);
        MleUintTlv t;
        t.value = static_cast<U>(r.uint_be(sizeof(U)));
        return t;
    }
    std::size_t value_size() const { return sizeof(U); }
    Status write_value(ByteWriter &w) const {
        w.uint_be(value, sizeof(U));
        return w.ok() ? Status() : Status(Error::kNoSpace);
    }
    bool operator==(const MleUintTlv &o) const { return value == o.value; }
};

using MleSourceAddress = MleUintTlv<MleTlvType::kSourceAddress, std::uint16_t>;  // RLOC16
using MleTimeout = MleUintTlv<MleTlvType::kTimeout, std::uint32_t>;              // seconds
using MleLinkLayerFrameCounter = MleUintTlv<MleTlvType::kLinkLayerFrameCounter, std::uint32_t>;
using MleFrameCounter = MleUintTlv<MleTlvType::kMleFrameCounter, std::uint32_t>;
using MleAddress16 = MleUintTlv<MleTlvType::kAddress16, std::uint16_t>;   // RLOC16
using MleLinkMargin = MleUintTlv<MleTlvType::kLinkMargin, std::uint8_t>;  // dB
using MleStatus = MleUintTlv<MleTlvType::kStatus, std::uint8_t>;          // 1 = error
using MleVersion = MleUintTlv<MleTlvType::kVersion, std::uint16_t>;       // 2 = Thread 1.1
using MlePanId = MleUintTlv<MleTlvType::kPanId, std::uint16_t>;

/// Mode TLV (4.5.2): the device mode bits.
struct MleMode {
    static constexpr std::uint8_t kType = MleTlvType::kMode;
    static constexpr std::uint8_t kRxOnWhenIdle = 0x08;
    static constexpr std::uint8_t kSecureDataRequests = 0x04;
    static constexpr std::uint8_t kFullThreadDevice = 0x02;
    static constexpr std::uint8_t kFullNetworkData = 0x01;
    std::uint8_t mode = 0;  // the whole byte, as on the wire

    static Result<MleMode> parse(ByteSpan v);
    std::size_t value_size() const { return 1; }
    Status write_value(ByteWriter &w) const;
    bool operator==(const MleMode &o) const { return mode == o.mode; }
};

/// Scan Mask TLV (4.5.16): which devices answer a Parent Request.
struct MleScanMask {
    static constexpr std::uint8_t kType = MleTlvType::kScanMask;
    static constexpr std::uint8_t kRouters = 0x80;     // R
    static constexpr std::uint8_t kEndDevices = 0x40;  // E
    std::uint8_t mask = 0;

    static Result<MleScanMask> parse(ByteSpan v);
    std::size_t value_size() const { return 1; }
    Status write_value(ByteWriter &w) const;
    bool operator==(const MleScanMask &o) const { return mask == o.mask; }
};

/// Challenge (4.5.4) and Response (4.5.5) TLVs: 4 to 8 random bytes.
template <std::uint8_t Type>
struct MleNonceTlv {
    static constexpr std::uint8_t kType = Type;
    static constexpr std::size_t kMinSize = 4;
    static constexpr std::size_t kMaxSize = 8;
    std::uint8_t bytes[kMaxSize] = {};
    std::uint8_t size = kMaxSize;

    static Result<MleNonceTlv> parse(ByteSpan v) {
        if (v.size < kMinSize)
            return Error::kTruncated;
        if (v.size > kMaxSize)
            return Error::kMalformed;
        MleNonceTlv t;
        t.size = static_cast<std::uint8_t>(v.size);
        std::memcpy(t.bytes, v.data, v.size);
        return t;
    }
    static MleNonceTlv from(ByteSpan v) {
        MleNonceTlv t;
        t.size = static_cast<std::uint8_t>(v.size > kMaxSize ? kMaxSize : v.size);
        if (t.size)
            std::memcpy(t.bytes, v.data, t.size);
        return t;
    }
    ByteSpan span() const { return ByteSpan(bytes, size > kMaxSize ? kMaxSize : size); }
    std::size_t value_size() const { return size; }
    Status write_value(ByteWriter &w) const {
        if (size < kMinSize || size > kMaxSize)
            return Error::kInvalidArgument;
        w.bytes(bytes, size);
        return w.ok() ? Status() : Status(Error::kNoSpace);
    }
    bool operator==(const MleNonceTlv &o) const { return span().equals(o.span()); }
};

using MleChallenge = MleNonceTlv<MleTlvType::kChallenge>;
using MleResponse = MleNonceTlv<MleTlvType::kResponse>;

/// A TLV whose value is a TLV list of another family: Network Data (4.5.11, Network Data TLVs
/// with the stable bit), the Active / Pending Operational Dataset (4.5.26/27) and Discovery
/// (4.5.28), both MeshCoP TLVs. parse() validates the inner list.
template <std::uint8_t Type, const TlvFormat &Format>
struct MleTlvListTlv {
    static constexpr std::uint8_t kType = Type;
    ByteSpan tlvs;

    static Result<MleTlvListTlv> parse(ByteSpan v) {
        Result<TlvList> l = TlvList::parse(v, Format);
        if (!l)
            return Error::kMalformed;
        MleTlvListTlv t;
        t.tlvs = v;
        return t;
    }
    /// The inner list (empty if `tlvs` was set to bytes that do not parse).
    TlvList list() const { return TlvList::parse(tlvs, Format).value_or(TlvList()); }
    std::size_t value_size() const { return tlvs.size; }
    Status write_value(ByteWriter &w) const {
        if (!TlvList::parse(tlvs, Format))
            return Error::kInvalidArgument;
        w.bytes(tlvs);
        return w.ok() ? Status() : Status(Error::kNoSpace);
    }
    bool operator==(const MleTlvListTlv &o) const { return tlvs.equals(o.tlvs); }
};

using MleNetworkData = MleTlvListTlv<MleTlvType::kNetworkData, kNetDataTlvFormat>;
using MleActiveDataset = MleTlvListTlv<MleTlvType::kActiveDataset, kMeshCopTlvFormat>;
using MlePendingDataset = MleTlvListTlv<MleTlvType::kPendingDataset, kMeshCopTlvFormat>;
using MleDiscovery = MleTlvListTlv<MleTlvType::kDiscovery, kMeshCopTlvFormat>;

/// TLV Request TLV (4.5.12): the TLV types asked for, one byte each.
struct MleTlvRequest {
    static constexpr std::uint8_t kType = MleTlvType::kTlvRequest;
    ByteSpan types;

    static Result<MleTlvRequest> parse(ByteSpan v);
    bool requests(std::uint8_t type) const;
    std::size_t value_size() const { return types.size; }
    Status write_value(ByteWriter &w) const;
    bool operator==(const MleTlvRequest &o) const { return types.equals(o.types); }
};

/// Leader Data TLV (4.5.10): 8 bytes.
struct MleLeaderData {
    static constexpr std::uint8_t kType = MleTlvType::kLeaderData;
    std::uint32_t partition_id = 0;
    std::uint8_t weighting = 0;
    std::uint8_t data_version = 0;
    std::uint8_t stable_data_version = 0;
    std::uint8_t leader_router_id = 0;

    static Result<MleLeaderData> parse(ByteSpan value);
    std::size_t value_size() const { return 8; }
    Status write_value(ByteWriter &w) const;
    bool operator==(const MleLeaderData &o) const;
};

/// Route64 TLV (4.5.8): ID sequence, 64-bit router ID mask, one route byte per set bit.
struct MleRoute64 {
    static constexpr std::uint8_t kType = MleTlvType::kRoute64;
    std::uint8_t id_sequence = 0;
    std::uint8_t router_mask[8] = {};
    ByteSpan route_data;  // exactly router_count() bytes

    static Result<MleRoute64> parse(ByteSpan value);
    bool has_router(unsigned id) const {
        return id < 64 && (router_mask[id / 8] & (0x80 >> (id % 8))) != 0;
    }
    void set_router(unsigned id) {
        if (id < 64)
            router_mask[id / 8] = static_cast<std::uint8_t>(router_mask[id / 8] | 0x80 >> (id % 8));
    }
    std::size_t router_count() const;
    /// Link quality out (2 bits), in (2 bits) and route cost (4 bits) of the n-th set router.
    std::uint8_t route_byte(std::size_t n) const { return route_data[n]; }
    std::size_t value_size() const { return 9 + route_data.size; }
    /// kInvalidArgument unless route_data holds one byte per router.
    Status write_value(ByteWriter &w) const;
    bool operator==(const MleRoute64 &o) const;
};

/// Connectivity TLV (4.5.14): 7 bytes, or 10 with the optional SED buffer fields.
struct MleConnectivity {
    static constexpr std::uint8_t kType = MleTlvType::kConnectivity;
    std::uint8_t flags = 0;  // parent priority in bits 6-7
    std::uint8_t link_quality_3 = 0, link_quality_2 = 0, link_quality_1 = 0;
    std::uint8_t leader_cost = 0, id_sequence = 0, active_routers = 0;
    bool has_sed_info = false;
    std::uint16_t sed_buffer_size = 0;
    std::uint8_t sed_datagram_count = 0;

    static Result<MleConnectivity> parse(ByteSpan value);
    std::size_t value_size() const { return has_sed_info ? 10 : 7; }
    Status write_value(ByteWriter &w) const;
    bool operator==(const MleConnectivity &o) const;
};

/// Channel TLV (4.5.20): channel page and channel.
struct MleChannel {
    static constexpr std::uint8_t kType = MleTlvType::kChannel;
    std::uint8_t page = 0;
    std::uint16_t channel = 0;

    static Result<MleChannel> parse(ByteSpan value);
    std::size_t value_size() const { return 3; }
    Status write_value(ByteWriter &w) const;
    bool operator==(const MleChannel &o) const { return page == o.page && channel == o.channel; }
};

/// Active (4.5.22) and Pending (4.5.23) Timestamp TLVs: 48-bit seconds, 15-bit ticks (1/32768 s)
/// and the U (authoritative) bit.
template <std::uint8_t Type>
struct MleTimestampTlv {
    static constexpr std::uint8_t kType = Type;
    std::uint64_t seconds = 0;  // 48 bits
    std::uint16_t ticks = 0;    // 15 bits
    bool authoritative = false;

    static Result<MleTimestampTlv> parse(ByteSpan v) {
        if (v.size < 8)
            return Error::kTruncated;
        if (v.size > 8)
            return Error::kMalformed;
        ByteReader r(v);
        MleTimestampTlv t;
        t.seconds = r.uint_be(6);
        const std::uint16_t low = r.u16();
        t.ticks = static_cast<std::uint16_t>(low >> 1);
        t.authoritative = low & 1;
        return t;
    }
    std::size_t value_size() const { return 8; }
    Status write_value(ByteWriter &w) const {
        if (seconds >> 48 || ticks > 0x7fff)
            return Error::kInvalidArgument;
        w.uint_be(seconds, 6);
        w.u16(static_cast<std::uint16_t>(ticks << 1 | (authoritative ? 1 : 0)));
        return w.ok() ? Status() : Status(Error::kNoSpace);
    }
    bool operator==(const MleTimestampTlv &o) const {
        return seconds == o.seconds && ticks == o.ticks && authoritative == o.authoritative;
    }
};

using MleActiveTimestamp = MleTimestampTlv<MleTlvType::kActiveTimestamp>;
using MlePendingTimestamp = MleTimestampTlv<MleTlvType::kPendingTimestamp>;

/// One Address Registration entry (4.5.19): a context ID and IID (C set), or a full address.
struct MleAddressEntry {
    static constexpr std::uint8_t kCompressed = 0x80;  // C
    bool compressed = false;
    std::uint8_t context_id = 0;    // low 4 bits of the control byte
    std::uint8_t iid[8] = {};       // if compressed
    std::uint8_t address[16] = {};  // otherwise

    static MleAddressEntry make_compressed(std::uint8_t context_id, const std::uint8_t iid[8]);
    static MleAddressEntry make_full(const std::uint8_t address[16]);
    std::size_t encoded_size() const { return compressed ? 9 : 17; }
    /// The reserved bits of the control byte are written as zero; kInvalidArgument for a
    /// context ID over 15.
    Status emit(ByteWriter &w) const;
    bool operator==(const MleAddressEntry &o) const;
};

/// Address Registration TLV (4.5.19): entries back to back, validated by parse() so that the
/// iteration cannot fail.
struct MleAddressRegistration {
    static constexpr std::uint8_t kType = MleTlvType::kAddressRegistration;
    ByteSpan entries;  // encoded entries

    static Result<MleAddressRegistration> parse(ByteSpan value);

    class Iterator {
      public:
        Iterator(ByteSpan b, std::size_t pos) : b_(b), pos_(pos) {}
        MleAddressEntry operator*() const;
        Iterator &operator++();
        bool operator!=(const Iterator &o) const { return pos_ != o.pos_; }

      private:
        std::size_t entry_size() const;
        ByteSpan b_;
        std::size_t pos_;
    };
    Iterator begin() const { return Iterator(entries, entries.empty() ? end_pos() : 0); }
    Iterator end() const { return Iterator(entries, end_pos()); }
    std::size_t count() const;

    std::size_t value_size() const { return entries.size; }
    Status write_value(ByteWriter &w) const;
    bool operator==(const MleAddressRegistration &o) const { return entries.equals(o.entries); }

  private:
    std::size_t end_pos() const;
};

/// Validates an Address Registration value and calls f(entry) for each.
template <typename F>
Status mle_for_each_address(ByteSpan value, F f) {
    Result<MleAddressRegistration> a = MleAddressRegistration::parse(value);
    if (!a)
        return a.error();
    for (MleAddressEntry e : *a)
        f(e);
    return Status();
}

/// Writes a whole MLE TLV: type, one-byte length, value.
template <typename T>
Status mle_emit(ByteWriter &w, const T &tlv) {
    const std::size_t n = tlv.value_size();
    if (n > 0xff)
        return Error::kInvalidArgument;
    if (!w.need(2 + n))
        return Error::kNoSpace;
    w.u8(T::kType);
    w.u8(static_cast<std::uint8_t>(n));
    return tlv.write_value(w);
}

template <typename T>
std::size_t mle_emitted_size(const T &tlv) {
    return 2 + tlv.value_size();
}

/// The first TLV of T's type in `list`, parsed; kNotFound if there is none.
template <typename T>
Result<T> mle_find(const TlvList &list) {
    Tlv t;
    if (!list.find(T::kType, &t))
        return Error::kNotFound;
    return T::parse(t.value);
}

}  // namespace meshwork::wire
