// A captured RPL DODAG (a four-node line, docs/rpl.md) decoded by tshark: DIS, DIO, DAO and
// DAO-ACK recognised as RPL control messages, the root's source routing header (type 3), the
// RPL option on upward traffic and the root's IPv6-in-IPv6 tunnel, and no malformed frame.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "RplNet.h"
#include "TempDir.h"
#include "TsharkRun.h"
#include "testbed/Capture802154.h"

namespace meshwork::rpltest {
namespace {

using namespace std::chrono_literals;

bool send_udp(Node &from, const wire::Ip6Address &to) {
    auto s = from.stack.udp().open();
    const std::uint8_t data[4] = {1, 2, 3, 4};
    const bool ok = s && from.stack.udp().send_to(*s, to, 7000, ByteSpan(data, 4)).ok();
    from.arm();
    return ok;
}

TEST(RplTshark, CaptureDecodesRplMessagesAndHeaders) {
    if (!interop::have_tshark())
        GTEST_SKIP() << "tshark not installed: oracle test skipped";
    test::TempDir dir("rpl-tshark");
    ASSERT_TRUE(dir.ok());
    const std::string path = dir.file("rpl.pcap");
    RplNet net(line(4), 12, 17);
    testbed::Capture802154 cap(net.medium);
    ASSERT_TRUE(cap.open(path));
    net.start();
    ASSERT_TRUE(net.run_until([&] { return net.all_joined() && net.all_acked(); }, 300s));
    ASSERT_TRUE(send_udp(net[3].node, net[0].rpl.global_address()));  // up, with the RPI
    net.sched.run_for(2s);
    ASSERT_TRUE(send_udp(net[0].node, net[3].rpl.global_address()));  // down, source routed
    net.sched.run_for(2s);
    ASSERT_TRUE(send_udp(net[1].node, net[3].rpl.global_address()));  // across, tunnelled
    net.sched.run_for(2s);
    cap.close();
    ASSERT_EQ(net[0].node.stack.stats().tunnelled, 1u);

    const std::string out = interop::run(
        "tshark -n -r '" + path +
        "' -o wpan.802154_fcs_ok:TRUE -o 6lowpan.context0:2001:db8:1::/64 -T fields "
        "-E separator=/t -E occurrence=a -E aggregator=, -e frame.number -e _ws.malformed "
        "-e icmpv6.type -e icmpv6.code -e ipv6.routing.type -e ipv6.opt.type -e ipv6.nxt "
        "2>/dev/null");
    int malformed = 0, dis = 0, dio = 0, dao = 0, dao_ack = 0, srh = 0, rpi = 0, tunnel = 0;
    for (const std::string &line : interop::split(out, '\n')) {
        if (line.empty())
            continue;
        auto f = interop::split(line, '\t');
        while (f.size() < 7)
            f.push_back("");
        if (!f[1].empty())
            ++malformed;
        if (f[2].find("155") != std::string::npos) {
            dis += f[3] == "0";
            dio += f[3] == "1";
            dao += f[3] == "2";
            dao_ack += f[3] == "3";
        }
        srh += f[4].find('3') != std::string::npos;
        rpi += f[5].find("0x63") != std::string::npos;
        // Two IPv6 headers, the outer one followed by the routing header: the root's tunnel.
        tunnel += f[6].rfind("43,", 0) == 0;
    }
    EXPECT_EQ(malformed, 0) << out;
    EXPECT_GE(dis, 3) << out;
    EXPECT_GE(dio, 4) << out;
    EXPECT_GE(dao, 3) << out;
    EXPECT_GE(dao_ack, 3) << out;
    EXPECT_GE(srh, 3) << out;  // DAO-ACKs and the datagram down, hop by hop
    EXPECT_GE(rpi, 3) << out;  // DAOs and the datagram up carry the RPL option
    EXPECT_GE(tunnel, 1) << out;
}

}  // namespace
}  // namespace meshwork::rpltest
