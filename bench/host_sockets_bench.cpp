// HostStack through the blocking Mbed socket classes against raw POSIX sockets, over loopback,
// both measured in this run (median of kRounds rounds, raw and ours alternating):
//   host_udp_64         UDP 64-byte datagrams sent and received per second by one thread that
//                       sends batches to its own socket and reads them back, against an AF_INET
//                       socket, batches interleaved                          (target >= 0.90)
//   host_udp_64_vs_dual_stack  the same against a dual-stack AF_INET6 socket, the kernel path
//                       our sockets take: what is left is the socket layer's and HostStack's own
// and the two-thread figures, each twice (Affinity.h): <name>_same_core with both threads of
// each side pinned to one CPU, <name>_cross_core with the peer thread on a second CPU (the
// measuring thread and the stack's epoll thread stay on the first):
//   host_tcp_bulk       TCP bulk throughput, 128 KiB writes and reads, batches of 128 MiB
//                       interleaved with raw ones, a reader thread each      (target >= 0.95)
//   host_tcp_pingpong   TCP 1-byte round trips per second, TCP_NODELAY, batches of 64 round
//                       trips interleaved with raw ones, an echo thread each (target >= 0.90)
//   host_udp_64_two_threads  a sender and a receiver thread (informational)
// Usage: bench_host_sockets [tcp_bulk|tcp_pingpong|udp|profile_udp] (default: all but the
// last, which runs our side of host_udp_64 alone for a profiler)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "Affinity.h"
#include "BenchReport.h"
#include "TCPSocket.h"
#include "UDPSocket.h"
#include "meshwork/HostStack.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kRounds = 5;
constexpr size_t kChunk = 128 * 1024;
constexpr auto kTimedRun = std::chrono::milliseconds(1000);
constexpr size_t kDatagram = 64;
constexpr int kUdpRcvbuf = 4 << 20;

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Runs two batch functions alternately, a batch each, for kTimedRun, timing each side only
// while it runs: both see the same machine at the same moments, so the drifts of a shared
// virtual machine (seen here: whole seconds at half speed) cancel out of the ratio. Returns
// {first's rate, second's rate} in items per second.
template <typename A, typename B>
std::pair<double, double> interleave(A a, B b) {
    double ta = 0, tb = 0;
    long na = 0, nb = 0;
    const auto end = Clock::now() + kTimedRun;
    while (Clock::now() < end) {
        const auto t0 = Clock::now();
        na += a();
        const auto t1 = Clock::now();
        nb += b();
        const auto t2 = Clock::now();
        ta += std::chrono::duration<double>(t1 - t0).count();
        tb += std::chrono::duration<double>(t2 - t1).count();
    }
    return {na / ta, nb / tb};
}

// ------------------------------------------------------------------------------ raw sockets

struct RawPair {
    int client = -1, server = -1;
};

