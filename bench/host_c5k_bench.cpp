// N concurrent TCP echo connections over 127.0.0.1 (default 5000), each sending K bytes (default
// 4 KiB) of a per-connection pattern and verifying every echoed byte, then closing:
//   meshwork: non-blocking TCPSockets on a HostStack, every connection driven by sigio from ONE
//             EventQueue thread (each sigio posts the connection's step to the queue once; the
//             step retries connect/send/recv until WOULD_BLOCK);
//   baseline: the same workload with raw non-blocking POSIX sockets and one epoll loop thread.
// Both face the same peer: a raw edge-triggered epoll echo server thread in this process, so
// only the client side differs. After an untimed round of kWarmUp connections each, the raw
// run goes first, so the meshwork run reuses no heap the raw run touched (at most that of the
// kWarmUp sockets of the warm-up round). The client and the echo server are two busy threads,
// so the whole run is made twice (Affinity.h): _same_core with every thread on one CPU,
// _cross_core with the echo server on a second CPU (the client, and meshwork's epoll thread,
// on the first). Lines printed:
//   host_c5k_connections_per_s_<placement>  N / (open + connect + transfer + verify + close)
//   host_c5k_bytes_verified_<placement>     bytes verified / bytes expected (ratio must be 1)
//   host_c5k_memory_per_socket   process RSS growth (/proc/self/statm) per open, connected
//                                socket, from the first placement only: the second one reuses
//                                the heap the first freed, so the RSS barely grows
// Exits 1 when a connection failed or a byte differed. Usage: bench_host_c5k [N [K]]
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "Affinity.h"
#include "BenchReport.h"
#include "EventQueue.h"
#include "TCPSocket.h"
#include "meshwork/HostStack.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPhaseLimit = std::chrono::seconds(120);  // a hang fails the run
constexpr size_t kPatternPeriod = 251;                   // prime: neighbours differ
constexpr size_t kWarmUp = 16;                           // connections of the untimed round

double seconds_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

long rss_bytes() {
    long pages = 0, resident = 0;
    if (FILE *f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) {
            resident = 0;
        }
        std::fclose(f);
    }
    return resident * ::sysconf(_SC_PAGESIZE);
}

// Connection i sends pattern[i % kPatternPeriod + j] as its byte j, so data delivered to the
// wrong connection or out of order is caught.
std::vector<uint8_t> make_pattern(size_t bytes) {
    std::vector<uint8_t> p(bytes + kPatternPeriod);
    uint32_t x = 0x2545f491u;
    for (auto &b : p) {
        x = x * 1664525u + 1013904223u;
        b = static_cast<uint8_t>(x >> 24);
    }
    return p;
}

sockaddr_in loopback(uint16_t port) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons(port);
    return sa;
}

// ------------------------------------------------------------------------------ echo server

// Edge-triggered epoll echo server on its own thread. Per-descriptor state is allocated up
// front, so the server adds nothing to the RSS growth measured while clients connect.
class EchoServer {
  public:
    explicit EchoServer(size_t max_fd) : peers_(max_fd) {}

    bool start() {
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        const int one = 1;
        ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in sa = loopback(0);
        if (::bind(listener_, reinterpret_cast<sockaddr *>(&sa), sizeof sa) != 0 ||
            ::listen(listener_, 65535) != 0) {  // the kernel caps it at somaxconn
            return false;
        }
        socklen_t len = sizeof sa;
        ::getsockname(listener_, reinterpret_cast<sockaddr *>(&sa), &len);
        port_ = ntohs(sa.sin_port);
        ep_ = ::epoll_create1(EPOLL_CLOEXEC);
        stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        add(listener_, EPOLLIN);
        add(stop_fd_, EPOLLIN);
        thread_ = std::thread([this] { run(); });
        return true;
    }

