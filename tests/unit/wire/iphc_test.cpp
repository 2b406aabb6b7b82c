#include <gtest/gtest.h>

#include <vector>

#include "wire/Checksum.h"
#include "wire/LowpanIphc.h"
#include "wire/LowpanNhc.h"

using namespace meshwork;
using namespace meshwork::wire;

namespace {

using Bytes = std::vector<std::uint8_t>;

Ip6Address addr(const char *text) {
    Result<Ip6Address> a = Ip6Address::from_text(text);
    EXPECT_TRUE(a.ok()) << text;
    return a.value_or(Ip6Address());
}

// An IPv6 packet: header, then `upper` (extension headers and/or UDP...), with a correct
// payload length.
Bytes ip6(const Ip6Address &src, const Ip6Address &dst, std::uint8_t nh, const Bytes &upper,
          std::uint8_t hlim = 64, std::uint8_t tc = 0, std::uint32_t fl = 0) {
    Bytes b(40);
    std::uint32_t vtf = 6u << 28 | static_cast<std::uint32_t>(tc) << 20 | fl;
    b[0] = static_cast<std::uint8_t>(vtf >> 24);
    b[1] = static_cast<std::uint8_t>(vtf >> 16);
    b[2] = static_cast<std::uint8_t>(vtf >> 8);
    b[3] = static_cast<std::uint8_t>(vtf);
    b[4] = static_cast<std::uint8_t>(upper.size() >> 8);
    b[5] = static_cast<std::uint8_t>(upper.size());
    b[6] = nh;
    b[7] = hlim;
    std::memcpy(&b[8], src.bytes, 16);
    std::memcpy(&b[24], dst.bytes, 16);
    b.insert(b.end(), upper.begin(), upper.end());
    return b;
}

Bytes udp(const Ip6Address &src, const Ip6Address &dst, std::uint16_t sp, std::uint16_t dp,
          const Bytes &payload) {
    Bytes u = {static_cast<std::uint8_t>(sp >> 8),
               static_cast<std::uint8_t>(sp),
               static_cast<std::uint8_t>(dp >> 8),
               static_cast<std::uint8_t>(dp),
               0,
               0,
               0,
               0};
    std::size_t len = 8 + payload.size();
    u[4] = static_cast<std::uint8_t>(len >> 8);
    u[5] = static_cast<std::uint8_t>(len);
    u.insert(u.end(), payload.begin(), payload.end());
    Checksum c;
    c.add_ip6_pseudo_header(src, dst, static_cast<std::uint32_t>(len), 17);
    c.add(ByteSpan(u.data(), u.size()));
    std::uint16_t v = c.finish();
    if (v == 0)
        v = 0xffff;
    u[6] = static_cast<std::uint8_t>(v >> 8);
    u[7] = static_cast<std::uint8_t>(v);
    return u;
}

struct Compressed {
    Bytes frame;  // IPHC + NHC + rest of the packet
    std::size_t header = 0;
};

Compressed compress(const Bytes &pkt, const LinkAddresses &link, const LowpanContextTable &t,
                    IphcCompressOptions opt = IphcCompressOptions()) {
    Compressed c;
    c.frame.resize(200);
    Result<IphcCompressResult> r =
        iphc_compress(ByteSpan(pkt.data(), pkt.size()), link, t,
                      MutableByteSpan(c.frame.data(), c.frame.size()), opt);
    EXPECT_TRUE(r.ok()) << error_name(r.error());
    if (!r)
        return c;
    c.frame.resize(r->written);
    c.header = r->written;
    c.frame.insert(c.frame.end(), pkt.begin() + static_cast<long>(r->consumed), pkt.end());
    return c;
}

Bytes decompress(const Bytes &frame, const LinkAddresses &link, const LowpanContextTable &t) {
    Bytes out(600);
    Result<IphcDecompressResult> r = iphc_decompress(ByteSpan(frame.data(), frame.size()), link, t,
                                                     MutableByteSpan(out.data(), out.size()));
    EXPECT_TRUE(r.ok()) << error_name(r.error());
    if (!r)
        return {};
    out.resize(r->written);
    out.insert(out.end(), frame.begin() + static_cast<long>(r->consumed), frame.end());
    return out;
}

LinkAddresses ext_link() {
    LinkAddresses l;
    l.src = MacAddress::from_extended(0x1222334455667788ull);
    l.dst = MacAddress::from_extended(0x8877665544332211ull);
    return l;
}

LinkAddresses short_link() {
    LinkAddresses l;
    l.src = MacAddress::from_short(0x0400);
    l.dst = MacAddress::from_short(0xfc00);
    return l;
}

}  // namespace

