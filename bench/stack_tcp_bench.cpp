// TCP bulk transfer between two in-process nodes over a modelled link (100 Mbit/s each way,
// 1 ms one-way latency), in virtual time: goodput in MB/s against the analytic limit of the link
// for full-sized segments (payload / frame bytes times the line rate). Also prints the
// wall-clock rate of the whole simulation (informational).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <vector>

#include "BenchReport.h"
#include "Stack.h"
#include "TcpSockets.h"
#include "core/Random.h"

using namespace meshwork;
using namespace meshwork::stack;

namespace {

constexpr double kLineRate = 100e6 / 8;  // bytes per second
constexpr Duration kLatency = std::chrono::milliseconds(1);

class VirtualClock final : public Clock {
  public:
    Instant now() const override { return t; }
    Instant t{std::chrono::seconds(1)};
};

struct Link;

struct Port final : LinkOutput {
    Link *link = nullptr;
    int from = 0;
    Status send_frame(PacketBuffer frame) override;
};

struct Link {
    VirtualClock &clock;
    Instant free_at[2];
    std::multimap<Instant, std::pair<int, std::vector<std::uint8_t>>> inflight;
    explicit Link(VirtualClock &c) : clock(c), free_at{c.t, c.t} {}
    void carry(int from, ByteSpan f) {
        // Serialised after the previous frame on this direction (preamble and gap counted).
        const Instant start = std::max(clock.t, free_at[from]);
        const auto tx = Duration(static_cast<std::int64_t>((f.size + 24) / kLineRate * 1e6));
        free_at[from] = start + tx;
        inflight.emplace(start + tx + kLatency,
                         std::make_pair(1 - from, std::vector<std::uint8_t>(f.begin(), f.end())));
    }
};

Status Port::send_frame(PacketBuffer frame) {
    link->carry(from, frame.data());
    return Status();
}

}  // namespace

int main() {
    VirtualClock clock;
    SeededRandom ra(7, 1), rb(7, 2);
    PacketPool pa(4 << 20, 4096), pb(4 << 20, 4096);
    StackConfig sc;
    sc.tcp.send_buffer = 256 * 1024;
    sc.tcp.receive_buffer = 256 * 1024;
    Stack a(clock, ra, pa, sc), b(clock, rb, pb, sc);
    Link link(clock);
    Port port_a, port_b;
    port_a.link = port_b.link = &link;
    port_a.from = 0;
    port_b.from = 1;
    NetifConfig ca, cb;
    ca.mac = LinkAddress::ethernet(2, 0, 0, 0, 0, 1);
    cb.mac = LinkAddress::ethernet(2, 0, 0, 0, 0, 2);
    const IfIndex ia = *a.add_interface(ca, port_a), ib = *b.add_interface(cb, port_b);
    (void)a.set_up(ia);
    (void)b.set_up(ib);
    const auto aa = *wire::Ip6Address::from_text("2001:db8::1");
    const auto ba = *wire::Ip6Address::from_text("2001:db8::2");
    (void)a.add_address(ia, aa, 64, true);
    (void)b.add_address(ib, ba, 64, true);
    Stack *nodes[2] = {&a, &b};
    auto step = [&](Instant end) {
        Instant next = std::min(a.next_deadline(), b.next_deadline());
        if (!link.inflight.empty())
            next = std::min(next, link.inflight.begin()->first);
        if (next > end)
            next = end;
        if (next > clock.t)
            clock.t = next;
        while (!link.inflight.empty() && link.inflight.begin()->first <= clock.t) {
            auto item = std::move(link.inflight.begin()->second);
            link.inflight.erase(link.inflight.begin());
            nodes[item.first]->receive_frame(0, ByteSpan(item.second.data(), item.second.size()));
        }
        for (Stack *n : nodes)
            if (n->next_deadline() <= clock.t)
                n->poll();
    };
    while (clock.t < Instant(std::chrono::seconds(4)))
        step(Instant(std::chrono::seconds(4)));

    TcpSockets &ta = a.tcp(), &tb = b.tcp();
    const auto l = *tb.open();
    (void)tb.bind(l, wire::Ip6Address(), 80);
    (void)tb.listen(l, 1);
    const auto c = *ta.open();
    (void)ta.connect(c, ba, 80);
    int s = -1;
    for (int i = 0; i < 100000 && s < 0; ++i) {
        step(kNever);
        if (auto r = tb.accept(l))
            s = *r;
    }
    if (s < 0) {
        std::printf("BENCH stack_tcp_bulk error=no-connection\n");
        return 1;
    }
    const std::size_t total = 16u << 20;
    std::size_t sent = 0, got = 0;
    std::vector<std::uint8_t> chunk(16384, 0xa5), buf(65536);
    const Instant t0 = clock.t;
    const auto w0 = std::chrono::steady_clock::now();
    while (got < total) {
        while (sent < total) {
            auto r = ta.send(c, ByteSpan(chunk.data(), std::min(chunk.size(), total - sent)));
            if (!r || *r == 0)
                break;
            sent += *r;
        }
        for (;;) {
            auto r = tb.recv(s, MutableByteSpan(buf.data(), buf.size()));
            if (!r || *r == 0)
                break;
            got += *r;
        }
        step(kNever);
    }
    const double vsec = std::chrono::duration<double>(clock.t - t0).count();
    const double wsec =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    const TcpInfo info = ta.info(c);
    const double mss = info.mss;
    const double frame = mss + 12 + 20 + 40 + 14 + 24;  // timestamps, TCP, IPv6, Ethernet, gap
    const double limit = kLineRate * mss / frame / 1e6;
    const double mbps = static_cast<double>(total) / vsec / 1e6;
    std::printf(
        "# %zu bytes in %.3f s virtual, %.3f s wall (%.1f MB/s wall); mss %u, "
        "retransmits %llu\n",
        total, vsec, wsec, static_cast<double>(total) / wsec / 1e6, info.mss,
        static_cast<unsigned long long>(info.stats.retransmits));
    bench::report("stack_tcp_bulk", mbps, "MB/s-virtual", limit);
    return 0;
}
