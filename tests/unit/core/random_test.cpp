#include "core/Random.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <memory>
#include <set>
#include <vector>

namespace meshwork {
namespace {

std::vector<std::uint64_t> draw(Random &r, int n) {
    std::vector<std::uint64_t> v;
    for (int i = 0; i < n; ++i)
        v.push_back(r.next_u64());
    return v;
}

TEST(SeededRandom, SameSeedAndStreamGiveTheSameSequence) {
    SeededRandom a(42, 7), b(42, 7);
    EXPECT_EQ(draw(a, 100), draw(b, 100));
}

TEST(SeededRandom, DifferentSeedsOrStreamsDiffer) {
    SeededRandom a(42, 0), b(43, 0), c(42, 1);
    const auto va = draw(a, 16), vb = draw(b, 16), vc = draw(c, 16);
    EXPECT_NE(va, vb);
    EXPECT_NE(va, vc);
    EXPECT_NE(vb, vc);
}

TEST(SeededRandom, DeriveIsReproducibleAndDoesNotAdvanceTheParent) {
    SeededRandom parent(99);
    SeededRandom untouched(99);
    SeededRandom child1 = parent.derive(3);
    SeededRandom child2 = parent.derive(3);
    SeededRandom other = parent.derive(4);
    EXPECT_EQ(draw(child1, 20), draw(child2, 20));
    SeededRandom child3 = parent.derive(3);
    EXPECT_NE(draw(child3, 20), draw(other, 20));
    EXPECT_EQ(draw(parent, 20), draw(untouched, 20));
    // A derived stream is not the parent's own stream.
    SeededRandom p2(99);
    SeededRandom d0 = SeededRandom(99).derive(0);
    EXPECT_NE(draw(p2, 20), draw(d0, 20));
    // Two streams' sub-streams of one number differ (a node's components under its stream).
    SeededRandom a = parent.derive(3).derive(7), b = parent.derive(4).derive(7);
    EXPECT_NE(draw(a, 20), draw(b, 20));
}

TEST(SeededRandom, KnownFirstValuesPinTheAlgorithm) {
    // Guards "same seed, same bytes" across versions: changing the generator or its seeding
    // changes every capture, so it must be a deliberate change of these values.
    SeededRandom r(1, 0);
    EXPECT_EQ(r.next_u64(), 0xa6a3174ff34082e1ULL);
    EXPECT_EQ(r.next_u64(), 0x41928b7a58854e22ULL);
    EXPECT_EQ(r.next_u64(), 0x5d72b0438e2033e2ULL);
}

TEST(Random, UniformStaysInBoundsAndCoversTheRange) {
    SeededRandom r(5);
    std::array<int, 10> counts{};
    for (int i = 0; i < 20000; ++i) {
        const std::uint32_t v = r.uniform(10);
        ASSERT_LT(v, 10u);
        ++counts[v];
    }
    for (int c : counts) {
        EXPECT_GT(c, 1700);  // 2000 expected; 7 sigma is about 300
        EXPECT_LT(c, 2300);
    }
    EXPECT_EQ(r.uniform(0), 0u);
    EXPECT_EQ(r.uniform(1), 0u);
}

TEST(Random, UniformRangeIsInclusive) {
    SeededRandom r(6);
    std::set<std::uint32_t> seen;
    for (int i = 0; i < 1000; ++i) {
        const std::uint32_t v = r.uniform_range(3, 5);
        ASSERT_GE(v, 3u);
        ASSERT_LE(v, 5u);
        seen.insert(v);
    }
    EXPECT_EQ(seen.size(), 3u);
    EXPECT_EQ(r.uniform_range(9, 9), 9u);
    EXPECT_EQ(r.uniform_range(9, 2), 9u);
}

TEST(Random, FillWritesEveryByteDeterministically) {
    SeededRandom a(8), b(8);
    std::uint8_t x[13] = {}, y[13] = {};
    a.fill(x, sizeof x);
    b.fill(y, sizeof y);
    EXPECT_EQ(0, std::memcmp(x, y, sizeof x));
    int zeros = 0;
    for (auto v : x)
        zeros += v == 0;
    EXPECT_LT(zeros, 4);
}

}  // namespace
}  // namespace meshwork
