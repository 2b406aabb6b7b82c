// IPv6 extension headers (RFC 8200 4): the chain walker, hop-by-hop and destination options
// with the RPL option (RFC 6553, option type 0x63; RFC 9008's 0x23 is also accepted), the
// fragment header (RFC 8200 4.5) and the RPL source routing header, routing type 3, with its
// address compression (RFC 6554).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Ip6.h"
#include "wire/OptionIterator.h"

namespace meshwork::wire {

/// One extension header located in a packet.
struct Ip6ExtHeader {
    std::uint8_t type = 0;         // the Next Header value that announced it
    std::uint8_t next_header = 0;  // its own Next Header field
    ByteSpan bytes;                // the whole header
};

/// Walks the extension-header chain that follows a fixed IPv6 header. Stops at the first
/// non-extension header (the upper layer), after a non-first fragment (the rest is fragment
/// data), or on an error (a header running past the payload).
class Ip6ExtChain {
  public:
    /// `payload` is the IPv6 payload; `first` the fixed header's Next Header.
    Ip6ExtChain(ByteSpan payload, std::uint8_t first) : payload_(payload), next_(first) {}

    bool next(Ip6ExtHeader &out);
    Error error() const { return error_; }
    /// After the walk: the upper-layer protocol and its offset in the payload.
    std::uint8_t upper_protocol() const { return next_; }
    std::size_t upper_offset() const { return pos_; }

  private:
    ByteSpan payload_;
    std::uint8_t next_;
    std::size_t pos_ = 0;
    Error error_ = Error::kOk;
    bool stop_ = false;
};

/// The length of the extension header of `type` at the start of `bytes`, or an error.
Result<std::size_t> ip6_ext_header_length(std::uint8_t type, ByteSpan bytes);

/// The first option of the hop-by-hop header that directly follows the fixed header of the
/// IPv6 `packet` for which `match` holds: the offset of its value in `packet`, and the option
/// in `found` (when not null); 0 with no such header or option.
std::size_t find_hop_by_hop_option(ByteSpan packet, bool (*match)(const Option &),
                                   Option *found = nullptr);

// ---- Hop-by-hop and destination options (RFC 8200 4.3, 4.6) ------------------------------

namespace Ip6OptionType {
constexpr std::uint8_t kPad1 = 0x00;
constexpr std::uint8_t kPadN = 0x01;
constexpr std::uint8_t kRpl = 0x63;          // RFC 6553
constexpr std::uint8_t kRplRfc9008 = 0x23;   // RFC 9008 renumbering
constexpr std::uint8_t kRouterAlert = 0x05;  // RFC 2711 (MLD)
constexpr std::uint8_t kJumbo = 0xc2;
constexpr std::uint8_t kMpl = 0x6d;  // RFC 7731 4 (act 01: discard when unknown, chg 1)
}  // namespace Ip6OptionType

/// The two high bits of an option type: what to do when it is not recognised (RFC 8200 4.2).
enum class Ip6OptionAction : std::uint8_t {
    kSkip = 0,
    kDiscard = 1,
    kDiscardIcmp = 2,
    kDiscardIcmpUnicast = 3
};
inline Ip6OptionAction ip6_option_action(std::uint8_t type) {
    return static_cast<Ip6OptionAction>(type >> 6);
}

/// The RPL option (RFC 6553 3): O, R, F flags, RPLInstanceID and SenderRank.
struct RplHopOption {
    static constexpr std::uint8_t kFlagDown = 0x80;          // O
    static constexpr std::uint8_t kFlagRankError = 0x40;     // R
    static constexpr std::uint8_t kFlagForwardError = 0x20;  // F

    std::uint8_t option_type = Ip6OptionType::kRpl;
    std::uint8_t flags = 0;
    std::uint8_t instance_id = 0;
    std::uint16_t sender_rank = 0;

    bool down() const { return flags & kFlagDown; }
    bool rank_error() const { return flags & kFlagRankError; }
    bool forwarding_error() const { return flags & kFlagForwardError; }
    bool operator==(const RplHopOption &o) const {
        return option_type == o.option_type && flags == o.flags && instance_id == o.instance_id &&
               sender_rank == o.sender_rank;
    }
};

/// The MPL option (RFC 7731 4): S (the seed-id length: 0 = the IPv6 source, 1 = 16 bits,
/// 2 = 64 bits, 3 = 128 bits), M (the largest sequence its sender buffers for the seed), V
/// (must be 0; a receiver drops the message otherwise), the sequence and the seed-id.
struct MplOption {
    static constexpr std::uint8_t kFlagM = 0x20;
    static constexpr std::uint8_t kFlagV = 0x10;

