// 6LoWPAN-ND link-layer security (mbed-mesh-api.6lowpan-nd-security-mode PSK, with the key id,
// key and security level from each node's mbed_app.json): a PSK mesh (border router, router,
// host) forms and exchanges UDP with every data frame on the air secured at the configured
// level and key index; a node with the wrong key, and one with security NONE, never become
// connected in several minutes of virtual time while the others do; connecting again keeps the
// frame counter.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>

#include "MeshNet.h"
#include "meshwork/config/ConfigLoader.h"
#include "stack/UdpSockets.h"

namespace meshwork::meshtest {
namespace {

using namespace std::chrono_literals;
using wire::Ip6Address;

constexpr const char *kKey =
    "{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, "
    "0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10}";
constexpr const char *kWrongKey =
    "{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, "
    "0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x11}";

/// A node's configuration from its mbed_app.json text.
config::Configuration app(const std::string &security, const char *key, int key_id, int level) {
    config::LoadOptions o;
    o.app_config_path = "mbed_app.json";
    o.app_config_text = std::string(R"({"target_overrides": {"*": {)") +
                        R"("mbed-mesh-api.6lowpan-nd-security-mode": ")" + security + R"(",)" +
                        R"("mbed-mesh-api.6lowpan-nd-psk-key-id": )" + std::to_string(key_id) +
                        "," + R"("mbed-mesh-api.6lowpan-nd-psk-key": ")" + key + R"(",)" +
                        R"("mbed-mesh-api.6lowpan-nd-sec-level": )" + std::to_string(level) + "}}}";
    config::LoadResult r = config::load_configuration(o);
    EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors.front());
    return r.config;
}

/// Every frame put on the air, parsed: data frames by security level, key id mode and index.
struct AirCheck : sim::RadioMediumTap {
    explicit AirCheck(sim::RadioMedium &m) : medium(m) { medium.add_tap(this); }
    ~AirCheck() override { medium.remove_tap(this); }
    void on_air_start(const sim::AirFrame &f) override {
        auto m = wire::MacFrame::parse(f.psdu);
        if (!m) {
            ++malformed;
            return;
        }
        if (m->type != wire::MacFrameType::kData)
            return;
        ++data;
        if (!m->security_enabled) {
            ++unsecured_by[f.sender];
            return;
        }
        ++by_key[{m->security.security_level, m->security.key_id_mode, m->security.key_index}];
        if (m->dst.is_broadcast())
            ++secured_broadcast;
    }
    sim::RadioMedium &medium;
    std::uint64_t malformed = 0, data = 0, secured_broadcast = 0;
    std::map<sim::RadioNodeId, std::uint64_t> unsecured_by;
    std::map<std::tuple<int, int, int>, std::uint64_t> by_key;
};

TEST(LowpanNdPsk, PskMeshFormsAndEveryDataFrameIsSecured) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    MeshNet net(7, 12);
    AirCheck air(*net.medium);
    // A line: the border router, a router, then a host only the router hears (two hops).
    net.add({0, 0, 0}, NET_6LOWPAN_BORDER_ROUTER, app("PSK", kKey, 2, 6));
    net.add({10, 0, 0}, NET_6LOWPAN_ROUTER, app("PSK", kKey, 2, 6));
    net.add({20, 0, 0}, NET_6LOWPAN_HOST, app("PSK", kKey, 2, 6));
    net.start_all();
    ASSERT_TRUE(net.form(300s));
    expect_udp_between_every_pair(net);
    // Every data frame on the air: secured at level 6 under key index 2 (mode 1), broadcasts
    // (RS, RA, DIO) too.
    EXPECT_EQ(air.malformed, 0u);
    EXPECT_TRUE(air.unsecured_by.empty());
    ASSERT_EQ(air.by_key.size(), 1u);
    EXPECT_EQ(air.by_key.begin()->first, std::make_tuple(6, 1, 2));
    EXPECT_EQ(air.by_key.begin()->second, air.data);
    EXPECT_GT(air.secured_broadcast, 0u);
    std::uint64_t tx = 0, retries = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        const mac::MacCounters &c = net.nodes[i]->mac().counters();
        EXPECT_GT(c.secured_rx, 0u) << i;
        EXPECT_EQ(c.drops[mac::MacRxDrop::kMicFailure], 0u) << i;
        EXPECT_EQ(c.drops[mac::MacRxDrop::kUnknownDevice], 0u) << i;
        tx += c.secured_tx;
        retries += c.retries;
    }
    // Each frame secured once; a retransmission puts the same secured bytes on the air again.
    EXPECT_EQ(tx + retries, air.data);
    // The router learned both its neighbours; the end nodes their one.
    EXPECT_EQ(net.nodes[1]->mac().security().device_count(), 2u);
    EXPECT_EQ(net.nodes[0]->mac().security().device_count(), 1u);
    EXPECT_EQ(net.nodes[2]->mac().security().device_count(), 1u);
    std::printf("PSK mesh: %llu data frames, all secured (%llu broadcast)\n",
                static_cast<unsigned long long>(air.data),
                static_cast<unsigned long long>(air.secured_broadcast));
}

