// SixLowpanNd (RFC 6775 / RFC 8505) on real stacks over the simulated radio, MAC and 6LoWPAN
// adaptation layer, in virtual time: the RS/RA exchange and its options, registration,
// multihop DAD by DAR/DAC, re-registration, router loss, a full table, ABRO version changes,
// RS backoff and deregistration.
#include <gtest/gtest.h>

#include <vector>

#include "NdNet.h"
#include "wire/Nd.h"

namespace meshwork::ndtest {
namespace {

using namespace std::chrono_literals;
using nd::NdDrop;
using nd::NdRole;
using nd::NdState;
using wire::Ip6Address;

std::array<std::uint8_t, 8> eui_bytes(int id) {
    std::array<std::uint8_t, 8> e{};
    wire::MacAddress::from_extended(eui_of(id)).to_eui64(e.data());
    return e;
}

// A node with ND not started that sends one RS by hand and keeps the RA it gets: the exact
// bytes the 6LBR sends.
TEST(SixLowpanNd, RouterAdvertisementAnswersRsWithExactOptions) {
    NdNet net;
    NdNode &br = net.add(0, border_router());
    NdNode &probe = net.add(5, fast(NdRole::kHost));
    br.start();
    net.run_for(200ms);

    std::vector<std::uint8_t> ra;
    Ip6Address ra_src, ra_dst;
    std::uint8_t ra_hops = 0;
    probe.stack.set_icmp_handler(wire::Icmp6Type::kRouterAdvertisement,
                                 [&](stack::IfIndex, const wire::Ip6View &ip, ByteSpan m) {
                                     ra.assign(m.data, m.data + m.size);
                                     ra_src = ip.src();
                                     ra_dst = ip.dst();
                                     ra_hops = ip.hop_limit();
                                     return true;
                                 });
    const std::uint8_t rs[8] = {wire::Icmp6Type::kRouterSolicitation, 0, 0, 0, 0, 0, 0, 0};
    stack::OutputRoute route;
    route.ifindex = probe.ifindex;
    route.next_hop = Ip6Address::all_routers_link_local();
    route.src = probe.link_local();
    ASSERT_TRUE(probe.stack.send_icmp(route, Ip6Address::all_routers_link_local(),
                                      ByteSpan(rs, sizeof rs), 255));
    probe.arm();
    net.run_for(500ms);

    ASSERT_FALSE(ra.empty());
    EXPECT_EQ(ra_src, br.link_local());
    EXPECT_EQ(ra_dst, probe.link_local());  // unicast to the soliciting node (RFC 6775 6.5.2)
    EXPECT_EQ(ra_hops, 255);
    auto v = wire::NdView::parse(ByteSpan(ra.data(), ra.size()));
    ASSERT_TRUE(v);
    ASSERT_TRUE(v->ra());
    EXPECT_EQ(v->ra()->router_lifetime, 1800);
    const auto eui = eui_bytes(0);
    auto sllao = v->options().sllao();
    ASSERT_TRUE(sllao);
    ASSERT_EQ(sllao->address.size, 14u);
    EXPECT_TRUE(sllao->address.subspan(0, 8).equals(ByteSpan(eui.data(), 8)));
    int pios = 0, cos = 0;
    for (auto o : v->options()) {
        if (auto p = o.prefix_info()) {
            ++pios;
            EXPECT_EQ(p->prefix, addr("2001:db8:1::"));
            EXPECT_EQ(p->prefix_length, 64);
            EXPECT_EQ(p->flags, wire::PrefixInfo::kFlagAutonomous);  // L clear: route-over
            EXPECT_EQ(p->valid_lifetime, 0xffffffffu);
            EXPECT_EQ(p->preferred_lifetime, 0xffffffffu);
        }
        if (auto c = o.context()) {
            ++cos;
            EXPECT_EQ(c->cid(), 0);
            EXPECT_TRUE(c->compression());
            EXPECT_EQ(c->context_length, 64);
            EXPECT_EQ(c->valid_lifetime, 30);
            EXPECT_EQ(c->prefix, addr("2001:db8:1::"));
        }
    }
    EXPECT_EQ(pios, 1);
    EXPECT_EQ(cos, 1);
    auto abro = v->options().abro();
    ASSERT_TRUE(abro);
    EXPECT_EQ(abro->version, 7u);
    EXPECT_EQ(abro->valid_lifetime, 10000);
    EXPECT_EQ(abro->address, Ip6Address::from_prefix_iid(addr("2001:db8:1::"), br.iid()));
    EXPECT_EQ(br.nd->stats().rs_received, 1u);
    EXPECT_EQ(br.nd->stats().ra_sent, 1u);
}

TEST(SixLowpanNd, HostRegistersWithTheBorderRouter) {
    NdNet net;
    NdNode &br = net.add(0, border_router());
    NdNode &host = net.add(5, fast(NdRole::kHost));
    std::vector<NdState> states;
    host.nd->set_state_listener([&](NdState s) { states.push_back(s); });
    std::vector<std::pair<Ip6Address, bool>> regs;
    br.nd->set_registration_listener(
        [&](const Ip6Address &a, bool added) { regs.emplace_back(a, added); });
    br.start();
    host.start();
    net.run_for(3s);

    const Ip6Address global = Ip6Address::from_prefix_iid(addr("2001:db8:1::"), host.iid());
    ASSERT_EQ(host.nd->state(), NdState::kRegistered);
    EXPECT_EQ(host.nd->global_address(), global);
    EXPECT_EQ(host.nd->router(), br.link_local());
    EXPECT_EQ(host.nd->abro_version(), 7u);
    EXPECT_EQ(host.nd->registered_lifetime(), 1);
    EXPECT_EQ(host.nd->last_status(), wire::NdArStatus::kSuccess);
    EXPECT_EQ(states, (std::vector<NdState>{NdState::kSoliciting, NdState::kRegistering,
                                            NdState::kRegistered}));
    // The address is in the stack (usable), the default route goes via the router.
    EXPECT_TRUE(host.stack.is_local_address(global));
    auto def = host.stack.routes().lookup(addr("2001:db8:99::1"));
    ASSERT_NE(def, nullptr);
    EXPECT_EQ(def->next_hop, br.link_local());
    // The context from the 6CO is in the adaptation layer.
    auto ctx = host.lowpan.contexts().get(0);
    ASSERT_NE(ctx, nullptr);
    EXPECT_EQ(ctx->prefix, addr("2001:db8:1::"));
    EXPECT_TRUE(ctx->compress);
    // The 6LBR's table and registry.
    auto r = br.nd->find_registration(global);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->state, nd::NdRegState::kRegistered);
    EXPECT_EQ(r->mac, wire::MacAddress::from_extended(eui_of(1)));
    EXPECT_EQ(r->rovr.size, 8);
    EXPECT_EQ(std::memcmp(r->rovr.bytes, eui_bytes(1).data(), 8), 0);
    EXPECT_EQ(br.nd->registry().size(), 2u);  // its own address and the host's
    EXPECT_EQ(regs, (std::vector<std::pair<Ip6Address, bool>>{{global, true}}));
    // The 6LBR resolves the registered address to the host's MAC.
    EXPECT_EQ(br.lowpan.resolve(global), wire::MacAddress::from_extended(eui_of(1)));

