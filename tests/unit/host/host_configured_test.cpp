// An application configured through mbed_app.json (meshwork.host-socket-max = 7) and
// meshwork_configure(): the precompiled host library must see the application's value.
#include <gtest/gtest.h>

#include <cstdlib>

#include "meshwork/HostStack.h"

TEST(HostConfigured, SocketMaxComesFromTheApplicationsMbedAppJson)
{
    static_assert(MBED_CONF_MESHWORK_HOST_SOCKET_MAX == 7, "mbed_config.h is force-included");
    unsetenv("MESHWORK_HOST_SOCKET_MAX");
    EXPECT_EQ(meshwork::HostStack::default_socket_max(), 7u);
}
