// RPL control messages (RFC 6550 6): ICMPv6 type 155 with codes DIS (6.2), DIO (6.3), DAO
// (6.4) and DAO-ACK (6.5), and the control message options of 6.7: Pad1/PadN, DAG Metric
// Container (kept raw, RFC 6551), Route Information (6.7.5), DODAG Configuration (6.7.6), RPL
// Target (6.7.7), Transit Information (6.7.8), Solicited Information (6.7.9), Prefix
// Information (6.7.10) and RPL Target Descriptor (6.7.11).
//
// Three shapes, as for UDP:
//   RplView       a checked view of a whole message: parse() validates the base and every
//                 option once, so the accessors and the option iteration cannot fail;
//   RplDis/Dio/Dao/DaoAck and one small value type per option (RplDodagConfig, RplTarget, ...);
//   RplWriter     writes a base then any number of options, in the order given, and the checksum.
// There is no cap on the number of options: a DAO with a hundred targets parses and emits.
// Options are yielded in wire order (a DAO groups targets with the transits that follow them);
// unknown ones are yielded too, with only the raw accessors. Secure RPL (codes 0x80..0x83) and
// the consistency check (0x8a) are valid RPL that this implementation does not handle:
// parse() returns kUnsupported for them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Checksum.h"
#include "wire/Ip6Address.h"
#include "wire/OptionIterator.h"
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

// ---- Message bases (the fixed fields after the ICMPv6 header) ------------------------------

/// DIS (6.2.1): flags and a reserved byte.
struct RplDis {
    static constexpr std::uint8_t kCode = RplCode::kDis;
    std::uint8_t flags = 0;
    bool operator==(const RplDis &o) const { return flags == o.flags; }
};

/// DIO (6.3.1). The G|0|MOP|Prf byte is split into its fields.
struct RplDio {
    static constexpr std::uint8_t kCode = RplCode::kDio;
    static constexpr std::uint8_t kGrounded = 0x80;
    std::uint8_t instance_id = 0;
    std::uint8_t version = 0;
    std::uint16_t rank = 0xffff;
    bool grounded = false;
    std::uint8_t mop = 0;         // 3 bits
    std::uint8_t preference = 0;  // 3 bits
    std::uint8_t dtsn = 0;
    std::uint8_t flags = 0;
    Ip6Address dodag_id;
    bool operator==(const RplDio &o) const;
};

/// DAO (6.4.1). The DODAGID is on the wire only with the D flag.
struct RplDao {
    static constexpr std::uint8_t kCode = RplCode::kDao;
    static constexpr std::uint8_t kAckRequested = 0x80;    // K
    static constexpr std::uint8_t kDodagIdPresent = 0x40;  // D
    std::uint8_t instance_id = 0;
    std::uint8_t flags = 0;  // K | D | reserved, as on the wire
    std::uint8_t sequence = 0;
    Ip6Address dodag_id;  // meaningful with kDodagIdPresent
    bool has_dodag_id() const { return flags & kDodagIdPresent; }
    bool operator==(const RplDao &o) const;
};

/// DAO-ACK (6.5.1).
struct RplDaoAck {
    static constexpr std::uint8_t kCode = RplCode::kDaoAck;
    static constexpr std::uint8_t kDodagIdPresent = 0x80;  // D
    std::uint8_t instance_id = 0;
    std::uint8_t flags = 0;
    std::uint8_t sequence = 0;
    std::uint8_t status = 0;
    Ip6Address dodag_id;  // meaningful with kDodagIdPresent
    bool has_dodag_id() const { return flags & kDodagIdPresent; }
    bool operator==(const RplDaoAck &o) const;
};

// ---- Option values ---------------------------------------------------------------------------
// Each has parse(value) over the bytes after the type and length; the message parser applies it
// to every option it knows, so the accessors of RplOption below never see a bad value.