    ~EchoServer() {
        if (thread_.joinable()) {
            const uint64_t one = 1;
            (void)!::write(stop_fd_, &one, sizeof one);
            thread_.join();
        }
        for (size_t fd = 0; fd < peers_.size(); ++fd) {
            if (peers_[fd].open) {
                ::close(static_cast<int>(fd));
            }
        }
        for (int fd : {listener_, ep_, stop_fd_}) {
            if (fd >= 0) {
                ::close(fd);
            }
        }
    }

    uint16_t port() const { return port_; }
    long open_connections() const { return open_.load(); }

  private:
    struct Peer {
        bool open = false;
        std::vector<char> pending;  // echo bytes the kernel did not take yet
    };

    void add(int fd, uint32_t events) {
        epoll_event ev{};
        ev.events = events;
        ev.data.fd = fd;
        ::epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev);
    }

    void run() {
        std::vector<epoll_event> events(1024);
        for (;;) {
            const int n = ::epoll_wait(ep_, events.data(), static_cast<int>(events.size()), -1);
            for (int i = 0; i < n; ++i) {
                const int fd = events[i].data.fd;
                if (fd == stop_fd_) {
                    return;
                }
                if (fd == listener_) {
                    accept_all();
                } else {
                    serve(fd);
                }
            }
        }
    }

    void accept_all() {
        for (;;) {
            const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                return;  // EAGAIN (or EMFILE: left queued, a client then times out and fails)
            }
            if (static_cast<size_t>(fd) >= peers_.size()) {
                ::close(fd);
                continue;
            }
            peers_[fd].open = true;
            open_.fetch_add(1);
            add(fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET);
        }
    }

    void close_peer(int fd) {
        peers_[fd].open = false;
        peers_[fd].pending.clear();
        ::close(fd);
        open_.fetch_sub(1);
    }

    // Flushes pending echo bytes; false when the peer is gone.
    bool flush(int fd, Peer &p) {
        size_t done = 0;
        while (done < p.pending.size()) {
            const ssize_t w =
                ::send(fd, p.pending.data() + done, p.pending.size() - done, MSG_NOSIGNAL);
            if (w < 0) {
                if (errno == EAGAIN) {
                    break;
                }
                return false;
            }
            done += static_cast<size_t>(w);
        }
        p.pending.erase(p.pending.begin(), p.pending.begin() + static_cast<long>(done));
        return true;
    }

    void serve(int fd) {
        Peer &p = peers_[fd];
        if (!p.open || !flush(fd, p)) {
            if (p.open) {
                close_peer(fd);
            }
            return;
        }
        // Reads only while everything read so far was echoed; the EPOLLOUT edge that frees
        // space resumes reading.
        char buf[16384];
        while (p.pending.empty()) {
            const ssize_t r = ::recv(fd, buf, sizeof buf, 0);
            if (r == 0 || (r < 0 && errno != EAGAIN)) {
                close_peer(fd);
                return;
            }
            if (r < 0) {
                return;
            }
            p.pending.assign(buf, buf + r);
            if (!flush(fd, p)) {
                close_peer(fd);
                return;
            }
        }
    }

    std::vector<Peer> peers_;
    std::atomic<long> open_{0};
    int listener_ = -1, ep_ = -1, stop_fd_ = -1;
    uint16_t port_ = 0;
    std::thread thread_;
};

// ----------------------------------------------------------------------------- shared state

enum class State { Connecting, Connected, Transfer, Done };

struct Workload {
    size_t n;
    size_t k;
    std::vector<uint8_t> pattern;
    std::vector<uint8_t> scratch = std::vector<uint8_t>(65536);
};

struct Counters {
    size_t connected = 0;
    size_t finished = 0;  // completed or failed
    size_t failed = 0;
    size_t mismatched = 0;
    uint64_t verified = 0;
};

struct Result {
    double seconds = 0;
    double connect_seconds = 0;
    long rss_growth = 0;
    Counters c;
};