TEST(Iphc, LinkLocalMleFullyElided) {
    LinkAddresses link = ext_link();
    Ip6Address src = addr("fe80::1022:3344:5566:7788");  // U/L bit of 0x12 inverted
    Ip6Address dst = addr("fe80::8a77:6655:4433:2211");
    Bytes pkt = ip6(src, dst, 17, udp(src, dst, 19788, 19788, {0xff, 0x10}), 255);
    Compressed c = compress(pkt, link, LowpanContextTable());
    // TF=11 NH=1 HLIM=11 | SAM=11 DAM=11 | UDP NHC P=00 ports, checksum inline.
    ASSERT_GE(c.header, 9u);
    EXPECT_EQ(c.header, 9u);
    EXPECT_EQ(c.frame[0], 0x7f);
    EXPECT_EQ(c.frame[1], 0x33);
    EXPECT_EQ(c.frame[2], 0xf0);
    EXPECT_EQ(c.frame[3], 0x4d);
    EXPECT_EQ(c.frame[4], 0x4c);
    EXPECT_EQ(decompress(c.frame, link, LowpanContextTable()), pkt);
}

TEST(Iphc, TrafficClassAndFlowLabelForms) {
    LinkAddresses link = ext_link();
    Ip6Address src = addr("fe80::1022:3344:5566:7788");
    Ip6Address dst = addr("fe80::8a77:6655:4433:2211");
    struct Case {
        std::uint8_t tc;
        std::uint32_t fl;
        std::uint8_t tf;
        Bytes inl;
    } cases[] = {
        {0x00, 0, 3, {}},
        {0xb8, 0, 2, {0x2e}},                    // DSCP 46 -> ECN|DSCP = 00|101110
        {0x01, 0x12345, 1, {0x41, 0x23, 0x45}},  // ECN 1, DSCP elided
        {0xb9, 0xabcde, 0, {0x6e, 0x0a, 0xbc, 0xde}},
    };
    for (const Case &k : cases) {
        Bytes pkt = ip6(src, dst, 59, {}, 64, k.tc, k.fl);
        Compressed c = compress(pkt, link, LowpanContextTable());
        EXPECT_EQ((c.frame[0] >> 3) & 3, k.tf);
        EXPECT_EQ(Bytes(c.frame.begin() + 2, c.frame.begin() + 2 + static_cast<long>(k.inl.size())),
                  k.inl);
        EXPECT_EQ(decompress(c.frame, link, LowpanContextTable()), pkt);
    }
}

TEST(Iphc, HopLimitForms) {
    LinkAddresses link = ext_link();
    Ip6Address src = addr("fe80::1022:3344:5566:7788");
    Ip6Address dst = addr("fe80::8a77:6655:4433:2211");
    const std::pair<std::uint8_t, std::uint8_t> forms[] = {{1, 1}, {64, 2}, {255, 3}, {7, 0}};
    for (auto [hl, code] : forms) {
        Bytes pkt = ip6(src, dst, 58, {0x80, 0, 0, 0}, hl);
        Compressed c = compress(pkt, link, LowpanContextTable());
        EXPECT_EQ(c.frame[0] & 3, code);
        // NH inline (ICMPv6 has no NHC): 58 follows the two IPHC bytes, then the hop limit.
        EXPECT_EQ(c.frame[2], 58);
        if (code == 0) {
            EXPECT_EQ(c.frame[3], 7);
        }
        EXPECT_EQ(decompress(c.frame, link, LowpanContextTable()), pkt);
    }
}

