#include "wire/Ip6Address.h"

namespace meshwork::wire {

Ip6Iid Ip6Iid::from_eui64(const std::uint8_t eui64[8]) {
    Ip6Iid iid;
    std::memcpy(iid.bytes, eui64, 8);
    iid.bytes[0] ^= 0x02;
    return iid;
}

void Ip6Iid::to_eui64(std::uint8_t eui64[8]) const {
    std::memcpy(eui64, bytes, 8);
    eui64[0] ^= 0x02;
}

Ip6Iid Ip6Iid::from_short_address(std::uint16_t short_address) {
    Ip6Iid iid;
    iid.bytes[3] = 0xff;
    iid.bytes[4] = 0xfe;
    iid.bytes[6] = static_cast<std::uint8_t>(short_address >> 8);
    iid.bytes[7] = static_cast<std::uint8_t>(short_address);
    return iid;
}

bool Ip6Iid::is_short_address_form() const {
    return bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0xff &&
           bytes[4] == 0xfe && bytes[5] == 0;
}

Ip6Address Ip6Address::from_bytes(const std::uint8_t *p) {
    Ip6Address a;
    std::memcpy(a.bytes, p, kSize);
    return a;
}

Ip6Address Ip6Address::from_span(ByteSpan s) {
    Ip6Address a;
    if (s.size >= kSize)
        std::memcpy(a.bytes, s.data, kSize);
    return a;
}

Ip6Address Ip6Address::from_prefix_iid(const Ip6Address &prefix, const Ip6Iid &iid) {
    Ip6Address a;
    std::memcpy(a.bytes, prefix.bytes, 8);
    a.set_iid(iid);
    return a;
}

Ip6Address Ip6Address::link_local(const Ip6Iid &iid) {
    Ip6Address a;
    a.bytes[0] = 0xfe;
    a.bytes[1] = 0x80;
    a.set_iid(iid);
    return a;
}

Ip6Address Ip6Address::solicited_node(const Ip6Address &unicast) {
    Ip6Address a;
    a.bytes[0] = 0xff;
    a.bytes[1] = 0x02;
    a.bytes[11] = 0x01;
    a.bytes[12] = 0xff;
    std::memcpy(a.bytes + 13, unicast.bytes + 13, 3);
    return a;
}

Ip6Address Ip6Address::multicast(Ip6Scope scope, std::uint16_t group) {
    Ip6Address a;
    a.bytes[0] = 0xff;
    a.bytes[1] = static_cast<std::uint8_t>(scope);
    a.bytes[14] = static_cast<std::uint8_t>(group >> 8);
    a.bytes[15] = static_cast<std::uint8_t>(group);
    return a;
}

Ip6Address Ip6Address::loopback() {
    Ip6Address a;
    a.bytes[15] = 1;
    return a;
}

bool Ip6Address::is_unspecified() const {
    for (std::uint8_t b : bytes) {
        if (b != 0)
            return false;
    }
    return true;
}

bool Ip6Address::is_loopback() const {
    for (std::size_t i = 0; i < 15; ++i) {
        if (bytes[i] != 0)
            return false;
    }
    return bytes[15] == 1;
}

bool Ip6Address::is_ipv4_mapped() const {
    for (std::size_t i = 0; i < 10; ++i) {
        if (bytes[i] != 0)
            return false;
    }
    return bytes[10] == 0xff && bytes[11] == 0xff;
}

bool Ip6Address::is_solicited_node() const {
    static constexpr std::uint8_t kPrefix[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff};
    return std::memcmp(bytes, kPrefix, sizeof kPrefix) == 0;
}

bool Ip6Address::is_link_scope() const {
    return is_multicast() ? multicast_scope() == static_cast<std::uint8_t>(Ip6Scope::kLinkLocal)
                          : is_link_local();
}

Ip6Iid Ip6Address::iid() const {
    Ip6Iid iid;
    std::memcpy(iid.bytes, bytes + 8, 8);
    return iid;
}

bool Ip6Address::matches_prefix(const Ip6Address &prefix, unsigned prefix_len) const {
    if (prefix_len > 128)
        prefix_len = 128;
    return common_prefix_length(prefix) >= prefix_len;
}

Ip6Address Ip6Address::masked(unsigned prefix_len) const {
    Ip6Address a = *this;
    for (unsigned i = 0; i < kSize; ++i) {
        unsigned bit = i * 8;
        if (bit >= prefix_len) {
            a.bytes[i] = 0;
        } else if (prefix_len - bit < 8) {
            a.bytes[i] &= static_cast<std::uint8_t>(0xff << (8 - (prefix_len - bit)));
        }
    }
    return a;
}

unsigned Ip6Address::common_prefix_length(const Ip6Address &o) const {
    unsigned n = 0;
    for (std::size_t i = 0; i < kSize; ++i) {
        std::uint8_t diff = bytes[i] ^ o.bytes[i];
        if (diff == 0) {
            n += 8;
            continue;
        }
        while ((diff & 0x80) == 0) {
            ++n;
            diff = static_cast<std::uint8_t>(diff << 1);
        }
        break;
    }
    return n;
}

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Parses a dotted-quad IPv4 address occupying the whole of [p, end) into out[4].
bool parse_ipv4(const char *p, const char *end, std::uint8_t out[4]) {
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (p == end || *p != '.')
                return false;
            ++p;
        }
        unsigned v = 0;
        int digits = 0;
        while (p != end && *p >= '0' && *p <= '9') {
            if (digits > 0 && v == 0)
                return false;  // no leading zeros
            v = v * 10 + static_cast<unsigned>(*p - '0');
            if (v > 255)
                return false;
            ++p;
            ++digits;
        }
        if (digits == 0)
            return false;
        out[part] = static_cast<std::uint8_t>(v);
    }
    return p == end;
}

}  // namespace