// Verifies `got` bytes just received at offset `at` of connection `index`.
void verify(const Workload &w, Counters &c, size_t index, size_t at, size_t got) {
    const uint8_t *expect = w.pattern.data() + index % kPatternPeriod + at;
    if (std::memcmp(w.scratch.data(), expect, got) == 0) {
        c.verified += got;
        return;
    }
    for (size_t i = 0; i < got; ++i) {
        if (w.scratch[i] == expect[i]) {
            ++c.verified;
        } else {
            ++c.mismatched;
        }
    }
}

void print_phases(const char *who, const Result &r, size_t n) {
    std::fprintf(stderr,
                 "# %s: N=%zu connected=%zu failed=%zu mismatched=%zu connect=%.3fs total=%.3fs "
                 "rss_growth=%ld B\n",
                 who, n, r.c.connected, r.c.failed, r.c.mismatched, r.connect_seconds, r.seconds,
                 r.rss_growth);
}

// ------------------------------------------------------------------------- raw epoll client

struct RawConn {
    int fd = -1;
    State state = State::Connecting;
    size_t sent = 0, received = 0;
};

class RawClient {
  public:
    RawClient(Workload &w, uint16_t port) : w_(w), conns_(w.n), addr_(loopback(port)) {}

    Result run() {
        Result r;
        ep_ = ::epoll_create1(EPOLL_CLOEXEC);
        std::vector<epoll_event> events(1024);
        const long rss0 = rss_bytes();
        const auto t0 = Clock::now();
        for (size_t i = 0; i < w_.n; ++i) {
            RawConn &c = conns_[i];
            c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (c.fd < 0) {
                fail(c);
                continue;
            }
            epoll_event ev{};
            ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
            ev.data.u64 = i;
            ::epoll_ctl(ep_, EPOLL_CTL_ADD, c.fd, &ev);
            step(i);
        }
        // All connections established (or failed) before any data moves.
        if (!loop(events, [&] { return c_.connected + c_.failed >= w_.n; })) {
            std::fprintf(stderr, "raw: connect phase timed out\n");
        }
        const auto t1 = Clock::now();
        r.rss_growth = rss_bytes() - rss0;
        const auto t1b = Clock::now();
        for (size_t i = 0; i < w_.n; ++i) {
            if (conns_[i].state == State::Connected) {
                conns_[i].state = State::Transfer;
                step(i);
            }
        }
        if (!loop(events, [&] { return c_.finished >= w_.n; })) {
            std::fprintf(stderr, "raw: transfer phase timed out\n");
        }
        const auto t2 = Clock::now();
        r.connect_seconds = seconds_between(t0, t1);
        r.seconds = seconds_between(t0, t1) + seconds_between(t1b, t2);
        for (RawConn &c : conns_) {
            if (c.state != State::Done) {
                fail(c);
            }
        }
        ::close(ep_);
        r.c = c_;
        return r;
    }

  private:
    template <typename Done>
    bool loop(std::vector<epoll_event> &events, Done done) {
        const auto deadline = Clock::now() + kPhaseLimit;
        while (!done()) {
            if (Clock::now() > deadline) {
                return false;
            }
            const int n = ::epoll_wait(ep_, events.data(), static_cast<int>(events.size()), 100);
            for (int i = 0; i < n; ++i) {
                step(static_cast<size_t>(events[i].data.u64));
            }
        }
        return true;
    }

    void fail(RawConn &c) {
        if (c.fd >= 0) {
            ::close(c.fd);
            c.fd = -1;
        }
        if (c.state != State::Done) {
            c.state = State::Done;
            ++c_.failed;
            ++c_.finished;
        }
    }