TEST(Iphc, StatelessUnicastForms) {
    LinkAddresses link = short_link();
    struct Case {
        const char *a;
        std::uint8_t sam;
    } cases[] = {
        {"fe80::ff:fe00:400", 3},  // derived from the short source address
        {"fe80::ff:fe00:1234", 2},
        {"fe80::1:2:3:4", 1},
        {"2001:db8::1", 0},
    };
    for (const Case &k : cases) {
        Ip6Address src = addr(k.a);
        Ip6Address dst = addr("fe80::ff:fe00:fc00");
        Bytes pkt = ip6(src, dst, 59, {});
        Compressed c = compress(pkt, link, LowpanContextTable());
        EXPECT_EQ((c.frame[1] >> 4) & 3, k.sam) << k.a;
        EXPECT_EQ((c.frame[1] >> 6) & 1, 0) << k.a;
        EXPECT_EQ(c.frame[1] & 3, 3);  // destination derived from the short dst address
        EXPECT_EQ(decompress(c.frame, link, LowpanContextTable()), pkt) << k.a;
        // The same address as destination gives the same mode.
        Bytes pkt2 = ip6(dst, src, 59, {});
        LinkAddresses swapped{link.dst, link.src};
        Compressed c2 = compress(pkt2, swapped, LowpanContextTable());
        EXPECT_EQ(c2.frame[1] & 3, k.sam) << k.a;
        EXPECT_EQ(decompress(c2.frame, swapped, LowpanContextTable()), pkt2);
    }
}

TEST(Iphc, ContextBasedForms) {
    LowpanContextTable t;
    t.set(0, addr("fd00:db8::"), 64);
    t.set(3, addr("2001:db8:1::"), 48);
    LinkAddresses link = short_link();
    // Thread RLOC: context 0, fully derived from the short address; no CID byte.
    Ip6Address src = addr("fd00:db8::ff:fe00:400");
    Ip6Address dst = addr("fd00:db8::1:2:3:4");
    Bytes pkt = ip6(src, dst, 59, {});
    Compressed c = compress(pkt, link, t);
    EXPECT_EQ(c.frame[1], 0x40 | 0x30 | 0x04 | 0x01);  // SAC SAM=11 DAC DAM=01
    EXPECT_EQ(c.header, 2u + 1 + 8);                   // next header inline, 64-bit IID
    EXPECT_EQ(decompress(c.frame, link, t), pkt);
    // Context 3 (a /48): CID byte with DCI=3, IID derived from the link.
    Ip6Address g = addr("2001:db8:1::ff:fe00:fc00");
    pkt = ip6(src, g, 59, {});
    c = compress(pkt, link, t);
    EXPECT_EQ(c.frame[1] & 0x80, 0x80);
    EXPECT_EQ(c.frame[2], 0x03);
    EXPECT_EQ(c.frame[1] & 3, 3);
    EXPECT_EQ(decompress(c.frame, link, t), pkt);
    // Bits between a /48 context and the IID are not covered: no context compression.
    pkt = ip6(src, addr("2001:db8:1:5::ff:fe00:fc00"), 59, {});
    c = compress(pkt, link, t);
    EXPECT_EQ(c.frame[1] & 7, 0);
    EXPECT_EQ(decompress(c.frame, link, t), pkt);
    // Unspecified source: SAC=1 SAM=00.
    pkt = ip6(Ip6Address(), dst, 59, {});
    c = compress(pkt, link, t);
    EXPECT_EQ(c.frame[1] & 0x70, 0x40);
    EXPECT_EQ(decompress(c.frame, link, t), pkt);
    // An unknown context is refused.
    LowpanContextTable empty;
    Bytes out(100);
    Compressed c0 = compress(ip6(src, dst, 59, {}), link, t);
    EXPECT_EQ(iphc_decompress(ByteSpan(c0.frame.data(), c0.frame.size()), link, empty,
                              MutableByteSpan(out.data(), out.size()))
                  .error(),
              Error::kNotFound);
}

