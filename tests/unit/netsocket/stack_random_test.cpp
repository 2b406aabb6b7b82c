// NetworkStack::random() (a meshwork extension): a per-stack stream, deterministic from a fixed
// seed by default, reseedable, and safe to draw from several threads at once.
#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "FakeDnsStack.h"
#include "core/Random.h"

using meshwork::test::FakeDnsStack;

namespace {

std::vector<uint64_t> draw(NetworkStack &stack, int n) {
    std::vector<uint64_t> v;
    for (int i = 0; i < n; i++) {
        v.push_back(stack.random().next_u64());
    }
    return v;
}

TEST(StackRandom, EachStackHasItsOwnDeterministicStream) {
    FakeDnsStack a, b;
    const std::vector<uint64_t> first = draw(a, 8);
    EXPECT_EQ(draw(b, 8), first);  // same default seed, independent streams
    EXPECT_NE(draw(a, 8), first);  // the stream moves on
    EXPECT_EQ(std::set<uint64_t>(first.begin(), first.end()).size(), first.size());
}

TEST(StackRandom, SeedRestartsTheStream) {
    FakeDnsStack a, b;
    a.seed_random(7);
    b.seed_random(7);
    const std::vector<uint64_t> seven = draw(a, 4);
    EXPECT_EQ(draw(b, 4), seven);
    b.seed_random(NetworkStack::kDefaultRandomSeed);
    FakeDnsStack fresh;
    EXPECT_EQ(draw(b, 4), draw(fresh, 4));
    EXPECT_NE(seven, draw(a, 4));
}

TEST(StackRandom, ConcurrentDrawsNeverRepeatAValue) {
    // Lock-free: each draw takes its own step of the stream, so no value is lost or repeated.
    FakeDnsStack stack;
    constexpr int kThreads = 4;
    constexpr int kDraws = 5000;
    std::vector<std::vector<uint64_t>> got(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; t++) {
        threads.emplace_back([&, t] { got[t] = draw(stack, kDraws); });
    }
    for (auto &t : threads) {
        t.join();
    }
    std::set<uint64_t> all;
    for (const auto &v : got) {
        all.insert(v.begin(), v.end());
    }
    EXPECT_EQ(all.size(), size_t(kThreads * kDraws));
    FakeDnsStack serial;
    const std::vector<uint64_t> expected = draw(serial, kThreads * kDraws);
    EXPECT_EQ(all, std::set<uint64_t>(expected.begin(), expected.end()));
}

}  // namespace
