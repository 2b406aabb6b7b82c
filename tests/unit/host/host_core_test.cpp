// Building blocks of HostStack: errno mapping, the socket table, the epoll loop, address
// conversion and host interface discovery from route-table fixtures.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "HostTestSupport.h"
#include "TempDir.h"
#include "EpollLoop.h"
#include "ErrnoMap.h"
#include "HostAddress.h"
#include "HostInterfaceInfo.h"
#include "SocketTable.h"

namespace meshwork::host {
namespace {

using test::eventually;

TEST(HostErrnoMap, BindFailuresAreAllParameter) {
    for (int err : {EADDRINUSE, EADDRNOTAVAIL, EAFNOSUPPORT, EINVAL, EACCES}) {
        EXPECT_EQ(NSAPI_ERROR_PARAMETER, nsapi_error_from_errno(err, SocketOp::kBind)) << err;
    }
    EXPECT_EQ(NSAPI_ERROR_NO_MEMORY, nsapi_error_from_errno(ENOBUFS, SocketOp::kBind));
}

TEST(HostErrnoMap, ConnectionAndProgressErrors) {
    EXPECT_EQ(NSAPI_ERROR_WOULD_BLOCK, nsapi_error_from_errno(EAGAIN, SocketOp::kIo));
    EXPECT_EQ(NSAPI_ERROR_WOULD_BLOCK, nsapi_error_from_errno(EWOULDBLOCK, SocketOp::kIo));
    EXPECT_EQ(NSAPI_ERROR_IN_PROGRESS, nsapi_error_from_errno(EINPROGRESS, SocketOp::kConnect));
    EXPECT_EQ(NSAPI_ERROR_ALREADY, nsapi_error_from_errno(EALREADY, SocketOp::kConnect));
    EXPECT_EQ(NSAPI_ERROR_IS_CONNECTED, nsapi_error_from_errno(EISCONN, SocketOp::kConnect));
    for (int err : {ECONNREFUSED, ECONNRESET, ENOTCONN, EPIPE, ECONNABORTED}) {
        EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION, nsapi_error_from_errno(err, SocketOp::kIo)) << err;
    }
}

TEST(HostErrnoMap, ResourcesAndOthers) {
    for (SocketOp op : {SocketOp::kOpen, SocketOp::kIo, SocketOp::kConnect}) {
        EXPECT_EQ(NSAPI_ERROR_NO_MEMORY, nsapi_error_from_errno(ENOMEM, op));
        EXPECT_EQ(NSAPI_ERROR_NO_MEMORY, nsapi_error_from_errno(ENOBUFS, op));
        EXPECT_EQ(NSAPI_ERROR_NO_SOCKET, nsapi_error_from_errno(EMFILE, op));
        EXPECT_EQ(NSAPI_ERROR_NO_SOCKET, nsapi_error_from_errno(ENFILE, op));
    }
    EXPECT_EQ(NSAPI_ERROR_UNSUPPORTED, nsapi_error_from_errno(ENOPROTOOPT, SocketOp::kOption));
    EXPECT_EQ(NSAPI_ERROR_NO_ADDRESS, nsapi_error_from_errno(EDESTADDRREQ, SocketOp::kIo));
    EXPECT_EQ(NSAPI_ERROR_DEVICE_ERROR, nsapi_error_from_errno(EIO, SocketOp::kIo));
}

TEST(HostSocketTable, LimitIsEnforcedAndTheSameCountComesBack) {
    SocketTable table(70);  // crosses a chunk boundary
    for (int round = 0; round < 2; ++round) {
        std::vector<HostSocket *> got;
        while (HostSocket *s = table.acquire()) {
            got.push_back(s);
        }
        EXPECT_EQ(70u, got.size());
        EXPECT_EQ(70u, table.open_count());
        for (HostSocket *s : got) {
            EXPECT_EQ(s, table.find(s->index));
            table.release(s);
        }
        EXPECT_EQ(0u, table.open_count());
    }
}

TEST(HostSocketTable, LoweringTheLimitOnlyRefusesNewSockets) {
    SocketTable table(4);
    HostSocket *a = table.acquire();
    HostSocket *b = table.acquire();
    ASSERT_TRUE(a && b);
    table.set_limit(1);
    EXPECT_EQ(nullptr, table.acquire());
    table.release(a);
    EXPECT_EQ(nullptr, table.acquire());
    table.release(b);
    EXPECT_NE(nullptr, table.acquire());
    EXPECT_EQ(nullptr, table.find(SocketTable::kMaxSlots));
}

TEST(HostEpollLoop, PostedWorkRunsOnTheLoopThreadInOrder) {
    std::vector<int> seen;
    std::atomic<bool> on_loop{true};
    std::atomic<int> done{0};
    EpollLoop *loop_ptr = nullptr;
    EpollLoop loop([](std::uint64_t, std::uint32_t) {});
    loop_ptr = &loop;
    EXPECT_FALSE(loop.on_loop_thread());
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(loop.post([&, i] {
            seen.push_back(i);
            on_loop = on_loop && loop_ptr->on_loop_thread();
            done.fetch_add(1);
        }));
    }
    ASSERT_TRUE(eventually([&] { return done.load() == 5; }));
    loop.stop();
    EXPECT_EQ((std::vector<int>{0, 1, 2, 3, 4}), seen);
    EXPECT_TRUE(on_loop.load());
    EXPECT_FALSE(loop.post([] {}));
}

