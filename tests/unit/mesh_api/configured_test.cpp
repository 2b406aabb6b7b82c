// An application configured like Mbed's mesh-minimal example (examples/mesh-minimal's
// mbed_app.json, through meshwork_configure): the precompiled libraries read it at run time, so
// NetworkInterface::get_default_instance() and MeshInterface::get_default_instance() are one
// LoWPANNDInterface on the default radio. This process has no simulation: the radio has no
// mesh backend, and connect() is NSAPI_ERROR_UNSUPPORTED.
#include <gtest/gtest.h>

#include "LoWPANNDInterface.h"
#include "NanostackRfPhy.h"
#include "mesh/api/LowpanNdSettings.h"
#include "meshwork/config/ApplicationConfiguration.h"

static_assert(MBED_CONF_MBED_MESH_API_HEAP_SIZE == 14000, "mbed_config.h is force-included");
static_assert(MBED_CONF_MBED_MESH_API_6LOWPAN_ND_CHANNEL == 12, "the example's channel");

namespace {

TEST(MeshConfigured, DefaultInstancesAreTheLowpanInterface) {
    const meshwork::config::Configuration &c = meshwork::config::application_configuration();
    ASSERT_TRUE(meshwork::meshapi::selects_lowpan_nd(c));
    MeshInterface *mesh = MeshInterface::get_default_instance();
    ASSERT_NE(mesh, nullptr);
    EXPECT_NE(dynamic_cast<LoWPANNDInterface *>(mesh), nullptr);
    EXPECT_EQ(NetworkInterface::get_default_instance(), static_cast<NetworkInterface *>(mesh));
    EXPECT_EQ(MeshInterface::get_default_instance(), mesh);  // one instance
    EXPECT_EQ(NanostackRfPhy::get_default_instance().meshwork_backend(), nullptr);
    EXPECT_EQ(mesh->connect(), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(mesh->get_connection_status(), NSAPI_STATUS_DISCONNECTED);
    EXPECT_EQ(mesh->disconnect(), NSAPI_ERROR_NO_CONNECTION);

    std::vector<std::string> errors;
    const meshwork::meshapi::LowpanNdSettings s =
        meshwork::meshapi::LowpanNdSettings::from_configuration(c, errors);
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(s.channels(), std::vector<std::uint8_t>{12});
    EXPECT_EQ(s.heap_size, 14000u);
}

}  // namespace
