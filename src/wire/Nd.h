// Neighbor Discovery (RFC 4861 4) with the 6LoWPAN-ND additions: RS, RA, NS, NA, Redirect and
// the Duplicate Address Request / Confirmation of RFC 6775 8.2 in their RFC 8505 6 extended
// form; options SLLAO/TLLAO (4.6.1; RFC 4944 8 for 802.15.4 addresses), PIO (4.6.2),
// Redirected Header (4.6.3), MTU (4.6.4), RIO (RFC 4191 2.3), ARO/EARO (RFC 6775 4.1,
// RFC 8505 4.1), 6CO (RFC 6775 4.2) and ABRO (RFC 6775 4.3).
//
// Three shapes, as in Rpl.h:
//   NdView       a checked view of one ND message: parse() validates the fixed part and every
//                option once, so the accessors and the option iteration cannot fail;
//   NdRouterSolicitation ... NdDuplicateAddress for the fixed parts, and one small value type
//                per option (PrefixInfo, RouteInfo, NdAddressRegistration, ...);
//   NdWriter     writes a fixed part, then options in the order given, then the checksum.
// There is no cap on the number of PIOs, RIOs or 6COs. Unknown options are skipped by the
// protocol (RFC 4861 4.6) but the view yields them, with only the raw accessors. The options
// that may appear once (SLLAO, TLLAO, MTU, Redirected Header, ARO, ABRO) are kMalformed when
// repeated. An EARO with a ROVR over 256 bits (undefined by RFC 8505) is kUnsupported.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Checksum.h"
#include "wire/Icmp6.h"
#include "wire/Ip6Address.h"
#include "wire/OptionIterator.h"
#include "wire/PrefixOptions.h"

