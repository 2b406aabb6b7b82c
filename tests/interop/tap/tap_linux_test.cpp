// A simulated node on a Linux TAP device (testbed::NodeTapLink over host::TapLink) inside a
// network namespace created for each test and removed after it, even when the test fails. The
// Linux side has fd00::1/64 on the device, the node fd00::2/64; nothing is sent anywhere else
// (the namespace has no other interface up but its loopback). The simulation runs paced at real
// time on the test's thread; the Linux peers (ping, tap_peer.py) are child processes inside the
// namespace. Checked: ping -6 to the node and the node's echo request to Linux; 1 MB of TCP
// each way with the node as client and as server, byte for byte; UDP echo both ways.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "ICMPSocket.h"
#include "TCPSocket.h"
#include "TempDir.h"
#include "UDPSocket.h"
#include "host/TapLink.h"
#include "meshwork/sim/Simulation.h"
#include "rtos/ThisThread.h"
#include "testbed/NodeNetwork.h"
#include "testbed/NodeTapLink.h"

namespace meshwork::testbed {
namespace {

using namespace std::chrono_literals;

constexpr const char *kLinuxAddress = "fd00::1";
constexpr const char *kNodeAddress = "fd00::2";
constexpr const char *kDevice = "mwtap0";
constexpr const char *kNetnsPrefix = "mwtap-";
constexpr std::size_t kTransfer = std::size_t{1} << 20;

/// Runs argv to completion (output to `log`, or discarded); its exit status, -1 on failure.
int run_command(const std::vector<std::string> &args, const std::string &log = "/dev/null") {
    std::vector<char *> argv;
    for (const auto &a : args) {
        argv.push_back(const_cast<char *>(a.c_str()));
    }
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (out >= 0) {
            ::dup2(out, 1);
            ::dup2(out, 2);
        }
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    int status = 0;
    if (pid < 0 || ::waitpid(pid, &status, 0) != pid) {
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Removes namespaces that earlier runs of this test left behind (killed before their
/// destructor ran): those named kNetnsPrefix<pid>-... whose process is gone.
void remove_stale_namespaces() {
    DIR *d = ::opendir("/var/run/netns");
    if (d == nullptr) {
        return;
    }
    std::vector<std::string> stale;
    while (const dirent *e = ::readdir(d)) {
        const std::string name = e->d_name;
        if (name.rfind(kNetnsPrefix, 0) != 0) {
            continue;
        }
        const long pid = std::strtol(name.c_str() + std::strlen(kNetnsPrefix), nullptr, 10);
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
            stale.push_back(name);
        }
    }
    ::closedir(d);
    for (const auto &n : stale) {
        run_command({MESHWORK_TAP_IP, "netns", "del", n});
    }
}

/// A network namespace for one test: added on construction, deleted on destruction.
class Netns {
  public:
    Netns() {
        static std::atomic<int> counter{0};  // test-file state: a fresh name per fixture
        name_ = std::string(kNetnsPrefix) + std::to_string(::getpid()) + "-" +
                std::to_string(counter++);
        remove_stale_namespaces();
        ok_ = run_command({MESHWORK_TAP_IP, "netns", "add", name_}) == 0;
    }
    ~Netns() {
        if (ok_) {
            run_command({MESHWORK_TAP_IP, "netns", "del", name_});
        }
    }
    Netns(const Netns &) = delete;
    Netns &operator=(const Netns &) = delete;
    bool ok() const { return ok_; }
    const std::string &name() const { return name_; }
    /// `args` run inside the namespace.
    std::vector<std::string> exec(std::vector<std::string> args) const {
        std::vector<std::string> v{MESHWORK_TAP_IP, "netns", "exec", name_};
        v.insert(v.end(), args.begin(), args.end());
        return v;
    }
    int ip(std::vector<std::string> args) const {
        std::vector<std::string> v{MESHWORK_TAP_IP, "-n", name_};
        v.insert(v.end(), args.begin(), args.end());
        return run_command(v);
    }

  private:
    std::string name_;
    bool ok_ = false;
};

/// A Linux peer run in the background; killed and reaped on destruction if still running.
class Peer {
  public:
    explicit Peer(std::string log) : log_(std::move(log)) {}
    ~Peer() {
        if (pid_ > 0 && !exited()) {
            ::kill(pid_, SIGKILL);
            int status = 0;
            ::waitpid(pid_, &status, 0);
        }
    }
    Peer(const Peer &) = delete;
    Peer &operator=(const Peer &) = delete;
    bool start(const std::vector<std::string> &args) {
        std::vector<char *> argv;
        for (const auto &a : args) {
            argv.push_back(const_cast<char *>(a.c_str()));
        }
        argv.push_back(nullptr);
        pid_ = ::fork();
        if (pid_ == 0) {
            const int out = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (out >= 0) {
                ::dup2(out, 1);
                ::dup2(out, 2);
            }
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        return pid_ > 0;
    }
    /// True once the process has exited (reaped here).
    bool exited() {
        if (reaped_) {
            return true;
        }
        int status = 0;
        if (pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == pid_) {
            reaped_ = true;
            status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        return reaped_;
    }
    int status() const { return status_; }
    std::string log() const { return read_file(log_); }

  private:
    std::string log_;
    pid_t pid_ = -1;
    bool reaped_ = false;
    int status_ = -2;
};

/// The namespace, the TAP device in it with the Linux side's address, and a simulation in real
/// time with one node on the device (fd00::2, up and past DAD once the constructor returns).
class TapFixture : public ::testing::Test {
  protected:
    void SetUp() override {
        if (std::string(MESHWORK_TAP_IP).empty() || std::string(MESHWORK_TAP_PYTHON).empty()) {
            GTEST_SKIP() << "TAP interop needs ip (iproute2) and python3 at configure time";
        }
        if (::geteuid() != 0) {
            GTEST_SKIP() << "TAP interop needs root (network namespaces, /dev/net/tun)";
        }
        std::string why;
        if (!host::tap_available(&why)) {
            GTEST_SKIP() << "TAP devices unavailable: " << why;
        }
        ASSERT_TRUE(dir_.ok());
        netns_ = std::make_unique<Netns>();
        if (!netns_->ok()) {
            GTEST_SKIP() << "cannot create a network namespace (ip netns add failed)";
        }
        sim_ = std::make_unique<sim::Simulation>(7);
        node_ = &sim_->add_node("tapnode");
        host::TapLinkConfig tc;
        tc.name = kDevice;
        tc.netns = netns_->name();
        const auto mac = node_->context().mac_address();
        tc.address = EthernetAddress::from(ByteSpan(mac.data(), mac.size()));
        auto link = host::TapLink::open(tc);
        ASSERT_TRUE(link.ok()) << error_name(link.error());
        tap_ = &node_->attach(std::make_unique<NodeTapLink>(*node_, std::move(link).value()));
        ASSERT_EQ(netns_->ip({"link", "set", "lo", "up"}), 0);
        ASSERT_EQ(netns_->ip({"-6", "addr", "add", std::string(kLinuxAddress) + "/64", "dev",
                              kDevice, "nodad"}),
                  0);
        ASSERT_EQ(netns_->ip({"link", "set", kDevice, "up"}), 0);

        NodeNetworkConfig nc;
        nc.static_addresses.push_back(*wire::Ip6Address::from_text(kNodeAddress));
        nc.make_default = true;
        net_ = &node_->attach(std::make_unique<NodeNetwork>(*node_, tap_->link(), nc));
        fibers_ = &node_->attach(std::make_unique<NodeFibers>(*node_));
        sim_->set_real_time(1);
        net_->interface().set_blocking(false);
        net_->interface().connect();
        ASSERT_TRUE(run_until(
            [&] { return net_->interface().get_connection_status() == NSAPI_STATUS_GLOBAL_UP; },
            10s))
            << "the node's address did not come up";
    }
    void TearDown() override {
        sim_.reset();  // closes the device before the namespace goes
        netns_.reset();
    }

    /// Runs the simulation (in real time) until `done` or `limit`.
    bool run_until(const std::function<bool()> &done, Duration limit) {
        sim_->run_until(done, sim_->now() + limit);
        return done();
    }
    std::string python() const { return MESHWORK_TAP_PYTHON; }
    std::vector<std::string> peer(std::vector<std::string> args) const {
        std::vector<std::string> v{python(), MESHWORK_TAP_PEER};
        v.insert(v.end(), args.begin(), args.end());
        return netns_->exec(v);
    }
    NetworkInterface *net() { return &net_->interface(); }
    /// The time since `start` (virtual time, which is the wall clock's here), peer start included.
    void report(const char *what, Instant start) const {
        const double s = std::chrono::duration<double>(sim_->now() - start).count();
        std::printf("TAP %s: %zu bytes in %.3f s (%.1f MB/s)\n", what, kTransfer, s,
                    static_cast<double>(kTransfer) / s / 1e6);
    }
    std::string file(const std::string &name) const { return dir_.file(name); }
    /// Writes kTransfer bytes of a pattern no shorter period could fake to `path`.
    std::string write_pattern(const std::string &path) const {
        std::string data(kTransfer, '\0');
        std::uint32_t x = 0x12345678;
        for (auto &c : data) {
            x = x * 1664525u + 1013904223u;
            c = static_cast<char>(x >> 24);
        }
        std::ofstream(path, std::ios::binary).write(data.data(), std::streamsize(data.size()));
        return data;
    }

    test::TempDir dir_{"meshwork-tap"};
    std::unique_ptr<Netns> netns_;
    std::unique_ptr<sim::Simulation> sim_;
    sim::Node *node_ = nullptr;
    NodeTapLink *tap_ = nullptr;
    NodeNetwork *net_ = nullptr;
    NodeFibers *fibers_ = nullptr;
};

/// TapLink alone: its errors, and frames both ways with the kernel's side of the device.
TEST(TapLink, RefusesBadNamesAndMissingNamespaces) {
    host::TapLinkConfig c;
    c.name = "a-name-longer-than-ifnamsiz";
    auto a = host::TapLink::open(c);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.error(), Error::kInvalidArgument);
    c.name = kDevice;
    c.netns = "mwtap-no-such-namespace";
    auto b = host::TapLink::open(c);
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(b.error(), Error::kNotFound);
}

TEST(TapLink, FramesBothWaysInANamespace) {
    std::string why;
    if (::geteuid() != 0 || std::string(MESHWORK_TAP_IP).empty() || !host::tap_available(&why)) {
        GTEST_SKIP() << "TAP devices unavailable (needs root, ip and /dev/net/tun): " << why;
    }
    Netns ns;
    ASSERT_TRUE(ns.ok());
    host::TapLinkConfig c;
    c.name = kDevice;
    c.netns = ns.name();
    c.address = EthernetAddress{{0x02, 0x6d, 0x77, 0, 0, 1}};
    auto opened = host::TapLink::open(c);
    ASSERT_TRUE(opened.ok()) << error_name(opened.error());
    host::TapLink &link = *opened.value();
    EXPECT_EQ(link.name(), kDevice);
    EXPECT_TRUE(link.is_up());
    EXPECT_EQ(link.mtu(), kEthernetDefaultMtu);
    EXPECT_EQ(link.address(), c.address);
    // The device exists in the namespace, not in ours.
    EXPECT_EQ(ns.ip({"link", "show", kDevice}), 0);
    EXPECT_NE(run_command({MESHWORK_TAP_IP, "link", "show", kDevice}), 0);

    struct Frames final : LinkReceiver {
        void link_receive(ByteSpan f) override { frames.emplace_back(f.begin(), f.end()); }
        std::vector<std::vector<std::uint8_t>> frames;
    } rx;
    link.set_receiver(&rx);
    // Brought up, the kernel sends on it by itself (MLD reports, DAD, router solicitations).
    ASSERT_EQ(ns.ip({"link", "set", kDevice, "up"}), 0);
    const auto end = std::chrono::steady_clock::now() + 5s;
    while (rx.frames.empty() && std::chrono::steady_clock::now() < end) {
        link.poll();
        ::usleep(10000);
    }
    ASSERT_FALSE(rx.frames.empty());
    EXPECT_GE(rx.frames[0].size(), kEthernetHeaderSize);
    EXPECT_EQ(rx.frames[0][12], 0x86);  // EtherType IPv6
    EXPECT_EQ(rx.frames[0][13], 0xdd);
    EXPECT_EQ(link.stats().received, rx.frames.size());

    // A frame to the kernel: broadcast, a local experimental EtherType (IEEE 802 0x88b5).
    std::vector<std::uint8_t> f(60, 0);
    for (int i = 0; i < 6; ++i) {
        f[static_cast<std::size_t>(i)] = 0xff;
        f[static_cast<std::size_t>(6 + i)] = c.address.bytes[static_cast<std::size_t>(i)];
    }
    f[12] = 0x88;
    f[13] = 0xb5;
    EXPECT_TRUE(link.send(ByteSpan(f.data(), f.size())).ok());
    EXPECT_EQ(link.stats().sent, 1u);
    std::vector<std::uint8_t> big(kEthernetHeaderSize + kEthernetDefaultMtu + 1, 0);
    EXPECT_EQ(link.send(ByteSpan(big.data(), big.size())).error(), Error::kInvalidArgument);
    EXPECT_EQ(link.send(ByteSpan(f.data(), 10)).error(), Error::kInvalidArgument);
    link.close();
    EXPECT_FALSE(link.is_up());
    EXPECT_EQ(link.send(ByteSpan(f.data(), f.size())).error(), Error::kBadState);
    // Closing the device removed it.
    EXPECT_NE(ns.ip({"link", "show", kDevice}), 0);
    link.set_receiver(nullptr);
}

/// Opens `s` and connects to the Linux side, retrying while the peer is not listening yet.
nsapi_error_t connect_with_retry(NetworkInterface *net, TCPSocket &s, uint16_t port) {
    nsapi_error_t e = NSAPI_ERROR_NO_CONNECTION;
    for (int attempt = 0; attempt < 100; ++attempt) {
        s.open(net);
        e = s.connect(SocketAddress(kLinuxAddress, port));
        if (e == NSAPI_ERROR_OK) {
            return e;
        }
        s.close();
        rtos::ThisThread::sleep_for(100ms);
    }
    return e;
}

/// Sends all of `data` in pieces (the stack's buffer takes what fits each time).
nsapi_error_t send_all(TCPSocket &s, const std::string &data) {
    std::size_t off = 0;
    while (off < data.size()) {
        const auto n = s.send(data.data() + off, std::min<std::size_t>(data.size() - off, 16384));
        if (n <= 0) {
            return n;
        }
        off += static_cast<std::size_t>(n);
    }
    return NSAPI_ERROR_OK;
}

/// Receives until the peer's FIN (recv() == 0); a negative recv() result ends it too.
std::string receive_all(TCPSocket &s, nsapi_error_t *error) {
    std::string got;
    std::vector<char> buf(8192);
    while (true) {
        const auto n = s.recv(buf.data(), buf.size());
        if (n <= 0) {
            *error = n;
            return got;
        }
        got.append(buf.data(), static_cast<std::size_t>(n));
    }
}

/// The same datagram tap_peer.py's datagram(i) builds.
std::string datagram(int i) {
    std::string d(static_cast<std::size_t>(1 + (i * 97) % 1200), '\0');
    for (std::size_t k = 0; k < d.size(); ++k) {
        d[k] = static_cast<char>((i * 31 + static_cast<int>(k)) & 0xff);
    }
    return d;
}

TEST_F(TapFixture, LinuxPingsTheNode) {
    Peer ping(file("ping.log"));
    ASSERT_TRUE(ping.start(netns_->exec(
        {MESHWORK_TAP_PING, "-6", "-c", "5", "-i", "0.2", "-W", "2", "-s", "1000", kNodeAddress})));
    EXPECT_TRUE(run_until([&] { return ping.exited(); }, 30s));
    EXPECT_EQ(ping.status(), 0) << ping.log();
    EXPECT_NE(ping.log().find("5 received"), std::string::npos) << ping.log();
}

TEST_F(TapFixture, NodeEchoRequestToLinux) {
    bool done = false;
    std::string reply;
    SocketAddress from;
    fibers_->spawn([&] {
        ICMPSocket s;
        ASSERT_EQ(s.open(net()), NSAPI_ERROR_OK);
        s.set_timeout(1000);
        // Echo Request (RFC 4443 4.1), id 0x4d57, sequence 1; the stack fills the checksum.
        const uint8_t request[] = {128, 0, 0, 0, 0x4d, 0x57, 0, 1, 'm', 'e', 's', 'h'};
        for (int attempt = 0; attempt < 5 && reply.empty(); ++attempt) {
            ASSERT_EQ(s.sendto(SocketAddress(kLinuxAddress, 0), request, sizeof request),
                      static_cast<nsapi_size_or_error_t>(sizeof request));
            uint8_t buf[128];
            const auto n = s.recvfrom(&from, buf, sizeof buf);
            if (n > 0) {
                reply.assign(reinterpret_cast<char *>(buf), static_cast<std::size_t>(n));
            }
        }
        s.close();
        done = true;
    });
    ASSERT_TRUE(run_until([&] { return done; }, 20s));
    ASSERT_EQ(reply.size(), 12u);
    EXPECT_EQ(static_cast<uint8_t>(reply[0]), 129);  // Echo Reply
    EXPECT_EQ(reply.substr(4), std::string("\x4d\x57\x00\x01mesh", 8));
    EXPECT_STREQ(from.get_ip_address(), kLinuxAddress);
}

TEST_F(TapFixture, NodeAsClientSendsOneMegabyte) {
    const std::string data = write_pattern(file("in.bin"));
    Peer linux_server(file("peer.log"));
    ASSERT_TRUE(linux_server.start(peer({"tcp-recv-server", "5001", file("out.bin")})));
    bool done = false;
    nsapi_error_t connected = 1, sent = 1;
    fibers_->spawn([&] {
        TCPSocket s;
        connected = connect_with_retry(net(), s, 5001);
        if (connected == NSAPI_ERROR_OK) {
            sent = send_all(s, data);
        }
        s.close();
        done = true;
    });
    const auto start = sim_->now();
    EXPECT_TRUE(run_until([&] { return done && linux_server.exited(); }, 60s));
    report("node -> linux (node connects)", start);
    EXPECT_EQ(connected, NSAPI_ERROR_OK);
    EXPECT_EQ(sent, NSAPI_ERROR_OK);
    EXPECT_EQ(linux_server.status(), 0) << linux_server.log();
    EXPECT_TRUE(read_file(file("out.bin")) == data) << "the bytes Linux received differ";
}

TEST_F(TapFixture, NodeAsClientReceivesOneMegabyte) {
    const std::string data = write_pattern(file("in.bin"));
    Peer linux_server(file("peer.log"));
    ASSERT_TRUE(linux_server.start(peer({"tcp-send-server", "5002", file("in.bin")})));
    bool done = false;
    nsapi_error_t connected = 1, end = 1;
    std::string got;
    fibers_->spawn([&] {
        TCPSocket s;
        connected = connect_with_retry(net(), s, 5002);
        if (connected == NSAPI_ERROR_OK) {
            got = receive_all(s, &end);
        }
        s.close();
        done = true;
    });
    const auto start = sim_->now();
    EXPECT_TRUE(run_until([&] { return done && linux_server.exited(); }, 60s));
    report("linux -> node (node connects)", start);
    EXPECT_EQ(connected, NSAPI_ERROR_OK);
    EXPECT_EQ(end, 0);  // the peer's FIN
    EXPECT_EQ(linux_server.status(), 0) << linux_server.log();
    EXPECT_EQ(got.size(), data.size());
    EXPECT_TRUE(got == data) << "the bytes the node received differ";
}

/// The node listens on `port`, accepts one connection and runs `body` on it.
template <class Body>
void serve_one(NetworkInterface *net, uint16_t port, bool *listening, nsapi_error_t *accepted,
               Body body) {
    TCPSocket server;
    ASSERT_EQ(server.open(net), NSAPI_ERROR_OK);
    ASSERT_EQ(server.bind(port), NSAPI_ERROR_OK);
    ASSERT_EQ(server.listen(1), NSAPI_ERROR_OK);
    *listening = true;
    server.set_timeout(30000);
    TCPSocket *c = server.accept(accepted);
    if (c != nullptr) {
        body(*c);
        c->close();
    }
    server.close();
}

TEST_F(TapFixture, NodeAsServerReceivesOneMegabyte) {
    const std::string data = write_pattern(file("in.bin"));
    bool listening = false, done = false;
    nsapi_error_t accepted = 1, end = 1;
    std::string got;
    fibers_->spawn([&] {
        serve_one(net(), 6001, &listening, &accepted,
                  [&](TCPSocket &c) { got = receive_all(c, &end); });
        done = true;
    });
    ASSERT_TRUE(run_until([&] { return listening; }, 5s));
    Peer linux_client(file("peer.log"));
    ASSERT_TRUE(
        linux_client.start(peer({"tcp-send-client", kNodeAddress, "6001", file("in.bin")})));
    const auto start = sim_->now();
    EXPECT_TRUE(run_until([&] { return done && linux_client.exited(); }, 60s));
    report("linux -> node (linux connects)", start);
    EXPECT_EQ(accepted, NSAPI_ERROR_OK);
    EXPECT_EQ(end, 0);
    EXPECT_EQ(linux_client.status(), 0) << linux_client.log();
    EXPECT_EQ(got.size(), data.size());
    EXPECT_TRUE(got == data) << "the bytes the node received differ";
}

TEST_F(TapFixture, NodeAsServerSendsOneMegabyte) {
    const std::string data = write_pattern(file("in.bin"));
    bool listening = false, done = false;
    nsapi_error_t accepted = 1, sent = 1;
    fibers_->spawn([&] {
        // close() after the last send(): the stack still delivers what is queued, then FIN.
        serve_one(net(), 6002, &listening, &accepted,
                  [&](TCPSocket &c) { sent = send_all(c, data); });
        done = true;
    });
    ASSERT_TRUE(run_until([&] { return listening; }, 5s));
    Peer linux_client(file("peer.log"));
    ASSERT_TRUE(
        linux_client.start(peer({"tcp-recv-client", kNodeAddress, "6002", file("out.bin")})));
    const auto start = sim_->now();
    EXPECT_TRUE(run_until([&] { return done && linux_client.exited(); }, 60s));
    report("node -> linux (linux connects)", start);
    EXPECT_EQ(accepted, NSAPI_ERROR_OK);
    EXPECT_EQ(sent, NSAPI_ERROR_OK);
    EXPECT_EQ(linux_client.status(), 0) << linux_client.log();
    EXPECT_TRUE(read_file(file("out.bin")) == data) << "the bytes Linux received differ";
}

TEST_F(TapFixture, UdpEchoFromLinux) {
    const int count = 20;
    Peer linux_server(file("peer.log"));
    ASSERT_TRUE(linux_server.start(peer({"udp-echo-server", "7001", std::to_string(count)})));
    bool done = false;
    int echoed = 0;
    fibers_->spawn([&] {
        UDPSocket s;
        ASSERT_EQ(s.open(net()), NSAPI_ERROR_OK);
        s.set_timeout(300);
        for (int i = 0; i < count; ++i) {
            const std::string d = datagram(i);
            for (int attempt = 0; attempt < 30; ++attempt) {
                s.sendto(SocketAddress(kLinuxAddress, 7001), d.data(), d.size());
                std::vector<char> buf(2000);
                SocketAddress from;
                const auto n = s.recvfrom(&from, buf.data(), buf.size());
                if (n > 0 && std::string(buf.data(), static_cast<std::size_t>(n)) == d &&
                    std::string(from.get_ip_address()) == kLinuxAddress) {
                    ++echoed;
                    break;
                }
            }
        }
        s.close();
        done = true;
    });
    EXPECT_TRUE(run_until([&] { return done && linux_server.exited(); }, 60s));
    EXPECT_EQ(echoed, count);
    EXPECT_EQ(linux_server.status(), 0) << linux_server.log();
}

TEST_F(TapFixture, UdpEchoOnTheNode) {
    const int count = 20;
    bool stop = false, done = false;
    int echoed = 0;
    fibers_->spawn([&] {
        UDPSocket s;
        ASSERT_EQ(s.open(net()), NSAPI_ERROR_OK);
        ASSERT_EQ(s.bind(7002), NSAPI_ERROR_OK);
        s.set_timeout(100);  // so the loop sees `stop`
        std::vector<char> buf(2000);
        while (!stop) {
            SocketAddress from;
            const auto n = s.recvfrom(&from, buf.data(), buf.size());
            if (n > 0) {
                s.sendto(from, buf.data(), static_cast<nsapi_size_t>(n));
                ++echoed;
            }
        }
        s.close();
        done = true;
    });
    Peer linux_client(file("peer.log"));
    ASSERT_TRUE(
        linux_client.start(peer({"udp-echo-client", kNodeAddress, "7002", std::to_string(count)})));
    EXPECT_TRUE(run_until([&] { return linux_client.exited(); }, 60s));
    stop = true;
    EXPECT_TRUE(run_until([&] { return done; }, 5s));
    EXPECT_EQ(linux_client.status(), 0) << linux_client.log();
    EXPECT_NE(linux_client.log().find("echoes 20"), std::string::npos) << linux_client.log();
    EXPECT_GE(echoed, count);
}

}  // namespace
}  // namespace meshwork::testbed