    // Global-to-global traffic works both ways.
    int replies = 0;
    host.stack.set_echo_reply_handler([&](const stack::EchoReply &e) {
        if (e.src == br.nd->global_address())
            ++replies;
    });
    ASSERT_TRUE(host.stack.ping(br.nd->global_address(), 1, 1));
    host.arm();
    net.run_for(1s);
    EXPECT_EQ(replies, 1);
    EXPECT_EQ(host.nd->drops().total(), 0u) << host.nd->drops().to_string();
    EXPECT_EQ(br.nd->drops().total(), 0u) << br.nd->drops().to_string();
}

// BR (x=0) - R (x=80) - hosts (x=160): the hosts hear only R; R checks their registrations
// with the 6LBR by DAR/DAC. A second host claiming the first one's address (same IID,
// another EUI-64) is refused as a duplicate.
TEST(SixLowpanNd, DuplicateAddressRefusedAcrossTwoHops) {
    NdNet net;
    NdNode &br = net.add(0, border_router());
    stack::StackConfig fwd;
    fwd.forwarding = true;
    NdNode &r = net.add(80, fast(NdRole::kRouter), fwd);
    NdNode &h1 = net.add(160, fast(NdRole::kHost));
    std::vector<std::pair<Ip6Address, bool>> regs;
    r.nd->set_registration_listener(
        [&](const Ip6Address &a, bool added) { regs.emplace_back(a, added); });
    br.start();
    r.start();
    net.run_for(2s);
    ASSERT_EQ(r.nd->state(), NdState::kRegistered);
    h1.start();
    net.run_for(3s);
    ASSERT_EQ(h1.nd->state(), NdState::kRegistered);
    EXPECT_EQ(h1.nd->router(), r.link_local());
    const Ip6Address g1 = h1.nd->global_address();
    EXPECT_GE(r.nd->stats().dar_sent, 1u);
    EXPECT_GE(br.nd->stats().dac_sent, 1u);
    EXPECT_GE(r.nd->stats().dac_received, 1u);
    bool in_registry = false;
    for (const auto &e : br.nd->registry())
        in_registry |= e.address == g1;
    EXPECT_TRUE(in_registry);
    EXPECT_EQ(br.nd->find_registration(g1), nullptr);  // not the 6LBR's neighbour
    EXPECT_EQ(regs, (std::vector<std::pair<Ip6Address, bool>>{{g1, true}}));

    nd::NdConfig dup = fast(NdRole::kHost);
    dup.interface_id = h1.iid();
    NdNode &h2 = net.add(160, dup);
    h2.start();
    net.run_for(3s);
    EXPECT_EQ(h2.nd->state(), NdState::kDuplicate);
    EXPECT_EQ(h2.nd->last_status(), wire::NdArStatus::kDuplicate);
    EXPECT_FALSE(h2.stack.is_local_address(g1));  // the address was given up
    EXPECT_TRUE(h2.nd->global_address().is_unspecified());
    EXPECT_EQ(h1.nd->state(), NdState::kRegistered);  // the owner keeps it
    EXPECT_GE(r.nd->stats().registrations_refused, 1u);
    EXPECT_EQ(r.nd->registrations().size(), 1u);

    // Data across the two hops with a static route on the 6LBR (no RPL here).
    stack::Route via;
    via.prefix = g1;
    via.prefix_length = 128;
    via.ifindex = br.ifindex;
    via.next_hop = r.link_local();
    br.stack.routes().add(via);
    int replies = 0;
    h1.stack.set_echo_reply_handler([&](const stack::EchoReply &e) {
        if (e.src == br.nd->global_address())
            ++replies;
    });
    ASSERT_TRUE(h1.stack.ping(br.nd->global_address(), 1, 1));
    h1.arm();
    net.run_for(1s);
    EXPECT_EQ(replies, 1);
    EXPECT_EQ(r.nd->drops()[NdDrop::kUnexpected], 0u);
}

TEST(SixLowpanNd, ReRegistersBeforeExpiryAndNoticesALostRouter) {
    NdNet net;
    NdNode &br = net.add(0, border_router());
    NdNode &host = net.add(5, fast(NdRole::kHost));
    std::vector<NdState> states;
    host.nd->set_state_listener([&](NdState s) { states.push_back(s); });
    br.start();
    host.start();
    net.run_for(3s);
    ASSERT_EQ(host.nd->state(), NdState::kRegistered);
    const auto ns_after_first = host.nd->stats().ns_sent;
    states.clear();

    net.run_for(10min);  // ten lifetimes of one minute
    EXPECT_EQ(host.nd->state(), NdState::kRegistered);
    EXPECT_TRUE(states.empty());  // never left the registered state
    EXPECT_GE(host.nd->stats().ns_sent - ns_after_first, 10u);
    EXPECT_LE(host.nd->stats().ns_sent - ns_after_first, 14u);  // one per 48-54 s
    ASSERT_NE(br.nd->find_registration(host.nd->global_address()), nullptr);
    EXPECT_EQ(br.nd->registrations().size(), 1u);

    br.stop();
    net.run_for(2min);
    EXPECT_NE(host.nd->state(), NdState::kRegistered);
    ASSERT_FALSE(states.empty());
    EXPECT_EQ(states.front(), NdState::kSoliciting);
    EXPECT_EQ(host.stack.routes().lookup(addr("2001:db8:99::1")), nullptr);  // no default route
}

TEST(SixLowpanNd, FullRegistrationTableRefusesWithStatus2) {
    NdNet net;
    nd::NdConfig bc = border_router();
    bc.max_registrations = 1;
    NdNode &br = net.add(0, bc);
    NdNode &h1 = net.add(5, fast(NdRole::kHost));
    NdNode &h2 = net.add(10, fast(NdRole::kHost));
    br.start();
    h1.start();
    net.run_for(3s);
    ASSERT_EQ(h1.nd->state(), NdState::kRegistered);
    h2.start();
    net.run_for(3s);
    EXPECT_EQ(h2.nd->state(), NdState::kNeighborCacheFull);
    EXPECT_EQ(h2.nd->last_status(), wire::NdArStatus::kNeighborCacheFull);
    EXPECT_EQ(br.nd->registrations().size(), 1u);
    EXPECT_EQ(br.nd->stats().registrations_refused, 1u);
    // Room again once h1 deregisters: h2's next solicitation round registers it.
    h1.stop();
    net.run_for(10s);
    EXPECT_EQ(br.nd->find_registration(h1.nd->global_address()), nullptr);
    EXPECT_EQ(h2.nd->state(), NdState::kRegistered);
}

TEST(SixLowpanNd, NewAbroVersionPropagatesANewContextOverTwoHops) {
    NdNet net;
    NdNode &br = net.add(0, border_router());
    NdNode &r = net.add(80, fast(NdRole::kRouter));
    NdNode &h = net.add(160, fast(NdRole::kHost));
    br.start();
    r.start();
    net.run_for(2s);
    h.start();
    net.run_for(3s);
    ASSERT_EQ(h.nd->state(), NdState::kRegistered);
    EXPECT_EQ(h.nd->abro_version(), 7u);
    EXPECT_EQ(h.lowpan.contexts().get(1), nullptr);

    nd::NdContextConfig c1;
    c1.cid = 1;
    c1.prefix = addr("2001:db8:2::");
    c1.length = 64;
    c1.compress = false;
    c1.valid_lifetime = 20;
    ASSERT_TRUE(br.nd->set_context(c1));
    br.nd->increment_abro_version();
    br.arm();
    net.run_for(1s);
    EXPECT_EQ(br.nd->abro_version(), 8u);
    EXPECT_EQ(r.nd->abro_version(), 8u);
    EXPECT_EQ(h.nd->abro_version(), 8u);
    for (NdNode *n : {&br, &r, &h}) {
        auto ctx = n->lowpan.contexts().get(1);
        ASSERT_NE(ctx, nullptr);
        EXPECT_EQ(ctx->prefix, addr("2001:db8:2::"));
        EXPECT_FALSE(ctx->compress);
        EXPECT_NE(n->lowpan.contexts().get(0), nullptr);
    }
    EXPECT_EQ(h.nd->state(), NdState::kRegistered);
    EXPECT_GE(r.nd->stats().abro_updates, 2u);  // the first RA and the new version
}

TEST(SixLowpanNd, RouterSolicitationsBackOff) {
    NdNet net;
    nd::NdConfig c;  // the RFC 6775 5.3 defaults: 10 s, 3 times, then doubling to 60 s
    c.rs_max_delay = Duration::zero();
    NdNode &host = net.add(0, c);
    host.start();
    // RS at 0, 10, 20, 30, 50, 90, 150, 210.
    const std::vector<std::pair<Duration, std::uint64_t>> expect = {
        {1s, 1},  {11s, 2}, {21s, 3},  {31s, 4},  {49s, 4}, {51s, 5},
        {89s, 5}, {91s, 6}, {149s, 6}, {151s, 7}, {211s, 8}};
    Duration at{0};
    for (const auto &[t, n] : expect) {
        net.run_for(t - at);
        at = t;
        EXPECT_EQ(host.nd->stats().rs_sent, n) << "at " << t.count() / 1000000 << " s";
    }
    EXPECT_EQ(host.nd->state(), NdState::kSoliciting);
}

TEST(SixLowpanNd, StopDeregisters) {
    NdNet net;
    NdNode &br = net.add(0, border_router());
    NdNode &host = net.add(5, fast(NdRole::kHost));
    std::vector<std::pair<Ip6Address, bool>> regs;
    br.nd->set_registration_listener(
        [&](const Ip6Address &a, bool added) { regs.emplace_back(a, added); });
    br.start();
    host.start();
    net.run_for(3s);
    const Ip6Address g = host.nd->global_address();
    ASSERT_EQ(host.nd->state(), NdState::kRegistered);
    host.stop();
    net.run_for(1s);
    EXPECT_EQ(host.nd->state(), NdState::kStopped);
    EXPECT_FALSE(host.stack.is_local_address(g));
    EXPECT_TRUE(br.nd->registrations().empty());
    EXPECT_EQ(br.nd->registry().size(), 1u);  // only the 6LBR's own address
    EXPECT_EQ(regs, (std::vector<std::pair<Ip6Address, bool>>{{g, true}, {g, false}}));
}

TEST(SixLowpanNd, RegistrationExpiresWhenNotRefreshed) {
    NdNet net;
    NdNode &br = net.add(0, border_router());
    nd::NdConfig hc = fast(NdRole::kHost);
    NdNode &host = net.add(5, hc);
    br.start();
    host.start();
    net.run_for(3s);
    const Ip6Address g = host.nd->global_address();
    ASSERT_NE(br.nd->find_registration(g), nullptr);
    // The host goes silent without deregistering (its radio is off).
    net.medium.set_position(sim::RadioNodeId(1), {10000, 0, 0});
    net.run_for(70s);
    EXPECT_EQ(br.nd->find_registration(g), nullptr);
    EXPECT_EQ(br.nd->stats().registrations_removed, 1u);
    EXPECT_EQ(br.lowpan.resolve(g), std::nullopt);
}

// BR (x=0), R1 and R2 (x=50) both upstream-registered with the BR; the host (x=130) hears only
// the two routers.
// Two routers by the border router, registered with it (their preferred router, as their RPL
// parent would be: with no routing protocol here, a router registered through the other could
// not be reached), and a host in reach of both routers only.
struct TwoRouters {
    static stack::StackConfig forwarding() {
        stack::StackConfig c;
        c.forwarding = true;
        return c;
    }
    NdNet net;
    NdNode &br = net.add(0, border_router());
    NdNode &r1 = net.add(50, fast(NdRole::kRouter), forwarding());
    NdNode &r2 = net.add(50, fast(NdRole::kRouter), forwarding());
    NdNode &host = net.add(130, fast(NdRole::kHost));
    TwoRouters() {
        r1.nd->set_preferred_router(br.link_local());
        r2.nd->set_preferred_router(br.link_local());
        br.start();
        r1.start();
        r2.start();
        net.run_for(2s);
    }
};

TEST(SixLowpanNd, HostMovesToTheOtherRouterWhenItsRouterStops) {
    TwoRouters t;
    ASSERT_EQ(t.r1.nd->state(), NdState::kRegistered);
    ASSERT_EQ(t.r2.nd->state(), NdState::kRegistered);
    t.host.start();
    t.net.run_for(3s);
    ASSERT_EQ(t.host.nd->state(), NdState::kRegistered);
    NdNode &first = t.host.nd->router() == t.r1.link_local() ? t.r1 : t.r2;
    NdNode &other = &first == &t.r1 ? t.r2 : t.r1;
    ASSERT_EQ(t.host.nd->router(), first.link_local());
    std::vector<NdState> states;
    t.host.nd->set_state_listener([&](NdState s) { states.push_back(s); });

    first.stop();
    t.net.run_for(70s);  // past the refresh point, the NS retries fail
    EXPECT_EQ(t.host.nd->state(), NdState::kRegistered);
    EXPECT_EQ(t.host.nd->router(), other.link_local());
    // Straight to the other candidate when its RA was heard, else by soliciting again.
    ASSERT_FALSE(states.empty());
    EXPECT_EQ(states.back(), NdState::kRegistered);
    for (NdState s : states)
        EXPECT_TRUE(s == NdState::kRegistering || s == NdState::kSoliciting ||
                    s == NdState::kRegistered)
            << nd::nd_state_name(s);
    EXPECT_NE(other.nd->find_registration(t.host.nd->global_address()), nullptr);
    auto def = t.host.stack.routes().lookup(addr("2001:db8:99::1"));
    ASSERT_NE(def, nullptr);
    EXPECT_EQ(def->next_hop, other.link_local());
    // The 6LBR's registry kept the address for the same owner: no duplicate on the move.
    EXPECT_EQ(other.nd->stats().registrations_refused, 0u);
}

TEST(SixLowpanNd, PreferredRouterIsTheOneRegisteredWith) {
    TwoRouters t;
    t.host.nd->set_preferred_router(t.r2.link_local());
    t.host.start();
    t.net.run_for(3s);
    ASSERT_EQ(t.host.nd->state(), NdState::kRegistered);
    EXPECT_EQ(t.host.nd->router(), t.r2.link_local());
    // A new preference (a new RPL parent) moves the registration.
    t.host.nd->set_preferred_router(t.r1.link_local());
    t.host.arm();
    t.net.run_for(2s);
    EXPECT_EQ(t.host.nd->state(), NdState::kRegistered);
    EXPECT_EQ(t.host.nd->router(), t.r1.link_local());
    EXPECT_NE(t.r1.nd->find_registration(t.host.nd->global_address()), nullptr);
}

TEST(SixLowpanNd, RouterWithoutInformationDoesNotAnswer) {
    NdNet net;
    NdNode &r = net.add(0, fast(NdRole::kRouter));  // no 6LBR anywhere
    NdNode &h = net.add(5, fast(NdRole::kHost));
    r.start();
    h.start();
    net.run_for(5s);
    EXPECT_EQ(h.nd->state(), NdState::kSoliciting);
    EXPECT_EQ(r.nd->stats().ra_sent, 0u);
    EXPECT_GE(r.nd->drops()[NdDrop::kNotReady], 1u);
    EXPECT_EQ(h.nd->stats().rs_received, 0u);  // hosts do not listen to all-routers
}

// RFC 4861 6.2.6: solicited RAs wait a random time up to MAX_RA_DELAY_TIME, and one RA answers
// the RSs that come while it waits.
TEST(SixLowpanNd, SolicitedRaWaitsARandomDelayAndAnswersSeveralRss) {
    for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
        NdNet net(100, seed);
        NdNode &br = net.add(0, border_router());
        NdNode &probe = net.add(5, fast(NdRole::kHost));
        br.start();
        net.run_for(200ms);
        std::vector<Instant> ras;
        probe.stack.set_icmp_handler(wire::Icmp6Type::kRouterAdvertisement,
                                     [&](stack::IfIndex, const wire::Ip6View &, ByteSpan) {
                                         ras.push_back(net.sched.now());
                                         return true;
                                     });
        const std::uint8_t rs[8] = {wire::Icmp6Type::kRouterSolicitation, 0, 0, 0, 0, 0, 0, 0};
        stack::OutputRoute route;
        route.ifindex = probe.ifindex;
        route.next_hop = Ip6Address::all_routers_link_local();
        route.src = probe.link_local();
        const Instant sent = net.sched.now();
        for (int i = 0; i < 3; ++i) {
            ASSERT_TRUE(probe.stack.send_icmp(route, Ip6Address::all_routers_link_local(),
                                              ByteSpan(rs, sizeof rs), 255));
            probe.arm();
            net.run_for(10ms);
        }
        net.run_for(1s);
        EXPECT_EQ(br.nd->stats().rs_received, 3u) << seed;
        ASSERT_EQ(ras.size(), 1u) << seed;
        EXPECT_EQ(br.nd->stats().ra_sent, 1u) << seed;
        // The delay plus at most the frames' airtime and CSMA (a few milliseconds).
        EXPECT_LE(ras[0] - sent, 500ms + 20ms) << seed;
    }
    // With the delay off the RA follows at once.
    NdNet net;
    nd::NdConfig c = border_router();
    c.ra_max_delay = Duration::zero();
    NdNode &br = net.add(0, c);
    NdNode &h = net.add(5, fast(NdRole::kHost));
    br.start();
    h.start();
    net.run_for(3s);
    EXPECT_EQ(h.nd->state(), NdState::kRegistered);
}

