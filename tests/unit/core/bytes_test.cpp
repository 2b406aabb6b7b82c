#include "core/Bytes.h"

#include <gtest/gtest.h>

namespace meshwork {
namespace {

TEST(ByteReader, ReadsBigAndLittleEndian) {
    const std::uint8_t data[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};
    ByteReader r{ByteSpan(data)};
    EXPECT_EQ(r.u8(), 0x01);
    EXPECT_EQ(r.u16(), 0x0203);
    EXPECT_EQ(r.u16_le(), 0x0504);
    EXPECT_EQ(r.u32(), 0x06070809u);
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.at_end());
}

TEST(ByteReader, ShortReadFailsStickyAndYieldsZero) {
    const std::uint8_t data[] = {0xAA, 0xBB, 0xCC};
    ByteReader r{ByteSpan(data)};
    EXPECT_EQ(r.u8(), 0xAA);
    EXPECT_EQ(r.u32(), 0u);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.offset(), 1u);  // a failed read consumes nothing
    EXPECT_EQ(r.u8(), 0);       // and the failure is sticky
    EXPECT_FALSE(r.ok());
}

TEST(ByteReader, TakeAndRest) {
    const std::uint8_t data[] = {1, 2, 3, 4, 5};
    ByteReader r{ByteSpan(data)};
    ByteSpan two = r.take(2);
    ASSERT_EQ(two.size, 2u);
    EXPECT_EQ(two[1], 2);
    EXPECT_EQ(r.rest().size, 3u);
    EXPECT_TRUE(r.take(4).empty());
    EXPECT_FALSE(r.ok());
}

TEST(ByteWriter, WritesAndRefusesOverflow) {
    std::uint8_t out[5] = {};
    ByteWriter w{MutableByteSpan(out)};
    w.u16(0x1234);
    w.u16_le(0x5678);
    EXPECT_TRUE(w.ok());
    w.u16(0xFFFF);  // needs 2, has 1
    EXPECT_FALSE(w.ok());
    EXPECT_EQ(w.offset(), 4u);
    const std::uint8_t expect[] = {0x12, 0x34, 0x78, 0x56, 0x00};
    EXPECT_TRUE(ByteSpan(out).equals(ByteSpan(expect)));
}

TEST(ByteSpan, SubspanClamps) {
    const std::uint8_t data[] = {1, 2, 3};
    ByteSpan s(data);
    EXPECT_EQ(s.subspan(1).size, 2u);
    EXPECT_EQ(s.subspan(2, 10).size, 1u);
    EXPECT_EQ(s.subspan(5).size, 0u);
}

}  // namespace
}  // namespace meshwork
