#include "wire/Checksum.h"

namespace meshwork::wire {

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
    // Sums of 16-bit words fit easily in 64 bits for any realistic packet size; folding happens
    // once in sum().
    while (n >= 2) {
        acc_ += static_cast<std::uint32_t>(p[0] << 8 | p[1]);
        p += 2;
        n -= 2;
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
