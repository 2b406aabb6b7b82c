// MQTT 3.1.1 codec: byte-exact encodings, round trips of every packet type, remaining-length
// boundaries, and malformed input rejected with a named error.
#include <gtest/gtest.h>

#include <memory>

#include "meshwork/mqtt/MqttCodec.h"

using namespace meshwork::mqtt;
using Bytes = std::vector<uint8_t>;

namespace {

Bytes enc(const Packet &p) {
    Bytes out;
    EXPECT_EQ(CodecError::kOk, encode(p, out)) << static_cast<int>(p.type);
    return out;
}

Packet dec(const Bytes &b) {
    Packet p;
    size_t used = 0;
    const CodecError e = decode(b.data(), b.size(), p, &used);
    EXPECT_EQ(CodecError::kOk, e) << to_string(e);
    EXPECT_EQ(b.size(), used);
    return p;
}

CodecError dec_error(const Bytes &b) {
    Packet p;
    size_t used = 0;
    return decode(b.data(), b.size(), p, &used);
}

Packet make(PacketType t, uint16_t id = 0) {
    Packet p;
    p.type = t;
    p.packet_id = id;
    return p;
}

}  // namespace

TEST(MqttCodec, ConnectExactBytesAndRoundTrip) {
    Packet c = make(PacketType::kConnect);
    c.client_id = "cl";
    c.keep_alive_s = 60;
    c.clean_session = true;
    c.has_will = true;
    c.will.topic = "w";
    c.will.payload = {'x'};
    c.will.qos = 1;
    c.will.retain = true;
    c.has_username = true;
    c.username = "u";
    c.has_password = true;
    c.password = {'p'};
    const Bytes expected = {0x10, 26,  0, 4, 'M', 'Q', 'T', 'T', 4, 0xEE, 0,   60, 0, 2,
                            'c',  'l', 0, 1, 'w', 0,   1,   'x', 0, 1,    'u', 0,  1, 'p'};
    EXPECT_EQ(expected, enc(c));
    const Packet d = dec(expected);
    EXPECT_EQ("cl", d.client_id);
    EXPECT_EQ(60, d.keep_alive_s);
    EXPECT_TRUE(d.clean_session);
    ASSERT_TRUE(d.has_will);
    EXPECT_EQ("w", d.will.topic);
    EXPECT_EQ(Bytes{'x'}, d.will.payload);
    EXPECT_EQ(1, d.will.qos);
    EXPECT_TRUE(d.will.retain);
    EXPECT_EQ("u", d.username);
    EXPECT_EQ(Bytes{'p'}, d.password);
}

TEST(MqttCodec, MinimalConnectHasNoOptionalFields) {
    Packet c = make(PacketType::kConnect);
    c.clean_session = false;
    c.client_id = "id";
    const Packet d = dec(enc(c));
    EXPECT_FALSE(d.clean_session);
    EXPECT_FALSE(d.has_will);
    EXPECT_FALSE(d.has_username);
    EXPECT_FALSE(d.has_password);
}

TEST(MqttCodec, ConnackRoundTrip) {
    Packet c = make(PacketType::kConnack);
    c.session_present = true;
    c.return_code = ConnectReturnCode::kNotAuthorized;
    EXPECT_EQ((Bytes{0x20, 2, 1, 5}), enc(c));
    const Packet d = dec(enc(c));
    EXPECT_TRUE(d.session_present);
    EXPECT_EQ(ConnectReturnCode::kNotAuthorized, d.return_code);
}

TEST(MqttCodec, PublishAllQosLevels) {
    for (uint8_t qos = 0; qos <= 2; ++qos) {
        Packet p = make(PacketType::kPublish, qos ? 0x1234 : 0);
        p.qos = qos;
        p.retain = qos == 1;
        p.dup = qos == 2;
        p.topic = "a/b";
        p.payload = {1, 2, 3};
        const Bytes b = enc(p);
        EXPECT_EQ(0x30 | qos << 1 | (qos == 1 ? 1 : 0) | (qos == 2 ? 8 : 0), b[0]);
        const Packet d = dec(b);
        EXPECT_EQ(qos, d.qos);
        EXPECT_EQ(p.retain, d.retain);
        EXPECT_EQ(p.dup, d.dup);
        EXPECT_EQ("a/b", d.topic);
        EXPECT_EQ(p.payload, d.payload);
        EXPECT_EQ(p.packet_id, d.packet_id);
    }
    Packet q0 = make(PacketType::kPublish);
    q0.topic = "t";
    EXPECT_EQ((Bytes{0x30, 3, 0, 1, 't'}), enc(q0));
}

