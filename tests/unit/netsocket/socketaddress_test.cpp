// SocketAddress: numeric parsing, RFC 5952 text, equality, truth and copy rules.
#include "SocketAddress.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

namespace {

struct TextCase {
    const char *input;
    const char *canonical;
};

// Parsed as IPv6 and printed back in the canonical form.
const TextCase kIpv6Cases[] = {
    {"::", "::"},
    {"::1", "::1"},
    {"1::", "1::"},
    {"0:0:0:0:0:0:0:0", "::"},
    {"0:0:0:0:0:0:0:1", "::1"},
    {"1:0:0:0:0:0:0:0", "1::"},
    // Leading, trailing and middle runs.
    {"0:0:0:0:1234:5678:9abc:def0", "::1234:5678:9abc:def0"},
    {"1234:5678:0:0:0:0:0:0", "1234:5678::"},
    {"2001:db8:0:0:0:0:0:1", "2001:db8::1"},
    {"2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"},
    // A single zero group is never compressed.
    {"1234:5678:9abc:def0:1234:5678:0:def0", "1234:5678:9abc:def0:1234:5678:0:def0"},
    {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
    {"0:1:2:3:4:5:6:7", "0:1:2:3:4:5:6:7"},
    {"1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0"},
    // Longest run wins; the first one on ties.
    {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},
    {"1:0:0:0:2:0:0:3", "1::2:0:0:3"},
    {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
    {"0:0:1:0:0:1:0:0", "::1:0:0:1:0:0"},
    // Lower case, leading zeros dropped.
    {"ABCD:EF01:0023:0004:0000:0000:0000:0001", "abcd:ef01:23:4::1"},
    {"1:203:405:607:809:A0B:C0D:E0F", "1:203:405:607:809:a0b:c0d:e0f"},
    {"fe80::0001", "fe80::1"},
    // Compressed input forms.
    {"2001:db8::1:0:0:1", "2001:db8::1:0:0:1"},
    {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"},
    {"::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"},
    // Embedded IPv4 (RFC 4291 section 2.2 form 3); printed in hexadecimal.
    {"::ffff:1.2.3.4", "::ffff:102:304"},
    {"::ffff:127.0.0.1", "::ffff:7f00:1"},
    {"64:ff9b::192.0.2.33", "64:ff9b::c000:221"},
    {"::1.2.3.4", "::102:304"},
    {"1:2:3:4:5:6:255.255.255.255", "1:2:3:4:5:6:ffff:ffff"},
};

const char *const kInvalid[] = {
    "",
    ":",
    ":::",
    "1:::2",
    "::1::",
    "1::2::3",
    ":1:2:3:4:5:6:7",
    "1:2:3:4:5:6:7:",
    "1:2:3:4:5:6:7",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7:8::",
    "::1:2:3:4:5:6:7:8",
    "12345::",
    "1:2:3:4:5:6:7:10000",
    "g::1",
    "::1 ",
    " ::1",
    "::1x",
    "::1%eth0",
    "1.2.3.4:5",
    "::ffff:1.2.3",
    "::ffff:1.2.3.4.5",
    "::ffff:256.1.1.1",
    "::1.2.3.4:1",
    "1:2:3:4:5:6:7:1.2.3.4",
    "1.2.3",
    "1.2.3.4.",
    "1.2.3.4.5",
    "256.0.0.0",
    "1.2.3.-4",
    "1..2.3",
    "1.2.3.0004",
    "a.b.c.d",
    "localhost",
    "example.com",
};

TEST(SocketAddress, DefaultIsUnspecified) {
    SocketAddress a;
    EXPECT_EQ(a.get_ip_version(), NSAPI_UNSPEC);
    EXPECT_EQ(a.get_port(), 0);
    EXPECT_EQ(a.get_ip_address(), nullptr);
    EXPECT_FALSE(a);
}

TEST(SocketAddress, Ipv4Text) {
    const TextCase cases[] = {
        {"12.34.56.78", "12.34.56.78"}, {"255.0.0.0", "255.0.0.0"},
        {"0.0.0.0", "0.0.0.0"},         {"255.255.255.255", "255.255.255.255"},
        {"127.0.0.1", "127.0.0.1"},     {"010.001.0.9", "10.1.0.9"}};
    for (const TextCase &c : cases) {
        SocketAddress a;
        EXPECT_TRUE(a.set_ip_address(c.input)) << c.input;
        EXPECT_EQ(a.get_ip_version(), NSAPI_IPv4) << c.input;
        ASSERT_NE(a.get_ip_address(), nullptr) << c.input;
        EXPECT_STREQ(a.get_ip_address(), c.canonical);
    }
    SocketAddress b("12.34.56.78", 80);
    const uint8_t expect[4] = {12, 34, 56, 78};
    EXPECT_EQ(memcmp(b.get_ip_bytes(), expect, 4), 0);
    EXPECT_EQ(b.get_port(), 80);
}

TEST(SocketAddress, Ipv6TextCanonical) {
    for (const TextCase &c : kIpv6Cases) {
        SocketAddress a;
        EXPECT_TRUE(a.set_ip_address(c.input)) << c.input;
        EXPECT_EQ(a.get_ip_version(), NSAPI_IPv6) << c.input;
        ASSERT_NE(a.get_ip_address(), nullptr) << c.input;
        EXPECT_STREQ(a.get_ip_address(), c.canonical) << c.input;
        // The canonical form parses to the same bytes.
        SocketAddress b(c.canonical);
        EXPECT_EQ(memcmp(a.get_ip_bytes(), b.get_ip_bytes(), 16), 0) << c.input;
    }
}

TEST(SocketAddress, Ipv6BytesMatchKernelParser) {
    for (const TextCase &c : kIpv6Cases) {
        uint8_t kernel[16];
        ASSERT_EQ(inet_pton(AF_INET6, c.input, kernel), 1) << c.input;
        SocketAddress a(c.input);
        EXPECT_EQ(memcmp(a.get_ip_bytes(), kernel, 16), 0) << c.input;
    }
}

TEST(SocketAddress, InvalidTextGivesUnspecified) {
    for (const char *text : kInvalid) {
        SocketAddress a("1.2.3.4", 7);
        EXPECT_FALSE(a.set_ip_address(text)) << "'" << text << "'";
        EXPECT_EQ(a.get_ip_version(), NSAPI_UNSPEC) << text;
        EXPECT_EQ(a.get_ip_address(), nullptr) << text;
        EXPECT_FALSE(a) << text;
        EXPECT_EQ(a.get_port(), 7) << "port is kept";
        const uint8_t zero[16] = {};
        EXPECT_EQ(memcmp(a.get_ip_bytes(), zero, 16), 0) << text;
    }
}

TEST(SocketAddress, NullText) {
    SocketAddress a("::1");
    EXPECT_FALSE(a.set_ip_address(nullptr));
    EXPECT_EQ(a.get_ip_version(), NSAPI_UNSPEC);
    SocketAddress b(static_cast<const char *>(nullptr), 42);
    EXPECT_EQ(b.get_ip_version(), NSAPI_UNSPEC);
    EXPECT_EQ(b.get_port(), 42);
    SocketAddress c = static_cast<SocketAddress>(NULL);
    EXPECT_FALSE(c);
}

TEST(SocketAddress, RandomAddressesMatchInetNtop) {
    std::mt19937 rng(12345);
    int checked = 0;
    for (int i = 0; i < 20000; i++) {
        uint8_t bytes[16];
        for (int g = 0; g < 8; g++) {
            // Many zero groups, so every compression position and tie shows up.
            uint16_t v = (rng() % 2) ? 0 : uint16_t(rng() % 4 ? rng() : rng() % 16);
            bytes[2 * g] = uint8_t(v >> 8);
            bytes[2 * g + 1] = uint8_t(v);
        }
        // glibc prints ::a.b.c.d and ::ffff:a.b.c.d in mixed notation; we never do.
        bool first_five_zero = true;
        for (int k = 0; k < 10; k++) {
            first_five_zero = first_five_zero && bytes[k] == 0;
        }
        uint16_t g5 = uint16_t((bytes[10] << 8) | bytes[11]);
        if (first_five_zero && (g5 == 0 || g5 == 0xffff)) {
            continue;
        }
        char kernel[INET6_ADDRSTRLEN];
        ASSERT_NE(inet_ntop(AF_INET6, bytes, kernel, sizeof(kernel)), nullptr);
        SocketAddress a(bytes, NSAPI_IPv6);
        ASSERT_STREQ(a.get_ip_address(), kernel);
        SocketAddress back(kernel);
        ASSERT_EQ(memcmp(back.get_ip_bytes(), bytes, 16), 0) << kernel;
        checked++;
    }
    EXPECT_GT(checked, 10000);
}

TEST(SocketAddress, BoolRules) {
    EXPECT_FALSE(SocketAddress("0.0.0.0", 80));
    EXPECT_FALSE(SocketAddress("::", 80));
    EXPECT_TRUE(SocketAddress("0.0.0.1"));
    EXPECT_TRUE(SocketAddress("::1"));
    EXPECT_TRUE(SocketAddress("1::"));
    // Bytes beyond the IPv4 four are ignored.
    nsapi_addr_t raw{};
    raw.version = NSAPI_IPv4;
    raw.bytes[5] = 1;
    EXPECT_FALSE(SocketAddress(raw));
    raw.version = NSAPI_UNSPEC;
    raw.bytes[0] = 1;
    EXPECT_FALSE(SocketAddress(raw));
    // Contextual conversion, as 5.x code uses it.
    SocketAddress a("10.0.0.1");
    bool taken = false;
    if (a) {
        taken = true;
    }
    EXPECT_TRUE(taken);
    EXPECT_TRUE(!SocketAddress());
}

TEST(SocketAddress, Equality) {
    EXPECT_EQ(SocketAddress("127.0.0.1", 80), SocketAddress("127.0.0.1", 80));
    EXPECT_NE(SocketAddress("127.0.0.1", 80), SocketAddress("127.0.0.1", 81));
    EXPECT_NE(SocketAddress("127.0.0.1"), SocketAddress("127.0.0.2"));
    // Different families never compare equal, even for the mapped form.
    EXPECT_NE(SocketAddress("127.0.0.1"), SocketAddress("::ffff:7f00:1"));
    EXPECT_NE(SocketAddress("127.0.0.1"), SocketAddress("::ffff:127.0.0.1"));
    EXPECT_EQ(SocketAddress("2001:db8::1", 5), SocketAddress("2001:DB8:0::0:1", 5));
    // Two false addresses are equal whatever their port and family.
    EXPECT_EQ(SocketAddress(), SocketAddress("0.0.0.0", 80));
    EXPECT_EQ(SocketAddress("::", 1), SocketAddress("0.0.0.0", 2));
    EXPECT_NE(SocketAddress(), SocketAddress("::1"));
    EXPECT_FALSE(SocketAddress("::1") == SocketAddress());
}

TEST(SocketAddress, BytesAndVersion) {
    const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    SocketAddress a(v6, NSAPI_IPv6, 9);
    EXPECT_STREQ(a.get_ip_address(), "2001:db8::1");
    EXPECT_EQ(a.get_port(), 9);
    nsapi_addr_t raw = a.get_addr();
    EXPECT_EQ(raw.version, NSAPI_IPv6);
    EXPECT_EQ(memcmp(raw.bytes, v6, 16), 0);

    a.set_ip_bytes(v6, NSAPI_IPv4);
    EXPECT_STREQ(a.get_ip_address(), "32.1.13.184");
    const uint8_t zero12[12] = {};
    EXPECT_EQ(memcmp(static_cast<const uint8_t *>(a.get_ip_bytes()) + 4, zero12, 12), 0);

    a.set_ip_bytes(v6, NSAPI_UNSPEC);
    EXPECT_EQ(a.get_ip_version(), NSAPI_UNSPEC);
    EXPECT_EQ(a.get_ip_address(), nullptr);
    EXPECT_EQ(a.get_port(), 9);
}

TEST(SocketAddress, TextIsRebuiltAfterSetters) {
    SocketAddress a("10.0.0.1");
    EXPECT_STREQ(a.get_ip_address(), "10.0.0.1");
    a.set_ip_address("fe80::2");
    EXPECT_STREQ(a.get_ip_address(), "fe80::2");
    nsapi_addr_t raw{};
    raw.version = NSAPI_IPv4;
    raw.bytes[0] = 192;
    raw.bytes[3] = 7;
    a.set_addr(raw);
    EXPECT_STREQ(a.get_ip_address(), "192.0.0.7");
    a.set_addr(a.get_addr());  // self-assignment through a copy
    EXPECT_STREQ(a.get_ip_address(), "192.0.0.7");
    a.set_port(1);  // the port does not touch the text
    EXPECT_STREQ(a.get_ip_address(), "192.0.0.7");
}

TEST(SocketAddress, CopySemantics) {
    SocketAddress a("2001:db8::7", 443);
    const char *text = a.get_ip_address();
    ASSERT_NE(text, nullptr);
    SocketAddress b(a);
    EXPECT_EQ(a, b);
    EXPECT_STREQ(b.get_ip_address(), "2001:db8::7");
    EXPECT_NE(b.get_ip_address(), a.get_ip_address()) << "each object owns its text";
    SocketAddress c;
    c = a;
    EXPECT_EQ(c, a);
    EXPECT_EQ(c.get_port(), 443);
    c.set_ip_address("1.1.1.1");
    EXPECT_STREQ(a.get_ip_address(), "2001:db8::7") << "the source is unaffected";
    c = c;  // NOLINT: self-assignment keeps the value
    EXPECT_STREQ(c.get_ip_address(), "1.1.1.1");
}

}  // namespace
