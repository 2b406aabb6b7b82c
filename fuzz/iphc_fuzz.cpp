// 6LoWPAN IPHC/NHC: decompress -> compress -> decompress. Compression derives some fields (UDP
// length, inner payload lengths), so the packet is compared after one canonicalising round:
// P2 = D(C(P1)) must equal D(C(P2)). Input byte 0 picks the link-layer address kinds.
#include <cstdint>
#include <cstring>
#include <vector>

#include "wire/LowpanIphc.h"

using namespace meshwork;
using namespace meshwork::wire;

namespace {

const LowpanContextTable &contexts() {
    static const LowpanContextTable t = [] {
        LowpanContextTable c;
        c.set(0, Ip6Address::from_text("fd00:db8::").value_or(Ip6Address()), 64);
        c.set(1, Ip6Address::from_text("2001:db8:1::").value_or(Ip6Address()), 48);
        c.set(2, Ip6Address::from_text("2001:db8:2:3:4:5::").value_or(Ip6Address()), 96);
        c.set(3, Ip6Address::from_text("fd11::").value_or(Ip6Address()), 64, false);
        return c;
    }();
    return t;
}

bool decompress(ByteSpan in, const LinkAddresses &l, std::vector<std::uint8_t> *pkt) {
    std::uint8_t hdr[kIphcMaxUncompressedHeader];
    Result<IphcDecompressResult> r =
        iphc_decompress(in, l, contexts(), MutableByteSpan(hdr, sizeof hdr));
    if (!r)
        return false;
    pkt->assign(hdr, hdr + r->written);
    pkt->insert(pkt->end(), in.data + r->consumed, in.data + in.size);
    return true;
}

bool compress(const std::vector<std::uint8_t> &pkt, const LinkAddresses &l,
              std::vector<std::uint8_t> *out) {
    std::uint8_t buf[4096];
    Result<IphcCompressResult> r = iphc_compress(ByteSpan(pkt.data(), pkt.size()), l, contexts(),
                                                 MutableByteSpan(buf, sizeof buf));
    if (!r)
        return false;
    out->assign(buf, buf + r->written);
    out->insert(out->end(), pkt.begin() + static_cast<long>(r->consumed), pkt.end());
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size < 1)
        return 0;
    LinkAddresses l;
    l.src = (data[0] & 1) ? MacAddress::from_extended(0x1222334455667788ull)
                          : MacAddress::from_short(0x0400);
    l.dst = (data[0] & 2)   ? MacAddress::from_extended(0x8877665544332211ull)
            : (data[0] & 4) ? MacAddress::from_short(0xffff)
                            : MacAddress::from_short(0xfc00);
    std::vector<std::uint8_t> p1, c1, p2, c2, p3;
    if (!decompress(ByteSpan(data + 1, size - 1), l, &p1))
        return 0;
    if (!compress(p1, l, &c1))
        __builtin_trap();
    if (!decompress(ByteSpan(c1.data(), c1.size()), l, &p2))
        __builtin_trap();
    if (!compress(p2, l, &c2))
        __builtin_trap();
    if (!decompress(ByteSpan(c2.data(), c2.size()), l, &p3))
        __builtin_trap();
    if (p2 != p3 || c1 != c2)
        __builtin_trap();
    // The header fields that compression never derives survive the first round unchanged.
    if (p1.size() != p2.size() || std::memcmp(p1.data(), p2.data(), 4) != 0 ||
        std::memcmp(&p1[6], &p2[6], 34) != 0)
        __builtin_trap();
    return 0;
}