TEST(MqttCodec, AcknowledgementsRoundTrip) {
    const std::pair<PacketType, uint8_t> kinds[] = {{PacketType::kPuback, 0x40},
                                                    {PacketType::kPubrec, 0x50},
                                                    {PacketType::kPubrel, 0x62},
                                                    {PacketType::kPubcomp, 0x70},
                                                    {PacketType::kUnsuback, 0xB0}};
    for (const auto &[type, first] : kinds) {
        const Bytes b = enc(make(type, 0xBEEF));
        EXPECT_EQ((Bytes{first, 2, 0xBE, 0xEF}), b);
        const Packet d = dec(b);
        EXPECT_EQ(type, d.type);
        EXPECT_EQ(0xBEEF, d.packet_id);
    }
}

TEST(MqttCodec, SubscribeSubackUnsubscribe) {
    Packet s = make(PacketType::kSubscribe, 7);
    s.subscriptions = {{"a/+", 1}, {"b/#", 2}};
    const Bytes b = enc(s);
    EXPECT_EQ((Bytes{0x82, 14, 0, 7, 0, 3, 'a', '/', '+', 1, 0, 3, 'b', '/', '#', 2}), b);
    const Packet d = dec(b);
    ASSERT_EQ(2u, d.subscriptions.size());
    EXPECT_EQ("b/#", d.subscriptions[1].filter);
    EXPECT_EQ(2, d.subscriptions[1].qos);

    Packet a = make(PacketType::kSuback, 7);
    a.return_codes = {0, 2, kSubackFailure};
    EXPECT_EQ((Bytes{0x90, 5, 0, 7, 0, 2, 0x80}), enc(a));
    EXPECT_EQ(a.return_codes, dec(enc(a)).return_codes);

    Packet u = make(PacketType::kUnsubscribe, 9);
    u.subscriptions = {{"a/+", 0}};
    EXPECT_EQ((Bytes{0xA2, 7, 0, 9, 0, 3, 'a', '/', '+'}), enc(u));
    EXPECT_EQ("a/+", dec(enc(u)).subscriptions.at(0).filter);
}

TEST(MqttCodec, EmptyBodiedPackets) {
    EXPECT_EQ((Bytes{0xC0, 0}), enc(make(PacketType::kPingreq)));
    EXPECT_EQ((Bytes{0xD0, 0}), enc(make(PacketType::kPingresp)));
    EXPECT_EQ((Bytes{0xE0, 0}), enc(make(PacketType::kDisconnect)));
    EXPECT_EQ(PacketType::kPingresp, dec({0xD0, 0}).type);
    EXPECT_EQ(PacketType::kDisconnect, dec({0xE0, 0}).type);
}

