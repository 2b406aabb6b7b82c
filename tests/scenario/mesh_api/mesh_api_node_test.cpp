// LoWPANNDInterface on a simulated node (docs/mesh-api.md): the node's context names its radio
// (a BackendRfPhy) and makes the interface its default, so NetworkInterface / MeshInterface /
// NanostackRfPhy::get_default_instance() answer for the node; connect() blocks its fiber in
// virtual time until the backend reports the mesh connected; and UDP sockets over the node's
// NodeNetworkStack take Nanostack's SOCKET_IPPROTO_IPV6 options (multicast hops, join group)
// as Mbed's mesh example sets them. The backend joins over the nsapi tests' two-node segment
// (SLAAC from the router): the real 6LoWPAN-ND + RPL backend is the composition's.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "LoWPANNDInterface.h"
#include "TwoNodes.h"
#include "UDPSocket.h"
#include "mesh/api/BackendRfPhy.h"
#include "mesh/api/MeshConnection.h"
#include "nanostack/socket_api.h"
#include "rtos/Kernel.h"

namespace meshwork::testbed {
namespace {

using namespace std::chrono_literals;

/// A MeshBackend over a node's NodeNetwork: "joined" when its EthInterface is GLOBAL_UP.
class SegmentBackend final : public meshapi::MeshBackend {
  public:
    explicit SegmentBackend(NodeNetwork &net, sim::Node &node) : net_(net), node_(node) {}

    mesh_error_t start(const meshapi::MeshStartRequest &request,
                       meshapi::MeshStatusCallback status) override {
        status_ = std::move(status);
        settings = request.settings;
        net_.interface().attach([this](nsapi_event_t, intptr_t s) {
            if (s == NSAPI_STATUS_GLOBAL_UP && status_) {
                status_(MESH_CONNECTED);
            }
        });
        net_.interface().set_blocking(false);
        status_(MESH_BOOTSTRAP_STARTED);
        const nsapi_error_t e = net_.interface().connect();
        return e == NSAPI_ERROR_OK || e == NSAPI_ERROR_IS_CONNECTED ? MESH_ERROR_NONE
                                                                    : MESH_ERROR_UNKNOWN;
    }
    void stop() override {
        status_ = nullptr;
        net_.interface().attach(nullptr);
        net_.interface().disconnect();
    }
    bool global_address(SocketAddress *a) const override {
        return status_ && net_.network_stack().get_ip_address(a) == NSAPI_ERROR_OK;
    }
    bool link_local_address(SocketAddress *a) const override {
        return net_.network_stack().get_ipv6_link_local_address(a) == NSAPI_ERROR_OK;
    }
    bool border_router_address(SocketAddress *a) const override {
        if (!status_) {
            return false;
        }
        *a = SocketAddress(kRouterAddress);
        return true;
    }
    std::array<std::uint8_t, 8> eui64() const override { return node_.context().eui64().bytes; }
    NetworkStack *network_stack() override { return &net_.network_stack(); }

    meshapi::LowpanNdSettings settings;

