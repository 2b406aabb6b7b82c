// The fault wrappers over 10,000 frames with fixed seeds: exact counts for the seed (so a change
// in how a wrapper draws shows up), within a tolerance of the configured probability, and the
// shape of what arrives; then wrappers composed.
#include "sim/FaultLink.h"
#include "sim/Segment.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "LinkTestKit.h"

namespace meshwork::sim {
namespace {

using namespace testkit;

constexpr int kFrames = 10000;

// Node 1's stream under scenario seed 2026.
SeededRandom node_stream(std::uint64_t node = 1) {
    return SeededRandom(2026).derive(node);
}

// n draws with probability p: within 4 standard deviations.
void expect_near_probability(std::uint64_t count, int n, double p) {
    const double mean = n * p;
    const double sd = std::sqrt(n * p * (1 - p));
    EXPECT_NEAR(static_cast<double>(count), mean, 4 * sd) << "count " << count;
}

// An ideal, instantaneous point-to-point link; b records.
struct Bench {
    Scheduler s;
    PointToPointLink link{s, mac(1), mac(2)};
    Recorder rb{s};
    Bench() { link.b().set_receiver(&rb); }
    // Sends kFrames frames through `l`, one every `gap` us.
    void send_all(Link &l, std::int64_t gap = 0) {
        for (int i = 0; i < kFrames; ++i) {
            s.at(at_us(i * gap), [this, &l, i] {
                EXPECT_TRUE(
                    l.send(span(frame(mac(2), mac(1), static_cast<std::uint32_t>(i)))).ok());
            });
        }
        s.run_until_idle();
    }
    std::vector<std::uint32_t> seqs() const {
        std::vector<std::uint32_t> v;
        for (const Arrival &a : rb.frames)
            v.push_back(seq_of(a.bytes));
        return v;
    }
};

TEST(FaultLinks, ChanceIsExactAtTheEnds) {
    SeededRandom rng(1);
    for (int i = 0; i < 1000; ++i) {
        EXPECT_FALSE(draw_chance(rng, 0.0));
        EXPECT_TRUE(draw_chance(rng, 1.0));
    }
}

TEST(FaultLinks, LossDropsAtItsProbabilityAndKeepsOrder) {
    Bench b;
    SeededRandom rng = node_stream();
    LossLink loss(b.link.a(), rng, LossConfig{0.1});
    b.send_all(loss);
    EXPECT_EQ(loss.stats().frames, 10000u);
    EXPECT_EQ(loss.dropped(), 954u);
    expect_near_probability(loss.dropped(), kFrames, 0.1);
    EXPECT_EQ(b.rb.frames.size(), kFrames - loss.dropped());
    const std::vector<std::uint32_t> seqs = b.seqs();
    for (std::size_t i = 1; i < seqs.size(); ++i)
        ASSERT_LT(seqs[i - 1], seqs[i]);
}

TEST(FaultLinks, LossOnReceiveLeavesTransmitAlone) {
    Bench b;
    SeededRandom rng = node_stream();
    LossLink loss(b.link.b(), rng, LossConfig{0.25, LinkDirection::kReceive});
    Recorder rx(b.s);
    loss.set_receiver(&rx);
    Recorder ra(b.s);
    b.link.a().set_receiver(&ra);
    b.send_all(b.link.a());
    for (int i = 0; i < 100; ++i)
        ASSERT_TRUE(loss.send(span(frame(mac(1), mac(2), static_cast<std::uint32_t>(i)))).ok());
    b.s.run_until_idle();
    EXPECT_EQ(loss.stats().frames, 10000u);  // only received frames are drawn for
    EXPECT_EQ(loss.dropped(), 2452u);
    expect_near_probability(loss.dropped(), kFrames, 0.25);
    EXPECT_EQ(rx.frames.size(), kFrames - loss.dropped());
    EXPECT_EQ(ra.frames.size(), 100u);
}

TEST(FaultLinks, DuplicationSendsASecondCopyRightAfter) {
    Bench b;
    SeededRandom rng = node_stream();
    DuplicateLink dup(b.link.a(), rng, DuplicateConfig{0.05});
    b.send_all(dup, 10);
    EXPECT_EQ(dup.duplicated(), 461u);
    expect_near_probability(dup.duplicated(), kFrames, 0.05);
    ASSERT_EQ(b.rb.frames.size(), kFrames + dup.duplicated());
    std::map<std::uint32_t, int> copies;
    std::uint32_t last = 0;
    for (const Arrival &a : b.rb.frames) {
        const std::uint32_t q = seq_of(a.bytes);
        ASSERT_GE(q, last);
        last = q;
        ++copies[q];
        EXPECT_EQ(a.us, static_cast<std::int64_t>(q) * 10);  // the copy arrives at once too
    }
    std::uint64_t twice = 0;
    for (const auto &c : copies) {
        ASSERT_LE(c.second, 2);
        twice += c.second == 2;
    }
    EXPECT_EQ(copies.size(), static_cast<std::size_t>(kFrames));
    EXPECT_EQ(twice, dup.duplicated());
}

TEST(FaultLinks, CorruptionFlipsExactlyTheConfiguredBitsOutsideTheProtectedHeader) {
    Bench b;
    SeededRandom rng = node_stream();
    CorruptLink corrupt(b.link.a(), rng, CorruptConfig{0.02, 3, kEthernetHeaderSize});
    b.send_all(corrupt);
    EXPECT_EQ(corrupt.corrupted(), 184u);
    expect_near_probability(corrupt.corrupted(), kFrames, 0.02);
    EXPECT_EQ(corrupt.bits_flipped(), 3 * corrupt.corrupted());
    ASSERT_EQ(b.rb.frames.size(), static_cast<std::size_t>(kFrames));
    std::uint64_t damaged = 0;
    for (std::size_t i = 0; i < b.rb.frames.size(); ++i) {
        const std::vector<std::uint8_t> &got = b.rb.frames[i].bytes;
        const std::vector<std::uint8_t> sent = frame(mac(2), mac(1), static_cast<std::uint32_t>(i));
        ASSERT_EQ(got.size(), sent.size());
        int flipped = 0;
        for (std::size_t j = 0; j < got.size(); ++j) {
            const int diff = __builtin_popcount(static_cast<unsigned>(got[j] ^ sent[j]));
            if (j < kEthernetHeaderSize) {
                ASSERT_EQ(diff, 0);
            }
            flipped += diff;
        }
        ASSERT_TRUE(flipped == 0 || flipped == 3) << flipped;
        damaged += flipped == 3;
    }
    EXPECT_EQ(damaged, corrupt.corrupted());
}

TEST(FaultLinks, DelayHoldsEveryFrameExactlyAndKeepsOrder) {
    Bench b;
    SeededRandom rng = node_stream();
    DelayLink delay(b.link.a(), b.s, rng, DelayConfig{Duration(2500)});
    b.send_all(delay, 7);
    ASSERT_EQ(b.rb.frames.size(), static_cast<std::size_t>(kFrames));
    for (int i = 0; i < kFrames; ++i) {
        ASSERT_EQ(seq_of(b.rb.frames[i].bytes), static_cast<std::uint32_t>(i));
        ASSERT_EQ(b.rb.frames[i].us, i * 7 + 2500);
    }
    EXPECT_EQ(delay.stats().affected, 10000u);
}

TEST(FaultLinks, JitterIsUniformAndKeepsOrderWhenAsked) {
    Bench b;
    SeededRandom rng = node_stream();
    JitterLink jitter(b.link.a(), b.s, rng, JitterConfig{Duration(1000), true});
    b.send_all(jitter, 100);
    ASSERT_EQ(b.rb.frames.size(), static_cast<std::size_t>(kFrames));
    std::int64_t prev = 0;
    for (int i = 0; i < kFrames; ++i) {
        const Arrival &a = b.rb.frames[i];
        ASSERT_EQ(seq_of(a.bytes), static_cast<std::uint32_t>(i));
        ASSERT_GE(a.us, i * 100);
        ASSERT_GE(a.us, prev);
        prev = a.us;
    }
    EXPECT_EQ(jitter.total_jitter().count(), 5023106);
    // Uniform on [0, 1000]: mean 500, standard deviation of the mean 289 / sqrt(n).
    EXPECT_NEAR(jitter.total_jitter().count() / double(kFrames), 500.0, 4 * 289 / 100.0);
}

TEST(FaultLinks, JitterWithoutOrderLetsCloseFramesSwap) {
    Bench b;
    SeededRandom rng = node_stream();
    JitterLink jitter(b.link.a(), b.s, rng, JitterConfig{Duration(1000), false});
    b.send_all(jitter, 100);
    ASSERT_EQ(b.rb.frames.size(), static_cast<std::size_t>(kFrames));
    std::uint64_t inversions = 0;
    for (std::size_t i = 1; i < b.rb.frames.size(); ++i) {
        inversions += seq_of(b.rb.frames[i].bytes) < seq_of(b.rb.frames[i - 1].bytes);
    }
    // Each frame arrives within its own jitter window.
    for (const Arrival &a : b.rb.frames) {
        const std::int64_t sent = static_cast<std::int64_t>(seq_of(a.bytes)) * 100;
        ASSERT_GE(a.us, sent);
        ASSERT_LE(a.us, sent + 1000);
    }
    EXPECT_EQ(inversions, 4072u);
}

TEST(FaultLinks, ReorderSwapsAHeldFrameWithTheNextOne) {
    Bench b;
    SeededRandom rng = node_stream();
    ReorderLink reorder(b.link.a(), b.s, rng, ReorderConfig{0.1, Duration(10000)});
    b.send_all(reorder, 100);
    ASSERT_EQ(b.rb.frames.size(), static_cast<std::size_t>(kFrames));
    EXPECT_EQ(reorder.reordered(), 874u);
    // A frame is held only when none is: p / (1 + p) of the frames.
    expect_near_probability(reorder.reordered(), kFrames, 0.1 / 1.1);
    EXPECT_EQ(reorder.stats().affected, reorder.reordered() + reorder.released_on_timeout());
    std::uint64_t swaps = 0;
    const std::vector<std::uint32_t> seqs = b.seqs();
    for (std::size_t i = 0; i + 1 < seqs.size(); ++i) {
        if (seqs[i] > seqs[i + 1]) {
            ASSERT_EQ(seqs[i], seqs[i + 1] + 1);  // adjacent swap only
            ++swaps;
        }
    }
    EXPECT_EQ(swaps, reorder.reordered());
}

TEST(FaultLinks, ReorderReleasesAHeldFrameAfterMaxHold) {
    Bench b;
    SeededRandom rng(3);
    ReorderLink reorder(b.link.a(), b.s, rng, ReorderConfig{1.0, Duration(700)});
    ASSERT_TRUE(reorder.send(span(frame(mac(2), mac(1), 1))).ok());
    b.s.run_until_idle();
    ASSERT_EQ(b.rb.frames.size(), 1u);
    EXPECT_EQ(b.rb.frames[0].us, 700);
    EXPECT_EQ(reorder.released_on_timeout(), 1u);
    EXPECT_EQ(reorder.reordered(), 0u);
}

TEST(FaultLinks, HeldFramesTheInnerLinkRefusesLaterAreCounted) {
    Bench b;
    SeededRandom rng = node_stream();
    DelayLink delay(b.link.a(), b.s, rng, DelayConfig{Duration(100)});
    ASSERT_TRUE(delay.send(span(frame(mac(2), mac(1), 1))).ok());
    b.link.a().set_up(false);
    b.s.run_until_idle();
    EXPECT_EQ(delay.stats().forward_failures, 1u);
    EXPECT_TRUE(b.rb.frames.empty());
}

TEST(FaultLinks, WrappersComposeAndEachSeesWhatTheOuterOnePassed) {
    Bench b;
    SeededRandom rng = node_stream();
    // netif -> duplicate -> loss -> reorder -> corrupt -> port
    CorruptLink corrupt(b.link.a(), rng, CorruptConfig{0.01, 1, kEthernetHeaderSize});
    ReorderLink reorder(corrupt, b.s, rng, ReorderConfig{0.05, Duration(5000)});
    LossLink loss(reorder, rng, LossConfig{0.1});
    DuplicateLink dup(loss, rng, DuplicateConfig{0.1});
    EXPECT_EQ(dup.address(), mac(1));
    EXPECT_EQ(dup.mtu(), 1500u);
    b.send_all(dup, 50);
    EXPECT_EQ(dup.stats().frames, 10000u);
    EXPECT_EQ(loss.stats().frames, 10000u + dup.duplicated());
    EXPECT_EQ(reorder.stats().frames, loss.stats().frames - loss.dropped());
    EXPECT_EQ(corrupt.stats().frames, reorder.stats().frames);
    EXPECT_EQ(b.rb.frames.size(), corrupt.stats().frames);
    EXPECT_EQ(dup.duplicated(), 984u);
    EXPECT_EQ(loss.dropped(), 1043u);
    EXPECT_EQ(reorder.reordered(), 442u);
    EXPECT_EQ(corrupt.corrupted(), 104u);
}

TEST(FaultLinks, ADestroyedWrapperLeavesNoLiveEvent) {
    Bench b;
    SeededRandom rng = node_stream();
    {
        DelayLink delay(b.link.a(), b.s, rng, DelayConfig{Duration(100)});
        ReorderLink reorder(delay, b.s, rng, ReorderConfig{1.0, Duration(100)});
        ASSERT_TRUE(reorder.send(span(frame(mac(2), mac(1), 1))).ok());
        ASSERT_TRUE(delay.send(span(frame(mac(2), mac(1), 2))).ok());
    }
    b.s.run_until_idle();  // ASan: nothing touches the destroyed wrappers
    EXPECT_TRUE(b.rb.frames.empty());
}

}  // namespace
}  // namespace meshwork::sim
