// Every error the configuration system reports, each with its complete message: the file, the
// key, the value and what is allowed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "meshwork/config/ConfigLoader.h"

namespace meshwork::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::vector<std::string> errors_for(const std::string &json, std::vector<std::string> labels = {}) {
    LoadOptions options;
    options.app_config_path = "mbed_app.json";
    options.app_config_text = json;
    options.labels = std::move(labels);
    LoadResult r = load_configuration(options);
    EXPECT_EQ(r.header.empty(), !r.errors.empty());
    return r.errors;
}

// An application that sets one key in target_overrides "*".
std::vector<std::string> override_errors(const std::string &key, const std::string &json_value) {
    return errors_for("{\"target_overrides\": {\"*\": {\"" + key + "\": " + json_value + "}}}");
}

std::string msg(const std::string &key, const std::string &value, const std::string &rest) {
    return "mbed_app.json: error: target_overrides \"*\": \"" + key + "\" = " + value + ": " + rest;
}

const std::string kMesh = "mbed-mesh-api.";

// --- JSON ------------------------------------------------------------------------------------

TEST(JsonErrors, InvalidJsonReportsLineAndColumn) {
    EXPECT_THAT(errors_for("{\n  \"config\": {\n    \"a\": tru\n  }\n}"),
                ElementsAre(StartsWith(
                    "mbed_app.json:3:13: error: invalid JSON: syntax error while parsing value")));
    EXPECT_THAT(
        errors_for("{\"config\": {\"a\": 1,}}"),
        ElementsAre(StartsWith(
            "mbed_app.json:1:20: error: invalid JSON: syntax error while parsing object key")));
    EXPECT_THAT(errors_for(""), ElementsAre(StartsWith("mbed_app.json:1:1: error: invalid JSON:")));
}

TEST(JsonErrors, NestingIsBounded) {
    std::string deep =
        "{\"config\": {\"a\": " + std::string(100, '[') + std::string(100, ']') + "}}";
    EXPECT_THAT(
        errors_for(deep),
        ElementsAre("mbed_app.json:1:80: error: invalid JSON: nested deeper than 64 levels"));
}

TEST(JsonErrors, TopLevelShape) {
    EXPECT_THAT(
        errors_for("[1, 2]"),
        ElementsAre("mbed_app.json: error: the top level must be a JSON object, found array"));
    EXPECT_THAT(
        errors_for("{\"target_override\": {}}"),
        ElementsAre(
            "mbed_app.json: error: unknown top-level key \"target_override\"; allowed: config, "
            "macros, target_overrides, requires, artifact_name, name (did you mean "
            "\"target_overrides\"?)"));
    EXPECT_THAT(errors_for("{\"config\": []}"),
                ElementsAre("mbed_app.json: error: \"config\" must be an object, found array"));
    EXPECT_THAT(
        errors_for("{\"target_overrides\": {\"*\": 3}}"),
        ElementsAre(
            "mbed_app.json: error: target_overrides \"*\" must be an object, found number"));
    EXPECT_THAT(
        errors_for("{\"requires\": \"events\"}"),
        ElementsAre(
            "mbed_app.json: error: \"requires\" = \"events\": wrong type; allowed: an array "
            "of library names"));
}

// --- resolution ------------------------------------------------------------------------------

TEST(ResolveErrors, OverrideOfUndefinedParameterNamesTheNearest) {
    EXPECT_THAT(
        override_errors(kMesh + "heap_size", "1000"),
        ElementsAre(msg(kMesh + "heap_size", "1000",
                        "override of a parameter that no library or application defines; nearest "
                        "defined: mbed-mesh-api.heap-size")));
    EXPECT_THAT(override_errors("mesh-api.heap-size", "1000"),
                ElementsAre(StartsWith(
                    msg("mesh-api.heap-size", "1000",
                        "override of a parameter that no library or application defines (no "
                        "library is named \"mesh-api\"; libraries: "))));
    EXPECT_THAT(override_errors("mesh-api.heap-size", "1000"),
                ElementsAre(HasSubstr("nearest defined: mbed-mesh-api.heap-size")));
    EXPECT_THAT(override_errors("app.led", "1"),
                ElementsAre(msg(
                    "app.led", "1",
                    "override of a parameter that no library or application defines; no similarly "
                    "named parameter exists")));
    EXPECT_THAT(
        errors_for("{\"config\": {\"led\": 0}, \"target_overrides\": {\"*\": {\"lde\": 1}}}"),
        ElementsAre(msg("app.lde", "1",
                        "override of a parameter that no library or application defines; nearest "
                        "defined: app.led")));
}