TEST(Iphc, MulticastForms) {
    LowpanContextTable t;
    t.set(1, addr("fd00:db8::"), 64);
    LinkAddresses link = ext_link();
    link.dst = MacAddress::from_short(0xffff);
    Ip6Address src = addr("fe80::1022:3344:5566:7788");
    struct Case {
        const char *a;
        std::uint8_t dac, dam;
        Bytes inl;
    } cases[] = {
        {"ff02::1", 0, 3, {0x01}},
        {"ff02::1a", 0, 3, {0x1a}},
        {"ff05::fb", 0, 2, {0x05, 0x00, 0x00, 0xfb}},
        {"ff02::1:ff00:1234", 0, 1, {0x02, 0x01, 0xff, 0x00, 0x12, 0x34}},
        {"ff32:40:fd00:db8::1", 1, 0, {0x32, 0x00, 0x00, 0x00, 0x00, 0x01}},
        {"ff0e:1:2:3:4:5:6:7", 0, 0, {}},
    };
    for (const Case &k : cases) {
        Ip6Address dst = addr(k.a);
        Bytes pkt = ip6(src, dst, 59, {});
        Compressed c = compress(pkt, link, t);
        EXPECT_EQ((c.frame[1] >> 3) & 1, 1) << k.a;
        EXPECT_EQ((c.frame[1] >> 2) & 1, k.dac) << k.a;
        EXPECT_EQ(c.frame[1] & 3, k.dam) << k.a;
        if (!k.inl.empty()) {
            EXPECT_EQ(Bytes(c.frame.end() - static_cast<long>(k.inl.size()), c.frame.end()), k.inl)
                << k.a;
        } else {
            EXPECT_EQ(c.header, 2u + 1 + 16);
        }
        EXPECT_EQ(decompress(c.frame, link, t), pkt) << k.a;
    }
}

TEST(Iphc, UdpPortForms) {
    LinkAddresses link = ext_link();
    Ip6Address src = addr("fe80::1022:3344:5566:7788");
    Ip6Address dst = addr("fe80::8a77:6655:4433:2211");
    struct Case {
        std::uint16_t sp, dp;
        std::uint8_t p;
        std::size_t len;
    } cases[] = {
        {5683, 5683, 0, 7}, {1234, 0xf012, 1, 6}, {0xf034, 5683, 2, 6}, {0xf0b1, 0xf0b2, 3, 4}};
    for (const Case &k : cases) {
        Bytes pkt = ip6(src, dst, 17, udp(src, dst, k.sp, k.dp, {1, 2, 3}));
        Compressed c = compress(pkt, link, LowpanContextTable());
        EXPECT_EQ(c.frame[2], 0xf0 | k.p);
        EXPECT_EQ(c.header, 2 + k.len);
        EXPECT_EQ(decompress(c.frame, link, LowpanContextTable()), pkt);
    }
}

TEST(Iphc, UdpChecksumElision) {
    LinkAddresses link = ext_link();
    Ip6Address src = addr("fe80::1022:3344:5566:7788");
    Ip6Address dst = addr("fe80::8a77:6655:4433:2211");
    Bytes pkt = ip6(src, dst, 17, udp(src, dst, 0xf0b1, 0xf0b2, {9, 8, 7, 6, 5}));
    IphcCompressOptions opt;
    opt.elide_udp_checksum = true;
    Compressed c = compress(pkt, link, LowpanContextTable(), opt);
    EXPECT_EQ(c.frame[2], 0xf7);
    EXPECT_EQ(c.header, 4u);
    // Whole packet present: the checksum is recomputed.
    EXPECT_EQ(decompress(c.frame, link, LowpanContextTable()), pkt);
    // From a FRAG1 (datagram size known, payload not all here): left to the caller.
    Bytes out(100);
    Result<IphcDecompressResult> r =
        iphc_decompress(ByteSpan(c.frame.data(), 6), link, LowpanContextTable(),
                        MutableByteSpan(out.data(), out.size()), pkt.size());
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->udp_checksum_pending);
    EXPECT_EQ(r->udp_offset, 40u);
    EXPECT_EQ(out[4], 0);
    EXPECT_EQ(out[5], pkt.size() - 40);
}

