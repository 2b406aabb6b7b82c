// An application's own EthInterface::get_default_instance() is what the library's
// NetworkInterface::get_default_instance() returns on the default (ETHERNET) configuration.
#include <gtest/gtest.h>

#include "AppInterfaces.h"

namespace {
meshwork::test::AppEth app;
}

EthInterface *EthInterface::get_default_instance() {
    return &app;
}

TEST(DefaultOverride, EthInterface) {
    EXPECT_EQ(EthInterface::get_default_instance(), &app);
    EXPECT_EQ(NetworkInterface::get_default_instance(), static_cast<NetworkInterface *>(&app));
}
