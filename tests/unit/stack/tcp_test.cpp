// TCP connections between two nodes (RFC 9293 state machine, RFC 5961, RFC 7323 / 2018 options,
// persist and keepalive), driven in virtual time over an in-memory link.
#include <gtest/gtest.h>

#include "TcpPair.h"

namespace meshwork::stack::test {
namespace {

using namespace std::chrono_literals;

std::size_t recv_all(TcpSockets &t, int s, Bytes &out) {
    std::uint8_t buf[2048];
    std::size_t total = 0;
    for (;;) {
        auto r = t.recv(s, MutableByteSpan(buf, sizeof buf));
        if (!r || *r == 0)
            break;
        out.insert(out.end(), buf, buf + *r);
        total += *r;
    }
    return total;
}

/// Injects a segment "from b" into a, as b's stack would send it.
void inject(TcpPair &p, const wire::TcpHeader &h) {
    Bytes seg(h.emitted_size());
    ASSERT_TRUE(h.emit(MutableByteSpan(seg.data(), seg.size()), {p.ba, p.aa}).ok());
    p.a.rx_ip(2, ip6(p.ba, p.aa, wire::IpProto::kTcp, 64, seg));
}

TEST(Tcp, HandshakeNegotiatesOptionsOnTheWire) {
    TcpPair p;
    auto [c, s] = p.establish();
    auto syn = p.tcp_sent(0).at(0);
    EXPECT_EQ(syn.flags, wire::TcpFlag::kSyn);
    EXPECT_TRUE(syn.has_mss);
    EXPECT_EQ(syn.mss, 1440);  // 1500 - 40 - 20
    EXPECT_TRUE(syn.has_window_scale);
    EXPECT_EQ(syn.window_scale, 1);  // 64 KiB buffer needs one shift
    EXPECT_TRUE(syn.sack_permitted);
    EXPECT_TRUE(syn.has_timestamp);
    EXPECT_EQ(syn.ts_ecr, 0u);
    wire::TcpHeader synack;
    for (auto &h : p.tcp_sent(1))
        if (h.flags == (wire::TcpFlag::kSyn | wire::TcpFlag::kAck)) {
            synack = h;
            break;
        }
    EXPECT_EQ(synack.ack, syn.seq + 1);
    EXPECT_TRUE(synack.has_window_scale && synack.sack_permitted && synack.has_timestamp);
    EXPECT_EQ(synack.ts_ecr, syn.ts_val);
    TcpInfo i = p.ta().info(c);
    EXPECT_TRUE(i.window_scaling && i.timestamps && i.sack);
    EXPECT_EQ(i.mss, 1440 - 12);
    EXPECT_EQ(p.tb().state(s), TcpState::kEstablished);
    EXPECT_EQ(p.tb().peer_address(s), p.aa);
    EXPECT_EQ(p.tb().local_port(s), 80);
    // Later segments carry timestamps and a scaled window.
    const char msg[] = "x";
    ASSERT_TRUE(p.ta().send(c, ByteSpan(reinterpret_cast<const std::uint8_t *>(msg), 1)).ok());
    p.run_for(1s);
    auto last = p.tcp_sent(0).back();
    EXPECT_TRUE(last.has_timestamp);
    EXPECT_EQ(last.window, 65536u >> 1);
}

TEST(Tcp, OptionsOffWhenDisabled) {
    StackConfig sc;
    sc.tcp.window_scaling = false;
    sc.tcp.timestamps = false;
    sc.tcp.sack = false;
    TcpPair p(sc);
    auto [c, s] = p.establish();
    auto syn = p.tcp_sent(0).at(0);
    EXPECT_FALSE(syn.has_window_scale || syn.has_timestamp || syn.sack_permitted);
    EXPECT_EQ(p.ta().info(c).mss, 1440);
    (void)s;
}

TEST(Tcp, DataBothWaysAndEvents) {
    TcpPair p;
    auto [c, s] = p.establish();
    int readable = 0;
    p.tb().set_callback(s, [&](SocketEvent e) { readable += e == SocketEvent::kReadable; });
    const Bytes hello{'h', 'e', 'l', 'l', 'o'}, world{'w', 'o', 'r', 'l', 'd', '!'};
    std::uint8_t buf[16];
    EXPECT_EQ(p.tb().recv(s, MutableByteSpan(buf, sizeof buf)).error(), Error::kWouldBlock);
    ASSERT_EQ(*p.ta().send(c, ByteSpan(hello.data(), hello.size())), 5u);
    p.run_for(1s);
    EXPECT_GE(readable, 1);
    EXPECT_TRUE(p.tb().readable(s));
    Bytes got;
    recv_all(p.tb(), s, got);
    EXPECT_EQ(got, hello);
    ASSERT_EQ(*p.tb().send(s, ByteSpan(world.data(), world.size())), 6u);
    p.run_for(1s);
    got.clear();
    recv_all(p.ta(), c, got);
    EXPECT_EQ(got, world);
}

TEST(Tcp, DelayedAckWaitsForASecondSegment) {
    TcpPair p;
    auto [c, s] = p.establish();
    p.ta().set_nodelay(c, true);
    p.sent[1].clear();
    const Bytes one{1};
    ASSERT_TRUE(p.ta().send(c, ByteSpan(one.data(), 1)).ok());
    p.run_for(100ms);
    EXPECT_TRUE(p.tcp_sent(1).empty());  // the ACK is delayed
    p.run_for(200ms);
    EXPECT_EQ(p.tcp_sent(1).size(), 1u);  // then sent alone
    (void)s;
}

TEST(Tcp, RstOnClosedPortRefusesConnect) {
    TcpPair p;
    const int c = *p.ta().open();
    int events = 0;
    p.ta().set_callback(c, [&](SocketEvent) { ++events; });
    ASSERT_TRUE(p.ta().connect(c, p.ba, 9).ok());
    p.run_for(1s);
    EXPECT_EQ(p.ta().state(c), TcpState::kClosed);
    EXPECT_EQ(p.ta().last_error(c), Error::kBadState);
    EXPECT_GE(events, 1);
    EXPECT_EQ(p.b.drops(StackDrop::kNoListener), 1u);
    std::uint8_t buf[4];
    EXPECT_EQ(p.ta().recv(c, MutableByteSpan(buf, 4)).error(), Error::kBadState);
    EXPECT_TRUE(p.ta().close(c).ok());
}

TEST(Tcp, ConnectGivesUpAfterSynRetries) {
    StackConfig sc;
    sc.tcp.syn_retries = 3;
    TcpPair p(sc);
    p.drop = [](int, const Bytes &f) { return tcp_of(f).has_value(); };
    const int c = *p.ta().open();
    ASSERT_TRUE(p.ta().connect(c, p.ba, 80).ok());
    p.run_for(60s);
    EXPECT_EQ(p.ta().last_error(c), Error::kTimeout);
    std::size_t syns = 0;
    for (auto &h : p.tcp_sent(0))
        syns += h.flags == wire::TcpFlag::kSyn;
    EXPECT_EQ(syns, 4u);  // the first and three retries, 1 s, 2 s, 4 s apart
}

TEST(Tcp, SimultaneousOpen) {
    TcpPair p;
    const int x = *p.ta().open(), y = *p.tb().open();
    ASSERT_TRUE(p.ta().bind(x, Ip6Address(), 5000).ok());
    ASSERT_TRUE(p.tb().bind(y, Ip6Address(), 6000).ok());
    ASSERT_TRUE(p.ta().connect(x, p.ba, 6000).ok());
    ASSERT_TRUE(p.tb().connect(y, p.aa, 5000).ok());
    p.run_for(5s, [&] {
        return p.ta().state(x) == TcpState::kEstablished &&
               p.tb().state(y) == TcpState::kEstablished;
    });
    EXPECT_EQ(p.ta().state(x), TcpState::kEstablished);
    EXPECT_EQ(p.tb().state(y), TcpState::kEstablished);
    const Bytes d{9, 8, 7};
    ASSERT_TRUE(p.ta().send(x, ByteSpan(d.data(), 3)).ok());
    p.run_for(1s);
    Bytes got;
    recv_all(p.tb(), y, got);
    EXPECT_EQ(got, d);
}

TEST(Tcp, OrderlyCloseAndTimeWaitExpiry) {
    StackConfig sc;
    sc.tcp.msl = 5s;
    TcpPair p(sc);
    auto [c, s] = p.establish();
    ASSERT_TRUE(p.ta().shutdown(c, TcpSockets::Shutdown::kWrite).ok());
    p.run_for(1s);
    EXPECT_EQ(p.ta().state(c), TcpState::kFinWait2);
    EXPECT_EQ(p.tb().state(s), TcpState::kCloseWait);
    std::uint8_t buf[4];
    EXPECT_EQ(*p.tb().recv(s, MutableByteSpan(buf, 4)), 0u);  // end of stream
    EXPECT_EQ(p.ta().send(c, ByteSpan(buf, 1)).error(), Error::kBadState);
    ASSERT_TRUE(p.tb().close(s).ok());
    p.run_for(1s);
    EXPECT_EQ(p.ta().state(c), TcpState::kTimeWait);
    EXPECT_EQ(p.tb().connection_count(), 1u);  // only the listener
    p.run_for(8s);
    EXPECT_EQ(p.ta().state(c), TcpState::kTimeWait);  // 2 MSL = 10 s
    p.run_for(3s);
    EXPECT_EQ(p.ta().state(c), TcpState::kClosed);
    EXPECT_EQ(p.ta().last_error(c), Error::kOk);
    ASSERT_TRUE(p.ta().close(c).ok());
    EXPECT_EQ(p.ta().connection_count(), 0u);
}

TEST(Tcp, TimeWaitHoldsItsPortUnlessReuseAddress) {
    TcpPair p;
    auto [c, s] = p.establish();
    // The server closes first: its accepted connection ends in TIME-WAIT on port 80.
    ASSERT_TRUE(p.tb().close(s).ok());
    p.run_for(1s);
    ASSERT_TRUE(p.ta().close(c).ok());
    p.run_for(1s);
    ASSERT_TRUE(p.tb().close(p.listener).ok());
    ASSERT_EQ(p.tb().connection_count(), 1u);  // the TIME-WAIT connection alone
    const int again = *p.tb().open();
    EXPECT_EQ(p.tb().bind(again, Ip6Address(), 80).error(), Error::kInvalidArgument);
    EXPECT_EQ(p.tb().bind(again, p.ba, 80).error(), Error::kInvalidArgument);
    ASSERT_TRUE(p.tb().set_reuse_address(again, true).ok());
    ASSERT_TRUE(p.tb().bind(again, Ip6Address(), 80).ok());
    ASSERT_TRUE(p.tb().listen(again, 1).ok());
    // A new connection to it is served while the old one waits out its 2 MSL.
    const int c2 = *p.ta().open();
    ASSERT_TRUE(p.ta().connect(c2, p.ba, 80).ok());
    p.run_for(1s);
    EXPECT_EQ(p.ta().state(c2), TcpState::kEstablished);
    EXPECT_TRUE(p.tb().accept(again).ok());
    EXPECT_EQ(p.tb().set_reuse_address(12345, true).error(), Error::kNotFound);
}

TEST(Tcp, SimultaneousCloseGoesThroughClosing) {
    StackConfig sc;
    sc.tcp.msl = 1s;
    TcpPair p(sc);
    auto [c, s] = p.establish();
    ASSERT_TRUE(p.ta().shutdown(c, TcpSockets::Shutdown::kWrite).ok());
    ASSERT_TRUE(p.tb().shutdown(s, TcpSockets::Shutdown::kWrite).ok());
    EXPECT_EQ(p.ta().state(c), TcpState::kFinWait1);
    bool saw_closing = false;
    p.run_for(1s, [&] {
        saw_closing |= p.ta().state(c) == TcpState::kClosing;
        return p.ta().state(c) == TcpState::kTimeWait && p.tb().state(s) == TcpState::kTimeWait;
    });
    EXPECT_TRUE(saw_closing);
    EXPECT_EQ(p.ta().state(c), TcpState::kTimeWait);
    EXPECT_EQ(p.tb().state(s), TcpState::kTimeWait);
    p.run_for(3s);
    EXPECT_EQ(p.ta().state(c), TcpState::kClosed);
    EXPECT_EQ(p.tb().state(s), TcpState::kClosed);
}

struct Established : ::testing::Test {
    Established() {
        auto cs = p.establish();
        c = cs.first;
        s = cs.second;
        const Bytes d{1, 2, 3};
        EXPECT_TRUE(p.tb().send(s, ByteSpan(d.data(), 3)).ok());
        p.run_for(1s);
        Bytes got;
        recv_all(p.ta(), c, got);
        // What a expects next from b, and what b expects from a, read off the wire.
        auto last_b = p.tcp_sent(1).back();
        for (auto &h : p.tcp_sent(1))
            if (h.flags & wire::TcpFlag::kPsh)
                rcv_nxt = h.seq + 3;
        snd_nxt = last_b.ack;
        ts_b = last_b.ts_val;
        p.sent[0].clear();
    }
    wire::TcpHeader from_b(std::uint8_t flags, std::uint32_t seq) {
        wire::TcpHeader h;
        h.src_port = 80;
        h.dst_port = p.ta().local_port(c);
        h.seq = seq;
        h.ack = snd_nxt;
        h.flags = flags;
        h.window = 1000;
        // Timestamps were negotiated: without TSopt a segment is dropped (RFC 7323 3.2).
        h.has_timestamp = true;
        h.ts_val = ts_b;
        return h;
    }
    TcpPair p;
    int c = -1, s = -1;
    std::uint32_t rcv_nxt = 0, snd_nxt = 0, ts_b = 0;
};

TEST_F(Established, InWindowRstWithWrongSeqGetsChallengeAck) {
    inject(p, from_b(wire::TcpFlag::kRst, rcv_nxt + 100));
    EXPECT_EQ(p.ta().state(c), TcpState::kEstablished);
    EXPECT_EQ(p.ta().info(c).stats.challenge_acks, 1u);
    auto acks = p.a.link.take();
    ASSERT_EQ(acks.size(), 1u);
    auto h = tcp_of(acks[0]);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->flags, wire::TcpFlag::kAck);
    EXPECT_EQ(h->ack, rcv_nxt);
    EXPECT_EQ(h->seq, snd_nxt);
    // Out of window: silently dropped.
    inject(p, from_b(wire::TcpFlag::kRst, rcv_nxt + 10000000));
    EXPECT_TRUE(p.a.link.take().empty());
    EXPECT_EQ(p.ta().state(c), TcpState::kEstablished);
    // Exactly RCV.NXT: reset.
    inject(p, from_b(wire::TcpFlag::kRst, rcv_nxt));
    EXPECT_EQ(p.ta().state(c), TcpState::kClosed);
    EXPECT_EQ(p.ta().last_error(c), Error::kBadState);
}

TEST_F(Established, SynInSynchronizedStateGetsChallengeAck) {
    inject(p, from_b(wire::TcpFlag::kSyn, rcv_nxt + 5));
    EXPECT_EQ(p.ta().state(c), TcpState::kEstablished);
    EXPECT_EQ(p.ta().info(c).stats.challenge_acks, 1u);
    EXPECT_EQ(p.a.link.take().size(), 1u);
}

TEST_F(Established, AckOfUnsentDataIsAnsweredAndDropped) {
    wire::TcpHeader h = from_b(wire::TcpFlag::kAck, rcv_nxt);
    h.ack = snd_nxt + 5000;
    inject(p, h);
    EXPECT_EQ(p.ta().state(c), TcpState::kEstablished);
    EXPECT_EQ(p.a.link.take().size(), 1u);
    EXPECT_EQ(p.a.drops(StackDrop::kTcpOutOfWindow), 1u);
}

TEST_F(Established, OutOfWindowDataIsAnsweredWithAnAck) {
    wire::TcpHeader h = from_b(wire::TcpFlag::kAck, rcv_nxt - 2000);
    h.payload_length = 10;
    Bytes seg(h.emitted_size());
    ASSERT_TRUE(h.emit(MutableByteSpan(seg.data(), seg.size()), {p.ba, p.aa}).ok());
    p.a.rx_ip(2, ip6(p.ba, p.aa, wire::IpProto::kTcp, 64, seg));
    auto acks = p.a.link.take();
    ASSERT_EQ(acks.size(), 1u);
    EXPECT_EQ(tcp_of(acks[0])->ack, rcv_nxt);
    EXPECT_EQ(p.ta().receive_queue_bytes(c), 0u);
}

TEST(Tcp, ListenBacklogFullDropsSyns) {
    TcpPair p;
    const int l = *p.tb().open();
    ASSERT_TRUE(p.tb().bind(l, Ip6Address(), 80).ok());
    ASSERT_TRUE(p.tb().listen(l, 1).ok());
    const int c1 = *p.ta().open(), c2 = *p.ta().open();
    ASSERT_TRUE(p.ta().connect(c1, p.ba, 80).ok());
    p.run_for(1s);
    EXPECT_EQ(p.ta().state(c1), TcpState::kEstablished);
    ASSERT_TRUE(p.ta().connect(c2, p.ba, 80).ok());
    p.run_for(500ms);
    EXPECT_EQ(p.ta().state(c2), TcpState::kSynSent);
    EXPECT_EQ(p.b.drops(StackDrop::kTcpBacklogFull), 1u);
    // Accepting makes room; the retried SYN gets through.
    ASSERT_TRUE(p.tb().accept(l).ok());
    p.run_for(3s);
    EXPECT_EQ(p.ta().state(c2), TcpState::kEstablished);
    EXPECT_TRUE(p.tb().accept(l).ok());
    EXPECT_EQ(p.tb().accept(l).error(), Error::kWouldBlock);
}

TEST(Tcp, ZeroWindowIsProbedUntilItOpens) {
    StackConfig sc;
    sc.tcp.receive_buffer = 4096;
    TcpPair p(sc);
    auto [c, s] = p.establish();
    Bytes data(20000);
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<std::uint8_t>(i * 7 + i / 251);
    ASSERT_EQ(*p.ta().send(c, ByteSpan(data.data(), data.size())), data.size());
    p.run_for(20s);
    EXPECT_EQ(p.tb().receive_queue_bytes(s), 4096u);
    EXPECT_EQ(p.ta().info(c).snd_wnd, 0u);
    EXPECT_GE(p.ta().info(c).stats.window_probes, 2u);
    EXPECT_EQ(p.ta().state(c), TcpState::kEstablished);
    Bytes got;
    p.run_for(60s, [&] {
        recv_all(p.tb(), s, got);
        return got.size() == data.size();
    });
    EXPECT_EQ(got, data);
}

TEST(Tcp, KeepaliveDetectsADeadPeer) {
    TcpPair p;
    auto [c, s] = p.establish();
    ASSERT_TRUE(p.ta().set_keepalive_params(c, 10s, 1s, 3).ok());
    ASSERT_TRUE(p.ta().set_keepalive(c, true).ok());
    p.run_for(12s);
    EXPECT_EQ(p.ta().info(c).stats.keepalive_probes, 1u);  // answered
    EXPECT_EQ(p.ta().state(c), TcpState::kEstablished);
    p.drop = [](int, const Bytes &) { return true; };  // b goes silent
    p.run_for(30s);
    EXPECT_EQ(p.ta().state(c), TcpState::kClosed);
    EXPECT_EQ(p.ta().last_error(c), Error::kTimeout);
    (void)s;
}

TEST(Tcp, SackBlocksForOutOfOrderData) {
    TcpPair p;
    auto [c, s] = p.establish();
    p.ta().set_nodelay(c, true);
    // Lose a's second data segment once.
    int data_segments = 0;
    p.drop = [&](int from, const Bytes &f) {
        auto h = tcp_of(f);
        Bytes pl;
        (void)tcp_of(f, &pl);
        return from == 0 && h && !pl.empty() && ++data_segments == 2;
    };
    Bytes data(6000, 0x5a);
    ASSERT_TRUE(p.ta().send(c, ByteSpan(data.data(), data.size())).ok());
    Bytes got;
    p.run_for(5s, [&] {
        recv_all(p.tb(), s, got);
        return got.size() == data.size();
    });
    EXPECT_EQ(got, data);
    bool sack_seen = false;
    for (auto &h : p.tcp_sent(1))
        if (h.sack_count != 0) {
            sack_seen = true;
            EXPECT_TRUE(h.has_timestamp);
            EXPECT_LE(h.sack_count, 3);
            EXPECT_GT(h.sack[0].right, h.sack[0].left);
        }
    EXPECT_TRUE(sack_seen);
}

TEST(Tcp, ConnectionTableLimitGivesNoMemory) {
    StackConfig sc;
    sc.tcp.max_connections = 2;
    TcpPair p(sc);
    EXPECT_TRUE(p.ta().open().ok());
    EXPECT_TRUE(p.ta().open().ok());
    EXPECT_EQ(p.ta().open().error(), Error::kNoMemory);
}

TEST(Tcp, ApiMisuse) {
    TcpPair p;
    const int x = *p.ta().open();
    std::uint8_t buf[4];
    EXPECT_EQ(p.ta().send(x, ByteSpan(buf, 4)).error(), Error::kBadState);
    EXPECT_EQ(p.ta().recv(x, MutableByteSpan(buf, 4)).error(), Error::kBadState);
    EXPECT_EQ(p.ta().accept(x).error(), Error::kBadState);
    EXPECT_EQ(p.ta().connect(x, p.ba, 0).error(), Error::kInvalidArgument);
    EXPECT_EQ(p.ta().bind(x, addr("2001:db8::77"), 80).error(), Error::kInvalidArgument);
    ASSERT_TRUE(p.ta().bind(x, Ip6Address(), 80).ok());
    const int y = *p.ta().open();
    EXPECT_EQ(p.ta().bind(y, Ip6Address(), 80).error(), Error::kInvalidArgument);
    EXPECT_EQ(p.ta().bind(x, Ip6Address(), 81).error(), Error::kBadState);
    EXPECT_EQ(p.ta().close(999).error(), Error::kNotFound);
}

TEST(Tcp, SynOptionsOnTheWireBytes) {
    TcpPair p;
    const int c = *p.ta().open();
    ASSERT_TRUE(p.ta().connect(c, p.ba, 80).ok());
    p.run_for(1s);
    ASSERT_FALSE(p.sent[0].empty());
    Bytes syn;
    for (auto &f : p.sent[0])
        if (tcp_of(f))
            syn = f;  // address resolution first, then the SYN (its only TCP frame)
    ASSERT_FALSE(syn.empty());
    Decoded d = decode(syn);
    ASSERT_EQ(d.upper, wire::IpProto::kTcp);
    wire::PseudoHeader ph{p.aa, p.ba};
    auto v = wire::TcpView::parse(ByteSpan(d.upper_bytes.data(), d.upper_bytes.size()), &ph);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->flags(), wire::TcpFlag::kSyn);
    EXPECT_EQ(v->window(), 65535);  // never scaled in a SYN
    // MSS, NOP + window scale, SACK-permitted + timestamps, in the codec's aligned layout.
    const ByteSpan o = v->options();
    ASSERT_EQ(o.size, 20u);
    EXPECT_EQ(o[0], 2);
    EXPECT_EQ(o[1], 4);
    EXPECT_EQ(o[2] << 8 | o[3], 1440);
    bool ws = false, sp = false, ts = false;
    for (std::size_t i = 0; i < o.size;) {
        const std::uint8_t k = o[i];
        if (k == 0)
            break;
        if (k == 1) {
            ++i;
            continue;
        }
        ws |= k == 3 && o[i + 1] == 3 && o[i + 2] == 1;
        sp |= k == 4 && o[i + 1] == 2;
        ts |= k == 8 && o[i + 1] == 10;
        i += o[i + 1];
    }
    EXPECT_TRUE(ws && sp && ts);
}