TEST(ResolveErrors, LibraryOutsideRequires) {
    EXPECT_THAT(errors_for("{\"requires\": [\"bare-metal\"], \"target_overrides\": {\"*\": "
                           "{\"rtos.main-thread-stack-size\": 8192}}}"),
                ElementsAre(StartsWith(
                    msg("rtos.main-thread-stack-size", "8192",
                        "override of a parameter that no library or application defines "
                        "(library \"rtos\" is not in the application's \"requires\")"))));
}

TEST(ResolveErrors, WrongJsonTypes) {
    EXPECT_THAT(
        override_errors("nsapi.dns-retries", "[1]"),
        ElementsAre(msg("nsapi.dns-retries", "[1]",
                        "wrong type (array); allowed: a boolean, a number, a string or null")));
    EXPECT_THAT(override_errors("target.features_add", "\"IPV6\""),
                ElementsAre(msg("target.features_add", "\"IPV6\"",
                                "wrong type; allowed: an array of strings")));
    EXPECT_THAT(
        override_errors("target.device_has_add", "[\"802-15-4\"]"),
        ElementsAre(
            "mbed_app.json: error: target_overrides \"*\": \"target.device_has_add\": element "
            "\"802-15-4\" is invalid; allowed: names of letters, digits and '_'"));
    EXPECT_THAT(override_errors("target.printf_lib", "{}"),
                ElementsAre(msg("target.printf_lib", "{}",
                                "wrong type; allowed: a boolean, a number, a string or null")));
}

TEST(ResolveErrors, UnknownTargetKey) {
    EXPECT_THAT(
        override_errors("target.network-default-interface", "\"MESH\""),
        ElementsAre(msg("target.network-default-interface", "\"MESH\"",
                        "override of a parameter that no library or application defines; nearest "
                        "defined: target.network-default-interface-type")));
}

TEST(ResolveErrors, AcceptedValues) {
    EXPECT_THAT(
        override_errors("nanostack.configuration", "\"thread_rooter\""),
        ElementsAre(
            msg("nanostack.configuration", "\"thread_rooter\"",
                "not an accepted value; allowed: \"lowpan_router\", \"lowpan_host\", "
                "\"lowpan_border_router\", \"thread_router\", \"thread_end_device\", "
                "\"thread_border_router\", \"ws_router\", \"ws_border_router\", \"ethernet_host\", "
                "\"nanostack_full\"")));
}

TEST(ResolveErrors, ValueMinMax) {
    EXPECT_THAT(
        override_errors("meshwork.host-socket-max", "0"),
        ElementsAre(msg("meshwork.host-socket-max", "0", "out of range; allowed: 1..16384")));
    EXPECT_THAT(override_errors("meshwork.host-socket-max", "\"0x8000\""),
                ElementsAre(msg("meshwork.host-socket-max", "\"0x8000\"",
                                "out of range; allowed: 1..16384")));
    EXPECT_THAT(override_errors("meshwork.host-socket-max", "\"many\""),
                ElementsAre(msg("meshwork.host-socket-max", "\"many\"",
                                "wrong type, not an integer; allowed: an integer in 1..16384")));
    EXPECT_TRUE(override_errors("meshwork.host-socket-max", "16384").empty());
}

TEST(ResolveErrors, RequiredParameter) {
    EXPECT_THAT(errors_for("{\"config\": {\"key\": {\"required\": true, \"value\": null}}}"),
                ElementsAre("mbed_app.json: error: config: \"app.key\" = null: the parameter is "
                            "required and has no "
                            "value; allowed: any non-null value"));
}

