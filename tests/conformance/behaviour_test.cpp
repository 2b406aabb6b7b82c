// What an application observes through the Mbed socket API, independent of the backend: echo
// over TCP and UDP, orderly close, timeouts, open/close cycles, bind rules, non-blocking use
// with sigio (none on attach, one per change), and sockets used from several threads. Runs
// once per registered backend (support/Backends.h); the backend's name ends each test's name,
// e.g. Backends/Behaviour.TcpEcho/HostKernelIPv6, so --gtest_filter='*/HostKernelIPv6' runs one.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "netsocket/TCPServer.h"
#include "netsocket/TCPSocket.h"
#include "netsocket/UDPSocket.h"
#include "support/Backends.h"
#include "support/TestHelpers.h"

namespace meshwork::test {
namespace {

// Sends all of `data` (blocking socket); returns the count or the first error.
nsapi_size_or_error_t send_all(TCPSocket &s, const std::string &data) {
    size_t done = 0;
    while (done < data.size()) {
        nsapi_size_or_error_t r = s.send(data.data() + done, data.size() - done);
        if (r <= 0) {
            return r;
        }
        done += static_cast<size_t>(r);
    }
    return static_cast<nsapi_size_or_error_t>(done);
}

// Receives exactly `n` bytes unless the peer closes or an error occurs first.
std::string recv_exact(TCPSocket &s, size_t n) {
    std::string out;
    char buf[4096];
    while (out.size() < n) {
        nsapi_size_or_error_t r = s.recv(buf, std::min(sizeof buf, n - out.size()));
        if (r <= 0) {
            break;
        }
        out.append(buf, static_cast<size_t>(r));
    }
    return out;
}

class Behaviour : public ::testing::TestWithParam<BackendFactory> {
  protected:
    void SetUp() override { backend = GetParam().make(); }

    SocketAddress server_at(uint16_t port) {
        SocketAddress a = backend->server_address();
        a.set_port(port);
        return a;
    }

    // A listening server on a fresh port.
    uint16_t listen_on(TCPSocket &server) {
        uint16_t port = backend->fresh_port();
        EXPECT_EQ(server.open(&backend->server_stack()), NSAPI_ERROR_OK);
        EXPECT_EQ(server.bind(port), NSAPI_ERROR_OK);
        EXPECT_EQ(server.listen(2), NSAPI_ERROR_OK);
        return port;
    }

    // A connected pair: `client` connected to a socket accepted from `server`.
    TCPSocket *connect_pair(TCPSocket &server, TCPSocket &client) {
        uint16_t port = listen_on(server);
        EXPECT_EQ(client.open(&backend->client_stack()), NSAPI_ERROR_OK);
        EXPECT_EQ(client.connect(server_at(port)), NSAPI_ERROR_OK);
        nsapi_error_t err = NSAPI_ERROR_DEVICE_ERROR;
        TCPSocket *accepted = server.accept(&err);
        EXPECT_EQ(err, NSAPI_ERROR_OK);
        return accepted;
    }