    void step(size_t i) {
        RawConn &c = conns_[i];
        if (c.state == State::Connecting) {
            const int r = ::connect(c.fd, reinterpret_cast<const sockaddr *>(&addr_), sizeof addr_);
            if (r == 0 || errno == EISCONN) {
                c.state = State::Connected;
                ++c_.connected;
            } else if (errno != EINPROGRESS && errno != EALREADY) {
                fail(c);
            }
            return;
        }
        if (c.state != State::Transfer) {
            return;
        }
        const uint8_t *out = w_.pattern.data() + i % kPatternPeriod;
        while (c.sent < w_.k) {
            const ssize_t s = ::send(c.fd, out + c.sent, w_.k - c.sent, MSG_NOSIGNAL);
            if (s < 0) {
                if (errno == EAGAIN) {
                    break;
                }
                fail(c);
                return;
            }
            c.sent += static_cast<size_t>(s);
        }
        while (c.received < w_.k) {
            const ssize_t got =
                ::recv(c.fd, w_.scratch.data(), std::min(w_.scratch.size(), w_.k - c.received), 0);
            if (got < 0 && errno == EAGAIN) {
                return;
            }
            if (got <= 0) {
                fail(c);
                return;
            }
            verify(w_, c_, i, c.received, static_cast<size_t>(got));
            c.received += static_cast<size_t>(got);
        }
        ::close(c.fd);
        c.fd = -1;
        c.state = State::Done;
        ++c_.finished;
    }

    Workload &w_;
    std::vector<RawConn> conns_;
    sockaddr_in addr_;
    int ep_ = -1;
    Counters c_;
};

// ------------------------------------------------------------------------- meshwork client

class MeshClient;

struct MeshConn {
    MeshClient *owner = nullptr;
    size_t index = 0;
    std::unique_ptr<TCPSocket> sock;
    State state = State::Connecting;
    size_t sent = 0, received = 0;
    std::atomic<bool> queued{false};  // one step pending in the queue at a time
    void on_sigio();                  // runs on the HostStack's epoll thread
};

class MeshClient {
  public:
    MeshClient(Workload &w, uint16_t port)
        : w_(w),
          conns_(new MeshConn[w.n]),
          // Room for one pending step per connection plus slack.
          queue_(static_cast<unsigned>((w.n + 64) * EVENTS_EVENT_SIZE)),
          peer_("127.0.0.1", port) {
        meshwork::HostStack::Options opt;
        opt.socket_max = w.n + 16;
        stack_ = std::make_unique<meshwork::HostStack>(opt);
        for (size_t i = 0; i < w.n; ++i) {
            conns_[i].owner = this;
            conns_[i].index = i;
        }
    }

    ~MeshClient() {
        // Sockets close before the stack they live on.
        for (size_t i = 0; i < w_.n; ++i) {
            conns_[i].sock.reset();
        }
        stack_.reset();
    }

    // Runs on the calling thread, which is the queue's only dispatcher.
    Result run() {
        Result r;
        {
            // Starts the stack's epoll thread outside the measurement.
            TCPSocket warm;
            warm.open(stack_.get());
            warm.close();
        }
        const long rss0 = rss_bytes();
        const auto t0 = Clock::now();
        for (size_t i = 0; i < w_.n; ++i) {
            MeshConn &c = conns_[i];
            c.sock = std::make_unique<TCPSocket>();
            if (c.sock->open(stack_.get()) != NSAPI_ERROR_OK) {
                fail(c);
                continue;
            }
            c.sock->set_blocking(false);
            c.sock->sigio(mbed::callback(&c, &MeshConn::on_sigio));
            step(c);
        }
        if (!dispatch_until([&] { return c_.connected + c_.failed >= w_.n; })) {
            std::fprintf(stderr, "meshwork: connect phase timed out\n");
        }
        const auto t1 = Clock::now();
        r.rss_growth = rss_bytes() - rss0;
        const auto t1b = Clock::now();
        transferring_ = true;
        for (size_t i = 0; i < w_.n; ++i) {
            MeshConn &c = conns_[i];
            if (c.state == State::Connected) {
                c.state = State::Transfer;
                post(c);
            }
        }
        if (!dispatch_until([&] { return c_.finished >= w_.n; })) {
            std::fprintf(stderr, "meshwork: transfer phase timed out\n");
        }
        const auto t2 = Clock::now();
        r.connect_seconds = seconds_between(t0, t1);
        r.seconds = seconds_between(t0, t1) + seconds_between(t1b, t2);
        for (size_t i = 0; i < w_.n; ++i) {
            if (conns_[i].state != State::Done) {
                fail(conns_[i]);
            }
        }
        if (post_failures_.load() != 0) {
            std::fprintf(stderr, "meshwork: %ld posts refused by a full queue\n",
                         post_failures_.load());
        }
        r.c = c_;
        return r;
    }

