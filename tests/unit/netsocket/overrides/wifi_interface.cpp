// An application's own WiFiInterface::get_default_instance() is what the library's
// NetworkInterface::get_default_instance() returns when its mbed_app.json says
// target.network-default-interface-type WIFI (wifi_app.json, built with meshwork_configure).
#include <gtest/gtest.h>

#include "AppInterfaces.h"

namespace {
meshwork::test::AppWiFi app;
}

WiFiInterface *WiFiInterface::get_default_instance() {
    return &app;
}

TEST(DefaultOverride, WiFiInterface) {
    EXPECT_EQ(WiFiInterface::get_default_instance(), &app);
    EXPECT_EQ(NetworkInterface::get_default_instance(), static_cast<NetworkInterface *>(&app));
    EXPECT_EQ(app.ssid, "home-net") << "the library applied the default parameters";
}