namespace meshwork::wire {

namespace NdOptionType {
constexpr std::uint8_t kSourceLinkLayerAddress = 1;
constexpr std::uint8_t kTargetLinkLayerAddress = 2;
constexpr std::uint8_t kPrefixInformation = 3;
constexpr std::uint8_t kRedirectedHeader = 4;
constexpr std::uint8_t kMtu = 5;
constexpr std::uint8_t kRouteInformation = 24;
constexpr std::uint8_t kAddressRegistration = 33;
constexpr std::uint8_t kSixLowpanContext = 34;
constexpr std::uint8_t kAuthoritativeBorderRouter = 35;
}  // namespace NdOptionType

/// Registration status (RFC 6775 4.1, RFC 8505 4.1 / IANA).
namespace NdArStatus {
constexpr std::uint8_t kSuccess = 0;
constexpr std::uint8_t kDuplicate = 1;
constexpr std::uint8_t kNeighborCacheFull = 2;
constexpr std::uint8_t kMoved = 3;
constexpr std::uint8_t kRemoved = 4;
constexpr std::uint8_t kValidationRequested = 5;
constexpr std::uint8_t kDuplicateSourceAddress = 6;
constexpr std::uint8_t kInvalidSourceAddress = 7;
constexpr std::uint8_t kRegisteredAddressTopologicallyIncorrect = 8;
constexpr std::uint8_t kSixLbrRegistrySaturated = 9;
constexpr std::uint8_t kValidationFailed = 10;
}  // namespace NdArStatus

// ---- Fixed parts ---------------------------------------------------------------------------

/// RS (4.1): a reserved word only.
struct NdRouterSolicitation {
    static constexpr std::uint8_t kType = Icmp6Type::kRouterSolicitation;
    bool operator==(const NdRouterSolicitation &) const { return true; }
};

/// RA (4.2; Prf of RFC 4191 2.2 in `flags`).
struct NdRouterAdvertisement {
    static constexpr std::uint8_t kType = Icmp6Type::kRouterAdvertisement;
    static constexpr std::uint8_t kManaged = 0x80;  // M
    static constexpr std::uint8_t kOther = 0x40;    // O
    std::uint8_t cur_hop_limit = 0;
    std::uint8_t flags = 0;  // the whole byte, as on the wire
    std::uint16_t router_lifetime = 0;
    std::uint32_t reachable_time = 0;
    std::uint32_t retrans_timer = 0;
    bool operator==(const NdRouterAdvertisement &o) const;
};

/// NS (4.3).
struct NdNeighborSolicitation {
    static constexpr std::uint8_t kType = Icmp6Type::kNeighborSolicitation;
    Ip6Address target;
    bool operator==(const NdNeighborSolicitation &o) const { return target == o.target; }
};

/// NA (4.4): R, S, O in the top bits of the first word; the reserved bits are ignored on parse
/// and sent as zero.
struct NdNeighborAdvertisement {
    static constexpr std::uint8_t kType = Icmp6Type::kNeighborAdvertisement;
    static constexpr std::uint8_t kRouter = 0x80;     // R
    static constexpr std::uint8_t kSolicited = 0x40;  // S
    static constexpr std::uint8_t kOverride = 0x20;   // O
    std::uint8_t flags = 0;
    Ip6Address target;
    bool operator==(const NdNeighborAdvertisement &o) const {
        return (flags & 0xe0) == (o.flags & 0xe0) && target == o.target;
    }
};

/// Redirect (4.5).
struct NdRedirect {
    static constexpr std::uint8_t kType = Icmp6Type::kRedirect;
    Ip6Address target;
    Ip6Address destination;
    bool operator==(const NdRedirect &o) const {
        return target == o.target && destination == o.destination;
    }
};

/// EDAR / EDAC (RFC 8505 6.1, which includes the RFC 6775 DAR/DAC): the ICMPv6 code carries
/// the ROVR size (CodePfx 0, CodeSfx = 64-bit words - 1). No options; trailing bytes are
/// ignored.
struct NdDuplicateAddress {
    static constexpr std::size_t kMaxRovr = 32;
    std::uint8_t type = Icmp6Type::kDuplicateAddressRequest;  // or ...Confirmation
    std::uint8_t status = 0;
    std::uint8_t tid = 0;
    std::uint16_t lifetime = 0;  // units of 60 s
    std::uint8_t rovr[kMaxRovr] = {};
    std::uint8_t rovr_size = 8;  // 8, 16, 24 or 32 bytes
    Ip6Address registered;
    bool operator==(const NdDuplicateAddress &o) const;
};

// ---- Option values ---------------------------------------------------------------------------

/// A link-layer address option's address field: every option byte after type and length (6 or
/// 14 for the usual 1- and 2-unit options; any length is accepted). For emission set `address`
/// to the address (2 bytes for an 802.15.4 short address, 6 for Ethernet, 8 for an EUI-64); the
/// option is zero-padded to 8-octet units. The span points into the parsed message, or at the
/// caller's bytes for emission.
struct NdLinkLayerAddress {
    ByteSpan address;
    static NdLinkLayerAddress from(ByteSpan address) { return NdLinkLayerAddress{address}; }
    bool operator==(const NdLinkLayerAddress &o) const { return address.equals(o.address); }
};

/// PIO (RFC 4861 4.6.2, length 4) and RIO (RFC 4191 2.3, length 1..3 covering the prefix): the
/// bodies RPL shares (PrefixOptions.h). RIO prefixes are masked to prefix_length.
using NdPrefixInfo = PrefixInfo;
using NdRouteInfo = RouteInfo;
Result<NdPrefixInfo> nd_parse_prefix_info(ByteSpan value);
Result<NdRouteInfo> nd_parse_route_info(ByteSpan value);

/// ARO (RFC 6775 4.1) and EARO (RFC 8505 4.1) share type 33. An ARO is an EARO with flags 0,
/// TID 0 and the EUI-64 as a 64-bit ROVR. The T flag says the TID is meaningful.
struct NdAddressRegistration {
    static constexpr std::uint8_t kFlagT = 0x01;  // TID present
    static constexpr std::uint8_t kFlagR = 0x02;  // registering node is a router
    static constexpr std::uint8_t kFlagC = 0x10;  // RFC 8928: ROVR is a crypto-ID
    static constexpr std::size_t kMaxRovr = 32;