    void post(MeshConn &c) {
        if (!c.queued.exchange(true)) {
            if (queue_.call(this, &MeshClient::step_posted, &c) == 0) {
                c.queued = false;
                post_failures_.fetch_add(1);
            }
        }
    }

  private:
    template <typename Done>
    bool dispatch_until(Done done) {
        const auto deadline = Clock::now() + kPhaseLimit;
        while (!done()) {
            if (Clock::now() > deadline) {
                return false;
            }
            queue_.dispatch_for(events::EventQueue::duration(100));
        }
        return true;
    }

    void step_posted(MeshConn *c) {
        c->queued = false;  // a sigio from now on posts again
        step(*c);
        // Ends the dispatch once the current phase is complete, not after every event.
        if ((transferring_ ? c_.finished : c_.connected + c_.failed) >= w_.n) {
            queue_.break_dispatch();
        }
    }

    void fail(MeshConn &c) {
        if (c.state != State::Done) {
            c.state = State::Done;
            ++c_.failed;
            ++c_.finished;
            if (c.sock) {
                c.sock->close();
            }
        }
    }

    void step(MeshConn &c) {
        if (c.state == State::Connecting) {
            const nsapi_error_t r = c.sock->connect(peer_);
            if (r == NSAPI_ERROR_OK || r == NSAPI_ERROR_IS_CONNECTED) {
                c.state = State::Connected;
                ++c_.connected;
            } else if (r != NSAPI_ERROR_IN_PROGRESS && r != NSAPI_ERROR_ALREADY) {
                fail(c);
            }
            return;
        }
        if (c.state != State::Transfer) {
            return;
        }
        const uint8_t *out = w_.pattern.data() + c.index % kPatternPeriod;
        while (c.sent < w_.k) {
            const nsapi_size_or_error_t s =
                c.sock->send(out + c.sent, static_cast<nsapi_size_t>(w_.k - c.sent));
            if (s == NSAPI_ERROR_WOULD_BLOCK) {
                break;
            }
            if (s <= 0) {
                fail(c);
                return;
            }
            c.sent += static_cast<size_t>(s);
        }
        while (c.received < w_.k) {
            const nsapi_size_or_error_t got = c.sock->recv(
                w_.scratch.data(),
                static_cast<nsapi_size_t>(std::min(w_.scratch.size(), w_.k - c.received)));
            if (got == NSAPI_ERROR_WOULD_BLOCK) {
                return;
            }
            if (got <= 0) {
                fail(c);
                return;
            }
            verify(w_, c_, c.index, c.received, static_cast<size_t>(got));
            c.received += static_cast<size_t>(got);
        }
        c.state = State::Done;
        ++c_.finished;
        c.sock->close();  // its one sigio posts a step that finds Done
    }

    Workload &w_;
    std::unique_ptr<MeshConn[]> conns_;
    events::EventQueue queue_;
    SocketAddress peer_;
    std::unique_ptr<meshwork::HostStack> stack_;
    Counters c_;
    bool transferring_ = false;
    std::atomic<long> post_failures_{0};
};

void MeshConn::on_sigio() {
    owner->post(*this);
}