TEST(ResolveErrors, DefinitionShape) {
    EXPECT_THAT(errors_for("{\"config\": {\"bad.name\": 1}}"),
                ElementsAre("mbed_app.json: error: config: parameter name \"bad.name\" is invalid; "
                            "allowed: letters, "
                            "digits, '-' and '_' (no '.')"));
    EXPECT_THAT(errors_for("{\"config\": {\"a\": {\"value\": 1, \"macro_name\": \"NOT VALID\"}}}"),
                ElementsAre("mbed_app.json: error: config: \"a\": macro_name = \"NOT VALID\" is "
                            "not a C identifier"));
    EXPECT_THAT(
        errors_for("{\"config\": {\"a\": {\"value\": 1, \"value_min\": \"x\"}}}"),
        ElementsAre(
            "mbed_app.json: error: config: \"a\": value_min = \"x\" is not an integer; allowed: a "
            "JSON integer or an integer expression"));
    EXPECT_THAT(
        errors_for(
            "{\"config\": {\"a\": {\"value\": 1, \"macro_name\": \"MBED_CONF_NSAPI_PRESENT\"}}}"),
        ElementsAre(
            "mbed_app.json: error: config: \"app.a\" = 1: macro MBED_CONF_NSAPI_PRESENT is also "
            "the macro of \"nsapi.present\""));
    EXPECT_THAT(
        errors_for("{\"config\": {\"a\": \"line\\nbreak\"}}"),
        ElementsAre(
            "mbed_app.json: error: config: \"a\" = \"line\\nbreak\": a macro value cannot contain "
            "a line break"));
    EXPECT_THAT(
        errors_for("{\"config\": {\"a\": \"x\\\\\"}}"),
        ElementsAre(
            "mbed_app.json: error: config: \"a\" = \"x\\\\\": a macro value cannot end with a "
            "backslash (it would continue the line)"));
}

TEST(ResolveErrors, Macros) {
    EXPECT_THAT(
        errors_for("{\"macros\": [\"1BAD=2\"]}"),
        ElementsAre(
            "mbed_app.json: error: macros: macro \"1BAD=2\": \"1BAD\" is not a C identifier; "
            "allowed: \"NAME\" or \"NAME=VALUE\""));
    EXPECT_THAT(
        errors_for("{\"macros\": [3]}"),
        ElementsAre(
            "mbed_app.json: error: macros: macro 3: wrong type; allowed: a string \"NAME\" or "
            "\"NAME=VALUE\""));
    EXPECT_THAT(
        errors_for("{\"macros\": [\"MBED_CONF_NSAPI_PRESENT=0\"]}"),
        ElementsAre(
            "mbed_app.json: error: macros: \"MBED_CONF_NSAPI_PRESENT\" is also the macro of "
            "parameter \"nsapi.present\""));
}

// --- Mesh API ranges -------------------------------------------------------------------------

TEST(MeshErrors, HeapSize) {
    EXPECT_THAT(override_errors(kMesh + "heap-size", "70000"),
                ElementsAre(msg(kMesh + "heap-size", "70000",
                                "out of range; allowed: 0x0..0xfffe (0..65534)")));
    EXPECT_THAT(override_errors(kMesh + "heap-size", "\"lots\""),
                ElementsAre(msg(
                    kMesh + "heap-size", "\"lots\"",
                    "not an integer expression (unsupported 'l' at offset 0 (supported: integer "
                    "literals, +, <<, |, parentheses)); allowed: 0x0..0xfffe (0..65534)")));
    EXPECT_THAT(
        override_errors(kMesh + "heap-size", "true"),
        ElementsAre(msg(
            kMesh + "heap-size", "true",
            "wrong type, expected an integer, found a boolean; allowed: 0x0..0xfffe (0..65534)")));
    EXPECT_THAT(override_errors(kMesh + "heap-size", "-1"),
                ElementsAre(msg(kMesh + "heap-size", "-1",
                                "out of range; allowed: 0x0..0xfffe (0..65534)")));
    EXPECT_THAT(
        override_errors(kMesh + "heap-size", "null"),
        ElementsAre(
            msg(kMesh + "heap-size", "null",
                "null removes MBED_CONF_MBED_MESH_API_HEAP_SIZE, which meshwork needs; allowed: "
                "0x0..0xfffe (0..65534)")));
    EXPECT_TRUE(override_errors(kMesh + "heap-size", "65534").empty());
    EXPECT_TRUE(override_errors(kMesh + "heap-size", "\"0xfffe\"").empty());
}

TEST(MeshErrors, NeighbourTable) {
    EXPECT_THAT(
        override_errors(kMesh + "mac-neigh-table-size", "4"),
        ElementsAre(msg(kMesh + "mac-neigh-table-size", "4", "out of range; allowed: 5..255")));
}

