// The generic socket layer against a scripted fake stack: open/close, options, sigio gating,
// getpeername, name resolution defaults and the legacy C stack wrapper (mbed-api.md 1.3, 1.4,
// 1.10, 1.18).
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <thread>

#include "netsocket/ICMPSocket.h"
#include "netsocket/NetworkInterface.h"
#include "netsocket/TCPSocket.h"
#include "netsocket/UDPSocket.h"
#include "meshwork/Executor.h"
#include "support/FakeStack.h"
#include "support/TestHelpers.h"

namespace meshwork::test {
namespace {

TEST(SocketOpen, OpenTwiceIsParameter) {
    FakeStack stack;
    TCPSocket s;
    EXPECT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    EXPECT_EQ(s.open(&stack), NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(stack.count(Hook::kOpen), 1u);
}

TEST(SocketOpen, OpenNullIsParameter) {
    UDPSocket s;
    EXPECT_EQ(s.open(static_cast<NetworkStack *>(nullptr)), NSAPI_ERROR_PARAMETER);
}

TEST(SocketOpen, StackErrorIsReturnedAndSocketStaysClosed) {
    FakeStack stack;
    stack.script_results(Hook::kOpen, {NSAPI_ERROR_NO_SOCKET});
    UDPSocket s;
    EXPECT_EQ(s.open(&stack), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(s.close(), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(s.open(&stack), NSAPI_ERROR_OK);  // a later open works
}

TEST(SocketOpen, OpenPassesProtocolAndAttaches) {
    FakeStack stack;
    TCPSocket t;
    UDPSocket u;
    ICMPSocket i;
    ASSERT_EQ(t.open(&stack), NSAPI_ERROR_OK);
    ASSERT_EQ(u.open(&stack), NSAPI_ERROR_OK);
    ASSERT_EQ(i.open(&stack), NSAPI_ERROR_OK);
    auto opens = stack.calls(Hook::kOpen);
    ASSERT_EQ(opens.size(), 3u);
    EXPECT_EQ(opens[0].level, NSAPI_TCP);
    EXPECT_EQ(opens[1].level, NSAPI_UDP);
    EXPECT_EQ(opens[2].level, NSAPI_ICMP);
    auto attaches = stack.calls(Hook::kAttach);
    ASSERT_EQ(attaches.size(), 3u);
    for (const Call &c : attaches) {
        EXPECT_TRUE(c.callback_set);
        EXPECT_TRUE(stack.attached(c.handle));
    }
}

TEST(SocketOpen, ReopenAfterClose) {
    FakeStack stack;
    UDPSocket s;
    for (int i = 0; i < 5; ++i) {
        ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
        ASSERT_EQ(s.close(), NSAPI_ERROR_OK);
    }
    EXPECT_EQ(stack.count(Hook::kOpen), 5u);
    EXPECT_EQ(stack.count(Hook::kClose), 5u);
}

TEST(SocketOpen, StackTakingConstructorOpens) {
    FakeStack stack;
    TCPSocket t(&stack);
    UDPSocket u(&stack);
    EXPECT_EQ(stack.count(Hook::kOpen), 2u);
    EXPECT_EQ(t.open(&stack), NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(u.close(), NSAPI_ERROR_OK);
}

// Applications open sockets on an interface: open(NetworkInterface *) uses its get_stack().
class FakeInterface : public NetworkInterface {
  public:
    nsapi_error_t connect() override { return NSAPI_ERROR_OK; }
    nsapi_error_t disconnect() override { return NSAPI_ERROR_OK; }
    FakeStack stack;

  protected:
    NetworkStack *get_stack() override { return &stack; }
};

TEST(SocketOpen, OpenOnAnInterfaceUsesItsStack) {
    FakeInterface net;
    TCPSocket t;
    UDPSocket u;
    EXPECT_EQ(t.open(&net), NSAPI_ERROR_OK);
    EXPECT_EQ(u.open(&net), NSAPI_ERROR_OK);
    NetworkInterface *base = &net;
    TCPSocket t2(base);  // 5.x stack-taking constructor, through the base class
    EXPECT_EQ(net.stack.count(Hook::kOpen), 3u);
    EXPECT_EQ(t2.close(), NSAPI_ERROR_OK);
}

TEST(SocketClose, NeverOpenedIsNoSocket) {
    TCPSocket t;
    UDPSocket u;
    EXPECT_EQ(t.close(), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(u.close(), NSAPI_ERROR_NO_SOCKET);
}

TEST(SocketClose, DetachesThenClosesAndReturnsStackResult) {
    FakeStack stack;
    stack.script_results(Hook::kClose, {NSAPI_ERROR_DEVICE_ERROR});
    TCPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    nsapi_socket_t h = stack.calls(Hook::kAttach)[0].handle;
    EXPECT_EQ(s.close(), NSAPI_ERROR_DEVICE_ERROR);
    auto all = stack.calls();
    ASSERT_GE(all.size(), 4u);
    // open, attach, detach, close: the detach comes before the close.
    EXPECT_EQ(all[2].hook, Hook::kAttach);
    EXPECT_FALSE(all[2].callback_set);
    EXPECT_EQ(all[3].hook, Hook::kClose);
    EXPECT_EQ(all[3].handle, h);
    EXPECT_FALSE(stack.attached(h));
    EXPECT_EQ(s.close(), NSAPI_ERROR_NO_SOCKET);
}

TEST(SocketClose, DestructorCloses) {
    FakeStack stack;
    {
        UDPSocket s;
        ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    }
    EXPECT_EQ(stack.count(Hook::kClose), 1u);
}

TEST(SocketUnopened, EveryOperationIsNoSocket) {
    TCPSocket t;
    UDPSocket u;
    char buf[4] = {};
    int v = 1;
    unsigned len = sizeof v;
    SocketAddress peer("192.0.2.1", 80);
    EXPECT_EQ(t.bind(80), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(t.bind(peer), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(t.connect(peer), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(t.send(buf, sizeof buf), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(t.recv(buf, sizeof buf), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(t.sendto(peer, buf, sizeof buf), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(t.recvfrom(nullptr, buf, sizeof buf), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(t.listen(), NSAPI_ERROR_NO_SOCKET);
    nsapi_error_t err = NSAPI_ERROR_OK;
    EXPECT_EQ(t.accept(&err), nullptr);
    EXPECT_EQ(err, NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(t.setsockopt(NSAPI_SOCKET, NSAPI_REUSEADDR, &v, sizeof v), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(t.getsockopt(NSAPI_SOCKET, NSAPI_REUSEADDR, &v, &len), NSAPI_ERROR_NO_SOCKET);

    EXPECT_EQ(u.bind(80), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(u.sendto(peer, buf, sizeof buf), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(u.recvfrom(nullptr, buf, sizeof buf), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(u.recv(buf, sizeof buf), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(u.setsockopt(NSAPI_SOCKET, NSAPI_REUSEADDR, &v, sizeof v), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(u.getsockopt(NSAPI_SOCKET, NSAPI_REUSEADDR, &v, &len), NSAPI_ERROR_NO_SOCKET);
    // UDP connect only stores the peer: OK even when not open; then send is NO_SOCKET.
    EXPECT_EQ(u.connect(peer), NSAPI_ERROR_OK);
    EXPECT_EQ(u.send(buf, sizeof buf), NSAPI_ERROR_NO_SOCKET);
}

TEST(SocketBind, PortOnlyAndAddressFormsReachTheStack) {
    FakeStack stack;
    stack.script_results(Hook::kBind, {NSAPI_ERROR_OK, NSAPI_ERROR_PARAMETER, NSAPI_ERROR_OK});
    UDPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    EXPECT_EQ(s.bind(1234), NSAPI_ERROR_OK);
    EXPECT_EQ(s.bind(SocketAddress("192.0.2.5", 99)), NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(s.bind("2001:db8::1", 7), NSAPI_ERROR_OK);
    auto binds = stack.calls(Hook::kBind);
    ASSERT_EQ(binds.size(), 3u);
    EXPECT_EQ(binds[0].address.get_ip_version(), NSAPI_UNSPEC);
    EXPECT_EQ(binds[0].address.get_port(), 1234);
    EXPECT_EQ(binds[1].address, SocketAddress("192.0.2.5", 99));
    EXPECT_EQ(binds[2].address, SocketAddress("2001:db8::1", 7));
}

TEST(SocketOptions, UnknownOptionIsUnsupportedFromTheStack) {
    FakeStack stack;
    TCPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    int v = 1;
    unsigned len = sizeof v;
    EXPECT_EQ(s.setsockopt(NSAPI_SOCKET, 999, &v, sizeof v), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(s.getsockopt(NSAPI_SOCKET, 999, &v, &len), NSAPI_ERROR_UNSUPPORTED);
    auto sets = stack.calls(Hook::kSetsockopt);
    ASSERT_EQ(sets.size(), 1u);
    EXPECT_EQ(sets[0].level, NSAPI_SOCKET);
    EXPECT_EQ(sets[0].optname, 999);
}

TEST(SocketOptions, BindToDeviceIsRememberedForNameResolution) {
    FakeStack stack;
    stack.script_dns(true);
    Step answer;
    answer.address = SocketAddress("192.0.2.80");
    stack.script(Hook::kGethostbyname, {answer});
    TCPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    EXPECT_EQ(s.setsockopt(NSAPI_SOCKET, NSAPI_BIND_TO_DEVICE, "eth1", 4), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(s.connect("example.org", 80), NSAPI_ERROR_OK);
    auto lookups = stack.calls(Hook::kGethostbyname);
    ASSERT_EQ(lookups.size(), 1u);
    EXPECT_EQ(lookups[0].data, "example.org");
    EXPECT_EQ(lookups[0].interface_name, "eth1");
    auto connects = stack.calls(Hook::kConnect);
    ASSERT_EQ(connects.size(), 1u);
    EXPECT_EQ(connects[0].address, SocketAddress("192.0.2.80", 80));
}

TEST(SocketOptions, BindToDeviceNameTooLongIsParameter) {
    FakeStack stack;
    UDPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    EXPECT_EQ(s.setsockopt(NSAPI_SOCKET, NSAPI_BIND_TO_DEVICE, "toolong0", 8),
              NSAPI_ERROR_PARAMETER);
}

TEST(SocketOptions, MulticastJoinAndLeaveUseMembershipOptions) {
    FakeStack stack;
    stack.set_default(Hook::kSetsockopt, NSAPI_ERROR_OK);
    UDPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    SocketAddress group("ff02::1");
    EXPECT_EQ(s.join_multicast_group(group), NSAPI_ERROR_OK);
    EXPECT_EQ(s.leave_multicast_group(group), NSAPI_ERROR_OK);
    auto sets = stack.calls(Hook::kSetsockopt);
    ASSERT_EQ(sets.size(), 2u);
    EXPECT_EQ(sets[0].optname, NSAPI_ADD_MEMBERSHIP);
    EXPECT_EQ(sets[1].optname, NSAPI_DROP_MEMBERSHIP);
    ASSERT_EQ(sets[0].data.size(), sizeof(nsapi_ip_mreq_t));
    nsapi_ip_mreq_t mreq;
    std::memcpy(&mreq, sets[0].data.data(), sizeof mreq);
    EXPECT_EQ(SocketAddress(mreq.imr_multiaddr), group);
    EXPECT_EQ(mreq.imr_interface.version, NSAPI_UNSPEC);
}

TEST(SocketOptions, RttEstimateDoublesLatency) {
    FakeStack stack;
    UDPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    EXPECT_EQ(s.get_rtt_estimate_to_address(SocketAddress("2001:db8::2"), nullptr),
              NSAPI_ERROR_PARAMETER);
    nsapi_latency_req_t reply = {};
    reply.latency = 21;
    Step step;
    step.payload.assign(reinterpret_cast<const char *>(&reply), sizeof reply);
    stack.script(Hook::kGetsockopt, {step});
    uint32_t rtt = 0;
    EXPECT_EQ(s.get_rtt_estimate_to_address(SocketAddress("2001:db8::2"), &rtt), NSAPI_ERROR_OK);
    EXPECT_EQ(rtt, 42u);
    auto gets = stack.calls(Hook::kGetsockopt);
    ASSERT_EQ(gets.size(), 1u);
    EXPECT_EQ(gets[0].optname, NSAPI_LATENCY);
    nsapi_latency_req_t sent;
    std::memcpy(&sent, gets[0].data.data(), sizeof sent);
    EXPECT_EQ(SocketAddress(sent.addr, NSAPI_IPv6), SocketAddress("2001:db8::2"));
}

TEST(SocketOptions, StaggerEstimate) {
    FakeStack stack;
    UDPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    uint16_t mn = 0, mx = 0, rnd = 0;
    EXPECT_EQ(
        s.get_stagger_estimate_to_address(SocketAddress("2001:db8::2"), 5, nullptr, &mx, &rnd),
        NSAPI_ERROR_PARAMETER);
    nsapi_stagger_req_t reply = {};
    reply.stagger_min = 1;
    reply.stagger_max = 9;
    reply.stagger_rand = 4;
    Step step;
    step.payload.assign(reinterpret_cast<const char *>(&reply), sizeof reply);
    stack.script(Hook::kGetsockopt, {step});
    EXPECT_EQ(s.get_stagger_estimate_to_address(SocketAddress("2001:db8::2"), 5, &mn, &mx, &rnd),
              NSAPI_ERROR_OK);
    EXPECT_EQ(mn, 1);
    EXPECT_EQ(mx, 9);
    EXPECT_EQ(rnd, 4);
    nsapi_stagger_req_t sent;
    std::memcpy(&sent, stack.calls(Hook::kGetsockopt)[0].data.data(), sizeof sent);
    EXPECT_EQ(sent.data_amount, 5);
}

TEST(SocketPeer, GetpeernameRules) {
    FakeStack stack;
    TCPSocket s;
    SocketAddress out;
    EXPECT_EQ(s.getpeername(&out), NSAPI_ERROR_NO_SOCKET);
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    EXPECT_EQ(s.getpeername(&out), NSAPI_ERROR_NO_CONNECTION);
    SocketAddress peer("192.0.2.1", 443);
    ASSERT_EQ(s.connect(peer), NSAPI_ERROR_OK);
    EXPECT_EQ(s.getpeername(&out), NSAPI_ERROR_OK);
    EXPECT_EQ(out, peer);
    ASSERT_EQ(s.close(), NSAPI_ERROR_OK);
    EXPECT_EQ(s.getpeername(&out), NSAPI_ERROR_NO_SOCKET);
}

TEST(SocketPeer, DatagramPeerSetAndReset) {
    FakeStack stack;
    UDPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    SocketAddress out;
    EXPECT_EQ(s.getpeername(&out), NSAPI_ERROR_NO_CONNECTION);
    ASSERT_EQ(s.connect(SocketAddress("192.0.2.1", 53)), NSAPI_ERROR_OK);
    EXPECT_EQ(s.getpeername(&out), NSAPI_ERROR_OK);
    EXPECT_EQ(out, SocketAddress("192.0.2.1", 53));
    ASSERT_EQ(s.connect(SocketAddress()), NSAPI_ERROR_OK);
    EXPECT_EQ(s.getpeername(&out), NSAPI_ERROR_NO_CONNECTION);
}

// sigio: a stack event calls the callback only if none is pending since the last I/O attempt.
TEST(SocketSigio, AtMostOnePerIoAttempt) {
    FakeStack stack;
    SigioCounter sigio;
    UDPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    s.sigio(sigio.callback());
    s.set_blocking(false);
    stack.raise_event();
    stack.raise_event();
    stack.raise_event();
    EXPECT_EQ(sigio.value(), 1);
    char buf[8];
    EXPECT_EQ(s.recv(buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);  // an attempt re-arms sigio
    EXPECT_EQ(sigio.value(), 1);
    stack.raise_event();
    stack.raise_event();
    EXPECT_EQ(sigio.value(), 2);
    EXPECT_EQ(s.sendto(SocketAddress("192.0.2.1", 9), buf, 1), 1);
    stack.raise_event();
    EXPECT_EQ(sigio.value(), 3);
}

TEST(SocketSigio, ExactlyOneOnCloseEvenWhenPending) {
    FakeStack stack;
    SigioCounter sigio;
    TCPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    s.sigio(sigio.callback());
    stack.raise_event();  // pending now
    ASSERT_EQ(sigio.value(), 1);
    ASSERT_EQ(s.close(), NSAPI_ERROR_OK);
    EXPECT_EQ(sigio.value(), 2);
    stack.raise_event();  // detached: nothing more
    EXPECT_EQ(sigio.value(), 2);
}

TEST(SocketSigio, EventDuringAnAttemptFiresOnce) {
    FakeStack stack;
    SigioCounter sigio;
    TCPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    s.sigio(sigio.callback());
    s.set_blocking(false);
    Step step;
    step.result = NSAPI_ERROR_WOULD_BLOCK;
    step.raise_event = true;
    stack.script(Hook::kRecv, {step});
    char buf[4];
    EXPECT_EQ(s.recv(buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(sigio.value(), 1);
}

TEST(SocketSigio, DeprecatedAttachFormsRegisterTheCallback) {
    FakeStack stack;
    SigioCounter a, b;
    UDPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    s.attach(a.callback());
    stack.raise_event();
    EXPECT_EQ(a.value(), 1);
    s.attach(&b, &SigioCounter::bump);
    char buf[1];
    s.set_blocking(false);
    (void)s.recv(buf, 1);
    stack.raise_event();
    EXPECT_EQ(b.value(), 1);
    EXPECT_EQ(a.value(), 1);
}

// close() wakes a reader blocked in another thread, which then sees NO_SOCKET.
TEST(SocketClose, WakesReaderBlockedInAnotherThread) {
    FakeStack stack;
    SigioCounter sigio;
    auto *s = new TCPSocket;
    ASSERT_EQ(s->open(&stack), NSAPI_ERROR_OK);
    s->sigio(sigio.callback());
    nsapi_size_or_error_t result = 1;
    std::thread reader([&] {
        char buf[16];
        result = s->recv(buf, sizeof buf);
    });
    ASSERT_TRUE(stack.wait_for_calls(Hook::kRecv, 1));
    EXPECT_EQ(s->close(), NSAPI_ERROR_OK);  // returns only once the reader has left
    reader.join();
    EXPECT_EQ(result, NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(sigio.value(), 1);
    delete s;
}

TEST(SocketClose, WakesReaderAndWriterTogether) {
    FakeStack stack;
    stack.set_default(Hook::kSend, NSAPI_ERROR_WOULD_BLOCK);
    TCPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    nsapi_size_or_error_t r = 1, w = 1;
    std::thread reader([&] {
        char buf[16];
        r = s.recv(buf, sizeof buf);
    });
    std::thread writer([&] { w = s.send("abc", 3); });
    ASSERT_TRUE(stack.wait_for_calls(Hook::kRecv, 1));
    ASSERT_TRUE(stack.wait_for_calls(Hook::kSend, 1));
    EXPECT_EQ(s.close(), NSAPI_ERROR_OK);
    reader.join();
    writer.join();
    EXPECT_EQ(r, NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(w, NSAPI_ERROR_NO_SOCKET);
}

// Waits go through the calling task's executor: under one whose clock jumps to each deadline,
// an hour-long receive timeout expires at once, exactly one hour later in virtual time.
struct JumpClock : public Clock {
    Instant now() const override { return Instant(Duration(us.load())); }
    std::atomic<int64_t> us{1000};
};

struct JumpClockHolder {
    JumpClock jump_clock_;
};

class JumpingRuntime : private JumpClockHolder, public HostExecutor {
  public:
    JumpingRuntime() : HostExecutor(jump_clock_) {}
    bool block(Task &self, WaitGuard &guard, Instant deadline) override {
        if (deadline == kNever) {
            return HostExecutor::block(self, guard, deadline);
        }
        if (deadline > now()) {
            jump_clock_.us = deadline.time_since_epoch().count();
        }
        return false;
    }
    void sleep_until(Instant deadline) override {
        jump_clock_.us = deadline.time_since_epoch().count();
    }
};

TEST(SocketRuntime, TimeoutsElapseInTheInjectedRuntime) {
    JumpingRuntime runtime;
    ExecutorScope scope(runtime);
    FakeStack stack;
    TCPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    s.set_timeout(3600 * 1000);
    Instant start = runtime.now();
    char buf[4];
    EXPECT_EQ(s.recv(buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(runtime.now() - start, std::chrono::hours(1));
    stack.set_default(Hook::kSend, NSAPI_ERROR_WOULD_BLOCK);
    stack.script_results(Hook::kSend, {2});
    EXPECT_EQ(s.send("abcd", 4), 2);  // partial count after the (virtual) wait expired
    EXPECT_EQ(runtime.now() - start, std::chrono::hours(2));
}

// A call blocked on one socket never holds up another socket used from another thread.
TEST(SocketThreads, BlockedSocketDoesNotStallAnother) {
    FakeStack stack;
    TCPSocket blocked, busy;
    ASSERT_EQ(blocked.open(&stack), NSAPI_ERROR_OK);
    ASSERT_EQ(busy.open(&stack), NSAPI_ERROR_OK);
    nsapi_socket_t blocked_handle = stack.calls(Hook::kAttach)[0].handle;
    nsapi_size_or_error_t blocked_result = 1;
    std::thread reader([&] {
        char buf[4];
        blocked_result = blocked.recv(buf, sizeof buf);  // no data: waits
    });
    ASSERT_TRUE(stack.wait_for_calls(Hook::kRecv, 1));
    std::atomic<int> done{0};
    std::thread worker([&] {
        for (int i = 0; i < 100; ++i) {
            if (busy.send("data", 4) == 4 && busy.connect(SocketAddress("192.0.2.1", 80)) == 0) {
                done++;
            }
        }
    });
    worker.join();
    EXPECT_EQ(done.load(), 100);
    // Only now wake the reader, with data.
    Step step;
    step.result = kAll;
    step.payload = "ok";
    stack.script(Hook::kRecv, {step});
    stack.raise_event(blocked_handle);
    reader.join();
    EXPECT_EQ(blocked_result, 2);
}

TEST(StackDefaults, GethostbynameRules) {
    FakeStack stack;  // NetworkStack's own gethostbyname (not scripted)
    SocketAddress a;
    EXPECT_EQ(stack.gethostbyname("", &a), NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(stack.gethostbyname("192.0.2.7", &a), NSAPI_ERROR_OK);
    EXPECT_EQ(a, SocketAddress("192.0.2.7"));
    EXPECT_EQ(stack.gethostbyname("192.0.2.7", &a, NSAPI_IPv6), NSAPI_ERROR_DNS_FAILURE);
    EXPECT_EQ(stack.gethostbyname("2001:db8::9", &a, NSAPI_IPv4), NSAPI_ERROR_DNS_FAILURE);
    EXPECT_EQ(stack.gethostbyname("2001:db8::9", &a, NSAPI_IPv6), NSAPI_ERROR_OK);
    EXPECT_EQ(a, SocketAddress("2001:db8::9"));
}

TEST(StackDefaults, AsyncLiteralAnswersImmediately) {
    FakeStack stack;
    int results = 0;
    SocketAddress got;
    auto cb = [&](nsapi_value_or_error_t r, SocketAddress *a) {
        results = r;
        got = *a;
    };
    EXPECT_EQ(stack.gethostbyname_async("10.1.2.3", cb), 0);
    EXPECT_EQ(results, 1);
    EXPECT_EQ(got, SocketAddress("10.1.2.3"));
    EXPECT_EQ(stack.gethostbyname_async("", cb), NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(stack.gethostbyname_async("10.1.2.3", cb, NSAPI_IPv6), NSAPI_ERROR_DNS_FAILURE);
}

TEST(StackDefaults, GetaddrinfoLiteral) {
    FakeStack stack;
    SocketAddress hints;
    SocketAddress *res = nullptr;
    EXPECT_EQ(stack.getaddrinfo("2001:db8::5", &hints, &res), 1);
    ASSERT_NE(res, nullptr);
    EXPECT_EQ(res[0], SocketAddress("2001:db8::5"));
    delete[] res;
    EXPECT_EQ(stack.getaddrinfo("", &hints, &res), NSAPI_ERROR_PARAMETER);
}

TEST(StackDefaults, UnsupportedDefaults) {
    FakeStack stack;
    NetworkStack &base = stack;
    SocketAddress a;
    EXPECT_EQ(base.get_ipv6_link_local_address(&a), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(base.get_ip_address_if(&a, "eth0"), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(base.get_dns_server(0, &a), NSAPI_ERROR_UNSUPPORTED);
    int v = 0;
    unsigned len = sizeof v;
    EXPECT_EQ(base.setstackopt(NSAPI_STACK, NSAPI_IPV6_MRU, &v, sizeof v), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(base.getstackopt(NSAPI_STACK, NSAPI_IPV6_MRU, &v, &len), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(base.onboardNetworkStack(), nullptr);
    // The 5.x text form goes through get_ip_address(SocketAddress *).
    const char *text = base.get_ip_address();
    ASSERT_NE(text, nullptr);
    EXPECT_STREQ(text, "192.0.2.10");
}

// ----- the legacy C stack table wrapped by nsapi_create_stack(nsapi_stack_t *) -----

struct LegacyLog {
    int opens = 0;
    int closes = 0;
    nsapi_addr_t sent_to = {};
    uint16_t sent_port = 0;
    std::string sent;
};
LegacyLog *g_legacy = nullptr;  // the C table has no user pointer besides nsapi_stack_t::stack

nsapi_error_t legacy_open(nsapi_stack_t *, nsapi_socket_t *s, nsapi_protocol_t) {
    g_legacy->opens++;
    *s = reinterpret_cast<nsapi_socket_t>(0x42);
    return NSAPI_ERROR_OK;
}
nsapi_error_t legacy_close(nsapi_stack_t *, nsapi_socket_t) {
    g_legacy->closes++;
    return NSAPI_ERROR_OK;
}
nsapi_size_or_error_t legacy_sendto(nsapi_stack_t *, nsapi_socket_t, nsapi_addr_t addr,
                                    uint16_t port, const void *data, nsapi_size_t size) {
    g_legacy->sent_to = addr;
    g_legacy->sent_port = port;
    g_legacy->sent.assign(static_cast<const char *>(data), size);
    return static_cast<nsapi_size_or_error_t>(size);
}

TEST(LegacyStack, CTableDrivesASocket) {
    LegacyLog log;
    g_legacy = &log;
    nsapi_stack_api_t api = {};
    api.socket_open = legacy_open;
    api.socket_close = legacy_close;
    api.socket_sendto = legacy_sendto;
    nsapi_stack_t cstack = {};
    cstack.stack_api = &api;
    NetworkStack *stack = nsapi_create_stack(&cstack);
    ASSERT_NE(stack, nullptr);
    {
        UDPSocket s;
        ASSERT_EQ(s.open(stack), NSAPI_ERROR_OK);
        EXPECT_EQ(s.sendto(SocketAddress("192.0.2.3", 7), "ping", 4), 4);
        EXPECT_EQ(s.bind(5), NSAPI_ERROR_UNSUPPORTED);  // no socket_bind in the table
        EXPECT_EQ(s.close(), NSAPI_ERROR_OK);
    }
    EXPECT_EQ(log.opens, 1);
    EXPECT_EQ(log.closes, 1);
    EXPECT_EQ(SocketAddress(log.sent_to, log.sent_port), SocketAddress("192.0.2.3", 7));
    EXPECT_EQ(log.sent, "ping");
    SocketAddress a;
    EXPECT_EQ(stack->get_ip_address(&a), NSAPI_ERROR_UNSUPPORTED);
    stack->~NetworkStack();  // lives in cstack._stack_buffer
    g_legacy = nullptr;
}

}  // namespace
}  // namespace meshwork::test
