// TCPSocket and TCPServer against a scripted fake stack: the connect, send, recv and accept
// algorithms of mbed-api.md 1.5 and 1.7, and the TCP rows of the table in 1.18.
#include <gtest/gtest.h>

#include <thread>

#include "netsocket/TCPServer.h"
#include "netsocket/TCPSocket.h"
#include "support/FakeStack.h"
#include "support/TestHelpers.h"

namespace meshwork::test {
namespace {

Step result(int r, bool raise = false) {
    Step s;
    s.result = r;
    s.raise_event = raise;
    return s;
}

Step data(const std::string &payload, bool raise = false) {
    Step s;
    s.result = kAll;
    s.payload = payload;
    s.raise_event = raise;
    return s;
}

class TcpFake : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_EQ(sock.open(&stack), NSAPI_ERROR_OK); }

    FakeStack stack;
    TCPSocket sock;
    const SocketAddress peer{"192.0.2.1", 8080};
};

// ----- connect -----

TEST_F(TcpFake, BlockingConnectWaitsAndConvertsIsConnectedToOk) {
    stack.script(Hook::kConnect,
                 {result(NSAPI_ERROR_IN_PROGRESS, true), result(NSAPI_ERROR_ALREADY, true),
                  result(NSAPI_ERROR_IS_CONNECTED)});
    EXPECT_EQ(sock.connect(peer), NSAPI_ERROR_OK);
    auto connects = stack.calls(Hook::kConnect);
    ASSERT_EQ(connects.size(), 3u);
    for (const Call &c : connects) {
        EXPECT_EQ(c.address, peer);
    }
    SocketAddress got;
    EXPECT_EQ(sock.getpeername(&got), NSAPI_ERROR_OK);
    EXPECT_EQ(got, peer);
}

TEST_F(TcpFake, BlockingConnectCompletesOnEventFromAnotherThread) {
    stack.script(Hook::kConnect, {result(NSAPI_ERROR_IN_PROGRESS), result(NSAPI_ERROR_OK)});
    std::thread raiser([&] {
        ASSERT_TRUE(stack.wait_for_calls(Hook::kConnect, 1));
        stack.raise_event();
    });
    EXPECT_EQ(sock.connect(peer), NSAPI_ERROR_OK);
    raiser.join();
    EXPECT_EQ(stack.count(Hook::kConnect), 2u);
}

TEST_F(TcpFake, ImmediateIsConnectedIsReturnedAsIs) {
    stack.script_results(Hook::kConnect, {NSAPI_ERROR_IS_CONNECTED});
    EXPECT_EQ(sock.connect(peer), NSAPI_ERROR_IS_CONNECTED);
    EXPECT_EQ(stack.count(Hook::kConnect), 1u);
}

TEST_F(TcpFake, NonBlockingConnectSequencePassesThrough) {
    sock.set_blocking(false);
    stack.script_results(Hook::kConnect,
                         {NSAPI_ERROR_IN_PROGRESS, NSAPI_ERROR_ALREADY, NSAPI_ERROR_IS_CONNECTED});
    EXPECT_EQ(sock.connect(peer), NSAPI_ERROR_IN_PROGRESS);
    SocketAddress got;
    EXPECT_EQ(sock.getpeername(&got), NSAPI_ERROR_OK);  // remembered on IN_PROGRESS
    EXPECT_EQ(got, peer);
    EXPECT_EQ(sock.connect(peer), NSAPI_ERROR_ALREADY);
    EXPECT_EQ(sock.connect(peer), NSAPI_ERROR_IS_CONNECTED);  // no wait: not converted
    EXPECT_EQ(stack.count(Hook::kConnect), 3u);
}

TEST_F(TcpFake, TimedOutConnectReturnsInProgress) {
    sock.set_timeout(20);
    stack.set_default(Hook::kConnect, NSAPI_ERROR_IN_PROGRESS);
    EXPECT_EQ(sock.connect(peer), NSAPI_ERROR_IN_PROGRESS);
    EXPECT_EQ(stack.count(Hook::kConnect), 1u);
    SocketAddress got;
    EXPECT_EQ(sock.getpeername(&got), NSAPI_ERROR_OK);
}

TEST_F(TcpFake, TimedOutConnectAfterAlreadyReturnsAlready) {
    sock.set_timeout(20);
    stack.script(Hook::kConnect, {result(NSAPI_ERROR_IN_PROGRESS, true)});
    stack.set_default(Hook::kConnect, NSAPI_ERROR_ALREADY);
    EXPECT_EQ(sock.connect(peer), NSAPI_ERROR_ALREADY);
    EXPECT_EQ(stack.count(Hook::kConnect), 2u);
}