TEST(MeshErrors, ThreadPskd) {
    const std::string allowed =
        "; allowed: a C string literal (\"\\\"...\\\"\") of 6..32 characters from 0-9 and A-Y "
        "except I, O, Q "
        "(Thread PSKd)";
    EXPECT_THAT(override_errors(kMesh + "thread-pskd", "\"\\\"ABC12\\\"\""),
                ElementsAre(msg(kMesh + "thread-pskd", "\"\\\"ABC12\\\"\"",
                                "length 5 is out of range" + allowed)));
    std::string long_pskd = "\"\\\"" + std::string(33, 'A') + "\\\"\"";
    EXPECT_THAT(
        override_errors(kMesh + "thread-pskd", long_pskd),
        ElementsAre(msg(kMesh + "thread-pskd", long_pskd, "length 33 is out of range" + allowed)));
    for (char bad : {'I', 'O', 'Q', 'Z', 'a', '-'}) {
        std::string v = std::string("\"\\\"ABCDEF") + bad + "\\\"\"";
        EXPECT_THAT(
            override_errors(kMesh + "thread-pskd", v),
            ElementsAre(msg(kMesh + "thread-pskd", v,
                            std::string("character '") + bad + "' is not allowed" + allowed)));
    }
    EXPECT_THAT(override_errors(kMesh + "thread-pskd", "\"ABCDEFGH\""),
                ElementsAre(msg(
                    kMesh + "thread-pskd", "\"ABCDEFGH\"",
                    "not a C string literal (write it with escaped quotes, e.g. \"\\\"text\\\"\")" +
                        allowed)));
    EXPECT_TRUE(
        override_errors(kMesh + "thread-pskd", "\"\\\"" + std::string(32, 'Y') + "\\\"\"").empty());
    // The whole alphabet, 32 characters.
    EXPECT_TRUE(
        override_errors(kMesh + "thread-pskd", "\"\\\"0123456789ABCDEFGHJKLMNPRSTUVWXY\\\"\"")
            .empty());
}

TEST(MeshErrors, ThreadDeviceType) {
    EXPECT_THAT(override_errors(kMesh + "thread-device-type", "\"MESH_DEVICE_TYPE_WISUN_ROUTER\""),
                ElementsAre(msg(kMesh + "thread-device-type", "\"MESH_DEVICE_TYPE_WISUN_ROUTER\"",
                                "unknown token; allowed: MESH_DEVICE_TYPE_THREAD_ROUTER, "
                                "MESH_DEVICE_TYPE_THREAD_SLEEPY_END_DEVICE, "
                                "MESH_DEVICE_TYPE_THREAD_MINIMAL_END_DEVICE")));
    EXPECT_THAT(
        override_errors(kMesh + "thread-device-type", "0"),
        ElementsAre(
            msg(kMesh + "thread-device-type", "0",
                "wrong type, expected one of the tokens; allowed: MESH_DEVICE_TYPE_THREAD_ROUTER, "
                "MESH_DEVICE_TYPE_THREAD_SLEEPY_END_DEVICE, "
                "MESH_DEVICE_TYPE_THREAD_MINIMAL_END_DEVICE")));
}

TEST(MeshErrors, ChannelMasks) {
    for (const char *key : {"thread-config-channel-mask", "6lowpan-nd-channel-mask"}) {
        EXPECT_THAT(
            override_errors(kMesh + key, "\"0x8000000\""),
            ElementsAre(msg(
                kMesh + key, "\"0x8000000\"",
                "out of range (evaluates to 0x8000000); allowed: 0x0..0x7fff800 (0..134215680)")));
        EXPECT_THAT(
            override_errors(kMesh + key, "\"(1<<12)*2\""),
            ElementsAre(
                msg(kMesh + key, "\"(1<<12)*2\"",
                    "not an integer expression (unsupported '*' at offset 7 (supported: integer "
                    "literals, +, <<, |, parentheses)); allowed: 0x0..0x7fff800 (0..134215680)")));
        EXPECT_TRUE(override_errors(kMesh + key, "\"(1<<11)|(1<<26)\"").empty());
    }
}

