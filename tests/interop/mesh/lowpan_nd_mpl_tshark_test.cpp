// A 6LoWPAN-ND mesh's capture with MPL multicast (RFC 7731) decoded by tshark: the 6LoWPAN
// IPHC with the hop-by-hop NHC (RFC 6282 4.2) decompresses into an IPv6 hop-by-hop header
// whose MPL option tshark recognises (S = 0, the seed's sequence, M), then the UDP datagram to
// the ff05:: group, with no malformed frame; the forwarders' copies carry the Hop Limit less
// one per hop and the same seed and sequence.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "MeshNet.h"
#include "TempDir.h"
#include "TsharkRun.h"

namespace meshwork::meshtest {
namespace {

using namespace std::chrono_literals;

TEST(LowpanNdMplTshark, MplOptionDecodesInsideTheCompressedHopByHopHeader) {
    if (!interop::have_tshark())
        GTEST_SKIP() << "tshark not installed: oracle test skipped";
    test::TempDir dir("mpl-tshark");
    ASSERT_TRUE(dir.ok());
    const std::string path = dir.file("mpl.pcap");
    MeshNet net(21, 12);
    for (int i = 0; i < 4; ++i)
        net.add({10.0 * i, 0, 0}, i == 0 ? NET_6LOWPAN_BORDER_ROUTER : NET_6LOWPAN_ROUTER);
    net.start_all();
    ASSERT_TRUE(net.form(600s));
    const wire::Ip6Address group = *wire::Ip6Address::from_text("ff05::1234");
    for (auto *n : net.nodes) {
        auto s = listen(*n);
        ASSERT_TRUE(n->stack().udp().join_group(s, group, n->ifindex()));
        n->touched();
    }
    net.sim.run_for(2s);
    testbed::Capture802154 cap(*net.medium);
    ASSERT_TRUE(cap.open(path));
    auto &udp = net.nodes[3]->stack().udp();
    auto s = udp.open();
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(udp.set_multicast_hop_limit(*s, 9));
    const std::uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    ASSERT_TRUE(udp.send_to(*s, group, kPort, ByteSpan(data, sizeof data)).ok());
    net.nodes[3]->touched();
    net.sim.run_for(3s);
    cap.close();

    const std::string out = interop::run(
        "tshark -n -r '" + path +
        "' -o 6lowpan.context0:fd00:6c6f:7770:616e::/64 -Y 'ipv6.opt.mpl.sequence' -T fields"
        " -E separator=/t -E occurrence=f -e _ws.malformed -e ipv6.src -e ipv6.dst"
        " -e ipv6.hlim -e ipv6.opt.mpl.flag.s -e ipv6.opt.mpl.sequence -e udp.dstport"
        " -e _ws.expert.message -e 6lowpan.iphc.nh -e 6lowpan.nhc.ext.eid 2>/dev/null");
    int rows = 0;
    std::set<std::string> sequences;
    std::map<std::string, std::set<std::string>> hop_limits;  // by transmitter's copy
    for (const std::string &line : interop::split(out, '\n')) {
        if (line.empty())
            continue;
        auto f = interop::split(line, '\t');
        while (f.size() < 10)
            f.push_back("");
        ++rows;
        EXPECT_TRUE(f[0].empty()) << line;  // not malformed
        EXPECT_EQ(f[2], "ff05::1234") << line;
        EXPECT_EQ(f[4], "0") << line;  // S = 0: the seed-id is the IPv6 source
        EXPECT_EQ(f[6], std::to_string(kPort)) << line;
        // tshark's only note: its informational "Seed ID is the IPv6 Source Address" (S = 0).
        EXPECT_TRUE(f[7].empty() || f[7] == "Seed ID is the IPv6 Source Address") << line;
        // Compressed: IPHC's NH bit, then the extension-header NHC for hop-by-hop (EID 0).
        EXPECT_EQ(f[8], "1") << line;
        EXPECT_EQ(f[9], "0x00") << line;
        sequences.insert(f[5]);
        hop_limits[f[1]].insert(f[3]);
    }
    // The seed's transmissions and each router's (three trickle expirations each).
    EXPECT_GE(rows, 4);
    EXPECT_EQ(sequences.size(), 1u);   // one message
    ASSERT_EQ(hop_limits.size(), 1u);  // one seed: the IPv6 source stays the originator's
    const auto &hl = hop_limits.begin()->second;
    char seed[wire::Ip6Address::kTextMax];
    net.nodes[3]->global().to_text(seed, sizeof seed);
    EXPECT_EQ(hop_limits.begin()->first, std::string(seed));
    // The seed's 9, then 8, 7, 6 from routers 2, 1 and the border router.
    EXPECT_EQ(hl, (std::set<std::string>{"6", "7", "8", "9"}));
}

}  // namespace
}  // namespace meshwork::meshtest
