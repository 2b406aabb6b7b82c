// IPv6 extension headers: chain walking, hop-by-hop with the RPL option (RFC 6553), the RPL
// source routing header (RFC 6554), fragment and destination options (RFC 8200).
#include "wire/Ip6Ext.h"

#include <gtest/gtest.h>

#include "WireIpTestUtil.h"

using namespace meshwork;
using namespace meshwork::wire;
using namespace wiretest;

namespace {

// 2001:db8:1::1 -> 2001:db8:1::212:4b00:0:2: HBH with RPL option (O set, instance 1, rank
// 128), SRH type 3 with CmprI = CmprE = 15 and 6 pad bytes (two hops ...:3 and ...:4),
// then UDP 1234 -> 5678 with one byte. tshark 4.0 decodes all three headers as intended.
const Bytes kPacket =
    hex("60000000 0021 00 40 20010db8000100000000000000000001 20010db80001000002124b0000000002"
        "2b 00 63 04 80 01 0080"                     // HBH: RPL option
        "11 01 03 02 ff 60 0000 03 04 000000000000"  // SRH
        "04d2 162e 0009 c450 78");                   // UDP

TEST(Ip6Ext, ChainWalk) {
    auto ip = Ip6View::parse(span(kPacket));
    ASSERT_TRUE(ip.ok());
    Ip6ExtChain chain(ip->payload(), ip->next_header());
    Ip6ExtHeader h;
    ASSERT_TRUE(chain.next(h));
    EXPECT_EQ(h.type, IpProto::kHopByHop);
    EXPECT_EQ(h.next_header, IpProto::kRouting);
    EXPECT_EQ(h.bytes.size, 8u);
    ASSERT_TRUE(chain.next(h));
    EXPECT_EQ(h.type, IpProto::kRouting);
    EXPECT_EQ(h.next_header, IpProto::kUdp);
    EXPECT_EQ(h.bytes.size, 16u);
    EXPECT_FALSE(chain.next(h));
    EXPECT_EQ(chain.error(), Error::kOk);
    EXPECT_EQ(chain.upper_protocol(), IpProto::kUdp);
    EXPECT_EQ(chain.upper_offset(), 24u);
}

TEST(Ip6Ext, ChainTruncated) {
    const Bytes payload(kPacket.begin() + 40, kPacket.end());
    for (std::size_t n = 0; n < 24; ++n) {
        Ip6ExtChain chain(prefix(payload, n), IpProto::kHopByHop);
        Ip6ExtHeader h;
        while (chain.next(h)) {
        }
        EXPECT_EQ(chain.error(), Error::kTruncated) << n;
    }
}

TEST(Ip6Ext, HopByHopRplOption) {
    const Bytes hbh(kPacket.begin() + 40, kPacket.begin() + 48);
    auto h = Ip6OptionsHeader::parse(span(hbh));
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->next_header, IpProto::kRouting);
    ASSERT_TRUE(h->has_rpl);
    EXPECT_EQ(h->rpl.option_type, Ip6OptionType::kRpl);
    EXPECT_TRUE(h->rpl.down());
    EXPECT_FALSE(h->rpl.rank_error());
    EXPECT_FALSE(h->rpl.forwarding_error());
    EXPECT_EQ(h->rpl.instance_id, 1);
    EXPECT_EQ(h->rpl.sender_rank, 128);
    EXPECT_EQ(h->option_count, 0);
    EXPECT_EQ(h->emitted_size(), 8u);
    Bytes out(8);
    ASSERT_TRUE(h->emit(MutableByteSpan(out.data(), out.size())).ok());
    EXPECT_EQ(out, hbh);
    expect_prefixes_rejected(hbh, [](ByteSpan b) { return Ip6OptionsHeader::parse(b); });
    // RFC 9008 option type 0x23 is accepted and kept.
    Bytes v2 = hbh;
    v2[2] = 0x23;
    auto h2 = Ip6OptionsHeader::parse(span(v2));
    ASSERT_TRUE(h2.ok());
    EXPECT_EQ(h2->rpl.option_type, Ip6OptionType::kRplRfc9008);
    // Bad option data length.
    EXPECT_EQ(Ip6OptionsHeader::parse(span(hex("2b00 63 02 8001 0100"))).error(),
              Error::kMalformed);
}

