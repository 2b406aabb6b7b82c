// Neighbor Discovery (RFC 4861 4) with the 6LoWPAN-ND additions: RS, RA, NS, NA, Redirect and
// the Duplicate Address Request / Confirmation of RFC 6775 8.2 in their RFC 8505 6 extended
// form; options SLLAO/TLLAO (4.6.1; RFC 4944 8 for 802.15.4 addresses), PIO (4.6.2),
// Redirected Header (4.6.3), MTU (4.6.4), RIO (RFC 4191 2.3), ARO/EARO (RFC 6775 4.1,
// RFC 8505 4.1), 6CO (RFC 6775 4.2) and ABRO (RFC 6775 4.3).
//
// NdMessage is one value type for every ND message: `type` selects which fixed fields matter.
// Unknown options are skipped (RFC 4861 4.6). Caps (more is kUnsupported): kMaxPrefixes PIOs,
// kMaxRoutes RIOs, kMaxContexts 6COs; one of each other option (a repeat is kMalformed).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Checksum.h"
#include "wire/Icmp6.h"
#include "wire/Ip6Address.h"
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

/// A link-layer address option's address field. Parsed: all option bytes after type and length
/// (6 or 14). For emission set `size` to the address length (2 for an 802.15.4 short address,
/// 6 for Ethernet, 8 for an EUI-64); the option is zero-padded to 8-octet units.
struct NdLinkLayerAddress {
    static constexpr std::size_t kMaxSize = 14;  // option length 2
    std::uint8_t bytes[kMaxSize] = {};
    std::uint8_t size = 0;

    static NdLinkLayerAddress from(ByteSpan address);
    bool operator==(const NdLinkLayerAddress &o) const;
};

/// PIO (RFC 4861 4.6.2) and RIO (RFC 4191 2.3): the bodies RPL shares (PrefixOptions.h).
using NdPrefixInfo = PrefixInfo;
using NdRouteInfo = RouteInfo;

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
    bool operator==(const NdAddressRegistration &o) const;
};

/// 6CO (RFC 6775 4.2).
struct NdSixLowpanContext {
    static constexpr std::uint8_t kFlagCompression = 0x10;  // C
    std::uint8_t context_length = 0;                        // bits, 0..128
    std::uint8_t flags = 0;                                 // C flag | CID (low 4 bits)
    std::uint16_t valid_lifetime = 0;                       // units of 60 s
    Ip6Address prefix;
    std::uint8_t cid() const { return flags & 0x0f; }
    bool compression() const { return flags & kFlagCompression; }
    bool operator==(const NdSixLowpanContext &o) const;
};

/// ABRO (RFC 6775 4.3). The version is 32 bits split into low and high halves on the wire.
struct NdBorderRouter {
    std::uint32_t version = 0;
    std::uint16_t valid_lifetime = 0;  // units of 60 s; 0 means the default 10000
    Ip6Address address;
    bool operator==(const NdBorderRouter &o) const {
        return version == o.version && valid_lifetime == o.valid_lifetime && address == o.address;
    }
};

struct NdOptions {
    static constexpr std::size_t kMaxPrefixes = 4;
    static constexpr std::size_t kMaxRoutes = 8;
    static constexpr std::size_t kMaxContexts = 16;

    bool has_sllao = false;
    NdLinkLayerAddress sllao;
    bool has_tllao = false;
    NdLinkLayerAddress tllao;
    bool has_mtu = false;
    std::uint32_t mtu = 0;
    std::uint8_t prefix_count = 0;
    NdPrefixInfo prefixes[kMaxPrefixes];
    std::uint8_t route_count = 0;
    NdRouteInfo routes[kMaxRoutes];
    bool has_aro = false;
    NdAddressRegistration aro;
    std::uint8_t context_count = 0;
    NdSixLowpanContext contexts[kMaxContexts];
    bool has_abro = false;
    NdBorderRouter abro;
    bool has_redirected = false;
    ByteSpan redirected;  // the quoted packet (after the 6 reserved bytes)

    static Result<NdOptions> parse(ByteSpan bytes);
    std::size_t emitted_size() const;
    Status emit(ByteWriter &w) const;
    bool operator==(const NdOptions &o) const;
};

struct NdMessage {
    // RA flags (RFC 4861 4.2, RFC 4191 2.2 Prf)
    static constexpr std::uint8_t kRaManaged = 0x80;  // M
    static constexpr std::uint8_t kRaOther = 0x40;    // O
    // NA flags (RFC 4861 4.4), in the top bits of the first body byte
    static constexpr std::uint8_t kNaRouter = 0x80;     // R
    static constexpr std::uint8_t kNaSolicited = 0x40;  // S
    static constexpr std::uint8_t kNaOverride = 0x20;   // O

    std::uint8_t type = Icmp6Type::kRouterSolicitation;

    // RA
    std::uint8_t cur_hop_limit = 0;
    std::uint8_t ra_flags = 0;
    std::uint16_t router_lifetime = 0;
    std::uint32_t reachable_time = 0;
    std::uint32_t retrans_timer = 0;
    // NA
    std::uint8_t na_flags = 0;
    // NS, NA, Redirect: target; Redirect: destination
    Ip6Address target;
    Ip6Address destination;
    // DAR / DAC (RFC 8505 6.1): code suffix gives the ROVR size; status, TID, lifetime, ROVR and
    // the registered address are carried in `dar`, `target` holds the registered address.
    NdAddressRegistration dar;

    NdOptions options;  // none for DAR/DAC

    /// Parses an ICMPv6 ND message (the whole ICMPv6 message). Code must be 0 except for
    /// DAR/DAC. With `verify`, the checksum must be correct.
    static Result<NdMessage> parse(ByteSpan bytes, const PseudoHeader *verify = nullptr);
    std::size_t emitted_size() const;
    Status emit(MutableByteSpan out, const PseudoHeader &ph) const;
    bool operator==(const NdMessage &o) const;

    static bool is_nd_type(std::uint8_t type);
};

}  // namespace meshwork::wire
