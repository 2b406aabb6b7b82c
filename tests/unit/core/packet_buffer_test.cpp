#include "core/PacketBuffer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <utility>
#include <vector>

namespace meshwork {
namespace {

const std::uint8_t kPayload[] = {'d', 'a', 't', 'a'};
const std::uint8_t kUdp[] = {0xaa, 0xbb};
const std::uint8_t kIp[] = {0x60, 0x00, 0x00};

std::vector<std::uint8_t> bytes(ByteSpan s) {
    return std::vector<std::uint8_t>(s.begin(), s.end());
}

TEST(PacketBuffer, LowerLayersPrependIntoHeadroomWithoutMovingThePayload) {
    PacketPool pool(1024, 4);
    auto r = pool.allocate(8, 16);
    ASSERT_TRUE(r.ok());
    PacketBuffer b = std::move(r).value();
    EXPECT_EQ(b.capacity(), 24u);
    EXPECT_EQ(b.headroom(), 8u);
    EXPECT_EQ(b.tailroom(), 16u);
    EXPECT_TRUE(b.empty());

    ASSERT_TRUE(b.append(ByteSpan(kPayload)).ok());
    const std::uint8_t *payload_at = b.data().data;
    ASSERT_TRUE(b.prepend(ByteSpan(kUdp)).ok());
    auto ip = b.prepend(sizeof kIp);
    ASSERT_TRUE(ip.ok());
    std::memcpy(ip->data, kIp, sizeof kIp);

    EXPECT_EQ(bytes(b.data()),
              (std::vector<std::uint8_t>{0x60, 0, 0, 0xaa, 0xbb, 'd', 'a', 't', 'a'}));
    EXPECT_EQ(b.data().data + sizeof kIp + sizeof kUdp, payload_at);  // no copy
    EXPECT_EQ(b.headroom(), 3u);
    EXPECT_EQ(b.tailroom(), 12u);
}

TEST(PacketBuffer, ShortHeadroomOrTailroomIsRefusedWithoutChange) {
    PacketPool pool(1024, 4);
    PacketBuffer b = pool.allocate(2, 4).value();
    ASSERT_TRUE(b.append(ByteSpan(kPayload)).ok());
    EXPECT_EQ(b.prepend(ByteSpan(kIp)).error(), Error::kNoSpace);
    EXPECT_EQ(b.append(1).error(), Error::kNoSpace);
    EXPECT_EQ(b.size(), 4u);
    EXPECT_EQ(b.headroom(), 2u);
    EXPECT_TRUE(b.prepend(2).ok());
    EXPECT_EQ(b.headroom(), 0u);
}

TEST(PacketBuffer, TrimFrontAndBackForParsedHeadersAndPadding) {
    PacketPool pool(1024, 4);
    PacketBuffer b = pool.allocate(0, 16).value();
    ASSERT_TRUE(b.append(ByteSpan(kIp)).ok());
    ASSERT_TRUE(b.append(ByteSpan(kPayload)).ok());
    ASSERT_TRUE(b.trim_front(sizeof kIp).ok());
    EXPECT_EQ(bytes(b.data()), bytes(ByteSpan(kPayload)));
    EXPECT_EQ(b.headroom(), sizeof kIp);  // the trimmed header is headroom again
    ASSERT_TRUE(b.trim_back(1).ok());
    EXPECT_EQ(bytes(b.data()), (std::vector<std::uint8_t>{'d', 'a', 't'}));
    EXPECT_EQ(b.trim_front(4).error(), Error::kTruncated);
    EXPECT_EQ(b.trim_back(4).error(), Error::kTruncated);
    EXPECT_EQ(b.size(), 3u);
    ASSERT_TRUE(b.prepend(ByteSpan(kIp)).ok());  // a forwarder can rewrite the header
    EXPECT_EQ(b.size(), 6u);
}

TEST(PacketPool, ByteBudgetExhaustionIsNoMemoryAndCounted) {
    PacketPool pool(100, 10);
    auto a = pool.allocate(20, 40);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(pool.bytes_available(), 40u);
    auto b = pool.allocate(10, 31);
    EXPECT_EQ(b.error(), Error::kNoMemory);
    auto c = pool.allocate(10, 30);  // exactly the rest
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(pool.allocate(0, 1).error(), Error::kNoMemory);
    EXPECT_EQ(pool.allocate(SIZE_MAX, 2).error(), Error::kNoMemory);  // overflowing size
    EXPECT_EQ(pool.stats().failures, 3u);
    EXPECT_EQ(pool.stats().allocations, 2u);
    EXPECT_EQ(pool.stats().bytes_in_use, 100u);
}

TEST(PacketPool, BufferCountExhaustionIsNoMemory) {
    PacketPool pool(1 << 20, 2);
    PacketBuffer a = pool.allocate(0, 8).value();
    PacketBuffer b = pool.allocate(0, 8).value();
    EXPECT_EQ(pool.allocate(0, 8).error(), Error::kNoMemory);
    EXPECT_EQ(pool.stats().failures, 1u);
}

TEST(PacketPool, BuffersReturnOnDestructionAndMoveKeepsOneOwner) {
    PacketPool pool(64, 2);
    {
        PacketBuffer a = pool.allocate(16, 16).value();
        EXPECT_EQ(pool.stats().buffers_in_use, 1u);
        PacketBuffer moved = std::move(a);
        EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): the moved-from state
        EXPECT_TRUE(moved.valid());
        EXPECT_EQ(pool.stats().buffers_in_use, 1u);
        PacketBuffer other = pool.allocate(0, 32).value();
        EXPECT_EQ(pool.allocate(0, 1).error(), Error::kNoMemory);
        other = std::move(moved);  // `other`'s old block goes back now
        EXPECT_EQ(pool.stats().buffers_in_use, 1u);
        EXPECT_EQ(pool.stats().bytes_in_use, 32u);
    }
    EXPECT_EQ(pool.stats().buffers_in_use, 0u);
    EXPECT_EQ(pool.stats().bytes_in_use, 0u);
    EXPECT_EQ(pool.stats().peak_buffers, 2u);
    EXPECT_EQ(pool.stats().peak_bytes, 64u);
    EXPECT_TRUE(pool.allocate(32, 32).ok());  // the whole budget is usable again
    EXPECT_EQ(pool.stats().allocations, 3u);
}

TEST(PacketPool, TwoPoolsAreIndependent) {
    PacketPool a(16, 1), b(16, 1);
    PacketBuffer x = a.allocate(0, 16).value();
    EXPECT_EQ(a.allocate(0, 1).error(), Error::kNoMemory);
    EXPECT_TRUE(b.allocate(0, 16).ok());
    EXPECT_EQ(b.stats().failures, 0u);
}

}  // namespace
}  // namespace meshwork