TEST(Ip6Ext, DestinationOptionsWithUnknownOptionAndPadding) {
    // Unknown option 0x3e (action: skip) with 2 data bytes, then PadN(0).
    const Bytes d = hex("11 00 3e 02 abcd 01 00");
    auto h = Ip6OptionsHeader::parse(span(d));
    ASSERT_TRUE(h.ok());
    EXPECT_FALSE(h->has_rpl);
    ASSERT_EQ(h->option_count, 1);
    EXPECT_EQ(h->options[0].type, 0x3e);
    EXPECT_EQ(ip6_option_action(h->options[0].type), Ip6OptionAction::kSkip);
    EXPECT_EQ(ip6_option_action(0x80), Ip6OptionAction::kDiscardIcmp);
    EXPECT_EQ(ip6_option_action(Ip6OptionType::kRpl), Ip6OptionAction::kDiscard);
    ASSERT_EQ(h->options[0].value.size, 2u);
    Bytes out(h->emitted_size());
    ASSERT_TRUE(h->emit(MutableByteSpan(out.data(), out.size())).ok());
    EXPECT_EQ(out, d);
}

TEST(Ip6Ext, OptionsHeaderPaddingForms) {
    // RPL option plus a 1-byte-value option: 2 + 6 + 3 = 11 -> 16 with PadN(3).
    Ip6OptionsHeader h;
    h.next_header = IpProto::kIcmp6;
    h.has_rpl = true;
    h.rpl.instance_id = 0x1e;
    h.rpl.sender_rank = 0x0300;
    const std::uint8_t v[1] = {0x55};
    h.option_count = 1;
    h.options[0].type = 0x1f;
    h.options[0].value = ByteSpan(v, 1);
    EXPECT_EQ(h.emitted_size(), 16u);
    Bytes out(16);
    ASSERT_TRUE(h.emit(MutableByteSpan(out.data(), out.size())).ok());
    EXPECT_EQ(out, hex("3a 01 63 04 00 1e 0300 1f 01 55 01 03 000000"));
    auto back = Ip6OptionsHeader::parse(span(out));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, h);
    // 7 bytes of content -> a single Pad1.
    Ip6OptionsHeader p;
    p.option_count = 1;
    const std::uint8_t three[3] = {1, 2, 3};
    p.options[0].type = 0x1f;
    p.options[0].value = ByteSpan(three, 3);
    Bytes o2(p.emitted_size());
    ASSERT_EQ(o2.size(), 8u);
    ASSERT_TRUE(p.emit(MutableByteSpan(o2.data(), o2.size())).ok());
    EXPECT_EQ(o2, hex("3b 00 1f 03 010203 00"));
    EXPECT_EQ(p.emit(MutableByteSpan(o2.data(), 7)).error(), Error::kNoSpace);
}

TEST(Ip6Ext, SourceRouteFullCompression) {
    const Bytes srh(kPacket.begin() + 48, kPacket.begin() + 64);
    const Ip6Address dst = A("2001:db8:1::212:4b00:0:2");
    auto h = RplSourceRouteHeader::parse(span(srh), dst);
    ASSERT_TRUE(h.ok()) << error_name(h.error());
    EXPECT_EQ(h->next_header, IpProto::kUdp);
    EXPECT_EQ(h->segments_left, 2);
    EXPECT_EQ(h->cmpr_i, 15);
    EXPECT_EQ(h->cmpr_e, 15);
    EXPECT_EQ(h->pad(), 6);
    ASSERT_EQ(h->address_count, 2);
    EXPECT_EQ(h->addresses[0], A("2001:db8:1::212:4b00:0:3"));
    EXPECT_EQ(h->addresses[1], A("2001:db8:1::212:4b00:0:4"));
    Bytes out(h->emitted_size());
    ASSERT_TRUE(h->emit(MutableByteSpan(out.data(), out.size()), dst).ok());
    EXPECT_EQ(out, srh);
    expect_prefixes_rejected(srh, [&](ByteSpan b) { return RplSourceRouteHeader::parse(b, dst); });
}

