// WebSocket frame codec and handshake key arithmetic (see WebSocketFrame.h).
#include "meshwork/websocket/WebSocketFrame.h"

#include <mbedtls/base64.h>
#include <mbedtls/sha1.h>

namespace meshwork::websocket {

const char *to_string(FrameError error) {
    switch (error) {
        case FrameError::kOk:
            return "ok";
        case FrameError::kIncomplete:
            return "incomplete frame";
        case FrameError::kReservedBits:
            return "reserved bits set";
        case FrameError::kBadOpcode:
            return "reserved opcode";
        case FrameError::kControlTooLong:
            return "control frame payload over 125 bytes";
        case FrameError::kFragmentedControl:
            return "fragmented control frame";
        case FrameError::kNonMinimalLength:
            return "payload length not in its minimal form";
        case FrameError::kLengthTooLarge:
            return "64-bit payload length with the top bit set";
        case FrameError::kMaskMismatch:
            return "masking does not match the sender's role";
    }
    return "unknown";
}

FrameError parse_header(const uint8_t *d, size_t n, bool expect_masked, FrameHeader &out) {
    if (n < 2) {
        return FrameError::kIncomplete;
    }
    FrameHeader h;
    h.fin = d[0] & 0x80;
    if (d[0] & 0x70) {
        return FrameError::kReservedBits;
    }
    const uint8_t op = d[0] & 0x0F;
    if ((op > 0x2 && op < 0x8) || op > 0xA) {
        return FrameError::kBadOpcode;
    }
    h.opcode = static_cast<Opcode>(op);
    h.masked = d[1] & 0x80;
    if (h.masked != expect_masked) {
        return FrameError::kMaskMismatch;
    }
    const uint8_t len7 = d[1] & 0x7F;
    size_t pos = 2;
    if (len7 < 126) {
        h.payload_length = len7;
    } else if (len7 == 126) {
        if (n < 4) {
            return FrameError::kIncomplete;
        }
        h.payload_length = static_cast<uint64_t>(d[2]) << 8 | d[3];
        if (h.payload_length < 126) {
            return FrameError::kNonMinimalLength;
        }
        pos = 4;
    } else {
        if (n < 10) {
            return FrameError::kIncomplete;
        }
        if (d[2] & 0x80) {
            return FrameError::kLengthTooLarge;
        }
        h.payload_length = 0;
        for (int i = 0; i < 8; ++i) {
            h.payload_length = h.payload_length << 8 | d[2 + i];
        }
        if (h.payload_length <= 0xFFFF) {
            return FrameError::kNonMinimalLength;
        }
        pos = 10;
    }
    if (is_control(h.opcode)) {
        if (!h.fin) {
            return FrameError::kFragmentedControl;
        }
        if (h.payload_length > 125) {
            return FrameError::kControlTooLong;
        }
    }
    if (h.masked) {
        if (n < pos + 4) {
            return FrameError::kIncomplete;
        }
        for (int i = 0; i < 4; ++i) {
            h.mask[i] = d[pos + i];
        }
        pos += 4;
    }
    h.header_length = pos;
    out = h;
    return FrameError::kOk;
}

void apply_mask(uint8_t *data, size_t size, const uint8_t mask[4], size_t offset) {
    for (size_t i = 0; i < size; ++i) {
        data[i] ^= mask[(offset + i) & 3];
    }
}

void encode_frame(Opcode opcode, bool fin, const uint8_t *payload, size_t size, const uint8_t *mask,
                  std::vector<uint8_t> &out) {
    out.push_back(static_cast<uint8_t>((fin ? 0x80 : 0) | static_cast<uint8_t>(opcode)));
    const uint8_t m = mask ? 0x80 : 0;
    if (size < 126) {
        out.push_back(static_cast<uint8_t>(m | size));
    } else if (size <= 0xFFFF) {
        out.push_back(m | 126);
        out.push_back(static_cast<uint8_t>(size >> 8));
        out.push_back(static_cast<uint8_t>(size));
    } else {
        out.push_back(m | 127);
        for (int i = 7; i >= 0; --i) {
            out.push_back(static_cast<uint8_t>(static_cast<uint64_t>(size) >> (8 * i)));
        }
    }
    if (mask) {
        out.insert(out.end(), mask, mask + 4);
    }
    const size_t start = out.size();
    if (size > 0) {
        out.insert(out.end(), payload, payload + size);
    }
    if (mask) {
        apply_mask(out.data() + start, size, mask);
    }
}

namespace {
std::string base64(const uint8_t *data, size_t size) {
    unsigned char buf[64];
    size_t olen = 0;
    if (mbedtls_base64_encode(buf, sizeof buf, &olen, data, size) != 0) {
        return {};
    }
    return std::string(reinterpret_cast<const char *>(buf), olen);
}
}  // namespace

std::string make_key(const uint8_t nonce[16]) {
    return base64(nonce, 16);
}

std::string accept_for(const std::string &key) {
    // The GUID of RFC 6455 section 1.3.
    const std::string input = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    uint8_t digest[20];
    mbedtls_sha1_ret(reinterpret_cast<const unsigned char *>(input.data()), input.size(), digest);
    return base64(digest, sizeof digest);
}

bool valid_utf8(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        const uint8_t c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t len = 0;
        uint32_t cp = 0;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < len) {
            return false;
        }
        for (size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return false;
            }
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false;
        }
        i += len;
    }
    return true;
}

bool valid_close_code(uint16_t code) {
    if (code >= 3000 && code <= 4999) {
        return true;  // registered and private use
    }
    switch (code) {
        case 1000:
        case 1001:
        case 1002:
        case 1003:
        case 1007:
        case 1008:
        case 1009:
        case 1010:
        case 1011:
        case 1012:  // 1012-1014: registered with IANA after the RFC
        case 1013:
        case 1014:
            return true;
        default:
            return false;  // 1004-1006 and 1015 are never sent on the wire
    }
}

}  // namespace meshwork::websocket
