#include <gtest/gtest.h>

#include <map>

#include "core/IpEndpoint.h"

using meshwork::IpEndpoint;

namespace {

IpEndpoint v6(std::initializer_list<std::uint16_t> groups, std::uint16_t port) {
    std::uint8_t b[16] = {};
    int i = 0;
    for (auto g : groups) {
        b[2 * i] = static_cast<std::uint8_t>(g >> 8);
        b[2 * i + 1] = static_cast<std::uint8_t>(g);
        ++i;
    }
    return IpEndpoint::v6(b, port);
}

}  // namespace

TEST(IpEndpoint, Ipv4IsHeldV4Mapped) {
    IpEndpoint e = IpEndpoint::v4(127, 0, 0, 1, 5683);
    EXPECT_TRUE(e.is_v4());
    EXPECT_FALSE(e.is_unspecified());
    EXPECT_EQ(e.address[10], 0xff);
    EXPECT_EQ(e.address[11], 0xff);
    EXPECT_EQ(e.v4_bytes()[0], 127);
    EXPECT_EQ(e.v4_bytes()[3], 1);
    EXPECT_EQ(e.to_string(), "127.0.0.1:5683");
    // The same address given as IPv6 bytes is the same endpoint.
    EXPECT_EQ(v6({0, 0, 0, 0, 0, 0xffff, 0x7f00, 0x0001}, 5683), e);
}

TEST(IpEndpoint, Ipv6TextIsRfc5952) {
    EXPECT_EQ(v6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}, 61631).to_string(), "[2001:db8::1]:61631");
    EXPECT_EQ(v6({0, 0, 0, 0, 0, 0, 0, 1}, 1).to_string(), "[::1]:1");
    EXPECT_EQ(v6({}, 0).to_string(), "[::]:0");
    EXPECT_TRUE(v6({}, 7).is_unspecified());
    EXPECT_EQ(v6({0xfe80, 0, 0, 0, 0x0200, 0, 0, 0xabcd}, 5).to_string(),
              "[fe80::200:0:0:abcd]:5");  // the first of two equal runs
    EXPECT_EQ(v6({0x2001, 0xdb8, 0, 1, 1, 1, 1, 1}, 5).to_string(),
              "[2001:db8:0:1:1:1:1:1]:5");  // a single zero group is not compressed
    EXPECT_EQ(v6({1, 0, 0, 0, 0, 0, 0, 0}, 5).to_string(), "[1::]:5");
    char small[5];
    EXPECT_EQ(v6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}, 0).format_address(small, sizeof small), 11u);
    EXPECT_STREQ(small, "2001");
}

TEST(IpEndpoint, EqualityAndOrder) {
    const IpEndpoint a = IpEndpoint::v4(10, 0, 0, 1, 1000);
    const IpEndpoint b = IpEndpoint::v4(10, 0, 0, 1, 1001);
    const IpEndpoint c = IpEndpoint::v4(10, 0, 0, 2, 1);
    EXPECT_NE(a, b);
    EXPECT_LT(a, b);  // same address: by port
    EXPECT_LT(b, c);  // address first
    EXPECT_FALSE(c < a);
    EXPECT_FALSE(a < a);
    std::map<IpEndpoint, int> m{{c, 3}, {a, 1}, {b, 2}};
    EXPECT_EQ(m.begin()->second, 1);
    EXPECT_EQ(m.at(IpEndpoint::v4(10, 0, 0, 2, 1)), 3);
    EXPECT_EQ(IpEndpoint(), IpEndpoint());
}
