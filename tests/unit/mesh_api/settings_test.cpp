// LowpanNdSettings from an application's mbed_app.json (through the configuration loader, as a
// node's configuration is made): every 6LoWPAN-ND key read, and bad values named with their key,
// value and allowed range, both those the loader rejects and those only wrong together.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mesh/api/LowpanNdSettings.h"
#include "meshwork/config/ConfigLoader.h"

namespace meshwork::meshapi {
namespace {

config::LoadResult load(const std::string &overrides) {
    config::LoadOptions o;
    o.app_config_path = "mbed_app.json";
    o.app_config_text = "{\"target_overrides\": {\"*\": {" + overrides + "}}}";
    return config::load_configuration(o);
}

bool mentions(const std::vector<std::string> &errors, const std::string &a, const std::string &b) {
    for (const std::string &e : errors) {
        if (e.find(a) != std::string::npos && e.find(b) != std::string::npos) {
            return true;
        }
    }
    return false;
}

std::string join(const std::vector<std::string> &v) {
    std::string s;
    for (const auto &e : v) {
        s += e + "\n";
    }
    return s;
}

TEST(LowpanNdSettings, EveryKeyOfTheMeshExampleAndMore) {
    const config::LoadResult r = load(R"j(
        "mbed-mesh-api.6lowpan-nd-channel-page": 0,
        "mbed-mesh-api.6lowpan-nd-channel": 12,
        "mbed-mesh-api.6lowpan-nd-channel-mask": "(1<<12)",
        "mbed-mesh-api.6lowpan-nd-panid-filter": "0xabcd",
        "mbed-mesh-api.6lowpan-nd-security-mode": "PSK",
        "mbed-mesh-api.6lowpan-nd-psk-key-id": 3,
        "mbed-mesh-api.6lowpan-nd-psk-key": "{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0xff}",
        "mbed-mesh-api.6lowpan-nd-sec-level": 6,
        "mbed-mesh-api.6lowpan-nd-device-type": "NET_6LOWPAN_HOST",
        "mbed-mesh-api.heap-size": 14000,
        "mbed-mesh-api.mac-neigh-table-size": 20,
        "nsapi.default-mesh-type": "LOWPAN",
        "target.device_has_add": ["802_15_4_PHY"],
        "target.network-default-interface-type": "MESH")j");
    ASSERT_TRUE(r.ok()) << join(r.errors);
    std::vector<std::string> errors;
    const LowpanNdSettings s = LowpanNdSettings::from_configuration(r.config, errors);
    EXPECT_TRUE(errors.empty()) << join(errors);
    EXPECT_EQ(s.channel_page, 0);
    EXPECT_EQ(s.channel, 12);
    EXPECT_EQ(s.channel_mask, 1u << 12);
    EXPECT_EQ(s.channels(), std::vector<std::uint8_t>{12});
    EXPECT_EQ(s.panid_filter, 0xabcd);
    EXPECT_EQ(s.security, LowpanSecurity::kPsk);
    EXPECT_EQ(s.psk_key_id, 3);
    EXPECT_EQ(s.psk_key[0], 0x00);
    EXPECT_EQ(s.psk_key[10], 0x0a);
    EXPECT_EQ(s.psk_key[15], 0xff);
    EXPECT_EQ(s.sec_level, 6);
    EXPECT_EQ(s.device_type, NET_6LOWPAN_HOST);
    EXPECT_FALSE(s.routes());
    EXPECT_EQ(s.heap_size, 14000u);
    EXPECT_EQ(s.mac_neigh_table_size, 20u);
    EXPECT_TRUE(selects_lowpan_nd(r.config));
}

TEST(LowpanNdSettings, DefaultsAreMbedMeshApis) {
    const config::LoadResult r = load("");
    ASSERT_TRUE(r.ok()) << join(r.errors);
    std::vector<std::string> errors;
    const LowpanNdSettings s = LowpanNdSettings::from_configuration(r.config, errors);
    EXPECT_TRUE(errors.empty()) << join(errors);
    EXPECT_EQ(s.channel_mask, 0x07fff800u);
    EXPECT_EQ(s.channel, 0);
    EXPECT_EQ(s.panid_filter, 0xffff);
    EXPECT_EQ(s.security, LowpanSecurity::kNone);
    EXPECT_EQ(s.psk_key_id, 1);
    EXPECT_EQ(s.psk_key[0], 0xa0);
    EXPECT_EQ(s.psk_key[15], 0xaf);
    EXPECT_EQ(s.sec_level, 5);
    EXPECT_EQ(s.device_type, NET_6LOWPAN_ROUTER);
    EXPECT_EQ(s.heap_size, 32500u);
    EXPECT_EQ(s.mac_neigh_table_size, 32u);
    // Ethernet and THREAD by default: not a 6LoWPAN-ND default interface.
    EXPECT_FALSE(selects_lowpan_nd(r.config));
}

TEST(LowpanNdSettings, OutOfRangeValuesAreNamedByTheLoader) {
    const config::LoadResult r = load(R"j(
        "mbed-mesh-api.6lowpan-nd-sec-level": 9,
        "mbed-mesh-api.6lowpan-nd-channel": 27,
        "mbed-mesh-api.6lowpan-nd-psk-key-id": 0,
        "mbed-mesh-api.6lowpan-nd-security-mode": "AES",
        "mbed-mesh-api.6lowpan-nd-device-type": "NET_6LOWPAN_ROUTR",
        "mbed-mesh-api.6lowpan-nd-psk-key": "{0x01, 0x02}",
        "mbed-mesh-api.heap-size": 70000)j");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(mentions(r.errors, "\"mbed-mesh-api.6lowpan-nd-sec-level\" = 9", "1..7"))
        << join(r.errors);
    EXPECT_TRUE(mentions(r.errors, "\"mbed-mesh-api.6lowpan-nd-channel\" = 27", "0..26"))
        << join(r.errors);
    EXPECT_TRUE(mentions(r.errors, "\"mbed-mesh-api.6lowpan-nd-psk-key-id\" = 0", "1..255"))
        << join(r.errors);
    EXPECT_TRUE(mentions(r.errors, "6lowpan-nd-security-mode\" = \"AES\"", "NONE, PSK"))
        << join(r.errors);
    EXPECT_TRUE(mentions(r.errors, "NET_6LOWPAN_ROUTR", "NET_6LOWPAN_ROUTER, NET_6LOWPAN_HOST"))
        << join(r.errors);
    EXPECT_TRUE(mentions(r.errors, "6lowpan-nd-psk-key\"", "exactly 16 bytes")) << join(r.errors);
    EXPECT_TRUE(mentions(r.errors, "\"mbed-mesh-api.heap-size\" = 70000", "0..65534"))
        << join(r.errors);
}

