// MQTT 3.1.1 packet encoding and the total decoder (see MqttCodec.h).
#include "meshwork/mqtt/MqttCodec.h"

#include "meshwork/mqtt/MqttTopic.h"

namespace meshwork::mqtt {

namespace {

constexpr uint8_t kProtocolLevel = 4;  // section 3.1.2.2

/// A bounded read cursor: every read checks the remaining bytes and records the first failure.
class Reader {
  public:
    Reader(const uint8_t *data, size_t size) : data_(data), size_(size) {}

    bool u8(uint8_t &v) {
        if (!need(1)) {
            return false;
        }
        v = data_[pos_++];
        return true;
    }
    bool u16(uint16_t &v) {
        if (!need(2)) {
            return false;
        }
        v = static_cast<uint16_t>(data_[pos_] << 8 | data_[pos_ + 1]);
        pos_ += 2;
        return true;
    }
    bool bytes(std::vector<uint8_t> &v) {
        uint16_t n = 0;
        if (!u16(n) || !need(n)) {
            return false;
        }
        v.assign(data_ + pos_, data_ + pos_ + n);
        pos_ += n;
        return true;
    }
    bool string(std::string &v) {
        uint16_t n = 0;
        if (!u16(n) || !need(n)) {
            return false;
        }
        if (!valid_utf8(data_ + pos_, n)) {
            fail(CodecError::kBadUtf8);
            return false;
        }
        v.assign(reinterpret_cast<const char *>(data_ + pos_), n);
        pos_ += n;
        return true;
    }
    void rest(std::vector<uint8_t> &v) {
        v.assign(data_ + pos_, data_ + size_);
        pos_ = size_;
    }
    bool at_end() const { return pos_ == size_; }
    void fail(CodecError e) {
        if (error_ == CodecError::kOk) {
            error_ = e;
        }
    }
    CodecError error() const { return error_; }