// The compression chosen at the source still holds at every hop, where the next address and
// the destination swap (RFC 6554 4.2): here the last hop differs from the others in its 15th
// byte, so no hop may elide 15 bytes.
TEST(Ip6Ext, SourceRouteCompressionHoldsAtEveryHop) {
    Ip6Address dst = A("fd00::786c:c1a6:0:d3");
    RplSourceRouteHeader h;
    h.next_header = IpProto::kIpv6;
    h.address_count = 2;
    h.segments_left = 2;
    h.addresses[0] = A("fd00::786c:c1a6:0:aa");
    h.addresses[1] = A("fd00::786c:c1a6:0:109");
    h.choose_compression(dst);
    EXPECT_EQ(h.cmpr_i, 14);
    EXPECT_EQ(h.cmpr_e, 14);
    const std::size_t size = h.emitted_size();
    for (int hop = 0; hop < 2; ++hop) {
        Bytes out(size);
        ASSERT_TRUE(h.emit(MutableByteSpan(out.data(), out.size()), dst).ok()) << hop;
        auto back = RplSourceRouteHeader::parse(span(out), dst);
        ASSERT_TRUE(back) << hop;
        EXPECT_EQ(back->addresses[1], h.addresses[1]) << hop;
        // The router's processing: the next address becomes the destination, the old
        // destination takes its place, the header keeps its size.
        const std::size_t i = h.address_count - h.segments_left;
        std::swap(dst, h.addresses[i]);
        --h.segments_left;
        EXPECT_EQ(h.emitted_size(), size) << hop;
    }
    Bytes out(size);
    EXPECT_TRUE(h.emit(MutableByteSpan(out.data(), out.size()), dst).ok());
}

TEST(Ip6Ext, SourceRouteMixedCompression) {
    // Reference (IPv6 destination) 2001:db8:1::212:4b00:0:2. The inner hops share 5 bytes
    // with it, the last hop none: CmprI 5, CmprE 0, 2 x 11 + 16 = 38 bytes, 2 pad bytes.
    const Ip6Address dst = A("2001:db8:1::212:4b00:0:2");
    RplSourceRouteHeader h;
    h.next_header = IpProto::kIpv6;
    h.segments_left = 3;
    h.address_count = 3;
    h.addresses[0] = A("2001:db8:1::212:4b00:0:3");
    h.addresses[1] = A("2001:db8:2::5");
    h.addresses[2] = A("fd00::1");
    // choose_compression() elides only what every address shares (each becomes the
    // destination in turn): nothing, with fd00::1 among them. The format itself carries
    // CmprI 5 / CmprE 0, set by hand here.
    h.choose_compression(dst);
    EXPECT_EQ(h.cmpr_i, 0);
    EXPECT_EQ(h.cmpr_e, 0);
    h.cmpr_i = 5;
    h.cmpr_e = 0;
    EXPECT_EQ(h.pad(), 2);
    const Bytes expected =
        hex("29 05 03 03 50 20 0000"
            "0100000212 4b00000000 03"
            "0200000000 0000000000 05"
            "fd000000000000000000000000000001"
            "0000");
    Bytes out(h.emitted_size());
    ASSERT_EQ(out.size(), expected.size());
    ASSERT_TRUE(h.emit(MutableByteSpan(out.data(), out.size()), dst).ok());
    EXPECT_EQ(out, expected);
    auto back = RplSourceRouteHeader::parse(span(out), dst);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, h);
    // Compression that the reference does not allow is refused.
    h.cmpr_e = 1;
    EXPECT_EQ(h.emit(MutableByteSpan(out.data(), out.size()), dst).error(),
              Error::kInvalidArgument);
}

