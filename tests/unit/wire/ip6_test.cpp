#include "wire/Ip6.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace meshwork;
using namespace meshwork::wire;

namespace {

Ip6Address A(const char *s) {
    auto r = Ip6Address::from_text(s);
    EXPECT_TRUE(r.ok()) << s;
    return r.value_or(Ip6Address());
}

std::string text(const Ip6Address &a) {
    char buf[Ip6Address::kTextMax];
    EXPECT_GT(a.to_text(buf, sizeof buf), 0u);
    return buf;
}

TEST(Ip6Address, Rfc5952Canonical) {
    // RFC 5952 4.1-4.3 and 5.
    EXPECT_EQ(text(A("2001:0db8:0000:0000:0000:0000:0000:0001")), "2001:db8::1");
    EXPECT_EQ(text(A("2001:db8:0:0:1:0:0:1")), "2001:db8::1:0:0:1");     // first of equal runs
    EXPECT_EQ(text(A("2001:0:0:1:0:0:0:1")), "2001:0:0:1::1");           // longest run
    EXPECT_EQ(text(A("2001:db8:0:1:1:1:1:1")), "2001:db8:0:1:1:1:1:1");  // single 0 kept
    EXPECT_EQ(text(A("2001:DB8::AAAA")), "2001:db8::aaaa");
    EXPECT_EQ(text(A("::")), "::");
    EXPECT_EQ(text(A("::1")), "::1");
    EXPECT_EQ(text(A("1::")), "1::");
    EXPECT_EQ(text(A("fe80::")), "fe80::");
    EXPECT_EQ(text(A("ff02::1:ff00:1234")), "ff02::1:ff00:1234");
    EXPECT_EQ(text(A("::ffff:192.0.2.1")), "::ffff:192.0.2.1");
    EXPECT_EQ(text(A("1:2:3:4:5:6:7:8")), "1:2:3:4:5:6:7:8");
    EXPECT_EQ(text(A("1:0:0:0:0:0:0:8")), "1::8");
    EXPECT_EQ(text(A("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")),
              "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

TEST(Ip6Address, ToTextBufferTooSmall) {
    Ip6Address a = A("2001:db8::1");
    char buf[11];
    EXPECT_EQ(a.to_text(buf, sizeof buf), 0u);
    EXPECT_STREQ(buf, "");
    char ok[12];
    EXPECT_EQ(a.to_text(ok, sizeof ok), 11u);
    EXPECT_EQ(a.to_text(nullptr, 0), 0u);
}

TEST(Ip6Address, ParseRejectsBadText) {
    for (const char *bad : {"", ":", ":::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3",
                            "12345::", "g::", "1:", ":1", "1:2:3:4:5:6:7:8::", "::1.2.3",
                            "::1.2.3.256", "::01.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "fe80::1%eth0"}) {
        EXPECT_FALSE(Ip6Address::from_text(bad).ok()) << bad;
    }
    EXPECT_TRUE(Ip6Address::from_text("1:2:3:4:5:6:1.2.3.4").ok());
    EXPECT_TRUE(Ip6Address::from_text("1::2:3:4:5:6:7").ok());
    EXPECT_FALSE(Ip6Address::from_text(nullptr).ok());
}

TEST(Ip6Address, Classification) {
    EXPECT_TRUE(A("::").is_unspecified());
    EXPECT_TRUE(A("::1").is_loopback());
    EXPECT_TRUE(A("fe80::1").is_link_local());
    EXPECT_TRUE(A("febf::1").is_link_local());
    EXPECT_FALSE(A("fec0::1").is_link_local());
    EXPECT_TRUE(A("fd00::1").is_unique_local());
    EXPECT_TRUE(A("ff02::1").is_multicast());
    EXPECT_EQ(A("ff02::1").multicast_scope(), 2);
    EXPECT_EQ(A("ff03::fc").multicast_scope(), 3);
    EXPECT_EQ(A("ff1e::1").multicast_scope(), 0xe);
    EXPECT_EQ(A("fe80::1").multicast_scope(), 0);
    EXPECT_TRUE(A("ff02::1").is_link_scope());
    EXPECT_TRUE(A("fe80::1").is_link_scope());
    EXPECT_FALSE(A("ff03::1").is_link_scope());
    EXPECT_TRUE(A("ff02::1:ff12:3456").is_solicited_node());
    EXPECT_FALSE(A("ff02::1:fe12:3456").is_solicited_node());
    EXPECT_TRUE(A("2001:db8::1").is_unicast());
    EXPECT_FALSE(A("::").is_unicast());
    EXPECT_EQ(Ip6Address::all_nodes_link_local(), A("ff02::1"));
    EXPECT_EQ(Ip6Address::all_routers_link_local(), A("ff02::2"));
    EXPECT_EQ(Ip6Address::all_rpl_nodes(), A("ff02::1a"));
    EXPECT_EQ(Ip6Address::all_mldv2_routers(), A("ff02::16"));
    EXPECT_EQ(Ip6Address::loopback(), A("::1"));
}

TEST(Ip6Address, SolicitedNode) {
    EXPECT_EQ(Ip6Address::solicited_node(A("2001:db8::aabb:ccdd:ee12:3456")),
              A("ff02::1:ff12:3456"));
}

TEST(Ip6Address, InterfaceIdentifiers) {
    const std::uint8_t eui64[8] = {0x00, 0x12, 0x4b, 0x00, 0x01, 0x02, 0x03, 0x04};
    Ip6Iid iid = Ip6Iid::from_eui64(eui64);
    EXPECT_EQ(iid.bytes[0], 0x02);
    Ip6Address ll = Ip6Address::link_local(iid);
    EXPECT_EQ(ll, A("fe80::212:4b00:102:304"));
    std::uint8_t back[8];
    ll.iid().to_eui64(back);
    EXPECT_EQ(0, std::memcmp(back, eui64, 8));

    Ip6Iid s = Ip6Iid::from_short_address(0xbeef);
    EXPECT_TRUE(s.is_short_address_form());
    EXPECT_FALSE(iid.is_short_address_form());
    EXPECT_EQ(Ip6Address::from_prefix_iid(A("fd00:db8:a::"), s), A("fd00:db8:a:0:0:ff:fe00:beef"));
}

TEST(Ip6Address, HashDistinguishesAddresses) {
    Ip6AddressHash h;
    EXPECT_EQ(h(A("fe80::1")), h(A("fe80::1")));
    EXPECT_NE(h(A("fe80::1")), h(A("fe80::2")));
}

TEST(Ip6Address, Prefixes) {
    Ip6Address a = A("2001:db8:1234:5678::1");
    EXPECT_TRUE(a.matches_prefix(A("2001:db8::"), 32));
    EXPECT_FALSE(a.matches_prefix(A("2001:db9::"), 32));
    EXPECT_TRUE(a.matches_prefix(A("2001:db8:1200::"), 42));
    EXPECT_FALSE(a.matches_prefix(A("2001:db8:1200::"), 43));
    EXPECT_TRUE(a.matches_prefix(A("::"), 0));
    EXPECT_EQ(a.masked(36), A("2001:db8:1000::"));
    EXPECT_EQ(a.masked(128), a);
    EXPECT_EQ(a.masked(0), A("::"));
    EXPECT_EQ(a.common_prefix_length(a), 128u);
    EXPECT_EQ(A("8000::").common_prefix_length(A("::")), 0u);
    EXPECT_EQ(A("2001:db8::").common_prefix_length(A("2001:db8:8000::")), 32u);
}

// A real IPv6 header: UDP from fe80::1 to ff02::1, tc 0xb8, flow 0x12345, 8 payload bytes.
const std::vector<std::uint8_t> kHeader = {
    0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 0x11, 0xff,                             //
    0xfe, 0x80, 0,    0,    0,    0,    0,    0,    0, 0, 0, 0, 0, 0, 0, 0x01,  // src
    0xff, 0x02, 0,    0,    0,    0,    0,    0,    0, 0, 0, 0, 0, 0, 0, 0x01,  // dst
    0x12, 0x34, 0x56, 0x78, 0x00, 0x08, 0x00, 0x00,                             // payload
};

TEST(Ip6, ViewFields) {
    auto v = Ip6View::parse(ByteSpan(kHeader.data(), kHeader.size()));
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->version(), 6);
    EXPECT_EQ(v->traffic_class(), 0xb8);
    EXPECT_EQ(v->flow_label(), 0x12345u);
    EXPECT_EQ(v->payload_length(), 8);
    EXPECT_EQ(v->next_header(), IpProto::kUdp);
    EXPECT_EQ(v->hop_limit(), 255);
    EXPECT_EQ(v->src(), A("fe80::1"));
    EXPECT_EQ(v->dst(), A("ff02::1"));
    EXPECT_EQ(v->payload().size, 8u);
    EXPECT_EQ(v->payload()[0], 0x12);
    EXPECT_EQ(v->packet().size, 48u);
}

TEST(Ip6, RoundTrip) {
    auto h = Ip6Header::parse(ByteSpan(kHeader.data(), kHeader.size()));
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->emitted_size(), 40u);
    std::uint8_t out[40];
    ASSERT_TRUE(h->emit(out).ok());
    EXPECT_EQ(0, std::memcmp(out, kHeader.data(), 40));
}

TEST(Ip6, TrailingPaddingIgnored) {
    auto bytes = kHeader;
    bytes.push_back(0xaa);
    auto v = Ip6View::parse(ByteSpan(bytes.data(), bytes.size()));
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->payload().size, 8u);
}

TEST(Ip6, EveryTruncationRejected) {
    for (std::size_t n = 0; n < kHeader.size(); ++n) {
        auto v = Ip6View::parse(ByteSpan(kHeader.data(), n));
        EXPECT_EQ(v.error(), Error::kTruncated) << n;
    }
}

TEST(Ip6, BadVersionRejected) {
    auto bytes = kHeader;
    bytes[0] = 0x4b;
    EXPECT_EQ(Ip6View::parse(ByteSpan(bytes.data(), bytes.size())).error(), Error::kMalformed);
}

TEST(Ip6, EmitChecksSpaceAndFields) {
    Ip6Header h;
    h.flow_label = 0x100000;
    std::uint8_t out[40];
    EXPECT_EQ(h.emit(out).error(), Error::kInvalidArgument);
    h.flow_label = 0xfffff;
    EXPECT_EQ(h.emit(MutableByteSpan(out, 39)).error(), Error::kNoSpace);
    EXPECT_TRUE(h.emit(out).ok());
    auto back = Ip6Header::parse(ByteSpan(out, 40));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, h);
}

}  // namespace