  private:
    NodeNetwork &net_;
    sim::Node &node_;
    meshapi::MeshStatusCallback status_;
};

/// The IPv6 packets on the segment (Ethernet frames with EtherType 0x86dd), as captured.
struct Ip6Capture final : sim::FrameSink {
    void record_frame(Instant, sim::LinkDirection, ByteSpan frame) override {
        if (frame.size >= 54 && frame[12] == 0x86 && frame[13] == 0xdd) {
            packets.emplace_back(frame.begin() + 14, frame.end());
        }
    }
    std::vector<std::vector<std::uint8_t>> packets;
};

const char *const kGroup = "ff15::810a:64d1";  // the mesh example's multicast group

ns_ipv6_mreq_t group_request() {
    ns_ipv6_mreq_t mreq = {};
    std::memcpy(mreq.ipv6mr_multiaddr, SocketAddress(kGroup).get_ip_bytes(), 16);
    mreq.ipv6mr_interface = 0;
    return mreq;
}

TEST(MeshApiNode, DefaultMeshInterfaceConnectsOnAFiberAndSocketsTakeNanostackOptions) {
    TwoNodes t(7);
    Ip6Capture capture;
    t.segment->set_tap(&capture);
    SegmentBackend backend(*t.host_net, *t.host);
    meshapi::BackendRfPhy phy(&backend);
    LoWPANNDInterface mesh(&phy);
    t.host->context().rf_phy = &phy;
    t.host->context().default_interface = &mesh;

    bool done = false, received = false;
    std::vector<intptr_t> events;
    nsapi_error_t connected = 1, again = 1, hops = 1, join = 1, bad_hops = 1, bad_join = 1;
    nsapi_error_t zero_hops = 1, unknown = 1, down = 1, reconnected = 1;
    std::string ip, router, echoed;
    rtos::Kernel::Clock::duration connected_at{};
    NetworkInterface *default_net = nullptr;
    MeshInterface *default_mesh = nullptr;
    NanostackRfPhy *default_phy = nullptr;

    // The router: a member of the group through Nanostack's option, answering each datagram.
    t.router_fibers->spawn([&] {
        NetworkInterface *net = NetworkInterface::get_default_instance();
        ASSERT_EQ(net->connect(), NSAPI_ERROR_OK);
        UDPSocket s;
        ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
        ASSERT_EQ(s.bind(1234), NSAPI_ERROR_OK);
        const ns_ipv6_mreq_t mreq = group_request();
        ASSERT_EQ(s.setsockopt(SOCKET_IPPROTO_IPV6, SOCKET_IPV6_JOIN_GROUP, &mreq, sizeof mreq),
                  NSAPI_ERROR_OK);
        char buf[64];
        SocketAddress from;
        const nsapi_size_or_error_t n = s.recvfrom(&from, buf, sizeof buf);
        ASSERT_GT(n, 0);
        received = true;
        std::string reply = "echo:" + std::string(buf, static_cast<std::size_t>(n));
        ASSERT_EQ(s.sendto(from, reply.data(), static_cast<nsapi_size_t>(reply.size())),
                  static_cast<nsapi_size_or_error_t>(reply.size()));
    });
    t.host_fibers->spawn([&] {
        default_net = NetworkInterface::get_default_instance();
        default_mesh = MeshInterface::get_default_instance();
        default_phy = &NanostackRfPhy::get_default_instance();
        NetworkInterface *net = default_net;
        net->attach([&](nsapi_event_t, intptr_t s) { events.push_back(s); });
        connected = net->connect();  // blocks this fiber in virtual time
        connected_at = rtos::Kernel::Clock::now().time_since_epoch();
        again = net->connect();
        SocketAddress a;
        net->get_ip_address(&a);
        ip = a.get_ip_address() ? a.get_ip_address() : "";
        char text[40] = {};
        if (mesh.getRouterIpAddress(text, sizeof text)) {
            router = text;
        }
        UDPSocket s;
        ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
        ASSERT_EQ(s.bind(1234), NSAPI_ERROR_OK);
        const int16_t five = 5;
        hops = s.setsockopt(SOCKET_IPPROTO_IPV6, SOCKET_IPV6_MULTICAST_HOPS, &five, sizeof five);
        const int wrong_size = 5;
        bad_hops = s.setsockopt(SOCKET_IPPROTO_IPV6, SOCKET_IPV6_MULTICAST_HOPS, &wrong_size,
                                sizeof wrong_size);
        const int16_t zero = 0;
        zero_hops =
            s.setsockopt(SOCKET_IPPROTO_IPV6, SOCKET_IPV6_MULTICAST_HOPS, &zero, sizeof zero);
        const ns_ipv6_mreq_t mreq = group_request();
        join = s.setsockopt(SOCKET_IPPROTO_IPV6, SOCKET_IPV6_JOIN_GROUP, &mreq, sizeof mreq);
        ns_ipv6_mreq_t unicast = mreq;
        unicast.ipv6mr_multiaddr[0] = 0x20;
        bad_join =
            s.setsockopt(SOCKET_IPPROTO_IPV6, SOCKET_IPV6_JOIN_GROUP, &unicast, sizeof unicast);
        const bool yes = true;
        unknown = s.setsockopt(SOCKET_IPPROTO_IPV6, SOCKET_IPV6_MULTICAST_LOOP, &yes, sizeof yes);
        s.set_timeout(5000);
        ASSERT_EQ(s.sendto(SocketAddress(kGroup, 1234), "hello mesh", 10), 10);
        // The router's answer (skipping the group's copy, should the stack loop it back).
        for (int i = 0; i < 3 && echoed.rfind("echo:", 0) != 0; ++i) {
            char buf[64] = {};
            SocketAddress from;
            const nsapi_size_or_error_t n = s.recvfrom(&from, buf, sizeof buf);
            echoed.assign(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
        }
        down = net->disconnect();
        reconnected = net->connect();
        done = true;
    });
    ASSERT_TRUE(t.run(done));

    EXPECT_EQ(default_net, static_cast<NetworkInterface *>(&mesh));
    EXPECT_EQ(default_mesh, static_cast<MeshInterface *>(&mesh));
    EXPECT_EQ(default_phy, &phy);
    EXPECT_EQ(connected, NSAPI_ERROR_OK);
    EXPECT_GT(connected_at, 1s);  // DAD in virtual time before the address is usable
    EXPECT_EQ(again, NSAPI_ERROR_IS_CONNECTED);
    EXPECT_EQ(ip.rfind("2001:db8:1:0:", 0), 0u) << ip;
    EXPECT_EQ(router, kRouterAddress);
    EXPECT_EQ(hops, NSAPI_ERROR_OK);
    EXPECT_EQ(bad_hops, NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(zero_hops, NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(join, NSAPI_ERROR_OK);
    EXPECT_EQ(bad_join, NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(unknown, NSAPI_ERROR_UNSUPPORTED);
    EXPECT_TRUE(received);
    EXPECT_EQ(echoed, "echo:hello mesh");
    EXPECT_EQ(down, NSAPI_ERROR_OK);
    EXPECT_EQ(reconnected, NSAPI_ERROR_OK);
    const std::vector<intptr_t> expected = {NSAPI_STATUS_CONNECTING, NSAPI_STATUS_GLOBAL_UP,
                                            NSAPI_STATUS_DISCONNECTED, NSAPI_STATUS_CONNECTING,
                                            NSAPI_STATUS_GLOBAL_UP};
    EXPECT_EQ(events, expected);
    EXPECT_EQ(backend.settings.heap_size, 32500u);  // the node's configuration's

    // The datagram to the group left with the hop limit the option set.
    const SocketAddress group_address(kGroup);
    const void *group = group_address.get_ip_bytes();
    int to_group = 0;
    for (const auto &p : capture.packets) {
        if (p[6] == 17 && std::memcmp(p.data() + 24, group, 16) == 0) {
            ++to_group;
            EXPECT_EQ(p[7], 5) << "hop limit";
        }
    }
    EXPECT_EQ(to_group, 1);
}

}  // namespace
}  // namespace meshwork::testbed