// A listener driven segment by segment (RFC 9293 3.10.7.2, 3.10.7.4 in SYN-RECEIVED).
struct Passive : ::testing::Test {
    Passive() {
        n.up_and_settle();
        EXPECT_TRUE(n.stack.add_address(n.if0, ours, 64, true).ok());
        n.learn(2, peer, ours);
        l = *n.stack.tcp().open();
        EXPECT_TRUE(n.stack.tcp().bind(l, Ip6Address(), 80).ok());
        EXPECT_TRUE(n.stack.tcp().listen(l, 2).ok());
    }
    void rx(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::size_t len = 0,
            bool mss = false) {
        wire::TcpHeader h;
        h.src_port = 40000;
        h.dst_port = 80;
        h.seq = seq;
        h.ack = ack;
        h.flags = flags;
        h.window = 8000;
        h.has_mss = mss;
        h.mss = 1000;
        h.payload_length = len;
        Bytes seg(h.emitted_size());
        EXPECT_TRUE(h.emit(MutableByteSpan(seg.data(), seg.size()), {peer, ours}).ok());
        n.rx_ip(2, ip6(peer, ours, wire::IpProto::kTcp, 64, seg));
    }
    std::vector<wire::TcpHeader> out() {
        std::vector<wire::TcpHeader> v;
        for (auto &f : n.link.take())
            if (auto h = tcp_of(f))
                v.push_back(*h);
        return v;
    }
    Node n{1};
    Ip6Address ours = addr("2001:db8::1"), peer = addr("2001:db8::2");
    int l = -1;
};