    std::unique_ptr<Backend> backend;
};

TEST_P(Behaviour, TcpEcho) {
    TCPSocket server, client;
    TCPSocket *peer = connect_pair(server, client);
    ASSERT_NE(peer, nullptr);
    const std::string message = "hello, mesh";
    ASSERT_EQ(send_all(client, message), static_cast<int>(message.size()));
    std::string got = recv_exact(*peer, message.size());
    ASSERT_EQ(got, message);
    ASSERT_EQ(send_all(*peer, got), static_cast<int>(got.size()));
    EXPECT_EQ(recv_exact(client, message.size()), message);

    SocketAddress client_seen;
    EXPECT_EQ(peer->getpeername(&client_seen), NSAPI_ERROR_OK);
    EXPECT_EQ(client_seen.get_ip_version(), backend->server_address().get_ip_version());
    SocketAddress server_seen;
    EXPECT_EQ(client.getpeername(&server_seen), NSAPI_ERROR_OK);
    EXPECT_EQ(server_seen, server_at(server_seen.get_port()));
    EXPECT_EQ(peer->close(), NSAPI_ERROR_OK);
    EXPECT_EQ(client.close(), NSAPI_ERROR_OK);
}

TEST_P(Behaviour, TcpLargeTransferWithConcurrentReader) {
    TCPSocket server, client;
    TCPSocket *peer = connect_pair(server, client);
    ASSERT_NE(peer, nullptr);
    std::string payload(300 * 1024, '\0');
    for (size_t i = 0; i < payload.size(); ++i) {
        payload[i] = static_cast<char>((i * 7 + i / 251) & 0xff);
    }
    std::string received;
    std::thread reader([&] { received = recv_exact(*peer, payload.size()); });
    EXPECT_EQ(client.send(payload.data(), payload.size()),
              static_cast<nsapi_size_or_error_t>(payload.size()));  // blocking: all of it
    reader.join();
    EXPECT_TRUE(received == payload);
    peer->close();
}

// The 5.x server pattern: TCPServer accepting into a caller-owned TCPSocket, reused.
TEST_P(Behaviour, TcpServerAcceptsIntoCallerSocket) {
    TCPServer server;
    uint16_t port = backend->fresh_port();
    ASSERT_EQ(server.open(&backend->server_stack()), NSAPI_ERROR_OK);
    ASSERT_EQ(server.bind(port), NSAPI_ERROR_OK);
    ASSERT_EQ(server.listen(5), NSAPI_ERROR_OK);
    TCPSocket connection;  // reused: each accept closes the previous connection first
    TCPSocket clients[3];
    for (int i = 0; i < 3; ++i) {
        TCPSocket &client = clients[i];
        ASSERT_EQ(client.open(&backend->client_stack()), NSAPI_ERROR_OK);
        ASSERT_EQ(client.connect(server_at(port)), NSAPI_ERROR_OK);
        SocketAddress from;
        ASSERT_EQ(server.accept(&connection, &from), NSAPI_ERROR_OK);
        EXPECT_EQ(from.get_ip_version(), backend->server_address().get_ip_version());
        std::string msg = "client " + std::to_string(i);
        ASSERT_EQ(send_all(client, msg), static_cast<int>(msg.size()));
        EXPECT_EQ(recv_exact(connection, msg.size()), msg);
    }
    EXPECT_EQ(connection.close(), NSAPI_ERROR_OK);
}

TEST_P(Behaviour, OrderlyCloseGivesZeroAfterData) {
    TCPSocket server, client;
    TCPSocket *peer = connect_pair(server, client);
    ASSERT_NE(peer, nullptr);
    ASSERT_EQ(send_all(client, "bye"), 3);
    ASSERT_EQ(client.close(), NSAPI_ERROR_OK);
    EXPECT_EQ(recv_exact(*peer, 3), "bye");
    char buf[8];
    EXPECT_EQ(peer->recv(buf, sizeof buf), 0);
    EXPECT_EQ(peer->recv(buf, sizeof buf), 0);  // and again
    peer->close();
}

TEST_P(Behaviour, ReceiveTimeoutGivesWouldBlock) {
    TCPSocket server, client;
    TCPSocket *peer = connect_pair(server, client);
    ASSERT_NE(peer, nullptr);
    client.set_timeout(30);
    char buf[8];
    EXPECT_EQ(client.recv(buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);
    // The socket still works afterwards.
    ASSERT_EQ(send_all(*peer, "x"), 1);
    client.set_timeout(-1);
    EXPECT_EQ(client.recv(buf, sizeof buf), 1);
    peer->close();

    UDPSocket udp;
    ASSERT_EQ(udp.open(&backend->client_stack()), NSAPI_ERROR_OK);
    ASSERT_EQ(udp.bind(backend->fresh_port()), NSAPI_ERROR_OK);
    udp.set_timeout(30);
    SocketAddress from;
    EXPECT_EQ(udp.recvfrom(&from, buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);
    udp.set_blocking(false);
    EXPECT_EQ(udp.recv(buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);
}

TEST_P(Behaviour, AcceptTimeoutAndNonBlocking) {
    TCPSocket server;
    listen_on(server);
    server.set_timeout(30);
    nsapi_error_t err = NSAPI_ERROR_OK;
    EXPECT_EQ(server.accept(&err), nullptr);
    EXPECT_EQ(err, NSAPI_ERROR_WOULD_BLOCK);
    server.set_blocking(false);
    EXPECT_EQ(server.accept(&err), nullptr);
    EXPECT_EQ(err, NSAPI_ERROR_WOULD_BLOCK);
}

TEST_P(Behaviour, UdpEcho) {
    UDPSocket server, client;
    uint16_t port = backend->fresh_port();
    ASSERT_EQ(server.open(&backend->server_stack()), NSAPI_ERROR_OK);
    ASSERT_EQ(server.bind(port), NSAPI_ERROR_OK);
    ASSERT_EQ(client.open(&backend->client_stack()), NSAPI_ERROR_OK);
    ASSERT_EQ(client.sendto(server_at(port), "ping", 4), 4);
    char buf[16] = {};
    SocketAddress from;
    ASSERT_EQ(server.recvfrom(&from, buf, sizeof buf), 4);
    EXPECT_EQ(std::string(buf, 4), "ping");
    EXPECT_NE(from.get_port(), 0);
    ASSERT_EQ(server.sendto(from, "pong", 4), 4);
    SocketAddress back;
    ASSERT_EQ(client.recvfrom(&back, buf, sizeof buf), 4);
    EXPECT_EQ(std::string(buf, 4), "pong");
    EXPECT_EQ(back, server_at(port));
}

TEST_P(Behaviour, UdpConnectedSocketOnlyHearsItsPeer) {
    UDPSocket a, b, listener;
    uint16_t pa = backend->fresh_port(), pb = backend->fresh_port(), pl = backend->fresh_port();
    ASSERT_EQ(a.open(&backend->server_stack()), NSAPI_ERROR_OK);
    ASSERT_EQ(a.bind(pa), NSAPI_ERROR_OK);
    ASSERT_EQ(b.open(&backend->server_stack()), NSAPI_ERROR_OK);
    ASSERT_EQ(b.bind(pb), NSAPI_ERROR_OK);
    ASSERT_EQ(listener.open(&backend->client_stack()), NSAPI_ERROR_OK);
    ASSERT_EQ(listener.bind(pl), NSAPI_ERROR_OK);

    SocketAddress listener_addr = backend->client_address();
    listener_addr.set_port(pl);
    ASSERT_EQ(listener.connect(server_at(pa)), NSAPI_ERROR_OK);
    EXPECT_EQ(listener.send("x", 1), 1);
    ASSERT_EQ(b.sendto(listener_addr, "from-b", 6), 6);
    ASSERT_EQ(a.sendto(listener_addr, "from-a", 6), 6);
    char buf[16] = {};
    SocketAddress from;
    ASSERT_EQ(listener.recvfrom(&from, buf, sizeof buf), 6);
    EXPECT_EQ(std::string(buf, 6), "from-a");
    EXPECT_EQ(from, server_at(pa));
    char drain[4];
    ASSERT_EQ(a.recv(drain, sizeof drain), 1);  // the "x" sent through connect()
}

TEST_P(Behaviour, UdpRecvNullZeroDiscardsOneDatagram) {
    UDPSocket rx, tx;
    uint16_t port = backend->fresh_port();
    ASSERT_EQ(rx.open(&backend->server_stack()), NSAPI_ERROR_OK);
    ASSERT_EQ(rx.bind(port), NSAPI_ERROR_OK);
    ASSERT_EQ(tx.open(&backend->client_stack()), NSAPI_ERROR_OK);
    ASSERT_EQ(tx.sendto(server_at(port), "first", 5), 5);
    ASSERT_EQ(tx.sendto(server_at(port), "second", 6), 6);
    EXPECT_EQ(rx.recv(nullptr, 0), 0);
    char buf[16] = {};
    ASSERT_EQ(rx.recv(buf, sizeof buf), 6);
    EXPECT_EQ(std::string(buf, 6), "second");
}

TEST_P(Behaviour, UdpTruncatesToTheBuffer) {
    UDPSocket rx, tx;
    uint16_t port = backend->fresh_port();
    ASSERT_EQ(rx.open(&backend->server_stack()), NSAPI_ERROR_OK);
    ASSERT_EQ(rx.bind(port), NSAPI_ERROR_OK);
    ASSERT_EQ(tx.open(&backend->client_stack()), NSAPI_ERROR_OK);
    ASSERT_EQ(tx.sendto(server_at(port), "0123456789", 10), 10);
    ASSERT_EQ(tx.sendto(server_at(port), "ab", 2), 2);
    char buf[4] = {};
    EXPECT_EQ(rx.recv(buf, sizeof buf), 4);
    EXPECT_EQ(std::string(buf, 4), "0123");
    EXPECT_EQ(rx.recv(buf, sizeof buf), 2);  // the rest of the first datagram is gone
}

TEST_P(Behaviour, DatagramRules) {
    UDPSocket u;
    ASSERT_EQ(u.open(&backend->client_stack()), NSAPI_ERROR_OK);
    EXPECT_EQ(u.send("x", 1), NSAPI_ERROR_NO_ADDRESS);
    nsapi_error_t err = NSAPI_ERROR_OK;
    EXPECT_EQ(u.accept(&err), nullptr);
    EXPECT_EQ(err, NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(u.listen(), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(u.sendto(SocketAddress(), nullptr, 0), 0);  // empty datagram to nowhere
}

TEST_P(Behaviour, OpenCloseRepeat) {
    for (int i = 0; i < 50; ++i) {
        TCPSocket t;
        UDPSocket u;
        ASSERT_EQ(t.open(&backend->client_stack()), NSAPI_ERROR_OK);
        ASSERT_EQ(u.open(&backend->client_stack()), NSAPI_ERROR_OK);
        ASSERT_EQ(t.close(), NSAPI_ERROR_OK);
        ASSERT_EQ(u.close(), NSAPI_ERROR_OK);
        ASSERT_EQ(t.close(), NSAPI_ERROR_NO_SOCKET);
    }
    // The same socket object, reopened after each close, and a connection each time.
    TCPSocket server;
    uint16_t port = listen_on(server);
    TCPSocket client;
    for (int i = 0; i < 10; ++i) {
        ASSERT_EQ(client.open(&backend->client_stack()), NSAPI_ERROR_OK);
        ASSERT_EQ(client.connect(server_at(port)), NSAPI_ERROR_OK);
        TCPSocket *peer = server.accept();
        ASSERT_NE(peer, nullptr);
        ASSERT_EQ(peer->close(), NSAPI_ERROR_OK);
        ASSERT_EQ(client.close(), NSAPI_ERROR_OK);
    }
}

TEST_P(Behaviour, BindRules) {
    UDPSocket unopened;
    EXPECT_EQ(unopened.bind(backend->fresh_port()), NSAPI_ERROR_NO_SOCKET);

    uint16_t port = backend->fresh_port();
    UDPSocket a, b;
    ASSERT_EQ(a.open(&backend->server_stack()), NSAPI_ERROR_OK);
    ASSERT_EQ(b.open(&backend->server_stack()), NSAPI_ERROR_OK);
    EXPECT_EQ(a.bind(port), NSAPI_ERROR_OK);
    EXPECT_EQ(a.bind(backend->fresh_port()), NSAPI_ERROR_PARAMETER);  // already bound
    EXPECT_EQ(b.bind(port), NSAPI_ERROR_PARAMETER);                   // port in use
    SocketAddress foreign(
        backend->server_address().get_ip_version() == NSAPI_IPv6 ? "2001:db8::1" : "192.0.2.1",
        backend->fresh_port());
    EXPECT_EQ(b.bind(foreign), NSAPI_ERROR_PARAMETER);  // not a local address
    EXPECT_EQ(b.bind(server_at(backend->fresh_port())), NSAPI_ERROR_OK);

    TCPSocket unbound;
    ASSERT_EQ(unbound.open(&backend->server_stack()), NSAPI_ERROR_OK);
    EXPECT_EQ(unbound.listen(), NSAPI_ERROR_PARAMETER);  // as the reference stack
}

TEST_P(Behaviour, ConnectRefusedWithoutListener) {
    TCPSocket client;
    ASSERT_EQ(client.open(&backend->client_stack()), NSAPI_ERROR_OK);
    client.set_timeout(5000);
    EXPECT_EQ(client.connect(server_at(backend->fresh_port())), NSAPI_ERROR_NO_CONNECTION);
}

TEST_P(Behaviour, SocketRules) {
    TCPSocket t;
    ASSERT_EQ(t.open(&backend->client_stack()), NSAPI_ERROR_OK);
    EXPECT_EQ(t.join_multicast_group(SocketAddress("ff02::1")), NSAPI_ERROR_UNSUPPORTED);
    int v = 1;
    EXPECT_EQ(t.setsockopt(NSAPI_SOCKET, 4242, &v, sizeof v), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(t.open(&backend->client_stack()), NSAPI_ERROR_PARAMETER);
    SocketAddress peer;
    EXPECT_EQ(t.getpeername(&peer), NSAPI_ERROR_NO_CONNECTION);
    char c;
    EXPECT_EQ(t.send("x", 1), NSAPI_ERROR_NO_CONNECTION);
    t.set_blocking(false);
    EXPECT_EQ(t.recv(&c, 1), NSAPI_ERROR_NO_CONNECTION);
}

TEST_P(Behaviour, NonBlockingConnectThenIsConnected) {
    TCPSocket server;
    uint16_t port = listen_on(server);
    TCPSocket client;
    SigioCounter sigio;
    ASSERT_EQ(client.open(&backend->client_stack()), NSAPI_ERROR_OK);
    client.sigio(sigio.callback());
    client.set_blocking(false);
    nsapi_error_t r = client.connect(server_at(port));
    ASSERT_TRUE(r == NSAPI_ERROR_IN_PROGRESS || r == NSAPI_ERROR_OK) << r;
    if (r == NSAPI_ERROR_IN_PROGRESS) {
        // Retry on each sigio, as an application would, until the stack reports the outcome.
        ASSERT_TRUE(eventually([&] {
            r = client.connect(server_at(port));
            EXPECT_TRUE(r == NSAPI_ERROR_ALREADY || r == NSAPI_ERROR_IN_PROGRESS ||
                        r == NSAPI_ERROR_IS_CONNECTED || r == NSAPI_ERROR_OK)
                << r;
            return r == NSAPI_ERROR_IS_CONNECTED || r == NSAPI_ERROR_OK;
        }));
        // The completion was announced (possibly just after connect() saw it).
        EXPECT_TRUE(eventually([&] { return sigio.value() >= 1; }));
    }
    server.set_blocking(true);
    TCPSocket *peer = server.accept();
    ASSERT_NE(peer, nullptr);
    EXPECT_EQ(client.send("nb", 2), 2);
    EXPECT_EQ(recv_exact(*peer, 2), "nb");
    peer->close();
}

TEST_P(Behaviour, SigioAnnouncesArrivingData) {
    UDPSocket rx, tx;
    uint16_t port = backend->fresh_port();
    SigioCounter sigio;
    ASSERT_EQ(rx.open(&backend->server_stack()), NSAPI_ERROR_OK);
    ASSERT_EQ(rx.bind(port), NSAPI_ERROR_OK);
    rx.set_blocking(false);
    rx.sigio(sigio.callback());
    char buf[8];
    ASSERT_EQ(rx.recv(buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);
    int before = sigio.value();
    ASSERT_EQ(tx.open(&backend->client_stack()), NSAPI_ERROR_OK);
    ASSERT_EQ(tx.sendto(server_at(port), "hey", 3), 3);
    ASSERT_TRUE(eventually([&] { return sigio.value() > before; }));
    EXPECT_EQ(rx.recv(buf, sizeof buf), 3);
}

// The sigio rule (issue 15): attaching a callback calls nothing, however ready the socket is
// (Mbed's stacks only store it); each change after it (here, data arriving once the previous
// data was read) calls it exactly once.
constexpr auto kQuietPeriod = std::chrono::milliseconds(100);

TEST_P(Behaviour, SigioIsNotCalledOnAttachThenOncePerArrivalTcp) {
    TCPSocket server, client;
    TCPSocket *peer = connect_pair(server, client);  // connected, hence writable
    ASSERT_NE(peer, nullptr);
    SigioCounter client_sigio, peer_sigio;
    client.set_blocking(false);
    peer->set_blocking(false);
    client.sigio(client_sigio.callback());
    peer->sigio(peer_sigio.callback());
    std::this_thread::sleep_for(kQuietPeriod);
    EXPECT_EQ(client_sigio.value(), 0);
    EXPECT_EQ(peer_sigio.value(), 0);
    // Replacing the callback, or detaching and attaching again, is no change either.
    client.sigio(nullptr);
    client.sigio(client_sigio.callback());
    std::this_thread::sleep_for(kQuietPeriod);
    EXPECT_EQ(client_sigio.value(), 0);
    // As an application does before it waits for sigio: an attempt that would block (an event
    // that came while no callback was attached may have left a sigio pending, as on Mbed).
    char b;
    EXPECT_EQ(client.recv(&b, 1), NSAPI_ERROR_WOULD_BLOCK);
    for (int round = 1; round <= 3; ++round) {
        ASSERT_EQ(peer->send("x", 1), 1);
        ASSERT_TRUE(eventually([&] { return client_sigio.value() >= round; }));
        EXPECT_EQ(client.recv(&b, 1), 1);
        EXPECT_EQ(client.recv(&b, 1), NSAPI_ERROR_WOULD_BLOCK);
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        EXPECT_EQ(client_sigio.value(), round);
    }
    client.sigio(nullptr);
    peer->sigio(nullptr);
    peer->close();
}

TEST_P(Behaviour, SigioIsNotCalledOnAttachThenOncePerArrivalUdp) {
    UDPSocket rx, tx;
    uint16_t port = backend->fresh_port();
    SigioCounter rx_sigio, tx_sigio;
    ASSERT_EQ(rx.open(&backend->server_stack()), NSAPI_ERROR_OK);
    ASSERT_EQ(rx.bind(port), NSAPI_ERROR_OK);
    ASSERT_EQ(tx.open(&backend->client_stack()), NSAPI_ERROR_OK);
    rx.set_blocking(false);
    rx.sigio(rx_sigio.callback());
    tx.sigio(tx_sigio.callback());
    std::this_thread::sleep_for(kQuietPeriod);
    EXPECT_EQ(rx_sigio.value(), 0);
    EXPECT_EQ(tx_sigio.value(), 0);
    char buf[8];
    EXPECT_EQ(rx.recv(buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);
    for (int round = 1; round <= 3; ++round) {
        ASSERT_EQ(tx.sendto(server_at(port), "hey", 3), 3);
        ASSERT_TRUE(eventually([&] { return rx_sigio.value() >= round; }));
        EXPECT_EQ(rx.recv(buf, sizeof buf), 3);
        EXPECT_EQ(rx.recv(buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        EXPECT_EQ(rx_sigio.value(), round);
    }
    // A datagram already waiting when the callback is attached is no change.
    rx.sigio(nullptr);
    ASSERT_EQ(tx.sendto(server_at(port), "old", 3), 3);
    std::this_thread::sleep_for(kQuietPeriod);  // delivered (loopback)
    const int before = rx_sigio.value();
    rx.sigio(rx_sigio.callback());
    std::this_thread::sleep_for(kQuietPeriod);
    EXPECT_EQ(rx_sigio.value(), before);
    EXPECT_EQ(rx.recv(buf, sizeof buf), 3);
    rx.sigio(nullptr);
    tx.sigio(nullptr);
}

TEST_P(Behaviour, CloseWakesBlockedReader) {
    TCPSocket server, client;
    TCPSocket *peer = connect_pair(server, client);
    ASSERT_NE(peer, nullptr);
    std::atomic<nsapi_size_or_error_t> result{1};
    std::atomic<bool> started{false};
    std::thread reader([&] {
        char buf[8];
        started = true;
        result = client.recv(buf, sizeof buf);
    });
    ASSERT_TRUE(eventually([&] { return started.load(); }));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let it block (not required)
    EXPECT_EQ(client.close(), NSAPI_ERROR_OK);
    reader.join();
    // Either the close woke it (NO_SOCKET) or it had not entered recv yet (NO_SOCKET too).
    EXPECT_EQ(result.load(), NSAPI_ERROR_NO_SOCKET);
    peer->close();
}

TEST_P(Behaviour, TwoThreadsEachWithItsOwnSockets) {
    constexpr int kRounds = 200;
    uint16_t tcp_ports[2] = {backend->fresh_port(), backend->fresh_port()};
    uint16_t udp_ports[2] = {backend->fresh_port(), backend->fresh_port()};
    std::atomic<int> failures{0};
    auto worker = [&](int n) {
        TCPSocket server, client;
        if (server.open(&backend->server_stack()) || server.bind(tcp_ports[n]) ||
            server.listen(1) || client.open(&backend->client_stack()) ||
            client.connect(server_at(tcp_ports[n]))) {
            failures++;
            return;
        }
        TCPSocket *peer = server.accept();
        UDPSocket urx, utx;
        if (!peer || urx.open(&backend->server_stack()) || urx.bind(udp_ports[n]) ||
            utx.open(&backend->client_stack())) {
            failures++;
            return;
        }
        for (int i = 0; i < kRounds; ++i) {
            std::string msg = "t" + std::to_string(n) + "-" + std::to_string(i);
            if (send_all(client, msg) != static_cast<int>(msg.size()) ||
                recv_exact(*peer, msg.size()) != msg) {
                failures++;
                break;
            }
            if (utx.sendto(server_at(udp_ports[n]), msg.data(), msg.size()) !=
                static_cast<int>(msg.size())) {
                failures++;
                break;
            }
            char buf[32];
            nsapi_size_or_error_t r = urx.recv(buf, sizeof buf);
            if (r != static_cast<int>(msg.size()) || std::string(buf, r) != msg) {
                failures++;
                break;
            }
        }
        peer->close();
    };
    std::thread a(worker, 0), b(worker, 1);
    a.join();
    b.join();
    EXPECT_EQ(failures.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Behaviour, ::testing::ValuesIn(all_backends()),
                         [](const ::testing::TestParamInfo<BackendFactory> &info) {
                             return info.param.name;
                         });

}  // namespace
}  // namespace meshwork::test
