// A PSK 6LoWPAN-ND mesh's capture (border router, router, host; every data frame secured at
// level 5 under key index 1) decoded by tshark given the key through the ieee802154_keys table:
// no malformed frame, no decryption or MIC complaint, and the 6LoWPAN-ND and RPL messages
// recognised inside the decrypted frames; without the key none of them shows.
#include <gtest/gtest.h>

#include <string>

#include "MeshNet.h"
#include "TempDir.h"
#include "TsharkRun.h"
#include "meshwork/config/ConfigLoader.h"

namespace meshwork::meshtest {
namespace {

using namespace std::chrono_literals;

constexpr char kKeyHex[] = "0102030405060708090a0b0c0d0e0f10";

config::Configuration psk_app() {
    config::LoadOptions o;
    o.app_config_path = "mbed_app.json";
    o.app_config_text = R"({"target_overrides": {"*": {
        "mbed-mesh-api.6lowpan-nd-security-mode": "PSK",
        "mbed-mesh-api.6lowpan-nd-psk-key-id": 1,
        "mbed-mesh-api.6lowpan-nd-psk-key": "{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10}",
        "mbed-mesh-api.6lowpan-nd-sec-level": 5}}})";
    config::LoadResult r = config::load_configuration(o);
    EXPECT_TRUE(r.ok());
    return r.config;
}

struct Counts {
    int rows = 0, malformed = 0, expert = 0, rs = 0, ra = 0, ns = 0, na = 0, rpl = 0;
};

Counts decode(const std::string &path, const std::string &key_opt) {
    const std::string out = interop::run(
        "tshark -n -r '" + path + "' " + key_opt +
        " -o 6lowpan.context0:fd00:6c6f:7770:616e::/64 -Y 'wpan.frame_type == 1' -T fields"
        " -E separator=/t -E occurrence=a -E aggregator=, -e frame.number -e _ws.malformed"
        " -e icmpv6.type -e wpan.aux_sec.sec_level -e _ws.expert.message 2>/dev/null");
    Counts c;
    for (const std::string &line : interop::split(out, '\n')) {
        if (line.empty())
            continue;
        auto f = interop::split(line, '\t');
        while (f.size() < 5)
            f.push_back("");
        ++c.rows;
        c.malformed += !f[1].empty();
        c.expert += !f[4].empty();
        c.rs += f[2] == "133";
        c.ra += f[2] == "134";
        c.ns += f[2] == "135";
        c.na += f[2] == "136";
        c.rpl += f[2] == "155";
        EXPECT_EQ(f[3], "0x05") << line;  // every data frame secured at level 5
    }
    return c;
}

TEST(LowpanNdPskTshark, SecuredMeshCaptureDecodesWithTheKey) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    if (!interop::have_tshark())
        GTEST_SKIP() << "tshark not installed: oracle test skipped";
    test::TempDir dir("psk-tshark");
    ASSERT_TRUE(dir.ok());
    const std::string path = dir.file("psk.pcap");
    MeshNet net(3, 12);
    testbed::Capture802154 cap(*net.medium);
    ASSERT_TRUE(cap.open(path));
    net.add({0, 0, 0}, NET_6LOWPAN_BORDER_ROUTER, psk_app());
    net.add({10, 0, 0}, NET_6LOWPAN_ROUTER, psk_app());
    net.add({20, 0, 0}, NET_6LOWPAN_HOST, psk_app());
    net.start_all();
    ASSERT_TRUE(net.form(300s));
    net.sim.run_for(10s);
    cap.close();

    const Counts with_key =
        decode(path, std::string("-o 'uat:ieee802154_keys:\"") + kKeyHex + "\",\"1\",\"No hash\"'");
    EXPECT_GT(with_key.rows, 10);
    EXPECT_EQ(with_key.malformed, 0);
    EXPECT_EQ(with_key.expert, 0);
    EXPECT_GT(with_key.rs, 0);
    EXPECT_GT(with_key.ra, 0);
    EXPECT_GT(with_key.ns, 0);
    EXPECT_GT(with_key.na, 0);
    EXPECT_GT(with_key.rpl, 0);
    // Without the key: the same frames, the messages hidden (encrypted payloads).
    const Counts without = decode(path, "");
    EXPECT_EQ(without.rows, with_key.rows);
    EXPECT_EQ(without.rs + without.ra + without.ns + without.na + without.rpl, 0);
}

}  // namespace
}  // namespace meshwork::meshtest