TEST_F(Passive, SynGetsSynAckWithoutOptionsThePeerDidNotOffer) {
    rx(wire::TcpFlag::kSyn, 5000, 0, 0, true);
    auto o = out();
    ASSERT_EQ(o.size(), 1u);
    EXPECT_EQ(o[0].flags, wire::TcpFlag::kSyn | wire::TcpFlag::kAck);
    EXPECT_EQ(o[0].ack, 5001u);
    EXPECT_TRUE(o[0].has_mss);
    EXPECT_FALSE(o[0].has_window_scale || o[0].sack_permitted || o[0].has_timestamp);
    // The third segment: established, and waiting for accept.
    rx(wire::TcpFlag::kAck, 5001, o[0].seq + 1);
    EXPECT_TRUE(n.stack.tcp().readable(l));
    auto s = n.stack.tcp().accept(l);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(n.stack.tcp().state(*s), TcpState::kEstablished);
    EXPECT_EQ(n.stack.tcp().info(*s).mss, 1000);  // the peer's MSS
    EXPECT_EQ(n.stack.tcp().info(*s).snd_wnd, 8000u);
}

TEST_F(Passive, BadAckInSynReceivedIsReset) {
    rx(wire::TcpFlag::kSyn, 5000, 0);
    auto synack = out().at(0);
    rx(wire::TcpFlag::kAck, 5001, synack.seq + 77);
    auto o = out();
    ASSERT_EQ(o.size(), 1u);
    EXPECT_EQ(o[0].flags, wire::TcpFlag::kRst);
    EXPECT_EQ(o[0].seq, synack.seq + 77);
    EXPECT_EQ(n.stack.tcp().connection_count(), 2u);  // still SYN-RECEIVED
}