    std::uint8_t s = 0;
    bool m = false;
    bool v = false;
    std::uint8_t sequence = 0;
    std::uint8_t seed_id[16] = {};

    /// Bytes of seed-id carried in the option for `s` (0, 2, 8, 16).
    static std::size_t seed_id_length(std::uint8_t s) {
        return s == 0 ? 0 : s == 1 ? 2 : s == 2 ? 8 : 16;
    }
    /// Reads an option value (after type and length); its length must match S.
    static Result<MplOption> parse(ByteSpan value);
    std::size_t value_size() const { return 2 + seed_id_length(s); }
    /// Writes the value (value_size() bytes).
    Status emit(MutableByteSpan out) const;
    bool operator==(const MplOption &o) const;
};

struct Ip6RawOption {
    std::uint8_t type = 0;
    ByteSpan value;  // up to 255 bytes
};

/// A hop-by-hop or destination options header. Pad1/PadN are consumed on parse and generated
/// on emit (to the next multiple of 8 bytes). Caps: one RPL option and kMaxOptions others,
/// kept in order; more is kUnsupported.
struct Ip6OptionsHeader {
    static constexpr std::size_t kMaxOptions = 4;

    std::uint8_t next_header = IpProto::kNoNext;
    bool has_rpl = false;
    RplHopOption rpl;
    std::uint8_t option_count = 0;
    Ip6RawOption options[kMaxOptions];

    /// Parses one header at the start of `bytes` (which may continue with more headers). A
    /// malformed RPL option (data length != 4) is kMalformed.
    static Result<Ip6OptionsHeader> parse(ByteSpan bytes);
    std::size_t emitted_size() const;
    Status emit(MutableByteSpan out) const;
    bool operator==(const Ip6OptionsHeader &o) const;
};

// ---- Fragment header (RFC 8200 4.5) ------------------------------------------------------

constexpr std::size_t kIp6FragmentHeaderSize = 8;

struct Ip6FragmentHeader {
    std::uint8_t next_header = IpProto::kNoNext;
    std::uint16_t offset_units = 0;  // Fragment Offset in 8-octet units (13 bits)
    bool more = false;
    std::uint32_t identification = 0;

    std::size_t byte_offset() const { return offset_units * 8u; }
    static Result<Ip6FragmentHeader> parse(ByteSpan bytes);
    std::size_t emitted_size() const { return kIp6FragmentHeaderSize; }
    Status emit(MutableByteSpan out) const;
    bool operator==(const Ip6FragmentHeader &o) const {
        return next_header == o.next_header && offset_units == o.offset_units && more == o.more &&
               identification == o.identification;
    }
};

// ---- Routing header (RFC 8200 4.4) and RPL source route, type 3 (RFC 6554) ----------------

struct Ip6RoutingHeaderView {
    std::uint8_t next_header = 0;
    std::uint8_t hdr_ext_len = 0;
    std::uint8_t routing_type = 0;
    std::uint8_t segments_left = 0;
    ByteSpan bytes;  // the whole header
    /// Generic routing header: 4 bytes plus type-specific data, (hdr_ext_len + 1) * 8 bytes.
    static Result<Ip6RoutingHeaderView> parse(ByteSpan bytes);
};

constexpr std::uint8_t kRoutingTypeRplSourceRoute = 3;

/// RFC 6554 3: addresses 1..n-1 elide their first CmprI bytes and address n its first CmprE
/// bytes; the elided bytes equal those of the IPv6 Destination Address of the packet as sent
/// by the header's originator (the reference). Cap: kMaxAddresses addresses.
struct RplSourceRouteHeader {
    static constexpr std::size_t kMaxAddresses = 32;

    std::uint8_t next_header = IpProto::kNoNext;
    std::uint8_t segments_left = 0;
    std::uint8_t cmpr_i = 0;  // 0..15
    std::uint8_t cmpr_e = 0;  // 0..15
    std::uint8_t address_count = 0;
    Ip6Address addresses[kMaxAddresses];

    /// Parses and expands addresses using `reference`. kMalformed on a wrong routing type,
    /// a length that does not give a whole number of addresses, or Segments Left > n.
    static Result<RplSourceRouteHeader> parse(ByteSpan bytes, const Ip6Address &reference);
    /// Chooses CmprI/CmprE: the prefix octets `reference` and all the addresses share (each
    /// becomes the destination in turn, RFC 6554 4.2).
    void choose_compression(const Ip6Address &reference);
    std::uint8_t pad() const;
    std::size_t emitted_size() const;
    /// kInvalidArgument if an address does not share its elided prefix with `reference`.
    Status emit(MutableByteSpan out, const Ip6Address &reference) const;
    bool operator==(const RplSourceRouteHeader &o) const;
};

}  // namespace meshwork::wire
