// The user-space stack's wall-clock cost and memory (issue 12, "Performance"), two in-process
// nodes (stack::Stack each, its own pool) joined by an ideal link: a frame one sends is handed
// to the other at once, in order, never lost; time is a manual clock that moves only to the
// next stack deadline when nothing else is left to do, so the figures are the stacks' own CPU
// cost. Everything runs on one thread pinned to one CPU, and so does every baseline.
//
//   stack_tcp_bulk_wall       bytes/s of a TCP bulk transfer between the nodes, against the
//                             kernel's loopback TCP (::1, both ends non-blocking on the same
//                             thread) in the same run, batch by batch (goal: ratio >= 0.5)
//   stack_tcp_rr_wall         1-byte TCP request/response transactions per second, against a
//                             1-byte UDP ping-pong of the same nodes (the cost of TCP itself)
//   stack_tcp_idle_conn_bytes heap bytes per idle established TCP connection endpoint,
//                             against the kernel's TCPv6 socket object (/proc/slabinfo; the
//                             node's bytes without connection when that is unreadable)
//   stack_node_bytes          heap bytes per node with its interface up and no connection
//                             (stack, tables, the pool's buffers in use), against the node pool
//                             budget NodeNetwork gives by default (256 KiB)
#include <arpa/inet.h>
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "Affinity.h"
#include "BenchReport.h"
#include "Stack.h"
#include "TcpSockets.h"
#include "UdpSockets.h"
#include "core/Random.h"

using namespace meshwork;
using namespace meshwork::stack;

namespace {

using Clk = std::chrono::steady_clock;

class ManualClock final : public Clock {
  public:
    Instant now() const override { return t; }
    Instant t{std::chrono::seconds(1)};
};

/// Two stacks on an ideal link: frames queue in order and are delivered by pump().
class IdealPair {
  public:
    explicit IdealPair(std::size_t pool_bytes = 8 << 20, std::size_t pool_buffers = 8192,
                       StackConfig sc = bulk_config(), std::size_t mtu = 1500)
        : ra_(7, 1),
          rb_(7, 2),
          pa_(pool_bytes, pool_buffers),
          pb_(pool_bytes, pool_buffers),
          a(clock, ra_, pa_, sc),
          b(clock, rb_, pb_, sc),
          port_a_(*this, 1),
          port_b_(*this, 0) {
        NetifConfig ca, cb;
        ca.mac = LinkAddress::ethernet(2, 0, 0, 0, 0, 1);
        cb.mac = LinkAddress::ethernet(2, 0, 0, 0, 0, 2);
        ca.mtu = cb.mtu = mtu;
        const IfIndex ia = *a.add_interface(ca, port_a_), ib = *b.add_interface(cb, port_b_);
        (void)a.set_up(ia);
        (void)b.set_up(ib);
        (void)a.add_address(ia, a_addr, 64, true);
        (void)b.add_address(ib, b_addr, 64, true);
        settle(std::chrono::seconds(3));  // link-local DAD, RS, MLD reports
    }
    static StackConfig bulk_config() {
        StackConfig sc;
        sc.tcp.send_buffer = 256 * 1024;
        sc.tcp.receive_buffer = 256 * 1024;
        return sc;
    }

    /// Delivers every queued frame (and what they cause) and runs due timers.
    void pump() {
        for (;;) {
            while (!queue_.empty()) {
                Frame f = std::move(queue_.front());
                queue_.pop_front();
                nodes_[f.to]->receive_frame(0, ByteSpan(f.bytes.data(), f.bytes.size()));
                spare_.push_back(std::move(f.bytes));
            }
            bool polled = false;
            for (Stack *n : nodes_) {
                if (n->next_deadline() <= clock.t) {
                    n->poll();
                    polled = true;
                }
            }
            if (!polled && queue_.empty()) {
                return;
            }
        }
    }
    /// Nothing left to do now: moves the clock to the next deadline and runs it.
    bool advance() {
        const Instant d = std::min(a.next_deadline(), b.next_deadline());
        if (d == kNever) {
            return false;
        }
        clock.t = std::max(clock.t, d);
        pump();
        return true;
    }
    void settle(Duration d) {
        const Instant end = clock.t + d;
        pump();
        while (std::min(a.next_deadline(), b.next_deadline()) <= end && advance()) {
        }
        clock.t = std::max(clock.t, end);
        pump();
    }
    std::uint64_t frames() const { return frames_; }

    ManualClock clock;
    const wire::Ip6Address a_addr = *wire::Ip6Address::from_text("2001:db8::1");
    const wire::Ip6Address b_addr = *wire::Ip6Address::from_text("2001:db8::2");

