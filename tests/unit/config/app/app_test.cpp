// An application compiled with the mbed_config.h that meshwork_configure() generated from
// app/mbed_app.json (force-included, as on Mbed). The macros are checked the ways Mbed code
// consumes them, and against the typed Configuration loaded from the same file at run time.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "meshwork/config/ApplicationConfiguration.h"
#include "meshwork/config/ConfigLoader.h"

#ifndef __MBED_CONFIG_DATA__
#error "mbed_config.h was not force-included"
#endif

// Numbers and expressions are usable in #if and constant expressions.
static_assert(MBED_CONF_MBED_MESH_API_HEAP_SIZE == 20000, "heap-size from target_overrides *");
static_assert(MBED_CONF_MBED_MESH_API_6LOWPAN_ND_CHANNEL_MASK == (1 << 15),
              "mask expression pasted");
static_assert(MBED_CONF_MBED_MESH_API_THREAD_CONFIG_PANID == 0x1234, "hex token pasted");
static_assert(MBED_CONF_MBED_MESH_API_THREAD_CONFIG_CHANNEL == 15, "channel");
static_assert((MBED_CONF_APP_RETRY_MASK) == 40,
              "pasted verbatim, so the user adds the parentheses");
static_assert(MBED_CONF_APP_SIM_ONLY == 7, "SIM_NODE section applied, K64F ignored");
static_assert(MBED_CONF_EVENTS_SHARED_STACKSIZE == 2048, "library default");
static_assert(APP_BUILD_ID == 42, "macros list");
#if !MBED_CONF_APP_FEATURE_ON || MBED_CONF_APP_FEATURE_OFF
#error "booleans must be 1/0"
#endif
#ifdef MBED_CONF_APP_OPTIONAL_THING
#error "null must give no macro"
#endif
#ifndef APP_PLAIN
#error "bare macro missing"
#endif
#if !defined(TARGET_LINUX) || !defined(TARGET_SIM_NODE) || defined(TARGET_K64F)
#error "target labels"
#endif
#if !FEATURE_IPV6 || !DEVICE_802_15_4_PHY
#error "features_add / device_has_add"
#endif

// The token-comparison trick of NetworkInterfaceDefaults.cpp / ThreadInterface.cpp.
#define ETHERNET 1
#define MESH 3
#if MBED_CONF_TARGET_NETWORK_DEFAULT_INTERFACE_TYPE != MESH
#error "network-default-interface-type"
#endif
#undef ETHERNET
#undef MESH
#define THREAD 0x2345
#if MBED_CONF_NSAPI_DEFAULT_MESH_TYPE != THREAD
#error "default-mesh-type"
#endif
#undef THREAD

