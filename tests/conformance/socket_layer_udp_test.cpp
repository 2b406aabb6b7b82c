// UDPSocket / ICMPSocket against a scripted fake stack: the datagram algorithms of mbed-api.md
// 1.6 and the datagram rows of the table in 1.18.
#include <gtest/gtest.h>

#include <thread>

#include "netsocket/ICMPSocket.h"
#include "netsocket/UDPSocket.h"
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

Step datagram(const std::string &payload, const SocketAddress &from) {
    Step s;
    s.result = kAll;
    s.payload = payload;
    s.address = from;
    return s;
}

class UdpFake : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_EQ(sock.open(&stack), NSAPI_ERROR_OK); }

    FakeStack stack;
    UDPSocket sock;
    const SocketAddress peer{"192.0.2.1", 5000};
    const SocketAddress other{"192.0.2.2", 5000};
};

TEST_F(UdpFake, SendWithoutConnectIsNoAddress) {
    EXPECT_EQ(sock.send("abc", 3), NSAPI_ERROR_NO_ADDRESS);
    EXPECT_EQ(stack.count(Hook::kSendto), 0u);
}

TEST_F(UdpFake, ConnectStoresPeerAndSendGoesThere) {
    EXPECT_EQ(sock.connect(peer), NSAPI_ERROR_OK);
    EXPECT_EQ(stack.count(Hook::kConnect), 0u);  // nothing reaches the stack
    EXPECT_EQ(sock.send("abc", 3), 3);
    auto sends = stack.calls(Hook::kSendto);
    ASSERT_EQ(sends.size(), 1u);
    EXPECT_EQ(sends[0].address, peer);
    EXPECT_EQ(sends[0].data, "abc");
}

TEST_F(UdpFake, SendtoReturnsFullSize) {
    EXPECT_EQ(sock.sendto(other, "hello", 5), 5);
    EXPECT_EQ(stack.calls(Hook::kSendto)[0].address, other);
}

TEST_F(UdpFake, BlockingSendtoWaitsForWritable) {
    stack.script(Hook::kSendto, {result(NSAPI_ERROR_WOULD_BLOCK, true), result(kAll)});
    EXPECT_EQ(sock.sendto(peer, "abcd", 4), 4);
    EXPECT_EQ(stack.count(Hook::kSendto), 2u);
}

