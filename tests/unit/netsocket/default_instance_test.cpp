// An application may define NetworkInterface::get_default_instance() itself, replacing the
// library's weak definition, exactly as on Mbed.
#include <gtest/gtest.h>

#include "EthernetInterface.h"
#include "FakeOnboardStack.h"

namespace {

meshwork::test::FakeOnboardStack app_stack;
int calls = 0;

}  // namespace

NetworkInterface *NetworkInterface::get_default_instance() {
    static EthernetInterface app_eth(EMAC::get_default_instance(), app_stack);
    calls++;
    return &app_eth;
}

namespace {

TEST(DefaultInstance, ApplicationOverrideWins) {
    NetworkInterface *net = NetworkInterface::get_default_instance();
    ASSERT_NE(net, nullptr);
    EXPECT_EQ(calls, 1);
    ASSERT_EQ(net->connect(), NSAPI_ERROR_OK) << "the application's stack is used";
    EXPECT_EQ(app_stack.adds, 1);
    EXPECT_EQ(net->get_connection_status(), NSAPI_STATUS_GLOBAL_UP);
    // The Ethernet default is still the library's own (a different object).
    EthInterface *eth = EthInterface::get_default_instance();
    ASSERT_NE(eth, nullptr);
    EXPECT_NE(static_cast<NetworkInterface *>(eth), net);
}

}  // namespace
