#include "wire/Checksum.h"

#include <cstring>

namespace meshwork::wire {

namespace {

// The one's-complement sum of `n` (even) bytes read as 16-bit words in the machine's byte order,
// folded to 16 bits. Eight bytes at a time, as two 32-bit halves, so a 64-bit accumulator
// cannot overflow for any span shorter than 2^31 words of eight bytes.
std::uint16_t native_sum(const std::uint8_t *p, std::size_t n) {
    std::uint64_t a = 0, b = 0;  // two chains, so consecutive adds do not wait on each other
    while (n >= 16) {
        std::uint64_t x, y;
        std::memcpy(&x, p, 8);
        std::memcpy(&y, p + 8, 8);
        a += (x & 0xffffffffu) + (x >> 32);
        b += (y & 0xffffffffu) + (y >> 32);
        p += 16;
        n -= 16;
    }
    a += b;
    while (n >= 2) {
        std::uint16_t w;
        std::memcpy(&w, p, 2);
        a += w;
        p += 2;
        n -= 2;
    }
    while (a >> 16)
        a = (a & 0xffff) + (a >> 16);
    return static_cast<std::uint16_t>(a);
}

}  // namespace

Checksum &Checksum::add(ByteSpan bytes) {
    const std::uint8_t *p = bytes.data;
    std::size_t n = bytes.size;
    if (n == 0)
        return *this;
    if (odd_) {
        // The previous span ended mid-word: this byte is the word's low half.
        acc_ += p[0];
        ++p;
        --n;
        odd_ = false;
    }
    // The sum is independent of byte order (RFC 1071 2 (B)): summed in the machine's order
    // and folded, then swapped to network order on a little-endian machine. Folding happens
    // again once in sum().
    const std::size_t even = n & ~std::size_t{1};
    if (even != 0) {
        const std::uint16_t folded = native_sum(p, even);
        if constexpr (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
            acc_ += static_cast<std::uint16_t>(folded << 8 | folded >> 8);
        } else {
            acc_ += folded;
        }
        p += even;
        n -= even;
    }
    if (n == 1) {
        acc_ += static_cast<std::uint32_t>(p[0]) << 8;
        odd_ = true;
    }
    return *this;
}

Checksum &Checksum::add_u16(std::uint16_t v) {
    const std::uint8_t b[2] = {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
    return add(ByteSpan(b, 2));
}

Checksum &Checksum::add_u32(std::uint32_t v) {
    add_u16(static_cast<std::uint16_t>(v >> 16));
    return add_u16(static_cast<std::uint16_t>(v));
}

Checksum &Checksum::add_ip6_pseudo_header(const Ip6Address &src, const Ip6Address &dst,
                                          std::uint32_t upper_layer_length,
                                          std::uint8_t next_header) {
    add(src.span());
    add(dst.span());
    add_u32(upper_layer_length);
    return add_u32(next_header);
}

std::uint16_t Checksum::compute_upper(const PseudoHeader &ph, std::uint8_t next_header,
                                      ByteSpan message, std::size_t checksum_offset) {
    Checksum c;
    c.add_ip6_pseudo_header(ph, static_cast<std::uint32_t>(message.size), next_header);
    c.add(message.subspan(0, checksum_offset));
    c.add(message.subspan(checksum_offset + 2));
    return c.finish();
}

bool Checksum::verify_upper(const PseudoHeader &ph, std::uint8_t next_header, ByteSpan message) {
    Checksum c;
    c.add_ip6_pseudo_header(ph, static_cast<std::uint32_t>(message.size), next_header);
    return c.add(message).verifies();
}

std::uint16_t Checksum::sum() const {
    std::uint64_t s = acc_;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return static_cast<std::uint16_t>(s);
}

}  // namespace meshwork::wire
