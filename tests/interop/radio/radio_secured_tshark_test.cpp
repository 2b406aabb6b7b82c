// A capture of MAC-secured frames (AES-CCM*, every MIC length, with and without encryption),
// decrypted by tshark when given the key through the ieee802154_keys table, exactly as
// docs/mac.md tells a Wireshark user; without the key the payload stays hidden.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "../../scenario/mac/MacTestNode.h"
#include "TempDir.h"
#include "TsharkRun.h"
#include "testbed/Capture802154.h"

namespace meshwork {
namespace {

using namespace mactest;
using wire::MacAddress;
using wire::MacFrame;

constexpr char kKeyHex[] = "00112233445566778899aabbccddeeff";

TEST(RadioSecuredTshark, SecuredCaptureDecodesWithTheKey) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    if (!interop::have_tshark())
        GTEST_SKIP() << "tshark not installed: oracle test skipped";
    test::TempDir dir("mac-secured");
    const std::string path = dir.path() + "/secured.pcap";
    Net n(2);
    testbed::Capture802154 cap(n.medium, wire::PcapLinkType::kIeee802154WithFcs);
    ASSERT_TRUE(cap.open(path));
    mac::MacKeyDescriptor k;
    k.key_id_mode = 1;
    k.key_index = 1;
    for (int i = 0; i < 16; ++i)
        k.key[i] = static_cast<std::uint8_t>(i * 0x11);
    for (int x = 0; x < 2; ++x) {
        ASSERT_TRUE(n[x].mac.security().add_key(k));
        mac::MacDeviceDescriptor d;
        d.pan_id = kPan;
        d.short_address = n[1 - x].short_address();
        d.extended_address = ext_of(sim::RadioNodeId(1 - x));
        ASSERT_TRUE(n[x].mac.security().add_device(d));
    }
    const std::uint8_t levels[] = {5, 6, 7, 1, 2, 3};
    for (std::uint8_t level : levels) {
        MacFrame f = n[0].frame(MacAddress::from_short(0x11), 16);
        f.src = MacAddress::from_extended(ext_of(0));  // the nonce's address, on the air
        n[0].payload[0] = 0x01;                        // 6LoWPAN NALP: shown as data
        for (std::size_t i = 1; i < 16; ++i)
            n[0].payload[i] = static_cast<std::uint8_t>(0xc0 + i);
        f.security_enabled = true;
        f.security.security_level = level;
        f.security.key_id_mode = 1;
        f.security.key_index = 1;
        ASSERT_TRUE(n[0].mac.data_request(f, level));
        n.sched.run_until_idle();
    }
    cap.close();
    ASSERT_EQ(n[1].payloads.size(), 6u);
    const std::string plain = "01c1c2c3c4c5c6c7c8c9cacbcccdcecf";
    auto payloads = [&](const std::string &key_opt) {
        const std::string cmd = "tshark -n -r '" + path + "' " + key_opt +
                                " --disable-heuristic lwm_wlan -Y 'wpan.frame_type == 1'"
                                " -T fields -E occurrence=a -e wpan.aux_sec.sec_level"
                                " -e data.data -e _ws.expert.message -e _ws.malformed"
                                " 2>/dev/null";
        return interop::split(interop::run(cmd), '\n');
    };
    const std::string with_key =
        std::string("-o 'uat:ieee802154_keys:\"") + kKeyHex + "\",\"1\",\"No hash\"'";
    int decrypted = 0, rows = 0;
    for (const std::string &line : payloads(with_key)) {
        if (line.empty())
            continue;
        ++rows;
        const auto f = interop::split(line, '\t');
        ASSERT_GE(f.size(), 3u) << line;
        EXPECT_EQ(f[2], "") << "expert (MIC or key): " << line;
        if (f.size() > 3) {
            EXPECT_EQ(f[3], "") << "malformed: " << line;
        }
        decrypted += f[1] == plain;
    }
    EXPECT_EQ(rows, 6);
    EXPECT_EQ(decrypted, 6);
    // Without the key the encrypted levels stay opaque and the MIC-only ones are unverified.
    int clear = 0, unverified = 0;
    for (const std::string &line : payloads("")) {
        if (line.empty())
            continue;
        const auto f = interop::split(line, '\t');
        clear += f.size() >= 2 && f[1] == plain;
        unverified += f.size() >= 3 && !f[2].empty();
    }
    EXPECT_EQ(clear, 3);
    EXPECT_EQ(unverified, 6);
#ifdef MESHWORK_DECODE_PATH
    // meshwork-decode with the same key agrees.
    const std::string dcmd = std::string(MESHWORK_DECODE_PATH) + " '" + path +
                             "' --key 1:" + kKeyHex +
                             " -e wpan.frame_type,wpan.decryption,wpan.decrypted_payload";
    int ok = 0;
    for (const std::string &line : interop::split(interop::run(dcmd), '\n')) {
        const auto f = interop::split(line, '\t');
        if (f.size() == 3 && f[0] == "1") {
            EXPECT_EQ(f[1], "ok") << line;
            ok += f[2] == plain;
        }
    }
    EXPECT_EQ(ok, 6);
#endif
}

}  // namespace
}  // namespace meshwork
