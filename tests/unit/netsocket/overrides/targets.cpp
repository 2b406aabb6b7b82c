// An application's own get_target_default_instance() of each interface class is what the
// library's get_default_instance() of that class returns.
#include <gtest/gtest.h>

#include "AppInterfaces.h"

namespace {
meshwork::test::AppEth eth;
meshwork::test::AppMesh mesh;
meshwork::test::AppWiFi wifi;
meshwork::test::AppCellular cellular;
}  // namespace

EthInterface *EthInterface::get_target_default_instance() {
    return &eth;
}
MeshInterface *MeshInterface::get_target_default_instance() {
    return &mesh;
}
WiFiInterface *WiFiInterface::get_target_default_instance() {
    return &wifi;
}
CellularInterface *CellularInterface::get_target_default_instance() {
    return &cellular;
}

TEST(DefaultOverride, EveryTargetDefault) {
    EXPECT_EQ(EthInterface::get_default_instance(), &eth);
    EXPECT_EQ(MeshInterface::get_default_instance(), &mesh);
    EXPECT_EQ(WiFiInterface::get_default_instance(), &wifi);
    EXPECT_EQ(CellularInterface::get_default_instance(), &cellular);
    // Ethernet is the default type, so the generic default is the application's Ethernet.
    EXPECT_EQ(NetworkInterface::get_default_instance(), static_cast<NetworkInterface *>(&eth));
}
