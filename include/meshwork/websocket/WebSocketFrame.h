// WebSocket frames (RFC 6455 section 5.2): header parsing for untrusted bytes, frame encoding
// with the client's masking (5.3), and the opening-handshake key arithmetic (4.1, 4.2.2).
// The parser is total: it reads only the bytes it is given and names what is wrong.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace meshwork::websocket {

enum class Opcode : uint8_t {
    kContinuation = 0x0,
    kText = 0x1,
    kBinary = 0x2,
    kClose = 0x8,
    kPing = 0x9,
    kPong = 0xA,
};

inline bool is_control(Opcode op) {
    return static_cast<uint8_t>(op) & 0x8;
}

enum class FrameError : uint8_t {
    kOk,
    kIncomplete,         // more bytes needed
    kReservedBits,       // RSV1-3 set without a negotiated extension (5.2)
    kBadOpcode,          // reserved opcode 3-7 or B-F
    kControlTooLong,     // control frame payload over 125 bytes (5.5)
    kFragmentedControl,  // control frame without FIN (5.5)
    kNonMinimalLength,   // 16/64-bit length where a shorter form fits (5.2)
    kLengthTooLarge,     // 64-bit length with the most significant bit set
    kMaskMismatch,       // masked frame from a server or unmasked from a client (5.1)
};

const char *to_string(FrameError error);

struct FrameHeader {
    bool fin = true;
    Opcode opcode = Opcode::kText;
    bool masked = false;
    uint8_t mask[4] = {0, 0, 0, 0};
    uint64_t payload_length = 0;
    size_t header_length = 0;  // bytes before the payload
};

/// Parses the header at the start of `data`. `expect_masked`: true on a server (client frames
/// are masked), false on a client.
FrameError parse_header(const uint8_t *data, size_t size, bool expect_masked, FrameHeader &out);

/// Appends one frame. `mask` (4 bytes) masks the payload, as every client frame must; nullptr
/// sends it unmasked (server side).
void encode_frame(Opcode opcode, bool fin, const uint8_t *payload, size_t size, const uint8_t *mask,
                  std::vector<uint8_t> &out);

/// XORs `data` with `mask`, `offset` bytes into the masked payload (5.3). Its own inverse.
void apply_mask(uint8_t *data, size_t size, const uint8_t mask[4], size_t offset = 0);

/// Sec-WebSocket-Key from 16 random bytes: their base64 (4.1).
std::string make_key(const uint8_t nonce[16]);

/// Sec-WebSocket-Accept for `key`: base64(SHA-1(key + the RFC's GUID)) (4.2.2).
std::string accept_for(const std::string &key);

/// True when `data` is well-formed UTF-8 (text messages and close reasons, 8.1).
bool valid_utf8(const uint8_t *data, size_t size);

/// Close status codes a peer may send (7.4.1, 7.4.2).
bool valid_close_code(uint16_t code);

}  // namespace meshwork::websocket
