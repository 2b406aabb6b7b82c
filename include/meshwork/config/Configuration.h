// The validated configuration of one application, as typed C++ values. The same mbed_app.json
// that produces an application's mbed_config.h produces this structure, so a compiled
// application and a simulated node are configured from one file. Defaults are those of the
// library mbed_lib.json files (docs/configuration.md lists them).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace meshwork::config {

/// mbed-mesh-api.6lowpan-nd-security-mode.
enum class LowpanSecurityMode : std::uint8_t { kNone, kPsk };

/// mbed-mesh-api.6lowpan-nd-device-type (Nanostack's net_6lowpan_mode_e subset).
enum class LowpanDeviceType : std::uint8_t { kRouter, kHost };

/// mbed-mesh-api.thread-device-type (the Thread members of mesh_device_type_t).
enum class ThreadDeviceType : std::uint8_t { kRouter, kSleepyEndDevice, kMinimalEndDevice };

/// mbed-mesh-api.wisun-device-type (the Wi-SUN members of mesh_device_type_t).
enum class WisunDeviceType : std::uint8_t { kRouter, kBorderRouter };

/// nsapi.default-mesh-type.
enum class MeshType : std::uint8_t { kLowpan, kThread, kWisun };

/// target.network-default-interface-type; kNone when the value is null.
enum class InterfaceType : std::uint8_t { kNone, kEthernet, kWifi, kMesh, kCellular };

/// Thread Active Timestamp (Thread 1.1 section 8.10.1.14): 48-bit seconds, 15-bit ticks and the
/// U ("authoritative") bit, packed in one 64-bit integer as seconds << 16 | ticks << 1 | U.
struct CommissioningTimestamp {
    std::uint64_t seconds = 1;  // 48 bits
    std::uint16_t ticks = 0;    // 15 bits
    bool authoritative = false;
    std::uint64_t raw() const {
        return seconds << 16 | std::uint64_t{ticks} << 1 | (authoritative ? 1u : 0u);
    }
};

struct LowpanNdConfig {
    std::uint32_t channel_mask = 0x07fff800;
    std::uint8_t channel_page = 0;  // 0 = 2.4 GHz, 2 = sub-GHz
    std::uint8_t channel = 0;       // 0 = use the mask
    std::uint16_t panid_filter = 0xffff;
    LowpanSecurityMode security_mode = LowpanSecurityMode::kNone;
    std::uint8_t psk_key_id = 1;
    std::array<std::uint8_t, 16> psk_key{0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                                         0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf};
    std::uint8_t sec_level = 5;
    LowpanDeviceType device_type = LowpanDeviceType::kRouter;
};

