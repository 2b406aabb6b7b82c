// Dotted-quad IPv4 text conversion (RFC 791 addresses, conventional decimal notation).
#include "ip4string.h"

#include <string.h>

extern "C" bool stoip4(const char *ip4addr, size_t len, void *dest) {
    if (!ip4addr || !dest) {
        return false;
    }
    uint8_t out[4];
    size_t pos = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (pos >= len || ip4addr[pos] != '.') {
                return false;
            }
            pos++;
        }
        unsigned value = 0;
        size_t digits = 0;
        while (pos < len && ip4addr[pos] >= '0' && ip4addr[pos] <= '9') {
            if (++digits > 3) {
                return false;
            }
            value = value * 10 + unsigned(ip4addr[pos] - '0');
            pos++;
        }
        if (digits == 0 || value > 255) {
            return false;
        }
        out[part] = uint8_t(value);
    }
    if (pos != len) {
        return false;  // trailing characters
    }
    memcpy(dest, out, sizeof(out));
    return true;
}

extern "C" uint_fast8_t ip4tos(const void *ip4addr, char *p) {
    const uint8_t *b = static_cast<const uint8_t *>(ip4addr);
    uint_fast8_t n = 0;
    for (int i = 0; i < 4; i++) {
        if (i > 0) {
            p[n++] = '.';
        }
        unsigned v = b[i];
        if (v >= 100) {
            p[n++] = char('0' + v / 100);
        }
        if (v >= 10) {
            p[n++] = char('0' + (v / 10) % 10);
        }
        p[n++] = char('0' + v % 10);
    }
    p[n] = '\0';
    return n;
}
