// OF0 (RFC 6552) and MRHOF (RFC 6719) ranks, parent selection and hysteresis; lollipop
// counters (RFC 6550 7.2).
#include <gtest/gtest.h>

#include "mesh/rpl/ObjectiveFunction.h"
#include "mesh/rpl/Rpl.h"

namespace meshwork::rpl {
namespace {

TEST(Of0, RankIsParentPlusStepTimesMinHopRankIncrease) {
    ObjectiveFunction of(Ocp::kOf0, OfParams{});
    EXPECT_EQ(of.rank_via({128, 128}), 128 + 3 * 128);
    EXPECT_EQ(of.rank_via({512, 900}), 512 + 384);  // OF0 ignores the link metric here
    EXPECT_EQ(of.rank_via({kInfiniteRank, 128}), kInfiniteRank);
    EXPECT_EQ(of.rank_via({0xff00, 128}), kInfiniteRank);  // overflow
    OfParams p;
    p.step_of_rank = 2;
    p.rank_stretch = 1;
    p.min_hop_rank_increase = 256;
    EXPECT_EQ(ObjectiveFunction(Ocp::kOf0, p).rank_via({256, 128}), 256 + 3 * 256);
}

TEST(Of0, SelectsLowestRankAndKeepsTheCurrentOnTies) {
    ObjectiveFunction of(Ocp::kOf0, OfParams{});
    std::vector<OfCandidate> c = {{896, 128}, {512, 128}, {512, 300}};
    EXPECT_EQ(of.select(c, -1), 1);
    EXPECT_EQ(of.select(c, 2), 2);  // same rank through 2: no switch
    EXPECT_EQ(of.select(c, 0), 1);  // strictly better
    EXPECT_EQ(of.rank(c, 1), 896);
}

TEST(Mrhof, RankIsPathCostWithEtx) {
    ObjectiveFunction of(Ocp::kMrhof, OfParams{});
    // Root 128 + ETX 1.5 (192) = 320.
    EXPECT_EQ(of.rank_via({128, 192}), 320);
    // At least the parent's rank rounded up to the next DAGRank (RFC 6719 3.3).
    EXPECT_EQ(of.rank_via({200, 10}), 256);
    // A link above MAX_LINK_METRIC (ETX 4) is not acceptable.
    EXPECT_FALSE(of.acceptable({128, 513}));
    EXPECT_EQ(of.rank_via({128, 513}), kInfiniteRank);
    // A path cost at MAX_PATH_COST is not acceptable either.
    EXPECT_FALSE(of.acceptable({32768 - 128, 128}));
}

TEST(Mrhof, ParentSwitchThresholdHysteresis) {
    OfParams rfc;
    rfc.parent_switch_threshold = 192;  // RFC 6719 5's value (the default here is 640)
    ObjectiveFunction of(Ocp::kMrhof, rfc);
    // Current parent: cost 128 + 400 = 528. Another at 128 + 200 = 328: 200 better, more than
    // PARENT_SWITCH_THRESHOLD (192): switch.
    std::vector<OfCandidate> c = {{128, 400}, {128, 200}};
    EXPECT_EQ(of.select(c, 0), 1);
    // 128 + 250 = 378: only 150 better: keep the current parent.
    c[1].etx = 250;
    EXPECT_EQ(of.select(c, 0), 0);
    EXPECT_EQ(of.select(c, -1), 1);  // without a current parent, the best
    // The current parent becoming unacceptable forces the switch.
    c[0].etx = 600;
    EXPECT_EQ(of.select(c, 0), 1);
    c[1].rank = kInfiniteRank;
    EXPECT_EQ(of.select(c, 0), -1);
    // The default threshold, ETX 5: a path 200 better is no reason to move; one through a
    // parent three hops nearer the root (rank 384 less) with an ETX 3 better link is.
    ObjectiveFunction def(Ocp::kMrhof, OfParams{});
    std::vector<OfCandidate> d = {{512, 400}, {512, 200}};
    EXPECT_EQ(def.select(d, 0), 0);
    d[1] = {128, 20};
    EXPECT_EQ(def.select(d, 0), 1);
}

TEST(Mrhof, RankRulesOverTheParentSet) {
    ObjectiveFunction of(Ocp::kMrhof, OfParams{});
    // Preferred 0 gives 128 + 128 = 256; a parent-set member with rank 250 rounds up to 256.
    std::vector<OfCandidate> c = {{128, 128}, {250, 128}};
    EXPECT_EQ(of.rank(c, 0), 256);
    // Preferred 0 gives 328; a member ranked 300 (below 328, so in the parent set) rounds up
    // to 384, which the node's rank must reach.
    c = {{128, 200}, {300, 128}};
    EXPECT_EQ(of.rank(c, 0), 384);
}

TEST(Lollipop, ComparisonAndIncrement) {
    EXPECT_EQ(Rpl::lollipop_next(240), 241);
    EXPECT_EQ(Rpl::lollipop_next(255), 0);
    EXPECT_EQ(Rpl::lollipop_next(127), 0);
    EXPECT_TRUE(Rpl::lollipop_greater(241, 240));
    EXPECT_FALSE(Rpl::lollipop_greater(240, 241));
    EXPECT_FALSE(Rpl::lollipop_greater(5, 5));
    // Linear part (>= 128) against circular (<= 127), RFC 6550 7.2.
    EXPECT_TRUE(Rpl::lollipop_greater(0, 255));     // 256 + 0 - 255 = 1 <= window
    EXPECT_FALSE(Rpl::lollipop_greater(100, 240));  // far apart: the linear one wins
    EXPECT_TRUE(Rpl::lollipop_greater(240, 100));
    // Circular part: serial arithmetic over 7 bits.
    EXPECT_TRUE(Rpl::lollipop_greater(2, 127));
    EXPECT_TRUE(Rpl::lollipop_greater(10, 5));
    EXPECT_FALSE(Rpl::lollipop_greater(5, 10));
}

}  // namespace
}  // namespace meshwork::rpl
