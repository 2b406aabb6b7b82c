// DNS message codec (RFC 1035 section 4.1).
#include "DnsMessage.h"

#include <cstring>

namespace meshwork {
namespace dns {
namespace {

// Bounded big-endian reader over an untrusted message.
class Reader {
  public:
    Reader(const uint8_t *data, size_t len) : data_(data), len_(len) {}

    bool u8(uint8_t *v) { return take(1) ? (*v = data_[pos_ - 1], true) : false; }
    bool u16(uint16_t *v) {
        if (!take(2)) {
            return false;
        }
        *v = uint16_t((data_[pos_ - 2] << 8) | data_[pos_ - 1]);
        return true;
    }
    bool u32(uint32_t *v) {
        if (!take(4)) {
            return false;
        }
        const uint8_t *p = data_ + pos_ - 4;
        *v = (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
        return true;
    }
    bool skip(size_t n) { return take(n); }
    size_t pos() const { return pos_; }
    void seek(size_t pos) { pos_ = pos; }
    const uint8_t *data() const { return data_; }
    size_t size() const { return len_; }

  private:
    bool take(size_t n) {
        if (len_ - pos_ < n) {
            return false;
        }
        pos_ += n;
        return true;
    }

    const uint8_t *data_;
    size_t len_;
    size_t pos_ = 0;
};

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

// Reads a (possibly compressed) name starting at r.pos(), leaving r after the name's bytes in
// place. If `expect` is given, also checks that the name equals it (case-insensitively,
// RFC 1035 section 2.3.3). Compression pointers must point backwards, which bounds the walk.
bool read_name(Reader &r, const char *expect, bool *matches) {
    const uint8_t *msg = r.data();
    size_t len = r.size();
    size_t pos = r.pos();
    size_t resume = 0;  // where the reader continues after the first pointer
    bool jumped = false;
    size_t total = 0;  // text length, bounded by kMaxNameLength
    size_t expect_pos = 0;
    bool equal = expect != nullptr;
    size_t min_target = pos;  // pointers must go strictly before the current label

    while (true) {
        if (pos >= len) {
            return false;
        }
        uint8_t b = msg[pos];
        if ((b & 0xC0) == 0xC0) {
            if (pos + 1 >= len) {
                return false;
            }
            size_t target = (size_t(b & 0x3F) << 8) | msg[pos + 1];
            if (target >= min_target) {
                return false;  // forward or self pointer: could loop
            }
            if (!jumped) {
                resume = pos + 2;
                jumped = true;
            }
            min_target = target;
            pos = target;
            continue;
        }
        if ((b & 0xC0) != 0) {
            return false;  // reserved label types (RFC 6891 extended labels are not used)
        }
        pos++;
        if (b == 0) {
            break;
        }
        if (len - pos < b) {
            return false;
        }
        total += size_t(b) + 1;
        if (total > kMaxNameLength + 1) {
            return false;
        }
        if (equal) {
            if (expect_pos > 0) {
                if (expect[expect_pos] != '.') {
                    equal = false;
                } else {
                    expect_pos++;
                }
            }
            for (size_t i = 0; equal && i < b; i++) {
                char c = expect[expect_pos];
                if (c == '\0' || lower(c) != lower(char(msg[pos + i]))) {
                    equal = false;
                } else {
                    expect_pos++;
                }
            }
        }
        pos += b;
    }
    if (equal) {
        // Accept a trailing dot on the expected name (fully qualified form).
        if (expect[expect_pos] == '.' && expect[expect_pos + 1] == '\0') {
            expect_pos++;
        }
        equal = expect[expect_pos] == '\0';
    }
    if (matches) {
        *matches = equal;
    }
    r.seek(jumped ? resume : pos);
    return true;
}

}  // namespace

EncodeStatus encode_query(uint16_t id, const char *name, uint16_t qtype, uint8_t *out,
                          size_t capacity, size_t *written) {
    if (!name || name[0] == '\0') {
        return EncodeStatus::kBadName;
    }
    size_t name_len = strlen(name);
    if (name_len > kMaxNameLength) {
        return EncodeStatus::kBadName;
    }
    // Header (12) + labels (name_len + 1, plus the root byte) + QTYPE + QCLASS.
    size_t need = kHeaderSize + name_len + 2 + 4;
    if (capacity < need) {
        return EncodeStatus::kNoSpace;
    }
    const uint8_t header[kHeaderSize] = {
        uint8_t(id >> 8), uint8_t(id), 0x01 /* RD */, 0x00, 0, 1 /* QDCOUNT */, 0, 0, 0, 0, 0, 0};
    memcpy(out, header, sizeof(header));
    size_t pos = kHeaderSize;
    const char *p = name;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t label = dot ? size_t(dot - p) : strlen(p);
        if (label == 0 || label > kMaxLabelLength) {
            return EncodeStatus::kBadName;
        }
        out[pos++] = uint8_t(label);
        for (size_t i = 0; i < label; i++) {
            unsigned char c = static_cast<unsigned char>(p[i]);
            if (c <= ' ' || c >= 0x7f) {
                return EncodeStatus::kBadName;  // control, space or non-ASCII
            }
            out[pos++] = c;
        }
        p += label;
        if (*p == '.') {
            p++;  // a final dot (fully qualified name) simply ends the loop
        }
    }
    out[pos++] = 0;
    out[pos++] = uint8_t(qtype >> 8);
    out[pos++] = uint8_t(qtype);
    out[pos++] = 0;
    out[pos++] = uint8_t(kClassIn);
    *written = pos;
    return EncodeStatus::kOk;
}

ParseStatus parse_response(const uint8_t *msg, size_t len, uint16_t id, const char *name,
                           uint16_t qtype, Record *records, size_t max_records, size_t *count) {
    *count = 0;
    if (!msg) {
        return ParseStatus::kMalformed;
    }
    Reader r(msg, len);
    uint16_t rid, flags, qdcount, ancount, nscount, arcount;
    if (!r.u16(&rid) || !r.u16(&flags) || !r.u16(&qdcount) || !r.u16(&ancount) ||
        !r.u16(&nscount) || !r.u16(&arcount)) {
        return ParseStatus::kMalformed;
    }
    bool qr = flags & 0x8000;
    unsigned opcode = (flags >> 11) & 0xF;
    bool tc = flags & 0x0200;
    unsigned rcode = flags & 0xF;
    if (!qr || rid != id || opcode != 0) {
        return ParseStatus::kNotResponse;
    }
    // The question must be echoed (RFC 1035 section 4.1.1), except that some servers omit it
    // in error responses.
    if (qdcount > 1) {
        return ParseStatus::kMalformed;
    }
    if (qdcount == 1) {
        bool same = false;
        uint16_t type, klass;
        if (!read_name(r, name, &same) || !r.u16(&type) || !r.u16(&klass)) {
            return ParseStatus::kMalformed;
        }
        if (!same || type != qtype || klass != kClassIn) {
            return ParseStatus::kNotResponse;
        }
    } else if (rcode == 0) {
        return ParseStatus::kMalformed;
    }
    if (rcode == 3) {
        return ParseStatus::kNameError;
    }
    if (rcode != 0) {
        return ParseStatus::kServerFailure;
    }

    size_t stored = 0;
    for (unsigned i = 0; i < ancount; i++) {
        uint16_t type, klass, rdlength;
        uint32_t ttl;
        if (!read_name(r, nullptr, nullptr) || !r.u16(&type) || !r.u16(&klass) || !r.u32(&ttl) ||
            !r.u16(&rdlength)) {
            return ParseStatus::kMalformed;
        }
        size_t rdata = r.pos();
        if (!r.skip(rdlength)) {
            return ParseStatus::kMalformed;
        }
        if (klass != kClassIn || type != qtype) {
            continue;  // CNAME and anything else: the addresses follow in this section
        }
        size_t want = type == kTypeA ? NSAPI_IPv4_BYTES : NSAPI_IPv6_BYTES;
        if (rdlength != want) {
            return ParseStatus::kMalformed;
        }
        if (stored < max_records) {
            Record &rec = records[stored++];
            memset(&rec.addr, 0, sizeof(rec.addr));
            rec.addr.version = type == kTypeA ? NSAPI_IPv4 : NSAPI_IPv6;
            memcpy(rec.addr.bytes, msg + rdata, want);
            // RFC 2181 section 8: a TTL with the top bit set is treated as zero.
            rec.ttl = (ttl & 0x80000000u) ? 0 : ttl;
        }
    }
    if (tc && stored == 0) {
        return ParseStatus::kServerFailure;  // truncated and nothing usable (no TCP fallback)
    }
    *count = stored;
    return ParseStatus::kOk;
}

}  // namespace dns
}  // namespace meshwork