/// DODAG Configuration option (6.7.6); defaults are those of RFC 6550 17. Value length 14.
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
    static Result<RplDodagConfig> parse(ByteSpan value);
    bool operator==(const RplDodagConfig &o) const;
};

/// Route Information (6.7.5) and Prefix Information (6.7.10) options: the RIO and PIO bodies
/// shared with ND (PrefixOptions.h). A RIO carries ceil(prefix_length / 8) to 16 prefix bytes;
/// the prefix is masked to prefix_length.
using RplRouteInfo = RouteInfo;
using RplPrefixInfo = PrefixInfo;
Result<RplRouteInfo> rpl_parse_route_info(ByteSpan value);
Result<RplPrefixInfo> rpl_parse_prefix_info(ByteSpan value);  // value length 30

/// Solicited Information option (6.7.9). Value length 19.
struct RplSolicitedInfo {
    static constexpr std::uint8_t kFlagV = 0x80;
    static constexpr std::uint8_t kFlagI = 0x40;
    static constexpr std::uint8_t kFlagD = 0x20;
    std::uint8_t instance_id = 0;
    std::uint8_t flags = 0;
    Ip6Address dodag_id;
    std::uint8_t version = 0;
    static Result<RplSolicitedInfo> parse(ByteSpan value);
    bool operator==(const RplSolicitedInfo &o) const;
};

/// RPL Target option (6.7.7): ceil(prefix_length / 8) to 16 prefix bytes, masked on parse and
/// emitted in the shortest form.
struct RplTarget {
    std::uint8_t flags = 0;
    std::uint8_t prefix_length = 128;
    Ip6Address prefix;

    static RplTarget make(const Ip6Address &a, std::uint8_t prefix_length = 128);
    static Result<RplTarget> parse(ByteSpan value);
    bool operator==(const RplTarget &o) const;
};

/// Transit Information option (6.7.8): value length 4, or 20 with the parent address
/// (non-storing mode).
struct RplTransit {
    static constexpr std::uint8_t kFlagExternal = 0x80;  // E
    std::uint8_t flags = 0;
    std::uint8_t path_control = 0;
    std::uint8_t path_sequence = 0;
    std::uint8_t path_lifetime = 0;
    bool has_parent = false;
    Ip6Address parent;

    static RplTransit make(std::uint8_t path_sequence, std::uint8_t path_lifetime,
                           const Ip6Address *parent, std::uint8_t path_control = 0);
    static Result<RplTransit> parse(ByteSpan value);
    bool operator==(const RplTransit &o) const;
};

/// RPL Target Descriptor option (6.7.11): an opaque 32-bit value.
struct RplTargetDescriptor {
    std::uint32_t descriptor = 0;
    static Result<RplTargetDescriptor> parse(ByteSpan value);
    bool operator==(const RplTargetDescriptor &o) const { return descriptor == o.descriptor; }
};

/// One option of a validated message: the raw type / value / whole of Option, plus one typed
/// accessor per known type, which has a value exactly when `type` matches.
struct RplOption : Option {
    bool is_padding() const { return type == RplOptionType::kPad1 || type == RplOptionType::kPadN; }
    /// True for the types this file decodes (padding included).
    bool known() const { return type <= RplOptionType::kTargetDescriptor; }
    std::optional<ByteSpan> metric_container() const;  // the raw RFC 6551 value
    std::optional<RplRouteInfo> route_info() const;
    std::optional<RplDodagConfig> dodag_config() const;
    std::optional<RplTarget> target() const;
    std::optional<RplTransit> transit() const;
    std::optional<RplSolicitedInfo> solicited_info() const;
    std::optional<RplPrefixInfo> prefix_info() const;
    std::optional<RplTargetDescriptor> target_descriptor() const;

    /// Same type and same decoded value (padding: same size; unknown: same value bytes).
    bool same_value(const RplOption &o) const;
};

using RplOptions = OptionRange<RplOption>;

// ---- The checked view ------------------------------------------------------------------------

