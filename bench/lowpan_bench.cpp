// IPHC compress + decompress, and IEEE 802.15.4 parse, in ns per frame. Baseline measured in the
// same run: a memcpy of the same frame bytes, so each ratio reads "this costs N memcpys of the
// frame".
#include <cstdint>
#include <cstring>
#include <vector>

#include "BenchReport.h"
#include "wire/Checksum.h"
#include "wire/Ieee802154.h"
#include "wire/Ip6.h"
#include "wire/LowpanIphc.h"

using namespace meshwork;
using namespace meshwork::wire;

namespace {

inline void clobber() {
    asm volatile("" ::: "memory");
}

// A Thread-like frame: mesh-local (context 0) UDP between short addresses, 48 payload bytes.
std::vector<std::uint8_t> make_ipv6_udp(const Ip6Address &src, const Ip6Address &dst) {
    std::vector<std::uint8_t> p(40 + 8 + 48);
    p[0] = 0x60;
    p[5] = 56;
    p[6] = IpProto::kUdp;
    p[7] = 64;
    std::memcpy(&p[8], src.bytes, 16);
    std::memcpy(&p[24], dst.bytes, 16);
    p[40] = 0x30;  // 12345
    p[41] = 0x39;
    p[42] = 0xf0;  // 61631
    p[43] = 0xbf;
    p[45] = 56;
    for (std::size_t i = 48; i < p.size(); ++i)
        p[i] = static_cast<std::uint8_t>(i);
    Checksum c;
    c.add_ip6_pseudo_header(src, dst, 56, IpProto::kUdp);
    c.add(ByteSpan(p.data() + 40, 56));
    std::uint16_t v = c.finish();
    p[46] = static_cast<std::uint8_t>(v >> 8);
    p[47] = static_cast<std::uint8_t>(v);
    return p;
}

double memcpy_ns(const std::vector<std::uint8_t> &frame) {
    std::uint8_t dst[256];
    double rate = bench::rate_per_second([&](long n) {
        for (long i = 0; i < n; ++i) {
            std::memcpy(dst, frame.data(), frame.size());
            clobber();
        }
    });
    return 1e9 / rate;
}

}  // namespace

int main() {
    LowpanContextTable ctx;
    ctx.set(0, Ip6Address::from_text("fd00:db8::").value_or(Ip6Address()), 64);
    LinkAddresses link{MacAddress::from_short(0x0400), MacAddress::from_short(0xfc00)};
    const Ip6Address src = Ip6Address::from_text("fd00:db8::ff:fe00:400").value_or(Ip6Address());
    const Ip6Address dst = Ip6Address::from_text("fd00:db8::ff:fe00:fc00").value_or(Ip6Address());
    const std::vector<std::uint8_t> pkt = make_ipv6_udp(src, dst);

    // Build the 802.15.4 frame carrying it.
    std::uint8_t hc[64];
    Result<IphcCompressResult> c =
        iphc_compress(ByteSpan(pkt.data(), pkt.size()), link, ctx, MutableByteSpan(hc, sizeof hc));
    if (!c)
        return 1;
    std::vector<std::uint8_t> lowpan(hc, hc + c->written);
    lowpan.insert(lowpan.end(), pkt.begin() + static_cast<long>(c->consumed), pkt.end());
    MacFrame f;
    f.seq = 1;
    f.ack_request = true;
    f.has_dst_pan = true;
    f.dst_pan = 0xface;
    f.dst = link.dst;
    f.src = link.src;
    f.payload = ByteSpan(lowpan.data(), lowpan.size());
    std::vector<std::uint8_t> psdu(f.emitted_size());
    if (!f.emit(MutableByteSpan(psdu.data(), psdu.size())))
        return 1;

    const double base = memcpy_ns(psdu);

    // IPHC compress + decompress of the IPv6/UDP headers (the payload is left in place).
    std::uint8_t out[kIphcMaxUncompressedHeader];
    bool ok = true;
    double rate = bench::rate_per_second([&](long n) {
        for (long i = 0; i < n; ++i) {
            Result<IphcCompressResult> cr = iphc_compress(ByteSpan(pkt.data(), pkt.size()), link,
                                                          ctx, MutableByteSpan(hc, sizeof hc));
            std::memcpy(hc + cr->written, pkt.data() + cr->consumed, pkt.size() - cr->consumed);
            Result<IphcDecompressResult> dr =
                iphc_decompress(ByteSpan(hc, cr->written + pkt.size() - cr->consumed), link, ctx,
                                MutableByteSpan(out, sizeof out));
            ok &= cr.ok() && dr.ok();
            clobber();
        }
    });
    if (!ok)
        return 1;
    bench::report("lowpan_iphc_compress_decompress", 1e9 / rate, "ns/frame", base);

    rate = bench::rate_per_second([&](long n) {
        for (long i = 0; i < n; ++i) {
            Result<MacFrame> p = MacFrame::parse(ByteSpan(psdu.data(), psdu.size()));
            ok &= p.ok();
            clobber();
        }
    });
    if (!ok)
        return 1;
    bench::report("ieee802154_parse_with_fcs", 1e9 / rate, "ns/frame", base);

    rate = bench::rate_per_second([&](long n) {
        for (long i = 0; i < n; ++i) {
            Result<MacFrame> p =
                MacFrame::parse_without_fcs(ByteSpan(psdu.data(), psdu.size() - 2));
            ok &= p.ok();
            clobber();
        }
    });
    if (!ok)
        return 1;
    bench::report("ieee802154_parse_no_fcs", 1e9 / rate, "ns/frame", base);
    return 0;
}
