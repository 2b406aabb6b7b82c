// An application build passes meshwork.host-socket-max to the precompiled library by defining
// meshwork_host_socket_max_config strongly (as a generated source would); the weak library
// default must give way to it, also for the process-wide default stack.
#include <gtest/gtest.h>

#include <cstdlib>

#include "meshwork/HostStack.h"

extern "C" const unsigned meshwork_host_socket_max_config = 33;

namespace {

TEST(HostConfig, ApplicationValueWinsOverTheLibraryDefault) {
    ::unsetenv("MESHWORK_HOST_SOCKET_MAX");
    EXPECT_EQ(33u, meshwork::HostStack::default_socket_max());
    EXPECT_EQ(33u, meshwork::HostStack::default_instance().socket_max());
    meshwork::HostStack explicit_size(meshwork::HostStack::Options{5, ""});
    EXPECT_EQ(5u, explicit_size.socket_max());
}

}  // namespace
