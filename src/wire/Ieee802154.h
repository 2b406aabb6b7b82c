// IEEE 802.15.4 MAC frames (IEEE 802.15.4-2006 clause 7.2, 802.15.4-2015 clause 7): beacon, data,
// imm-ack and enh-ack, MAC command; every addressing mode; the PAN ID compression rules of both
// frame-version families (2006 7.2.1.1.5; 2015 table 7-2); the auxiliary security header in every
// key identifier mode (2006 7.6.2, 2015 9.4); header and payload IEs (2015 7.4) and the FCS
// (ITU-T CRC-16, 2015 7.2.10).
//
// MacFrame is both the checked view and the value type: parse() validates once and the spans it
// holds point into the input, so accessors cannot fail afterwards; emit() writes a frame from the
// same fields into a caller buffer. Multi-byte fields are little-endian on air.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"

namespace meshwork::wire {

enum class MacFrameType : std::uint8_t { kBeacon = 0, kData = 1, kAck = 2, kMacCommand = 3 };
enum class MacFrameVersion : std::uint8_t { k2003 = 0, k2006 = 1, k2015 = 2 };
enum class MacAddrMode : std::uint8_t { kNone = 0, kShort = 2, kExtended = 3 };

/// MAC command frame identifiers (2006 table 82).
enum class MacCommandId : std::uint8_t {
    kAssociationRequest = 0x01,
    kAssociationResponse = 0x02,
    kDisassociationNotification = 0x03,
    kDataRequest = 0x04,
    kPanIdConflict = 0x05,
    kOrphanNotification = 0x06,
    kBeaconRequest = 0x07,
    kCoordinatorRealignment = 0x08,
    kGtsRequest = 0x09,
};

struct MacAddress {
    static constexpr std::uint16_t kBroadcastShort = 0xffff;
    /// 0xfffe: "associated but no short address", 0xffff: broadcast (2006 7.3.2).
    static constexpr std::uint16_t kNoShortAddress = 0xfffe;

    MacAddrMode mode = MacAddrMode::kNone;
    std::uint16_t short_address = 0;
    /// The EUI-64 as a number: the most significant byte is the first byte of the EUI-64 as
    /// printed; on air the bytes go least significant first.
    std::uint64_t extended = 0;

    static MacAddress none() { return MacAddress(); }
    static MacAddress from_short(std::uint16_t a) {
        MacAddress m;
        m.mode = MacAddrMode::kShort;
        m.short_address = a;
        return m;
    }
    static MacAddress from_extended(std::uint64_t a) {
        MacAddress m;
        m.mode = MacAddrMode::kExtended;
        m.extended = a;
        return m;
    }
    /// From / to the EUI-64 in printed (big-endian) byte order.
    static MacAddress from_eui64(const std::uint8_t eui64[8]);
    void to_eui64(std::uint8_t eui64[8]) const;

    bool is_none() const { return mode == MacAddrMode::kNone; }
    bool is_broadcast() const {
        return mode == MacAddrMode::kShort && short_address == kBroadcastShort;
    }
    std::size_t size() const {
        return mode == MacAddrMode::kShort ? 2 : mode == MacAddrMode::kExtended ? 8 : 0;
    }
    bool operator==(const MacAddress &o) const;
    bool operator!=(const MacAddress &o) const { return !(*this == o); }
};

/// Auxiliary security header (2006 7.6.2; 2015 9.4). Also used inside MLE messages.
struct AuxSecurityHeader {
    std::uint8_t security_level = 0;        // 0..7; 5 = ENC-MIC-32
    std::uint8_t key_id_mode = 0;           // 0..3
    bool frame_counter_suppressed = false;  // 2015 only
    bool asn_in_nonce = false;              // 2015 only
    std::uint32_t frame_counter = 0;
    std::uint8_t key_source[8] = {};  // 0, 4 or 8 bytes used, in on-air order
    std::uint8_t key_index = 0;       // present for key_id_mode 1..3