// A router with the 6LBR's information but no registration of its own (the 6LBR is full) does
// not advertise: the registrations it would attract could not complete.
TEST(SixLowpanNd, UnregisteredRouterDoesNotAdvertise) {
    NdNet net;
    nd::NdConfig full = border_router();
    full.max_registrations = 0;
    NdNode &br = net.add(0, full);
    NdNode &r = net.add(80, fast(NdRole::kRouter));
    NdNode &h = net.add(160, fast(NdRole::kHost));
    br.start();
    r.start();
    h.start();
    net.run_for(10s);
    EXPECT_FALSE(r.nd->info().prefixes.empty());
    EXPECT_NE(r.nd->state(), NdState::kRegistered);
    EXPECT_GE(r.nd->stats().rs_received, 2u);
    EXPECT_EQ(r.nd->stats().ra_sent, 0u);
    EXPECT_GE(r.nd->drops()[NdDrop::kNotReady], 2u);
    EXPECT_EQ(h.nd->state(), NdState::kSoliciting);
    EXPECT_EQ(h.nd->stats().ra_received, 0u);
}

// A router announces itself once, by multicast, when its registration first succeeds; its
// refreshes do not repeat it.
TEST(SixLowpanNd, RouterAnnouncesItselfOnceRegistered) {
    NdNet net;
    NdNode &br = net.add(0, border_router());
    NdNode &r = net.add(80, fast(NdRole::kRouter));
    br.start();
    r.start();
    net.run_for(5s);
    ASSERT_EQ(r.nd->state(), NdState::kRegistered);
    EXPECT_EQ(r.nd->stats().rs_received, 0u);
    EXPECT_EQ(r.nd->stats().ra_sent, 1u);
    EXPECT_EQ(br.nd->stats().ra_received, 1u);  // heard (and ignored) by the 6LBR
    net.run_for(120s);                          // two refreshes of the one-minute registration
    EXPECT_EQ(r.nd->state(), NdState::kRegistered);
    EXPECT_EQ(r.nd->stats().ra_sent, 1u);
}

