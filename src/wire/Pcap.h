// pcap capture files (the classic libpcap format, magic 0xa1b2c3d4) for IEEE 802.15.4:
//   LINKTYPE_IEEE802_15_4_WITHFCS (195): the PSDU including the 2-byte FCS
//   LINKTYPE_IEEE802_15_4_NOFCS   (230): the MPDU without FCS
//   LINKTYPE_IEEE802_15_4_TAP     (283): a TLV pseudo-header (FCS type, RSS, channel, LQI...) and
//                                        the frame; all TAP fields are little-endian, each TLV
//                                        padded to 4 bytes.
// Pure encoding and decoding into caller buffers: opening and writing files is the caller's job
// (src/wire does no I/O).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"

namespace meshwork::wire {

enum class PcapLinkType : std::uint32_t {
    kEthernet = 1,  // a whole Ethernet II frame without FCS (the simulator's links)
    kIeee802154WithFcs = 195,
    kIeee802154NoFcs = 230,
    kIeee802154Tap = 283,
};

struct PcapFileHeader {
    static constexpr std::size_t kSize = 24;
    static constexpr std::uint32_t kMagicMicro = 0xa1b2c3d4;
    static constexpr std::uint32_t kMagicNano = 0xa1b23c4d;

    std::uint32_t link_type = static_cast<std::uint32_t>(PcapLinkType::kIeee802154Tap);
    std::uint32_t snap_len = 65535;
    bool nanosecond = false;
    bool swapped = false;  // file written big-endian (parse only; emit writes little-endian)

    static Result<PcapFileHeader> parse(ByteSpan bytes);
    Status emit(MutableByteSpan out) const;
};

/// The pseudo-header of LINKTYPE 283 (only the TLVs a simulator produces and a decoder needs).
struct TapHeader {
    enum TlvType : std::uint16_t {
        kFcsType = 0,
        kRss = 1,
        kBitRate = 2,
        kChannelAssignment = 3,
        kSofTimestamp = 5,
        kLqi = 10,
    };
    bool has_fcs_type = true;
    std::uint8_t fcs_type = 1;  // 0 none, 1 16-bit CRC, 2 32-bit CRC
    bool has_rss = false;
    float rss_dbm = 0;
    bool has_channel = false;
    std::uint16_t channel = 0;
    std::uint8_t page = 0;
    bool has_lqi = false;
    std::uint8_t lqi = 0;
    ByteSpan frame;  // the 802.15.4 frame after the pseudo-header (parse only)

    static Result<TapHeader> parse(ByteSpan bytes);
    std::size_t emitted_size() const;  // header only
    Status emit(ByteWriter &w) const;
    /// FCS bytes at the end of `frame`.
    std::size_t fcs_size() const {
        return !has_fcs_type ? 0 : fcs_type == 1 ? 2 : fcs_type == 2 ? 4 : 0;
    }
};

struct PcapRecord {
    static constexpr std::size_t kHeaderSize = 16;
    std::uint64_t timestamp_ns = 0;
    ByteSpan data;  // captured link-layer bytes
    std::uint32_t original_length = 0;
};

/// Writes one record for `psdu` (the 802.15.4 frame including its FCS) in the given link type.
/// `tap` is used (and required) for LINKTYPE 283. Returns bytes written in *written. The
/// timestamp is written in the unit the file header announces: microseconds unless `nanosecond`
/// (PcapFileHeader::nanosecond) is set.
Status pcap_emit_record(PcapLinkType link_type, std::uint64_t timestamp_ns, ByteSpan psdu,
                        const TapHeader *tap, MutableByteSpan out, std::size_t *written,
                        bool nanosecond = false);
std::size_t pcap_record_size(PcapLinkType link_type, std::size_t psdu_len, const TapHeader *tap);

/// A pcap file held in memory; records are validated as they are read.
class PcapReader {
  public:
    static Result<PcapReader> parse(ByteSpan file);
    const PcapFileHeader &header() const { return header_; }
    /// The next record: true and *out filled, false at the end, or an error (truncated record).
    Result<bool> next(PcapRecord *out);
    std::size_t offset() const { return pos_; }

  private:
    ByteSpan file_;
    PcapFileHeader header_;
    std::size_t pos_ = PcapFileHeader::kSize;
};

/// The 802.15.4 frame inside a record of the given link type, and whether it ends in a 2-byte FCS.
struct PcapMacFrame {
    ByteSpan frame;
    bool has_fcs = false;
    bool has_tap = false;
    TapHeader tap;
};
Result<PcapMacFrame> pcap_mac_frame(std::uint32_t link_type, ByteSpan record_data);

}  // namespace meshwork::wire