  private:
    bool need(size_t n) {
        if (size_ - pos_ < n) {
            fail(CodecError::kTruncated);
            return false;
        }
        return true;
    }
    const uint8_t *data_;
    size_t size_;
    size_t pos_ = 0;
    CodecError error_ = CodecError::kOk;
};

void put_u16(std::vector<uint8_t> &out, uint16_t v) {
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
}

bool put_bytes(std::vector<uint8_t> &out, const void *data, size_t size) {
    if (size > 0xFFFF) {
        return false;
    }
    put_u16(out, static_cast<uint16_t>(size));
    const auto *p = static_cast<const uint8_t *>(data);
    out.insert(out.end(), p, p + size);
    return true;
}

bool utf8(const std::string &s) {
    return valid_utf8(reinterpret_cast<const uint8_t *>(s.data()), s.size());
}

/// Fixed-header flags each type must carry (section 2.2.2); PUBLISH is checked separately.
uint8_t required_flags(PacketType t) {
    switch (t) {
        case PacketType::kPubrel:
        case PacketType::kSubscribe:
        case PacketType::kUnsubscribe:
            return 0x2;
        default:
            return 0x0;
    }
}

bool has_packet_id(const Packet &p) {
    switch (p.type) {
        case PacketType::kPublish:
            return p.qos > 0;
        case PacketType::kPuback:
        case PacketType::kPubrec:
        case PacketType::kPubrel:
        case PacketType::kPubcomp:
        case PacketType::kSubscribe:
        case PacketType::kSuback:
        case PacketType::kUnsubscribe:
        case PacketType::kUnsuback:
            return true;
        default:
            return false;
    }
}

CodecError encode_body(const Packet &p, std::vector<uint8_t> &b) {
    if (has_packet_id(p)) {
        if (p.packet_id == 0) {
            return CodecError::kBadPacketId;
        }
    }
    switch (p.type) {
        case PacketType::kConnect: {
            static const char kName[] = "MQTT";
            put_bytes(b, kName, 4);
            b.push_back(kProtocolLevel);
            if (p.has_will && p.will.qos > 2) {
                return CodecError::kBadQos;
            }
            if (p.has_password && !p.has_username) {
                return CodecError::kBadConnectFlags;  // section 3.1.2.9
            }
            uint8_t flags = 0;
            flags |= p.has_username ? 0x80 : 0;
            flags |= p.has_password ? 0x40 : 0;
            if (p.has_will) {
                flags |= 0x04 | static_cast<uint8_t>(p.will.qos << 3) | (p.will.retain ? 0x20 : 0);
            }
            flags |= p.clean_session ? 0x02 : 0;
            b.push_back(flags);
            put_u16(b, p.keep_alive_s);
            if (!valid_utf8(reinterpret_cast<const uint8_t *>(p.client_id.data()),
                            p.client_id.size())) {
                return CodecError::kBadUtf8;
            }
            if (!put_bytes(b, p.client_id.data(), p.client_id.size())) {
                return CodecError::kTooLarge;
            }
            if (p.has_will) {
                if (!valid_topic_name(p.will.topic)) {
                    return CodecError::kBadTopic;
                }
                if (!utf8(p.will.topic)) {
                    return CodecError::kBadUtf8;
                }
                if (!put_bytes(b, p.will.topic.data(), p.will.topic.size()) ||
                    !put_bytes(b, p.will.payload.data(), p.will.payload.size())) {
                    return CodecError::kTooLarge;
                }
            }
            if (p.has_username) {
                if (!valid_utf8(reinterpret_cast<const uint8_t *>(p.username.data()),
                                p.username.size())) {
                    return CodecError::kBadUtf8;
                }
                if (!put_bytes(b, p.username.data(), p.username.size())) {
                    return CodecError::kTooLarge;
                }
            }
            if (p.has_password && !put_bytes(b, p.password.data(), p.password.size())) {
                return CodecError::kTooLarge;
            }
            return CodecError::kOk;
        }
        case PacketType::kConnack:
            if (static_cast<uint8_t>(p.return_code) > 5) {
                return CodecError::kBadReturnCode;
            }
            b.push_back(p.session_present ? 1 : 0);
            b.push_back(static_cast<uint8_t>(p.return_code));
            return CodecError::kOk;
        case PacketType::kPublish:
            if (p.qos > 2) {
                return CodecError::kBadQos;
            }
            if (!valid_topic_name(p.topic)) {
                return CodecError::kBadTopic;
            }
            if (!utf8(p.topic)) {
                return CodecError::kBadUtf8;
            }
            put_bytes(b, p.topic.data(), p.topic.size());
            if (p.qos > 0) {
                put_u16(b, p.packet_id);
            }
            b.insert(b.end(), p.payload.begin(), p.payload.end());
            return CodecError::kOk;
        case PacketType::kPuback:
        case PacketType::kPubrec:
        case PacketType::kPubrel:
        case PacketType::kPubcomp:
        case PacketType::kUnsuback:
            put_u16(b, p.packet_id);
            return CodecError::kOk;
        case PacketType::kSubscribe:
        case PacketType::kUnsubscribe:
            if (p.subscriptions.empty()) {
                return CodecError::kEmptyPayload;
            }
            put_u16(b, p.packet_id);
            for (const auto &s : p.subscriptions) {
                if (!valid_topic_filter(s.filter)) {
                    return CodecError::kBadTopic;
                }
                if (!utf8(s.filter)) {
                    return CodecError::kBadUtf8;
                }
                put_bytes(b, s.filter.data(), s.filter.size());
                if (p.type == PacketType::kSubscribe) {
                    if (s.qos > 2) {
                        return CodecError::kBadQos;
                    }
                    b.push_back(s.qos);
                }
            }
            return CodecError::kOk;
        case PacketType::kSuback:
            if (p.return_codes.empty()) {
                return CodecError::kEmptyPayload;
            }
            put_u16(b, p.packet_id);
            for (uint8_t rc : p.return_codes) {
                if (rc > 2 && rc != kSubackFailure) {
                    return CodecError::kBadReturnCode;
                }
                b.push_back(rc);
            }
            return CodecError::kOk;
        case PacketType::kPingreq:
        case PacketType::kPingresp:
        case PacketType::kDisconnect:
            return CodecError::kOk;
    }
    return CodecError::kBadType;
}

CodecError decode_body(PacketType type, uint8_t flags, Reader &r, Packet &p) {
    switch (type) {
        case PacketType::kConnect: {
            std::string name;
            uint8_t level = 0, cflags = 0;
            if (!r.string(name) || !r.u8(level)) {
                return r.error();
            }
            if (name != "MQTT" || level != kProtocolLevel) {
                return CodecError::kBadProtocol;
            }
            if (!r.u8(cflags) || !r.u16(p.keep_alive_s)) {
                return r.error();
            }
            const bool will = cflags & 0x04;
            const uint8_t will_qos = (cflags >> 3) & 0x3;
            const bool will_retain = cflags & 0x20;
            if ((cflags & 0x01) || will_qos == 3 || (!will && (will_qos != 0 || will_retain)) ||
                ((cflags & 0x40) && !(cflags & 0x80))) {
                return CodecError::kBadConnectFlags;  // sections 3.1.2.3, 3.1.2.6-3.1.2.9
            }
            p.clean_session = cflags & 0x02;
            p.has_will = will;
            p.has_username = cflags & 0x80;
            p.has_password = cflags & 0x40;
            if (!r.string(p.client_id)) {
                return r.error();
            }
            if (will) {
                p.will.qos = will_qos;
                p.will.retain = will_retain;
                if (!r.string(p.will.topic) || !r.bytes(p.will.payload)) {
                    return r.error();
                }
                if (!valid_topic_name(p.will.topic)) {
                    return CodecError::kBadTopic;
                }
            }
            if (p.has_username && !r.string(p.username)) {
                return r.error();
            }
            if (p.has_password && !r.bytes(p.password)) {
                return r.error();
            }
            return CodecError::kOk;
        }
        case PacketType::kConnack: {
            uint8_t ack = 0, rc = 0;
            if (!r.u8(ack) || !r.u8(rc)) {
                return r.error();
            }
            if (ack & 0xFE) {
                return CodecError::kBadFlags;  // section 3.2.2.1: reserved bits
            }
            if (rc > 5) {
                return CodecError::kBadReturnCode;
            }
            p.session_present = ack & 1;
            p.return_code = static_cast<ConnectReturnCode>(rc);
            return CodecError::kOk;
        }
        case PacketType::kPublish: {
            p.dup = flags & 0x8;
            p.qos = (flags >> 1) & 0x3;
            p.retain = flags & 0x1;
            if (p.qos == 3) {
                return CodecError::kBadQos;
            }
            if (p.qos == 0 && p.dup) {
                return CodecError::kBadFlags;  // section 3.3.1.1
            }
            if (!r.string(p.topic)) {
                return r.error();
            }
            if (!valid_topic_name(p.topic)) {
                return CodecError::kBadTopic;
            }
            if (p.qos > 0) {
                if (!r.u16(p.packet_id)) {
                    return r.error();
                }
                if (p.packet_id == 0) {
                    return CodecError::kBadPacketId;
                }
            }
            r.rest(p.payload);
            return CodecError::kOk;
        }
        case PacketType::kPuback:
        case PacketType::kPubrec:
        case PacketType::kPubrel:
        case PacketType::kPubcomp:
        case PacketType::kUnsuback:
            if (!r.u16(p.packet_id)) {
                return r.error();
            }
            return p.packet_id == 0 ? CodecError::kBadPacketId : CodecError::kOk;
        case PacketType::kSubscribe:
        case PacketType::kUnsubscribe:
            if (!r.u16(p.packet_id)) {
                return r.error();
            }
            if (p.packet_id == 0) {
                return CodecError::kBadPacketId;
            }
            if (r.at_end()) {
                return CodecError::kEmptyPayload;
            }
            while (!r.at_end()) {
                Subscription s;
                if (!r.string(s.filter)) {
                    return r.error();
                }
                if (!valid_topic_filter(s.filter)) {
                    return CodecError::kBadTopic;
                }
                if (type == PacketType::kSubscribe) {
                    if (!r.u8(s.qos)) {
                        return r.error();
                    }
                    if (s.qos > 2) {
                        return CodecError::kBadQos;  // upper six bits reserved (3.8.3.1)
                    }
                }
                p.subscriptions.push_back(std::move(s));
            }
            return CodecError::kOk;
        case PacketType::kSuback:
            if (!r.u16(p.packet_id)) {
                return r.error();
            }
            if (p.packet_id == 0) {
                return CodecError::kBadPacketId;
            }
            if (r.at_end()) {
                return CodecError::kEmptyPayload;
            }
            while (!r.at_end()) {
                uint8_t rc = 0;
                r.u8(rc);
                if (rc > 2 && rc != kSubackFailure) {
                    return CodecError::kBadReturnCode;
                }
                p.return_codes.push_back(rc);
            }
            return CodecError::kOk;
        case PacketType::kPingreq:
        case PacketType::kPingresp:
        case PacketType::kDisconnect:
            return CodecError::kOk;
    }
    return CodecError::kBadType;
}

}  // namespace

const char *to_string(CodecError error) {
    switch (error) {
        case CodecError::kOk:
            return "ok";
        case CodecError::kIncomplete:
            return "incomplete packet";
        case CodecError::kBadType:
            return "reserved packet type";
        case CodecError::kBadFlags:
            return "invalid fixed-header or reserved flags";
        case CodecError::kBadRemainingLength:
            return "malformed remaining length";
        case CodecError::kTruncated:
            return "field runs past the remaining length";
        case CodecError::kTrailingBytes:
            return "unexpected bytes after the packet's fields";
        case CodecError::kBadUtf8:
            return "ill-formed UTF-8 string";
        case CodecError::kBadProtocol:
            return "protocol name or level is not MQTT 3.1.1";
        case CodecError::kBadConnectFlags:
            return "invalid CONNECT flags";
        case CodecError::kBadQos:
            return "QoS 3 is reserved";
        case CodecError::kBadPacketId:
            return "packet identifier 0";
        case CodecError::kEmptyPayload:
            return "no topic filters or return codes";
        case CodecError::kBadTopic:
            return "invalid topic name or filter";
        case CodecError::kBadReturnCode:
            return "undefined return code";
        case CodecError::kTooLarge:
            return "string or packet too large";
    }
    return "unknown";
}

bool valid_utf8(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        const uint8_t c = s[i];
        uint32_t cp = 0;
        size_t len = 0;
        if (c < 0x80) {
            cp = c;
            len = 1;
        } else if ((c & 0xE0) == 0xC0) {
            cp = c & 0x1F;
            len = 2;
        } else if ((c & 0xF0) == 0xE0) {
            cp = c & 0x0F;
            len = 3;
        } else if ((c & 0xF8) == 0xF0) {
            cp = c & 0x07;
            len = 4;
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
        if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0) {
            return false;  // overlong, out of range, surrogate, or U+0000 (section 1.5.3)
        }
        i += len;
    }
    return true;
}

