// The host interface of HostStack: status sequences for blocking and non-blocking bringup,
// the rules of 1.11-1.12 through EMACInterface, addresses of the chosen host interface, and
// `EthernetInterface eth; eth.connect();` on the default stack exactly as on Mbed.
#include <gtest/gtest.h>

#include <cstring>
#include <mutex>
#include <vector>

#include "EthernetInterface.h"
#include "HostTestSupport.h"
#include "NetworkInterface.h"
#include "HostInterfaceInfo.h"

namespace meshwork::host::test {
namespace {

struct StatusLog {
    std::mutex mutex;
    std::vector<intptr_t> seen;
    void on_event(nsapi_event_t event, intptr_t value) {
        if (event == NSAPI_EVENT_CONNECTION_STATUS_CHANGE) {
            std::lock_guard<std::mutex> lock(mutex);
            seen.push_back(value);
        }
    }
    std::vector<intptr_t> snapshot() {
        std::lock_guard<std::mutex> lock(mutex);
        return seen;
    }
    size_t size() { return snapshot().size(); }
};

const std::vector<intptr_t> kUpSequence = {NSAPI_STATUS_CONNECTING, NSAPI_STATUS_GLOBAL_UP};

TEST(HostInterface, BlockingBringupAndBringdownReportTheMbedSequence) {
    HostStack stack(HostStack::Options{16, "lo"});
    OnboardNetworkStack::Interface *iface = nullptr;
    ASSERT_EQ(NSAPI_ERROR_OK,
              stack.add_ethernet_interface(EMAC::get_default_instance(), true, &iface));
    StatusLog log;
    iface->attach(mbed::callback(&log, &StatusLog::on_event));
    EXPECT_EQ(NSAPI_STATUS_DISCONNECTED, iface->get_connection_status());
    SocketAddress a;
    EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION, iface->get_ip_address(&a));
    EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION, iface->bringdown());

    for (int cycle = 0; cycle < 2; ++cycle) {  // reconnect after disconnect works
        ASSERT_EQ(NSAPI_ERROR_OK, iface->bringup(true, nullptr, nullptr, nullptr));
        EXPECT_EQ(NSAPI_STATUS_GLOBAL_UP, iface->get_connection_status());
        EXPECT_EQ(NSAPI_ERROR_IS_CONNECTED, iface->bringup(true, nullptr, nullptr, nullptr));
        ASSERT_EQ(NSAPI_ERROR_OK, iface->get_ip_address(&a));
        EXPECT_STREQ("127.0.0.1", a.get_ip_address());
        ASSERT_EQ(NSAPI_ERROR_OK, iface->get_netmask(&a));
        EXPECT_STREQ("255.0.0.0", a.get_ip_address());
        EXPECT_EQ(NSAPI_ERROR_NO_ADDRESS, iface->get_gateway(&a));  // loopback has none
        char name[NSAPI_INTERFACE_NAME_MAX_SIZE];
        ASSERT_NE(nullptr, iface->get_interface_name(name));
        EXPECT_STREQ("lo", name);
        char mac[NSAPI_MAC_SIZE];
        ASSERT_NE(nullptr, iface->get_mac_address(mac, sizeof mac));
        EXPECT_STREQ("00:00:00:00:00:00", mac);
        EXPECT_EQ(nullptr, iface->get_mac_address(mac, 4));
        ASSERT_EQ(NSAPI_ERROR_OK, iface->bringdown());
        EXPECT_EQ(NSAPI_STATUS_DISCONNECTED, iface->get_connection_status());
        EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION, iface->get_ip_address(&a));
    }
    const std::vector<intptr_t> expected = {NSAPI_STATUS_CONNECTING,   NSAPI_STATUS_GLOBAL_UP,
                                            NSAPI_STATUS_DISCONNECTED, NSAPI_STATUS_CONNECTING,
                                            NSAPI_STATUS_GLOBAL_UP,    NSAPI_STATUS_DISCONNECTED};
    EXPECT_EQ(expected, log.snapshot());
    iface->attach(nullptr);
}

TEST(HostInterface, NonBlockingBringupCompletesOnTheLoopThread) {
    HostStack stack(HostStack::Options{16, "lo"});
    OnboardNetworkStack::Interface *iface = nullptr;
    ASSERT_EQ(NSAPI_ERROR_OK,
              stack.add_ethernet_interface(EMAC::get_default_instance(), true, &iface));
    StatusLog log;
    iface->attach(mbed::callback(&log, &StatusLog::on_event));
    ASSERT_EQ(NSAPI_ERROR_OK,
              iface->bringup(true, nullptr, nullptr, nullptr, DEFAULT_STACK, false));
    const nsapi_error_t again =
        iface->bringup(true, nullptr, nullptr, nullptr, DEFAULT_STACK, false);
    EXPECT_TRUE(again == NSAPI_ERROR_BUSY || again == NSAPI_ERROR_IS_CONNECTED) << again;
    ASSERT_TRUE(eventually([&] { return log.size() >= 2; }));
    EXPECT_EQ(kUpSequence, log.snapshot());
    EXPECT_EQ(NSAPI_STATUS_GLOBAL_UP, iface->get_connection_status());
    ASSERT_EQ(NSAPI_ERROR_OK, iface->bringdown());
    EXPECT_EQ(NSAPI_STATUS_DISCONNECTED, log.snapshot().back());
    iface->attach(nullptr);
}

