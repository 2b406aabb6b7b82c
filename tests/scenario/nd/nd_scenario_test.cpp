// 6LoWPAN-ND over three levels in virtual time: a 6LBR, two routers in a chain and five hosts
// that hear only the last router. Every node registers (the hosts' registrations checked with
// the 6LBR two radio hops away by DAR/DAC), stays registered over thirty registration
// lifetimes, reaches the 6LBR's global address (static routes stand in for RPL), takes a new
// ABRO version with a new context, and a duplicate claim is refused.
#include <gtest/gtest.h>

#include <vector>

#include "NdNet.h"

namespace meshwork::ndtest {
namespace {

using namespace std::chrono_literals;
using nd::NdRole;
using nd::NdState;
using wire::Ip6Address;

constexpr int kHosts = 5;

stack::Route host_route(const Ip6Address &a, stack::IfIndex ifindex, const Ip6Address &via) {
    stack::Route r;
    r.prefix = a;
    r.prefix_length = 128;
    r.ifindex = ifindex;
    r.next_hop = via;
    return r;
}

class NdChain : public ::testing::TestWithParam<std::uint64_t> {
  protected:
    NdChain() : net(100, GetParam()) {
        stack::StackConfig fwd;
        fwd.forwarding = true;
        br = &net.add(0, border_router());
        r1 = &net.add(80, fast(NdRole::kRouter), fwd);
        r2 = &net.add(160, fast(NdRole::kRouter), fwd);
        for (int i = 0; i < kHosts; ++i)
            hosts.push_back(&net.add(230 + 5 * i, fast(NdRole::kHost)));
        // The 6LBR reaches R2 (for its DACs) through R1.
        r2_global = Ip6Address::from_prefix_iid(addr("2001:db8:1::"), r2->iid());
        br->stack.routes().add(host_route(r2_global, br->ifindex, r1->link_local()));
    }

    NdNet net;
    NdNode *br = nullptr, *r1 = nullptr, *r2 = nullptr;
    std::vector<NdNode *> hosts;
    Ip6Address r2_global;
};

TEST_P(NdChain, EveryNodeRegistersAndStaysRegistered) {
    br->start();
    r1->start();
    r2->start();
    for (NdNode *h : hosts)
        h->start();
    net.run_for(15s);

    ASSERT_EQ(r1->nd->state(), NdState::kRegistered);
    ASSERT_EQ(r2->nd->state(), NdState::kRegistered);
    EXPECT_EQ(r1->nd->router(), br->link_local());
    EXPECT_EQ(r2->nd->router(), r1->link_local());
    EXPECT_EQ(r2->nd->global_address(), r2_global);
    for (NdNode *h : hosts) {
        ASSERT_EQ(h->nd->state(), NdState::kRegistered) << nd::nd_state_name(h->nd->state());
        EXPECT_EQ(h->nd->router(), r2->link_local());
        EXPECT_EQ(h->nd->global_address(),
                  Ip6Address::from_prefix_iid(addr("2001:db8:1::"), h->iid()));
    }
    EXPECT_EQ(br->nd->registry().size(), 1u + 2u + kHosts);
    EXPECT_EQ(br->nd->registrations().size(), 1u);  // R1
    EXPECT_EQ(r1->nd->registrations().size(), 1u);  // R2
    EXPECT_EQ(r2->nd->registrations().size(), static_cast<std::size_t>(kHosts));
    EXPECT_GE(r2->nd->stats().dac_received, static_cast<std::uint64_t>(kHosts));

    // Static routes down the chain stand in for RPL; then each host pings the 6LBR.
    for (NdNode *h : hosts) {
        br->stack.routes().add(host_route(h->nd->global_address(), br->ifindex, r1->link_local()));
        r1->stack.routes().add(host_route(h->nd->global_address(), r1->ifindex, r2->link_local()));
    }
    int replies = 0;
    std::uint16_t seq = 0;
    for (NdNode *h : hosts) {
        h->stack.set_echo_reply_handler([&](const stack::EchoReply &e) {
            if (e.src == br->nd->global_address())
                ++replies;
        });
        ASSERT_TRUE(h->stack.ping(br->nd->global_address(), 7, ++seq));
        h->arm();
        net.run_for(500ms);
    }
    EXPECT_EQ(replies, kHosts);

    // Thirty one-minute lifetimes.
    std::vector<std::uint64_t> ns_before;
    for (NdNode *h : hosts)
        ns_before.push_back(h->nd->stats().ns_sent);
    net.run_for(30min);
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        EXPECT_EQ(hosts[i]->nd->state(), NdState::kRegistered);
        EXPECT_GE(hosts[i]->nd->stats().ns_sent - ns_before[i], 30u);
    }
    EXPECT_EQ(r1->nd->state(), NdState::kRegistered);
    EXPECT_EQ(r2->nd->state(), NdState::kRegistered);
    EXPECT_EQ(br->nd->registry().size(), 1u + 2u + kHosts);
    EXPECT_EQ(r2->nd->registrations().size(), static_cast<std::size_t>(kHosts));

    // A new context with a new ABRO version reaches every node.
    nd::NdContextConfig c;
    c.cid = 3;
    c.prefix = addr("2001:db8:3::");
    c.length = 48;
    ASSERT_TRUE(br->nd->set_context(c));
    br->nd->increment_abro_version();
    br->arm();
    net.run_for(3s);
    std::vector<NdNode *> all = {br, r1, r2};
    all.insert(all.end(), hosts.begin(), hosts.end());
    for (NdNode *n : all) {
        EXPECT_EQ(n->nd->abro_version(), 8u);
        auto ctx = n->lowpan.contexts().get(3);
        ASSERT_NE(ctx, nullptr);
        EXPECT_EQ(ctx->prefix, addr("2001:db8:3::"));
        EXPECT_EQ(ctx->prefix_len, 48);
    }

    // Someone else claims host 0's address: refused by the 6LBR's registry, two hops up.
    nd::NdConfig dup = fast(NdRole::kHost);
    dup.interface_id = hosts[0]->iid();
    NdNode &thief = net.add(240, dup);
    thief.start();
    net.run_for(5s);
    EXPECT_EQ(thief.nd->state(), NdState::kDuplicate);
    EXPECT_EQ(hosts[0]->nd->state(), NdState::kRegistered);
    EXPECT_EQ(r2->nd->registrations().size(), static_cast<std::size_t>(kHosts));
}

INSTANTIATE_TEST_SUITE_P(Seeds, NdChain, ::testing::Values(1, 2, 3));

}  // namespace
}  // namespace meshwork::ndtest
