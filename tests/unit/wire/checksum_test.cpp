#include "wire/Checksum.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

using namespace meshwork;
using namespace meshwork::wire;

namespace {

// RFC 1071 3: the worked example bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2.
TEST(Checksum, Rfc1071Example) {
    const std::uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    Checksum c;
    c.add(data);
    EXPECT_EQ(c.sum(), 0xddf2);
    EXPECT_EQ(c.finish(), 0x220d);
    EXPECT_EQ(Checksum::compute(data), 0x220d);
}

TEST(Checksum, SplitAcrossOddSpansEqualsContiguous) {
    std::vector<std::uint8_t> data;
    for (int i = 0; i < 101; ++i)
        data.push_back(static_cast<std::uint8_t>(i * 37 + 11));
    std::uint16_t whole = Checksum::compute(ByteSpan(data.data(), data.size()));
    for (std::size_t a = 0; a <= data.size(); ++a) {
        for (std::size_t b = a; b <= data.size(); b += 7) {
            Checksum c;
            c.add(ByteSpan(data.data(), a));
            c.add(ByteSpan(data.data() + a, b - a));
            c.add(ByteSpan(data.data() + b, data.size() - b));
            ASSERT_EQ(c.finish(), whole) << a << " " << b;
        }
    }
}

TEST(Checksum, OddLengthPadsWithZero) {
    const std::uint8_t odd[] = {0x12, 0x34, 0x56};
    const std::uint8_t even[] = {0x12, 0x34, 0x56, 0x00};
    EXPECT_EQ(Checksum::compute(odd), Checksum::compute(even));
    EXPECT_EQ(Checksum().add(odd).sum(), 0x1234 + 0x5600);
}

TEST(Checksum, CarryFolds) {
    const std::uint8_t data[] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x02};
    // ffff + ffff = 1fffe -> fffe + 1 = ffff; + 2 = 10001 -> 0002
    EXPECT_EQ(Checksum().add(data).sum(), 0x0002);
}

TEST(Checksum, EmptyIsAllOnes) {
    EXPECT_EQ(Checksum().sum(), 0);
    EXPECT_EQ(Checksum().finish(), 0xffff);
}

TEST(Checksum, IntegersMatchBytes) {
    const std::uint8_t b[] = {0xde, 0xad, 0xbe, 0xef, 0x12, 0x34};
    Checksum c;
    c.add_u32(0xdeadbeef).add_u16(0x1234);
    EXPECT_EQ(c.sum(), Checksum().add(b).sum());
}

// An ICMPv6 echo request from fe80::1 to fe80::2, id 0x1234, seq 1, payload "abcd". The
// checksum below was computed independently (Python reference over the same bytes).
TEST(Checksum, Ip6PseudoHeaderEchoRequest) {
    Ip6Address src = Ip6Address::from_text("fe80::1").value();
    Ip6Address dst = Ip6Address::from_text("fe80::2").value();
    std::uint8_t icmp[] = {0x80, 0x00, 0x00, 0x00, 0x12, 0x34, 0x00, 0x01, 'a', 'b', 'c', 'd'};
    Checksum c;
    c.add_ip6_pseudo_header(src, dst, sizeof icmp, 58).add(icmp);
    std::uint16_t sum = c.finish();
    // Hand computation: pseudo-header words fe80+0001+fe80+0002+000c+003a, then 8000+1234+0001+
    // 6162+6364.
    std::uint32_t s = 0xfe80 + 0x0001 + 0xfe80 + 0x0002 + 0x000c + 0x003a + 0x8000 + 0x1234 +
                      0x0001 + 0x6162 + 0x6364;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    EXPECT_EQ(sum, static_cast<std::uint16_t>(~s));
    icmp[2] = static_cast<std::uint8_t>(sum >> 8);
    icmp[3] = static_cast<std::uint8_t>(sum);
    Checksum v;
    v.add_ip6_pseudo_header(src, dst, sizeof icmp, 58).add(icmp);
    EXPECT_TRUE(v.verifies());
    icmp[9] ^= 1;
    Checksum bad;
    bad.add_ip6_pseudo_header(src, dst, sizeof icmp, 58).add(icmp);
    EXPECT_FALSE(bad.verifies());
}

