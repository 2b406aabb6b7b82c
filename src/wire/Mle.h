// Thread Mesh Link Establishment (MLE) messages, UDP port 19788 (Thread 1.1 spec chapter 4;
// draft-ietf-6lo-mesh-link-establishment): a security suite byte (0 = 802.15.4-style security,
// 255 = none, Discovery only), the auxiliary security header (IEEE 802.15.4-2006 7.6.2 format;
// Thread uses control 0x15 with a 4-byte key source holding the key sequence big-endian), the
// encrypted command byte and TLVs, and a MIC. Decryption happens in the mesh layer; here the
// secured form is parsed to its parts and the plaintext (command + TLVs) separately; the TLV
// values are in MleTlvs.h.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Ieee802154.h"
#include "wire/MleTlvs.h"
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

/// The plaintext of an MLE message: command byte and a validated TLV list. The TLV values are
/// read and written with the types of MleTlvs.h.
struct MlePlaintext {
    std::uint8_t command = 0;
    TlvList tlvs;
    static Result<MlePlaintext> parse(ByteSpan bytes);
    std::size_t emitted_size() const { return 1 + tlvs.bytes().size; }
    Status emit(MutableByteSpan out) const;
    bool operator==(const MlePlaintext &o) const {
        return command == o.command && tlvs.bytes().equals(o.tlvs.bytes());
    }
};

}  // namespace meshwork::wire
