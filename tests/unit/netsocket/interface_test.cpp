// NetworkInterface defaults, EMACInterface/EthernetInterface status rules against a scripted
// onboard stack, event listeners and the library's default instances.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "EthernetInterface.h"
#include "FakeOnboardStack.h"
#include "UnsupportedStack.h"
#include "MeshInterface.h"
#include "WiFiInterface.h"
#include "nsapi.h"

using meshwork::test::FakeOnboardStack;

// This program links no backend; like an application, it supplies the default stack itself.
OnboardNetworkStack &OnboardNetworkStack::get_default_instance() {
    static meshwork::test::UnsupportedStack stack;
    return stack;
}

namespace {

struct Recorder {
    std::vector<intptr_t> statuses;
    void on_event(nsapi_event_t e, intptr_t v) {
        if (e == NSAPI_EVENT_CONNECTION_STATUS_CHANGE) {
            statuses.push_back(v);
        }
    }
    mbed::Callback<void(nsapi_event_t, intptr_t)> cb() {
        return mbed::callback(this, &Recorder::on_event);
    }
};

class EmacTest : public ::testing::Test {
  protected:
    FakeOnboardStack stack;
    EthernetInterface eth{EMAC::get_default_instance(), stack};
    Recorder rec;
};

TEST_F(EmacTest, DisconnectedBeforeConnect) {
    EXPECT_EQ(eth.get_connection_status(), NSAPI_STATUS_DISCONNECTED);
    SocketAddress a;
    EXPECT_EQ(eth.get_ip_address(&a), NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(eth.get_netmask(&a), NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(eth.get_gateway(&a), NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(eth.get_ipv6_link_local_address(&a), NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(eth.get_mac_address(), nullptr);
    char name[NSAPI_INTERFACE_NAME_MAX_SIZE];
    EXPECT_EQ(eth.get_interface_name(name), nullptr);
    EXPECT_EQ(eth.disconnect(), NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(stack.adds, 0);
}

TEST_F(EmacTest, BlockingConnectDisconnectReconnect) {
    eth.attach(rec.cb());
    ASSERT_EQ(eth.connect(), NSAPI_ERROR_OK);
    EXPECT_TRUE(stack.iface.last_blocking);
    EXPECT_TRUE(stack.iface.last_dhcp);
    EXPECT_EQ(stack.user, static_cast<NetworkInterface *>(&eth));
    EXPECT_EQ(eth.get_connection_status(), NSAPI_STATUS_GLOBAL_UP);
    EXPECT_EQ(rec.statuses, (std::vector<intptr_t>{NSAPI_STATUS_CONNECTING, NSAPI_STATUS_LOCAL_UP,
                                                   NSAPI_STATUS_GLOBAL_UP}));
    SocketAddress a;
    ASSERT_EQ(eth.get_ip_address(&a), NSAPI_ERROR_OK);
    EXPECT_STREQ(a.get_ip_address(), "192.0.2.10");
    EXPECT_STREQ(eth.get_mac_address(), "02:00:00:00:00:01");
    char name[NSAPI_INTERFACE_NAME_MAX_SIZE];
    EXPECT_STREQ(eth.get_interface_name(name), "fk0");

    EXPECT_EQ(eth.connect(), NSAPI_ERROR_IS_CONNECTED);
    EXPECT_EQ(stack.iface.bringups, 1);

    rec.statuses.clear();
    EXPECT_EQ(eth.disconnect(), NSAPI_ERROR_OK);
    EXPECT_EQ(eth.get_connection_status(), NSAPI_STATUS_DISCONNECTED);
    EXPECT_EQ(rec.statuses, (std::vector<intptr_t>{NSAPI_STATUS_DISCONNECTED}));
    EXPECT_EQ(eth.disconnect(), NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(stack.iface.bringdowns, 1);

    // Reconnect reuses the stack interface.
    rec.statuses.clear();
    ASSERT_EQ(eth.connect(), NSAPI_ERROR_OK);
    EXPECT_EQ(eth.get_connection_status(), NSAPI_STATUS_GLOBAL_UP);
    EXPECT_EQ(rec.statuses.front(), NSAPI_STATUS_CONNECTING);
    EXPECT_EQ(rec.statuses.back(), NSAPI_STATUS_GLOBAL_UP);
    EXPECT_EQ(stack.adds, 1);
    EXPECT_EQ(stack.iface.bringups, 2);
}

TEST_F(EmacTest, NonBlockingConnectIsBusyUntilUp) {
    eth.attach(rec.cb());
    ASSERT_EQ(eth.set_blocking(false), NSAPI_ERROR_OK);
    ASSERT_EQ(eth.connect(), NSAPI_ERROR_OK);
    EXPECT_FALSE(stack.iface.last_blocking);
    EXPECT_EQ(eth.get_connection_status(), NSAPI_STATUS_CONNECTING);
    EXPECT_EQ(eth.connect(), NSAPI_ERROR_BUSY);
    EXPECT_EQ(stack.iface.bringups, 1);
    stack.iface.complete();
    EXPECT_EQ(eth.get_connection_status(), NSAPI_STATUS_GLOBAL_UP);
    EXPECT_EQ(eth.connect(), NSAPI_ERROR_IS_CONNECTED);
    EXPECT_EQ(rec.statuses, (std::vector<intptr_t>{NSAPI_STATUS_CONNECTING, NSAPI_STATUS_LOCAL_UP,
                                                   NSAPI_STATUS_GLOBAL_UP}));
    EXPECT_EQ(eth.disconnect(), NSAPI_ERROR_OK);
    EXPECT_EQ(rec.statuses.back(), NSAPI_STATUS_DISCONNECTED);
}

TEST_F(EmacTest, DisconnectWhileConnectingAborts) {
    eth.set_blocking(false);
    ASSERT_EQ(eth.connect(), NSAPI_ERROR_OK);
    EXPECT_EQ(eth.disconnect(), NSAPI_ERROR_OK);
    EXPECT_EQ(eth.get_connection_status(), NSAPI_STATUS_DISCONNECTED);
    EXPECT_EQ(stack.iface.bringdowns, 1);
}

TEST_F(EmacTest, FailedBringupCanBeRetried) {
    stack.iface.bringup_result = NSAPI_ERROR_DHCP_FAILURE;
    EXPECT_EQ(eth.connect(), NSAPI_ERROR_DHCP_FAILURE);
    EXPECT_EQ(eth.get_connection_status(), NSAPI_STATUS_DISCONNECTED);
    stack.iface.bringup_result = NSAPI_ERROR_OK;
    EXPECT_EQ(eth.connect(), NSAPI_ERROR_OK);
    EXPECT_EQ(eth.get_connection_status(), NSAPI_STATUS_GLOBAL_UP);
}

TEST_F(EmacTest, FailedAddIsReported) {
    stack.add_result = NSAPI_ERROR_NO_MEMORY;
    EXPECT_EQ(eth.connect(), NSAPI_ERROR_NO_MEMORY);
    EXPECT_EQ(eth.get_connection_status(), NSAPI_STATUS_DISCONNECTED);
    stack.add_result = NSAPI_ERROR_OK;
    EXPECT_EQ(eth.connect(), NSAPI_ERROR_OK);
}

TEST_F(EmacTest, StaticNetworkBothGenerations) {
    ASSERT_EQ(eth.set_network(SocketAddress("10.1.2.3"), SocketAddress("255.255.0.0"),
                              SocketAddress("10.1.0.1")),
              NSAPI_ERROR_OK);
    ASSERT_EQ(eth.connect(), NSAPI_ERROR_OK);
    EXPECT_FALSE(stack.iface.last_dhcp);
    EXPECT_EQ(stack.iface.last_ip, "10.1.2.3");
    EXPECT_EQ(stack.iface.last_netmask, "255.255.0.0");
    EXPECT_EQ(stack.iface.last_gw, "10.1.0.1");
    eth.disconnect();

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    ASSERT_EQ(eth.set_network("fd00::5", "ffff:ffff:ffff:ffff::", nullptr), NSAPI_ERROR_OK);
    ASSERT_EQ(eth.connect(), NSAPI_ERROR_OK);
    EXPECT_EQ(stack.iface.last_ip, "fd00::5");
    EXPECT_EQ(stack.iface.last_netmask, "ffff:ffff:ffff:ffff::");
    EXPECT_EQ(stack.iface.last_gw, "");
    // 5.x text getters.
    EXPECT_STREQ(eth.get_ip_address(), "192.0.2.10");
    EXPECT_STREQ(eth.get_netmask(), "255.255.255.0");
    EXPECT_STREQ(eth.get_gateway(), "192.0.2.1");
    eth.disconnect();
    EXPECT_EQ(eth.get_ip_address(), nullptr) << "no address once down";
#pragma GCC diagnostic pop

    ASSERT_EQ(eth.set_dhcp(true), NSAPI_ERROR_OK);
    ASSERT_EQ(eth.connect(), NSAPI_ERROR_OK);
    EXPECT_TRUE(stack.iface.last_dhcp);
}

TEST_F(EmacTest, MacAddress) {
    uint8_t mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
    EXPECT_EQ(eth.set_mac_address(mac, 5), NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(eth.set_mac_address(nullptr, 6), NSAPI_ERROR_PARAMETER);
    ASSERT_EQ(eth.set_mac_address(mac, 6), NSAPI_ERROR_OK);
    EXPECT_STREQ(eth.get_mac_address(), "02:11:22:33:44:55");
    ASSERT_EQ(eth.connect(), NSAPI_ERROR_OK);
    EXPECT_TRUE(stack.mac_given);
    EXPECT_EQ(memcmp(stack.mac, mac, 6), 0);
    EXPECT_EQ(eth.set_mac_address(mac, 6), NSAPI_ERROR_BUSY);
}

TEST_F(EmacTest, EventListeners) {
    Recorder a, b;
    eth.add_event_listener(a.cb());
    eth.add_event_listener(b.cb());
    ASSERT_EQ(eth.connect(), NSAPI_ERROR_OK);
    EXPECT_EQ(a.statuses.size(), 3u);
    EXPECT_EQ(b.statuses, a.statuses);
    eth.remove_event_listener(a.cb());
    eth.disconnect();
    EXPECT_EQ(a.statuses.size(), 3u);
    EXPECT_EQ(b.statuses.back(), NSAPI_STATUS_DISCONNECTED);
    // attach() after the listeners replaces the fan-out, as in Mbed.
    eth.attach(rec.cb());
    eth.connect();
    EXPECT_EQ(rec.statuses.back(), NSAPI_STATUS_GLOBAL_UP);
    EXPECT_EQ(b.statuses.back(), NSAPI_STATUS_DISCONNECTED);
    // attach(nullptr) detaches.
    eth.attach(nullptr);
    size_t before = rec.statuses.size();
    eth.disconnect();
    EXPECT_EQ(rec.statuses.size(), before);
}

TEST_F(EmacTest, DownCastsAndStack) {
    EXPECT_EQ(eth.ethInterface(), static_cast<EthInterface *>(&eth));
    EXPECT_EQ(eth.emacInterface(), static_cast<EMACInterface *>(&eth));
    EXPECT_EQ(eth.wifiInterface(), nullptr);
    EXPECT_EQ(eth.meshInterface(), nullptr);
    EXPECT_EQ(eth.cellularInterface(), nullptr);
    EXPECT_EQ(&eth.get_emac(), &EMAC::get_default_instance());
    EXPECT_EQ(nsapi_create_stack(&eth), static_cast<NetworkStack *>(&stack));
    EXPECT_EQ(stack.onboardNetworkStack(), &stack);
}

TEST_F(EmacTest, DnsForwardsToStack) {
    SocketAddress a;
    EXPECT_EQ(eth.gethostbyname("", &a), NSAPI_ERROR_PARAMETER);
    ASSERT_EQ(eth.gethostbyname("192.0.2.55", &a), NSAPI_ERROR_OK);
    EXPECT_STREQ(a.get_ip_address(), "192.0.2.55");
    EXPECT_EQ(eth.gethostbyname("192.0.2.55", &a, NSAPI_IPv6), NSAPI_ERROR_DNS_FAILURE);
    ASSERT_EQ(eth.gethostbyname("2001:db8::55", &a, NSAPI_IPv6), NSAPI_ERROR_OK);
    EXPECT_EQ(a.get_ip_version(), NSAPI_IPv6);
}

TEST_F(EmacTest, ResolvingConstructorOfMbed5) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    SocketAddress through_interface(&eth, "192.0.2.77", 8080);
    SocketAddress through_stack(static_cast<NetworkStack *>(&stack), "2001:db8::77");
    SocketAddress failed(&eth, "", 9);
#pragma GCC diagnostic pop
    EXPECT_STREQ(through_interface.get_ip_address(), "192.0.2.77");
    EXPECT_EQ(through_interface.get_port(), 8080);
    EXPECT_STREQ(through_stack.get_ip_address(), "2001:db8::77");
    EXPECT_FALSE(failed);
    EXPECT_EQ(failed.get_port(), 9);
}

// A bare interface sees Mbed's base-class defaults.
class BareInterface : public NetworkInterface {
  public:
    nsapi_error_t connect() override { return NSAPI_ERROR_OK; }
    nsapi_error_t disconnect() override { return NSAPI_ERROR_OK; }

  protected:
    NetworkStack *get_stack() override { return nullptr; }
};

TEST(NetworkInterfaceDefaults, BaseClassDefaults) {
    BareInterface bare;
    SocketAddress a;
    EXPECT_EQ(bare.get_ip_address(&a), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(bare.get_netmask(&a), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(bare.get_gateway(&a), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(bare.get_ipv6_link_local_address(&a), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(bare.set_network(a, a, a), NSAPI_ERROR_UNSUPPORTED);
    uint8_t mac[6] = {};
    EXPECT_EQ(bare.set_mac_address(mac, 6), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(bare.get_mac_address(), nullptr);
    char name[8];
    EXPECT_EQ(bare.get_interface_name(name), nullptr);
    EXPECT_EQ(bare.set_dhcp(true), NSAPI_ERROR_OK);
    EXPECT_EQ(bare.set_dhcp(false), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(bare.set_blocking(false), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(bare.get_connection_status(), NSAPI_STATUS_ERROR_UNSUPPORTED);
    EXPECT_EQ(bare.ethInterface(), nullptr);
    EXPECT_EQ(bare.emacInterface(), nullptr);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    EXPECT_EQ(bare.get_ip_address(), nullptr);
    EXPECT_EQ(bare.get_netmask(), nullptr);
    EXPECT_EQ(bare.get_gateway(), nullptr);
#pragma GCC diagnostic pop
    // No stack: DNS cannot work.
    EXPECT_EQ(bare.gethostbyname("1.2.3.4", &a), NSAPI_ERROR_NO_CONNECTION);
}

TEST(NetworkInterfaceDefaults, LibraryDefaultInstances) {
    NetworkInterface *net = NetworkInterface::get_default_instance();
    ASSERT_NE(net, nullptr) << "ETHERNET is the default interface type";
    EXPECT_NE(net->ethInterface(), nullptr);
    EXPECT_EQ(net->ethInterface(), EthInterface::get_default_instance());
    EXPECT_EQ(net, NetworkInterface::get_default_instance()) << "one instance";
    EXPECT_EQ(MeshInterface::get_default_instance(), nullptr);
    EXPECT_EQ(WiFiInterface::get_default_instance(), nullptr);
    EXPECT_EQ(CellularInterface::get_default_instance(), nullptr);
    // The program's default stack supports nothing: the interface reports its refusal.
    EXPECT_EQ(net->get_connection_status(), NSAPI_STATUS_DISCONNECTED);
    EXPECT_EQ(net->connect(), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(net->get_connection_status(), NSAPI_STATUS_DISCONNECTED);
    EXPECT_EQ(net->disconnect(), NSAPI_ERROR_NO_CONNECTION);
    TCPSocket sock;
    EXPECT_EQ(sock.open(net), NSAPI_ERROR_UNSUPPORTED);
    EMAC &emac = EMAC::get_default_instance();
    EXPECT_FALSE(emac.power_up());
}

}  // namespace