// The word-at-a-time sum against the definition (16-bit big-endian words one by one, folded),
// for every length up to 300 at every start offset mod 8 (misaligned loads), on bytes that
// make carries (runs of 0xff) and on all-zero and all-0xff data.
TEST(Checksum, MatchesTheWordByWordDefinition) {
    auto reference = [](const std::uint8_t *p, std::size_t n) {
        std::uint64_t s = 0;
        for (std::size_t i = 0; i + 1 < n; i += 2)
            s += static_cast<std::uint32_t>(p[i] << 8 | p[i + 1]);
        if (n % 2 == 1)
            s += static_cast<std::uint32_t>(p[n - 1]) << 8;
        while (s >> 16)
            s = (s & 0xffff) + (s >> 16);
        return static_cast<std::uint16_t>(s);
    };
    std::vector<std::uint8_t> data(320);
    std::uint32_t x = 1;
    for (int pattern = 0; pattern < 3; ++pattern) {
        for (std::size_t i = 0; i < data.size(); ++i) {
            x = x * 1103515245u + 12345u;
            data[i] = pattern == 0   ? static_cast<std::uint8_t>(x >> 24 | (i % 5 == 0 ? 0xf0 : 0))
                      : pattern == 1 ? 0x00
                                     : 0xff;
        }
        for (std::size_t off = 0; off < 8; ++off) {
            for (std::size_t n = 0; n + off <= 308; ++n) {
                Checksum c;
                c.add(ByteSpan(data.data() + off, n));
                ASSERT_EQ(c.sum(), reference(data.data() + off, n))
                    << "pattern " << pattern << " offset " << off << " length " << n;
            }
        }
    }
}

// add_copy copies exactly the bytes and sums as add() does, for every split of a message into a
// head added before (so at odd and even offsets) and a copied rest of every length to 300.
TEST(Checksum, AddCopyCopiesAndSumsAsAdd) {
    std::vector<std::uint8_t> data(300);
    std::uint32_t x = 7;
    for (auto &b : data) {
        x = x * 1103515245u + 12345u;
        b = static_cast<std::uint8_t>(x >> 24 | 0x80);  // high bytes: many carries
    }
    for (std::size_t head = 0; head < 4; ++head) {
        for (std::size_t n = 0; n + head <= data.size(); ++n) {
            std::vector<std::uint8_t> out(n + 1, 0xee);
            Checksum a, b;
            a.add(ByteSpan(data.data(), head)).add(ByteSpan(data.data() + head, n));
            b.add(ByteSpan(data.data(), head))
                .add_copy(ByteSpan(data.data() + head, n), out.data());
            ASSERT_EQ(a.sum(), b.sum()) << "head " << head << " length " << n;
            ASSERT_TRUE(std::equal(out.begin(), out.begin() + static_cast<long>(n),
                                   data.begin() + static_cast<long>(head)));
            ASSERT_EQ(out[n], 0xee) << "wrote past the end";
        }
    }
}

// append() joins a sum started at an even offset to the one before it; then odd lengths go on.
TEST(Checksum, AppendEqualsOneSpan) {
    std::vector<std::uint8_t> data(101);
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<std::uint8_t>(0xf0 + i * 37);
    for (std::size_t cut = 0; cut <= data.size(); cut += 2) {
        Checksum whole, head, tail;
        whole.add(ByteSpan(data.data(), data.size())).add_u8(0x5a);
        head.add(ByteSpan(data.data(), cut));
        tail.add(ByteSpan(data.data() + cut, data.size() - cut));
        head.append(tail).add_u8(0x5a);
        EXPECT_EQ(head.sum(), whole.sum()) << "cut " << cut;
    }
}

// The integer helpers at an odd offset pair their first byte with the pending one.
TEST(Checksum, IntegersAtOddOffsets) {
    const std::uint8_t bytes[] = {0x12, 0xab, 0xcd, 0xef, 0x01, 0x9f, 0x77};
    Checksum a, b;
    a.add(ByteSpan(bytes, sizeof bytes));
    b.add(ByteSpan(bytes, 1)).add_u32(0xabcdef01).add_u16(0x9f77);
    EXPECT_EQ(a.sum(), b.sum());
}

}  // namespace
