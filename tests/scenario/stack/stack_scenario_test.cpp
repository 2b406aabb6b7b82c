// Several Stack objects in virtual time on the simulation scheduler, wired by a tiny in-test
// Ethernet segment (frames delivered to the other ports as scheduler events): hosts configure
// themselves from their router's RAs, ping across a router, and exchange UDP across two
// routers with a narrower middle link (Packet Too Big, path MTU, fragmentation, reassembly).
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "Stack.h"
#include "UdpSockets.h"
#include "core/Random.h"
#include "sim/Scheduler.h"

namespace meshwork::stack {
namespace {

using namespace std::chrono_literals;
using wire::Ip6Address;

Ip6Address addr(const char *t) {
    return *Ip6Address::from_text(t);
}

struct SimNode {
    SimNode(sim::Scheduler &s, std::uint64_t seed, std::uint8_t id, StackConfig c = {})
        : sched(s), id(id), rnd(seed, id), pool(1 << 20, 512), stack(s.clock(), rnd, pool, c) {}
    /// Keeps one scheduler event at the stack's next deadline.
    void arm() {
        const Instant d = stack.next_deadline();
        if (event != 0 && sched.pending(event) && d == armed)
            return;
        if (event != 0)
            sched.cancel(event);
        event = 0;
        armed = d;
        if (d == kNever)
            return;
        event = sched.at(d, [this] {
            event = 0;
            stack.poll();
            arm();
        });
    }
    LinkAddress mac() const { return LinkAddress::ethernet(0x02, 0, 0, 0, 0, id); }
    /// fe80::ff:fe00:<id>'s global counterpart under `prefix`.
    Ip6Address slaac(const char *prefix) const {
        const std::uint8_t eui[8] = {0x02, 0, 0, 0xff, 0xfe, 0, 0, id};
        return Ip6Address::from_prefix_iid(addr(prefix), wire::Ip6Iid::from_eui64(eui));
    }
    sim::Scheduler &sched;
    std::uint8_t id;
    SeededRandom rnd;
    PacketPool pool;
    Stack stack;
    sim::Scheduler::EventId event = 0;
    Instant armed = kNever;
};

/// A shared Ethernet segment: a frame from one port reaches every other port after `latency`.
class Segment {
  public:
    Segment(sim::Scheduler &s, Duration latency) : sched_(s), latency_(latency) {}
    LinkOutput &attach(SimNode &node, IfIndex ifindex) {
        ports_.push_back(std::make_unique<Port>(*this, ports_.size(), node, ifindex));
        return *ports_.back();
    }
    std::uint64_t frames() const { return frames_; }
    std::uint64_t digest() const { return digest_; }

