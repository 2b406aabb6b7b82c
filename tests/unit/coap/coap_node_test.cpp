// CoapNode over loopback UDP (HostStack): a server node driven by a thread, a client node making
// blocking requests.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "meshwork/coap/CoapNode.h"

using namespace meshwork::coap;

namespace {

struct ServerThread {
    CoapNode node;
    uint16_t port = 0;
    std::atomic<bool> stop{false};
    std::thread thread;

    bool start() {
        for (int attempt = 0; attempt < 20; ++attempt) {
            uint16_t p = static_cast<uint16_t>(20000 + (std::random_device{}() % 30000));
            if (node.open(p) == NSAPI_ERROR_OK) {
                port = p;
                thread = std::thread([this] {
                    while (!stop)
                        node.process(20);
                });
                return true;
            }
        }
        return false;
    }
    ~ServerThread() {
        stop = true;
        if (thread.joinable())
            thread.join();
    }
};

}  // namespace

TEST(CoapNode, GetPutBlockwiseAndSeparateOverLoopback) {
    ServerThread server;
    std::string stored = "initial";
    std::string big(50000, 'x');
    for (std::size_t i = 0; i < big.size(); ++i)
        big[i] = static_cast<char>('a' + i % 26);
    server.node.add_resource("value", [&](ServerExchange &ex, Message &r) {
        if (ex.request.code == Code::kPut) {
            stored = ex.request.payload_string();
            r.code = Code::kChanged;
        } else {
            r.set_payload(stored);
        }
    });
    // The separate response comes from another thread, as an application's worker would send it.
    // The server thread starts it, so the server thread is joined first: that orders the
    // assignment of `t` before the read (a datagram carries no happens-before a race detector
    // can see).
    struct Joiner {
        ServerThread &server;
        std::thread t;
        ~Joiner() {
            server.stop = true;
            if (server.thread.joinable())
                server.thread.join();
            if (t.joinable())
                t.join();
        }
    } responder{server, {}};  // declared after the server, so joined before it goes away
    server.node.add_resource("later", [&](ServerExchange &ex, Message &) {
        ex.defer();
        const std::uint64_t id = ex.id;
        responder.t = std::thread([&server, id] {
            Message r;
            r.code = Code::kContent;
            r.set_payload("separate");
            server.node.respond(id, r);
        });
    });
    ASSERT_TRUE(server.start());
    const SocketAddress peer("127.0.0.1", server.port);

    CoapNode client;
    ASSERT_EQ(client.open(), NSAPI_ERROR_OK);
    Message resp;
    ASSERT_EQ(client.get(peer, "value", &resp), NSAPI_ERROR_OK);
    EXPECT_EQ(resp.code, Code::kContent);
    EXPECT_EQ(resp.payload_string(), "initial");
    ASSERT_EQ(client.put(peer, "value", big, ContentFormat::kTextPlain, &resp), NSAPI_ERROR_OK);
    EXPECT_EQ(resp.code, Code::kChanged);
    ASSERT_EQ(client.get(peer, "value", &resp), NSAPI_ERROR_OK);
    EXPECT_EQ(resp.payload_string(), big);
    ASSERT_EQ(client.get(peer, "later", &resp), NSAPI_ERROR_OK);
    EXPECT_EQ(resp.payload_string(), "separate");
    ASSERT_EQ(client.get(peer, "nothing", &resp), NSAPI_ERROR_OK);
    EXPECT_EQ(resp.code, Code::kNotFound);
}

TEST(CoapNode, TimesOutAgainstSilentPeer) {
    Params fast;
    fast.ack_timeout = std::chrono::milliseconds(10);
    CoapNode client(nullptr, fast);
    ASSERT_EQ(client.open(), NSAPI_ERROR_OK);
    // A bound UDP socket that never answers.
    UDPSocket quiet;
    ASSERT_EQ(quiet.open(NetworkInterface::get_default_instance()), NSAPI_ERROR_OK);
    uint16_t port = 0;
    for (int i = 0; i < 20 && port == 0; ++i) {
        uint16_t p = static_cast<uint16_t>(20000 + (std::random_device{}() % 30000));
        if (quiet.bind(p) == NSAPI_ERROR_OK)
            port = p;
    }
    ASSERT_NE(port, 0);
    Message resp;
    EXPECT_EQ(client.get(SocketAddress("127.0.0.1", port), "x", &resp), NSAPI_ERROR_TIMEOUT);
}

