#include "core/IpEndpoint.h"

#include <cstdio>
#include <cstring>

namespace meshwork {

namespace {

constexpr std::uint8_t kV4MappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

}  // namespace

IpEndpoint IpEndpoint::v6(const std::uint8_t *bytes, std::uint16_t port) {
    IpEndpoint e;
    std::memcpy(e.address.data(), bytes, 16);
    e.port = port;
    return e;
}

IpEndpoint IpEndpoint::v4(const std::uint8_t *bytes, std::uint16_t port) {
    IpEndpoint e;
    std::memcpy(e.address.data(), kV4MappedPrefix, 12);
    std::memcpy(e.address.data() + 12, bytes, 4);
    e.port = port;
    return e;
}

IpEndpoint IpEndpoint::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d,
                          std::uint16_t port) {
    const std::uint8_t bytes[4] = {a, b, c, d};
    return v4(bytes, port);
}

bool IpEndpoint::is_v4() const {
    return std::memcmp(address.data(), kV4MappedPrefix, 12) == 0;
}

bool IpEndpoint::is_unspecified() const {
    for (auto b : address)
        if (b != 0)
            return false;
    return true;
}

std::size_t IpEndpoint::format_address(char *out, std::size_t size) const {
    char buf[48];
    std::size_t n = 0;
    if (is_v4()) {
        const std::uint8_t *v = v4_bytes();
        n = static_cast<std::size_t>(
            std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]));
    } else {
        std::uint16_t g[8];
        for (int i = 0; i < 8; ++i)
            g[i] = static_cast<std::uint16_t>(address[2 * i] << 8 | address[2 * i + 1]);
        // RFC 5952 4.2: compress the first longest run of at least two zero groups.
        int best = -1, best_len = 0;
        for (int i = 0; i < 8;) {
            if (g[i] != 0) {
                ++i;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0)
                ++j;
            if (j - i > best_len && j - i >= 2) {
                best = i;
                best_len = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; ++i) {
            if (i == best) {
                n += static_cast<std::size_t>(std::snprintf(buf + n, sizeof buf - n, "::"));
                i += best_len - 1;
                continue;
            }
            const bool colon = i > 0 && i != best + best_len;
            n += static_cast<std::size_t>(
                std::snprintf(buf + n, sizeof buf - n, colon ? ":%x" : "%x", g[i]));
        }
    }
    if (size > 0) {
        const std::size_t copy = n < size ? n : size - 1;
        std::memcpy(out, buf, copy);
        out[copy] = '\0';
    }
    return n;
}

std::string IpEndpoint::to_string() const {
    char addr[48];
    format_address(addr, sizeof addr);
    char buf[64];
    std::snprintf(buf, sizeof buf, is_v4() ? "%s:%u" : "[%s]:%u", addr,
                  static_cast<unsigned>(port));
    return buf;
}

}  // namespace meshwork
