// Two simulated nodes on an Ethernet-like segment, each running ordinary Mbed code on fibers in
// virtual time: node 1 is a router advertising 2001:db8:1::/64 (its own address ::1), node 2 a
// host that forms its address by SLAAC. UDP echo with blocking sockets and timeouts,
// non-blocking sockets with sigio, ICMPv6 echo through ICMPSocket, DNS against a tiny server on
// node 1, the EthInterface's status events, and the same capture bytes from the same seed.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "ICMPSocket.h"
#include "NetworkInterface.h"
#include "UDPSocket.h"
#include "mbed-trace/mbed_trace.h"
#include "meshwork/sim/Simulation.h"
#include "TwoNodes.h"
#include "nsapi_dns.h"
#include "rtos/Kernel.h"
#include "rtos/Semaphore.h"
#include "rtos/ThisThread.h"
#include "sim/Segment.h"
#include "testbed/NodeNetwork.h"
#include "testbed/PcapWriter.h"

namespace meshwork::testbed {
namespace {

using namespace std::chrono_literals;

/// The router's application: connect, then echo `count` UDP datagrams on port 7.
void udp_echo_server(int count) {
    NetworkInterface *net = NetworkInterface::get_default_instance();
    ASSERT_NE(net, nullptr);
    ASSERT_EQ(net->connect(), NSAPI_ERROR_OK);
    UDPSocket s;
    ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
    ASSERT_EQ(s.bind(7), NSAPI_ERROR_OK);
    for (int i = 0; i < count; ++i) {
        char buf[128];
        SocketAddress from;
        const nsapi_size_or_error_t n = s.recvfrom(&from, buf, sizeof buf);
        ASSERT_GT(n, 0);
        ASSERT_EQ(s.sendto(from, buf, static_cast<nsapi_size_t>(n)), n);
    }
}

TEST(NodeSockets, BlockingUdpEchoAndTimeoutInVirtualTime) {
    TwoNodes t(1);
    bool done = false;
    nsapi_size_or_error_t echoed = 0, timed_out = 0;
    std::string reply;
    rtos::Kernel::Clock::duration waited{};
    t.router_fibers->spawn([] { udp_echo_server(1); });
    t.host_fibers->spawn([&] {
        NetworkInterface *net = NetworkInterface::get_default_instance();
        ASSERT_EQ(net->connect(), NSAPI_ERROR_OK);
        UDPSocket s;
        ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
        s.set_timeout(5000);
        ASSERT_EQ(s.sendto(router_address(7), "hello", 5), 5);
        char buf[16] = {};
        SocketAddress from;
        echoed = s.recvfrom(&from, buf, sizeof buf);
        reply.assign(buf, echoed > 0 ? static_cast<size_t>(echoed) : 0);
        EXPECT_EQ(from, router_address(7));
        // Nothing more comes: the wait expires after exactly the timeout, in virtual time.
        s.set_timeout(750);
        const auto start = rtos::Kernel::Clock::now();
        timed_out = s.recvfrom(nullptr, buf, sizeof buf);
        waited = rtos::Kernel::Clock::now() - start;
        done = true;
    });
    ASSERT_TRUE(t.run(done));
    EXPECT_EQ(echoed, 5);
    EXPECT_EQ(reply, "hello");
    EXPECT_EQ(timed_out, NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(waited, 750ms);
}

TEST(NodeSockets, NonBlockingUdpWithSigio) {
    TwoNodes t(2);
    bool done = false;
    int sigios = 0;
    nsapi_size_or_error_t first = 1, got = 0, after = 0;
    t.router_fibers->spawn([] { udp_echo_server(1); });
    t.host_fibers->spawn([&] {
        NetworkInterface *net = NetworkInterface::get_default_instance();
        ASSERT_EQ(net->connect(), NSAPI_ERROR_OK);
        UDPSocket s;
        rtos::Semaphore readable;
        ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
        s.set_blocking(false);
        s.sigio([&] {
            ++sigios;
            readable.release();
        });
        char buf[16];
        first = s.recvfrom(nullptr, buf, sizeof buf);  // nothing yet
        ASSERT_EQ(s.sendto(router_address(7), "ping", 4), 4);
        do {
            readable.acquire();  // the fiber blocks in virtual time until the stack's sigio
            got = s.recvfrom(nullptr, buf, sizeof buf);
        } while (got == NSAPI_ERROR_WOULD_BLOCK);
        after = s.recvfrom(nullptr, buf, sizeof buf);
        done = true;
    });
    ASSERT_TRUE(t.run(done));
    EXPECT_EQ(first, NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(got, 4);
    EXPECT_EQ(after, NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_GE(sigios, 1);
}

TEST(NodeSockets, IcmpSocketPingRoundTrip) {
    TwoNodes t(3);
    bool done = false;
    nsapi_size_or_error_t n = 0;
    std::vector<uint8_t> reply;
    SocketAddress from;
    t.router_fibers->spawn(
        [] { ASSERT_EQ(NetworkInterface::get_default_instance()->connect(), 0); });
    t.host_fibers->spawn([&] {
        NetworkInterface *net = NetworkInterface::get_default_instance();
        ASSERT_EQ(net->connect(), NSAPI_ERROR_OK);
        ICMPSocket s;
        ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
        s.set_timeout(5000);
        // Echo Request (RFC 4443 4.1): type 128, code 0, checksum (the stack's), id 0x1234,
        // sequence 1, data.
        const uint8_t request[] = {128, 0, 0, 0, 0x12, 0x34, 0, 1, 'm', 'w'};
        ASSERT_EQ(s.sendto(router_address(0), request, sizeof request),
                  static_cast<nsapi_size_or_error_t>(sizeof request));
        uint8_t buf[64];
        n = s.recvfrom(&from, buf, sizeof buf);
        if (n > 0) {
            reply.assign(buf, buf + n);
        }
        done = true;
    });
    ASSERT_TRUE(t.run(done));
    ASSERT_EQ(n, 10);
    EXPECT_EQ(reply[0], 129);  // Echo Reply
    EXPECT_EQ(reply[4], 0x12);
    EXPECT_EQ(reply[5], 0x34);
    EXPECT_EQ(reply[7], 1);
    EXPECT_EQ(reply[8], 'm');
    EXPECT_EQ(from.get_ip_address(), std::string(kRouterAddress));
}

/// A tiny DNS server (RFC 1035 4.1): answers one AAAA question for any name with `answer`.
void dns_server(const char *answer, int count) {
    NetworkInterface *net = NetworkInterface::get_default_instance();
    ASSERT_EQ(net->connect(), NSAPI_ERROR_OK);
    UDPSocket s;
    ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
    ASSERT_EQ(s.bind(53), NSAPI_ERROR_OK);
    const nsapi_addr_t a = SocketAddress(answer).get_addr();
    for (int i = 0; i < count; ++i) {
        uint8_t q[512];
        SocketAddress from;
        const nsapi_size_or_error_t n = s.recvfrom(&from, q, sizeof q);
        ASSERT_GT(n, 12);
        size_t end = 12;  // the question's name, then type and class
        while (end < static_cast<size_t>(n) && q[end] != 0) {
            end += q[end] + 1u;
        }
        end += 5;
        ASSERT_LE(end, static_cast<size_t>(n));
        std::vector<uint8_t> r(q, q + end);
        r[2] = 0x81;  // response, recursion desired
        r[3] = 0x80;  // recursion available, no error
        r[6] = 0;
        r[7] = 1;  // one answer
        const uint8_t rr[] = {0xc0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16};
        r.insert(r.end(), rr, rr + sizeof rr);
        r.insert(r.end(), a.bytes, a.bytes + 16);
        ASSERT_EQ(s.sendto(from, r.data(), static_cast<nsapi_size_t>(r.size())),
                  static_cast<nsapi_size_or_error_t>(r.size()));
    }
}

TEST(NodeSockets, DnsAgainstAServerNodeWithPerNodeResolverState) {
    TwoNodes t(4);
    bool done = false;
    nsapi_error_t result = 1;
    SocketAddress resolved;
    SocketAddress router_first_server;
    t.router_fibers->spawn([&] {
        nsapi_dns_get_server(0, &router_first_server, nullptr);
        dns_server("2001:db8:1::abcd", 1);
    });
    t.host_fibers->spawn([&] {
        NetworkInterface *net = NetworkInterface::get_default_instance();
        ASSERT_EQ(net->connect(), NSAPI_ERROR_OK);
        ASSERT_EQ(nsapi_dns_add_server(router_address(53), nullptr), NSAPI_ERROR_OK);
        result = net->gethostbyname("sensor.example", &resolved, NSAPI_IPv6);
        done = true;
    });
    ASSERT_TRUE(t.run(done));
    EXPECT_EQ(result, NSAPI_ERROR_OK);
    EXPECT_EQ(resolved.get_ip_address(), std::string("2001:db8:1::abcd"));
    // The host's server went into the host's resolver only.
    EXPECT_NE(router_first_server, router_address(53));
    ASSERT_NE(t.host->context().dns, nullptr);
    EXPECT_NE(t.host->context().dns, t.router->context().dns);
}

TEST(NodeSockets, EthInterfaceConnectStatusOrderAndAddresses) {
    TwoNodes t(5);
    bool done = false;
    std::vector<intptr_t> events;
    nsapi_error_t again = 0, down = 0, down_again = 0;
    nsapi_error_t before_ip = 0;
    SocketAddress ip, ll;
    nsapi_connection_status_t before = NSAPI_STATUS_GLOBAL_UP, after_down = NSAPI_STATUS_GLOBAL_UP;
    rtos::Kernel::Clock::duration connected_at{};
    t.router_fibers->spawn(
        [] { ASSERT_EQ(NetworkInterface::get_default_instance()->connect(), 0); });
    t.host_fibers->spawn([&] {
        NetworkInterface *net = NetworkInterface::get_default_instance();
        ASSERT_NE(net->ethInterface(), nullptr);
        before = net->get_connection_status();
        SocketAddress none;
        before_ip = net->get_ip_address(&none);
        net->attach([&](nsapi_event_t e, intptr_t s) {
            EXPECT_EQ(e, NSAPI_EVENT_CONNECTION_STATUS_CHANGE);
            events.push_back(s);
        });
        ASSERT_EQ(net->connect(), NSAPI_ERROR_OK);  // blocking: returns at GLOBAL_UP
        connected_at = rtos::Kernel::Clock::now().time_since_epoch();
        net->get_ip_address(&ip);
        net->get_ipv6_link_local_address(&ll);
        again = net->connect();
        down = net->disconnect();
        after_down = net->get_connection_status();
        down_again = net->disconnect();
        done = true;
    });
    ASSERT_TRUE(t.run(done));
    EXPECT_EQ(before, NSAPI_STATUS_DISCONNECTED);
    EXPECT_EQ(before_ip, NSAPI_ERROR_NO_ADDRESS);
    const std::vector<intptr_t> expected = {NSAPI_STATUS_CONNECTING, NSAPI_STATUS_LOCAL_UP,
                                            NSAPI_STATUS_GLOBAL_UP, NSAPI_STATUS_DISCONNECTED};
    EXPECT_EQ(events, expected);
    // Two rounds of DAD (link-local, then the SLAAC address) of a second each, in virtual time.
    EXPECT_GT(connected_at, 2s);
    EXPECT_LT(connected_at, 10s);
    // SLAAC from the router's prefix, the interface identifier from the node's MAC-48.
    const std::string global = ip.get_ip_address() ? ip.get_ip_address() : "";
    EXPECT_EQ(global.rfind("2001:db8:1:0:", 0), 0u) << global;
    const std::string local = ll.get_ip_address() ? ll.get_ip_address() : "";
    EXPECT_EQ(local.rfind("fe80::", 0), 0u) << local;
    EXPECT_EQ(global.substr(std::strlen("2001:db8:1:0:")), local.substr(std::strlen("fe80::")));
    EXPECT_EQ(again, NSAPI_ERROR_IS_CONNECTED);
    EXPECT_EQ(down, NSAPI_ERROR_OK);
    EXPECT_EQ(after_down, NSAPI_STATUS_DISCONNECTED);
    EXPECT_EQ(down_again, NSAPI_ERROR_NO_CONNECTION);
}

TEST(NodeSockets, NonBlockingConnectReportsThroughTheCallback) {
    TwoNodes t(6);
    std::vector<intptr_t> events;
    nsapi_error_t r = 1, second = 1;
    t.host_fibers->spawn([&] {
        NetworkInterface *net = NetworkInterface::get_default_instance();
        net->attach([&](nsapi_event_t, intptr_t s) { events.push_back(s); });
        net->set_blocking(false);
        r = net->connect();
        second = net->connect();
    });
    t.sim.run_for(std::chrono::seconds(5));
    EXPECT_EQ(r, NSAPI_ERROR_OK);
    EXPECT_EQ(second, NSAPI_ERROR_ALREADY);
    // No router is up: the host gets only its link-local address.
    const std::vector<intptr_t> expected = {NSAPI_STATUS_CONNECTING, NSAPI_STATUS_LOCAL_UP};
    EXPECT_EQ(events, expected);
    EXPECT_EQ(t.host_net->interface().get_connection_status(), NSAPI_STATUS_LOCAL_UP);
}

/// UDP echo and a ping, from the host to the router; `done` once the host's code has finished.
struct EchoAndPing {
    explicit EchoAndPing(std::uint64_t seed) : t(seed) {
        t.router_fibers->spawn([] { udp_echo_server(3); });
        t.host_fibers->spawn([this] {
            NetworkInterface *net = NetworkInterface::get_default_instance();
            ASSERT_EQ(net->connect(), NSAPI_ERROR_OK);
            UDPSocket s;
            ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
            s.set_timeout(5000);
            for (int i = 0; i < 3; ++i) {
                char buf[8];
                ASSERT_EQ(s.sendto(router_address(7), "abc", 3), 3);
                ASSERT_EQ(s.recvfrom(nullptr, buf, sizeof buf), 3);
                rtos::ThisThread::sleep_for(100ms);
            }
            ICMPSocket p;
            ASSERT_EQ(p.open(net), NSAPI_ERROR_OK);
            const uint8_t request[] = {128, 0, 0, 0, 0, 7, 0, 1};
            ASSERT_EQ(p.sendto(router_address(0), request, sizeof request), 8);
            rtos::ThisThread::sleep_for(1s);  // the reply is in the capture
            done = true;
        });
    }
    TwoNodes t;
    bool done = false;
};

std::vector<uint8_t> echo_and_ping_capture(std::uint64_t seed) {
    EchoAndPing e(seed);
    EXPECT_TRUE(e.t.run(e.done));
    return e.t.pcap.bytes();
}

TEST(NodeSockets, SameSeedSameCaptureBytes) {
    const std::vector<uint8_t> a = echo_and_ping_capture(42);
    const std::vector<uint8_t> b = echo_and_ping_capture(42);
    EXPECT_GT(a.size(), 24u + 10 * 16);  // the pcap header and at least ten frames
    EXPECT_EQ(a, b);
    EXPECT_NE(a, echo_and_ping_capture(43));  // another seed: other MACs, other timings
}

}  // namespace
}  // namespace meshwork::testbed

namespace meshwork::testbed {
namespace {

TEST(NodeSockets, TwoSimulationsInterleavedEachAsAlone) {
    const std::vector<uint8_t> alone42 = echo_and_ping_capture(42);
    const std::vector<uint8_t> alone43 = echo_and_ping_capture(43);
    EchoAndPing a(42), b(43);
    for (int i = 0; i < 1000000 && !(a.done && b.done); ++i) {
        if (!a.done)
            a.t.sim.step();
        if (!b.done)
            b.t.sim.step();
    }
    ASSERT_TRUE(a.done && b.done);
    EXPECT_EQ(a.t.pcap.bytes(), alone42);
    EXPECT_EQ(b.t.pcap.bytes(), alone43);
}

}  // namespace
}  // namespace meshwork::testbed

namespace meshwork::testbed {
namespace {

TEST(NodeSockets, TraceConfigurationAndOutputArePerNode) {
    TwoNodes t(7);
    bool done = false;
    uint8_t host_config = 0;
    t.router_fibers->spawn([] {
        mbed_trace_init();
        mbed_trace_config_set(TRACE_ACTIVE_LEVEL_ERROR);
        mbed_tracef(TRACE_LEVEL_ERROR, "test", "router %d", 1);
    });
    t.host_fibers->spawn([&] {
        rtos::ThisThread::sleep_for(10ms);  // after the router configured its trace
        mbed_trace_init();
        host_config = mbed_trace_config_get();
        mbed_tracef(TRACE_LEVEL_INFO, "test", "host %d", 2);
        done = true;
    });
    ASSERT_TRUE(t.run(done));
    EXPECT_EQ(host_config, TRACE_ACTIVE_LEVEL_ALL);  // the router's setting stayed the router's
    EXPECT_NE(t.router->output_text().find("router 1"), std::string::npos);
    EXPECT_EQ(t.router->output_text().find("host 2"), std::string::npos);
    EXPECT_NE(t.host->output_text().find("host 2"), std::string::npos);
}

}  // namespace
}  // namespace meshwork::testbed
