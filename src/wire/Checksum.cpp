#include "wire/Checksum.h"

#include <cstring>

namespace meshwork::wire {

namespace {

// The one's-complement sum of `n` (even) bytes read as 16-bit words in the machine's byte order,
// folded to 16 bits. Since 2^16 = 1 modulo 2^16 - 1, a sum of 64-bit words folds to the same
// value as the sum of their 16-bit words, so the bytes are added eight at a time, each add's
// carry (worth 2^64 = 1) counted beside it (an add and an add-with-carry of zero), in four
// chains so that consecutive adds do not wait on each other; the chains fold at the end.
std::uint64_t fold64(std::uint64_t x, std::uint64_t y) {
    const std::uint64_t s = x + y;
    return s + (s < x ? 1 : 0);  // end-around carry
}

std::uint16_t native_sum(const std::uint8_t *p, std::size_t n) {
    std::uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    while (n >= 32) {
        std::uint64_t w0, w1, w2, w3;
        std::memcpy(&w0, p, 8);
        std::memcpy(&w1, p + 8, 8);
        std::memcpy(&w2, p + 16, 8);
        std::memcpy(&w3, p + 24, 8);
        s0 += w0;
        c0 += s0 < w0 ? 1 : 0;
        s1 += w1;
        c1 += s1 < w1 ? 1 : 0;
        s2 += w2;
        c2 += s2 < w2 ? 1 : 0;
        s3 += w3;
        c3 += s3 < w3 ? 1 : 0;
        p += 32;
        n -= 32;
    }
    while (n >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        s0 += w;
        c0 += s0 < w ? 1 : 0;
        p += 8;
        n -= 8;
    }
    // A carry count stays below 2^61 (one per eight bytes): adding the counts cannot overflow.
    std::uint64_t a = fold64(fold64(s0, s1), fold64(s2, s3));
    a = fold64(a, c0 + c1 + c2 + c3);
    a = (a & 0xffffffffu) + (a >> 32);  // at most 33 bits now; the 16-bit words follow
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
    if (odd_) {
        const std::uint8_t b[2] = {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
        return add(ByteSpan(b, 2));
    }
    acc_ += v;  // at an even offset a big-endian word is what the accumulator sums
    return *this;
}

Checksum &Checksum::add_u32(std::uint32_t v) {
    if (odd_) {
        add_u16(static_cast<std::uint16_t>(v >> 16));
        return add_u16(static_cast<std::uint16_t>(v));
    }
    acc_ += (v >> 16) + (v & 0xffffu);
    return *this;
}

Checksum &Checksum::add_copy(ByteSpan bytes, std::uint8_t *out) {
    const std::uint8_t *p = bytes.data;
    std::size_t n = bytes.size;
    if (odd_ || n < 32) {
        if (n != 0)
            std::memcpy(out, p, n);
        return add(bytes);
    }
    // As native_sum, storing each word as it is added: one pass over the bytes, not two.
    std::uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    while (n >= 32) {
        std::uint64_t w0, w1, w2, w3;
        std::memcpy(&w0, p, 8);
        std::memcpy(&w1, p + 8, 8);
        std::memcpy(&w2, p + 16, 8);
        std::memcpy(&w3, p + 24, 8);
        std::memcpy(out, &w0, 8);
        std::memcpy(out + 8, &w1, 8);
        std::memcpy(out + 16, &w2, 8);
        std::memcpy(out + 24, &w3, 8);
        s0 += w0;
        c0 += s0 < w0 ? 1 : 0;
        s1 += w1;
        c1 += s1 < w1 ? 1 : 0;
        s2 += w2;
        c2 += s2 < w2 ? 1 : 0;
        s3 += w3;
        c3 += s3 < w3 ? 1 : 0;
        p += 32;
        out += 32;
        n -= 32;
    }
    std::uint64_t a = fold64(fold64(s0, s1), fold64(s2, s3));
    a = fold64(a, c0 + c1 + c2 + c3);
    a = (a & 0xffffffffu) + (a >> 32);
    while (a >> 16)
        a = (a & 0xffff) + (a >> 16);
    const auto folded = static_cast<std::uint16_t>(a);
    if constexpr (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
        acc_ += static_cast<std::uint16_t>(folded << 8 | folded >> 8);
    } else {
        acc_ += folded;
    }
    if (n != 0) {
        std::memcpy(out, p, n);
        add(ByteSpan(p, n));  // even offset here (32-byte steps): the tail as any span
    }
    return *this;
}

Checksum &Checksum::add_ip6_pseudo_header(const Ip6Address &src, const Ip6Address &dst,
                                          std::uint32_t upper_layer_length,
                                          std::uint8_t next_header) {
    // One span of 40 bytes: one call of the word loop, not four.
    std::uint8_t b[40] = {};
    std::memcpy(b, src.span().data, 16);
    std::memcpy(b + 16, dst.span().data, 16);
    b[32] = static_cast<std::uint8_t>(upper_layer_length >> 24);
    b[33] = static_cast<std::uint8_t>(upper_layer_length >> 16);
    b[34] = static_cast<std::uint8_t>(upper_layer_length >> 8);
    b[35] = static_cast<std::uint8_t>(upper_layer_length);
    b[39] = next_header;
    return add(ByteSpan(b, sizeof b));
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

Checksum &Checksum::append(const Checksum &next) {
    acc_ += next.acc_;
    odd_ = next.odd_;
    return *this;
}

std::uint16_t Checksum::sum() const {
    std::uint64_t s = acc_;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return static_cast<std::uint16_t>(s);
}

}  // namespace meshwork::wire