TEST_F(UdpFake, SendtoTimeoutIsWouldBlock) {
    sock.set_timeout(20);
    stack.set_default(Hook::kSendto, NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(sock.sendto(peer, "abcd", 4), NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(stack.count(Hook::kSendto), 1u);
}

TEST_F(UdpFake, NonBlockingSendtoMakesOneAttempt) {
    sock.set_blocking(false);
    stack.set_default(Hook::kSendto, NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(sock.sendto(peer, "abcd", 4), NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(stack.count(Hook::kSendto), 1u);
}

TEST_F(UdpFake, SendtoErrorsPassThrough) {
    stack.script_results(Hook::kSendto, {NSAPI_ERROR_PARAMETER});
    EXPECT_EQ(sock.sendto(SocketAddress(), "x", 1), NSAPI_ERROR_PARAMETER);
}

TEST_F(UdpFake, RecvfromAcceptsAnySourceWithoutPeer) {
    stack.script(Hook::kRecvfrom, {datagram("one", other)});
    SocketAddress from;
    char buf[8];
    EXPECT_EQ(sock.recvfrom(&from, buf, sizeof buf), 3);
    EXPECT_EQ(from, other);
}

TEST_F(UdpFake, ConnectedSocketDropsOtherSourcesAndReReads) {
    ASSERT_EQ(sock.connect(peer), NSAPI_ERROR_OK);
    stack.script(Hook::kRecvfrom,
                 {datagram("bad", other), datagram("bad2", other), datagram("good", peer)});
    SocketAddress from;
    char buf[8] = {};
    EXPECT_EQ(sock.recvfrom(&from, buf, sizeof buf), 4);
    EXPECT_EQ(std::string(buf, 4), "good");
    EXPECT_EQ(from, peer);
    EXPECT_EQ(stack.count(Hook::kRecvfrom), 3u);
}

TEST_F(UdpFake, FilteringAlsoAppliesWhenNonBlocking) {
    sock.set_blocking(false);
    ASSERT_EQ(sock.connect(peer), NSAPI_ERROR_OK);
    stack.script(Hook::kRecvfrom, {datagram("bad", other)});
    char buf[8];
    EXPECT_EQ(sock.recv(buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(stack.count(Hook::kRecvfrom), 2u);
}

TEST_F(UdpFake, SamePeerAddressOtherPortIsFiltered) {
    ASSERT_EQ(sock.connect(peer), NSAPI_ERROR_OK);
    SocketAddress other_port("192.0.2.1", 5001);
    stack.script(Hook::kRecvfrom, {datagram("bad", other_port), datagram("ok", peer)});
    char buf[8];
    EXPECT_EQ(sock.recv(buf, sizeof buf), 2);
}

TEST_F(UdpFake, ResetPeerStopsFiltering) {
    ASSERT_EQ(sock.connect(peer), NSAPI_ERROR_OK);
    ASSERT_EQ(sock.connect(SocketAddress()), NSAPI_ERROR_OK);
    stack.script(Hook::kRecvfrom, {datagram("any", other)});
    char buf[8];
    EXPECT_EQ(sock.recv(buf, sizeof buf), 3);
    EXPECT_EQ(sock.send("x", 1), NSAPI_ERROR_NO_ADDRESS);
}

TEST_F(UdpFake, BlockingRecvfromWaitsForReadable) {
    Step wb = result(NSAPI_ERROR_WOULD_BLOCK, true);
    stack.script(Hook::kRecvfrom, {wb, datagram("late", peer)});
    SocketAddress from;
    char buf[8];
    EXPECT_EQ(sock.recvfrom(&from, buf, sizeof buf), 4);
    EXPECT_EQ(from, peer);
}

TEST_F(UdpFake, BlockingRecvWakesOnEventFromAnotherThread) {
    stack.script(Hook::kRecvfrom, {result(NSAPI_ERROR_WOULD_BLOCK), datagram("abc", peer)});
    std::thread raiser([&] {
        ASSERT_TRUE(stack.wait_for_calls(Hook::kRecvfrom, 1));
        stack.raise_event();
    });
    char buf[8];
    EXPECT_EQ(sock.recv(buf, sizeof buf), 3);
    raiser.join();
}

TEST_F(UdpFake, RecvTimeoutIsWouldBlock) {
    sock.set_timeout(20);
    char buf[8];
    EXPECT_EQ(sock.recv(buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);
}

TEST_F(UdpFake, RecvNullZeroDiscardsOneDatagram) {
    stack.script(Hook::kRecvfrom, {datagram("dropme", peer)});
    EXPECT_EQ(sock.recv(nullptr, 0), 0);
    auto reads = stack.calls(Hook::kRecvfrom);
    ASSERT_EQ(reads.size(), 1u);
    EXPECT_EQ(reads[0].size, 0u);
}

TEST_F(UdpFake, AcceptAndListenAreUnsupported) {
    nsapi_error_t err = NSAPI_ERROR_OK;
    EXPECT_EQ(sock.accept(&err), nullptr);
    EXPECT_EQ(err, NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(sock.accept(), nullptr);
    EXPECT_EQ(sock.listen(), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(stack.count(Hook::kAccept), 0u);
    EXPECT_EQ(stack.count(Hook::kListen), 0u);
}

TEST_F(UdpFake, ControlDataGoesThroughDefaultStackDelegation) {
    nsapi_msghdr_t hdr = {};
    char buf[4];
    // FakeStack keeps NetworkStack's default *_control: UNSUPPORTED with control data.
    EXPECT_EQ(sock.sendto_control(peer, "a", 1, &hdr, sizeof hdr), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(sock.recvfrom_control(nullptr, buf, 4, &hdr, sizeof hdr), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(sock.sendto_control(peer, "a", 1, nullptr, 0), 1);
    EXPECT_EQ(stack.count(Hook::kSendto), 1u);
}

TEST_F(UdpFake, HostSendtoResolvesLiteral) {
    EXPECT_EQ(sock.sendto("192.0.2.55", 53, "q", 1), 1);
    EXPECT_EQ(stack.calls(Hook::kSendto)[0].address, SocketAddress("192.0.2.55", 53));
}

TEST_F(UdpFake, HostSendtoDnsErrorIsDnsFailure) {
    stack.script_dns(true);
    stack.script_results(Hook::kGethostbyname, {NSAPI_ERROR_TIMEOUT});
    EXPECT_EQ(sock.sendto("nowhere.invalid", 53, "q", 1), NSAPI_ERROR_DNS_FAILURE);
    EXPECT_EQ(stack.count(Hook::kSendto), 0u);
}

TEST(UdpUnopened, HostSendtoIsNoSocket) {
    UDPSocket s;
    EXPECT_EQ(s.sendto("192.0.2.1", 7, "x", 1), NSAPI_ERROR_NO_SOCKET);
}

TEST(IcmpFake, DatagramApiOnIcmpProtocol) {
    FakeStack stack;
    ICMPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    EXPECT_EQ(stack.calls(Hook::kOpen)[0].level, NSAPI_ICMP);
    EXPECT_EQ(s.sendto(SocketAddress("2001:db8::1"), "\x80\x00", 2), 2);
    EXPECT_EQ(s.send("x", 1), NSAPI_ERROR_NO_ADDRESS);
    EXPECT_EQ(s.listen(), NSAPI_ERROR_UNSUPPORTED);
}

}  // namespace
}  // namespace meshwork::test
