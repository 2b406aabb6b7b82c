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
