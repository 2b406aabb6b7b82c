// An application's own MeshInterface::get_default_instance() is what the library's
// NetworkInterface::get_default_instance() returns when its mbed_app.json says
// target.network-default-interface-type MESH (mesh_app.json, built with meshwork_configure).
#include <gtest/gtest.h>

#include "AppInterfaces.h"

namespace {
meshwork::test::AppMesh app;
}

MeshInterface *MeshInterface::get_default_instance() {
    return &app;
}

TEST(DefaultOverride, MeshInterface) {
    EXPECT_EQ(MeshInterface::get_default_instance(), &app);
    EXPECT_EQ(NetworkInterface::get_default_instance(), static_cast<NetworkInterface *>(&app));
}