bool wait_server_idle(const EchoServer &server) {
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (server.open_connections() != 0) {
        if (Clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

// One whole comparison with the echo server's thread on `where.peer_cpu` and the clients (the
// calling thread, and meshwork's epoll thread, which the client's stack starts) on
// `where.main_cpu`. False when a connection failed, a byte differed or the server hung.
bool run_placement(Workload &w, const rlimit &lim, const meshwork::bench::Placement &where,
                   bool report_memory) {
    const std::string suffix = where.suffix;
    std::fprintf(stderr, "# placement %s: client on CPU %d, echo server on CPU %d\n",
                 suffix.c_str() + 1, where.main_cpu, where.peer_cpu);
    meshwork::bench::pin_this_thread(where.peer_cpu);  // the server thread inherits this
    EchoServer server(static_cast<size_t>(lim.rlim_cur));
    const bool started = server.start();
    meshwork::bench::pin_this_thread(where.main_cpu);
    if (!started) {
        std::perror("echo server");
        return false;
    }

    // A small untimed round of both first: code pages, the server thread's stack and the
    // kernel's caches are warm before anything is measured.
    {
        Workload warm{kWarmUp, w.k, w.pattern};
        RawClient raw_warm(warm, server.port());
        raw_warm.run();
        MeshClient mesh_warm(warm, server.port());
        mesh_warm.run();
    }
    bool ok = wait_server_idle(server);

    Result raw, mesh;
    {
        RawClient client(w, server.port());
        raw = client.run();
    }
    print_phases("raw epoll", raw, w.n);
    ok = wait_server_idle(server) && ok;
    {
        MeshClient client(w, server.port());
        mesh = client.run();
    }
    print_phases("meshwork", mesh, w.n);
    std::fprintf(stderr, "# sizeof(TCPSocket)=%zu (the rest of a socket's growth is the stack's)\n",
                 sizeof(TCPSocket));
    ok = wait_server_idle(server) && ok;

    const double expected = static_cast<double>(w.n) * static_cast<double>(w.k);
    meshwork::bench::report(("host_c5k_connections_per_s" + suffix).c_str(), w.n / mesh.seconds,
                            "conn/s", w.n / raw.seconds);
    meshwork::bench::report(("host_c5k_bytes_verified" + suffix).c_str(),
                            static_cast<double>(mesh.c.verified), "bytes", expected);
    if (report_memory) {
        meshwork::bench::report("host_c5k_memory_per_socket",
                                static_cast<double>(mesh.rss_growth) / static_cast<double>(w.n),
                                "bytes/socket",
                                static_cast<double>(raw.rss_growth) / static_cast<double>(w.n));
    }

    for (const Result *r : {&raw, &mesh}) {
        if (r->c.failed != 0 || r->c.mismatched != 0 ||
            static_cast<double>(r->c.verified) != expected) {
            ok = false;
        }
    }
    return ok;
}

}  // namespace

int main(int argc, char **argv) {
    const long n_arg = argc > 1 ? std::atol(argv[1]) : 5000;
    const long k_arg = argc > 2 ? std::atol(argv[2]) : 4096;
    rlimit lim{};
    ::getrlimit(RLIMIT_NOFILE, &lim);
    // N client descriptors + N server-side ones + a few for epoll, eventfds and the listener.
    if (n_arg <= 0 || k_arg <= 0 || static_cast<rlim_t>(2 * n_arg + 64) > lim.rlim_cur) {
        std::fprintf(stderr, "usage: %s [N [K]]: N > 0 with 2N+64 <= RLIMIT_NOFILE (%llu), K > 0\n",
                     argv[0], static_cast<unsigned long long>(lim.rlim_cur));
        return 2;
    }
    Workload w{static_cast<size_t>(n_arg), static_cast<size_t>(k_arg),
               make_pattern(static_cast<size_t>(k_arg))};

    bool ok = true;
    bool first = true;
    for (const meshwork::bench::Placement &where : meshwork::bench::placements()) {
        ok = run_placement(w, lim, where, first) && ok;
        first = false;
    }
    if (!ok) {
        std::fprintf(stderr, "FAILED: a connection failed, a byte differed or a peer hung\n");
    }
    return ok ? 0 : 1;
}
