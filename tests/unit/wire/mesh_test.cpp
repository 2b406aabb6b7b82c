#include <gtest/gtest.h>

#include <vector>

#include "wire/LowpanMesh.h"

using namespace meshwork;
using namespace meshwork::wire;

TEST(LowpanMesh, ShortAddressesBytes) {
    // 10 V=1 F=1 hops 5 | originator 0x0400 | final 0xfc00 (big-endian).
    const std::uint8_t b[] = {0xb5, 0x04, 0x00, 0xfc, 0x00};
    ByteReader r{ByteSpan(b)};
    Result<LowpanMeshHeader> h = LowpanMeshHeader::parse(r);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->hops_left, 5);
    EXPECT_EQ(h->originator, MacAddress::from_short(0x0400));
    EXPECT_EQ(h->final_destination, MacAddress::from_short(0xfc00));
    EXPECT_TRUE(r.at_end());
    std::uint8_t out[5];
    ByteWriter w{MutableByteSpan(out)};
    ASSERT_TRUE(h->emit(w).ok());
    EXPECT_TRUE(ByteSpan(out).equals(ByteSpan(b)));
    for (std::size_t n = 0; n < sizeof b; ++n) {
        ByteReader rn(ByteSpan(b, n));
        EXPECT_EQ(LowpanMeshHeader::parse(rn).error(), Error::kTruncated);
    }
}

TEST(LowpanMesh, ExtendedAndDeepHops) {
    LowpanMeshHeader h;
    h.hops_left = 20;
    h.originator = MacAddress::from_extended(0x0011223344556677ull);
    h.final_destination = MacAddress::from_short(0x1234);
    std::vector<std::uint8_t> out(h.emitted_size());
    EXPECT_EQ(out.size(), 1u + 1 + 8 + 2);
    ByteWriter w(MutableByteSpan(out.data(), out.size()));
    ASSERT_TRUE(h.emit(w).ok());
    EXPECT_EQ(out[0], 0x9f);  // V=0 (extended), F=1, hops escape
    EXPECT_EQ(out[1], 20);
    EXPECT_EQ(out[2], 0x00);
    EXPECT_EQ(out[9], 0x77);
    ByteReader r(ByteSpan(out.data(), out.size()));
    Result<LowpanMeshHeader> p = LowpanMeshHeader::parse(r);
    ASSERT_TRUE(p.ok());
    EXPECT_TRUE(*p == h);
}

TEST(LowpanMesh, BroadcastHeader) {
    const std::uint8_t b[] = {0x50, 0x2a};
    ByteReader r{ByteSpan(b)};
    Result<LowpanBroadcastHeader> h = LowpanBroadcastHeader::parse(r);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->sequence, 0x2a);
    ByteReader r1(ByteSpan(b, 1));
    EXPECT_EQ(LowpanBroadcastHeader::parse(r1).error(), Error::kTruncated);
    const std::uint8_t bad[] = {0x51, 0};
    ByteReader r2{ByteSpan(bad)};
    EXPECT_EQ(LowpanBroadcastHeader::parse(r2).error(), Error::kMalformed);
}