TEST(Ip6Ext, SourceRouteMalformed) {
    const Ip6Address dst = A("2001:db8::1");
    // Segments Left 3 > n = 2.
    EXPECT_EQ(
        RplSourceRouteHeader::parse(span(hex("11 01 03 03 ff 60 0000 03 04 000000000000")), dst)
            .error(),
        Error::kMalformed);
    // Length not a whole number of addresses: CmprI 14 (2 bytes each), CmprE 15, pad 0,
    // 8 bytes: (8 - 0 - 1) / 2 is not integral.
    EXPECT_EQ(RplSourceRouteHeader::parse(span(hex("11 01 03 01 ef 00 0000 0000000000000000")), dst)
                  .error(),
              Error::kMalformed);
    // Pad larger than the area.
    EXPECT_EQ(RplSourceRouteHeader::parse(span(hex("11 00 03 00 ff f0 0000")), dst).error(),
              Error::kMalformed);
    // Other routing type.
    EXPECT_EQ(RplSourceRouteHeader::parse(span(hex("11 00 04 00 ff 00 0000")), dst).error(),
              Error::kMalformed);
    auto rv = Ip6RoutingHeaderView::parse(span(hex("11 00 04 01 ff 00 0000")));
    ASSERT_TRUE(rv.ok());
    EXPECT_EQ(rv->routing_type, 4);
    EXPECT_EQ(rv->segments_left, 1);
}

TEST(Ip6Ext, Fragment) {
    const Bytes f = hex("3a 00 0059 12345678");  // offset 11 units, M=1
    auto h = Ip6FragmentHeader::parse(span(f));
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->next_header, IpProto::kIcmp6);
    EXPECT_EQ(h->offset_units, 11);
    EXPECT_EQ(h->byte_offset(), 88u);
    EXPECT_TRUE(h->more);
    EXPECT_EQ(h->identification, 0x12345678u);
    Bytes out(8);
    ASSERT_TRUE(h->emit(MutableByteSpan(out.data(), out.size())).ok());
    EXPECT_EQ(out, f);
    expect_prefixes_rejected(f, [](ByteSpan b) { return Ip6FragmentHeader::parse(b); });
    Ip6FragmentHeader bad;
    bad.offset_units = 0x2000;
    EXPECT_EQ(bad.emit(MutableByteSpan(out.data(), out.size())).error(), Error::kInvalidArgument);
}

TEST(Ip6Ext, ChainStopsAfterNonFirstFragment) {
    // Fragment (offset 11) announcing a hop-by-hop header: the rest is data, not a header.
    const Bytes payload = hex("00 00 0059 12345678 ffffffffffffffff");
    Ip6ExtChain chain(span(payload), IpProto::kFragment);
    Ip6ExtHeader h;
    ASSERT_TRUE(chain.next(h));
    EXPECT_EQ(h.type, IpProto::kFragment);
    EXPECT_FALSE(chain.next(h));
    EXPECT_EQ(chain.error(), Error::kOk);
    EXPECT_EQ(chain.upper_offset(), 8u);
    // First fragment: the walk continues into the next header.
    const Bytes first = hex("3c 00 0001 12345678 11 00 01 04 00000000");
    Ip6ExtChain c2(span(first), IpProto::kFragment);
    ASSERT_TRUE(c2.next(h));
    ASSERT_TRUE(c2.next(h));
    EXPECT_EQ(h.type, IpProto::kDestOpts);
    EXPECT_FALSE(c2.next(h));
    EXPECT_EQ(c2.upper_protocol(), IpProto::kUdp);
    EXPECT_EQ(c2.upper_offset(), 16u);
}

}  // namespace
