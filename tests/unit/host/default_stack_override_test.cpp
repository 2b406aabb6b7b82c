// An application that links the host backend may still define
// OnboardNetworkStack::get_default_instance() itself, as on Mbed: the host's definition is weak,
// so the program links (no duplicate symbol) and EthernetInterface's default argument takes the
// application's stack.
#include <gtest/gtest.h>

#include "EthernetInterface.h"
#include "FakeOnboardStack.h"
#include "meshwork/HostStack.h"

namespace {
meshwork::test::FakeOnboardStack app_stack;
}

OnboardNetworkStack &OnboardNetworkStack::get_default_instance() {
    return app_stack;
}

namespace {

TEST(HostDefaultStack, ApplicationDefinitionReplacesTheHostStack) {
    EXPECT_EQ(&OnboardNetworkStack::get_default_instance(),
              static_cast<OnboardNetworkStack *>(&app_stack));
    EthernetInterface eth;  // default EMAC and default stack
    ASSERT_EQ(eth.connect(), NSAPI_ERROR_OK);
    EXPECT_EQ(app_stack.adds, 1) << "the interface was added to the application's stack";
    // The host stack itself is still there for whoever asks for it by name.
    EXPECT_NE(static_cast<OnboardNetworkStack *>(&meshwork::HostStack::default_instance()),
              static_cast<OnboardNetworkStack *>(&app_stack));
}

}  // namespace
