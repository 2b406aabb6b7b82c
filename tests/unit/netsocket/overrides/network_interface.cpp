// An application's own NetworkInterface::get_default_instance() replaces the library's.
#include <gtest/gtest.h>

#include "AppInterfaces.h"

namespace {
meshwork::test::AppEth app;
}

NetworkInterface *NetworkInterface::get_default_instance() {
    return &app;
}

TEST(DefaultOverride, NetworkInterface) {
    EXPECT_EQ(NetworkInterface::get_default_instance(), static_cast<NetworkInterface *>(&app));
    // The library's Ethernet default is still there, and is another object.
    EXPECT_NE(static_cast<NetworkInterface *>(EthInterface::get_default_instance()),
              static_cast<NetworkInterface *>(&app));
}