TEST_F(Passive, RstInSynReceivedReturnsToListen) {
    rx(wire::TcpFlag::kSyn, 5000, 0);
    (void)out();
    rx(wire::TcpFlag::kRst, 5001, 0);
    EXPECT_EQ(n.stack.tcp().connection_count(), 1u);
    EXPECT_EQ(n.stack.tcp().accept(l).error(), Error::kWouldBlock);
    EXPECT_EQ(n.stack.tcp().state(l), TcpState::kListen);
}

TEST_F(Passive, RetransmittedSynGetsTheSameSynAck) {
    rx(wire::TcpFlag::kSyn, 5000, 0);
    auto first = out().at(0);
    rx(wire::TcpFlag::kSyn, 5000, 0);
    auto again = out();
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].seq, first.seq);
    EXPECT_EQ(again[0].flags, first.flags);
    EXPECT_EQ(n.stack.tcp().connection_count(), 2u);
}

TEST_F(Passive, AckToListenerIsResetAndRstIgnored) {
    rx(wire::TcpFlag::kAck, 100, 12345);
    auto o = out();
    ASSERT_EQ(o.size(), 1u);
    EXPECT_EQ(o[0].flags, wire::TcpFlag::kRst);
    EXPECT_EQ(o[0].seq, 12345u);
    rx(wire::TcpFlag::kRst, 100, 0);
    EXPECT_TRUE(out().empty());
}