// A router told to wait for its preferred router (its RPL parent) solicits that one alone, by
// unicast, and registers with it, though another router's RA would do.
TEST(SixLowpanNd, RouterWaitsForItsPreferredRouter) {
    TwoRouters t;
    nd::NdConfig c = fast(NdRole::kRouter);
    c.wait_for_preferred = true;
    NdNode &x = t.net.add(130, c);
    x.nd->set_preferred_router(t.r2.link_local());
    const auto r1_rs = t.r1.nd->stats().rs_received, r2_rs = t.r2.nd->stats().rs_received;
    const auto r1_ns = t.r1.nd->stats().ns_received;
    x.start();
    t.net.run_for(5s);
    ASSERT_EQ(x.nd->state(), NdState::kRegistered);
    EXPECT_EQ(x.nd->router(), t.r2.link_local());
    EXPECT_GE(t.r2.nd->stats().rs_received - r2_rs, 1u);
    EXPECT_EQ(t.r1.nd->stats().rs_received, r1_rs);  // unicast RSs: r1 heard none
    EXPECT_EQ(t.r1.nd->stats().ns_received, r1_ns);
    // Without a preferred router it does not register at all, nor solicit (a multicast RS
    // would bring an RA from every router around): it waits to be told which router.
    NdNode &y = t.net.add(131, c);
    y.start();
    t.net.run_for(10s);
    EXPECT_EQ(y.nd->state(), NdState::kSoliciting);
    EXPECT_EQ(y.nd->stats().rs_sent, 0u);
    const auto r1_rs_before = t.r1.nd->stats().rs_received;
    y.nd->set_preferred_router(t.r1.link_local());  // solicits that one at once and registers
    y.arm();
    t.net.run_for(2s);
    EXPECT_EQ(y.nd->state(), NdState::kRegistered);
    EXPECT_EQ(y.nd->router(), t.r1.link_local());
    EXPECT_GE(t.r1.nd->stats().rs_received - r1_rs_before, 1u);
}

