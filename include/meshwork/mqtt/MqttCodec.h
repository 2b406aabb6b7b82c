// MQTT 3.1.1 (OASIS standard, 29 October 2014) control packets: a value type for every packet
// (section 3), encoding, and a total decoder for untrusted bytes. The decoder never reads past
// the bytes it is given and rejects malformed input with a named error (section 1.5 data
// representation, 2.2 fixed header, 2.2.3 remaining length, 4.8 protocol violations).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace meshwork::mqtt {

/// Control packet types (section 2.2.1).
enum class PacketType : uint8_t {
    kConnect = 1,
    kConnack = 2,
    kPublish = 3,
    kPuback = 4,
    kPubrec = 5,
    kPubrel = 6,
    kPubcomp = 7,
    kSubscribe = 8,
    kSuback = 9,
    kUnsubscribe = 10,
    kUnsuback = 11,
    kPingreq = 12,
    kPingresp = 13,
    kDisconnect = 14,
};

/// Why decoding or encoding failed. kIncomplete is not an error on a stream: more bytes needed.
enum class CodecError : uint8_t {
    kOk,
    kIncomplete,          // the buffer ends before the packet does
    kBadType,             // packet type 0 or 15 (reserved)
    kBadFlags,            // fixed-header flags differ from section 2.2.2's table
    kBadRemainingLength,  // more than 4 length bytes, or a non-minimal encoding
    kTruncated,           // a field runs past the remaining length
    kTrailingBytes,       // bytes left over inside the remaining length
    kBadUtf8,             // ill-formed UTF-8, U+0000 or a surrogate (section 1.5.3)
    kBadProtocol,         // CONNECT protocol name/level other than "MQTT"/4
    kBadConnectFlags,     // reserved bit set, or inconsistent will/password flags (3.1.2.3)
    kBadQos,              // QoS 3
    kBadPacketId,         // packet identifier 0 where one is required (2.3.1)
    kEmptyPayload,        // SUBSCRIBE/UNSUBSCRIBE/SUBACK without entries (3.8.3, 3.10.3)
    kBadTopic,            // empty or wildcard topic name, or an invalid filter
    kBadReturnCode,       // CONNACK or SUBACK return code outside the defined set
    kTooLarge,            // a string over 65535 bytes or a packet over 268435455 bytes
};

const char *to_string(CodecError error);

/// The largest remaining length four bytes can express (section 2.2.3).
inline constexpr uint32_t kMaxRemainingLength = 268435455;

/// CONNACK return codes (section 3.2.2.3).
enum class ConnectReturnCode : uint8_t {
    kAccepted = 0,
    kUnacceptableProtocol = 1,
    kIdentifierRejected = 2,
    kServerUnavailable = 3,
    kBadUsernameOrPassword = 4,
    kNotAuthorized = 5,
};

/// SUBACK failure return code (section 3.9.3).
inline constexpr uint8_t kSubackFailure = 0x80;

struct Will {
    std::string topic;
    std::vector<uint8_t> payload;
    uint8_t qos = 0;
    bool retain = false;
};

struct Subscription {
    std::string filter;
    uint8_t qos = 0;
};

/// One control packet. Fields apply according to `type`; the others stay default.
struct Packet {
    PacketType type = PacketType::kPingreq;

    // PUBLISH fixed-header flags (section 3.3.1).
    bool dup = false;
    uint8_t qos = 0;
    bool retain = false;

    // PUBLISH (QoS > 0), PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE,
    // UNSUBACK.
    uint16_t packet_id = 0;

    // CONNECT (section 3.1).
    std::string client_id;
    bool clean_session = true;
    uint16_t keep_alive_s = 0;
    bool has_will = false;
    Will will;
    bool has_username = false;
    std::string username;
    bool has_password = false;
    std::vector<uint8_t> password;

    // CONNACK (section 3.2).
    bool session_present = false;
    ConnectReturnCode return_code = ConnectReturnCode::kAccepted;

    // PUBLISH (section 3.3).
    std::string topic;
    std::vector<uint8_t> payload;

    // SUBSCRIBE: filter + requested QoS; UNSUBSCRIBE: filters only (qos unused).
    std::vector<Subscription> subscriptions;
    // SUBACK: granted QoS 0..2 or kSubackFailure per filter.
    std::vector<uint8_t> return_codes;
};

/// Appends the encoding of `packet` to `out`. On error `out` is unchanged.
CodecError encode(const Packet &packet, std::vector<uint8_t> &out);

/// Length of the whole packet at the start of `data` (fixed header included) once the
/// remaining-length field is complete: kOk with `*total` set, kIncomplete, or
/// kBadRemainingLength/kBadType.
CodecError frame_length(const uint8_t *data, size_t size, size_t *total);

/// Decodes one packet from the start of `data`. kOk: `*consumed` bytes formed `out`.
/// kIncomplete: the packet is not all there yet. Anything else: the input is malformed.
CodecError decode(const uint8_t *data, size_t size, Packet &out, size_t *consumed);

/// True when `s` is a valid MQTT UTF-8 string body (section 1.5.3).
bool valid_utf8(const uint8_t *data, size_t size);

}  // namespace meshwork::mqtt