class RplView {
  private:
    RplView() = default;  // only parse() makes one: a view exists only over checked bytes

  public:
    /// Parses a whole ICMPv6 RPL message (type 155; any other type is kMalformed). With
    /// `verify`, the checksum must match (kChecksum). Errors: kTruncated (base or an option
    /// runs past the end), kMalformed (a known option with an impossible length or prefix
    /// length, a second DODAG Configuration or Solicited Information), kUnsupported (secure
    /// RPL, consistency check, unknown codes).
    static Result<RplView> parse(ByteSpan message, const PseudoHeader *verify = nullptr);

    std::uint8_t code() const { return msg_[1]; }
    /// The base of the message's code; empty for the other codes.
    std::optional<RplDis> dis() const;
    std::optional<RplDio> dio() const;
    std::optional<RplDao> dao() const;
    std::optional<RplDaoAck> dao_ack() const;

    RplOptions options() const {
        return RplOptions(msg_.subspan(options_offset_), kRplOptionFormat);
    }
    /// The first DODAG Configuration / Solicited Information (at most one of each is allowed).
    std::optional<RplDodagConfig> dodag_config() const;
    std::optional<RplSolicitedInfo> solicited_info() const;
    ByteSpan message() const { return msg_; }

  private:
    RplView(ByteSpan msg, std::size_t options_offset)
        : msg_(msg), options_offset_(options_offset) {}
    static constexpr std::uint8_t kEmpty[6] = {155, RplCode::kDis, 0, 0, 0, 0};  // a bare DIS
    ByteSpan msg_{kEmpty};
    std::size_t options_offset_ = sizeof kEmpty;
};

// ---- Emission --------------------------------------------------------------------------------

/// Writes one RPL message into `out`: the base given to the constructor, then each option in
/// the order added, then (finish) the checksum. Nothing is written past `out`. size() is the
/// message size the calls so far need, even when `out` is too small, so a writer over an empty
/// span measures a message. The first error is kept: kInvalidArgument for a value that cannot
/// be encoded (a prefix length over 128, MOP or Prf over 7, a metric container over 255 bytes),
/// else kNoSpace if `out` is too small.
class RplWriter {
  public:
    RplWriter(MutableByteSpan out, const RplDis &base);
    RplWriter(MutableByteSpan out, const RplDio &base);
    RplWriter(MutableByteSpan out, const RplDao &base);
    RplWriter(MutableByteSpan out, const RplDaoAck &base);

    RplWriter &add(const RplRouteInfo &o);
    RplWriter &add(const RplDodagConfig &o);
    RplWriter &add(const RplTarget &o);
    RplWriter &add(const RplTransit &o);
    RplWriter &add(const RplSolicitedInfo &o);
    RplWriter &add(const RplPrefixInfo &o);
    RplWriter &add(const RplTargetDescriptor &o);
    RplWriter &add_metric_container(ByteSpan value);
    /// Pad1 for 1 byte, PadN (zeros) above; more than 257 bytes take several PadNs.
    RplWriter &add_padding(std::size_t bytes);
    /// Any option type with a raw value of at most 255 bytes.
    RplWriter &add_raw(std::uint8_t type, ByteSpan value);
    /// Re-emits a parsed option from its decoded value (unknown types raw, padding by size).
    RplWriter &add(const RplOption &o);

    std::size_t size() const { return size_; }
    /// Fills in the checksum; the message is out[0, size()).
    Result<ByteSpan> finish(const PseudoHeader &ph);

  private:
    RplWriter(MutableByteSpan out, std::uint8_t code, std::size_t base_size);
    bool reserve(std::size_t option_size);  // accounts for the size; true if it fits
    void invalid() {
        if (error_ == Error::kOk)
            error_ = Error::kInvalidArgument;
    }

    MutableByteSpan out_;
    ByteWriter w_;
    std::size_t size_ = 0;
    Error error_ = Error::kOk;
};

}  // namespace meshwork::wire
