// HostStack through the blocking Mbed socket classes against raw POSIX sockets, over loopback,
// both measured in this run (interleaved, median of kRounds):
//   host_tcp_bulk       TCP bulk throughput, 128 KiB writes and reads      (target >= 0.95)
//   host_tcp_pingpong   TCP 1-byte round trips per second, TCP_NODELAY     (target >= 0.90)
//   host_udp_64         UDP 64-byte datagrams received per second          (target >= 0.90)
//   host_tcp_pingpong_stack_wait  the ping-pong through HostStack's hooks and wait(), without
//                       the socket layer (what a stack-side blocking wait would give)
// Usage: bench_host_sockets [tcp_bulk|tcp_pingpong|tcp_pingpong_wait|udp] (default: all)
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

#include "BenchReport.h"
#include "TCPSocket.h"
#include "UDPSocket.h"
#include "meshwork/HostStack.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kRounds = 5;
constexpr size_t kChunk = 128 * 1024;
constexpr size_t kBulkBytes = size_t{512} << 20;
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

double raw_tcp_bulk() {
    RawPair p = raw_tcp_pair();
    std::vector<char> buf(kChunk, 'r');
    const auto start = Clock::now();
    size_t got = 0;
    std::thread rx([&] {
        std::vector<char> in(kChunk);
        ssize_t n;
        while ((n = ::read(p.server, in.data(), in.size())) > 0) {
            got += static_cast<size_t>(n);
        }
    });
    for (size_t sent = 0; sent < kBulkBytes;) {
        const ssize_t n = ::write(p.client, buf.data(), std::min(kChunk, kBulkBytes - sent));
        if (n <= 0) {
            break;
        }
        sent += static_cast<size_t>(n);
    }
    ::shutdown(p.client, SHUT_WR);
    rx.join();
    const double s = seconds_since(start);
    ::close(p.client);
    ::close(p.server);
    if (got != kBulkBytes) {
        std::fprintf(stderr, "raw_tcp_bulk: received %zu of %zu bytes\n", got, kBulkBytes);
        return 0;
    }
    return kBulkBytes * 8.0 / s / 1e9;
}

double raw_tcp_pingpong() {
    RawPair p = raw_tcp_pair();
    std::atomic<bool> stop{false};
    std::thread echo([&] {
        char b;
        while (::read(p.server, &b, 1) == 1) {
            if (::write(p.server, &b, 1) != 1) {
                break;
            }
        }
    });
    long trips = 0;
    const auto start = Clock::now();
    char b = 'p';
    while (Clock::now() - start < kTimedRun) {
        for (int i = 0; i < 64; ++i) {
            if (::write(p.client, &b, 1) != 1 || ::read(p.client, &b, 1) != 1) {
                break;
            }
            ++trips;
        }
    }
    const double s = seconds_since(start);
    ::shutdown(p.client, SHUT_WR);
    echo.join();
    ::close(p.client);
    ::close(p.server);
    (void)stop;
    return trips / s;
}

