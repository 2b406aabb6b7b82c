// The MAC's own command frames as tshark reads them: association request and response,
// data request, disassociation notification, orphan notification and coordinator realignment,
// from a capture of an association, a departure and an orphan scan on the simulated medium.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "../../scenario/mac/MacTestNode.h"
#include "TempDir.h"
#include "TsharkRun.h"
#include "testbed/Capture802154.h"

namespace meshwork {
namespace {

using namespace mactest;
using wire::MacAddress;

constexpr std::uint16_t kJoinPan = 0x4242;
constexpr RadioChannel kChannel{0, 22};

struct Coord : Node {
    using Node::Node;
    void mlme_associate_indication(std::uint64_t device, std::uint8_t) override {
        (void)mac.mlme_associate_response(device, 0x0101, mac::MacAssociateStatus::kSuccess);
    }
    void mlme_orphan_indication(std::uint64_t orphan) override {
        (void)mac.mlme_orphan_response(orphan, 0x0101, true);
    }
};

struct Device : Node {
    using Node::Node;
    void mlme_associate_confirm(mac::MacAssociateStatus s, std::uint16_t) override {
        associated = s == mac::MacAssociateStatus::kSuccess;
    }
    bool associated = false;
};

TEST(RadioCommandsTshark, CommandFramesDecode) {
    if (!interop::have_tshark())
        GTEST_SKIP() << "tshark not installed: oracle test skipped";
    test::TempDir dir("mac-commands");
    const std::string path = dir.path() + "/commands.pcap";
    sim::Scheduler sched;
    sim::RadioMedium medium(sched, std::make_unique<sim::UnitDiskPropagation>(50));
    medium.add_node({0, 0, 0});
    medium.add_node({5, 0, 0});
    Coord coord(sched, medium, 0);
    Device dev(sched, medium, 1);
    testbed::Capture802154 cap(medium, wire::PcapLinkType::kIeee802154WithFcs);
    ASSERT_TRUE(cap.open(path));
    mac::MacStartRequest st;
    st.pan_id = kJoinPan;
    st.channel = kChannel;
    st.association_permit = true;
    ASSERT_TRUE(coord.mac.mlme_start(st));
    dev.mac.set_pan_id(0xffff);
    dev.mac.set_short_address(0xffff);
    mac::MacAssociateRequest req;
    req.channel = kChannel;
    req.coord = MacAddress::from_extended(ext_of(0));
    req.coord_pan = kJoinPan;
    ASSERT_TRUE(dev.mac.mlme_associate(req));
    sched.run_until_idle();
    ASSERT_TRUE(dev.associated);
    mac::MacDisassociateRequest leave;
    leave.device = MacAddress::from_extended(ext_of(0));
    leave.device_pan = kJoinPan;
    ASSERT_TRUE(dev.mac.mlme_disassociate(leave));
    sched.run_until_idle();
    mac::MacScanRequest scan;
    scan.type = mac::MacScanType::kOrphan;
    scan.channels = {kChannel};
    ASSERT_TRUE(dev.mac.mlme_scan(scan));
    sched.run_until_idle();
    ASSERT_EQ(*dev.mac.mlme_get(mac::MacPib::kShortAddress), 0x0101u);
    cap.close();

    const std::string cmd = "tshark -n -r '" + path +
                            "' -Y 'wpan.frame_type == 3' -T fields -E occurrence=f"
                            " -e wpan.cmd -e wpan.cinfo.alloc_addr -e wpan.asoc.addr"
                            " -e wpan.assoc.status -e wpan.disassoc.reason -e wpan.realign.pan"
                            " -e wpan.realign.addr -e wpan.realign.channel -e wpan.src64"
                            " -e wpan.dst64 -e _ws.malformed -e _ws.expert.message 2>/dev/null";
    std::vector<std::vector<std::string>> rows;
    for (const std::string &line : interop::split(interop::run(cmd), '\n'))
        if (!line.empty())
            rows.push_back(interop::split(line, '\t'));
    ASSERT_EQ(rows.size(), 6u);
    for (const auto &r : rows) {
        ASSERT_EQ(r.size(), 12u);
        EXPECT_EQ(r[10], "") << "malformed";
    }
    const std::string coord64 = "00:11:22:33:44:55:00:00", dev64 = "00:11:22:33:44:55:00:01";
    // Association request: allocate address, from the device's extended address.
    EXPECT_EQ(rows[0][0], "0x01");
    EXPECT_EQ(rows[0][1], "1");
    EXPECT_EQ(rows[0][8], dev64);
    // Data request, then the association response with the address and success.
    EXPECT_EQ(rows[1][0], "0x04");
    EXPECT_EQ(rows[2][0], "0x02");
    EXPECT_EQ(rows[2][2], "0x0101");
    EXPECT_EQ(rows[2][3], "0x00");
    EXPECT_EQ(rows[2][9], dev64);
    // Disassociation notification: the device wishes to leave.
    EXPECT_EQ(rows[3][0], "0x03");
    EXPECT_EQ(rows[3][4], "0x02");
    EXPECT_EQ(rows[3][8], dev64);
    // Orphan notification, then the realignment: PAN, coordinator short address, channel.
    EXPECT_EQ(rows[4][0], "0x06");
    EXPECT_EQ(rows[4][8], dev64);
    EXPECT_EQ(rows[5][0], "0x08");
    EXPECT_EQ(rows[5][5], "0x4242");
    EXPECT_EQ(rows[5][6], "0x0010");
    EXPECT_EQ(rows[5][7], "22");
    EXPECT_EQ(rows[5][8], coord64);
    EXPECT_EQ(rows[5][9], dev64);
    // The realignment's short address for the orphan, as tshark prints it.
    const std::string detail =
        interop::run("tshark -n -r '" + path + "' -Y 'wpan.cmd == 0x08' -V 2>/dev/null");
    EXPECT_NE(detail.find("Short Address: 0x0101"), std::string::npos) << detail;
}

}  // namespace
}  // namespace meshwork