    std::uint8_t status = 0;
    std::uint8_t opaque = 0;
    std::uint8_t flags = 0;  // the whole byte: Rsvd | C | I (2) | R | T
    std::uint8_t tid = 0;
    std::uint16_t lifetime = 0;  // registration lifetime, units of 60 s
    std::uint8_t rovr[kMaxRovr] = {};
    std::uint8_t rovr_size = 8;  // 8, 16, 24 or 32 bytes

    bool extended() const { return flags & kFlagT; }
    std::uint8_t i_field() const { return static_cast<std::uint8_t>((flags >> 2) & 0x3); }
    /// The RFC 6775 form: status, lifetime and EUI-64 (ROVR of 8 bytes).
    static NdAddressRegistration aro(std::uint8_t status, std::uint16_t lifetime,
                                     const std::uint8_t eui64[8]);
    /// Option length 2..5 (kMalformed below, kUnsupported above).
    static Result<NdAddressRegistration> parse(ByteSpan value);
    bool operator==(const NdAddressRegistration &o) const;
};

/// 6CO (RFC 6775 4.2): length 2, or 3 for a context longer than 64 bits.
struct NdSixLowpanContext {
    static constexpr std::uint8_t kFlagCompression = 0x10;  // C
    std::uint8_t context_length = 0;                        // bits, 0..128
    std::uint8_t flags = 0;                                 // C flag | CID (low 4 bits)
    std::uint16_t valid_lifetime = 0;                       // units of 60 s
    Ip6Address prefix;                                      // masked to context_length
    std::uint8_t cid() const { return flags & 0x0f; }
    bool compression() const { return flags & kFlagCompression; }
    static Result<NdSixLowpanContext> parse(ByteSpan value);
    bool operator==(const NdSixLowpanContext &o) const;
};

/// ABRO (RFC 6775 4.3, length 3). The version is 32 bits split into low and high halves on the
/// wire.
struct NdBorderRouter {
    std::uint32_t version = 0;
    std::uint16_t valid_lifetime = 0;  // units of 60 s; 0 means the default 10000
    Ip6Address address;
    static Result<NdBorderRouter> parse(ByteSpan value);
    bool operator==(const NdBorderRouter &o) const {
        return version == o.version && valid_lifetime == o.valid_lifetime && address == o.address;
    }
};

/// One option of a validated message: raw type / value / whole, plus typed accessors that have
/// a value exactly when `type` matches.
struct NdOption : Option {
    bool known() const;
    std::optional<NdLinkLayerAddress> sllao() const;
    std::optional<NdLinkLayerAddress> tllao() const;
    std::optional<NdPrefixInfo> prefix_info() const;
    /// Redirected Header: the quoted packet, after the 6 reserved bytes (padding included).
    std::optional<ByteSpan> redirected() const;
    std::optional<std::uint32_t> mtu() const;
    std::optional<NdRouteInfo> route_info() const;
    std::optional<NdAddressRegistration> address_registration() const;
    std::optional<NdSixLowpanContext> context() const;
    std::optional<NdBorderRouter> border_router() const;

    /// Same type and same decoded value (unknown types: same value bytes).
    bool same_value(const NdOption &o) const;
};

/// A validated ND option list.
class NdOptions : public OptionRange<NdOption> {
  public:
    NdOptions() = default;
    /// Validates an option list on its own (the part of an ND message after the fixed fields).
    static Result<NdOptions> parse(ByteSpan bytes);

    /// The options that may appear at most once.
    std::optional<NdLinkLayerAddress> sllao() const;
    std::optional<NdLinkLayerAddress> tllao() const;
    std::optional<std::uint32_t> mtu() const;
    std::optional<ByteSpan> redirected() const;
    std::optional<NdAddressRegistration> aro() const;
    std::optional<NdBorderRouter> abro() const;

  private:
    explicit NdOptions(ByteSpan validated) : OptionRange(validated, kNdOptionFormat) {}
    template <typename T, typename F>
    std::optional<T> first(F get) const;
};

// ---- The checked view ------------------------------------------------------------------------

class NdView {
  private:
    NdView() = default;  // only parse() makes one: a view exists only over checked bytes