TEST(LowpanNdSettings, ValuesWrongTogetherAreNamedWithTheirText) {
    const config::LoadResult r = load(R"j(
        "mbed-mesh-api.6lowpan-nd-channel": 5)j");
    ASSERT_TRUE(r.ok()) << join(r.errors);  // 0..26 is the key's own range
    std::vector<std::string> errors;
    LowpanNdSettings::from_configuration(r.config, errors);
    ASSERT_EQ(errors.size(), 1u) << join(errors);
    EXPECT_EQ(errors[0],
              "\"mbed-mesh-api.6lowpan-nd-channel\" = 5 (set by application[*]): not a channel of "
              "page 0; allowed: 0 (scan the mask) or 11..26");

    const config::LoadResult m = load(R"j(
        "mbed-mesh-api.6lowpan-nd-channel-mask": "(1<<3)")j");
    ASSERT_TRUE(m.ok()) << join(m.errors);
    errors.clear();
    LowpanNdSettings::from_configuration(m.config, errors);
    ASSERT_EQ(errors.size(), 1u) << join(errors);
    EXPECT_TRUE(mentions(errors, "\"mbed-mesh-api.6lowpan-nd-channel-mask\" = \"(1<<3)\"",
                         "bits among 11..26"))
        << join(errors);

    // Sub-GHz: page 2 takes channels 1..10 and the low mask bits.
    const config::LoadResult g = load(R"j(
        "mbed-mesh-api.6lowpan-nd-channel-page": 2,
        "mbed-mesh-api.6lowpan-nd-channel-mask": "0x7ff")j");
    ASSERT_TRUE(g.ok()) << join(g.errors);
    errors.clear();
    const LowpanNdSettings s = LowpanNdSettings::from_configuration(g.config, errors);
    EXPECT_TRUE(errors.empty()) << join(errors);
    EXPECT_EQ(s.channels().size(), 11u);
    EXPECT_EQ(s.channels().back(), 10);
}

TEST(LowpanNdSettings, ValidateNamesEveryBadField) {
    LowpanNdSettings s;
    EXPECT_TRUE(s.validate().empty());
    s.channel_page = 1;
    s.psk_key_id = 0;
    s.sec_level = 8;
    s.heap_size = 65535;
    s.mac_neigh_table_size = 4;
    s.device_type = NET_6LOWPAN_SNIFFER;  // a Nanostack mode, not a 6LoWPAN-ND role
    const std::vector<std::string> e = s.validate("node 3");
    ASSERT_EQ(e.size(), 6u) << join(e);
    EXPECT_EQ(e[0],
              "node 3: \"mbed-mesh-api.6lowpan-nd-channel-page\" = 1: not a 6LoWPAN-ND channel "
              "page; allowed: 0 (2.4 GHz) or 2 (sub-GHz)");
    EXPECT_TRUE(mentions(e, "6lowpan-nd-psk-key-id\" = 0", "1..255"));
    EXPECT_TRUE(mentions(e, "6lowpan-nd-sec-level\" = 8", "1..7"));
    EXPECT_TRUE(mentions(e, "heap-size\" = 65535", "0..65534"));
    EXPECT_TRUE(mentions(e, "mac-neigh-table-size\" = 4", "5..255"));
    EXPECT_TRUE(mentions(e, "6lowpan-nd-device-type\" = 5", "NET_6LOWPAN_ROUTER"));
    s = LowpanNdSettings{};
    s.channel_mask = 0x08000000;  // channel 27
    const std::vector<std::string> bits = s.validate();
    EXPECT_TRUE(mentions(bits, "channel-mask\" = 0x8000000", "bits above channel 26"))
        << join(bits);
}

}  // namespace
}  // namespace meshwork::meshapi
