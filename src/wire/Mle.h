// Thread Mesh Link Establishment (MLE) messages, UDP port 19788 (Thread 1.1 spec chapter 4;
// draft-ietf-6lo-mesh-link-establishment): a security suite byte (0 = 802.15.4-style security,
// 255 = none, Discovery only), the auxiliary security header (IEEE 802.15.4-2006 7.6.2 format;
// Thread uses control 0x15 with a 4-byte key source holding the key sequence big-endian), the
// encrypted command byte and TLVs, and a MIC. Decryption happens in the mesh layer; here the
// secured form is parsed to its parts and the plaintext (command + TLVs) separately.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Ieee802154.h"
#include "wire/Tlv.h"

namespace meshwork::wire {

namespace MleCommand {
constexpr std::uint8_t kLinkRequest = 0;
constexpr std::uint8_t kLinkAccept = 1;
constexpr std::uint8_t kLinkAcceptAndRequest = 2;
constexpr std::uint8_t kLinkReject = 3;
constexpr std::uint8_t kAdvertisement = 4;
constexpr std::uint8_t kUpdate = 5;
constexpr std::uint8_t kUpdateRequest = 6;
constexpr std::uint8_t kDataRequest = 7;
constexpr std::uint8_t kDataResponse = 8;
constexpr std::uint8_t kParentRequest = 9;
constexpr std::uint8_t kParentResponse = 10;
constexpr std::uint8_t kChildIdRequest = 11;
constexpr std::uint8_t kChildIdResponse = 12;
constexpr std::uint8_t kChildUpdateRequest = 13;
constexpr std::uint8_t kChildUpdateResponse = 14;
constexpr std::uint8_t kAnnounce = 15;
constexpr std::uint8_t kDiscoveryRequest = 16;
constexpr std::uint8_t kDiscoveryResponse = 17;
}  // namespace MleCommand
const char *mle_command_name(std::uint8_t command);

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

/// Mode TLV bits (Thread 1.1 4.5.2).
namespace MleMode {
constexpr std::uint8_t kRxOnWhenIdle = 0x08;
constexpr std::uint8_t kSecureDataRequests = 0x04;
constexpr std::uint8_t kFullThreadDevice = 0x02;
constexpr std::uint8_t kFullNetworkData = 0x01;
}  // namespace MleMode

struct MleMessage {
    static constexpr std::uint16_t kUdpPort = 19788;
    static constexpr std::uint8_t kSuiteSecured = 0;
    static constexpr std::uint8_t kSuiteUnsecured = 255;

    std::uint8_t security_suite = kSuiteSecured;
    AuxSecurityHeader aux;  // secured only
    ByteSpan ciphertext;    // secured: encrypted command + TLVs
    ByteSpan mic;           // secured: aux.mic_size() bytes
    ByteSpan plaintext;     // unsecured: command + TLVs

    static Result<MleMessage> parse(ByteSpan udp_payload);
    std::size_t emitted_size() const;
    Status emit(MutableByteSpan out) const;
    bool operator==(const MleMessage &o) const;

    /// Thread's aux header: level 5, key-id mode 2, key source = key sequence (big-endian),
    /// key index = (sequence & 0x7f) + 1.
    static AuxSecurityHeader thread_aux_header(std::uint32_t key_sequence,
                                               std::uint32_t frame_counter);
};

/// The plaintext of an MLE message: command byte and a validated TLV list.
struct MlePlaintext {
    std::uint8_t command = 0;
    TlvList tlvs;
    static Result<MlePlaintext> parse(ByteSpan bytes);
};

/// Leader Data TLV value (8 bytes).
struct MleLeaderData {
    std::uint32_t partition_id = 0;
    std::uint8_t weighting = 0;
    std::uint8_t data_version = 0;
    std::uint8_t stable_data_version = 0;
    std::uint8_t leader_router_id = 0;
    static Result<MleLeaderData> parse(ByteSpan value);
    Status emit(ByteWriter &w) const;
};

/// Route64 TLV value: ID sequence, 64-bit router ID mask, one route byte per set bit.
struct MleRoute64 {
    std::uint8_t id_sequence = 0;
    std::uint8_t router_mask[8] = {};
    ByteSpan route_data;
    static Result<MleRoute64> parse(ByteSpan value);
    bool has_router(unsigned id) const {
        return id < 64 && (router_mask[id / 8] & (0x80 >> (id % 8))) != 0;
    }
    std::size_t router_count() const;
    /// Link quality out (2 bits), in (2 bits) and route cost (4 bits) of the n-th set router.
    std::uint8_t route_byte(std::size_t n) const { return route_data[n]; }
};

/// Connectivity TLV value (Thread 1.1 4.5.17; optional SED buffer fields).
struct MleConnectivity {
    std::uint8_t flags = 0;  // parent priority in bits 6-7
    std::uint8_t link_quality_3 = 0, link_quality_2 = 0, link_quality_1 = 0;
    std::uint8_t leader_cost = 0, id_sequence = 0, active_routers = 0;
    bool has_sed_info = false;
    std::uint16_t sed_buffer_size = 0;
    std::uint8_t sed_datagram_count = 0;
    static Result<MleConnectivity> parse(ByteSpan value);
};

/// One Address Registration TLV entry: compressed (context ID + IID) or a full address.
struct MleAddressEntry {
    bool compressed = false;
    std::uint8_t context_id = 0;
    const std::uint8_t *iid = nullptr;      // 8 bytes if compressed
    const std::uint8_t *address = nullptr;  // 16 bytes otherwise
};
/// Validates an Address Registration value and calls f(entry) for each.
template <typename F>
Status mle_for_each_address(ByteSpan value, F f) {
    std::size_t pos = 0;
    while (pos < value.size) {
        std::uint8_t c = value[pos];
        std::size_t need = (c & 0x80) ? 9 : 17;
        if (value.size - pos < need)
            return Error::kTruncated;
        pos += need;
    }
    for (pos = 0; pos < value.size;) {
        MleAddressEntry e;
        std::uint8_t c = value[pos];
        e.compressed = (c & 0x80) != 0;
        e.context_id = c & 0x0f;
        if (e.compressed) {
            e.iid = value.data + pos + 1;
            pos += 9;
        } else {
            e.address = value.data + pos + 1;
            pos += 17;
        }
        f(e);
    }
    return Status();
}

}  // namespace meshwork::wire