RawPair raw_tcp_pair() {
    const int l = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(l, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
    socklen_t len = sizeof sa;
    ::getsockname(l, reinterpret_cast<sockaddr *>(&sa), &len);
    ::listen(l, 1);
    RawPair p;
    p.client = ::socket(AF_INET, SOCK_STREAM, 0);
    ::connect(p.client, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
    p.server = ::accept(l, nullptr, nullptr);
    ::close(l);
    const int one = 1;
    ::setsockopt(p.client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(p.server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return p;
}

double raw_udp(const meshwork::bench::Placement &where) {
    const int rx = ::socket(AF_INET, SOCK_DGRAM, 0);
    ::setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &kUdpRcvbuf, sizeof kUdpRcvbuf);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(rx, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
    socklen_t len = sizeof sa;
    ::getsockname(rx, reinterpret_cast<sockaddr *>(&sa), &len);
    timeval tv{0, 200000};
    ::setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    const int tx = ::socket(AF_INET, SOCK_DGRAM, 0);
    std::atomic<bool> stop{false};
    std::atomic<long> received{0};
    std::thread receiver([&] {
        meshwork::bench::pin_this_thread(where.peer_cpu);
        char b[kDatagram];
        while (::recv(rx, b, sizeof b, 0) > 0 || !stop.load()) {
            received.fetch_add(1, std::memory_order_relaxed);
        }
    });
    char d[kDatagram] = {};
    const auto start = Clock::now();
    while (Clock::now() - start < kTimedRun) {
        for (int i = 0; i < 256; ++i) {
            ::sendto(tx, d, sizeof d, 0, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
        }
    }
    const long got_at_end = received.load();
    const double s = seconds_since(start);
    stop = true;
    receiver.join();
    ::close(tx);
    ::close(rx);
    return got_at_end / s;
}

// ----------------------------------------------------------------- HostStack through the facade

struct HostPair {
    TCPSocket client;
    TCPSocket *server = nullptr;
    TCPSocket listener;
};

bool host_tcp_pair(meshwork::HostStack &stack, HostPair &p) {
    p.listener.open(&stack);
    const int one = 1;
    p.listener.setsockopt(NSAPI_SOCKET, NSAPI_REUSEADDR, &one, sizeof one);
    // Port chosen by the kernel, read back through a raw probe on the same loopback.
    for (uint16_t port = 41000; port < 41100; ++port) {
        if (p.listener.bind(SocketAddress("127.0.0.1", port)) == NSAPI_ERROR_OK) {
            p.listener.listen(1);
            p.client.open(&stack);
            if (p.client.connect(SocketAddress("127.0.0.1", port)) != NSAPI_ERROR_OK) {
                return false;
            }
            nsapi_error_t err = NSAPI_ERROR_OK;
            p.server = p.listener.accept(&err);
            return p.server != nullptr;
        }
    }
    return false;
}

double host_udp(meshwork::HostStack &stack, const meshwork::bench::Placement &where) {
    UDPSocket rx, tx;
    rx.open(&stack);
    tx.open(&stack);
    rx.setsockopt(NSAPI_SOCKET, NSAPI_RCVBUF, &kUdpRcvbuf, sizeof kUdpRcvbuf);
    uint16_t port = 42000;
    while (rx.bind(SocketAddress("127.0.0.1", port)) != NSAPI_ERROR_OK && port < 42100) {
        ++port;
    }
    rx.set_timeout(200);
    const SocketAddress to("127.0.0.1", port);
    std::atomic<bool> stop{false};
    std::atomic<long> received{0};
    std::thread receiver([&] {
        meshwork::bench::pin_this_thread(where.peer_cpu);
        char b[kDatagram];
        while (rx.recvfrom(nullptr, b, sizeof b) > 0 || !stop.load()) {
            received.fetch_add(1, std::memory_order_relaxed);
        }
    });
    char d[kDatagram] = {};
    const auto start = Clock::now();
    while (Clock::now() - start < kTimedRun) {
        for (int i = 0; i < 256; ++i) {
            tx.sendto(to, d, sizeof d);
        }
    }
    const long got_at_end = received.load();
    const double s = seconds_since(start);
    stop = true;
    receiver.join();
    tx.close();
    rx.close();
    return got_at_end / s;
}

// ---------------------------------------------------------------------------------- TCP bulk

// A batch writes kBulkBatch bytes in kChunk writes; a reader thread on the other end reads all
// the time. A batch ends when its last write is accepted, so each batch can also count up to
// the kernel's buffers (a few MiB, filled while the other side runs) that the reader has not
// taken yet: the same for both sides, and small beside kBulkBatch. The readers count what they
// receive, which the destructors check against what was sent.
constexpr size_t kBulkBatch = size_t{128} << 20;

struct RawBulk {
    RawPair p = raw_tcp_pair();
    size_t sent = 0;
    std::atomic<size_t> got{0};
    std::vector<char> out = std::vector<char>(kChunk, 'r');
    std::thread rx{[this] {
        std::vector<char> in(kChunk);
        ssize_t n;
        while ((n = ::read(p.server, in.data(), in.size())) > 0) {
            got.fetch_add(static_cast<size_t>(n), std::memory_order_relaxed);
        }
    }};
    ~RawBulk() {
        ::shutdown(p.client, SHUT_WR);  // the reader reads 0
        rx.join();
        ::close(p.client);
        ::close(p.server);
        if (got.load() != sent) {
            std::fprintf(stderr, "raw bulk: received %zu of %zu bytes\n", got.load(), sent);
        }
    }
    long batch() {
        for (size_t done = 0; done < kBulkBatch;) {
            const ssize_t n = ::write(p.client, out.data(), std::min(kChunk, kBulkBatch - done));
            if (n <= 0) {
                return 0;
            }
            done += static_cast<size_t>(n);
            sent += static_cast<size_t>(n);
        }
        return static_cast<long>(kBulkBatch);
    }
};

struct OurBulk {
    HostPair p;
    bool ok;
    size_t sent = 0;
    std::atomic<size_t> got{0};
    std::vector<char> out = std::vector<char>(kChunk, 'h');
    std::thread rx;
    explicit OurBulk(meshwork::HostStack &stack) : ok(host_tcp_pair(stack, p)) {
        rx = std::thread([this] {
            std::vector<char> in(kChunk);
            nsapi_size_or_error_t n;
            while (ok &&
                   (n = p.server->recv(in.data(), static_cast<nsapi_size_t>(in.size()))) > 0) {
                got.fetch_add(static_cast<size_t>(n), std::memory_order_relaxed);
            }
        });
    }
    ~OurBulk() {
        p.client.close();  // orderly: the reader reads 0
        rx.join();
        if (p.server) {
            p.server->close();
        }
        p.listener.close();
        if (got.load() != sent) {
            std::fprintf(stderr, "meshwork bulk: received %zu of %zu bytes\n", got.load(), sent);
        }
    }
    long batch() {
        for (size_t done = 0; ok && done < kBulkBatch;) {
            const nsapi_size_or_error_t n = p.client.send(
                out.data(), static_cast<nsapi_size_t>(std::min(kChunk, kBulkBatch - done)));
            if (n <= 0) {
                return 0;
            }
            done += static_cast<size_t>(n);
            sent += static_cast<size_t>(n);
        }
        return static_cast<long>(kBulkBatch);
    }
};

// ------------------------------------------------------------------------------- TCP ping-pong

// One byte there and back, kPingPongBatch times; an echo thread answers on the other end.
constexpr int kPingPongBatch = 64;

struct RawPingPong {
    RawPair p = raw_tcp_pair();
    std::thread echo{[this] {
        char b;
        while (::read(p.server, &b, 1) == 1) {
            if (::write(p.server, &b, 1) != 1) {
                break;
            }
        }
    }};
    ~RawPingPong() {
        ::shutdown(p.client, SHUT_WR);  // the echo thread reads 0
        echo.join();
        ::close(p.client);
        ::close(p.server);
    }
    long batch() {
        char b = 'p';
        long trips = 0;
        for (int i = 0; i < kPingPongBatch; ++i) {
            if (::write(p.client, &b, 1) != 1 || ::read(p.client, &b, 1) != 1) {
                break;
            }
            ++trips;
        }
        return trips;
    }
};

struct OurPingPong {
    HostPair p;
    bool ok;
    std::thread echo;
    explicit OurPingPong(meshwork::HostStack &stack) : ok(host_tcp_pair(stack, p)) {
        echo = std::thread([this] {
            char b;
            while (ok && p.server->recv(&b, 1) == 1) {
                if (p.server->send(&b, 1) != 1) {
                    break;
                }
            }
        });
    }
    ~OurPingPong() {
        p.client.close();  // the echo thread reads 0 (or NO_SOCKET)
        echo.join();
        if (p.server) {
            p.server->close();
        }
        p.listener.close();
    }
    long batch() {
        char b = 'p';
        long trips = 0;
        for (int i = 0; ok && i < kPingPongBatch; ++i) {
            if (p.client.send(&b, 1) != 1 || p.client.recv(&b, 1) != 1) {
                break;
            }
            ++trips;
        }
        return trips;
    }
};

// --------------------------------------------------------------------- UDP, one thread each side

// One thread sends a batch of datagrams to its own socket and reads them back: the cost of the
// send and receive paths themselves, without the cross-CPU wake-ups that dominate (and make
// noisy) a two-thread test on loopback.
constexpr int kUdpBatch = 64;

// Raw side: what a POSIX program writes for UDPSocket::sendto and recvfrom, an unconnected
// socket, sendto() with the address each time and recvfrom() asking for the source. AF_INET is
// the plain baseline; AF_INET6 (dual-stack, the IPv4 peer as a mapped address) takes the
// kernel path our family-agnostic sockets take.
struct RawUdp {
    int rx = -1, tx = -1;
    sockaddr_storage to{};
    socklen_t to_len = 0;

    explicit RawUdp(int family) {
        rx = ::socket(family, SOCK_DGRAM, 0);
        tx = ::socket(family, SOCK_DGRAM, 0);
        sockaddr_storage local{};
        socklen_t local_len;
        if (family == AF_INET) {
            auto *sin = reinterpret_cast<sockaddr_in *>(&local);
            sin->sin_family = AF_INET;
            sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            local_len = sizeof(sockaddr_in);
        } else {
            auto *sin6 = reinterpret_cast<sockaddr_in6 *>(&local);
            sin6->sin6_family = AF_INET6;
            ::inet_pton(AF_INET6, "::ffff:127.0.0.1", &sin6->sin6_addr);
            local_len = sizeof(sockaddr_in6);
        }
        ::bind(rx, reinterpret_cast<sockaddr *>(&local), local_len);
        to_len = sizeof to;
        ::getsockname(rx, reinterpret_cast<sockaddr *>(&to), &to_len);
    }
    ~RawUdp() {
        ::close(rx);
        ::close(tx);
    }
    RawUdp(const RawUdp &) = delete;
    RawUdp &operator=(const RawUdp &) = delete;

    long batch() {
        char d[kDatagram] = {};
        long got = 0;
        for (int i = 0; i < kUdpBatch; ++i) {
            ::sendto(tx, d, sizeof d, 0, reinterpret_cast<sockaddr *>(&to), to_len);
        }
        for (int i = 0; i < kUdpBatch; ++i) {
            sockaddr_storage from;
            socklen_t from_len = sizeof from;
            if (::recvfrom(rx, d, sizeof d, 0, reinterpret_cast<sockaddr *>(&from), &from_len) ==
                static_cast<ssize_t>(kDatagram)) {
                ++got;
            }
        }
        return got;
    }
};

struct OurUdp {
    UDPSocket rx, tx;
    SocketAddress to;

    explicit OurUdp(meshwork::HostStack &stack) {
        rx.open(&stack);
        tx.open(&stack);
        uint16_t port = 42100;
        while (rx.bind(SocketAddress("127.0.0.1", port)) != NSAPI_ERROR_OK && port < 42200) {
            ++port;
        }
        to = SocketAddress("127.0.0.1", port);
    }

    long batch() {
        char d[kDatagram] = {};
        long got = 0;
        for (int i = 0; i < kUdpBatch; ++i) {
            tx.sendto(to, d, sizeof d);
        }
        for (int i = 0; i < kUdpBatch; ++i) {
            SocketAddress from;
            if (rx.recvfrom(&from, d, sizeof d) == static_cast<nsapi_size_or_error_t>(kDatagram)) {
                ++got;
            }
        }
        return got;
    }
};

template <typename Raw, typename Ours>
void compare(const char *name, const char *unit, Raw raw, Ours ours) {
    std::vector<double> r, o;
    for (int i = 0; i < kRounds; ++i) {
        r.push_back(raw());
        o.push_back(ours());
    }
    meshwork::bench::report(name, median(o), unit, median(r));
}

// The stack's epoll thread starts with its first socket, on the CPU of the thread opening it.
void start_stack_thread(meshwork::HostStack &stack) {
    TCPSocket s;
    s.open(&stack);
    s.close();
}

}  // namespace

int main(int argc, char **argv) {
    using meshwork::bench::pin_this_thread;
    const std::string only = argc > 1 ? argv[1] : "";
    if (only.empty() || only == "udp") {  // one thread: measured before anything is pinned
        meshwork::HostStack stack;
        RawUdp raw4(AF_INET), raw6(AF_INET6);
        OurUdp ours(stack);
        std::vector<double> r4, o4, r6, o6;
        for (int i = 0; i < kRounds; ++i) {
            const auto v4 = interleave([&] { return raw4.batch(); }, [&] { return ours.batch(); });
            const auto v6 = interleave([&] { return raw6.batch(); }, [&] { return ours.batch(); });
            r4.push_back(v4.first);
            o4.push_back(v4.second);
            r6.push_back(v6.first);
            o6.push_back(v6.second);
        }
        meshwork::bench::report("host_udp_64", median(o4), "datagrams/s", median(r4));
        meshwork::bench::report("host_udp_64_vs_dual_stack", median(o6), "datagrams/s", median(r6));
    }
    for (const meshwork::bench::Placement &where : meshwork::bench::placements()) {
        if (only == "profile_udp") {
            break;
        }
        const std::string suffix = where.suffix;
        pin_this_thread(where.main_cpu);
        meshwork::HostStack stack;
        start_stack_thread(stack);
        if (only.empty() || only == "tcp_bulk") {
            pin_this_thread(where.peer_cpu);  // the reader threads started next inherit this
            RawBulk raw;
            OurBulk ours(stack);
            pin_this_thread(where.main_cpu);
            std::vector<double> r, o;
            for (int i = 0; i < kRounds; ++i) {
                const auto v =
                    interleave([&] { return raw.batch(); }, [&] { return ours.batch(); });
                r.push_back(v.first * 8 / 1e9);
                o.push_back(v.second * 8 / 1e9);
            }
            meshwork::bench::report(("host_tcp_bulk" + suffix).c_str(), median(o), "Gbit/s",
                                    median(r));
        }
        if (only.empty() || only == "tcp_pingpong") {
            pin_this_thread(where.peer_cpu);  // the echo threads started next inherit this
            RawPingPong raw;
            OurPingPong ours(stack);
            pin_this_thread(where.main_cpu);
            std::vector<double> r, o;
            for (int i = 0; i < kRounds; ++i) {
                const auto v =
                    interleave([&] { return raw.batch(); }, [&] { return ours.batch(); });
                r.push_back(v.first);
                o.push_back(v.second);
            }
            meshwork::bench::report(("host_tcp_pingpong" + suffix).c_str(), median(o), "rtt/s",
                                    median(r));
        }
        if (only.empty() || only == "udp") {
            compare(("host_udp_64_two_threads" + suffix).c_str(), "datagrams/s",
                    [&] { return raw_udp(where); }, [&] { return host_udp(stack, where); });
        }
    }
    if (only == "profile_udp") {  // our side of host_udp_64 alone, for a profiler
        meshwork::HostStack stack;
        OurUdp ours(stack);
        long n = 0;
        const auto start = Clock::now();
        while (Clock::now() - start < kTimedRun) {
            n += ours.batch();
        }
        std::printf("%.0f datagrams/s\n", n / seconds_since(start));
    }
    return 0;
}
