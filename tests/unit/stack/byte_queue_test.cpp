// ByteQueue: the TCP send/receive ring. Against a std::deque model over random appends,
// offset reads and consumes (wrapping around the block many times, growing past it), and the
// storage rules: no block while empty, a drained queue's block reused from the spares.
#include "ByteQueue.h"

#include <gtest/gtest.h>

#include <deque>
#include <vector>

#include "wire/Checksum.h"

namespace meshwork::stack {
namespace {

TEST(ByteQueue, MatchesADequeModel) {
    ByteQueue::Spares spares;
    ByteQueue q;
    std::deque<std::uint8_t> model;
    std::uint32_t x = 1;
    auto rnd = [&x](std::uint32_t n) {
        x = x * 1103515245u + 12345u;
        return (x >> 8) % n;
    };
    std::uint8_t next = 0;
    for (int step = 0; step < 20000; ++step) {
        const std::uint32_t op = rnd(3);
        if (op == 0) {
            std::vector<std::uint8_t> in(rnd(700));
            for (auto &b : in)
                b = next++;
            q.append(in.data(), in.size(), spares, 1000);
            model.insert(model.end(), in.begin(), in.end());
        } else if (op == 1 && !model.empty()) {
            const std::size_t off = rnd(static_cast<std::uint32_t>(model.size()));
            const std::size_t n = rnd(static_cast<std::uint32_t>(model.size() - off) + 1);
            std::vector<std::uint8_t> out(n), out2(n);
            q.copy_out(off, out.data(), n);
            wire::Checksum got, want;
            q.copy_out_sum(off, out2.data(), n, got);
            ASSERT_TRUE(std::equal(out.begin(), out.end(), model.begin() + static_cast<long>(off)))
                << "step " << step;
            ASSERT_EQ(out, out2);
            want.add(ByteSpan(out.data(), out.size()));
            ASSERT_EQ(got.sum(), want.sum());
        } else {
            const std::size_t n = rnd(900);
            q.consume(n, spares);
            model.erase(model.begin(),
                        model.begin() + static_cast<long>(std::min(n, model.size())));
        }
        ASSERT_EQ(q.size(), model.size());
        ASSERT_EQ(q.empty(), q.capacity() == 0) << "storage held only while bytes are queued";
    }
}

TEST(ByteQueue, DrainedBlockIsReusedAndSparesAreBounded) {
    ByteQueue::Spares spares;
    const std::uint8_t b[16] = {1, 2, 3};
    ByteQueue a;
    a.append(b, sizeof b, spares, 4096);
    EXPECT_EQ(a.capacity(), 4096u);
    a.consume(sizeof b, spares);
    EXPECT_EQ(a.capacity(), 0u);
    EXPECT_EQ(spares.count(), 1u);
    a.append(b, 1, spares, 4096);  // takes the spare back
    EXPECT_EQ(spares.count(), 0u);
    EXPECT_EQ(a.capacity(), 4096u);
    ByteQueue c[4];
    for (auto &q : c)
        q.append(b, 1, spares, 1024);
    for (auto &q : c)
        q.clear(spares);
    EXPECT_EQ(spares.count(), ByteQueue::Spares::kMax);
    EXPECT_EQ(spares.bytes(), ByteQueue::Spares::kMax * 1024);
}

TEST(ByteQueue, GrowsPastItsBlockKeepingOrder) {
    ByteQueue::Spares spares;
    ByteQueue q;
    std::vector<std::uint8_t> in(10000);
    for (std::size_t i = 0; i < in.size(); ++i)
        in[i] = static_cast<std::uint8_t>(i * 7);
    q.append(in.data(), 300, spares, 512);
    q.consume(200, spares);  // head inside the block, so growth must unwrap
    q.append(in.data() + 300, in.size() - 300, spares, 512);
    ASSERT_EQ(q.size(), in.size() - 200);
    std::vector<std::uint8_t> out(q.size());
    q.copy_out(0, out.data(), out.size());
    EXPECT_TRUE(std::equal(out.begin(), out.end(), in.begin() + 200));
}

}  // namespace
}  // namespace meshwork::stack