TEST(MqttCodec, RemainingLengthBoundaries) {
    // 127 -> 1 byte, 128 -> 2, 16383 -> 2, 16384 -> 3, 2097152 -> 4 (section 2.2.3 table).
    for (size_t body : {127u, 128u, 16383u, 16384u, 2097151u, 2097152u}) {
        Packet p = make(PacketType::kPublish);
        p.topic = "t";
        p.payload.assign(body - 3, 0xAA);
        const Bytes b = enc(p);
        const size_t len_bytes = body < 128 ? 1 : body < 16384 ? 2 : body < 2097152 ? 3 : 4;
        EXPECT_EQ(1 + len_bytes + body, b.size()) << body;
        size_t total = 0;
        EXPECT_EQ(CodecError::kOk, frame_length(b.data(), b.size(), &total));
        EXPECT_EQ(b.size(), total);
        EXPECT_EQ(p.payload, dec(b).payload);
    }
    size_t total = 0;
    const Bytes max = {0x30, 0xFF, 0xFF, 0xFF, 0x7F};
    EXPECT_EQ(CodecError::kOk, frame_length(max.data(), max.size(), &total));
    EXPECT_EQ(5u + kMaxRemainingLength, total);
    const Bytes five = {0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
    EXPECT_EQ(CodecError::kBadRemainingLength, frame_length(five.data(), five.size(), &total));
    const Bytes overlong = {0x30, 0x80, 0x00};
    EXPECT_EQ(CodecError::kBadRemainingLength, dec_error(overlong));
}

TEST(MqttCodec, IncompleteInputAsksForMore) {
    Packet p = make(PacketType::kPublish, 1);
    p.qos = 1;
    p.topic = "topic";
    p.payload.assign(300, 1);
    const Bytes b = enc(p);
    for (size_t n = 0; n < b.size(); ++n) {
        Packet out;
        size_t used = 0;
        EXPECT_EQ(CodecError::kIncomplete, decode(b.data(), n, out, &used)) << n;
    }
}

TEST(MqttCodec, MalformedInputIsRejected) {
    EXPECT_EQ(CodecError::kBadType, dec_error({0x00, 0}));
    EXPECT_EQ(CodecError::kBadType, dec_error({0xF0, 0}));
    EXPECT_EQ(CodecError::kBadFlags, dec_error({0x82 & 0xF0, 2, 0, 1}));  // SUBSCRIBE flags 0
    EXPECT_EQ(CodecError::kBadFlags, dec_error({0x60, 2, 0, 1}));         // PUBREL flags 0
    EXPECT_EQ(CodecError::kBadFlags, dec_error({0xC1, 0}));               // PINGREQ flag
    EXPECT_EQ(CodecError::kBadQos, dec_error({0x36, 5, 0, 1, 't', 0, 1}));
    EXPECT_EQ(CodecError::kBadFlags, dec_error({0x38, 3, 0, 1, 't'}));  // DUP with QoS 0
    EXPECT_EQ(CodecError::kBadPacketId, dec_error({0x32, 5, 0, 1, 't', 0, 0}));
    EXPECT_EQ(CodecError::kBadPacketId, dec_error({0x40, 2, 0, 0}));
    EXPECT_EQ(CodecError::kTruncated, dec_error({0x40, 1, 0}));
    EXPECT_EQ(CodecError::kTrailingBytes, dec_error({0x40, 3, 0, 1, 0}));
    EXPECT_EQ(CodecError::kTrailingBytes, dec_error({0xC0, 1, 0}));
    EXPECT_EQ(CodecError::kTruncated, dec_error({0x30, 3, 0, 5, 't'}));       // string too long
    EXPECT_EQ(CodecError::kBadTopic, dec_error({0x30, 3, 0, 1, '#'}));        // wildcard in name
    EXPECT_EQ(CodecError::kBadTopic, dec_error({0x30, 2, 0, 0}));             // empty topic
    EXPECT_EQ(CodecError::kBadUtf8, dec_error({0x30, 4, 0, 2, 0xC0, 0x80}));  // overlong NUL
    EXPECT_EQ(CodecError::kBadUtf8, dec_error({0x30, 5, 0, 3, 0xED, 0xA0, 0x80}));  // surrogate
    EXPECT_EQ(CodecError::kBadUtf8, dec_error({0x30, 3, 0, 1, 0x00}));
    EXPECT_EQ(CodecError::kBadUtf8, dec_error({0x30, 3, 0, 1, 0xFF}));
    EXPECT_EQ(CodecError::kEmptyPayload, dec_error({0x82, 2, 0, 1}));
    EXPECT_EQ(CodecError::kEmptyPayload, dec_error({0xA2, 2, 0, 1}));
    EXPECT_EQ(CodecError::kEmptyPayload, dec_error({0x90, 2, 0, 1}));
    EXPECT_EQ(CodecError::kBadQos, dec_error({0x82, 6, 0, 1, 0, 1, 'a', 3}));
    EXPECT_EQ(CodecError::kBadTopic, dec_error({0x82, 7, 0, 1, 0, 2, 'a', '#', 0}));
    EXPECT_EQ(CodecError::kBadReturnCode, dec_error({0x90, 3, 0, 1, 3}));
    EXPECT_EQ(CodecError::kBadReturnCode, dec_error({0x20, 2, 0, 6}));
    EXPECT_EQ(CodecError::kBadFlags, dec_error({0x20, 2, 2, 0}));
    // CONNECT: wrong protocol, reserved flag, password without user name, will QoS without will.
    EXPECT_EQ(CodecError::kBadProtocol,
              dec_error({0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 3, 2, 0, 0, 0, 0}));
    EXPECT_EQ(CodecError::kBadProtocol,
              dec_error({0x10, 12, 0, 4, 'M', 'Q', 'I', 'T', 4, 2, 0, 0, 0, 0}));
    EXPECT_EQ(CodecError::kBadConnectFlags,
              dec_error({0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 4, 3, 0, 0, 0, 0}));
    EXPECT_EQ(CodecError::kBadConnectFlags,
              dec_error({0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x42, 0, 0, 0, 0}));
    EXPECT_EQ(CodecError::kBadConnectFlags,
              dec_error({0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x0A, 0, 0, 0, 0}));
    EXPECT_EQ(CodecError::kTruncated, dec_error({0x10, 10, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 0}));
}

TEST(MqttCodec, EncoderRefusesInvalidPackets) {
    Bytes out;
    Packet p = make(PacketType::kPublish);
    p.topic = "a/+";
    EXPECT_EQ(CodecError::kBadTopic, encode(p, out));
    p.topic = "a";
    p.qos = 1;
    EXPECT_EQ(CodecError::kBadPacketId, encode(p, out));
    p.qos = 3;
    p.packet_id = 1;
    EXPECT_EQ(CodecError::kBadQos, encode(p, out));
    p.qos = 0;
    p.topic = "caf\xC3";  // truncated UTF-8
    EXPECT_EQ(CodecError::kBadUtf8, encode(p, out));
    Packet s = make(PacketType::kSubscribe, 1);
    EXPECT_EQ(CodecError::kEmptyPayload, encode(s, out));
    s.subscriptions = {{"a/#/b", 0}};
    EXPECT_EQ(CodecError::kBadTopic, encode(s, out));
    Packet c = make(PacketType::kConnect);
    c.has_password = true;
    EXPECT_EQ(CodecError::kBadConnectFlags, encode(c, out));
    c.has_password = false;
    c.client_id = std::string(70000, 'a');
    EXPECT_EQ(CodecError::kTooLarge, encode(c, out));
    EXPECT_TRUE(out.empty());
}

TEST(MqttCodec, Utf8Rules) {
    const std::string ok = "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // e-acute, euro, emoji
    EXPECT_TRUE(valid_utf8(reinterpret_cast<const uint8_t *>(ok.data()), ok.size()));
    const uint8_t truncated[] = {0xE2, 0x82};
    EXPECT_FALSE(valid_utf8(truncated, sizeof truncated));
    const uint8_t too_big[] = {0xF4, 0x90, 0x80, 0x80};
    EXPECT_FALSE(valid_utf8(too_big, sizeof too_big));
}

// Mutated valid packets (a fixed seed, so every run checks the same inputs): the decoder never
// reads out of bounds (ASan builds check that), and whatever it accepts re-encodes to exactly
// the bytes it consumed (every field has one encoding).
TEST(MqttCodec, MutatedPacketsDecodeTotallyAndReencodeExactly) {
    std::vector<Bytes> seeds;
    Packet c = make(PacketType::kConnect);
    c.client_id = "seed";
    c.has_will = true;
    c.will.topic = "w/t";
    c.will.payload = {1, 2};
    c.has_username = true;
    c.username = "u";
    c.has_password = true;
    c.password = {'p'};
    seeds.push_back(enc(c));
    Packet p = make(PacketType::kPublish, 5);
    p.qos = 2;
    p.topic = "a/b";
    p.payload = {9, 8, 7};
    seeds.push_back(enc(p));
    Packet s = make(PacketType::kSubscribe, 6);
    s.subscriptions = {{"a/+", 1}, {"#", 0}};
    seeds.push_back(enc(s));
    Packet a = make(PacketType::kSuback, 6);
    a.return_codes = {0, 1, 0x80};
    seeds.push_back(enc(a));
    seeds.push_back(enc(make(PacketType::kPubrel, 3)));
    Packet k = make(PacketType::kConnack);
    seeds.push_back(enc(k));

    uint32_t state = 12345;
    auto next = [&state] {
        state = state * 1103515245u + 12345u;
        return state >> 8;
    };
    size_t accepted = 0;
    for (int i = 0; i < 60000; ++i) {
        Bytes b = seeds[next() % seeds.size()];
        const int edits = 1 + next() % 3;
        for (int e = 0; e < edits; ++e) {
            const uint32_t pos = next() % b.size();
            switch (next() % 3) {
                case 0:
                    b[pos] = static_cast<uint8_t>(next());
                    break;
                case 1:
                    b.erase(b.begin() + pos);
                    break;
                default:
                    b.insert(b.begin() + pos, static_cast<uint8_t>(next()));
                    break;
            }
            if (b.empty()) {
                b.push_back(0x30);
            }
        }
        // A heap copy of exactly the input size, so ASan sees any over-read.
        std::unique_ptr<uint8_t[]> exact(new uint8_t[b.size()]);
        std::copy(b.begin(), b.end(), exact.get());
        Packet out;
        size_t used = 0;
        if (decode(exact.get(), b.size(), out, &used) == CodecError::kOk) {
            ++accepted;
            Bytes again;
            ASSERT_EQ(CodecError::kOk, encode(out, again));
            ASSERT_EQ(Bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(used)), again);
        }
    }
    EXPECT_GT(accepted, 0u);
}