TEST_F(Passive, SynAckRetransmittedThenGivesUp) {
    rx(wire::TcpFlag::kSyn, 5000, 0);
    (void)out();
    n.run_for(std::chrono::seconds(200));
    std::size_t synacks = 0;
    for (auto &h : out())
        synacks += h.flags == (wire::TcpFlag::kSyn | wire::TcpFlag::kAck);
    // Retransmitted with backoff (the neighbour, silent, is forgotten after a while, so not
    // every retransmission reaches the link), then the connection is dropped.
    EXPECT_GE(synacks, 2u);
    EXPECT_EQ(n.stack.tcp().connection_count(), 1u);
}

TEST(Tcp, NagleHoldsSmallSegmentsWhileDataIsInFlight) {
    for (bool nodelay : {false, true}) {
        TcpPair p;
        auto [c, s] = p.establish();
        ASSERT_TRUE(p.ta().set_nodelay(c, nodelay).ok());
        p.sent[0].clear();
        const Bytes one{1};
        for (int i = 0; i < 3; ++i)
            ASSERT_TRUE(p.ta().send(c, ByteSpan(one.data(), 1)).ok());
        std::size_t data_segments = 0;
        for (auto &f : p.sent[0]) {
            Bytes pl;
            data_segments += tcp_of(f, &pl) && !pl.empty();
        }
        for (auto &f : p.a.link.frames) {
            Bytes pl;
            data_segments += tcp_of(f, &pl) && !pl.empty();
        }
        EXPECT_EQ(data_segments, nodelay ? 3u : 1u);
        Bytes got;
        p.run_for(1s, [&] {
            recv_all(p.tb(), s, got);
            return got.size() == 3;
        });
        EXPECT_EQ(got.size(), 3u);  // the held bytes follow the ACK
    }
}

