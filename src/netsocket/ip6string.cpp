// IPv6 text conversion: RFC 4291 section 2.2 parsing, RFC 5952 section 4 printing.
#include "ip6string.h"
#include "ip4string.h"

#include <string.h>

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// Strict parser. Pieces are 1-4 hex digits separated by ':'; one "::" may stand for one or
// more zero groups; the last 32 bits may be written as a dotted quad.
bool parse_ip6(const char *s, size_t len, uint8_t out[16]) {
    uint16_t groups[8];
    int count = 0;
    int gap = -1;  // index in groups where "::" was seen
    size_t pos = 0;

    if (len >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        pos = 2;
        if (pos == len) {
            memset(out, 0, 16);
            return true;
        }
    } else if (len == 0 || s[0] == ':') {
        return false;
    }

    while (true) {
        // One piece: hex group, or dotted quad if a '.' follows the digits.
        size_t start = pos;
        unsigned value = 0;
        while (pos < len && hex_value(s[pos]) >= 0 && pos - start < 5) {
            value = (value << 4) | unsigned(hex_value(s[pos]));
            pos++;
        }
        size_t digits = pos - start;
        if (pos < len && s[pos] == '.') {
            // Embedded IPv4 must be the final piece and fit in the remaining groups.
            if (count > 6) {
                return false;
            }
            uint8_t v4[4];
            if (!stoip4(s + start, len - start, v4)) {
                return false;
            }
            groups[count++] = uint16_t((v4[0] << 8) | v4[1]);
            groups[count++] = uint16_t((v4[2] << 8) | v4[3]);
            pos = len;
            break;
        }
        if (digits == 0 || digits > 4 || count >= 8) {
            return false;
        }
        groups[count++] = uint16_t(value);
        if (pos == len) {
            break;
        }
        if (s[pos] != ':') {
            return false;  // garbage
        }
        pos++;
        if (pos < len && s[pos] == ':') {
            if (gap >= 0) {
                return false;  // second "::"
            }
            gap = count;
            pos++;
            if (pos == len) {
                break;  // trailing "::"
            }
            if (s[pos] == ':') {
                return false;  // ":::"
            }
        } else if (pos == len) {
            return false;  // trailing single ':'
        }
    }

    if (gap < 0 && count != 8) {
        return false;
    }
    if (gap >= 0 && count > 7) {
        return false;  // "::" must stand for at least one group
    }
    uint16_t full[8] = {0};
    if (gap < 0) {
        memcpy(full, groups, sizeof(full));
    } else {
        int tail = count - gap;
        for (int i = 0; i < gap; i++) {
            full[i] = groups[i];
        }
        for (int i = 0; i < tail; i++) {
            full[8 - tail + i] = groups[gap + i];
        }
    }
    for (int i = 0; i < 8; i++) {
        out[2 * i] = uint8_t(full[i] >> 8);
        out[2 * i + 1] = uint8_t(full[i]);
    }
    return true;
}

}  // namespace

extern "C" bool stoip6(const char *ip6addr, size_t len, void *dest) {
    if (!dest) {
        return false;
    }
    uint8_t out[16];
    if (!ip6addr || !parse_ip6(ip6addr, len, out)) {
        memset(dest, 0, 16);
        return false;
    }
    memcpy(dest, out, 16);
    return true;
}

extern "C" uint_fast8_t ip6tos(const void *ip6addr, char *p) {
    const uint8_t *b = static_cast<const uint8_t *>(ip6addr);
    uint16_t g[8];
    for (int i = 0; i < 8; i++) {
        g[i] = uint16_t((b[2 * i] << 8) | b[2 * i + 1]);
    }
    // RFC 5952 4.2: the longest run of at least two zero groups; the first one on ties.
    int best_start = -1, best_len = 1;
    for (int i = 0; i < 8;) {
        if (g[i] != 0) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && g[j] == 0) {
            j++;
        }
        if (j - i > best_len) {
            best_start = i;
            best_len = j - i;
        }
        i = j;
    }
    static const char kHex[] = "0123456789abcdef";
    uint_fast8_t n = 0;
    for (int i = 0; i < 8; i++) {
        if (i == best_start) {
            p[n++] = ':';
            p[n++] = ':';
            i += best_len - 1;
            continue;
        }
        if (i > 0 && i != best_start + best_len) {
            p[n++] = ':';
        }
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            unsigned nibble = (g[i] >> shift) & 0xf;
            if (nibble || started || shift == 0) {
                p[n++] = kHex[nibble];
                started = true;
            }
        }
    }
    p[n] = '\0';
    return n;
}

extern "C" uint_fast8_t ip6_prefix_tos(const void *prefix, uint_fast8_t prefixlen, char *p) {
    if (prefixlen > 128) {
        return 0;
    }
    uint8_t masked[16] = {0};
    const uint8_t *src = static_cast<const uint8_t *>(prefix);
    for (unsigned bit = 0; bit < prefixlen; bit += 8) {
        unsigned keep = prefixlen - bit >= 8 ? 8 : prefixlen - bit;
        masked[bit / 8] = uint8_t(src[bit / 8] & (0xff00u >> keep));
    }
    uint_fast8_t n = ip6tos(masked, p);
    p[n++] = '/';
    if (prefixlen >= 100) {
        p[n++] = char('0' + prefixlen / 100);
    }
    if (prefixlen >= 10) {
        p[n++] = char('0' + (prefixlen / 10) % 10);
    }
    p[n++] = char('0' + prefixlen % 10);
    p[n] = '\0';
    return n;
}

extern "C" unsigned char sipv6_prefixlength(const char *ip6addr) {
    const char *slash = strchr(ip6addr, '/');
    return static_cast<unsigned char>(slash ? slash - ip6addr : strlen(ip6addr));
}

extern "C" int stoip6_prefix(const char *ip6addr, void *dest, int_fast16_t *prefix_len_out) {
    if (!ip6addr || !dest) {
        return -1;
    }
    size_t addr_len = sipv6_prefixlength(ip6addr);
    if (!stoip6(ip6addr, addr_len, dest)) {
        return -1;
    }
    int_fast16_t prefix = -1;
    if (ip6addr[addr_len] == '/') {
        const char *q = ip6addr + addr_len + 1;
        if (*q == '\0') {
            return -1;
        }
        prefix = 0;
        for (; *q; q++) {
            if (*q < '0' || *q > '9' || prefix > 128) {
                return -1;
            }
            prefix = int_fast16_t(prefix * 10 + (*q - '0'));
        }
        if (prefix > 128) {
            return -1;
        }
    }
    if (prefix_len_out) {
        *prefix_len_out = prefix;
    }
    return 0;
}