struct ThreadConfig {
    std::string pskd = "ABCDEFGH";  // without the C quotes
    bool use_static_link_config = true;
    std::uint32_t channel_mask = 0x07fff800;
    std::uint8_t channel_page = 0;
    std::uint8_t channel = 22;
    std::uint16_t panid = 0x0700;
    std::string network_name = "Thread Network";  // without the C quotes
    CommissioningTimestamp commissioning_dataset_timestamp{};
    std::array<std::uint8_t, 8> extended_panid{0xf1, 0xb5, 0xa1, 0xb2, 0xc4, 0xd5, 0xa1, 0xbd};
    std::array<std::uint8_t, 16> master_key{0x10, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                            0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
    std::array<std::uint8_t, 8> ml_prefix{0xfd, 0x00, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00};
    std::array<std::uint8_t, 16> pskc{0xc8, 0xa6, 0x2e, 0xae, 0xf3, 0x68, 0xf3, 0x46,
                                      0xa9, 0x9e, 0x57, 0x85, 0x98, 0x9d, 0x1c, 0xd0};
    ThreadDeviceType device_type = ThreadDeviceType::kRouter;
    std::uint8_t security_policy = 255;
};

struct WisunConfig {
    std::string network_name = "Wi-SUN Network";  // without the C quotes
    WisunDeviceType device_type = WisunDeviceType::kRouter;
};

/// The mbed-mesh-api library (MBED_CONF_MBED_MESH_API_*).
struct MeshConfig {
    std::uint32_t heap_size = 32500;
    std::uint32_t mac_neigh_table_size = 32;
    bool use_malloc_for_heap = false;
    bool system_time_update_from_nanostack = true;
    LowpanNdConfig lowpan_nd;
    ThreadConfig thread;
    WisunConfig wisun;
};

/// The nsapi library (MBED_CONF_NSAPI_*).
struct NsapiConfig {
    bool present = true;
    std::string default_stack = "LWIP";
    MeshType default_mesh_type = MeshType::kThread;
    std::optional<std::string> default_wifi_ssid;  // as written (usually a C string literal)
    std::optional<std::string> default_wifi_password;
    std::string default_wifi_security = "NONE";
    std::uint32_t dns_response_wait_time = 10000;  // ms
    std::uint32_t dns_total_attempts = 10;
    std::uint32_t dns_retries = 1;
    std::uint32_t dns_cache_size = 3;
    std::uint32_t dns_addresses_limit = 10;
    bool socket_stats_enabled = false;
    std::uint32_t socket_stats_max_count = 10;
};

/// The events library (MBED_CONF_EVENTS_*); absent when "requires" excludes it.
struct EventsConfig {
    bool present = true;
    std::uint32_t shared_stacksize = 2048;
    std::uint32_t shared_eventsize = 768;
    bool shared_dispatch_from_application = false;
    std::uint32_t shared_highprio_stacksize = 1024;
    std::uint32_t shared_highprio_eventsize = 256;
    bool use_lowpower_timer_ticker = false;
};

/// The rtos library (MBED_CONF_RTOS_*); present is false when "requires" excludes it.
struct RtosConfig {
    bool present = true;
    std::uint32_t main_thread_stack_size = 4096;
    std::uint32_t thread_stack_size = 4096;
    std::uint32_t idle_thread_stack_size = 512;
    std::uint32_t timer_thread_stack_size = 768;
};

/// The platform library (MBED_CONF_PLATFORM_*), the keys the Linux shim honours.
struct PlatformConfig {
    std::uint32_t stdio_baud_rate = 9600;
    bool stdio_convert_newlines = true;
    bool callback_comparable = true;
    bool callback_nontrivial = false;
};

/// mbed-trace (MBED_CONF_MBED_TRACE_*).
struct TraceConfig {
    bool enable = false;
    std::optional<std::string> max_level;  // e.g. "TRACE_LEVEL_INFO"
    bool fea_ipv6 = true;
};

/// meshwork's own library (MBED_CONF_MESHWORK_*): knobs that have no Mbed equivalent.
struct MeshworkConfig {
    std::uint32_t host_socket_max = 1024;  // size of the host stack's socket pool
    std::string host_interface;            // host interface to report; empty: the default route
};

/// The pseudo-target after target_overrides.
struct TargetConfig {
    std::vector<std::string> labels;  // TARGET_<X>, sorted
    std::vector<std::string> features;
    std::vector<std::string> device_has;
    std::vector<std::string> components;
    InterfaceType network_default_interface_type = InterfaceType::kEthernet;
    bool has_device(const std::string &name) const;
    bool has_feature(const std::string &name) const;
    bool has_label(const std::string &name) const;
};

/// One resolved parameter, as the header shows it: the value text that is pasted into the
/// macro, or nothing for null.
struct ParameterValue {
    enum class Kind : std::uint8_t { kNull, kBool, kInteger, kFloat, kString };
    Kind kind = Kind::kNull;
    std::string text;            // macro body ("1", "0x0700", "\"Thread Network\""); empty for null
    bool bool_value = false;     // kBool
    std::int64_t int_value = 0;  // kInteger (kFloat keeps only the text)
    std::string macro_name;      // e.g. MBED_CONF_APP_LED
    std::string set_by;          // "library:nsapi", "application[*]", ...
};

/// app.* parameters by their short name (without "app."), with typed accessors.
struct AppConfig {
    std::map<std::string, ParameterValue> values;

    bool has(const std::string &name) const;
    /// true/false, or 0/1 integers. nullopt when absent, null or not a boolean.
    std::optional<bool> get_bool(const std::string &name) const;
    /// JSON integers or integer expressions in strings ("0x10", "(1<<4)"). nullopt otherwise.
    std::optional<std::int64_t> get_int(const std::string &name) const;
    /// The macro text, e.g. "NC" or "\"hello\"".
    std::optional<std::string> get_text(const std::string &name) const;
    /// The contents of a C string literal value ("\"hello\"" -> hello); nullopt if not one.
    std::optional<std::string> get_c_string(const std::string &name) const;
};

/// Everything one configuration yields.
struct Configuration {
    TargetConfig target;
    MeshConfig mesh;
    NsapiConfig nsapi;
    EventsConfig events;
    RtosConfig rtos;
    PlatformConfig platform;
    TraceConfig trace;
    MeshworkConfig meshwork;
    std::string nanostack_configuration = "nanostack_full";
    AppConfig app;
    /// Every parameter by full name ("mbed-mesh-api.heap-size"), null ones included.
    std::map<std::string, ParameterValue> parameters;
    /// Macros from "macros" lists: name -> body (nullopt for a bare name).
    std::map<std::string, std::optional<std::string>> macros;

    /// The contents of the parameter `full_name` ("nsapi.default-wifi-ssid") when its value is
    /// a C string literal ("\"home\"" -> home); nullopt when absent, null or not a literal.
    std::optional<std::string> c_string(const std::string &full_name) const;
};

}  // namespace meshwork::config