TEST(HostInterface, MissingHostInterfaceFailsWithNoConnection) {
    HostStack stack(HostStack::Options{16, "no-such-if0"});
    OnboardNetworkStack::Interface *iface = nullptr;
    ASSERT_EQ(NSAPI_ERROR_OK,
              stack.add_ethernet_interface(EMAC::get_default_instance(), true, &iface));
    StatusLog log;
    iface->attach(mbed::callback(&log, &StatusLog::on_event));
    EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION, iface->bringup(true, nullptr, nullptr, nullptr));
    const std::vector<intptr_t> expected = {NSAPI_STATUS_CONNECTING, NSAPI_STATUS_DISCONNECTED};
    EXPECT_EQ(expected, log.snapshot());
    EXPECT_EQ(NSAPI_STATUS_DISCONNECTED, iface->get_connection_status());
    iface->attach(nullptr);
}

TEST(HostInterface, Ipv6StackReportsAnIpv6Address) {
    HostStack stack(HostStack::Options{16, "lo"});
    OnboardNetworkStack::Interface *iface = nullptr;
    ASSERT_EQ(NSAPI_ERROR_OK,
              stack.add_ethernet_interface(EMAC::get_default_instance(), true, &iface));
    HostInterfaceInfo info;
    ASSERT_TRUE(read_host_interface("lo", &info));
    if (!info.has_ipv6) {
        EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION,
                  iface->bringup(true, nullptr, nullptr, nullptr, IPV6_STACK));
        return;
    }
    ASSERT_EQ(NSAPI_ERROR_OK, iface->bringup(true, nullptr, nullptr, nullptr, IPV6_STACK));
    SocketAddress a;
    ASSERT_EQ(NSAPI_ERROR_OK, iface->get_ip_address(&a));
    EXPECT_STREQ("::1", a.get_ip_address());
    ASSERT_EQ(NSAPI_ERROR_OK, stack.get_ip_address(&a));  // the stack follows its default
    EXPECT_STREQ("::1", a.get_ip_address());
    iface->bringdown();
}

TEST(HostInterface, SetterWinsOverConfiguredName) {
    meshwork::config::MeshworkConfig configured;
    configured.host_interface = "no-such-if0";
    HostStack stack(HostStack::Options::from(configured));
    stack.set_interface_name("lo");
    OnboardNetworkStack::Interface *iface = nullptr;
    ASSERT_EQ(NSAPI_ERROR_OK,
              stack.add_ethernet_interface(EMAC::get_default_instance(), true, &iface));
    EXPECT_EQ(NSAPI_ERROR_OK, iface->bringup(true, nullptr, nullptr, nullptr));
    iface->bringdown();
}

TEST(HostEthernetInterface, DefaultStackIsTheHostStack) {
    OnboardNetworkStack &stack = OnboardNetworkStack::get_default_instance();
    EXPECT_EQ(&stack, &HostStack::default_instance());
    EXPECT_NE(nullptr, dynamic_cast<HostStack *>(&stack));
}

TEST(HostEthernetInterface, ConnectDisconnectAsOnMbed) {
    EthernetInterface eth;
    StatusLog log;
    eth.attach(mbed::callback(&log, &StatusLog::on_event));
    EXPECT_EQ(NSAPI_STATUS_DISCONNECTED, eth.get_connection_status());
    EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION, eth.disconnect());
    ASSERT_EQ(NSAPI_ERROR_OK, eth.connect());
    EXPECT_EQ(NSAPI_ERROR_IS_CONNECTED, eth.connect());
    SocketAddress a;
    ASSERT_EQ(NSAPI_ERROR_OK, eth.get_ip_address(&a));
    EXPECT_NE(NSAPI_UNSPEC, a.get_ip_version());
    ASSERT_EQ(NSAPI_ERROR_OK, eth.disconnect());
    EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION, eth.disconnect());
    EXPECT_EQ((std::vector<intptr_t>{NSAPI_STATUS_CONNECTING, NSAPI_STATUS_GLOBAL_UP,
                                     NSAPI_STATUS_DISCONNECTED}),
              log.snapshot());

    // Non-blocking: connect() returns at once, BUSY while connecting, events as above.
    StatusLog log2;
    eth.attach(mbed::callback(&log2, &StatusLog::on_event));
    eth.set_blocking(false);
    ASSERT_EQ(NSAPI_ERROR_OK, eth.connect());
    const nsapi_error_t again = eth.connect();
    EXPECT_TRUE(again == NSAPI_ERROR_BUSY || again == NSAPI_ERROR_IS_CONNECTED) << again;
    ASSERT_TRUE(eventually([&] { return log2.size() >= 2; }));
    EXPECT_EQ(kUpSequence, log2.snapshot());
    ASSERT_EQ(NSAPI_ERROR_OK, eth.disconnect());
    EXPECT_EQ(NSAPI_STATUS_DISCONNECTED, eth.get_connection_status());
    eth.attach(nullptr);
}

TEST(HostEthernetInterface, DefaultNetworkInterfaceConnects) {
    NetworkInterface *net = NetworkInterface::get_default_instance();
    ASSERT_NE(nullptr, net);
    ASSERT_NE(nullptr, net->ethInterface());
    const nsapi_error_t r = net->connect();
    EXPECT_TRUE(r == NSAPI_ERROR_OK || r == NSAPI_ERROR_IS_CONNECTED) << r;
    SocketAddress a;
    EXPECT_EQ(NSAPI_ERROR_OK, net->get_ip_address(&a));
    EXPECT_EQ(NSAPI_ERROR_OK, net->disconnect());
}

}  // namespace
}  // namespace meshwork::host::test