// A router whose routing protocol has not made it reachable yet does not advertise; once it
// is, it announces itself with one multicast RA and answers RSs.
TEST(SixLowpanNd, RouterAdvertisesOnlyWhenUpstreamReady) {
    NdNet net;
    NdNode &br = net.add(0, border_router());
    NdNode &r = net.add(80, fast(NdRole::kRouter));
    NdNode &h = net.add(160, fast(NdRole::kHost));
    r.nd->set_upstream_ready(false);
    br.start();
    r.start();
    h.start();
    net.run_for(10s);
    ASSERT_EQ(r.nd->state(), NdState::kRegistered);
    EXPECT_EQ(r.nd->stats().ra_sent, 0u);
    EXPECT_GE(r.nd->drops()[NdDrop::kNotReady], 1u);
    EXPECT_EQ(h.nd->state(), NdState::kSoliciting);
    r.nd->set_upstream_ready(true);
    r.arm();
    net.run_for(2s);  // the initial RA within ra_max_delay: the host registers without an RS
    EXPECT_EQ(h.nd->state(), NdState::kRegistered);
    EXPECT_GE(r.nd->stats().ra_sent, 1u);
}

// An RS that came before the router could serve is answered by a unicast RA (acknowledged by
// the MAC) as soon as it can, not left to the soliciting node's next, backed-off RS.
TEST(SixLowpanNd, RsBeforeTheRouterCouldServeIsAnsweredWhenItCan) {
    NdNet net;
    NdNode &br = net.add(0, border_router());
    nd::NdConfig rc = fast(NdRole::kRouter);
    rc.initial_ra = false;  // no multicast announcement: only the remembered RS is answered
    NdNode &r = net.add(80, rc);
    nd::NdConfig hc = fast(NdRole::kHost);
    hc.rs_interval = std::chrono::seconds(30);
    hc.rs_max_interval = std::chrono::seconds(60);
    NdNode &h = net.add(160, hc);
    r.nd->set_upstream_ready(false);
    br.start();
    r.start();
    h.start();
    net.run_for(5s);
    ASSERT_EQ(r.nd->state(), NdState::kRegistered);
    EXPECT_EQ(h.nd->stats().rs_sent, 1u);
    EXPECT_EQ(r.nd->drops()[NdDrop::kNotReady], 1u);
    EXPECT_EQ(r.nd->stats().ra_sent, 0u);
    r.nd->set_upstream_ready(true);
    r.arm();
    net.run_for(2s);
    EXPECT_EQ(h.nd->state(), NdState::kRegistered);
    EXPECT_EQ(h.nd->stats().rs_sent, 1u);  // no second RS was needed
    EXPECT_EQ(r.nd->stats().ra_sent, 1u);
}