TEST(Tcp, NodeMemoryLimitGivesNoMemory) {
    StackConfig sc;
    sc.tcp.memory_limit = 10000;
    TcpPair p(sc);
    auto [c, s] = p.establish();
    Bytes data(30000, 1);
    auto r = p.ta().send(c, ByteSpan(data.data(), data.size()));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, 10000u);
    EXPECT_EQ(p.ta().send(c, ByteSpan(data.data(), 10)).error(), Error::kNoMemory);
    // The receiver may hold only 10000 bytes too: beyond it data is dropped and counted.
    p.run_for(2s);
    ASSERT_TRUE(p.ta().send(c, ByteSpan(data.data(), 5000)).ok());
    p.run_for(2s);
    EXPECT_EQ(p.tb().receive_queue_bytes(s), 10000u);
    EXPECT_GE(p.b.drops(StackDrop::kTcpNoMemory), 1u);
    Bytes got;
    p.run_for(20s, [&] {
        recv_all(p.tb(), s, got);
        return got.size() == 15000;
    });
    EXPECT_EQ(got.size(), 15000u);
}

TEST(Tcp, ExhaustedPoolIsRetried) {
    TcpPair p;
    auto [c, s] = p.establish();
    // Hold every buffer of a's pool so no segment can be built.
    std::vector<PacketBuffer> hog;
    for (;;) {
        auto b = p.a.pool.allocate(0, 1024);
        if (!b)
            break;
        hog.push_back(std::move(*b));
    }
    const Bytes d{1, 2, 3, 4};
    ASSERT_TRUE(p.ta().send(c, ByteSpan(d.data(), d.size())).ok());
    EXPECT_GE(p.a.drops(StackDrop::kNoMemory), 1u);
    p.run_for(500ms);
    EXPECT_EQ(p.tb().receive_queue_bytes(s), 0u);
    hog.clear();
    Bytes got;
    p.run_for(5s, [&] {
        recv_all(p.tb(), s, got);
        return got.size() == 4;
    });
    EXPECT_EQ(got, d);
}

}  // namespace
}  // namespace meshwork::stack::test