TEST(HostEpollLoop, ReportsReadinessWithTheRegisteredKey) {
    std::atomic<std::uint64_t> last_key{0};
    std::atomic<int> events{0};
    EpollLoop loop([&](std::uint64_t key, std::uint32_t) {
        last_key = key;
        events.fetch_add(1);
    });
    int sv[2];
    ASSERT_EQ(0, ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv));
    ASSERT_EQ(0, loop.add(sv[0], 0x1234500000007ull, true));
    ASSERT_TRUE(eventually([&] { return events.load() >= 1; }));  // writable at once
    const int before = events.load();
    ASSERT_EQ(1, ::write(sv[1], "x", 1));
    ASSERT_TRUE(eventually([&] { return events.load() > before; }));
    EXPECT_EQ(0x1234500000007ull, last_key.load());
    // Re-arming reports current readiness again without new traffic.
    const int before_rearm = events.load();
    ASSERT_EQ(0, loop.rearm(sv[0], 0x1234500000007ull, true));
    ASSERT_TRUE(eventually([&] { return events.load() > before_rearm; }));
    EXPECT_EQ(0, loop.remove(sv[0]));
    loop.stop();
    ::close(sv[0]);
    ::close(sv[1]);
}

TEST(HostAddress, Ipv4TravelsMappedOnDualStackSockets) {
    sockaddr_storage ss;
    socklen_t len;
    SocketAddress v4("192.0.2.7", 4242);
    ASSERT_TRUE(to_sockaddr(v4, AF_INET6, &ss, &len));
    EXPECT_EQ(sizeof(sockaddr_in6), len);
    const auto *sin6 = reinterpret_cast<sockaddr_in6 *>(&ss);
    EXPECT_TRUE(IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr));
    const SocketAddress back = from_sockaddr(reinterpret_cast<sockaddr *>(&ss), len);
    EXPECT_EQ(NSAPI_IPv4, back.get_ip_version());
    EXPECT_STREQ("192.0.2.7", back.get_ip_address());
    EXPECT_EQ(4242, back.get_port());

    ASSERT_TRUE(to_sockaddr(v4, AF_INET, &ss, &len));
    EXPECT_EQ(sizeof(sockaddr_in), len);
    EXPECT_STREQ("192.0.2.7",
                 from_sockaddr(reinterpret_cast<sockaddr *>(&ss), len).get_ip_address());

    SocketAddress v6("2001:db8::1", 7);
    EXPECT_FALSE(to_sockaddr(v6, AF_INET, &ss, &len));
    ASSERT_TRUE(to_sockaddr(v6, AF_INET6, &ss, &len));
    EXPECT_STREQ("2001:db8::1",
                 from_sockaddr(reinterpret_cast<sockaddr *>(&ss), len).get_ip_address());

    SocketAddress any;
    any.set_port(9);
    ASSERT_TRUE(to_sockaddr(any, AF_INET6, &ss, &len));
    EXPECT_TRUE(IN6_IS_ADDR_UNSPECIFIED(&reinterpret_cast<sockaddr_in6 *>(&ss)->sin6_addr));
    EXPECT_TRUE(is_unspecified(any.get_addr()));
    EXPECT_TRUE(is_unspecified(SocketAddress("0.0.0.0").get_addr()));
    EXPECT_FALSE(is_unspecified(v4.get_addr()));
}

