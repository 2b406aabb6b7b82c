// TCPSocket and TCPServer between two simulated nodes (TwoNodes.h), ordinary Mbed code on fibers
// in virtual time: a blocking echo of 100 kB, a non-blocking connect with sigio, a refused
// connect, a SYN nobody answers, a router answering the SYN with an ICMPv6 error (no route; hop
// limit exceeded until the connect gives up), recv timeouts, the peer's close, socket options,
// NSAPI_REUSEADDR on a port in TIME-WAIT, keepalive on a vanished peer, the listen backlog, and
// the same capture bytes from the same seed.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "NetworkInterface.h"
#include "TCPServer.h"
#include "TCPSocket.h"
#include "TwoNodes.h"
#include "UDPSocket.h"
#include "rtos/Kernel.h"
#include "rtos/Semaphore.h"
#include "rtos/ThisThread.h"

namespace meshwork::testbed {
namespace {

using namespace std::chrono_literals;

uint8_t pattern(size_t i) {
    return static_cast<uint8_t>(i * 7 + (i >> 9));
}

/// Waits (in virtual time) for the other node's code to finish: a fiber still blocked in a
/// socket call when the simulation is torn down would be unwound with the call in progress.
void await(const bool &flag) {
    while (!flag) {
        rtos::ThisThread::sleep_for(10ms);
    }
}

NetworkInterface *connected_net() {
    NetworkInterface *net = NetworkInterface::get_default_instance();
    EXPECT_NE(net, nullptr);
    EXPECT_EQ(net->connect(), NSAPI_ERROR_OK);
    return net;
}

/// The router's echo service on port 7 (the 5.x TCPServer form, deprecated but still Mbed's):
/// one connection, echoed until the peer closes.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
void tcp_echo_server(size_t *echoed, bool *saw_eof, SocketAddress *peer) {
    NetworkInterface *net = connected_net();
    TCPServer server;
    ASSERT_EQ(server.open(net), NSAPI_ERROR_OK);
    ASSERT_EQ(server.bind(7), NSAPI_ERROR_OK);
    ASSERT_EQ(server.listen(1), NSAPI_ERROR_OK);
    TCPSocket c;
    ASSERT_EQ(server.accept(&c, peer), NSAPI_ERROR_OK);
    uint8_t buf[1500];
    while (true) {
        const nsapi_size_or_error_t n = c.recv(buf, sizeof buf);
        if (n == 0) {
            *saw_eof = true;
            break;
        }
        ASSERT_GT(n, 0);
        ASSERT_EQ(c.send(buf, static_cast<nsapi_size_t>(n)), n);
        *echoed += static_cast<size_t>(n);
    }
    EXPECT_EQ(c.close(), NSAPI_ERROR_OK);
}
#pragma GCC diagnostic pop

struct Echo {
    explicit Echo(std::uint64_t seed, size_t total) : t(seed) {
        t.router_fibers->spawn([this] {
            tcp_echo_server(&echoed, &server_eof, &server_peer);
            server_done = true;
        });
        t.host_fibers->spawn([this, total] {
            NetworkInterface *net = connected_net();
            ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
            connected = s.connect(router_address(7));
            ASSERT_EQ(connected, NSAPI_ERROR_OK);
            net->get_ip_address(&host_ip);
            // A second fiber writes while this one reads: neither side's buffers need to hold
            // the whole transfer.
            t.host_fibers->spawn(
                [this, total] {
                    std::vector<uint8_t> out(total);
                    for (size_t i = 0; i < total; ++i) {
                        out[i] = pattern(i);
                    }
                    sent = s.send(out.data(), static_cast<nsapi_size_t>(total));
                },
                "writer");
            std::vector<uint8_t> buf(2000);
            while (received.size() < total) {
                const nsapi_size_or_error_t n = s.recv(buf.data(), buf.size());
                ASSERT_GT(n, 0);
                received.insert(received.end(), buf.begin(), buf.begin() + n);
            }
            EXPECT_EQ(s.close(), NSAPI_ERROR_OK);
            rtos::ThisThread::sleep_for(1s);  // the FIN exchange is in the capture
            await(server_done);
            done = true;
        });
    }
    TwoNodes t;
    TCPSocket s;
    bool done = false, server_eof = false, server_done = false;
    nsapi_error_t connected = 1;
    nsapi_size_or_error_t sent = 0;
    size_t echoed = 0;
    std::vector<uint8_t> received;
    SocketAddress server_peer, host_ip;
};

TEST(NodeTcp, BlockingEcho100kBetweenTwoNodes) {
    const size_t total = 100 * 1000;
    Echo e(11, total);
    ASSERT_TRUE(e.t.run(e.done));
    EXPECT_EQ(e.sent, static_cast<nsapi_size_or_error_t>(total));
    EXPECT_EQ(e.echoed, total);
    ASSERT_EQ(e.received.size(), total);
    size_t bad = 0;
    for (size_t i = 0; i < total; ++i) {
        bad += e.received[i] != pattern(i);
    }
    EXPECT_EQ(bad, 0u);
    EXPECT_TRUE(e.server_eof);  // the host's close reached the server as recv() == 0
    EXPECT_EQ(e.server_peer.get_ip_address(), std::string(e.host_ip.get_ip_address()));
    EXPECT_NE(e.server_peer.get_port(), 0);
}

std::vector<uint8_t> echo_capture(std::uint64_t seed) {
    Echo e(seed, 20000);
    EXPECT_TRUE(e.t.run(e.done));
    EXPECT_EQ(e.received.size(), 20000u);
    return e.t.pcap.bytes();
}

TEST(NodeTcp, SameSeedSameCaptureBytes) {
    const std::vector<uint8_t> a = echo_capture(21);
    const std::vector<uint8_t> b = echo_capture(21);
    EXPECT_GT(a.size(), 24u + 20000);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, echo_capture(22));
}

/// The router accepts (the 6.x TCPSocket::accept form) and runs `then` on the connection.
template <typename F>
void accept_one(uint16_t port, F then) {
    NetworkInterface *net = connected_net();
    TCPSocket listener;
    ASSERT_EQ(listener.open(net), NSAPI_ERROR_OK);
    ASSERT_EQ(listener.bind(port), NSAPI_ERROR_OK);
    ASSERT_EQ(listener.listen(), NSAPI_ERROR_OK);
    nsapi_error_t err = 1;
    TCPSocket *c = listener.accept(&err);
    ASSERT_EQ(err, NSAPI_ERROR_OK);
    ASSERT_NE(c, nullptr);
    then(*c);
    c->close();  // deletes an accepted socket
}

TEST(NodeTcp, NonBlockingConnectInProgressAlreadyConnectedWithOneSigio) {
    TwoNodes t(12);
    bool done = false;
    nsapi_error_t first = 1, second = 1, last = 1, again = 1;
    int sigios_while_connecting = -1, alreadys = 0;
    bool router_done = false;
    t.router_fibers->spawn([&] {
        accept_one(80, [](TCPSocket &) { rtos::ThisThread::sleep_for(2s); });
        router_done = true;
    });
    t.host_fibers->spawn([&] {
        NetworkInterface *net = connected_net();
        rtos::Semaphore changed;
        int sigios = 0;
        TCPSocket s;  // destroyed first: its close raises a last sigio
        ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
        s.set_blocking(false);
        s.sigio([&] {
            ++sigios;
            changed.release();
        });
        first = s.connect(router_address(80));
        second = s.connect(router_address(80));  // the SYN-ACK cannot be back yet
        sigios = 0;
        changed.acquire();  // blocks the fiber in virtual time until the stack's sigio
        sigios_while_connecting = sigios;
        while ((last = s.connect(router_address(80))) == NSAPI_ERROR_ALREADY) {
            ++alreadys;
            changed.acquire();
        }
        again = s.connect(router_address(80));
        await(router_done);
        done = true;
    });
    ASSERT_TRUE(t.run(done));
    EXPECT_EQ(first, NSAPI_ERROR_IN_PROGRESS);
    EXPECT_EQ(second, NSAPI_ERROR_ALREADY);
    EXPECT_EQ(sigios_while_connecting, 1);  // one readiness change, one sigio
    EXPECT_EQ(last, NSAPI_ERROR_IS_CONNECTED);
    EXPECT_EQ(alreadys, 0);
    EXPECT_EQ(again, NSAPI_ERROR_IS_CONNECTED);
}

TEST(NodeTcp, ConnectToAClosedPortIsNoConnection) {
    TwoNodes t(13);
    bool done = false;
    nsapi_error_t blocking = 1, nb_first = 1, nb_last = 1, send_after = 1, recv_after = 1;
    rtos::Kernel::Clock::duration took{};
    bool router_done = false;
    t.router_fibers->spawn([&] {
        connected_net();
        router_done = true;
    });
    t.host_fibers->spawn([&] {
        NetworkInterface *net = connected_net();
        TCPSocket s;
        ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
        const auto start = rtos::Kernel::Clock::now();
        blocking = s.connect(router_address(9));  // the router answers the SYN with a RST
        took = rtos::Kernel::Clock::now() - start;
        send_after = s.send("x", 1);
        char c;
        recv_after = s.recv(&c, 1);
        TCPSocket n;
        ASSERT_EQ(n.open(net), NSAPI_ERROR_OK);
        n.set_blocking(false);
        nb_first = n.connect(router_address(9));
        rtos::ThisThread::sleep_for(100ms);
        nb_last = n.connect(router_address(9));
        await(router_done);
        done = true;
    });
    ASSERT_TRUE(t.run(done));
    EXPECT_EQ(blocking, NSAPI_ERROR_NO_CONNECTION);
    EXPECT_LT(took, 100ms);  // one round trip, no retries
    EXPECT_EQ(send_after, NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(recv_after, NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(nb_first, NSAPI_ERROR_IN_PROGRESS);
    EXPECT_EQ(nb_last, NSAPI_ERROR_NO_CONNECTION);
}

TEST(NodeTcp, UnansweredSynGivesUpWithTimeout) {
    NodeNetworkConfig hc;
    hc.stack.tcp.syn_retries = 2;  // SYN at 0, 1 s and 3 s; given up at 7 s
    TwoNodes t(14, hc);
    bool done = false;
    nsapi_error_t r = 1, timed = 1;
    rtos::Kernel::Clock::duration took{};
    bool router_done = false;
    t.router_fibers->spawn([&] {
        connected_net();
        router_done = true;
    });
    t.host_fibers->spawn([&] {
        NetworkInterface *net = connected_net();
        TCPSocket s;
        ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
        // A blocking connect with a timeout shorter than the stack's retries: IN_PROGRESS.
        s.set_timeout(500);
        timed = s.connect(SocketAddress("2001:db8:1::99", 80));  // nobody has that address
        s.set_timeout(-1);
        const auto start = rtos::Kernel::Clock::now();
        r = s.connect(SocketAddress("2001:db8:1::99", 80));
        took = rtos::Kernel::Clock::now() - start;
        await(router_done);
        done = true;
    });
    ASSERT_TRUE(t.run(done));
    EXPECT_EQ(timed, NSAPI_ERROR_IN_PROGRESS);
    EXPECT_EQ(r, NSAPI_ERROR_TIMEOUT);
    EXPECT_EQ(took, 6500ms);  // the give-up 7 s after the SYN, which went 500 ms before
}

TEST(NodeTcp, ConnectThroughARouterWithoutARouteIsNoConnection) {
    TwoNodes t(32);
    bool done = false, router_done = false;
    nsapi_error_t r = 1;
    rtos::Kernel::Clock::duration took{};
    t.router_fibers->spawn([&] {
        connected_net();
        router_done = true;
    });
    t.host_fibers->spawn([&] {
        NetworkInterface *net = connected_net();
        TCPSocket s;
        ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
        const auto start = rtos::Kernel::Clock::now();
        // The router has no route there: Destination Unreachable (no route) for the SYN.
        r = s.connect(SocketAddress("2001:db8:7::7", 80));
        took = rtos::Kernel::Clock::now() - start;
        await(router_done);
        done = true;
    });
    ASSERT_TRUE(t.run(done));
    EXPECT_EQ(r, NSAPI_ERROR_NO_CONNECTION);
    EXPECT_LT(took, 100ms);  // at the error, not after the SYN retries
    EXPECT_GE(t.router_net->stack().stats().icmp_errors_sent, 1u);
}

TEST(NodeTcp, ConnectGivingUpAfterAnIcmpErrorIsNoConnection) {
    NodeNetworkConfig hc, rc;
    hc.stack.tcp.syn_retries = 2;    // SYN at 0, 1 s and 3 s; given up at 7 s
    rc.netif.adv_cur_hop_limit = 1;  // the host's packets cannot be forwarded
    TwoNodes t(33, hc, rc);
    bool done = false, router_done = false;
    nsapi_error_t r = 1, again = 1;
    nsapi_size_or_error_t send_after = 1, recv_after = 1;
    rtos::Kernel::Clock::duration took{};
    t.router_fibers->spawn([&] {
        connected_net();
        router_done = true;
    });
    t.host_fibers->spawn([&] {
        NetworkInterface *net = connected_net();
        TCPSocket s;
        ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
        const auto start = rtos::Kernel::Clock::now();
        // Each SYN meets Time Exceeded at the router: a soft error (RFC 5461), so the SYN is
        // retried; when the retries give up, the error says why: the peer is unreachable.
        r = s.connect(SocketAddress("2001:db8:7::7", 80));
        took = rtos::Kernel::Clock::now() - start;
        again = s.connect(SocketAddress("2001:db8:7::7", 80));
        send_after = s.send("x", 1);
        char c;
        recv_after = s.recv(&c, 1);
        await(router_done);
        done = true;
    });
    ASSERT_TRUE(t.run(done));
    EXPECT_EQ(r, NSAPI_ERROR_NO_CONNECTION);  // not TIMEOUT
    EXPECT_EQ(took, 7s);
    EXPECT_EQ(again, NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(send_after, NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(recv_after, NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(t.router_net->stack().drops()[stack::StackDrop::kHopLimit], 3u);
}

TEST(NodeTcp, ReuseAddressBindsAPortInTimeWait) {
    TwoNodes t(34);
    bool done = false, router_done = false;
    nsapi_error_t plain = 1, reused = 1, listened = 1, reuse_set = 1;
    t.router_fibers->spawn([&] {
        // The server closes first: its connection waits out 2 MSL in TIME-WAIT on port 26.
        accept_one(26, [](TCPSocket &) {});
        rtos::ThisThread::sleep_for(500ms);  // the host's FIN has come
        NetworkInterface *net = NetworkInterface::get_default_instance();
        TCPSocket a, b;
        ASSERT_EQ(a.open(net), NSAPI_ERROR_OK);
        plain = a.bind(26);
        ASSERT_EQ(b.open(net), NSAPI_ERROR_OK);
        const int on = 1;
        reuse_set = b.setsockopt(NSAPI_SOCKET, NSAPI_REUSEADDR, &on, sizeof on);
        reused = b.bind(26);
        listened = b.listen();
        router_done = true;
    });
    t.host_fibers->spawn([&] {
        NetworkInterface *net = connected_net();
        TCPSocket s;
        ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
        ASSERT_EQ(s.connect(router_address(26)), NSAPI_ERROR_OK);
        char c;
        EXPECT_EQ(s.recv(&c, 1), 0);  // the server's FIN
        EXPECT_EQ(s.close(), NSAPI_ERROR_OK);
        await(router_done);
        done = true;
    });
    ASSERT_TRUE(t.run(done));
    EXPECT_EQ(plain, NSAPI_ERROR_PARAMETER);  // as LWIP: ERR_USE
    EXPECT_EQ(reuse_set, NSAPI_ERROR_OK);
    EXPECT_EQ(reused, NSAPI_ERROR_OK);
    EXPECT_EQ(listened, NSAPI_ERROR_OK);
}

TEST(NodeTcp, RecvTimeoutAndPeerCloseGivesZero) {
    TwoNodes t(15);
    bool done = false;
    nsapi_size_or_error_t nb = 1, timed = 1, got = 0, eof = 1, eof_again = 1;
    rtos::Kernel::Clock::duration waited{};
    std::string data;
    bool router_done = false;
    t.router_fibers->spawn([&] {
        accept_one(23, [](TCPSocket &c) {
            rtos::ThisThread::sleep_for(2s);  // the host's recv times out meanwhile
            ASSERT_EQ(c.send("bye", 3), 3);
        });  // then closes
        router_done = true;
    });
    t.host_fibers->spawn([&] {
        NetworkInterface *net = connected_net();
        TCPSocket s;
        ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
        ASSERT_EQ(s.connect(router_address(23)), NSAPI_ERROR_OK);
        char buf[16] = {};
        s.set_blocking(false);
        nb = s.recv(buf, sizeof buf);
        s.set_timeout(750);
        const auto start = rtos::Kernel::Clock::now();
        timed = s.recv(buf, sizeof buf);
        waited = rtos::Kernel::Clock::now() - start;
        s.set_timeout(5000);
        got = s.recv(buf, sizeof buf);
        data.assign(buf, got > 0 ? static_cast<size_t>(got) : 0);
        eof = s.recv(buf, sizeof buf);
        eof_again = s.recv(buf, sizeof buf);
        await(router_done);
        done = true;
    });
    ASSERT_TRUE(t.run(done));
    EXPECT_EQ(nb, NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(timed, NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(waited, 750ms);
    EXPECT_EQ(got, 3);
    EXPECT_EQ(data, "bye");
    EXPECT_EQ(eof, 0);
    EXPECT_EQ(eof_again, 0);
}

TEST(NodeTcp, SocketOptions) {
    TwoNodes t(16);
    bool done = false;
    std::vector<nsapi_error_t> before, after;
    bool router_done = false;
    t.router_fibers->spawn([&] {
        accept_one(24, [](TCPSocket &) {});
        router_done = true;
    });
    t.host_fibers->spawn([&] {
        NetworkInterface *net = connected_net();
        TCPSocket s;
        ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
        const int on = 1, idle = 1000, intvl = 500, buf = 8192, zero = 0;
        const char small = 1;
        before.push_back(s.setsockopt(NSAPI_SOCKET, NSAPI_KEEPALIVE, &on, sizeof on));
        before.push_back(s.setsockopt(NSAPI_SOCKET, NSAPI_KEEPIDLE, &idle, sizeof idle));
        before.push_back(s.setsockopt(NSAPI_SOCKET, NSAPI_KEEPINTVL, &intvl, sizeof intvl));
        before.push_back(s.setsockopt(NSAPI_SOCKET, NSAPI_SNDBUF, &buf, sizeof buf));
        before.push_back(s.setsockopt(NSAPI_SOCKET, NSAPI_RCVBUF, &buf, sizeof buf));
        before.push_back(s.setsockopt(NSAPI_SOCKET, NSAPI_KEEPIDLE, &small, sizeof small));
        before.push_back(s.setsockopt(NSAPI_SOCKET, NSAPI_KEEPINTVL, &zero, sizeof zero));
        before.push_back(s.setsockopt(NSAPI_SOCKET, NSAPI_LINGER, &on, sizeof on));
        before.push_back(s.setsockopt(NSAPI_SOCKET, NSAPI_REUSEADDR, &on, sizeof on));
        before.push_back(s.setsockopt(NSAPI_SOCKET + 1, NSAPI_KEEPALIVE, &on, sizeof on));
        int out = 0;
        unsigned outlen = sizeof out;
        before.push_back(s.getsockopt(NSAPI_SOCKET, NSAPI_RCVBUF, &out, &outlen));
        before.push_back(s.setsockopt(NSAPI_SOCKET, NSAPI_REUSEADDR, &small, sizeof small));
        before.push_back(s.setsockopt(NSAPI_SOCKET, NSAPI_REUSEADDR, nullptr, sizeof on));
        before.push_back(s.setsockopt(NSAPI_SOCKET, NSAPI_REUSEADDR, &zero, sizeof zero));
        ASSERT_EQ(s.connect(router_address(24)), NSAPI_ERROR_OK);
        after.push_back(s.setsockopt(NSAPI_SOCKET, NSAPI_RCVBUF, &buf, sizeof buf));
        after.push_back(s.setsockopt(NSAPI_SOCKET, NSAPI_SNDBUF, &buf, sizeof buf));
        after.push_back(s.setsockopt(NSAPI_SOCKET, NSAPI_KEEPALIVE, &zero, sizeof zero));
        after.push_back(s.join_multicast_group(SocketAddress("ff02::1")));
        await(router_done);
        done = true;
    });
    ASSERT_TRUE(t.run(done));
    // NSAPI_LINGER has no value type in Mbed: UNSUPPORTED. NSAPI_REUSEADDR is an int.
    const std::vector<nsapi_error_t> want_before = {
        NSAPI_ERROR_OK,          NSAPI_ERROR_OK,          NSAPI_ERROR_OK,
        NSAPI_ERROR_OK,          NSAPI_ERROR_OK,          NSAPI_ERROR_PARAMETER,
        NSAPI_ERROR_PARAMETER,   NSAPI_ERROR_UNSUPPORTED, NSAPI_ERROR_OK,
        NSAPI_ERROR_UNSUPPORTED, NSAPI_ERROR_UNSUPPORTED, NSAPI_ERROR_PARAMETER,
        NSAPI_ERROR_PARAMETER,   NSAPI_ERROR_OK};
    EXPECT_EQ(before, want_before);
    // The receive window's scale went out in the SYN: RCVBUF is fixed from connect on.
    const std::vector<nsapi_error_t> want_after = {NSAPI_ERROR_PARAMETER, NSAPI_ERROR_OK,
                                                   NSAPI_ERROR_OK, NSAPI_ERROR_UNSUPPORTED};
    EXPECT_EQ(after, want_after);
}

TEST(NodeTcp, KeepaliveGivesUpOnAVanishedPeerWithTimeout) {
    TwoNodes t(17);
    bool done = false, router_done = false;
    nsapi_size_or_error_t r = 1;
    rtos::Kernel::Clock::duration waited{};
    t.router_fibers->spawn([&] {
        accept_one(25, [&](TCPSocket &) {
            t.segment->port(0).set_up(false);  // the router's cable is pulled: nothing answers
        });
        router_done = true;
    });
    t.host_fibers->spawn([&] {
        NetworkInterface *net = connected_net();
        TCPSocket s;
        ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
        const int on = 1, idle = 1000, intvl = 500;
        ASSERT_EQ(s.setsockopt(NSAPI_SOCKET, NSAPI_KEEPALIVE, &on, sizeof on), NSAPI_ERROR_OK);
        ASSERT_EQ(s.setsockopt(NSAPI_SOCKET, NSAPI_KEEPIDLE, &idle, sizeof idle), NSAPI_ERROR_OK);
        ASSERT_EQ(s.setsockopt(NSAPI_SOCKET, NSAPI_KEEPINTVL, &intvl, sizeof intvl),
                  NSAPI_ERROR_OK);
        ASSERT_EQ(s.connect(router_address(25)), NSAPI_ERROR_OK);
        const auto start = rtos::Kernel::Clock::now();
        char c;
        r = s.recv(&c, 1);  // blocks until the keepalives give up
        waited = rtos::Kernel::Clock::now() - start;
        await(router_done);
        done = true;
    });
    ASSERT_TRUE(t.run(done));
    EXPECT_EQ(r, NSAPI_ERROR_TIMEOUT);
    // Idle 1 s, then the default nine probes 500 ms apart, none answered.
    EXPECT_EQ(waited, 1000ms + 9 * 500ms);
}

TEST(NodeTcp, ListenBacklogHoldsFurtherConnectsUntilAccepted) {
    TwoNodes t(18);
    bool done = false, listening = false, accept_now = false, router_done = false;
    nsapi_error_t first = 1, second_waiting = 1, second_later = 1;
    t.router_fibers->spawn([&] {
        NetworkInterface *net = connected_net();
        TCPSocket listener;
        ASSERT_EQ(listener.open(net), NSAPI_ERROR_OK);
        ASSERT_EQ(listener.bind(26), NSAPI_ERROR_OK);
        ASSERT_EQ(listener.listen(1), NSAPI_ERROR_OK);
        listening = true;
        await(accept_now);
        std::vector<TCPSocket *> accepted;
        for (int i = 0; i < 2; ++i) {
            nsapi_error_t err = 1;
            accepted.push_back(listener.accept(&err));
            EXPECT_EQ(err, NSAPI_ERROR_OK);
        }
        for (TCPSocket *c : accepted) {
            if (c) {
                c->close();
            }
        }
        router_done = true;
    });
    t.host_fibers->spawn([&] {
        NetworkInterface *net = connected_net();
        await(listening);
        TCPSocket a, b;
        ASSERT_EQ(a.open(net), NSAPI_ERROR_OK);
        ASSERT_EQ(b.open(net), NSAPI_ERROR_OK);
        a.set_blocking(false);
        b.set_blocking(false);
        ASSERT_EQ(a.connect(router_address(26)), NSAPI_ERROR_IN_PROGRESS);
        ASSERT_EQ(b.connect(router_address(26)), NSAPI_ERROR_IN_PROGRESS);
        rtos::ThisThread::sleep_for(500ms);
        first = a.connect(router_address(26));
        second_waiting = b.connect(router_address(26));  // its SYN was dropped: backlog full
        accept_now = true;
        rtos::ThisThread::sleep_for(3s);  // the SYN's retransmission finds room
        second_later = b.connect(router_address(26));
        await(router_done);
        done = true;
    });
    ASSERT_TRUE(t.run(done));
    EXPECT_EQ(first, NSAPI_ERROR_IS_CONNECTED);
    EXPECT_EQ(second_waiting, NSAPI_ERROR_ALREADY);
    EXPECT_EQ(second_later, NSAPI_ERROR_IS_CONNECTED);
}

// The simulation torn down while fibers wait in accept(), recv() and recvfrom(): each fiber
// unwinds from its wait and its sockets' destructors close them, which must not wait for the
// callers that are gone (the reader count is released on the way out).
TEST(NodeTcp, TeardownWhileFibersWaitInAcceptAndRecv) {
    bool waiting_accept = false, waiting_recv = false, waiting_udp = false;
    {
        TwoNodes t(31);
        t.router_fibers->spawn([&] {
            NetworkInterface *net = connected_net();
            TCPSocket server;
            ASSERT_EQ(server.open(net), NSAPI_ERROR_OK);
            ASSERT_EQ(server.bind(40), NSAPI_ERROR_OK);
            ASSERT_EQ(server.listen(2), NSAPI_ERROR_OK);
            nsapi_error_t e = 0;
            TCPSocket *c = server.accept(&e);  // the host's connection
            ASSERT_NE(c, nullptr);
            struct Closer {  // an accepted socket is deleted by close(), also when unwinding
                TCPSocket *c;
                ~Closer() { c->close(); }
            } closer{c};
            waiting_accept = true;
            server.accept(&e);  // nobody else comes
        });
        t.host_fibers->spawn([&] {
            NetworkInterface *net = connected_net();
            t.host_fibers->spawn([&, net] {
                UDPSocket u;
                ASSERT_EQ(u.open(net), NSAPI_ERROR_OK);
                ASSERT_EQ(u.bind(41), NSAPI_ERROR_OK);
                waiting_udp = true;
                char b[8];
                u.recv(b, sizeof b);  // nothing is sent to it
            });
            TCPSocket s;
            ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
            ASSERT_EQ(s.connect(router_address(40)), NSAPI_ERROR_OK);
            waiting_recv = true;
            char b[8];
            s.recv(b, sizeof b);  // the router never sends
        });
        const bool all = false;
        t.run(all, 10s);
        EXPECT_TRUE(waiting_accept);
        EXPECT_TRUE(waiting_recv);
        EXPECT_TRUE(waiting_udp);
    }  // the simulation goes with three fibers blocked: this must return
    SUCCEED();
}

}  // namespace
}  // namespace meshwork::testbed
