// Nanostack-style text helpers and byte-order functions.
#include <gtest/gtest.h>

#include <cstring>

#include "common_functions.h"
#include "ip4string.h"
#include "ip6string.h"

namespace {

TEST(Ip6String, ParseAndPrint) {
    uint8_t a[16];
    ASSERT_TRUE(stoip6("2001:db8::1", strlen("2001:db8::1"), a));
    char text[40];
    EXPECT_EQ(ip6tos(a, text), strlen("2001:db8::1"));
    EXPECT_STREQ(text, "2001:db8::1");
    // Only `len` characters are considered.
    ASSERT_TRUE(stoip6("fe80::1/64", 7, a));
    ip6tos(a, text);
    EXPECT_STREQ(text, "fe80::1");
    // Failure zeroes the destination.
    memset(a, 0xAA, sizeof(a));
    EXPECT_FALSE(stoip6("1:::2", 5, a));
    const uint8_t zero[16] = {};
    EXPECT_EQ(memcmp(a, zero, 16), 0);
}

TEST(Ip6String, Prefix) {
    uint8_t a[16];
    int_fast16_t len = 0;
    ASSERT_EQ(stoip6_prefix("2001:db8:1:2::/64", a, &len), 0);
    EXPECT_EQ(len, 64);
    ASSERT_EQ(stoip6_prefix("fd00::1", a, &len), 0);
    EXPECT_EQ(len, -1);
    EXPECT_EQ(stoip6_prefix("fd00::1/129", a, &len), -1);
    EXPECT_EQ(stoip6_prefix("fd00::1/", a, &len), -1);
    EXPECT_EQ(sipv6_prefixlength("fd00::/8"), 6);

    ASSERT_TRUE(stoip6("2001:db8:ffff:ffff::1", strlen("2001:db8:ffff:ffff::1"), a));
    char text[45];
    ip6_prefix_tos(a, 36, text);
    EXPECT_STREQ(text, "2001:db8:f000::/36");
    ip6_prefix_tos(a, 0, text);
    EXPECT_STREQ(text, "::/0");
    EXPECT_EQ(ip6_prefix_tos(a, 129, text), 0u);
}

TEST(Ip4String, ParseAndPrint) {
    uint8_t a[4];
    ASSERT_TRUE(stoip4("192.168.1.254", 13, a));
    char text[16];
    EXPECT_EQ(ip4tos(a, text), 13u);
    EXPECT_STREQ(text, "192.168.1.254");
    EXPECT_FALSE(stoip4("192.168.1.254", 12, a) && a[3] == 254) << "length-limited";
    EXPECT_FALSE(stoip4("1.2.3.256", 9, a));
    EXPECT_FALSE(stoip4("1.2.3", 5, a));
    EXPECT_FALSE(stoip4(nullptr, 0, a));
}

TEST(CommonFunctions, ByteOrder) {
    uint8_t b[8] = {};
    EXPECT_EQ(common_write_16_bit(0x1234, b), b + 2);
    EXPECT_EQ(b[0], 0x12);
    EXPECT_EQ(common_read_16_bit(b), 0x1234);
    EXPECT_EQ(common_write_32_bit(0xdeadbeef, b), b + 4);
    EXPECT_EQ(b[0], 0xde);
    EXPECT_EQ(common_read_32_bit(b), 0xdeadbeefu);
    common_write_32_bit_inverse(0xdeadbeef, b);
    EXPECT_EQ(b[0], 0xef);
    EXPECT_EQ(common_read_32_bit_inverse(b), 0xdeadbeefu);
    common_write_16_bit_inverse(0x1234, b);
    EXPECT_EQ(b[0], 0x34);
    EXPECT_EQ(common_read_16_bit_inverse(b), 0x1234);
    common_write_24_bit(0x123456, b);
    EXPECT_EQ(common_read_24_bit(b), 0x123456u);
    common_write_64_bit(0x0102030405060708ull, b);
    EXPECT_EQ(b[7], 8);
    EXPECT_EQ(common_read_64_bit(b), 0x0102030405060708ull);
}

TEST(CommonFunctions, Bits) {
    EXPECT_EQ(common_count_bits(0xF1), 5);
    EXPECT_EQ(common_count_leading_zeros_32(1), 31);
    EXPECT_EQ(common_count_leading_zeros_8(0x10), 3);
    EXPECT_TRUE(common_serial_number_greater_8(1, 255));
    EXPECT_FALSE(common_serial_number_greater_16(5, 5));
    const uint8_t a[2] = {0xAB, 0xC0};
    const uint8_t b[2] = {0xAB, 0xDF};
    EXPECT_TRUE(bitsequal(a, b, 11));
    EXPECT_FALSE(bitsequal(a, b, 12));
    uint8_t d[2] = {0x00, 0x0F};
    bitcopy(d, b, 12);
    EXPECT_EQ(d[1], 0xDF);
    bitcopy0(d, a, 10);
    EXPECT_EQ(d[1], 0xC0);
}

}  // namespace
