// TCP bulk transfers between two nodes in virtual time: 1 MB byte-exact, recovery by fast
// retransmit and by RTO, random loss with a seeded Random, reordering, duplication; then an
// orderly close.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "TcpPair.h"

namespace meshwork::stack::test {
namespace {

using namespace std::chrono_literals;

bool has_payload(const Bytes &f) {
    Bytes pl;
    return tcp_of(f, &pl).has_value() && !pl.empty();
}

TEST(TcpTransfer, OneMegabyteEachWayByteExact) {
    TcpPair p;
    auto [c, s] = p.establish();
    Bytes got = transfer(p, p.ta(), c, p.tb(), s, 1 << 20, 120s);
    EXPECT_TRUE(pattern_ok(got, 1 << 20));
    got = transfer(p, p.tb(), s, p.ta(), c, 1 << 20, 120s);
    EXPECT_TRUE(pattern_ok(got, 1 << 20));
    TcpInfo i = p.ta().info(c);
    EXPECT_EQ(i.stats.retransmits, 0u);
    EXPECT_GT(i.srtt.count(), 0);
    ASSERT_TRUE(p.ta().close(c).ok());
    ASSERT_TRUE(p.tb().close(s).ok());
    p.run_for(5s);
    // Both closed at once: a simultaneous close leaves TIME-WAIT on both sides, for 2 MSL.
    EXPECT_EQ(p.ta().connection_count(), 1u);
    EXPECT_EQ(p.tb().connection_count(), 2u);
    p.run_for(60s);
    EXPECT_EQ(p.ta().connection_count(), 0u);
    EXPECT_EQ(p.tb().connection_count(), 1u);  // the listener
}

TEST(TcpTransfer, LostSegmentRecoveredByFastRetransmit) {
    TcpPair p;
    auto [c, s] = p.establish();
    int n = 0;
    p.drop = [&](int from, const Bytes &f) { return from == 0 && has_payload(f) && ++n == 20; };
    Bytes got = transfer(p, p.ta(), c, p.tb(), s, 200000, 60s);
    EXPECT_TRUE(pattern_ok(got, 200000));
    TcpInfo i = p.ta().info(c);
    EXPECT_EQ(i.stats.fast_retransmits, 1u);
    EXPECT_EQ(i.stats.rto_expiries, 0u);
    EXPECT_EQ(p.dropped, 1u);
}

TEST(TcpTransfer, LostTailRecoveredByRto) {
    TcpPair p;
    auto [c, s] = p.establish();
    // The only data segment of a small write is lost: no duplicate ACKs can come.
    int n = 0;
    p.drop = [&](int from, const Bytes &f) { return from == 0 && has_payload(f) && ++n == 1; };
    Bytes got = transfer(p, p.ta(), c, p.tb(), s, 500, 10s);
    EXPECT_TRUE(pattern_ok(got, 500));
    TcpInfo i = p.ta().info(c);
    EXPECT_EQ(i.stats.rto_expiries, 1u);
    EXPECT_EQ(i.stats.fast_retransmits, 0u);
}

TEST(TcpTransfer, RandomLossBothWays) {
    for (int pct : {10, 20, 30}) {
        TcpPair p;
        auto [c, s] = p.establish();
        SeededRandom loss(1234, static_cast<std::uint64_t>(pct));
        p.drop = [&](int, const Bytes &f) {
            return tcp_of(f).has_value() && loss.uniform(100) < static_cast<std::uint32_t>(pct);
        };
        const std::size_t total = pct >= 30 ? 100000 : 300000;
        const Instant start = p.now();
        Bytes got = transfer(p, p.ta(), c, p.tb(), s, total, 3600s);
        EXPECT_TRUE(pattern_ok(got, total)) << pct << "% loss: " << got.size();
        EXPECT_GT(p.dropped, 10u);
        EXPECT_GT(p.ta().info(c).stats.retransmits, 0u);
        // The transfer time under loss, for the record (virtual time, 10 ms RTT).
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(p.now() - start);
        ::testing::Test::RecordProperty("loss_" + std::to_string(pct) + "_ms",
                                        std::to_string(ms.count()));
        const TcpConnStats &st = p.ta().info(c).stats;
        std::printf(
            "TCP %zu bytes at %d%% loss both ways: %lld ms virtual (RTOs %llu, fast "
            "retransmits %llu, retransmitted segments %llu)\n",
            total, pct, static_cast<long long>(ms.count()),
            static_cast<unsigned long long>(st.rto_expiries),
            static_cast<unsigned long long>(st.fast_retransmits),
            static_cast<unsigned long long>(st.retransmits));
    }
}

TEST(TcpTransfer, ReorderingIsReassembled) {
    TcpPair p;
    auto [c, s] = p.establish();
    int n = 0;
    // Every 7th data segment arrives 3 ms late, behind its successors.
    p.extra_delay = [&](int from, const Bytes &f) {
        return from == 0 && has_payload(f) && ++n % 7 == 0 ? Duration(3ms) : Duration(0);
    };
    Bytes got = transfer(p, p.ta(), c, p.tb(), s, 300000, 60s);
    EXPECT_TRUE(pattern_ok(got, 300000));
    bool sack = false;
    for (auto &h : p.tcp_sent(1))
        sack |= h.sack_count != 0;
    EXPECT_TRUE(sack);
}

TEST(TcpTransfer, DuplicationAndLossTogether) {
    TcpPair p;
    auto [c, s] = p.establish();
    SeededRandom r(77);
    p.duplicate = [&](int, const Bytes &f) { return tcp_of(f) && r.uniform(100) < 20; };
    p.drop = [&](int, const Bytes &f) { return tcp_of(f) && r.uniform(100) < 5; };
    Bytes got = transfer(p, p.ta(), c, p.tb(), s, 300000, 600s);
    EXPECT_TRUE(pattern_ok(got, 300000));
    got = transfer(p, p.tb(), s, p.ta(), c, 100000, 600s);
    EXPECT_TRUE(pattern_ok(got, 100000));
    EXPECT_EQ(p.ta().state(c), TcpState::kEstablished);
}

TEST(TcpTransfer, SameSeedSameWire) {
    auto run = [] {
        TcpPair p;
        auto [c, s] = p.establish();
        SeededRandom loss(99);
        p.drop = [&](int, const Bytes &f) { return tcp_of(f) && loss.uniform(100) < 5; };
        (void)transfer(p, p.ta(), c, p.tb(), s, 100000, 120s);
        std::uint64_t h = 1469598103934665603ull;
        for (int i = 0; i < 2; ++i)
            for (auto &f : p.sent[i])
                for (std::uint8_t b : f)
                    h = (h ^ b) * 1099511628211ull;
        return h;
    };
    EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace meshwork::stack::test
