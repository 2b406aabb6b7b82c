// A captured 6LoWPAN exchange between two simulated nodes (real MAC, adaptation layer and stack)
// decoded by tshark: an ICMPv6 echo between link-local addresses and a 1200-byte UDP datagram in
// fragments must decode as 6LoWPAN with our IPv6 addresses, the UDP datagram reassembled by
// tshark to its full length, and no malformed frame.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "LowpanNet.h"
#include "TempDir.h"
#include "TsharkRun.h"
#include "testbed/Capture802154.h"

namespace meshwork::lowpantest {
namespace {

using namespace std::chrono_literals;

std::string text(const wire::Ip6Address &a) {
    char buf[wire::Ip6Address::kTextMax];
    a.to_text(buf, sizeof buf);
    return buf;
}

TEST(LowpanTshark, CaptureDecodesAs6lowpanWithOurAddresses) {
    if (!interop::have_tshark())
        GTEST_SKIP() << "tshark not installed: oracle test skipped";
    test::TempDir dir("lowpan-tshark");
    ASSERT_TRUE(dir.ok());
    const std::string path = dir.file("lowpan.pcap");
    Net net(2, 11);
    testbed::Capture802154 cap(net.medium);
    ASSERT_TRUE(cap.open(path));
    net.settle();
    (void)net[0].stack.ping(net[1].link_local(), 0x1234, 1);
    net[0].arm();
    net.sched.run_for(1s);
    std::vector<std::uint8_t> payload(1200);
    for (std::size_t i = 0; i < payload.size(); ++i)
        payload[i] = static_cast<std::uint8_t>(i);
    auto s = net[0].stack.udp().open();
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(net[0].stack.udp().send_to(*s, net[1].link_local(), 61616,
                                           ByteSpan(payload.data(), payload.size())));
    net[0].arm();
    net.sched.run_for(2s);
    cap.close();
    ASSERT_EQ(net[0].lowpan.stats().tx_fragmented, 1u);

    const std::string a = text(net[0].link_local()), b = text(net[1].link_local());
    const std::string out =
        interop::run("tshark -n -r '" + path +
                     "' -o wpan.802154_fcs_ok:TRUE -T fields -E separator=/t -E occurrence=f "
                     "-e frame.number -e _ws.malformed -e frame.protocols -e ipv6.src -e ipv6.dst "
                     "-e icmpv6.type -e udp.length 2>/dev/null");
    int malformed = 0, lowpan = 0, echo_request = 0, echo_reply = 0, udp_full = 0;
    for (const std::string &line : interop::split(out, '\n')) {
        if (line.empty())
            continue;
        auto f = interop::split(line, '\t');
        ASSERT_GE(f.size(), 7u) << line;
        if (!f[1].empty())
            ++malformed;
        if (f[2].find("6lowpan") != std::string::npos)
            ++lowpan;
        if (f[5] == "128" && f[3] == a && f[4] == b)
            ++echo_request;
        if (f[5] == "129" && f[3] == b && f[4] == a)
            ++echo_reply;
        if (f[6] == "1208" && f[3] == a && f[4] == b)
            ++udp_full;
    }
    EXPECT_EQ(malformed, 0) << out;
    EXPECT_GE(lowpan, 12) << out;  // the echo, its reply and the fragments at least
    EXPECT_EQ(echo_request, 1) << out;
    EXPECT_EQ(echo_reply, 1) << out;
    EXPECT_EQ(udp_full, 1) << out;  // tshark reassembled the FRAG1 / FRAGN train
}

}  // namespace
}  // namespace meshwork::lowpantest