class RouteFixture : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(tmp_.ok());
        ASSERT_EQ(0, ::mkdir((root_ + "/net").c_str(), 0700));
    }
    void write(const std::string &name, const std::string &text) {
        std::ofstream(root_ + "/net/" + name) << text;
    }
    meshwork::test::TempDir tmp_{"meshwork-host-route"};  // a fake /proc
    std::string root_ = tmp_.path();
};

constexpr const char *kRouteHeader =
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";
constexpr const char *kV6Unreachable =
    "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
    "00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n";

TEST_F(RouteFixture, PicksTheIpv4DefaultRouteWithTheLowestMetric) {
    write("route", std::string(kRouteHeader) +
                       "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
                       "eth1\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
                       "eth1\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
    write("ipv6_route", kV6Unreachable);
    EXPECT_EQ("eth1", default_route_interface(root_));
    const nsapi_addr_t gw = default_gateway4("eth1", root_);
    ASSERT_EQ(NSAPI_IPv4, gw.version);
    EXPECT_STREQ("192.0.2.1", SocketAddress(gw).get_ip_address());
    EXPECT_EQ(NSAPI_UNSPEC, default_gateway4("eth9", root_).version);
}

TEST_F(RouteFixture, FallsBackToIpv6DefaultRouteThenLoopback) {
    write("route", kRouteHeader);
    write("ipv6_route",
          std::string("00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
                      "fd000000000000000000000000000001 00000400 00000002 00000000 00000003     "
                      "eth0\n") +
              kV6Unreachable);
    EXPECT_EQ("eth0", default_route_interface(root_));
    const nsapi_addr_t gw = default_gateway6("eth0", root_);
    ASSERT_EQ(NSAPI_IPv6, gw.version);
    EXPECT_STREQ("fd00::1", SocketAddress(gw).get_ip_address());

    // Only the kernel's unreachable entry on lo: no default route at all.
    write("ipv6_route", kV6Unreachable);
    EXPECT_EQ("lo", default_route_interface(root_));
    // Missing files (a sandbox without /proc/net): loopback too.
    EXPECT_EQ("lo", default_route_interface(root_ + "/missing"));
}

TEST(HostInterfaceInfo, ReadsLoopback) {
    HostInterfaceInfo info;
    ASSERT_TRUE(read_host_interface("lo", &info));
    EXPECT_TRUE(info.up);
    ASSERT_TRUE(info.has_ipv4);
    EXPECT_STREQ("127.0.0.1", SocketAddress(info.ipv4).get_ip_address());
    EXPECT_STREQ("255.0.0.0", SocketAddress(info.netmask4).get_ip_address());
    EXPECT_NE(0u, info.index);
    EXPECT_FALSE(read_host_interface("no-such-if0", &info));
}

TEST(HostInterfaceInfo, ChoiceOrderIsConfiguredThenRoute) {
    EXPECT_EQ("lo", choose_host_interface("lo"));
    EXPECT_EQ("dummy7", choose_host_interface("dummy7"));
    EXPECT_EQ(default_route_interface(), choose_host_interface(""));
}

}  // namespace
}  // namespace meshwork::host
