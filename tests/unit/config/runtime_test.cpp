// The run-time half of the configuration: configuration_from_table() on hand-written tables
// (what a generated source holds), and the generated source's own text.
#include <gtest/gtest.h>

#include "SourceWriter.h"
#include "meshwork/config/ApplicationConfiguration.h"
#include "meshwork/config/ConfigLoader.h"

namespace {

using meshwork::config::Configuration;
using meshwork::config::ConfigurationTable;
using meshwork::config::kConfigurationTableFormat;
using meshwork::config::ParameterRecord;

TEST(RuntimeConfig, WithoutAGeneratedTableTheLibraryDefaultsHold) {
    // This binary is not built with meshwork_configure().
    EXPECT_EQ(meshwork::config::application_configuration_table(), nullptr);
    const Configuration &c = meshwork::config::application_configuration();
    EXPECT_EQ(c.nsapi.dns_cache_size, 3u);
    EXPECT_EQ(c.events.shared_eventsize, 768u);
    EXPECT_EQ(c.target.network_default_interface_type, meshwork::config::InterfaceType::kEthernet);
    EXPECT_EQ(&c, &meshwork::config::application_configuration()) << "built once";
}

TEST(RuntimeConfig, TableValuesBecomeTypedFields) {
    const ParameterRecord params[] = {
        {"nsapi.dns-cache-size", 'i', "5", 5, "MBED_CONF_NSAPI_DNS_CACHE_SIZE", "application"},
        {"events.shared-eventsize", 's', "(1<<8)", 0, "MBED_CONF_EVENTS_SHARED_EVENTSIZE",
         "application"},
        {"target.network-default-interface-type", 'n', "", 0,
         "MBED_CONF_TARGET_NETWORK_DEFAULT_INTERFACE_TYPE", "application"},
        {"mbed-trace.enable", 'b', "1", 1, "MBED_CONF_MBED_TRACE_ENABLE", "application"},
        {"app.greeting", 's', "\"hi\"", 0, "MBED_CONF_APP_GREETING", "application"},
    };
    const char *const labels[] = {"LINUX"};
    const char *const libraries[] = {"events", "nsapi"};
    const meshwork::config::MacroRecord macros[] = {{"A", "1"}, {"B", nullptr}};
    const ConfigurationTable table = {kConfigurationTableFormat,
                                      params,
                                      5,
                                      {labels, 1},
                                      {nullptr, 0},
                                      {nullptr, 0},
                                      {nullptr, 0},
                                      {nullptr, 0},
                                      {libraries, 2},
                                      macros,
                                      2};
    std::vector<std::string> errors;
    Configuration c = meshwork::config::configuration_from_table(table, errors);
    EXPECT_TRUE(errors.empty()) << errors.front();
    EXPECT_EQ(c.nsapi.dns_cache_size, 5u);
    EXPECT_EQ(c.events.shared_eventsize, 256u);
    EXPECT_TRUE(c.events.present);
    EXPECT_FALSE(c.rtos.present) << "not among the active libraries";
    EXPECT_EQ(c.target.network_default_interface_type, meshwork::config::InterfaceType::kNone);
    EXPECT_TRUE(c.trace.enable);
    EXPECT_EQ(c.app.get_c_string("greeting"), std::optional<std::string>("hi"));
    EXPECT_EQ(c.target.labels, std::vector<std::string>{"LINUX"});
    EXPECT_EQ(c.macros.at("A"), std::optional<std::string>("1"));
    EXPECT_EQ(c.macros.at("B"), std::nullopt);
}

TEST(RuntimeConfig, BadTablesAreReportedAndKeepTheDefaults) {
    const ParameterRecord params[] = {
        {"nsapi.dns-cache-size", 'i', "300", 300, "MBED_CONF_NSAPI_DNS_CACHE_SIZE", "x"},
        {"nsapi.dns-retries", '?', "2", 2, "MBED_CONF_NSAPI_DNS_RETRIES", "x"},
    };
    ConfigurationTable table = {
        kConfigurationTableFormat, params, 2, {}, {}, {}, {}, {}, {}, nullptr, 0};
    std::vector<std::string> errors;
    Configuration c = meshwork::config::configuration_from_table(table, errors);
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_NE(errors[0].find("\"nsapi.dns-retries\": unknown value kind"), std::string::npos)
        << errors[0];
    EXPECT_NE(errors[1].find("\"nsapi.dns-cache-size\" = 300: out of range"), std::string::npos)
        << errors[1];
    EXPECT_EQ(c.nsapi.dns_cache_size, 3u);
    EXPECT_EQ(c.nsapi.dns_retries, 1u);

    table.format = kConfigurationTableFormat + 1;
    errors.clear();
    c = meshwork::config::configuration_from_table(table, errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("format"), std::string::npos) << errors[0];
    EXPECT_EQ(c.nsapi.dns_cache_size, 3u);
}

TEST(RuntimeConfig, StringLiteralsEscapeWhatCCouldMisread) {
    using meshwork::config::c_string_literal;
    EXPECT_EQ(c_string_literal("plain text"), "\"plain text\"");
    EXPECT_EQ(c_string_literal("\"q\"\\"), "\"\\042q\\042\\134\"");
    EXPECT_EQ(c_string_literal(std::string(2, '?') + "="), "\"\\077\\077=\"") << "no trigraph";
    EXPECT_EQ(c_string_literal(std::string("\n\x01\xff", 3)), "\"\\012\\001\\377\"");
}

TEST(RuntimeConfig, GeneratedSourceHoldsEveryParameterAndTheTable) {
    meshwork::config::LoadOptions options;
    options.app_config_text =
        R"({"config": {"x": "\"a\\\"b\""}, "macros": ["M=1"],
            "target_overrides": {"*": {"nsapi.dns-cache-size": 9}}})";
    meshwork::config::LoadResult r = meshwork::config::load_configuration(options);
    ASSERT_TRUE(r.ok()) << r.errors.front();
    const std::string &s = r.source;
    EXPECT_NE(s.find("{\"nsapi.dns-cache-size\", 'i', \"9\", 9LL, "
                     "\"MBED_CONF_NSAPI_DNS_CACHE_SIZE\", \"application[*]\"},"),
              std::string::npos)
        << s;
    EXPECT_NE(s.find("{\"app.x\", 's', \"\\042a\\134\\042b\\042\", 0LL,"), std::string::npos);
    EXPECT_NE(s.find("{\"M\", \"1\"},"), std::string::npos);
    EXPECT_NE(s.find("meshwork::config::application_configuration_table() {"), std::string::npos);
}

}  // namespace