Result<Ip6Address> Ip6Address::from_text(const char *text) {
    if (text == nullptr)
        return Error::kInvalidArgument;
    const char *end = text + std::strlen(text);
    std::uint8_t out[kSize] = {};
    std::size_t n = 0;  // bytes filled so far
    int gap = -1;       // byte index where "::" was
    const char *p = text;
    if (p == end)
        return Error::kMalformed;
    if (p[0] == ':') {
        if (end - p < 2 || p[1] != ':')
            return Error::kMalformed;
        gap = 0;
        p += 2;
    }
    while (p != end) {
        // Does this group look like the embedded IPv4 tail?
        const char *q = p;
        while (q != end && *q != ':' && *q != '.')
            ++q;
        if (q != end && *q == '.') {
            if (n + 4 > kSize)
                return Error::kMalformed;
            if (!parse_ipv4(p, end, out + n))
                return Error::kMalformed;
            n += 4;
            p = end;
            break;
        }
        unsigned v = 0;
        int digits = 0;
        while (p != end && hex_value(*p) >= 0) {
            if (++digits > 4)
                return Error::kMalformed;
            v = v << 4 | static_cast<unsigned>(hex_value(*p));
            ++p;
        }
        if (digits == 0)
            return Error::kMalformed;
        if (n + 2 > kSize)
            return Error::kMalformed;
        out[n++] = static_cast<std::uint8_t>(v >> 8);
        out[n++] = static_cast<std::uint8_t>(v);
        if (p == end)
            break;
        if (*p != ':')
            return Error::kMalformed;
        ++p;
        if (p != end && *p == ':') {
            if (gap >= 0)
                return Error::kMalformed;
            gap = static_cast<int>(n);
            ++p;
        } else if (p == end) {
            return Error::kMalformed;  // trailing single ':'
        }
    }
    Ip6Address a;
    if (gap >= 0) {
        if (n > kSize - 2)
            return Error::kMalformed;  // "::" must stand for at least one group
        std::size_t tail = n - static_cast<std::size_t>(gap);
        std::memcpy(a.bytes, out, static_cast<std::size_t>(gap));
        std::memcpy(a.bytes + kSize - tail, out + gap, tail);
    } else {
        if (n != kSize)
            return Error::kMalformed;
        std::memcpy(a.bytes, out, kSize);
    }
    return a;
}

std::size_t Ip6Address::to_text(char *out, std::size_t size) const {
    char buf[kTextMax];
    std::size_t len = 0;
    auto put = [&](char c) { buf[len++] = c; };
    auto put_hex16 = [&](unsigned v) {
        static const char kHex[] = "0123456789abcdef";
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            unsigned d = (v >> shift) & 0xf;
            if (d != 0 || started || shift == 0) {
                put(kHex[d]);
                started = true;
            }
        }
    };
    auto put_dec8 = [&](unsigned v) {
        if (v >= 100)
            put(static_cast<char>('0' + v / 100));
        if (v >= 10)
            put(static_cast<char>('0' + v / 10 % 10));
        put(static_cast<char>('0' + v % 10));
    };

    unsigned groups[8];
    for (int i = 0; i < 8; ++i)
        groups[i] = static_cast<unsigned>(bytes[2 * i] << 8 | bytes[2 * i + 1]);
    // RFC 5952 5: IPv4-mapped addresses keep the dotted quad.
    int hex_groups = is_ipv4_mapped() ? 6 : 8;

    // RFC 5952 4.2: compress the longest run (>= 2 groups) of zero groups, the first on a tie.
    int best_start = -1, best_len = 1;
    for (int i = 0; i < hex_groups;) {
        if (groups[i] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < hex_groups && groups[j] == 0)
            ++j;
        if (j - i > best_len) {
            best_start = i;
            best_len = j - i;
        }
        i = j;
    }
    for (int i = 0; i < hex_groups;) {
        if (i == best_start) {
            put(':');
            put(':');
            i += best_len;
            continue;
        }
        if (i > 0 && buf[len - 1] != ':')
            put(':');
        put_hex16(groups[i]);
        ++i;
    }
    if (hex_groups == 6) {
        if (buf[len - 1] != ':')
            put(':');
        for (int i = 12; i < 16; ++i) {
            if (i > 12)
                put('.');
            put_dec8(bytes[i]);
        }
    }
    if (size < len + 1) {
        if (size > 0)
            out[0] = '\0';
        return 0;
    }
    std::memcpy(out, buf, len);
    out[len] = '\0';
    return len;
}

}  // namespace meshwork::wire
