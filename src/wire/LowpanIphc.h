// 6LoWPAN IPv6 header compression, LOWPAN_IPHC (RFC 6282 section 3), with the NHC chain of
// section 4 (see LowpanNhc.h). Stateless and context-based compression of both addresses,
// multicast compression (3.1.1, DAM forms), every TF, NH and HLIM form.
//
// compress() reads an uncompressed IPv6 packet and writes the IPHC header plus NHC headers;
// decompress() does the reverse and writes the uncompressed IPv6 header (and extension headers
// and UDP header) into a caller buffer, so the result can go straight to the IPv6 parser followed
// by the rest of the frame payload. Both take the 802.15.4 addresses and the context table as
// inputs (addresses elided in the IPHC header are derived from the link-layer addresses).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Ieee802154.h"
#include "wire/Ip6Address.h"

namespace meshwork::wire {

/// One 6LoWPAN compression context (RFC 6282 3.1.2; distributed by 6CO or Thread Network Data).
struct LowpanContext {
    bool valid = false;
    /// Usable for compression (Thread's C flag; 6CO's C flag). Decompression uses any valid one.
    bool compress = true;
    std::uint8_t prefix_len = 0;  // bits, 0..128
    Ip6Address prefix;
};

/// Contexts 0..15.
struct LowpanContextTable {
    static constexpr std::size_t kSize = 16;
    LowpanContext contexts[kSize];

    void set(std::uint8_t id, const Ip6Address &prefix, std::uint8_t prefix_len,
             bool compress = true);
    const LowpanContext *get(std::uint8_t id) const {
        return id < kSize && contexts[id].valid ? &contexts[id] : nullptr;
    }
};

struct LinkAddresses {
    MacAddress src;
    MacAddress dst;
};

/// The IPHC base header fields (RFC 6282 3.1.1), as they appear on the wire.
struct IphcFields {
    std::uint8_t tf = 0, nh = 0, hlim = 0, cid = 0, sac = 0, sam = 0, m = 0, dac = 0, dam = 0;
    std::uint8_t sci = 0, dci = 0;  // valid if cid
    static bool is_iphc(std::uint8_t dispatch) { return (dispatch & 0xe0) == 0x60; }
    /// Reads the two (or three, with CID) leading bytes.
    static Result<IphcFields> parse(ByteReader &r);
};

struct IphcCompressOptions {
    /// Elide the UDP checksum (RFC 6282 4.3.2 allows it only when the upper layer says so).
    bool elide_udp_checksum = false;
    /// Compress the next-header chain with NHC (extension headers, IPv6-in-IPv6, UDP).
    bool use_nhc = true;
};

struct IphcCompressResult {
    std::size_t written = 0;   // bytes of IPHC + NHC headers written to `out`
    std::size_t consumed = 0;  // bytes of the IPv6 packet they stand for; the rest is sent as is
};

struct IphcDecompressResult {
    std::size_t consumed = 0;  // bytes of IPHC + NHC headers read from the frame payload
    std::size_t written = 0;   // bytes of uncompressed headers written to `out`
    /// UDP checksum elided and could not be recomputed (the payload was not all present):
    /// the caller fills it in at `udp_offset` + 6 after reassembly.
    bool udp_checksum_pending = false;
    std::size_t udp_offset = 0;  // offset of the UDP header in `out` (0 if none)
};

/// Compresses the IPv6 header (and the NHC-compressible headers that follow) of `ipv6_packet`.
Result<IphcCompressResult> iphc_compress(
    ByteSpan ipv6_packet, const LinkAddresses &link, const LowpanContextTable &contexts,
    MutableByteSpan out, const IphcCompressOptions &options = IphcCompressOptions());

/// Decompresses the IPHC header at the start of `payload` (the 6LoWPAN payload after any mesh,
/// broadcast and fragment headers). `datagram_size` is the uncompressed IPv6 datagram size from
/// a FRAG1 header, or 0 when `payload` holds the whole packet (lengths are then derived from it
/// and an elided UDP checksum is recomputed).
Result<IphcDecompressResult> iphc_decompress(ByteSpan payload, const LinkAddresses &link,
                                             const LowpanContextTable &contexts,
                                             MutableByteSpan out, std::size_t datagram_size = 0);

/// An output buffer of this size holds what Thread and RPL traffic decompresses to: IPv6, an
/// encapsulated IPv6 header, two maximal extension headers and UDP. Longer chains make
/// iphc_decompress() return Error::kNoSpace. iphc_compress() keeps to it: it compresses headers
/// only while what they decompress to fits in this many bytes and leaves the rest of the chain
/// inline, so that whatever it emits decompresses into a buffer of this size.
inline constexpr std::size_t kIphcMaxUncompressedHeader = 40 + 40 + 2 * 264 + 8;

/// Interface identifier derived from a link-layer address (RFC 4944 6, RFC 6282 3.2.2).
Result<Ip6Iid> iid_from_mac(const MacAddress &mac);

}  // namespace meshwork::wire
