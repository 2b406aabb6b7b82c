// An application's own EMAC::get_default_instance() is the EMAC EthernetInterface's default
// argument takes.
#include <gtest/gtest.h>

#include "AppInterfaces.h"
#include "EthernetInterface.h"

namespace {
meshwork::test::AppEmac app_emac;
}

EMAC &EMAC::get_default_instance() {
    return app_emac;
}

TEST(DefaultOverride, Emac) {
    EthernetInterface eth;
    EXPECT_EQ(&eth.get_emac(), static_cast<EMAC *>(&app_emac));
}
