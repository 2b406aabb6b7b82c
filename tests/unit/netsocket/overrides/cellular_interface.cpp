// An application's own CellularInterface::get_default_instance() is what the library's
// NetworkInterface::get_default_instance() returns when its mbed_app.json says
// target.network-default-interface-type CELLULAR (cellular_app.json, built with
// meshwork_configure).
#include <gtest/gtest.h>

#include "AppInterfaces.h"

namespace {
meshwork::test::AppCellular app;
}

CellularInterface *CellularInterface::get_default_instance() {
    return &app;
}

TEST(DefaultOverride, CellularInterface) {
    EXPECT_EQ(CellularInterface::get_default_instance(), &app);
    EXPECT_EQ(NetworkInterface::get_default_instance(), static_cast<NetworkInterface *>(&app));
    EXPECT_EQ(app.apn, "internet") << "the library applied the default parameters";
}