TEST(CoapNode, RequestsOnClosedNodeFail) {
    CoapNode client;
    Message resp;
    EXPECT_EQ(client.get(SocketAddress("127.0.0.1", 5683), "x", &resp), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(client.observe(SocketAddress("127.0.0.1", 5683), "x", nullptr), 0u);
}

namespace {

/// Binds `socket` to a free loopback port; 0 if none was found.
uint16_t bind_some_port(UDPSocket &socket) {
    for (int i = 0; i < 20; ++i) {
        uint16_t p = static_cast<uint16_t>(20000 + (std::random_device{}() % 30000));
        if (socket.bind(p) == NSAPI_ERROR_OK)
            return p;
    }
    return 0;
}

}  // namespace

// The driver sleeps until a datagram or a deadline, not on a tick: a server inside one long
// process() call answers each request as it arrives, and close() from another thread ends the
// call at once.
TEST(CoapNode, LongProcessAnswersOnArrivalAndCloseWakesIt) {
    CoapNode server;
    uint16_t port = 0;
    for (int attempt = 0; attempt < 20 && port == 0; ++attempt) {
        uint16_t p = static_cast<uint16_t>(20000 + (std::random_device{}() % 30000));
        if (server.open(p) == NSAPI_ERROR_OK)
            port = p;
    }
    ASSERT_NE(port, 0);
    server.add_resource("v", [](ServerExchange &, Message &r) { r.set_payload("x"); });
    const auto start = std::chrono::steady_clock::now();
    std::thread driver([&] { server.process(60000); });
    CoapNode client(nullptr, {}, 1234);
    ASSERT_EQ(client.open(), NSAPI_ERROR_OK);
    for (int i = 0; i < 5; ++i) {
        Message resp;
        ASSERT_EQ(client.get(SocketAddress("127.0.0.1", port), "v", &resp), NSAPI_ERROR_OK);
        EXPECT_EQ(resp.payload_string(), "x");
    }
    server.close();
    driver.join();
    // Five exchanges and the close take milliseconds; a missed wake-up would cost the full 60 s
    // (or a retransmission, 2 s or more).
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

// The seed given to the constructor fixes the node's message IDs and tokens.
TEST(CoapNode, SeedFixesMessageIdsAndTokens) {
    UDPSocket sink;
    ASSERT_EQ(sink.open(NetworkInterface::get_default_instance()), NSAPI_ERROR_OK);
    const uint16_t port = bind_some_port(sink);
    ASSERT_NE(port, 0);
    sink.set_timeout(5000);
    auto first_datagram = [&](std::uint64_t seed) {
        CoapNode node(nullptr, {}, seed);
        EXPECT_EQ(node.open(), NSAPI_ERROR_OK);
        node.observe(SocketAddress("127.0.0.1", port), "x", nullptr);  // sends at once
        std::vector<std::uint8_t> buf(256);
        nsapi_size_or_error_t n = sink.recvfrom(nullptr, buf.data(), buf.size());
        buf.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
        return buf;
    };
    const auto a = first_datagram(77), b = first_datagram(77), c = first_datagram(78);
    ASSERT_FALSE(a.empty());
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    Message m;
    ASSERT_TRUE(Message::decode(a.data(), a.size(), &m));
    EXPECT_EQ(m.observe(), 0);
}

TEST(CoapNode, AddressConversionKeepsVersionAndPort) {
    const meshwork::IpEndpoint v4 = to_ip_endpoint(SocketAddress("192.0.2.7", 5683));
    EXPECT_TRUE(v4.is_v4());
    EXPECT_EQ(v4, meshwork::IpEndpoint::v4(192, 0, 2, 7, 5683));
    SocketAddress back = to_socket_address(v4);
    EXPECT_EQ(back.get_ip_version(), NSAPI_IPv4);
    EXPECT_STREQ(back.get_ip_address(), "192.0.2.7");
    EXPECT_EQ(back.get_port(), 5683);
    const meshwork::IpEndpoint v6 = to_ip_endpoint(SocketAddress("2001:db8::1", 61631));
    EXPECT_FALSE(v6.is_v4());
    EXPECT_EQ(v6.to_string(), "[2001:db8::1]:61631");
    back = to_socket_address(v6);
    EXPECT_EQ(back.get_ip_version(), NSAPI_IPv6);
    EXPECT_EQ(back, SocketAddress("2001:db8::1", 61631));
}