// Registration NS retransmissions back off (RFC 7048): with RetransTimer 500 ms (fast()), the
// second NS 500 ms after the first, the third 1 s later, the router given up 2 s after that.
TEST(SixLowpanNd, RegistrationRetransmissionsBackOff) {
    NdNet net;
    NdNode &br = net.add(0, border_router());
    NdNode &h = net.add(5, fast(NdRole::kHost));
    br.start();
    h.start();
    net.run_for(3s);
    ASSERT_EQ(h.nd->state(), NdState::kRegistered);
    br.stop();  // its MAC still acks; nothing answers the NSs any more
    std::vector<std::pair<Instant, NdState>> states;
    h.nd->set_state_listener([&](NdState s) { states.emplace_back(net.sched.now(), s); });
    // When each NS leaves (the counter, read every 10 ms), past the refresh point of the
    // one-minute registration.
    std::vector<Instant> ns;
    auto sent = h.nd->stats().ns_sent;
    for (int i = 0; i < 7000; ++i) {
        net.run_for(10ms);
        for (; sent < h.nd->stats().ns_sent; ++sent)
            ns.push_back(net.sched.now());
    }
    ASSERT_GE(ns.size(), 3u);
    auto near = [](Duration d, Duration want) {
        return d > want - std::chrono::milliseconds(20) && d < want + std::chrono::milliseconds(20);
    };
    EXPECT_TRUE(near(ns[1] - ns[0], 500ms)) << (ns[1] - ns[0]).count();
    EXPECT_TRUE(near(ns[2] - ns[1], 1s)) << (ns[2] - ns[1]).count();
    ASSERT_FALSE(states.empty());
    EXPECT_EQ(states.front().second, NdState::kSoliciting);
    EXPECT_TRUE(near(states.front().first - ns[2], 2s)) << (states.front().first - ns[2]).count();
}