    static std::size_t key_source_size(std::uint8_t key_id_mode) {
        return key_id_mode == 2 ? 4 : key_id_mode == 3 ? 8 : 0;
    }
    /// MIC length for a security level: 0, 4, 8 or 16.
    static std::size_t mic_size_for(std::uint8_t level) {
        return (level & 3) == 0 ? 0 : std::size_t{2} << (level & 3);
    }
    std::size_t mic_size() const { return mic_size_for(security_level); }
    std::uint8_t security_control() const;

    static Result<AuxSecurityHeader> parse(ByteReader &r);
    std::size_t emitted_size() const;
    Status emit(ByteWriter &w) const;
    bool operator==(const AuxSecurityHeader &o) const;
};

/// Header IE element IDs used by Thread and the terminations (2015 table 7-7).
enum class HeaderIeId : std::uint8_t {
    kVendorSpecific = 0x00,
    kCsl = 0x1a,
    kRendezvousTime = 0x1d,
    kTimeCorrection = 0x1e,
    kHt1 = 0x7e,  // header termination 1: payload IEs follow
    kHt2 = 0x7f,  // header termination 2: payload follows
};
/// Payload IE group IDs (2015 table 7-15).
enum class PayloadIeGroup : std::uint8_t {
    kEsdu = 0x0,
    kMlme = 0x1,
    kVendor = 0x2,
    kTermination = 0xf
};

struct HeaderIe {
    std::uint8_t id = 0;  // 8-bit element ID
    ByteSpan content;     // up to 127 bytes
};
struct PayloadIe {
    std::uint8_t group = 0;  // 4-bit group ID
    ByteSpan content;        // up to 2047 bytes
};

/// A validated list of header IEs (no terminations inside).
class HeaderIeList {
  public:
    static Result<HeaderIeList> parse(ByteSpan bytes);
    template <typename F>
    void for_each(F f) const {
        std::size_t pos = 0;
        while (pos + 2 <= bytes_.size) {
            std::uint16_t d = static_cast<std::uint16_t>(bytes_[pos] | bytes_[pos + 1] << 8);
            std::size_t len = d & 0x7f;
            f(HeaderIe{static_cast<std::uint8_t>((d >> 7) & 0xff), bytes_.subspan(pos + 2, len)});
            pos += 2 + len;
        }
    }
    bool find(std::uint8_t id, HeaderIe *out) const;
    ByteSpan bytes() const { return bytes_; }
    /// Appends one header IE (descriptor + content).
    static void emit(ByteWriter &w, std::uint8_t id, ByteSpan content);

  private:
    ByteSpan bytes_;
};

/// A validated list of payload IEs (no termination inside).
class PayloadIeList {
  public:
    static Result<PayloadIeList> parse(ByteSpan bytes);
    template <typename F>
    void for_each(F f) const {
        std::size_t pos = 0;
        while (pos + 2 <= bytes_.size) {
            std::uint16_t d = static_cast<std::uint16_t>(bytes_[pos] | bytes_[pos + 1] << 8);
            std::size_t len = d & 0x7ff;
            f(PayloadIe{static_cast<std::uint8_t>((d >> 11) & 0xf), bytes_.subspan(pos + 2, len)});
            pos += 2 + len;
        }
    }
    ByteSpan bytes() const { return bytes_; }
    static void emit(ByteWriter &w, std::uint8_t group, ByteSpan content);

  private:
    ByteSpan bytes_;
};

/// CSL header IE content (2015 7.4.2.3): phase and period in units of 10 symbols, optional
/// rendezvous time.
struct CslIe {
    std::uint16_t phase = 0;
    std::uint16_t period = 0;
    bool has_rendezvous_time = false;
    std::uint16_t rendezvous_time = 0;
    static Result<CslIe> parse(ByteSpan content);
};

/// ITU-T CRC-16 as used for the 802.15.4 FCS (reflected polynomial 0x8408, initial value 0).
std::uint16_t mac_fcs(ByteSpan bytes);

struct MacFrame {
    static constexpr std::size_t kFcsSize = 2;
    static constexpr std::size_t kMaxPsduSize = 127;  // aMaxPhyPacketSize (2.4 GHz O-QPSK)

