// WebSocket frame codec: the examples of RFC 6455 section 5.7 byte for byte, length forms,
// the handshake key arithmetic (section 1.3 example), and malformed headers rejected.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "meshwork/websocket/WebSocketFrame.h"

using namespace meshwork::websocket;
using Bytes = std::vector<uint8_t>;

namespace {

const uint8_t kMask[4] = {0x37, 0xfa, 0x21, 0x3d};
const Bytes kHello = {'H', 'e', 'l', 'l', 'o'};

Bytes frame(Opcode op, bool fin, const Bytes &payload, const uint8_t *mask) {
    Bytes out;
    encode_frame(op, fin, payload.data(), payload.size(), mask, out);
    return out;
}

/// Parses a whole frame and returns its (unmasked) payload.
Bytes payload_of(const Bytes &b, bool masked, FrameHeader &h) {
    EXPECT_EQ(FrameError::kOk, parse_header(b.data(), b.size(), masked, h));
    EXPECT_EQ(b.size(), h.header_length + h.payload_length);
    Bytes p(b.begin() + static_cast<std::ptrdiff_t>(h.header_length), b.end());
    if (h.masked) {
        apply_mask(p.data(), p.size(), h.mask);
    }
    return p;
}

FrameError header_error(const Bytes &b, bool masked = false) {
    FrameHeader h;
    return parse_header(b.data(), b.size(), masked, h);
}

}  // namespace

TEST(WebSocketFrame, Rfc6455Section57Examples) {
    // A single-frame unmasked text message.
    const Bytes unmasked = {0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
    EXPECT_EQ(unmasked, frame(Opcode::kText, true, kHello, nullptr));
    // A single-frame masked text message.
    const Bytes masked = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};
    EXPECT_EQ(masked, frame(Opcode::kText, true, kHello, kMask));
    FrameHeader h;
    EXPECT_EQ(kHello, payload_of(masked, true, h));
    EXPECT_TRUE(h.fin);
    EXPECT_EQ(Opcode::kText, h.opcode);
    // A fragmented unmasked text message: "Hel" then "lo".
    EXPECT_EQ((Bytes{0x01, 0x03, 0x48, 0x65, 0x6c}),
              frame(Opcode::kText, false, {'H', 'e', 'l'}, nullptr));
    EXPECT_EQ((Bytes{0x80, 0x02, 0x6c, 0x6f}),
              frame(Opcode::kContinuation, true, {'l', 'o'}, nullptr));
    EXPECT_EQ((Bytes{'H', 'e', 'l'}), payload_of({0x01, 0x03, 0x48, 0x65, 0x6c}, false, h));
    EXPECT_FALSE(h.fin);
    // Unmasked ping and masked pong with body "Hello".
    EXPECT_EQ((Bytes{0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}),
              frame(Opcode::kPing, true, kHello, nullptr));
    EXPECT_EQ((Bytes{0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}),
              frame(Opcode::kPong, true, kHello, kMask));
    // 256 bytes and 64 KiB binary messages in a single unmasked frame: the length forms.
    const Bytes b256 = frame(Opcode::kBinary, true, Bytes(256, 0), nullptr);
    EXPECT_EQ((Bytes{0x82, 0x7E, 0x01, 0x00}), Bytes(b256.begin(), b256.begin() + 4));
    EXPECT_EQ(260u, b256.size());
    const Bytes b64k = frame(Opcode::kBinary, true, Bytes(65536, 0), nullptr);
    EXPECT_EQ((Bytes{0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00}),
              Bytes(b64k.begin(), b64k.begin() + 10));
    EXPECT_EQ(65536u, payload_of(b64k, false, h).size());
}

TEST(WebSocketFrame, LengthBoundariesRoundTrip) {
    for (size_t n : {0u, 125u, 126u, 127u, 65535u, 65536u, 1048576u}) {
        Bytes payload(n);
        for (size_t i = 0; i < n; ++i) {
            payload[i] = static_cast<uint8_t>(i * 31);
        }
        const Bytes f = frame(Opcode::kBinary, true, payload, kMask);
        const size_t len_bytes = n < 126 ? 0 : n <= 65535 ? 2 : 8;
        EXPECT_EQ(2 + len_bytes + 4 + n, f.size()) << n;
        FrameHeader h;
        EXPECT_EQ(payload, payload_of(f, true, h)) << n;
        EXPECT_EQ(n, h.payload_length);
    }
}

TEST(WebSocketFrame, MaskingIsItsOwnInverseAtAnyOffset) {
    Bytes data = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const Bytes original = data;
    apply_mask(data.data(), data.size(), kMask);
    Bytes tail(data.begin() + 3, data.end());
    apply_mask(tail.data(), tail.size(), kMask, 3);
    EXPECT_EQ(Bytes(original.begin() + 3, original.end()), tail);
    apply_mask(data.data(), data.size(), kMask);
    EXPECT_EQ(original, data);
}