TEST(Iphc, HopByHopRplOptionAndPadding) {
    LowpanContextTable t;
    t.set(0, addr("fd00::"), 64);
    LinkAddresses link = short_link();
    Ip6Address src = addr("fd00::ff:fe00:400");
    Ip6Address dst = addr("fd00::ff:fe00:fc00");
    // HbH with the RPL option (RFC 6553): 63 04 flags instance rank(2).
    Bytes hbh = {17, 0, 0x63, 0x04, 0x00, 0x1e, 0x02, 0x00};
    Bytes u = udp(src, dst, 5683, 5683, {0x40, 0x01});
    Bytes upper = hbh;
    upper.insert(upper.end(), u.begin(), u.end());
    Bytes pkt = ip6(src, dst, 0, upper);
    Compressed c = compress(pkt, link, t);
    // IPHC(2) + NHC EH(0xe1) + length 6 + 6 data + UDP NHC(7)
    EXPECT_EQ(c.frame[2], 0xe1);
    EXPECT_EQ(c.frame[3], 6);
    EXPECT_EQ(c.frame[10], 0xf0);
    EXPECT_EQ(decompress(c.frame, link, t), pkt);

    // Trailing padding elided by the sender is restored (PadN of 2).
    Bytes elided = {0x7e, 0x33, 0xe0, 0x3a, 0x04, 0x63, 0x02, 0xaa, 0xbb, 0x80, 0x00};
    Bytes out = decompress(elided, link, t);
    ASSERT_EQ(out.size(), 40u + 8 + 2);
    EXPECT_EQ(out[6], 0);    // hop-by-hop
    EXPECT_EQ(out[40], 58);  // then ICMPv6
    EXPECT_EQ(out[41], 0);
    EXPECT_EQ(out[46], 0x01);  // PadN
    EXPECT_EQ(out[47], 0x00);
    EXPECT_EQ(out[5], 10);  // payload length
}

TEST(Iphc, IpInIpRplNonStoring) {
    LowpanContextTable t;
    t.set(0, addr("fd00::"), 64);
    LinkAddresses link = short_link();
    Ip6Address br = addr("fd00::ff:fe00:fc00");
    Ip6Address node = addr("fd00::ff:fe00:400");
    Ip6Address out_dst = addr("2001:db8::99");
    Bytes inner = ip6(node, out_dst, 17, udp(node, out_dst, 1234, 4321, {1, 2, 3, 4}), 63);
    Bytes hbh = {41, 0, 0x63, 0x04, 0x00, 0x1e, 0x02, 0x00};
    Bytes upper = hbh;
    upper.insert(upper.end(), inner.begin(), inner.end());
    Bytes pkt = ip6(node, br, 0, upper);
    Compressed c = compress(pkt, link, t);
    EXPECT_LT(c.header, 40u);
    EXPECT_EQ(decompress(c.frame, link, t), pkt);
}