    MacFrameType type = MacFrameType::kData;
    MacFrameVersion version = MacFrameVersion::k2006;
    bool security_enabled = false;
    bool frame_pending = false;
    bool ack_request = false;
    bool seq_suppressed = false;  // 2015 only
    std::uint8_t seq = 0;

    bool has_dst_pan = false;
    std::uint16_t dst_pan = 0;
    MacAddress dst;
    bool has_src_pan = false;
    std::uint16_t src_pan = 0;
    MacAddress src;

    AuxSecurityHeader security;  // valid if security_enabled

    ByteSpan header_ies;   // encoded header IEs, without termination
    ByteSpan payload_ies;  // encoded payload IEs, without termination (unsecured frames only)
    /// Secured 2015 frame whose encrypted part begins with payload IEs (HT1 on air).
    bool payload_ies_encrypted = false;
    ByteSpan payload;  // MAC payload (ciphertext if secured), MIC excluded
    ByteSpan mic;      // security.mic_size() bytes when secured

    /// Parses a PSDU that ends with the FCS and checks it (Error::kChecksum on mismatch).
    static Result<MacFrame> parse(ByteSpan psdu);
    /// Parses an MPDU without FCS (LINKTYPE 230, or after the radio checked the FCS).
    static Result<MacFrame> parse_without_fcs(ByteSpan mpdu);

    /// PAN ID compression bit for the PAN IDs and addresses present, or an error if this
    /// combination cannot be expressed in this frame version.
    Result<bool> pan_id_compression() const;
    /// Frame control field as emitted.
    Result<std::uint16_t> frame_control() const;

    std::size_t header_size() const;  // MHR incl. aux security header and header IEs
    /// Size with the FCS.
    std::size_t emitted_size() const;
    /// Writes the PSDU including FCS.
    Status emit(MutableByteSpan out) const;
    /// Writes the header only (up to the payload); returns its size in *written.
    Status emit_header(MutableByteSpan out, std::size_t *written) const;

    /// Command ID of an unsecured (or 2006-secured, where it is in clear) MAC command frame.
    bool command_id(std::uint8_t *id) const;

    bool operator==(const MacFrame &o) const;

    /// An imm-ack (5 bytes on air with FCS).
    static MacFrame imm_ack(std::uint8_t seq, bool frame_pending);
};

/// Beacon frame payload (2006 7.2.2.1): superframe specification, GTS fields, pending
/// addresses, then the beacon payload (Thread: protocol ID 3, flags, name, extended PAN ID).
struct BeaconPayload {
    std::uint16_t superframe_spec = 0;
    std::uint8_t gts_spec = 0;
    ByteSpan gts_fields;  // GTS directions + descriptors (only if gts_spec count > 0)
    std::uint8_t pending_spec = 0;
    ByteSpan pending_addresses;
    ByteSpan beacon_payload;

    static Result<BeaconPayload> parse(ByteSpan payload);
    std::size_t emitted_size() const;
    Status emit(MutableByteSpan out) const;

    std::uint8_t beacon_order() const { return superframe_spec & 0xf; }
    std::uint8_t superframe_order() const { return (superframe_spec >> 4) & 0xf; }
    bool pan_coordinator() const { return (superframe_spec & 0x4000) != 0; }
    bool association_permit() const { return (superframe_spec & 0x8000) != 0; }
};

/// The Thread beacon payload (Thread 1.1 4.5.2): protocol ID 3, version and flags, network name
/// (16 bytes, NUL padded) and extended PAN ID.
struct ThreadBeacon {
    static constexpr std::uint8_t kProtocolId = 3;
    std::uint8_t protocol_id = kProtocolId;
    std::uint8_t version_flags = 0;  // version in the top nibble; bit 0 joining permitted
    char network_name[17] = {};
    std::uint8_t extended_pan_id[8] = {};
    static Result<ThreadBeacon> parse(ByteSpan beacon_payload);
};

}  // namespace meshwork::wire