TEST(MeshErrors, PagesAndChannels) {
    EXPECT_THAT(
        override_errors(kMesh + "thread-config-channel-page", "2"),
        ElementsAre(msg(kMesh + "thread-config-channel-page", "2", "out of range; allowed: 0..0")));
    EXPECT_THAT(
        override_errors(kMesh + "6lowpan-nd-channel-page", "1"),
        ElementsAre(msg(kMesh + "6lowpan-nd-channel-page", "1",
                        "channel page 1 is not supported; allowed: 0 (2.4 GHz) or 2 (sub-GHz)")));
    EXPECT_THAT(
        override_errors(kMesh + "6lowpan-nd-channel-page", "3"),
        ElementsAre(msg(kMesh + "6lowpan-nd-channel-page", "3", "out of range; allowed: 0..2")));
    EXPECT_TRUE(override_errors(kMesh + "6lowpan-nd-channel-page", "2").empty());
    EXPECT_THAT(
        override_errors(kMesh + "thread-config-channel", "10"),
        ElementsAre(msg(kMesh + "thread-config-channel", "10", "out of range; allowed: 11..26")));
    EXPECT_THAT(
        override_errors(kMesh + "thread-config-channel", "27"),
        ElementsAre(msg(kMesh + "thread-config-channel", "27", "out of range; allowed: 11..26")));
    EXPECT_THAT(
        override_errors(kMesh + "6lowpan-nd-channel", "27"),
        ElementsAre(msg(kMesh + "6lowpan-nd-channel", "27", "out of range; allowed: 0..26")));
    EXPECT_TRUE(override_errors(kMesh + "6lowpan-nd-channel", "0").empty());
}

TEST(MeshErrors, PanIds) {
    EXPECT_THAT(
        override_errors(kMesh + "thread-config-panid", "\"0x10000\""),
        ElementsAre(msg(kMesh + "thread-config-panid", "\"0x10000\"",
                        "out of range (evaluates to 0x10000); allowed: 0x0..0xffff (0..65535)")));
    EXPECT_THAT(override_errors(kMesh + "6lowpan-nd-panid-filter", "65536"),
                ElementsAre(msg(kMesh + "6lowpan-nd-panid-filter", "65536",
                                "out of range; allowed: 0x0..0xffff (0..65535)")));
}

TEST(MeshErrors, NetworkName) {
    const std::string allowed =
        "; allowed: a C string literal (\"\\\"...\\\"\") of 1..16 characters";
    EXPECT_THAT(
        override_errors(kMesh + "thread-config-network-name", "\"\\\"0123456789abcdefg\\\"\""),
        ElementsAre(msg(kMesh + "thread-config-network-name", "\"\\\"0123456789abcdefg\\\"\"",
                        "length 17 is out of range" + allowed)));
    EXPECT_THAT(override_errors(kMesh + "thread-config-network-name", "\"\\\"\\\"\""),
                ElementsAre(msg(kMesh + "thread-config-network-name", "\"\\\"\\\"\"",
                                "length 0 is out of range" + allowed)));
    EXPECT_TRUE(
        override_errors(kMesh + "thread-config-network-name", "\"\\\"0123456789abcdef\\\"\"")
            .empty());
}

TEST(MeshErrors, CommissioningTimestamp) {
    const std::string allowed =
        "; allowed: a 64-bit integer: 48-bit seconds << 16 | 15-bit ticks << 1 | U bit (e.g. "
        "\"0x10000\" = 1 s)";
    EXPECT_THAT(
        override_errors(kMesh + "thread-config-commissioning-dataset-timestamp", "\"soon\""),
        ElementsAre(
            msg(kMesh + "thread-config-commissioning-dataset-timestamp", "\"soon\"",
                "not an integer expression (unsupported 's' at offset 0 (supported: integer "
                "literals, +, <<, |, parentheses))" +
                    allowed)));
    EXPECT_THAT(override_errors(kMesh + "thread-config-commissioning-dataset-timestamp", "-5"),
                ElementsAre(msg(kMesh + "thread-config-commissioning-dataset-timestamp", "-5",
                                "wrong type, expected a non-negative integer" + allowed)));
}