// Information heard from several routers keeps the longest lifetime (a neighbour's ageing copy
// does not shorten it), and an entry whose lifetime ends is removed.
TEST(SixLowpanNd, InformationKeepsTheLongestLifetimeAndExpires) {
    NdNet net;
    NdNode &probe = net.add(0, fast(NdRole::kHost));  // sends RAs by hand; ND not started
    NdNode &h = net.add(5, fast(NdRole::kHost));
    h.start();
    net.run_for(200ms);
    auto send_ra = [&](std::uint16_t context_minutes) {
        wire::NdRouterAdvertisement ra;
        ra.router_lifetime = 1800;
        std::uint8_t buf[160];
        wire::NdWriter w(MutableByteSpan(buf, sizeof buf), ra);
        wire::PrefixInfo pio;
        pio.prefix = addr("2001:db8:1::");
        pio.prefix_length = 64;
        pio.flags = wire::PrefixInfo::kFlagAutonomous;
        pio.valid_lifetime = pio.preferred_lifetime = 0xffffffff;
        w.add(pio);
        wire::NdSixLowpanContext ctx;
        ctx.context_length = 64;
        ctx.flags = wire::NdSixLowpanContext::kFlagCompression | 1;
        ctx.valid_lifetime = context_minutes;
        ctx.prefix = addr("2001:db8:1::");
        w.add(ctx);
        wire::NdBorderRouter b;
        b.version = 3;
        b.address = addr("2001:db8:1::1");
        w.add(b);
        const Ip6Address dst = Ip6Address::all_nodes_link_local();
        auto m = w.finish(wire::PseudoHeader{probe.link_local(), dst});
        ASSERT_TRUE(m);
        stack::OutputRoute route;
        route.ifindex = probe.ifindex;
        route.next_hop = dst;
        route.src = probe.link_local();
        ASSERT_TRUE(probe.stack.send_icmp(route, dst, *m, 255));
        probe.arm();
        net.run_for(100ms);
    };
    send_ra(30);
    send_ra(2);  // the same version from an older copy: 30 minutes stay
    ASSERT_EQ(h.nd->info().contexts.size(), 1u);
    const Instant t = net.sched.now();
    EXPECT_GT(h.nd->info().contexts[0].expires, t + std::chrono::minutes(29));
    // Past its lifetime (no router answers the refreshing RSs), the context is gone.
    net.run_for(std::chrono::minutes(31));
    EXPECT_TRUE(h.nd->info().contexts.empty());
    EXPECT_EQ(h.nd->info().prefixes.size(), 1u);  // the infinite prefix stays
}

TEST(SixLowpanNd, MessagesWithAWrongHopLimitAreDropped) {
    NdNet net;
    NdNode &br = net.add(0, border_router());
    NdNode &probe = net.add(5, fast(NdRole::kHost));
    br.start();
    net.run_for(200ms);
    const std::uint8_t rs[8] = {wire::Icmp6Type::kRouterSolicitation, 0, 0, 0, 0, 0, 0, 0};
    stack::OutputRoute route;
    route.ifindex = probe.ifindex;
    route.next_hop = Ip6Address::all_routers_link_local();
    route.src = probe.link_local();
    ASSERT_TRUE(probe.stack.send_icmp(route, Ip6Address::all_routers_link_local(),
                                      ByteSpan(rs, sizeof rs), 64));
    // And one that does not parse (code 1).
    const std::uint8_t bad[8] = {wire::Icmp6Type::kRouterSolicitation, 1, 0, 0, 0, 0, 0, 0};
    ASSERT_TRUE(probe.stack.send_icmp(route, Ip6Address::all_routers_link_local(),
                                      ByteSpan(bad, sizeof bad), 255));
    probe.arm();
    net.run_for(500ms);
    EXPECT_EQ(br.nd->drops()[NdDrop::kHopLimit], 1u);
    EXPECT_EQ(br.nd->drops()[NdDrop::kMalformed], 1u);
    EXPECT_EQ(br.nd->stats().ra_sent, 0u);
}

TEST(SixLowpanNd, PeriodicRouterAdvertisementsWhenConfigured) {
    NdNet net;
    nd::NdConfig bc = border_router();
    bc.periodic_ra_interval = 5s;
    NdNode &br = net.add(0, bc);
    NdNode &listener = net.add(5, fast(NdRole::kHost));
    br.start();
    net.run_for(21s);
    EXPECT_EQ(br.nd->stats().ra_sent, 4u);
    (void)listener;
    // Off by default (RFC 6775 6.3): a 6LBR alone sends nothing.
    NdNet quiet;
    NdNode &b2 = quiet.add(0, border_router());
    b2.start();
    quiet.run_for(60s);
    EXPECT_EQ(b2.nd->stats().ra_sent, 0u);
}

