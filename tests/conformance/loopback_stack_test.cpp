// Properties of the in-memory LoopbackStack itself that the behaviour suite relies on but that
// are specific to it (a finite socket pool, connect states in worker mode, flow control).
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "netsocket/TCPSocket.h"
#include "netsocket/UDPSocket.h"
#include "netsocket/ICMPSocket.h"
#include "support/LoopbackStack.h"
#include "support/TestHelpers.h"

namespace meshwork::test {
namespace {

TEST(LoopbackStack, SocketPoolExhaustionIsNoSocketAndRecovers) {
    LoopbackStack::Options o;
    o.max_sockets = 4;
    LoopbackStack stack(o);
    for (int round = 0; round < 2; ++round) {
        std::vector<std::unique_ptr<UDPSocket>> socks;
        for (int i = 0; i < 4; ++i) {
            socks.push_back(std::make_unique<UDPSocket>());
            ASSERT_EQ(socks.back()->open(&stack), NSAPI_ERROR_OK);
        }
        UDPSocket extra;
        EXPECT_EQ(extra.open(&stack), NSAPI_ERROR_NO_SOCKET);
        EXPECT_EQ(stack.socket_count(), 4u);
    }
    EXPECT_EQ(stack.socket_count(), 0u);
}

// The 1.18 row "bind ... wrong family: PARAMETER". Only a single-family stack can have a wrong
// family, so this is checked here and not in the backend-agnostic suite (the host kernel is
// dual-stack).
TEST(LoopbackStack, BindToTheOtherFamilyIsParameter) {
    for (bool ipv6 : {false, true}) {
        LoopbackStack::Options o;
        o.ipv6 = ipv6;
        LoopbackStack stack(o);
        UDPSocket u;
        TCPSocket t;
        ASSERT_EQ(u.open(&stack), NSAPI_ERROR_OK);
        ASSERT_EQ(t.open(&stack), NSAPI_ERROR_OK);
        SocketAddress other(ipv6 ? "127.0.0.1" : "::1", 9000);
        SocketAddress own(ipv6 ? "::1" : "127.0.0.1", 9000);
        EXPECT_EQ(u.bind(other), NSAPI_ERROR_PARAMETER) << "ipv6=" << ipv6;
        EXPECT_EQ(t.bind(other), NSAPI_ERROR_PARAMETER) << "ipv6=" << ipv6;
        EXPECT_EQ(u.bind(own), NSAPI_ERROR_OK) << "ipv6=" << ipv6;
        EXPECT_EQ(t.bind(own), NSAPI_ERROR_OK) << "ipv6=" << ipv6;
    }
}

TEST(LoopbackStack, IcmpIsNotModelled) {
    LoopbackStack stack;
    ICMPSocket s;
    EXPECT_EQ(s.open(&stack), NSAPI_ERROR_UNSUPPORTED);
}

TEST(LoopbackStack, WorkerModeReportsConnectStates) {
    LoopbackStack::Options o;
    o.events = LoopbackStack::Events::kWorker;
    LoopbackStack stack(o);
    TCPSocket server, client;
    ASSERT_EQ(server.open(&stack), NSAPI_ERROR_OK);
    ASSERT_EQ(server.bind(80), NSAPI_ERROR_OK);
    ASSERT_EQ(server.listen(), NSAPI_ERROR_OK);
    ASSERT_EQ(client.open(&stack), NSAPI_ERROR_OK);
    client.set_blocking(false);
    SocketAddress to("127.0.0.1", 80);
    ASSERT_EQ(client.connect(to), NSAPI_ERROR_IN_PROGRESS);
    nsapi_error_t r;
    ASSERT_TRUE(eventually([&] {
        r = client.connect(to);
        EXPECT_TRUE(r == NSAPI_ERROR_ALREADY || r == NSAPI_ERROR_IS_CONNECTED) << r;
        return r == NSAPI_ERROR_IS_CONNECTED;
    }));
    // A blocking connect on a connected socket: IS_CONNECTED at once.
    client.set_blocking(true);
    EXPECT_EQ(client.connect(to), NSAPI_ERROR_IS_CONNECTED);
    TCPSocket *peer = server.accept();
    ASSERT_NE(peer, nullptr);
    peer->close();
    EXPECT_EQ(stack.socket_count(), 2u);
}

TEST(LoopbackStack, FlowControlGivesPartialNonBlockingSends) {
    LoopbackStack::Options o;
    o.stream_buffer = 100;
    LoopbackStack stack(o);
    TCPSocket server, client;
    ASSERT_EQ(server.open(&stack), NSAPI_ERROR_OK);
    ASSERT_EQ(server.bind(81), NSAPI_ERROR_OK);
    ASSERT_EQ(server.listen(), NSAPI_ERROR_OK);
    ASSERT_EQ(client.open(&stack), NSAPI_ERROR_OK);
    ASSERT_EQ(client.connect(SocketAddress("127.0.0.1", 81)), NSAPI_ERROR_OK);
    TCPSocket *peer = server.accept();
    ASSERT_NE(peer, nullptr);
    std::string big(150, 'a');
    client.set_blocking(false);
    EXPECT_EQ(client.send(big.data(), big.size()), 100);
    EXPECT_EQ(client.send(big.data(), big.size()), NSAPI_ERROR_WOULD_BLOCK);
    client.set_timeout(20);
    EXPECT_EQ(client.send(big.data(), big.size()), NSAPI_ERROR_WOULD_BLOCK);
    char buf[60];
    EXPECT_EQ(peer->recv(buf, sizeof buf), 60);
    EXPECT_EQ(client.send(big.data(), big.size()), 60);  // partial, then the wait timed out
    peer->close();
}

TEST(LoopbackStack, ClosingListenerResetsUnacceptedClients) {
    LoopbackStack stack;
    TCPSocket client;
    {
        TCPSocket server;
        ASSERT_EQ(server.open(&stack), NSAPI_ERROR_OK);
        ASSERT_EQ(server.bind(82), NSAPI_ERROR_OK);
        ASSERT_EQ(server.listen(), NSAPI_ERROR_OK);
        ASSERT_EQ(client.open(&stack), NSAPI_ERROR_OK);
        ASSERT_EQ(client.connect(SocketAddress("127.0.0.1", 82)), NSAPI_ERROR_OK);
    }
    char c;
    EXPECT_EQ(client.recv(&c, 1), NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(stack.socket_count(), 1u);
}

}  // namespace
}  // namespace meshwork::test