  public:
    /// Parses an ICMPv6 ND message (the whole ICMPv6 message). Code must be 0 except for
    /// DAR/DAC (kMalformed). A type that is not ND is kUnsupported. With `verify`, the checksum
    /// must be correct (kChecksum).
    static Result<NdView> parse(ByteSpan message, const PseudoHeader *verify = nullptr);
    static bool is_nd_type(std::uint8_t type);

    std::uint8_t type() const { return msg_[0]; }
    std::optional<NdRouterSolicitation> rs() const;
    std::optional<NdRouterAdvertisement> ra() const;
    std::optional<NdNeighborSolicitation> ns() const;
    std::optional<NdNeighborAdvertisement> na() const;
    std::optional<NdRedirect> redirect() const;
    std::optional<NdDuplicateAddress> duplicate_address() const;  // DAR or DAC
    NdOptions options() const { return options_; }                // empty for DAR/DAC
    ByteSpan message() const { return msg_; }

  private:
    NdView(ByteSpan msg, NdOptions options) : msg_(msg), options_(options) {}
    static constexpr std::uint8_t kEmpty[8] = {Icmp6Type::kRouterSolicitation};  // a bare RS
    ByteSpan msg_{kEmpty};
    NdOptions options_;
};

// ---- Emission --------------------------------------------------------------------------------

/// Writes one ND message into `out`: the fixed part given to the constructor, then each option
/// in the order added, then (finish) the checksum. Nothing is written past `out`; size() is the
/// size the calls so far need, even when `out` is too small (a writer over an empty span
/// measures). The first error is kept: kInvalidArgument for a value that cannot be encoded (a
/// prefix length over 128, a ROVR size that is not 8/16/24/32, an empty link-layer address, any
/// option added to a DAR/DAC), else kNoSpace.
class NdWriter {
  public:
    NdWriter(MutableByteSpan out, const NdRouterSolicitation &m);
    NdWriter(MutableByteSpan out, const NdRouterAdvertisement &m);
    NdWriter(MutableByteSpan out, const NdNeighborSolicitation &m);
    NdWriter(MutableByteSpan out, const NdNeighborAdvertisement &m);
    NdWriter(MutableByteSpan out, const NdRedirect &m);
    NdWriter(MutableByteSpan out, const NdDuplicateAddress &m);

    NdWriter &add_sllao(const NdLinkLayerAddress &a);
    NdWriter &add_tllao(const NdLinkLayerAddress &a);
    NdWriter &add(const NdPrefixInfo &p);
    NdWriter &add(const NdRouteInfo &r);  // shortest length covering the prefix
    NdWriter &add_mtu(std::uint32_t mtu);
    /// Redirected Header quoting `packet`, zero-padded to 8-octet units.
    NdWriter &add_redirected(ByteSpan packet);
    NdWriter &add(const NdAddressRegistration &a);
    NdWriter &add(const NdSixLowpanContext &c);
    NdWriter &add(const NdBorderRouter &b);
    /// Any option type with a raw value; 2 + value.size must be a multiple of 8.
    NdWriter &add_raw(std::uint8_t type, ByteSpan value);
    /// Re-emits a parsed option from its decoded value (unknown types raw).
    NdWriter &add(const NdOption &o);

    std::size_t size() const { return size_; }
    /// Fills in the checksum; the message is out[0, size()).
    Result<ByteSpan> finish(const PseudoHeader &ph);

  private:
    NdWriter(MutableByteSpan out, std::uint8_t type, std::uint8_t code, std::size_t fixed);
    bool option(std::size_t size);  // accounts for an option; true if it can be written
    NdWriter &lla(std::uint8_t type, const NdLinkLayerAddress &a);
    void invalid() {
        if (error_ == Error::kOk)
            error_ = Error::kInvalidArgument;
    }

    MutableByteSpan out_;
    ByteWriter w_;
    std::size_t size_ = 0;
    bool no_options_ = false;
    Error error_ = Error::kOk;
};

}  // namespace meshwork::wire