TEST_F(TcpFake, RefusedConnectIsNoConnectionAndForgetsPeer) {
    stack.script_results(Hook::kConnect, {NSAPI_ERROR_NO_CONNECTION});
    EXPECT_EQ(sock.connect(peer), NSAPI_ERROR_NO_CONNECTION);
    SocketAddress got;
    EXPECT_EQ(sock.getpeername(&got), NSAPI_ERROR_NO_CONNECTION);
}

TEST_F(TcpFake, RefusedAfterWaitIsReturned) {
    stack.script(Hook::kConnect,
                 {result(NSAPI_ERROR_IN_PROGRESS, true), result(NSAPI_ERROR_NO_CONNECTION)});
    EXPECT_EQ(sock.connect(peer), NSAPI_ERROR_NO_CONNECTION);
}

TEST_F(TcpFake, HostConnectResolvesThroughTheStack) {
    EXPECT_EQ(sock.connect("192.0.2.44", 25), NSAPI_ERROR_OK);  // literal: no DNS needed
    auto connects = stack.calls(Hook::kConnect);
    ASSERT_EQ(connects.size(), 1u);
    EXPECT_EQ(connects[0].address, SocketAddress("192.0.2.44", 25));
}

TEST_F(TcpFake, HostConnectDnsErrorsBecomeDnsFailure) {
    stack.script_dns(true);
    stack.script_results(Hook::kGethostbyname, {NSAPI_ERROR_TIMEOUT, NSAPI_ERROR_NO_MEMORY});
    EXPECT_EQ(sock.connect("nowhere.invalid", 80), NSAPI_ERROR_DNS_FAILURE);
    EXPECT_EQ(sock.connect("nowhere.invalid", 80), NSAPI_ERROR_DNS_FAILURE);
    stack.script_dns(false);
    EXPECT_EQ(sock.connect("", 80), NSAPI_ERROR_DNS_FAILURE);  // PARAMETER from the resolver
    EXPECT_EQ(stack.count(Hook::kConnect), 0u);
}

TEST(TcpUnopened, HostConnectIsNoSocket) {
    TCPSocket s;
    EXPECT_EQ(s.connect("192.0.2.1", 80), NSAPI_ERROR_NO_SOCKET);
}

// ----- send -----

