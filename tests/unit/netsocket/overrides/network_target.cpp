// An application's own NetworkInterface::get_target_default_instance() is what the library's
// NetworkInterface::get_default_instance() returns.
#include <gtest/gtest.h>

#include "AppInterfaces.h"

namespace {
meshwork::test::AppMesh app;
}

NetworkInterface *NetworkInterface::get_target_default_instance() {
    return &app;
}

TEST(DefaultOverride, NetworkInterfaceTarget) {
    EXPECT_EQ(NetworkInterface::get_default_instance(), static_cast<NetworkInterface *>(&app));
}