  private:
    struct Frame {
        int to;
        std::vector<std::uint8_t> bytes;
    };
    struct Port final : LinkOutput {
        Port(IdealPair &p, int to) : pair(p), to(to) {}
        Status send_frame(PacketBuffer frame) override {
            pair.carry(to, frame.data());
            return Status();
        }
        IdealPair &pair;
        int to;
    };
    void carry(int to, ByteSpan f) {
        ++frames_;
        std::vector<std::uint8_t> bytes;
        if (!spare_.empty()) {
            bytes = std::move(spare_.back());
            spare_.pop_back();
        }
        bytes.assign(f.begin(), f.end());
        queue_.push_back(Frame{to, std::move(bytes)});
    }

    SeededRandom ra_, rb_;
    PacketPool pa_, pb_;

  public:
    Stack a, b;

  private:
    Port port_a_, port_b_;
    Stack *nodes_[2] = {&a, &b};
    std::deque<Frame> queue_;
    std::vector<std::vector<std::uint8_t>> spare_;
    std::uint64_t frames_ = 0;
};

/// A connection a -> b on port 80 (client on a, accepted socket on b).
struct TcpPair {
    TcpSockets::SocketId client = 0, server = 0;
    bool ok = false;
};
TcpPair connect_pair(IdealPair &p, std::uint16_t port, bool nodelay) {
    TcpPair r;
    TcpSockets &ta = p.a.tcp(), &tb = p.b.tcp();
    const auto l = *tb.open();
    (void)tb.bind(l, wire::Ip6Address(), port);
    (void)tb.listen(l, 1);
    r.client = *ta.open();
    if (nodelay) {
        (void)ta.set_nodelay(r.client, true);
    }
    (void)ta.connect(r.client, p.b_addr, port);
    for (int i = 0; i < 1000; ++i) {
        p.pump();
        if (auto s = tb.accept(l)) {
            r.server = *s;
            r.ok = true;
            break;
        }
        p.advance();
    }
    if (nodelay && r.ok) {
        (void)tb.set_nodelay(r.server, true);
    }
    (void)tb.close(l);
    p.pump();
    return r;
}

// --- TCP bulk ---------------------------------------------------------------------------------

/// Moves `bytes` from a to b over `c`; returns the wall seconds.
double ours_bulk(IdealPair &p, const TcpPair &c, std::size_t bytes) {
    static std::vector<std::uint8_t> chunk(65536, 0x5a), buf(65536);
    TcpSockets &ta = p.a.tcp(), &tb = p.b.tcp();
    std::size_t sent = 0, got = 0;
    const auto t0 = Clk::now();
    while (got < bytes) {
        bool progress = false;
        while (sent < bytes) {
            auto r =
                ta.send(c.client, ByteSpan(chunk.data(), std::min(chunk.size(), bytes - sent)));
            if (!r || *r == 0) {
                break;
            }
            sent += *r;
            progress = true;
        }
        p.pump();
        for (;;) {
            auto r = tb.recv(c.server, MutableByteSpan(buf.data(), buf.size()));
            if (!r || *r == 0) {
                break;
            }
            got += *r;
            progress = true;
        }
        p.pump();
        if (!progress && !p.advance()) {
            std::fprintf(stderr, "stack bulk stalled at %zu of %zu\n", got, bytes);
            std::exit(1);
        }
    }
    return std::chrono::duration<double>(Clk::now() - t0).count();
}

struct KernelPair {
    int client = -1, server = -1;
    bool ok() const { return client >= 0 && server >= 0; }
};
KernelPair kernel_connect(bool nodelay) {
    KernelPair k;
    const int l = ::socket(AF_INET6, SOCK_STREAM, 0);
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    socklen_t len = sizeof a;
    if (l < 0 || ::bind(l, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 ||
        ::listen(l, 1) != 0 || ::getsockname(l, reinterpret_cast<sockaddr *>(&a), &len) != 0) {
        return k;
    }
    k.client = ::socket(AF_INET6, SOCK_STREAM, 0);
    if (::connect(k.client, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
        return k;
    }
    k.server = ::accept(l, nullptr, nullptr);
    ::close(l);
    const int one = 1;
    for (int fd : {k.client, k.server}) {
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        if (nodelay) {
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        }
    }
    return k;
}

double kernel_bulk(const KernelPair &k, std::size_t bytes) {
    static std::vector<std::uint8_t> chunk(65536, 0x5a), buf(65536);
    std::size_t sent = 0, got = 0;
    const auto t0 = Clk::now();
    while (got < bytes) {
        while (sent < bytes) {
            const ssize_t n =
                ::send(k.client, chunk.data(), std::min(chunk.size(), bytes - sent), MSG_NOSIGNAL);
            if (n <= 0) {
                break;
            }
            sent += static_cast<std::size_t>(n);
        }
        for (;;) {
            const ssize_t n = ::recv(k.server, buf.data(), buf.size(), 0);
            if (n <= 0) {
                break;
            }
            got += static_cast<std::size_t>(n);
        }
    }
    return std::chrono::duration<double>(Clk::now() - t0).count();
}

// --- request/response -------------------------------------------------------------------------

/// `n` 1-byte TCP transactions (a asks, b answers); wall seconds.
double ours_tcp_rr(IdealPair &p, const TcpPair &c, long n) {
    TcpSockets &ta = p.a.tcp(), &tb = p.b.tcp();
    std::uint8_t q = 'q', r = 0;
    const auto t0 = Clk::now();
    for (long i = 0; i < n; ++i) {
        (void)ta.send(c.client, ByteSpan(&q, 1));
        p.pump();
        while (!tb.recv(c.server, MutableByteSpan(&r, 1))) {
            p.advance();
        }
        (void)tb.send(c.server, ByteSpan(&r, 1));
        p.pump();
        while (!ta.recv(c.client, MutableByteSpan(&r, 1))) {
            p.advance();
        }
    }
    return std::chrono::duration<double>(Clk::now() - t0).count();
}

/// `n` 1-byte UDP ping-pongs between the same nodes; wall seconds.
double ours_udp_rr(IdealPair &p, UdpSockets::SocketId sa, UdpSockets::SocketId sb, long n) {
    UdpSockets &ua = p.a.udp(), &ub = p.b.udp();
    std::uint8_t q = 'q', r = 0;
    UdpDatagramInfo info;
    const auto t0 = Clk::now();
    for (long i = 0; i < n; ++i) {
        (void)ua.send_to(sa, p.b_addr, 7, ByteSpan(&q, 1));
        p.pump();
        if (!ub.recv_from(sb, MutableByteSpan(&r, 1), &info)) {
            std::fprintf(stderr, "udp ping lost\n");
            std::exit(1);
        }
        (void)ub.send_to(sb, info.src, info.src_port, ByteSpan(&r, 1));
        p.pump();
        if (!ua.recv_from(sa, MutableByteSpan(&r, 1), &info)) {
            std::fprintf(stderr, "udp pong lost\n");
            std::exit(1);
        }
    }
    return std::chrono::duration<double>(Clk::now() - t0).count();
}

// --- memory -----------------------------------------------------------------------------------

/// Bytes the process has allocated from the heap now (glibc: arena plus mmapped chunks).
double heap_in_use() {
    const struct mallinfo2 m = ::mallinfo2();
    return static_cast<double>(m.uordblks + m.hblkhd);
}

/// The kernel's TCPv6 socket object size from /proc/slabinfo (0 when unreadable).
double kernel_tcp6_object_size() {
    std::ifstream in("/proc/slabinfo");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string name;
        double active = 0, total = 0, objsize = 0;
        if (f >> name >> active >> total >> objsize && name == "TCPv6") {
            return objsize;
        }
    }
    return 0;
}

/// Heap bytes per node: `count` nodes, each its own stack and pool, interface up with a
/// static address, settled (its startup frames sent into the void).
double bytes_per_idle_node(int count) {
    struct Void final : LinkOutput {
        Status send_frame(PacketBuffer) override { return Status(); }
    };
    ManualClock clock;
    Void sink;
    std::vector<std::unique_ptr<SeededRandom>> rnd;
    std::vector<std::unique_ptr<PacketPool>> pools;
    std::vector<std::unique_ptr<Stack>> stacks;
    rnd.reserve(count);
    pools.reserve(count);
    stacks.reserve(count);
    const double before = heap_in_use();
    for (int i = 0; i < count; ++i) {
        rnd.push_back(std::make_unique<SeededRandom>(9, i));
        pools.push_back(std::make_unique<PacketPool>(256 * 1024, 512));
        stacks.push_back(std::make_unique<Stack>(clock, *rnd.back(), *pools.back()));
        NetifConfig c;
        c.mac = LinkAddress::ethernet(2, 0, 0, 0, static_cast<std::uint8_t>(i >> 8),
                                      static_cast<std::uint8_t>(i));
        const IfIndex x = *stacks.back()->add_interface(c, sink);
        (void)stacks.back()->set_up(x);
        (void)stacks.back()->add_address(x, *wire::Ip6Address::from_text("2001:db8::1"), 64, true);
    }
    for (int step = 0; step < 200; ++step) {
        clock.t += std::chrono::milliseconds(50);
        for (auto &s : stacks) {
            if (s->next_deadline() <= clock.t) {
                s->poll();
            }
        }
    }
    return (heap_in_use() - before) / count;
}

/// Heap bytes per idle established connection endpoint: `count` connections between the
/// pair, both ends counted (so divided by 2 * count).
double bytes_per_idle_connection(int count) {
    StackConfig sc;  // default buffers: what a socket gets
    sc.tcp.max_connections = static_cast<std::size_t>(2 * count + 8);
    IdealPair p(8 << 20, 8192, sc);
    TcpSockets &ta = p.a.tcp(), &tb = p.b.tcp();
    const auto l = *tb.open();
    (void)tb.bind(l, wire::Ip6Address(), 80);
    (void)tb.listen(l, count);
    p.pump();
    const double before = heap_in_use();
    std::vector<TcpSockets::SocketId> clients, servers;
    for (int i = 0; i < count; ++i) {
        clients.push_back(*ta.open());
        (void)ta.connect(clients.back(), p.b_addr, 80);
        p.pump();
        while (auto s = tb.accept(l)) {
            servers.push_back(*s);
        }
    }
    p.settle(std::chrono::seconds(2));  // delayed ACKs, nothing else pending
    while (auto s = tb.accept(l)) {
        servers.push_back(*s);
    }
    const double after = heap_in_use();
    if (servers.size() != static_cast<std::size_t>(count)) {
        std::fprintf(stderr, "only %zu of %d connections accepted\n", servers.size(), count);
        std::exit(1);
    }
    return (after - before) / (2.0 * count);
}

}  // namespace

int main() {
    bench::pin_this_thread(bench::placements().front().main_cpu);

    // Bulk: interleaved batches, one connection each side for the whole run; once with
    // Ethernet's MTU, once with the loopback device's (65536, capped at IPv6's 65535 here).
    const KernelPair k = kernel_connect(false);
    for (const std::size_t mtu : {std::size_t{1500}, std::size_t{65535}}) {
        IdealPair p(16 << 20, 8192, IdealPair::bulk_config(), mtu);
        const TcpPair c = connect_pair(p, 80, false);
        if (!c.ok || !k.ok()) {
            std::printf("BENCH stack_tcp_bulk_wall error=no-connection\n");
            return 1;
        }
        const std::size_t batch = 16u << 20;
        (void)ours_bulk(p, c, batch);  // warm-up: windows open, buffers allocated
        (void)kernel_bulk(k, batch);
        double ours = 0, kernel = 0;
        const int batches = 8;
        for (int i = 0; i < batches; ++i) {
            ours += ours_bulk(p, c, batch);
            kernel += kernel_bulk(k, batch);
        }
        const double total = static_cast<double>(batch) * batches;
        const TcpInfo info = p.a.tcp().info(c.client);
        std::printf(
            "# bulk, link MTU %zu: %.0f MB each, ours %.3f s (mss %u, %llu frames, "
            "retransmits %llu), kernel loopback %.3f s\n",
            mtu, total / 1e6, ours, info.mss, static_cast<unsigned long long>(p.frames()),
            static_cast<unsigned long long>(info.stats.retransmits), kernel);
        bench::report(mtu == 1500 ? "stack_tcp_bulk_wall_mtu1500" : "stack_tcp_bulk_wall_mtu65535",
                      total / ours, "bytes/s", total / kernel);
    }
    ::close(k.client);
    ::close(k.server);

    // Request/response: TCP transactions against UDP ping-pongs, same nodes, interleaved.
    {
        IdealPair p;
        const TcpPair c = connect_pair(p, 81, true);
        const auto sa = *p.a.udp().open(), sb = *p.b.udp().open();
        (void)p.b.udp().bind(sb, wire::Ip6Address(), 7);
        if (!c.ok) {
            std::printf("BENCH stack_tcp_rr_wall error=no-connection\n");
            return 1;
        }
        const long batch = 20000;
        (void)ours_tcp_rr(p, c, batch / 10);
        (void)ours_udp_rr(p, sa, sb, batch / 10);
        double tcp = 0, udp = 0;
        const int batches = 8;
        for (int i = 0; i < batches; ++i) {
            tcp += ours_tcp_rr(p, c, batch);
            udp += ours_udp_rr(p, sa, sb, batch);
        }
        const double n = static_cast<double>(batch) * batches;
        bench::report("stack_tcp_rr_wall", n / tcp, "transactions/s", n / udp);
    }

    // Memory.
    {
        const double node = bytes_per_idle_node(200);
        const double conn = bytes_per_idle_connection(200);
        const double kernel = kernel_tcp6_object_size();
        std::printf(
            "# memory: %.0f bytes per idle node, %.0f per idle connection endpoint; "
            "kernel TCPv6 object %.0f bytes\n",
            node, conn, kernel);
        bench::report("stack_tcp_idle_conn_bytes", conn, "bytes", kernel > 0 ? kernel : node);
        bench::report("stack_node_bytes", node, "bytes", 256.0 * 1024);
    }
    return 0;
}