TEST(MeshErrors, ByteArrays) {
    struct Case {
        const char *key;
        int n;
    };
    for (Case c : {Case{"thread-config-extended-panid", 8}, Case{"thread-master-key", 16},
                   Case{"thread-config-ml-prefix", 8}, Case{"thread-config-pskc", 16},
                   Case{"6lowpan-nd-psk-key", 16}}) {
        std::string allowed = "; allowed: a brace initialiser of exactly " + std::to_string(c.n) +
                              " bytes, e.g. {0x00, ...}";
        std::string short_list = "\"{";
        for (int i = 0; i < c.n - 1; ++i) {
            short_list += i ? ", 1" : "1";
        }
        short_list += "}\"";
        EXPECT_THAT(override_errors(kMesh + c.key, short_list),
                    ElementsAre(msg(kMesh + c.key, short_list,
                                    std::to_string(c.n - 1) + " bytes" + allowed)));
        EXPECT_THAT(override_errors(kMesh + c.key, "\"{0x1ff}\""),
                    ElementsAre(msg(kMesh + c.key, "\"{0x1ff}\"",
                                    "element 0 '0x1ff' is not a byte (0..0xff)" + allowed)));
        EXPECT_THAT(override_errors(kMesh + c.key, "16"),
                    ElementsAre(msg(
                        kMesh + c.key, "16",
                        "wrong type, expected a string holding a brace initialiser" + allowed)));
    }
}

TEST(MeshErrors, SecurityPolicyAndLevels) {
    EXPECT_THAT(override_errors(kMesh + "thread-security-policy", "256"),
                ElementsAre(msg(kMesh + "thread-security-policy", "256",
                                "out of range; allowed: 0x0..0xff (0..255)")));
    EXPECT_THAT(
        override_errors(kMesh + "6lowpan-nd-sec-level", "0"),
        ElementsAre(msg(kMesh + "6lowpan-nd-sec-level", "0", "out of range; allowed: 1..7")));
    EXPECT_THAT(
        override_errors(kMesh + "6lowpan-nd-sec-level", "8"),
        ElementsAre(msg(kMesh + "6lowpan-nd-sec-level", "8", "out of range; allowed: 1..7")));
    EXPECT_THAT(
        override_errors(kMesh + "6lowpan-nd-psk-key-id", "0"),
        ElementsAre(msg(kMesh + "6lowpan-nd-psk-key-id", "0", "out of range; allowed: 1..255")));
}

TEST(MeshErrors, LowpanTokens) {
    EXPECT_THAT(override_errors(kMesh + "6lowpan-nd-security-mode", "\"AES\""),
                ElementsAre(msg(kMesh + "6lowpan-nd-security-mode", "\"AES\"",
                                "unknown token; allowed: NONE, PSK")));
    EXPECT_THAT(override_errors(kMesh + "6lowpan-nd-device-type", "\"NET_6LOWPAN_BORDER_ROUTER\""),
                ElementsAre(msg(kMesh + "6lowpan-nd-device-type", "\"NET_6LOWPAN_BORDER_ROUTER\"",
                                "unknown token; allowed: NET_6LOWPAN_ROUTER, NET_6LOWPAN_HOST")));
}

// --- other typed keys ------------------------------------------------------------------------

TEST(TypedErrors, OtherLibraries) {
    EXPECT_THAT(override_errors("nsapi.default-mesh-type", "\"ZIGBEE\""),
                ElementsAre(msg("nsapi.default-mesh-type", "\"ZIGBEE\"",
                                "unknown token; allowed: LOWPAN, THREAD, WISUN")));
    EXPECT_THAT(override_errors("target.network-default-interface-type", "\"USB\""),
                ElementsAre(msg("target.network-default-interface-type", "\"USB\"",
                                "unknown token; allowed: ETHERNET, WIFI, MESH, CELLULAR")));
    EXPECT_TRUE(override_errors("target.network-default-interface-type", "null").empty());
    EXPECT_THAT(override_errors("mbed-trace.enable", "2"),
                ElementsAre(msg("mbed-trace.enable", "2",
                                "wrong type, expected a boolean; allowed: true, false, 1 or 0")));
    EXPECT_THAT(override_errors("events.shared-stacksize", "\"big\""),
                ElementsAre(StartsWith(
                    msg("events.shared-stacksize", "\"big\"", "not an integer expression"))));
}

TEST(Errors, InvalidLabel) {
    EXPECT_THAT(
        errors_for("{}", {"K64F", "BAD-LABEL"}),
        ElementsAre(
            "error: target label \"BAD-LABEL\" is invalid; allowed: letters, digits and '_' (it "
            "becomes TARGET_BAD-LABEL)"));
}

TEST(Errors, SeveralAreAllReported) {
    std::vector<std::string> errors = errors_for(
        "{\"target_overrides\": {\"*\": {\"mbed-mesh-api.heap-size\": 70000, "
        "\"mbed-mesh-api.thread-config-channel\": "
        "5}}}");
    EXPECT_EQ(errors.size(), 2u);
}

}  // namespace
}  // namespace meshwork::config
