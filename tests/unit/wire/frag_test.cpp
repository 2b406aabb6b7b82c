#include <gtest/gtest.h>

#include "wire/LowpanFrag.h"

using namespace meshwork;
using namespace meshwork::wire;

TEST(LowpanFrag, Frag1Bytes) {
    LowpanFragHeader h;
    h.first = true;
    h.datagram_size = 1280;
    h.datagram_tag = 0xbeef;
    std::uint8_t b[8] = {};
    ASSERT_TRUE(h.emit(MutableByteSpan(b, 4)).ok());
    EXPECT_EQ(b[0], 0xc5);  // 11000 | 1280 >> 8
    EXPECT_EQ(b[1], 0x00);
    EXPECT_EQ(b[2], 0xbe);
    EXPECT_EQ(b[3], 0xef);
    Result<LowpanFragHeader> p = LowpanFragHeader::parse(ByteSpan(b, 4));
    ASSERT_TRUE(p.ok());
    EXPECT_TRUE(p->first);
    EXPECT_EQ(p->datagram_size, 1280);
    EXPECT_EQ(p->datagram_tag, 0xbeef);
    EXPECT_EQ(p->offset_bytes(), 0u);
    EXPECT_EQ(lowpan_dispatch(b[0]), LowpanDispatch::kFrag1);
}

TEST(LowpanFrag, FragNBytes) {
    const std::uint8_t b[] = {0xe0, 0x7b, 0x12, 0x34, 0x0c};
    Result<LowpanFragHeader> p = LowpanFragHeader::parse(ByteSpan(b));
    ASSERT_TRUE(p.ok());
    EXPECT_FALSE(p->first);
    EXPECT_EQ(p->datagram_size, 123);
    EXPECT_EQ(p->datagram_tag, 0x1234);
    EXPECT_EQ(p->offset_bytes(), 96u);
    std::uint8_t out[5];
    ASSERT_TRUE(p->emit(MutableByteSpan(out, 5)).ok());
    EXPECT_TRUE(ByteSpan(out).equals(ByteSpan(b)));
    EXPECT_EQ(lowpan_dispatch(b[0]), LowpanDispatch::kFragN);
    for (std::size_t n = 0; n < 5; ++n)
        EXPECT_EQ(LowpanFragHeader::parse(ByteSpan(b, n)).error(), Error::kTruncated);
    EXPECT_EQ(p->emit(MutableByteSpan(out, 4)).error(), Error::kNoSpace);
}

TEST(LowpanFrag, RejectsOtherDispatchAndOversize) {
    const std::uint8_t b[] = {0xd0, 0, 0, 0};
    EXPECT_EQ(LowpanFragHeader::parse(ByteSpan(b)).error(), Error::kMalformed);
    LowpanFragHeader h;
    h.datagram_size = 0x800;
    std::uint8_t out[4];
    EXPECT_EQ(h.emit(MutableByteSpan(out, 4)).error(), Error::kInvalidArgument);
}

TEST(LowpanFrag, DispatchTable) {
    EXPECT_EQ(lowpan_dispatch(0x00), LowpanDispatch::kNalp);
    EXPECT_EQ(lowpan_dispatch(0x41), LowpanDispatch::kIpv6);
    EXPECT_EQ(lowpan_dispatch(0x42), LowpanDispatch::kHc1);
    EXPECT_EQ(lowpan_dispatch(0x50), LowpanDispatch::kBc0);
    EXPECT_EQ(lowpan_dispatch(0x60), LowpanDispatch::kIphc);
    EXPECT_EQ(lowpan_dispatch(0x7e), LowpanDispatch::kIphc);
    EXPECT_EQ(lowpan_dispatch(0x7f), LowpanDispatch::kIphc);  // RFC 6282: no longer ESC
    EXPECT_EQ(lowpan_dispatch(0x80), LowpanDispatch::kMesh);
    EXPECT_EQ(lowpan_dispatch(0xbf), LowpanDispatch::kMesh);
    EXPECT_EQ(lowpan_dispatch(0xc7), LowpanDispatch::kFrag1);
    EXPECT_EQ(lowpan_dispatch(0xe7), LowpanDispatch::kFragN);
    EXPECT_EQ(lowpan_dispatch(0xd0), LowpanDispatch::kReserved);
}