// Three 256-byte hop-by-hop headers decompress to more than kIphcMaxUncompressedHeader: the
// compressor takes the chain only as far as it fits and leaves the rest inline, so that the
// frame decompresses into a buffer of that size again (a fuzz finding).
TEST(Iphc, LongChainCompressedOnlyWithinTheDecompressionLimit) {
    LowpanContextTable t;
    LinkAddresses link = short_link();
    Ip6Address a = addr("fe80::ff:fe00:400");
    Ip6Address b = addr("fe80::ff:fe00:fc00");
    Bytes upper;
    for (int i = 0; i < 3; ++i) {
        Bytes hbh(256);
        hbh[0] = i < 2 ? 0 : 59;  // next: hop-by-hop again, then no next header
        hbh[1] = 31;              // (31 + 1) * 8 bytes
        hbh[2] = 1;               // PadN over the rest
        hbh[3] = 252;
        upper.insert(upper.end(), hbh.begin(), hbh.end());
    }
    Bytes pkt = ip6(a, b, 0, upper);
    std::uint8_t buf[kIphcMaxUncompressedHeader];  // NHC carries the options' bytes
    Result<IphcCompressResult> r =
        iphc_compress(ByteSpan(pkt.data(), pkt.size()), link, t, MutableByteSpan(buf, sizeof buf));
    ASSERT_TRUE(r.ok()) << error_name(r.error());
    EXPECT_EQ(r->consumed, 40u + 2 * 256);  // the third header would pass the limit
    Bytes frame(buf, buf + r->written);
    frame.insert(frame.end(), pkt.begin() + static_cast<long>(r->consumed), pkt.end());
    std::uint8_t hdr[kIphcMaxUncompressedHeader];
    Result<IphcDecompressResult> d = iphc_decompress(ByteSpan(frame.data(), frame.size()), link, t,
                                                     MutableByteSpan(hdr, sizeof hdr));
    ASSERT_TRUE(d.ok()) << error_name(d.error());
    Bytes back(hdr, hdr + d->written);
    back.insert(back.end(), frame.begin() + static_cast<long>(d->consumed), frame.end());
    EXPECT_EQ(back, pkt);
}

TEST(Iphc, EveryTruncationRejected) {
    LowpanContextTable t;
    t.set(2, addr("2001:db8::"), 64);
    LinkAddresses link = short_link();
    Ip6Address src = addr("2001:db8::1:2:3:4");
    Ip6Address dst = addr("ff05::1:3");
    Bytes hbh = {17, 0, 0x63, 0x04, 0x00, 0x1e, 0x02, 0x00};
    Bytes u = udp(src, dst, 1, 2, {});
    hbh.insert(hbh.end(), u.begin(), u.end());
    Bytes pkt = ip6(src, dst, 0, hbh, 9, 0xb9, 0xabcde);
    Compressed c = compress(pkt, link, t);
    ASSERT_EQ(c.frame.size(), c.header);  // no payload
    Bytes out(600);
    for (std::size_t n = 0; n < c.header; ++n) {
        EXPECT_FALSE(iphc_decompress(ByteSpan(c.frame.data(), n), link, t,
                                     MutableByteSpan(out.data(), out.size()))
                         .ok())
            << n;
    }
    // Output too small is reported, never overrun.
    Result<IphcDecompressResult> r = iphc_decompress(ByteSpan(c.frame.data(), c.frame.size()), link,
                                                     t, MutableByteSpan(out.data(), 47));
    EXPECT_EQ(r.error(), Error::kNoSpace);
    // Compression output too small too.
    for (std::size_t n = 0; n < c.header; ++n) {
        EXPECT_EQ(
            iphc_compress(ByteSpan(pkt.data(), pkt.size()), link, t, MutableByteSpan(out.data(), n))
                .error(),
            Error::kNoSpace)
            << n;
    }
}

TEST(Iphc, ReservedFormsRejected) {
    LinkAddresses link = short_link();
    LowpanContextTable t;
    t.set(0, addr("fd00::"), 64);
    Bytes out(100);
    // M=0 DAC=1 DAM=00 is reserved.
    Bytes b = {0x7b, 0x34, 59};
    EXPECT_EQ(iphc_decompress(ByteSpan(b.data(), b.size()), link, t,
                              MutableByteSpan(out.data(), out.size()))
                  .error(),
              Error::kMalformed);
    // M=1 DAC=1 DAM=01 is reserved.
    b = {0x7b, 0x3d, 59};
    EXPECT_EQ(iphc_decompress(ByteSpan(b.data(), b.size()), link, t,
                              MutableByteSpan(out.data(), out.size()))
                  .error(),
              Error::kMalformed);
    // Not an IPHC dispatch.
    b = {0x41, 0x00};
    EXPECT_EQ(iphc_decompress(ByteSpan(b.data(), b.size()), link, t,
                              MutableByteSpan(out.data(), out.size()))
                  .error(),
              Error::kMalformed);
}
