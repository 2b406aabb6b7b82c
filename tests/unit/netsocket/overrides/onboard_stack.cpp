// An application's own OnboardNetworkStack::get_default_instance() replaces the host backend's
// (weak) one in a program linking meshwork::meshwork: EthernetInterface's default argument takes
// it.
#include <gtest/gtest.h>

#include "EthernetInterface.h"
#include "FakeOnboardStack.h"

namespace {
meshwork::test::FakeOnboardStack app_stack;
}

OnboardNetworkStack &OnboardNetworkStack::get_default_instance() {
    return app_stack;
}

TEST(DefaultOverride, OnboardNetworkStack) {
    EthernetInterface eth;
    ASSERT_EQ(eth.connect(), NSAPI_ERROR_OK);
    EXPECT_EQ(app_stack.adds, 1);
}