TEST(SixLowpanNd, ContextsAreRefreshedBeforeTheyRunOut) {
    NdNet net;
    nd::NdConfig bc = border_router();
    bc.contexts[0].valid_lifetime = 2;  // minutes
    NdNode &br = net.add(0, bc);
    NdNode &host = net.add(5, fast(NdRole::kHost));
    br.start();
    host.start();
    net.run_for(3s);
    ASSERT_EQ(host.nd->state(), NdState::kRegistered);
    const auto rs_before = host.nd->stats().rs_sent;
    net.run_for(10min);
    EXPECT_NE(host.lowpan.contexts().get(0), nullptr);
    EXPECT_GE(host.nd->stats().rs_sent - rs_before, 4u);  // unicast RSs at 90 % of 2 min
    // Without the 6LBR nobody renews it: the adaptation layer drops it when it runs out.
    br.stop();
    net.run_for(3min);
    EXPECT_EQ(host.lowpan.contexts().get(0), nullptr);
}

// An RA with an older ABRO version than the one held changes nothing (RFC 6775 4.3).
TEST(SixLowpanNd, OlderAbroVersionIsIgnored) {
    NdNet net;
    NdNode &br = net.add(0, border_router());
    NdNode &host = net.add(5, fast(NdRole::kHost));
    NdNode &rogue = net.add(10, fast(NdRole::kHost));  // ND not started: sends by hand
    br.start();
    host.start();
    net.run_for(3s);
    ASSERT_EQ(host.nd->abro_version(), 7u);

    auto send_ra = [&](std::uint32_t version) {
        wire::NdRouterAdvertisement ra;
        ra.router_lifetime = 1800;
        wire::NdSixLowpanContext c;
        c.context_length = 64;
        c.flags = 2 | wire::NdSixLowpanContext::kFlagCompression;
        c.valid_lifetime = 10;
        c.prefix = addr("2001:db8:66::");
        wire::NdBorderRouter b;
        b.version = version;
        b.address = br.nd->info().abro->address;
        std::uint8_t buf[160];
        const Ip6Address src = rogue.link_local(), dst = Ip6Address::all_nodes_link_local();
        wire::PrefixInfo pio;
        pio.prefix = addr("2001:db8:1::");
        pio.prefix_length = 64;
        pio.flags = wire::PrefixInfo::kFlagAutonomous;
        pio.valid_lifetime = pio.preferred_lifetime = 3600;
        wire::NdWriter w(MutableByteSpan(buf, sizeof buf), ra);
        w.add(pio).add(c).add(b);
        auto m = w.finish(wire::PseudoHeader{src, dst});
        ASSERT_TRUE(m);
        stack::OutputRoute route;
        route.ifindex = rogue.ifindex;
        route.next_hop = dst;
        route.src = src;
        ASSERT_TRUE(rogue.stack.send_icmp(route, dst, *m, 255));
        rogue.arm();
        net.run_for(500ms);
    };
    send_ra(6);
    EXPECT_EQ(host.nd->drops()[NdDrop::kStaleAbro], 1u);
    EXPECT_EQ(host.nd->abro_version(), 7u);
    EXPECT_EQ(host.lowpan.contexts().get(2), nullptr);
    EXPECT_NE(host.lowpan.contexts().get(0), nullptr);
    // A newer one replaces the information: context 2 in, context 0 (not in it) out.
    send_ra(9);
    EXPECT_EQ(host.nd->abro_version(), 9u);
    EXPECT_NE(host.lowpan.contexts().get(2), nullptr);
    EXPECT_EQ(host.lowpan.contexts().get(0), nullptr);
    EXPECT_EQ(host.nd->state(), NdState::kRegistered);
}

// Through a 6LR: the host's deregistration reaches the 6LBR's registry by a DAR with lifetime
// 0; with the 6LBR gone, DARs go unanswered and the registration never completes.
TEST(SixLowpanNd, DeregistrationAndUnansweredDarThroughA6lr) {
    NdNet net;
    NdNode &br = net.add(0, border_router());
    NdNode &r = net.add(80, fast(NdRole::kRouter));
    NdNode &h = net.add(160, fast(NdRole::kHost));
    br.start();
    r.start();
    net.run_for(2s);
    h.start();
    net.run_for(3s);
    ASSERT_EQ(h.nd->state(), NdState::kRegistered);
    const Ip6Address g = h.nd->global_address();
    auto in_registry = [&](const Ip6Address &a) {
        for (const auto &e : br.nd->registry())
            if (e.address == a)
                return true;
        return false;
    };
    ASSERT_TRUE(in_registry(g));
    h.stop();
    net.run_for(1s);
    EXPECT_TRUE(r.nd->registrations().empty());
    EXPECT_FALSE(in_registry(g));
    EXPECT_TRUE(in_registry(r.nd->global_address()));

    br.stop();  // DARs now go unanswered
    const auto dar_before = r.nd->stats().dar_sent;
    h.start();
    net.run_for(1200ms);
    EXPECT_EQ(h.nd->state(), NdState::kRegistering);
    ASSERT_EQ(r.nd->registrations().size(), 1u);
    EXPECT_EQ(r.nd->registrations()[0].state, nd::NdRegState::kTentative);
    net.run_for(5s);
    EXPECT_NE(h.nd->state(), NdState::kRegistered);
    EXPECT_GE(r.nd->stats().dar_sent - dar_before, 3u);  // dar_max_tries
    EXPECT_EQ(r.nd->stats().registrations_added, 1u);    // only the first registration
}

}  // namespace
}  // namespace meshwork::ndtest