double raw_udp() {
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
    ::connect(tx, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
    std::atomic<bool> stop{false};
    std::atomic<long> received{0};
    std::thread receiver([&] {
        char b[kDatagram];
        while (::recv(rx, b, sizeof b, 0) > 0 || !stop.load()) {
            received.fetch_add(1, std::memory_order_relaxed);
        }
    });
    char d[kDatagram] = {};
    const auto start = Clock::now();
    while (Clock::now() - start < kTimedRun) {
        for (int i = 0; i < 256; ++i) {
            ::send(tx, d, sizeof d, 0);
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

double host_tcp_bulk(meshwork::HostStack &stack) {
    HostPair p;
    if (!host_tcp_pair(stack, p)) {
        return 0;
    }
    std::vector<char> buf(kChunk, 'h');
    const auto start = Clock::now();
    size_t got = 0;
    nsapi_size_or_error_t last = 0;
    std::thread rx([&] {
        std::vector<char> in(kChunk);
        while ((last = p.server->recv(in.data(), in.size())) > 0) {
            got += static_cast<size_t>(last);
        }
    });
    for (size_t sent = 0; sent < kBulkBytes;) {
        const nsapi_size_or_error_t n = p.client.send(
            buf.data(), static_cast<nsapi_size_t>(std::min(kChunk, kBulkBytes - sent)));
        if (n <= 0) {
            break;
        }
        sent += static_cast<size_t>(n);
    }
    p.client.close();  // orderly: the receiver reads 0
    rx.join();
    const double s = seconds_since(start);
    if (got != kBulkBytes) {
        std::fprintf(stderr, "host_tcp_bulk: received %zu of %zu bytes (last %d)\n", got,
                     kBulkBytes, last);
        return 0;
    }
    p.server->close();
    p.listener.close();
    return kBulkBytes * 8.0 / s / 1e9;
}

double host_tcp_pingpong(meshwork::HostStack &stack) {
    HostPair p;
    if (!host_tcp_pair(stack, p)) {
        return 0;
    }
    std::thread echo([&] {
        char b;
        while (p.server->recv(&b, 1) == 1) {
            if (p.server->send(&b, 1) != 1) {
                break;
            }
        }
    });
    long trips = 0;
    const auto start = Clock::now();
    char b = 'p';
    while (Clock::now() - start < kTimedRun) {
        for (int i = 0; i < 64; ++i) {
            if (p.client.send(&b, 1) != 1 || p.client.recv(&b, 1) != 1) {
                break;
            }
            ++trips;
        }
    }
    const double s = seconds_since(start);
    p.client.close();
    echo.join();
    p.server->close();
    p.listener.close();
    return trips / s;
}

double host_udp(meshwork::HostStack &stack) {
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

// The same ping-pong through HostStack's hooks, blocking with HostStack::wait() (poll on the
// calling thread) instead of the socket layer's wait for the sigio callback: what the facade
// would reach with a stack-side wait (see docs/host-stack.md).
class HookStack : public meshwork::HostStack {
  public:
    using HostStack::socket_accept;
    using HostStack::socket_bind;
    using HostStack::socket_close;
    using HostStack::socket_connect;
    using HostStack::socket_listen;
    using HostStack::socket_open;
    using HostStack::socket_recv;
    using HostStack::socket_send;
};

bool hook_io(HookStack &st, nsapi_socket_t h, char *b, bool send) {
    for (;;) {
        const nsapi_size_or_error_t r = send ? st.socket_send(h, b, 1) : st.socket_recv(h, b, 1);
        if (r == 1) {
            return true;
        }
        if (r != NSAPI_ERROR_WOULD_BLOCK || st.wait(h, !send, send, -1) != NSAPI_ERROR_OK) {
            return false;
        }
    }
}

double hook_tcp_pingpong(HookStack &st) {
    nsapi_socket_t l = nullptr, c = nullptr, srv = nullptr;
    st.socket_open(&l, NSAPI_TCP);
    uint16_t port = 43000;
    while (st.socket_bind(l, SocketAddress("127.0.0.1", port)) != NSAPI_ERROR_OK && port < 43100) {
        ++port;
    }
    st.socket_listen(l, 1);
    st.socket_open(&c, NSAPI_TCP);
    nsapi_error_t r = st.socket_connect(c, SocketAddress("127.0.0.1", port));
    while (r == NSAPI_ERROR_IN_PROGRESS || r == NSAPI_ERROR_ALREADY) {
        st.wait(c, false, true, 1000);
        r = st.socket_connect(c, SocketAddress("127.0.0.1", port));
    }
    while (st.socket_accept(l, &srv) == NSAPI_ERROR_WOULD_BLOCK) {
        st.wait(l, true, false, 1000);
    }
    std::thread echo([&] {
        char b;
        while (hook_io(st, srv, &b, false) && hook_io(st, srv, &b, true)) {
        }
    });
    long trips = 0;
    const auto start = Clock::now();
    char b = 'p';
    while (Clock::now() - start < kTimedRun) {
        for (int i = 0; i < 64; ++i) {
            if (!hook_io(st, c, &b, true) || !hook_io(st, c, &b, false)) {
                break;
            }
            ++trips;
        }
    }
    const double s = seconds_since(start);
    st.socket_close(c);  // the echo thread reads 0 and stops
    echo.join();
    st.socket_close(srv);
    st.socket_close(l);
    return trips / s;
}

template <typename Raw, typename Ours>
void compare(const char *name, const char *unit, Raw raw, Ours ours) {
    std::vector<double> r, o;
    for (int i = 0; i < kRounds; ++i) {
        r.push_back(raw());
        o.push_back(ours());
    }
    meshwork::bench::report(name, median(o), unit, median(r));
}

}  // namespace

int main(int argc, char **argv) {
    const std::string only = argc > 1 ? argv[1] : "";
    meshwork::HostStack stack;
    if (only.empty() || only == "tcp_bulk") {
        compare("host_tcp_bulk", "Gbit/s", raw_tcp_bulk, [&] { return host_tcp_bulk(stack); });
    }
    if (only.empty() || only == "tcp_pingpong") {
        compare("host_tcp_pingpong", "rtt/s", raw_tcp_pingpong,
                [&] { return host_tcp_pingpong(stack); });
    }
    if (only.empty() || only == "tcp_pingpong" || only == "tcp_pingpong_wait") {
        HookStack hooks;
        compare("host_tcp_pingpong_stack_wait", "rtt/s", raw_tcp_pingpong,
                [&] { return hook_tcp_pingpong(hooks); });
    }
    if (only.empty() || only == "udp") {
        compare("host_udp_64", "datagrams/s", raw_udp, [&] { return host_udp(stack); });
    }
    return 0;
}