TEST(LowpanNdPsk, WrongKeyAndNoSecurityNeverJoin) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    MeshNet net(11, 30);
    AirCheck air(*net.medium);
    // Everyone hears everyone.
    net.add({0, 0, 0}, NET_6LOWPAN_BORDER_ROUTER, app("PSK", kKey, 1, 5));
    net.add({10, 0, 0}, NET_6LOWPAN_ROUTER, app("PSK", kKey, 1, 5));
    net.add({0, 10, 0}, NET_6LOWPAN_HOST, app("PSK", kKey, 1, 5));
    net.add({10, 10, 0}, NET_6LOWPAN_ROUTER, app("PSK", kWrongKey, 1, 5));  // 3
    net.add({5, 5, 0}, NET_6LOWPAN_HOST, app("PSK", kWrongKey, 1, 5));      // 4
    net.add({5, 0, 0}, NET_6LOWPAN_ROUTER, app("NONE", kKey, 1, 5));        // 5
    net.start_all();
    net.sim.run_for(300s);
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_TRUE(net.nodes[i]->connected()) << i;
    for (std::size_t i = 3; i < 6; ++i) {
        EXPECT_FALSE(net.nodes[i]->connected()) << i;
        EXPECT_FALSE(net.nodes[i]->nd()->registered()) << i;
        EXPECT_TRUE(net.nodes[i]->global().is_unspecified()) << i;
        ASSERT_FALSE(net.reports[i].empty());
        EXPECT_EQ(net.reports[i].back(), MESH_BOOTSTRAP_STARTED) << i;
    }
    // The outsiders did try, and were refused by the MIC or as unsecured; none became a
    // device of a member, and the members learned only each other.
    const mac::MacCounters &br = net.nodes[0]->mac().counters();
    EXPECT_GT(br.drops[mac::MacRxDrop::kMicFailure], 0u);
    EXPECT_GT(br.drops[mac::MacRxDrop::kUnsecured], 0u);
    EXPECT_GT(air.unsecured_by[5], 0u);
    for (std::size_t i = 0; i < 3; ++i) {
        const mac::MacSecurityTable &t = net.nodes[i]->mac().security();
        EXPECT_EQ(t.device_count(), 2u) << i;
        for (std::size_t o = 3; o < 6; ++o) {
            const auto e = net.nodes[o]->eui64();
            std::uint64_t v = 0;
            for (std::uint8_t b : e)
                v = v << 8 | b;
            EXPECT_LT(t.find_device(v), 0) << i << " learned " << o;
        }
    }
    // Connected members still talk (the outsiders' noise costs them nothing but airtime).
    auto s = listen(*net.nodes[2]);
    ASSERT_TRUE(send_udp(*net.nodes[1], net.nodes[2]->global(), 7));
    net.sim.run_for(2s);
    EXPECT_EQ(drain(*net.nodes[2], s).size(), 1u);
}

TEST(LowpanNdPsk, ReconnectingKeepsTheFrameCounter) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    MeshNet net(5, 30);
    net.add({0, 0, 0}, NET_6LOWPAN_BORDER_ROUTER, app("PSK", kKey, 1, 5));
    net.add({10, 0, 0}, NET_6LOWPAN_ROUTER, app("PSK", kKey, 1, 5));
    net.start_all();
    ASSERT_TRUE(net.form(120s));
    wire::AuxSecurityHeader id;
    id.key_id_mode = 1;
    id.key_index = 1;
    mac::MacSecurityTable &t = net.nodes[1]->mac().security();
    const std::uint32_t before = t.key(t.find_key(id, 0))->frame_counter;
    ASSERT_GT(before, 0u);
    // disconnect() and connect() again: the border router kept the router's device entry and
    // counter, so a counter starting over would be refused as replays.
    net.nodes[1]->stop();
    net.sim.run_for(5s);
    net.start(1);
    ASSERT_TRUE(net.form(120s));
    EXPECT_GE(t.key(t.find_key(id, 0))->frame_counter, before);
    EXPECT_EQ(net.nodes[0]->mac().counters().drops[mac::MacRxDrop::kReplay], 0u);
    EXPECT_EQ(t.key_count(), 1u);
}

}  // namespace
}  // namespace meshwork::meshtest