CodecError encode(const Packet &packet, std::vector<uint8_t> &out) {
    std::vector<uint8_t> body;
    const CodecError e = encode_body(packet, body);
    if (e != CodecError::kOk) {
        return e;
    }
    if (body.size() > kMaxRemainingLength) {
        return CodecError::kTooLarge;
    }
    uint8_t flags = required_flags(packet.type);
    if (packet.type == PacketType::kPublish) {
        if (packet.qos == 0 && packet.dup) {
            return CodecError::kBadFlags;
        }
        flags = static_cast<uint8_t>((packet.dup ? 0x8 : 0) | packet.qos << 1 |
                                     (packet.retain ? 1 : 0));
    }
    out.push_back(static_cast<uint8_t>(static_cast<uint8_t>(packet.type) << 4 | flags));
    size_t len = body.size();
    do {
        uint8_t digit = len % 128;
        len /= 128;
        out.push_back(len > 0 ? (digit | 0x80) : digit);
    } while (len > 0);
    out.insert(out.end(), body.begin(), body.end());
    return CodecError::kOk;
}

CodecError frame_length(const uint8_t *data, size_t size, size_t *total) {
    if (size < 1) {
        return CodecError::kIncomplete;
    }
    const uint8_t type = data[0] >> 4;
    if (type == 0 || type == 15) {
        return CodecError::kBadType;
    }
    uint32_t value = 0;
    for (size_t i = 0; i < 4; ++i) {
        if (1 + i >= size) {
            return CodecError::kIncomplete;
        }
        const uint8_t b = data[1 + i];
        value |= static_cast<uint32_t>(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) {
            if (i > 0 && b == 0) {
                return CodecError::kBadRemainingLength;  // non-minimal encoding
            }
            *total = 1 + (i + 1) + value;
            return CodecError::kOk;
        }
    }
    return CodecError::kBadRemainingLength;  // a fifth length byte
}

CodecError decode(const uint8_t *data, size_t size, Packet &out, size_t *consumed) {
    size_t total = 0;
    CodecError e = frame_length(data, size, &total);
    if (e != CodecError::kOk) {
        return e;
    }
    if (size < total) {
        return CodecError::kIncomplete;
    }
    const auto type = static_cast<PacketType>(data[0] >> 4);
    const uint8_t flags = data[0] & 0x0F;
    if (type != PacketType::kPublish && flags != required_flags(type)) {
        return CodecError::kBadFlags;
    }
    size_t header = 2;
    while (data[header - 1] & 0x80) {
        ++header;
    }
    Packet p;
    p.type = type;
    Reader r(data + header, total - header);
    e = decode_body(type, flags, r, p);
    if (e != CodecError::kOk) {
        return e;
    }
    if (!r.at_end()) {
        return CodecError::kTrailingBytes;
    }
    out = std::move(p);
    *consumed = total;
    return CodecError::kOk;
}

}  // namespace meshwork::mqtt
