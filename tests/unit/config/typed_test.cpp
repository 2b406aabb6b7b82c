// The typed Configuration holds the same validated values the header pastes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "meshwork/config/ConfigLoader.h"

namespace meshwork::config {
namespace {

LoadResult load_golden(const std::string &name, std::vector<std::string> labels = {}) {
    std::ifstream in(std::filesystem::path(MESHWORK_CONFIG_GOLDEN_DIR) / name / "mbed_app.json");
    std::ostringstream ss;
    ss << in.rdbuf();
    LoadOptions options;
    options.app_config_path = name + "/mbed_app.json";
    options.app_config_text = ss.str();
    options.labels = std::move(labels);
    LoadResult r = load_configuration(options);
    EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors.front());
    return r;
}

TEST(Typed, DefaultsMatchTheLibraryFiles) {
    LoadResult r = load_configuration(LoadOptions{});
    ASSERT_TRUE(r.ok());
    const Configuration &c = r.config;
    Configuration defaults;  // the struct's own defaults must equal the mbed_lib.json defaults
    EXPECT_EQ(c.mesh.heap_size, 32500u);
    EXPECT_EQ(c.mesh.heap_size, defaults.mesh.heap_size);
    EXPECT_EQ(c.mesh.lowpan_nd.channel_mask, 0x7fff800u);
    EXPECT_EQ(c.mesh.lowpan_nd.psk_key, defaults.mesh.lowpan_nd.psk_key);
    EXPECT_EQ(c.mesh.thread.pskd, "ABCDEFGH");
    EXPECT_EQ(c.mesh.thread.channel, 22);
    EXPECT_EQ(c.mesh.thread.panid, 0x0700);
    EXPECT_EQ(c.mesh.thread.network_name, "Thread Network");
    EXPECT_EQ(c.mesh.thread.master_key, defaults.mesh.thread.master_key);
    EXPECT_EQ(c.mesh.thread.extended_panid, defaults.mesh.thread.extended_panid);
    EXPECT_EQ(c.mesh.thread.ml_prefix,
              (std::array<std::uint8_t, 8>{0xfd, 0, 0x0d, 0xb8, 0, 0, 0, 0}));
    EXPECT_EQ(c.mesh.thread.pskc, defaults.mesh.thread.pskc);
    EXPECT_EQ(c.mesh.thread.commissioning_dataset_timestamp.seconds, 1u);
    EXPECT_EQ(c.mesh.thread.commissioning_dataset_timestamp.raw(), 0x10000u);
    EXPECT_EQ(c.mesh.thread.security_policy, 255);
    EXPECT_EQ(c.nsapi.default_mesh_type, MeshType::kThread);
    EXPECT_EQ(c.nsapi.dns_response_wait_time, 10000u);
    EXPECT_FALSE(c.nsapi.default_wifi_ssid.has_value());
    EXPECT_EQ(c.events.shared_stacksize, 2048u);
    EXPECT_EQ(c.events.shared_eventsize, 768u);
    EXPECT_TRUE(c.events.present);
    EXPECT_TRUE(c.rtos.present);
    EXPECT_EQ(c.meshwork.host_socket_max, 1024u);
    EXPECT_EQ(c.nanostack_configuration, "nanostack_full");
    EXPECT_EQ(c.target.labels, std::vector<std::string>{"LINUX"});
    EXPECT_EQ(c.target.network_default_interface_type, InterfaceType::kEthernet);
    EXPECT_TRUE(c.target.has_device("EMAC"));
    EXPECT_TRUE(c.app.values.empty());
    EXPECT_EQ(c.parameters.at("nanostack-hal.event_loop_thread_stack_size").text, "6144");
}

TEST(Typed, ThreadApplication) {
    LoadResult r = load_golden("thread_app");
    const Configuration &c = r.config;
    EXPECT_EQ(c.mesh.heap_size, 30000u);
    EXPECT_EQ(c.mesh.thread.channel, 18);
    EXPECT_EQ(c.mesh.thread.panid, 0xBEEF);
    EXPECT_EQ(c.mesh.thread.network_name, "meshwork-net");
    EXPECT_EQ(c.mesh.thread.pskd, "J01NME");
    EXPECT_EQ(c.mesh.thread.extended_panid,
              (std::array<std::uint8_t, 8>{0xde, 0xad, 0x00, 0xbe, 0xef, 0x00, 0xca, 0xfe}));
    EXPECT_EQ(c.mesh.thread.master_key[0], 0x00);
    EXPECT_EQ(c.mesh.thread.master_key[15], 0xff);
    EXPECT_EQ(c.mesh.thread.device_type, ThreadDeviceType::kRouter);
    EXPECT_TRUE(c.trace.enable);  // written as 1
    EXPECT_EQ(c.trace.max_level, std::optional<std::string>("TRACE_LEVEL_INFO"));
    EXPECT_EQ(c.platform.stdio_baud_rate, 115200u);
    EXPECT_EQ(c.target.network_default_interface_type, InterfaceType::kMesh);
    EXPECT_TRUE(c.target.has_device("802_15_4_PHY"));
    EXPECT_EQ(c.nanostack_configuration, "thread_router");
    EXPECT_EQ(c.app.get_text("LED"), std::optional<std::string>("NC"));
    EXPECT_EQ(c.app.get_bool("enable-led-control-example"), std::optional<bool>(true));
    EXPECT_EQ(c.app.get_c_string("multicast-addr"), std::optional<std::string>("ff15::810a:64d1"));
    EXPECT_EQ(c.app.get_text("radio-type"), std::optional<std::string>("ATMEL"));
    EXPECT_TRUE(c.app.has("trace-buffer"));
    EXPECT_FALSE(c.app.get_text("trace-buffer").has_value());
    EXPECT_EQ(c.macros.at("MBEDTLS_USER_CONFIG_FILE"),
              std::optional<std::string>("\"mbedtls_config.h\""));
    EXPECT_EQ(c.macros.at("MESH_APP"), std::nullopt);
}

TEST(Typed, TargetSectionChangesValues) {
    LoadResult k64f = load_golden("thread_app", {"K64F"});
    EXPECT_EQ(k64f.config.app.get_text("radio-type"), std::optional<std::string>("MCR20"));
    EXPECT_EQ(k64f.config.mesh.heap_size, 14000u);  // K64F section comes after "*"
    EXPECT_EQ(k64f.config.parameters.at("mbed-mesh-api.heap-size").set_by, "application[K64F]");
}

TEST(Typed, LowpanApplication) {
    LoadResult r = load_golden("lowpan_psk_app");
    const LowpanNdConfig &l = r.config.mesh.lowpan_nd;
    EXPECT_EQ(l.channel_page, 2);
    EXPECT_EQ(l.channel, 1);
    EXPECT_EQ(l.channel_mask, (1u << 1) | (1u << 2));
    EXPECT_EQ(l.panid_filter, 0xABCD);
    EXPECT_EQ(l.security_mode, LowpanSecurityMode::kPsk);
    EXPECT_EQ(l.psk_key_id, 2);
    EXPECT_EQ(l.psk_key[15], 0x10);
    EXPECT_EQ(l.sec_level, 6);
    EXPECT_EQ(l.device_type, LowpanDeviceType::kHost);
    EXPECT_EQ(r.config.nsapi.default_mesh_type, MeshType::kLowpan);
    EXPECT_EQ(r.config.mesh.mac_neigh_table_size, 16u);
    EXPECT_EQ(r.config.app.get_int("sensor-period-ms"), std::optional<std::int64_t>(5000));
}

TEST(Typed, MeshDocumentationExample) {
    LoadResult r = load_golden("mesh_doc_example");
    EXPECT_EQ(r.config.mesh.lowpan_nd.channel, 12);
    EXPECT_EQ(r.config.mesh.lowpan_nd.channel_mask, 1u << 12);
    EXPECT_EQ(r.config.mesh.heap_size, 10000u);
    EXPECT_TRUE(r.config.target.has_feature("IPV6"));
}

TEST(Typed, SocketApplication) {
    LoadResult r = load_golden("socket_app");
    EXPECT_EQ(r.config.meshwork.host_socket_max, 256u);
    EXPECT_EQ(r.config.nsapi.default_wifi_ssid, std::optional<std::string>("\"my-ssid\""));
    EXPECT_EQ(r.config.nsapi.default_wifi_security, "WPA_WPA2");
    EXPECT_TRUE(r.config.nsapi.socket_stats_enabled);
    EXPECT_TRUE(r.config.platform.callback_nontrivial);
    EXPECT_EQ(r.config.app.get_int("remote-port"), std::optional<std::int64_t>(80));
    EXPECT_EQ(r.config.app.get_bool("use-tls-socket"), std::optional<bool>(false));
    // Pasted verbatim into C, but not an expression the evaluator supports.
    EXPECT_EQ(r.config.app.get_text("resolve-timeout-ms"), std::optional<std::string>("(5*1000)"));
    EXPECT_FALSE(r.config.app.get_int("resolve-timeout-ms").has_value());
}

TEST(Typed, RequiresExcludesLibraries) {
    LoadResult r = load_golden("bare_metal_requires");
    EXPECT_FALSE(r.config.rtos.present);
    EXPECT_TRUE(r.config.events.present);
    EXPECT_EQ(r.config.events.shared_eventsize, 512u);
    EXPECT_EQ(r.config.parameters.count("rtos.present"), 0u);
    EXPECT_EQ(r.config.parameters.count("mbed-mesh-api.heap-size"), 0u);
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_EQ(
        r.notes[0],
        "bare_metal_requires/mbed_app.json: note: \"requires\" names \"mbedtls\", which meshwork "
        "does not provide; ignored");
}

TEST(Typed, TimestampFields) {
    LoadOptions options;
    options.app_config_text =
        R"({"target_overrides": {"*": {"mbed-mesh-api.thread-config-commissioning-dataset-timestamp": "0x123450007"}}})";
    LoadResult r = load_configuration(options);
    ASSERT_TRUE(r.ok());
    const CommissioningTimestamp &t = r.config.mesh.thread.commissioning_dataset_timestamp;
    EXPECT_EQ(t.seconds, 0x12345u);
    EXPECT_EQ(t.ticks, 3);
    EXPECT_TRUE(t.authoritative);
    EXPECT_EQ(t.raw(), 0x123450007u);
}

TEST(Typed, NotesListIgnoredSections) {
    LoadResult r = load_golden("target_sections_linux");
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_EQ(r.notes[0],
              "target_sections_linux/mbed_app.json: note: target_overrides \"K64F\" ignored "
              "(labels: LINUX)");
    EXPECT_EQ(r.config.app.get_c_string("board"), std::optional<std::string>("linux-host"));
    EXPECT_EQ(r.config.app.get_int("led-count"), std::optional<std::int64_t>(2));
    EXPECT_FALSE(r.config.target.has_feature("BLE"));
    EXPECT_FALSE(r.config.target.has_device("STDIO_MESSAGES"));
    EXPECT_EQ(r.config.macros.at("LINUX_HOST"), std::optional<std::string>("1"));
}

TEST(Typed, BuiltinLibraries) {
    std::vector<std::string> names = builtin_library_names();
    for (const char *n : {"events", "mbed-mesh-api", "mbed-trace", "meshwork", "nanostack",
                          "nanostack-hal", "nsapi", "platform", "rtos", "target"}) {
        EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
    }
}

}  // namespace
}  // namespace meshwork::config