TEST(WebSocketFrame, HandshakeKeyArithmetic) {
    // RFC 6455 section 1.3's example.
    EXPECT_EQ("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", accept_for("dGhlIHNhbXBsZSBub25jZQ=="));
    const uint8_t nonce[16] = {'t', 'h', 'e', ' ', 's', 'a', 'm', 'p',
                               'l', 'e', ' ', 'n', 'o', 'n', 'c', 'e'};
    EXPECT_EQ("dGhlIHNhbXBsZSBub25jZQ==", make_key(nonce));
}

TEST(WebSocketFrame, MalformedHeadersAreRejected) {
    EXPECT_EQ(FrameError::kReservedBits, header_error({0xC1, 0x00}));
    EXPECT_EQ(FrameError::kReservedBits, header_error({0x91, 0x00}));
    EXPECT_EQ(FrameError::kBadOpcode, header_error({0x83, 0x00}));
    EXPECT_EQ(FrameError::kBadOpcode, header_error({0x8B, 0x00}));
    EXPECT_EQ(FrameError::kControlTooLong, header_error({0x89, 0x7E, 0x00, 0x7E}));
    EXPECT_EQ(FrameError::kFragmentedControl, header_error({0x09, 0x00}));
    EXPECT_EQ(FrameError::kNonMinimalLength, header_error({0x82, 0x7E, 0x00, 0x7D}));
    EXPECT_EQ(FrameError::kNonMinimalLength,
              header_error({0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF}));
    EXPECT_EQ(FrameError::kLengthTooLarge, header_error({0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0}));
    EXPECT_EQ(FrameError::kMaskMismatch, header_error({0x81, 0x85, 1, 2, 3, 4}, false));
    EXPECT_EQ(FrameError::kMaskMismatch, header_error({0x81, 0x05}, true));
    EXPECT_STRNE("unknown", to_string(FrameError::kMaskMismatch));
}

TEST(WebSocketFrame, EveryPrefixOfAHeaderIsIncomplete) {
    const Bytes f = frame(Opcode::kBinary, true, Bytes(70000, 1), kMask);
    for (size_t n = 0; n < 14; ++n) {
        FrameHeader h;
        EXPECT_EQ(FrameError::kIncomplete, parse_header(f.data(), n, true, h)) << n;
    }
}

TEST(WebSocketFrame, Utf8AndCloseCodes) {
    const std::string ok = "caf\xC3\xA9 \xF0\x9F\x98\x80";
    EXPECT_TRUE(valid_utf8(reinterpret_cast<const uint8_t *>(ok.data()), ok.size()));
    const uint8_t nul[] = {'a', 0, 'b'};  // U+0000 is legal in WebSocket text
    EXPECT_TRUE(valid_utf8(nul, sizeof nul));
    const uint8_t surrogate[] = {0xED, 0xA0, 0x80};
    EXPECT_FALSE(valid_utf8(surrogate, sizeof surrogate));
    const uint8_t overlong[] = {0xC0, 0xAF};
    EXPECT_FALSE(valid_utf8(overlong, sizeof overlong));
    for (uint16_t c : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999}) {
        EXPECT_TRUE(valid_close_code(c)) << c;
    }
    for (uint16_t c : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000}) {
        EXPECT_FALSE(valid_close_code(c)) << c;
    }
}

// Mutated frames (fixed seed): the header parser stays within the given bytes, and a header it
// accepts re-encodes, with the same payload and mask, to exactly the input frame.
TEST(WebSocketFrame, MutatedFramesParseTotallyAndReencodeExactly) {
    std::vector<Bytes> seeds = {frame(Opcode::kText, true, kHello, kMask),
                                frame(Opcode::kBinary, false, Bytes(300, 7), kMask),
                                frame(Opcode::kPing, true, {1}, kMask),
                                frame(Opcode::kClose, true, {0x03, 0xE8}, kMask)};
    uint32_t state = 777;
    auto next = [&state] {
        state = state * 1103515245u + 12345u;
        return state >> 8;
    };
    size_t accepted = 0;
    for (int i = 0; i < 60000; ++i) {
        Bytes b = seeds[next() % seeds.size()];
        const uint32_t pos = next() % std::min<size_t>(b.size(), 16);
        if (next() % 2) {
            b[pos] = static_cast<uint8_t>(next());
        } else {
            b.erase(b.begin() + pos);
        }
        std::unique_ptr<uint8_t[]> exact(new uint8_t[b.size()]);
        std::copy(b.begin(), b.end(), exact.get());
        FrameHeader h;
        if (parse_header(exact.get(), b.size(), true, h) != FrameError::kOk ||
            b.size() != h.header_length + h.payload_length) {
            continue;
        }
        ++accepted;
        Bytes payload(b.begin() + static_cast<std::ptrdiff_t>(h.header_length), b.end());
        apply_mask(payload.data(), payload.size(), h.mask);
        ASSERT_EQ(b, frame(h.opcode, h.fin, payload, h.mask));
    }
    EXPECT_GT(accepted, 0u);
}
