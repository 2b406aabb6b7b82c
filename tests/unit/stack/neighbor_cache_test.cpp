// The RFC 4861 7.3 neighbour state machine on its own: every transition of appendix C.
#include <gtest/gtest.h>

#include "NeighborCache.h"
#include "StackTestUtil.h"

namespace meshwork::stack::test {
namespace {

struct Hooks : NeighborCache::Hooks {
    struct Ns {
        Ip6Address target;
        bool unicast;
    };
    void send_solicitation(const Ip6Address &t, const LinkAddress *u) override {
        ns.push_back({t, u != nullptr});
    }
    void transmit(const LinkAddress &to, PacketBuffer p) override {
        sent.push_back(to);
        sizes.push_back(p.size());
    }
    void unreachable(const Ip6Address &t, PacketBuffer) override { ++unreach; }
    void dropped(StackDrop r) override { ++drops; }
    void router_lost(const Ip6Address &) override { ++lost; }
    std::vector<Ns> ns;
    std::vector<LinkAddress> sent;
    std::vector<std::size_t> sizes;
    int unreach = 0, drops = 0, lost = 0;
};

struct NcTest : ::testing::Test {
    NcTest() : cache(hooks, NeighborParams{}) {}
    PacketBuffer packet(std::size_t n = 10) {
        auto b = pool.allocate(16, n);
        (void)b->append(n);
        return std::move(*b);
    }
    PacketPool pool{1 << 16, 64};
    Hooks hooks;
    NeighborCache cache;
    Instant t{std::chrono::seconds(10)};
    Ip6Address n = addr("fe80::2");
};

TEST_F(NcTest, ResolutionQueuesThenSendsOnSolicitedAdvertisement) {
    cache.output(n, packet(10), t);
    cache.output(n, packet(11), t);
    ASSERT_EQ(hooks.ns.size(), 1u);
    EXPECT_FALSE(hooks.ns[0].unicast);
    EXPECT_EQ(cache.find(n)->state, NeighborState::kIncomplete);
    EXPECT_TRUE(hooks.sent.empty());
    LinkAddress m = mac(2);
    cache.on_advertisement(n, &m, true, true, false, t);
    EXPECT_EQ(cache.find(n)->state, NeighborState::kReachable);
    ASSERT_EQ(hooks.sent.size(), 2u);
    EXPECT_EQ(hooks.sent[0], m);
    EXPECT_EQ(hooks.sizes[0], 10u);  // in order
    EXPECT_EQ(hooks.sizes[1], 11u);
}

TEST_F(NcTest, UnsolicitedAdvertisementResolvesToStale) {
    cache.output(n, packet(), t);
    LinkAddress m = mac(2);
    cache.on_advertisement(n, &m, false, true, false, t);
    EXPECT_EQ(cache.find(n)->state, NeighborState::kStale);
    EXPECT_EQ(hooks.sent.size(), 1u);
}

TEST_F(NcTest, QueueKeepsNewestAndCountsOverflow) {
    for (int i = 0; i < 5; ++i)
        cache.output(n, packet(10 + i), t);
    EXPECT_EQ(hooks.drops, 2);  // max_queue 3
    LinkAddress m = mac(2);
    cache.on_advertisement(n, &m, true, false, false, t);
    ASSERT_EQ(hooks.sizes.size(), 3u);
    EXPECT_EQ(hooks.sizes[0], 12u);
}

TEST_F(NcTest, IncompleteRetransmitsThenFails) {
    cache.output(n, packet(), t);
    for (int i = 1; i <= 3; ++i) {
        EXPECT_EQ(cache.next_deadline(), t + std::chrono::seconds(i));
        cache.poll(t + std::chrono::seconds(i));
    }
    EXPECT_EQ(hooks.ns.size(), 3u);  // MAX_MULTICAST_SOLICIT
    EXPECT_EQ(cache.find(n), nullptr);
    EXPECT_EQ(hooks.unreach, 1);
    EXPECT_EQ(cache.next_deadline(), kNever);
}

TEST_F(NcTest, ReachableStaleDelayProbeAndDeletion) {
    LinkAddress m = mac(2);
    cache.output(n, packet(), t);
    cache.on_advertisement(n, &m, true, false, false, t);
    // REACHABLE -> STALE after ReachableTime.
    cache.poll(t + std::chrono::seconds(30));
    EXPECT_EQ(cache.find(n)->state, NeighborState::kStale);
    EXPECT_EQ(cache.next_deadline(), kNever);
    // STALE + send -> DELAY; 5 s later PROBE with a unicast NS.
    Instant t2 = t + std::chrono::seconds(100);
    cache.output(n, packet(), t2);
    EXPECT_EQ(cache.find(n)->state, NeighborState::kDelay);
    EXPECT_EQ(hooks.sent.size(), 2u);
    cache.poll(t2 + std::chrono::seconds(5));
    EXPECT_EQ(cache.find(n)->state, NeighborState::kProbe);
    ASSERT_EQ(hooks.ns.size(), 2u);
    EXPECT_TRUE(hooks.ns[1].unicast);
    // Two more probes, then the entry goes.
    cache.poll(t2 + std::chrono::seconds(6));
    cache.poll(t2 + std::chrono::seconds(7));
    EXPECT_EQ(hooks.ns.size(), 4u);
    EXPECT_NE(cache.find(n), nullptr);
    cache.poll(t2 + std::chrono::seconds(8));
    EXPECT_EQ(cache.find(n), nullptr);
}

TEST_F(NcTest, DelayConfirmedBySolicitedAdvertisementIsReachable) {
    LinkAddress m = mac(2);
    cache.on_link_address(n, m, t);
    EXPECT_EQ(cache.find(n)->state, NeighborState::kStale);
    cache.output(n, packet(), t);
    EXPECT_EQ(cache.find(n)->state, NeighborState::kDelay);
    cache.on_advertisement(n, nullptr, true, false, false, t + std::chrono::seconds(1));
    EXPECT_EQ(cache.find(n)->state, NeighborState::kReachable);
    EXPECT_EQ(hooks.ns.size(), 0u);
}

TEST_F(NcTest, OverrideRulesOfSection725) {
    LinkAddress m = mac(2), other = mac(3);
    cache.output(n, packet(), t);
    cache.on_advertisement(n, &m, true, false, false, t);
    // A different address without O: REACHABLE becomes STALE, the address is kept.
    cache.on_advertisement(n, &other, false, false, false, t);
    EXPECT_EQ(cache.find(n)->state, NeighborState::kStale);
    EXPECT_EQ(cache.find(n)->lladdr, m);
    // ... and with O it is replaced.
    cache.on_advertisement(n, &other, false, true, false, t);
    EXPECT_EQ(cache.find(n)->lladdr, other);
    EXPECT_EQ(cache.find(n)->state, NeighborState::kStale);
    // A changed address from an NS (7.2.3) also goes STALE.
    cache.confirm_reachable(n, t);
    EXPECT_EQ(cache.find(n)->state, NeighborState::kReachable);
    cache.on_link_address(n, m, t);
    EXPECT_EQ(cache.find(n)->state, NeighborState::kStale);
    EXPECT_EQ(cache.find(n)->lladdr, m);
}

TEST_F(NcTest, RouterFlagClearedReportsLostRouter) {
    LinkAddress m = mac(2);
    cache.on_link_address(n, m, t, true);
    EXPECT_TRUE(cache.find(n)->is_router);
    cache.on_advertisement(n, &m, false, true, false, t);
    EXPECT_FALSE(cache.find(n)->is_router);
    EXPECT_EQ(hooks.lost, 1);
}

TEST_F(NcTest, AdvertisementWithoutEntryIsIgnored) {
    LinkAddress m = mac(2);
    cache.on_advertisement(n, &m, false, true, false, t);
    EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace meshwork::stack::test