  private:
    struct Port final : LinkOutput {
        Port(Segment &s, std::size_t i, SimNode &n, IfIndex f)
            : seg(s), index(i), node(n), ifindex(f) {}
        Status send_frame(PacketBuffer frame) override {
            seg.carry(index, frame.data());
            return Status();
        }
        Segment &seg;
        std::size_t index;
        SimNode &node;
        IfIndex ifindex;
    };
    void carry(std::size_t from, ByteSpan frame) {
        ++frames_;
        auto bytes = std::make_shared<std::vector<std::uint8_t>>(frame.begin(), frame.end());
        // A digest of every frame and its time: equal digests mean the same run.
        std::uint64_t h =
            digest_ ^ static_cast<std::uint64_t>(sched_.now().time_since_epoch().count());
        for (std::uint8_t b : *bytes)
            h = (h ^ b) * 0x100000001b3ull;
        digest_ = h;
        for (auto &p : ports_) {
            if (p->index == from)
                continue;
            Port *to = p.get();
            sched_.after(latency_, [to, bytes] {
                to->node.stack.receive_frame(to->ifindex, ByteSpan(bytes->data(), bytes->size()));
                to->node.arm();
            });
        }
    }
    sim::Scheduler &sched_;
    Duration latency_;
    std::vector<std::unique_ptr<Port>> ports_;
    std::uint64_t frames_ = 0;
    std::uint64_t digest_ = 0xcbf29ce484222325ull;
};

NetifConfig interface_of(const SimNode &n, std::size_t mtu = 1500) {
    NetifConfig c;
    c.mac = n.mac();
    c.mtu = mtu;
    return c;
}

NetifConfig advertising(const SimNode &n, const char *prefix, std::size_t mtu = 1500) {
    NetifConfig c = interface_of(n, mtu);
    c.advertise = true;
    AdvertisedPrefix p;
    p.prefix = addr(prefix);
    c.prefixes.push_back(p);
    return c;
}

StackConfig router_config() {
    StackConfig c;
    c.forwarding = true;
    return c;
}

struct PingResult {
    bool replied = false;
    std::uint8_t hop_limit = 0;
    std::uint64_t digest = 0;
    Instant when{};
};

PingResult ping_across_router(std::uint64_t seed) {
    sim::Scheduler sched;
    SimNode a(sched, seed, 1), r(sched, seed, 9, router_config()), b(sched, seed, 2);
    Segment s1(sched, 100us), s2(sched, 100us);
    const IfIndex ra = *a.stack.add_interface(interface_of(a), s1.attach(a, 0));
    const IfIndex r0 = *r.stack.add_interface(advertising(r, "2001:db8:1::"), s1.attach(r, 0));
    const IfIndex r1 = *r.stack.add_interface(advertising(r, "2001:db8:2::"), s2.attach(r, 1));
    const IfIndex rb = *b.stack.add_interface(interface_of(b), s2.attach(b, 0));
    EXPECT_TRUE(r.stack.add_address(r0, addr("2001:db8:1::1"), 64).ok());
    EXPECT_TRUE(r.stack.add_address(r1, addr("2001:db8:2::1"), 64).ok());
    for (auto [n, i] : {std::pair<SimNode *, IfIndex>{&a, ra}, {&r, r0}, {&r, r1}, {&b, rb}})
        EXPECT_TRUE(n->stack.set_up(i).ok());
    a.arm();
    r.arm();
    b.arm();
    // Autoconfiguration: RS, RA, SLAAC with DAD.
    sched.run_until(sched.now() + 30s);
    const Ip6Address b_global = b.slaac("2001:db8:2::");
    EXPECT_TRUE(a.stack.is_local_address(a.slaac("2001:db8:1::")));
    EXPECT_TRUE(b.stack.is_local_address(b_global));
    PingResult res;
    a.stack.set_echo_reply_handler([&](const EchoReply &rep) {
        if (rep.src == b_global && rep.sequence == 1) {
            res.replied = true;
            res.hop_limit = rep.hop_limit;
            res.when = sched.now();
        }
    });
    EXPECT_TRUE(a.stack.ping(b_global, 0x77, 1).ok());
    a.arm();
    sched.run_while_not([&] { return res.replied; }, sched.now() + 5s);
    EXPECT_GE(r.stack.stats().rx_forwarded, 2u);
    res.digest = s1.digest() ^ (s2.digest() << 1);
    return res;
}

TEST(StackScenario, PingAcrossRouterAfterAutoconfiguration) {
    PingResult r = ping_across_router(1234);
    EXPECT_TRUE(r.replied);
    EXPECT_EQ(r.hop_limit, 63);  // B's hop limit from the RA, minus the router's hop
}

TEST(StackScenario, SameSeedSameBytes) {
    PingResult x = ping_across_router(99), y = ping_across_router(99);
    EXPECT_TRUE(x.replied);
    EXPECT_EQ(x.digest, y.digest);
    EXPECT_EQ(x.when, y.when);
    PingResult z = ping_across_router(100);
    EXPECT_TRUE(z.replied);
    EXPECT_NE(x.digest, z.digest);  // the seed drives the random delays
}

TEST(StackScenario, UdpAcrossTwoRoutersWithFragmentation) {
    sim::Scheduler sched;
    const std::uint64_t seed = 7;
    SimNode a(sched, seed, 1), r1(sched, seed, 11, router_config()),
        r2(sched, seed, 12, router_config()), b(sched, seed, 2);
    Segment s1(sched, 200us), s12(sched, 500us), s3(sched, 200us);
    const IfIndex a0 = *a.stack.add_interface(interface_of(a), s1.attach(a, 0));
    const IfIndex r10 = *r1.stack.add_interface(advertising(r1, "2001:db8:1::"), s1.attach(r1, 0));
    const IfIndex r11 = *r1.stack.add_interface(interface_of(r1, 1280), s12.attach(r1, 1));
    const IfIndex r20 = *r2.stack.add_interface(interface_of(r2, 1280), s12.attach(r2, 0));
    const IfIndex r21 = *r2.stack.add_interface(advertising(r2, "2001:db8:3::"), s3.attach(r2, 1));
    const IfIndex b0 = *b.stack.add_interface(interface_of(b), s3.attach(b, 0));
    EXPECT_TRUE(r1.stack.add_address(r11, addr("2001:db8:12::1"), 64).ok());
    EXPECT_TRUE(r2.stack.add_address(r20, addr("2001:db8:12::2"), 64).ok());
    Route to3;
    to3.prefix = addr("2001:db8:3::");
    to3.prefix_length = 64;
    to3.ifindex = r11;
    to3.next_hop = addr("2001:db8:12::2");
    r1.stack.routes().add(to3);
    Route to1;
    to1.prefix = addr("2001:db8:1::");
    to1.prefix_length = 64;
    to1.ifindex = r20;
    to1.next_hop = addr("2001:db8:12::1");
    r2.stack.routes().add(to1);
    EXPECT_TRUE(a.stack.set_up(a0).ok());
    EXPECT_TRUE(r1.stack.set_up(r10).ok());
    EXPECT_TRUE(r1.stack.set_up(r11).ok());
    EXPECT_TRUE(r2.stack.set_up(r20).ok());
    EXPECT_TRUE(r2.stack.set_up(r21).ok());
    EXPECT_TRUE(b.stack.set_up(b0).ok());
    for (SimNode *n : {&a, &r1, &r2, &b})
        n->arm();
    sched.run_until(sched.now() + 30s);
    const Ip6Address a_addr = a.slaac("2001:db8:1::"), b_addr = b.slaac("2001:db8:3::");
    ASSERT_TRUE(a.stack.is_local_address(a_addr));
    ASSERT_TRUE(b.stack.is_local_address(b_addr));

    // B echoes every datagram on port 7; A repeats its request each second until answered.
    UdpSockets &ua = a.stack.udp(), &ub = b.stack.udp();
    const auto sa = *ua.open(), sb = *ub.open();
    ASSERT_TRUE(ub.bind(sb, Ip6Address(), 7).ok());
    std::vector<std::uint8_t> request(3000);
    for (std::size_t i = 0; i < request.size(); ++i)
        request[i] = static_cast<std::uint8_t>(i % 251);
    std::vector<std::uint8_t> buf(4000), reply;
    int echoed = 0;
    ub.set_callback(sb, [&](SocketEvent e) {
        UdpDatagramInfo info;
        while (auto n = ub.recv_from(sb, MutableByteSpan(buf.data(), buf.size()), &info)) {
            ++echoed;
            (void)ub.send_to(sb, info.src, info.src_port, ByteSpan(buf.data(), *n));
        }
        b.arm();
    });
    ua.set_callback(sa, [&](SocketEvent e) {
        UdpDatagramInfo info;
        if (auto n = ua.recv_from(sa, MutableByteSpan(buf.data(), buf.size()), &info))
            reply.assign(buf.begin(), buf.begin() + static_cast<long>(*n));
    });
    int sent = 0;
    std::function<void()> send = [&] {
        if (!reply.empty() || sent >= 10)
            return;
        ++sent;
        EXPECT_TRUE(ua.send_to(sa, b_addr, 7, ByteSpan(request.data(), request.size())).ok());
        a.arm();
        sched.after(1s, send);
    };
    send();
    sched.run_while_not([&] { return !reply.empty(); }, sched.now() + 20s);
    EXPECT_EQ(reply, request);
    // The first tries met the 1280-byte link: each router answered Packet Too Big and each end
    // now fragments to 1280.
    EXPECT_GE(sent, 2);
    EXPECT_GE(echoed, 1);
    EXPECT_EQ(a.stack.pmtu().mtu(b_addr, 1500), 1280u);
    EXPECT_EQ(b.stack.pmtu().mtu(a_addr, 1500), 1280u);
    EXPECT_GE(r1.stack.drops()[StackDrop::kPacketTooBig], 1u);
    EXPECT_GE(r2.stack.drops()[StackDrop::kPacketTooBig], 1u);
    EXPECT_GE(a.stack.stats().reassembled, 1u);
    EXPECT_GE(b.stack.stats().reassembled, 1u);
    EXPECT_GE(a.stack.stats().tx_fragments, 6u);
    for (SimNode *n : {&a, &r1, &r2, &b}) {
        const auto &st = n->stack.stats();
        EXPECT_EQ(st.rx_frames,
                  st.rx_delivered + st.rx_forwarded + st.rx_fragments + st.rx_dropped);
    }
}

}  // namespace
}  // namespace meshwork::stack