namespace {

// Stand-ins for the enumerators the mesh headers define; the config pastes their names.
enum LocalMeshDeviceType {
    MESH_DEVICE_TYPE_THREAD_ROUTER = 0,
    MESH_DEVICE_TYPE_THREAD_SLEEPY_END_DEVICE = 1,
    MESH_DEVICE_TYPE_THREAD_MINIMAL_END_DEVICE = 2,
};
enum LocalLowpanMode { NET_6LOWPAN_BORDER_ROUTER, NET_6LOWPAN_ROUTER, NET_6LOWPAN_HOST };

#define STR_HELPER(x) #x
#define STR(x) STR_HELPER(x)

const std::uint8_t kMasterKey[] = MBED_CONF_MBED_MESH_API_THREAD_MASTER_KEY;
static_assert(sizeof kMasterKey == 16, "brace initialiser of 16 bytes");
const std::uint8_t kPrefix[] = MBED_CONF_MBED_MESH_API_THREAD_CONFIG_ML_PREFIX;
constexpr char kNetworkName[] = MBED_CONF_MBED_MESH_API_THREAD_CONFIG_NETWORK_NAME;
static_assert(sizeof kNetworkName == 8, "\"app-net\" plus NUL");
constexpr LocalMeshDeviceType kDeviceType = MBED_CONF_MBED_MESH_API_THREAD_DEVICE_TYPE;
static_assert(kDeviceType == MESH_DEVICE_TYPE_THREAD_SLEEPY_END_DEVICE, "enum token");
constexpr LocalLowpanMode kLowpanMode = MBED_CONF_MBED_MESH_API_6LOWPAN_ND_DEVICE_TYPE;
static_assert(kLowpanMode == NET_6LOWPAN_ROUTER, "library default token");

meshwork::config::LoadResult load_same_file() {
    meshwork::config::LoadOptions options;
    options.app_config_path = MESHWORK_CONFIG_APP_JSON;
    options.labels = {"LINUX", "SIM_NODE"};
    return meshwork::config::load_configuration(options);
}

TEST(ConfigApp, StringsAndTokensAsMbedCodeUsesThem) {
    EXPECT_STREQ(MBED_CONF_APP_GREETING, "hello mesh");
    EXPECT_STREQ(MBED_CONF_MBED_MESH_API_THREAD_PSKD, "PSKD42");
    EXPECT_STREQ(STR(MBED_CONF_MBED_MESH_API_6LOWPAN_ND_SECURITY_MODE), "PSK");
    EXPECT_STREQ(STR(MBED_CONF_APP_BUTTON), "NC");
    EXPECT_EQ(kMasterKey[0], 0xf0);
    EXPECT_EQ(kMasterKey[15], 0x0f);
    EXPECT_EQ(kPrefix[0], 0xfd);
}

TEST(ConfigApp, TypedConfigurationAgreesWithTheHeader) {
    meshwork::config::LoadResult r = load_same_file();
    ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors.front());
    const meshwork::config::Configuration &c = r.config;
    EXPECT_EQ(c.mesh.heap_size, static_cast<std::uint32_t>(MBED_CONF_MBED_MESH_API_HEAP_SIZE));
    EXPECT_EQ(c.mesh.lowpan_nd.channel_mask,
              static_cast<std::uint32_t>(MBED_CONF_MBED_MESH_API_6LOWPAN_ND_CHANNEL_MASK));
    EXPECT_EQ(c.mesh.lowpan_nd.security_mode, meshwork::config::LowpanSecurityMode::kPsk);
    EXPECT_EQ(c.mesh.thread.panid, MBED_CONF_MBED_MESH_API_THREAD_CONFIG_PANID);
    EXPECT_EQ(c.mesh.thread.channel, MBED_CONF_MBED_MESH_API_THREAD_CONFIG_CHANNEL);
    EXPECT_EQ(c.mesh.thread.network_name, kNetworkName);
    EXPECT_EQ(c.mesh.thread.pskd, MBED_CONF_MBED_MESH_API_THREAD_PSKD);
    EXPECT_EQ(0, std::memcmp(c.mesh.thread.master_key.data(), kMasterKey, sizeof kMasterKey));
    EXPECT_EQ(0, std::memcmp(c.mesh.thread.ml_prefix.data(), kPrefix, sizeof kPrefix));
    EXPECT_EQ(static_cast<int>(c.mesh.thread.device_type), static_cast<int>(kDeviceType));
    EXPECT_EQ(c.app.get_int("sim-only"), std::optional<std::int64_t>(MBED_CONF_APP_SIM_ONLY));
    EXPECT_EQ(c.app.get_int("retry-mask"), std::optional<std::int64_t>(MBED_CONF_APP_RETRY_MASK));
    EXPECT_EQ(c.app.get_c_string("greeting"), std::optional<std::string>(MBED_CONF_APP_GREETING));
    EXPECT_EQ(c.events.shared_stacksize,
              static_cast<std::uint32_t>(MBED_CONF_EVENTS_SHARED_STACKSIZE));
    EXPECT_EQ(c.meshwork.host_socket_max,
              static_cast<std::uint32_t>(MBED_CONF_MESHWORK_HOST_SOCKET_MAX));
    EXPECT_TRUE(c.target.has_label("SIM_NODE"));
    EXPECT_EQ(c.target.network_default_interface_type, meshwork::config::InterfaceType::kMesh);
}

// The run-time path: application_configuration() reads the table meshwork_configure()
// generated into this binary, and must give exactly what loading the file gives.
TEST(ConfigApp, RunTimeConfigurationEqualsTheLoadedOne) {
    ASSERT_NE(meshwork::config::application_configuration_table(), nullptr);
    meshwork::config::LoadResult r = load_same_file();
    ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors.front());
    const meshwork::config::Configuration &loaded = r.config;
    const meshwork::config::Configuration &run = meshwork::config::application_configuration();
    auto same_values = [](const auto &a, const auto &b) {
        ASSERT_EQ(a.size(), b.size());
        for (const auto &[name, v] : a) {
            ASSERT_EQ(b.count(name), 1u) << name;
            const meshwork::config::ParameterValue &w = b.at(name);
            EXPECT_EQ(v.kind, w.kind) << name;
            EXPECT_EQ(v.text, w.text) << name;
            EXPECT_EQ(v.bool_value, w.bool_value) << name;
            EXPECT_EQ(v.int_value, w.int_value) << name;
            EXPECT_EQ(v.macro_name, w.macro_name) << name;
            EXPECT_EQ(v.set_by, w.set_by) << name;
        }
    };
    same_values(loaded.parameters, run.parameters);
    same_values(loaded.app.values, run.app.values);
    EXPECT_EQ(loaded.macros, run.macros);
    EXPECT_EQ(loaded.target.labels, run.target.labels);
    EXPECT_EQ(loaded.target.features, run.target.features);
    EXPECT_EQ(loaded.target.device_has, run.target.device_has);
    EXPECT_EQ(loaded.target.components, run.target.components);
    EXPECT_EQ(run.target.network_default_interface_type, meshwork::config::InterfaceType::kMesh);
    EXPECT_EQ(run.mesh.heap_size, 20000u);
    EXPECT_EQ(run.mesh.thread.pskd, "PSKD42");
    EXPECT_EQ(run.mesh.thread.master_key, loaded.mesh.thread.master_key);
    EXPECT_EQ(run.mesh.thread.device_type, meshwork::config::ThreadDeviceType::kSleepyEndDevice);
    EXPECT_EQ(run.mesh.lowpan_nd.security_mode, meshwork::config::LowpanSecurityMode::kPsk);
    EXPECT_EQ(run.events.present, loaded.events.present);
    EXPECT_EQ(run.rtos.present, loaded.rtos.present);
    EXPECT_EQ(run.app.get_c_string("greeting"), std::optional<std::string>("hello mesh"));
}

}  // namespace