TEST_F(TcpFake, SendBeforeConnectIsNoConnection) {
    stack.set_default(Hook::kSend, NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(sock.send("abc", 3), NSAPI_ERROR_NO_CONNECTION);
}

TEST_F(TcpFake, BlockingSendLoopsOverChunks) {
    stack.script_results(Hook::kSend, {4, 3, 3});
    EXPECT_EQ(sock.send("0123456789", 10), 10);
    auto sends = stack.calls(Hook::kSend);
    ASSERT_EQ(sends.size(), 3u);
    EXPECT_EQ(sends[0].data, "0123456789");
    EXPECT_EQ(sends[1].data, "456789");
    EXPECT_EQ(sends[2].data, "789");
}

TEST_F(TcpFake, BlockingSendWaitsForWritable) {
    stack.script(Hook::kSend, {result(4), result(NSAPI_ERROR_WOULD_BLOCK, true), result(kAll)});
    EXPECT_EQ(sock.send("0123456789", 10), 10);
    auto sends = stack.calls(Hook::kSend);
    ASSERT_EQ(sends.size(), 3u);
    EXPECT_EQ(sends[2].data, "456789");
}

TEST_F(TcpFake, TimedOutSendReturnsPartialCount) {
    sock.set_timeout(20);
    stack.script_results(Hook::kSend, {4});
    stack.set_default(Hook::kSend, NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(sock.send("0123456789", 10), 4);
}

TEST_F(TcpFake, TimedOutSendWithNothingWrittenIsWouldBlock) {
    sock.set_timeout(20);
    stack.set_default(Hook::kSend, NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(sock.send("0123456789", 10), NSAPI_ERROR_WOULD_BLOCK);
}

TEST_F(TcpFake, NonBlockingSendMakesOneAttempt) {
    sock.set_blocking(false);
    stack.script_results(Hook::kSend, {4, NSAPI_ERROR_WOULD_BLOCK});
    EXPECT_EQ(sock.send("0123456789", 10), 4);
    EXPECT_EQ(sock.send("0123456789", 10), NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(stack.count(Hook::kSend), 2u);
}

TEST_F(TcpFake, ErrorAfterProgressDiscardsTheCount) {
    stack.script_results(Hook::kSend, {4, NSAPI_ERROR_NO_CONNECTION});
    EXPECT_EQ(sock.send("0123456789", 10), NSAPI_ERROR_NO_CONNECTION);
}

TEST_F(TcpFake, ZeroByteSendReturnsTheStackResult) {
    EXPECT_EQ(sock.send("", 0), 0);
    stack.script_results(Hook::kSend, {NSAPI_ERROR_NO_CONNECTION});
    EXPECT_EQ(sock.send("", 0), NSAPI_ERROR_NO_CONNECTION);
}

TEST_F(TcpFake, SendtoIgnoresTheAddress) {
    EXPECT_EQ(sock.sendto(SocketAddress("198.51.100.1", 1), "xy", 2), 2);
    auto sends = stack.calls(Hook::kSend);
    ASSERT_EQ(sends.size(), 1u);
    EXPECT_EQ(sends[0].data, "xy");
    EXPECT_EQ(stack.count(Hook::kSendto), 0u);
}

TEST_F(TcpFake, ControlVariantsRejectControlData) {
    nsapi_msghdr_t hdr = {};
    char buf[4];
    EXPECT_EQ(sock.sendto_control(peer, "a", 1, &hdr, sizeof hdr), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(sock.recvfrom_control(nullptr, buf, 4, &hdr, sizeof hdr), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(sock.sendto_control(peer, "a", 1, nullptr, 0), 1);
}

// ----- recv -----

TEST_F(TcpFake, RecvReturnsZeroAtOrderlyClose) {
    stack.script_results(Hook::kRecv, {0, 0});
    char buf[8];
    EXPECT_EQ(sock.recv(buf, sizeof buf), 0);
    EXPECT_EQ(sock.recv(buf, sizeof buf), 0);
}

TEST_F(TcpFake, BlockingRecvWaitsForReadable) {
    stack.script(Hook::kRecv, {result(NSAPI_ERROR_WOULD_BLOCK, true), data("hello")});
    char buf[8] = {};
    EXPECT_EQ(sock.recv(buf, sizeof buf), 5);
    EXPECT_EQ(std::string(buf, 5), "hello");
    EXPECT_EQ(stack.count(Hook::kRecv), 2u);
}

TEST_F(TcpFake, BlockingRecvWakesOnEventFromAnotherThread) {
    stack.script(Hook::kRecv, {result(NSAPI_ERROR_WOULD_BLOCK), data("abc")});
    std::thread raiser([&] {
        ASSERT_TRUE(stack.wait_for_calls(Hook::kRecv, 1));
        stack.raise_event();
    });
    char buf[8];
    EXPECT_EQ(sock.recv(buf, sizeof buf), 3);
    raiser.join();
}

TEST_F(TcpFake, RecvTimeoutIsWouldBlock) {
    sock.set_timeout(20);
    char buf[8];
    EXPECT_EQ(sock.recv(buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(stack.count(Hook::kRecv), 1u);
}

TEST_F(TcpFake, NonBlockingRecvMakesOneAttempt) {
    sock.set_blocking(false);
    char buf[8];
    EXPECT_EQ(sock.recv(buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(stack.count(Hook::kRecv), 1u);
}

TEST_F(TcpFake, RecvErrorsPassThrough) {
    stack.script_results(Hook::kRecv, {NSAPI_ERROR_NO_CONNECTION});
    char buf[8];
    EXPECT_EQ(sock.recv(buf, sizeof buf), NSAPI_ERROR_NO_CONNECTION);
}

TEST_F(TcpFake, RecvfromCopiesThePeer) {
    ASSERT_EQ(sock.connect(peer), NSAPI_ERROR_OK);
    stack.script(Hook::kRecv, {data("zz")});
    SocketAddress from;
    char buf[4];
    EXPECT_EQ(sock.recvfrom(&from, buf, sizeof buf), 2);
    EXPECT_EQ(from, peer);
}

TEST_F(TcpFake, MulticastIsUnsupported) {
    EXPECT_EQ(sock.join_multicast_group(SocketAddress("ff02::1")), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(stack.count(Hook::kSetsockopt), 0u);
}

// ----- listen / accept -----

TEST_F(TcpFake, ListenPassesBacklog) {
    stack.script_results(Hook::kListen, {NSAPI_ERROR_OK, NSAPI_ERROR_PARAMETER});
    EXPECT_EQ(sock.listen(), NSAPI_ERROR_OK);
    EXPECT_EQ(sock.listen(5), NSAPI_ERROR_PARAMETER);
    auto listens = stack.calls(Hook::kListen);
    ASSERT_EQ(listens.size(), 2u);
    EXPECT_EQ(listens[0].level, 1);
    EXPECT_EQ(listens[1].level, 5);
}

TEST_F(TcpFake, AcceptReturnsSelfDeletingSocket) {
    Step accepted;
    accepted.address = SocketAddress("192.0.2.77", 5555);
    stack.script(Hook::kAccept, {accepted});
    nsapi_socket_t child_handle = stack.next_handle();
    nsapi_error_t err = NSAPI_ERROR_DEVICE_ERROR;
    TCPSocket *child = sock.accept(&err);
    ASSERT_NE(child, nullptr);
    EXPECT_EQ(err, NSAPI_ERROR_OK);
    EXPECT_TRUE(stack.attached(child_handle));
    SocketAddress got;
    EXPECT_EQ(child->getpeername(&got), NSAPI_ERROR_OK);
    EXPECT_EQ(got, SocketAddress("192.0.2.77", 5555));
    EXPECT_EQ(child->send("hi", 2), 2);
    EXPECT_EQ(stack.calls(Hook::kSend).back().handle, child_handle);
    EXPECT_EQ(child->close(), NSAPI_ERROR_OK);  // deletes it; ASan reports a leak otherwise
    EXPECT_EQ(stack.calls(Hook::kClose).back().handle, child_handle);
    EXPECT_FALSE(stack.attached(child_handle));
}

TEST_F(TcpFake, AcceptedSocketStartsBlockingAndWaits) {
    stack.script(Hook::kAccept, {Step{}});
    nsapi_socket_t child_handle = stack.next_handle();
    TCPSocket *child = sock.accept();
    ASSERT_NE(child, nullptr);
    stack.script(Hook::kRecv, {result(NSAPI_ERROR_WOULD_BLOCK), data("x")});
    std::thread raiser([&] {
        ASSERT_TRUE(stack.wait_for_calls(Hook::kRecv, 1));
        stack.raise_event(child_handle);
    });
    char c;
    EXPECT_EQ(child->recv(&c, 1), 1);
    raiser.join();
    child->close();
}

TEST_F(TcpFake, ClosingAcceptedSocketWithBlockedReaderDeletesItSafely) {
    stack.script(Hook::kAccept, {Step{}});
    TCPSocket *child = sock.accept();
    ASSERT_NE(child, nullptr);
    nsapi_size_or_error_t result = 1;
    std::thread reader([&] {
        char buf[4];
        result = child->recv(buf, sizeof buf);
    });
    ASSERT_TRUE(stack.wait_for_calls(Hook::kRecv, 1));
    EXPECT_EQ(child->close(), NSAPI_ERROR_OK);  // waits for the reader, then deletes itself
    reader.join();
    EXPECT_EQ(result, NSAPI_ERROR_NO_SOCKET);
}

TEST_F(TcpFake, AcceptNonBlockingIsWouldBlock) {
    sock.set_blocking(false);
    nsapi_error_t err = NSAPI_ERROR_OK;
    EXPECT_EQ(sock.accept(&err), nullptr);
    EXPECT_EQ(err, NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(stack.count(Hook::kAccept), 1u);
}

TEST_F(TcpFake, AcceptTimeoutIsWouldBlock) {
    sock.set_timeout(20);
    nsapi_error_t err = NSAPI_ERROR_OK;
    EXPECT_EQ(sock.accept(&err), nullptr);
    EXPECT_EQ(err, NSAPI_ERROR_WOULD_BLOCK);
}

TEST_F(TcpFake, AcceptWaitsForReadable) {
    stack.script(Hook::kAccept, {result(NSAPI_ERROR_WOULD_BLOCK, true), Step{}});
    TCPSocket *child = sock.accept();
    ASSERT_NE(child, nullptr);
    EXPECT_EQ(stack.count(Hook::kAccept), 2u);
    child->close();
}

TEST_F(TcpFake, AcceptErrorPassesThrough) {
    stack.script_results(Hook::kAccept, {NSAPI_ERROR_PARAMETER});
    nsapi_error_t err = NSAPI_ERROR_OK;
    EXPECT_EQ(sock.accept(&err), nullptr);
    EXPECT_EQ(err, NSAPI_ERROR_PARAMETER);
}

TEST_F(TcpFake, ManyAcceptedSocketsCloseFromOtherThreads) {
    constexpr int kCount = 8;
    std::vector<TCPSocket *> children;
    for (int i = 0; i < kCount; ++i) {
        stack.script(Hook::kAccept, {Step{}});
        TCPSocket *c = sock.accept();
        ASSERT_NE(c, nullptr);
        children.push_back(c);
    }
    std::vector<std::thread> closers;
    for (TCPSocket *c : children) {
        closers.emplace_back([c] { EXPECT_EQ(c->close(), NSAPI_ERROR_OK); });
    }
    for (auto &t : closers) {
        t.join();
    }
    EXPECT_EQ(stack.count(Hook::kClose), static_cast<size_t>(kCount));
}

// ----- TCPServer (5.10-5.15) -----

TEST(TcpServerFake, AcceptReinitialisesThePassedSocket) {
    FakeStack stack;
    TCPServer server;
    ASSERT_EQ(server.open(&stack), NSAPI_ERROR_OK);
    EXPECT_EQ(server.bind(80), NSAPI_ERROR_OK);
    EXPECT_EQ(server.listen(5), NSAPI_ERROR_OK);

    TCPSocket client;
    ASSERT_EQ(client.open(&stack), NSAPI_ERROR_OK);
    nsapi_socket_t old_handle = stack.calls(Hook::kAttach).back().handle;
    Step accepted;
    accepted.address = SocketAddress("192.0.2.9", 4000);
    stack.script(Hook::kAccept, {accepted});
    nsapi_socket_t new_handle = stack.next_handle();
    SocketAddress from;
    EXPECT_EQ(server.accept(&client, &from), NSAPI_ERROR_OK);
    EXPECT_EQ(from, SocketAddress("192.0.2.9", 4000));
    // The old handle was closed, the new one adopted.
    auto closes = stack.calls(Hook::kClose);
    ASSERT_EQ(closes.size(), 1u);
    EXPECT_EQ(closes[0].handle, old_handle);
    EXPECT_TRUE(stack.attached(new_handle));
    EXPECT_EQ(client.send("ok", 2), 2);
    EXPECT_EQ(stack.calls(Hook::kSend).back().handle, new_handle);
    SocketAddress peer;
    EXPECT_EQ(client.getpeername(&peer), NSAPI_ERROR_OK);
    EXPECT_EQ(peer, from);
    EXPECT_EQ(client.close(), NSAPI_ERROR_OK);
    EXPECT_EQ(stack.calls(Hook::kClose).back().handle, new_handle);
}

TEST(TcpServerFake, AcceptIntoNeverOpenedSocketAndNullAddress) {
    FakeStack stack;
    TCPServer server;
    ASSERT_EQ(server.open(&stack), NSAPI_ERROR_OK);
    stack.script(Hook::kAccept, {result(NSAPI_ERROR_WOULD_BLOCK, true), Step{}});
    TCPSocket client;
    EXPECT_EQ(server.accept(&client), NSAPI_ERROR_OK);
    EXPECT_EQ(client.send("x", 1), 1);
    EXPECT_EQ(stack.count(Hook::kClose), 0u);
}

TEST(TcpServerFake, RulesAndTimeouts) {
    FakeStack stack;
    TCPServer server;
    TCPSocket client;
    EXPECT_EQ(server.accept(&client), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(server.listen(), NSAPI_ERROR_NO_SOCKET);
    ASSERT_EQ(server.open(&stack), NSAPI_ERROR_OK);
    server.set_blocking(false);
    EXPECT_EQ(server.accept(&client), NSAPI_ERROR_WOULD_BLOCK);
    server.set_timeout(20);
    EXPECT_EQ(server.accept(&client), NSAPI_ERROR_WOULD_BLOCK);
    // The 6.x accept stays visible on a TCPServer.
    nsapi_error_t err = NSAPI_ERROR_OK;
    EXPECT_EQ(server.accept(&err), nullptr);
    EXPECT_EQ(err, NSAPI_ERROR_WOULD_BLOCK);
}

TEST(TcpServerFake, StackTakingConstructorOpens) {
    FakeStack stack;
    TCPServer server(&stack);
    EXPECT_EQ(stack.count(Hook::kOpen), 1u);
    EXPECT_EQ(server.close(), NSAPI_ERROR_OK);
}

}  // namespace
}  // namespace meshwork::test
