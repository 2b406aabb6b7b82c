// MLME-COMM-STATUS for the association response (success, no-ack, transaction expired) and
// MLME-DISASSOCIATE (IEEE 802.15.4-2006 7.1.4, 7.3.3, 7.5.3.2): device- and coordinator-
// initiated, direct and indirect, with indications and confirms; on SimRadio in virtual time.
#include <gtest/gtest.h>

#include <map>

#include "MacTestNode.h"

namespace meshwork {
namespace {

using namespace mactest;
using mac::MacAssociateStatus;
using mac::MacDisassociateReason;
using mac::MacTxStatus;
using wire::MacAddress;
using wire::MacFrame;

constexpr std::uint16_t kJoinPan = 0x4242;
constexpr RadioChannel kChannel{0, 22};

struct Mlme : Node {
    using Node::Node;
    void mlme_associate_indication(std::uint64_t device, std::uint8_t) override {
        assoc_indications.push_back(device);
        if (answer)
            (void)mac.mlme_associate_response(device, next_short++, MacAssociateStatus::kSuccess);
    }
    void mlme_associate_confirm(MacAssociateStatus s, std::uint16_t a) override {
        assoc_results.emplace_back(s, a);
    }
    void mlme_comm_status_indication(const mac::MacCommStatusIndication &i) override {
        comm.push_back(i);
    }
    void mlme_disassociate_indication(std::uint64_t device, MacDisassociateReason r) override {
        disassoc_indications.emplace_back(device, r);
    }
    void mlme_disassociate_confirm(const mac::MacDisassociateConfirm &c) override {
        disassoc_confirms.push_back(c);
    }
    void mlme_orphan_indication(std::uint64_t orphan) override {
        orphans.push_back(orphan);
        const auto it = members.find(orphan);
        EXPECT_TRUE(mac.mlme_orphan_response(orphan, it == members.end() ? 0xffff : it->second,
                                             it != members.end()));
    }
    std::map<std::uint64_t, std::uint16_t> members;  // the coordinator's device list
    std::vector<std::uint64_t> orphans;
    bool answer = true;
    std::uint16_t next_short = 0x0101;
    std::vector<std::uint64_t> assoc_indications;
    std::vector<std::pair<MacAssociateStatus, std::uint16_t>> assoc_results;
    std::vector<mac::MacCommStatusIndication> comm;
    std::vector<std::pair<std::uint64_t, MacDisassociateReason>> disassoc_indications;
    std::vector<mac::MacDisassociateConfirm> disassoc_confirms;
};

struct Pan {
    sim::Scheduler sched;
    sim::RadioMedium medium{sched, std::make_unique<sim::UnitDiskPropagation>(50)};
    AirLog air;
    std::vector<std::unique_ptr<Mlme>> nodes;
    explicit Pan(int devices, const mac::MacConfig &device_cfg = {}) {
        for (int i = 0; i <= devices; ++i) {
            medium.add_node({5.0 * i, 0, 0});
            nodes.push_back(std::make_unique<Mlme>(sched, medium, sim::RadioNodeId(i),
                                                   i == 0 ? mac::MacConfig{} : device_cfg));
        }
        medium.add_tap(&air);
        mac::MacStartRequest st;
        st.pan_id = kJoinPan;
        st.channel = kChannel;
        st.association_permit = true;
        EXPECT_TRUE(coord().mac.mlme_start(st));
        for (int i = 1; i <= devices; ++i) {
            dev(i).mac.set_pan_id(0xffff);
            dev(i).mac.set_short_address(0xffff);
        }
    }
    ~Pan() { medium.remove_tap(&air); }
    Mlme &coord() { return *nodes[0]; }
    Mlme &dev(int i) { return *nodes[static_cast<std::size_t>(i)]; }
    void associate(int i) {
        mac::MacAssociateRequest req;
        req.channel = kChannel;
        req.coord = MacAddress::from_extended(ext_of(0));
        req.coord_pan = kJoinPan;
        ASSERT_TRUE(dev(i).mac.mlme_associate(req));
        sched.run_until_idle();
        ASSERT_FALSE(dev(i).assoc_results.empty());
        ASSERT_EQ(dev(i).assoc_results.back().first, MacAssociateStatus::kSuccess);
    }
};

TEST(MacCommStatus, AssociationResponseDelivered) {
    Pan p(1);
    p.associate(1);
    ASSERT_EQ(p.coord().comm.size(), 1u);
    const mac::MacCommStatusIndication &c = p.coord().comm[0];
    EXPECT_EQ(c.status, MacTxStatus::kSuccess);
    EXPECT_EQ(c.command, wire::MacCommandId::kAssociationResponse);
    EXPECT_EQ(c.pan_id, kJoinPan);
    EXPECT_EQ(c.src, MacAddress::from_extended(ext_of(0)));
    EXPECT_EQ(c.dst, MacAddress::from_extended(ext_of(1)));
    // When the device's ack of the response ended: the last frame on the air.
    EXPECT_EQ(c.time, p.air.ends.back());
    EXPECT_TRUE(p.coord().confirms.empty());  // no MCPS confirm for the MAC's own frame
    // The device knows its coordinator now.
    EXPECT_EQ(*p.dev(1).mac.mlme_get(mac::MacPib::kCoordExtendedAddress), ext_of(0));
    EXPECT_EQ(*p.dev(1).mac.mlme_get(mac::MacPib::kCoordShortAddress), 0xffffu);
}

TEST(MacCommStatus, AssociationResponseExpiresOrIsNotAcked) {
    Pan p(1);
    // A response to a device that never polls: expired after macTransactionPersistenceTime.
    const Instant t0 = p.sched.now();
    ASSERT_TRUE(
        p.coord().mac.mlme_associate_response(0x0badcafe, 0x0202, MacAssociateStatus::kSuccess));
    p.sched.run_until_idle();
    ASSERT_EQ(p.coord().comm.size(), 1u);
    EXPECT_EQ(p.coord().comm[0].status, MacTxStatus::kTransactionExpired);
    EXPECT_EQ(p.coord().comm[0].dst, MacAddress::from_extended(0x0badcafe));
    EXPECT_EQ(p.coord().comm[0].time - t0, p.coord().mac.transaction_persistence());
    EXPECT_TRUE(p.air.frames.empty());

    // A data request in the device's name from a radio that does not ack what follows: the
    // response goes out 1 + macMaxFrameRetries times and is reported not acked.
    ASSERT_TRUE(
        p.coord().mac.mlme_associate_response(0x0badcafe, 0x0202, MacAssociateStatus::kSuccess));
    p.medium.add_node({1, 0, 0});
    sim::SimRadio raw(p.medium, 2);
    ASSERT_TRUE(raw.set_channel(kChannel));
    MacFrame poll;
    poll.type = wire::MacFrameType::kMacCommand;
    poll.ack_request = true;
    poll.seq = 9;
    poll.has_dst_pan = true;
    poll.dst_pan = kJoinPan;
    poll.dst = MacAddress::from_extended(ext_of(0));
    poll.src = MacAddress::from_extended(0x0badcafe);
    const std::uint8_t cmd = 0x04;
    poll.payload = ByteSpan(&cmd, 1);
    std::vector<std::uint8_t> bytes(poll.emitted_size());
    ASSERT_TRUE(poll.emit(MutableByteSpan(bytes.data(), bytes.size())));
    RadioTxRequest r;
    r.psdu = ByteSpan(bytes.data(), bytes.size());
    ASSERT_TRUE(raw.transmit(r));
    p.sched.run_until_idle();
    ASSERT_EQ(p.coord().comm.size(), 2u);
    EXPECT_EQ(p.coord().comm[1].status, MacTxStatus::kNoAck);
    int responses = 0;
    for (const auto &b : p.air.frames)
        responses += b.size() > 3 && (b[0] & 7) == 3 && b[b.size() - 6] == 0x02;  // cmd 0x02
    EXPECT_EQ(responses, 4);
    EXPECT_EQ(p.coord().mac.indirect_pending(), 0u);
}

MacFrame parse_air(const std::vector<std::uint8_t> &b) {
    Result<MacFrame> f = MacFrame::parse(ByteSpan(b.data(), b.size()));
    EXPECT_TRUE(f);
    return f ? *f : MacFrame{};
}

TEST(MacDisassociate, DeviceLeavesItsPan) {
    Pan p(2);
    p.associate(1);
    p.associate(2);
    mac::MacDisassociateRequest req;
    req.device = MacAddress::from_extended(ext_of(0));  // the coordinator
    req.device_pan = kJoinPan;
    req.reason = MacDisassociateReason::kDeviceWishesToLeave;
    const std::size_t before = p.air.frames.size();
    ASSERT_TRUE(p.dev(1).mac.mlme_disassociate(req));
    EXPECT_TRUE(p.dev(1).mac.disassociating());
    EXPECT_EQ(p.dev(1).mac.mlme_disassociate(req).error(), Error::kBadState);
    p.sched.run_until_idle();
    ASSERT_EQ(p.dev(1).disassoc_confirms.size(), 1u);
    EXPECT_EQ(p.dev(1).disassoc_confirms[0].status, MacTxStatus::kSuccess);
    EXPECT_EQ(p.dev(1).disassoc_confirms[0].device, req.device);
    ASSERT_EQ(p.coord().disassoc_indications.size(), 1u);
    EXPECT_EQ(p.coord().disassoc_indications[0].first, ext_of(1));
    EXPECT_EQ(p.coord().disassoc_indications[0].second,
              MacDisassociateReason::kDeviceWishesToLeave);
    EXPECT_TRUE(p.dev(2).disassoc_indications.empty());  // not a coordinator: nothing for it
    // The notification on the air: acked command 0x03, reason 2, from the extended address,
    // PAN ID compressed; then the coordinator's ack.
    ASSERT_EQ(p.air.frames.size(), before + 2);
    const MacFrame n = parse_air(p.air.frames[before]);
    EXPECT_EQ(n.type, wire::MacFrameType::kMacCommand);
    EXPECT_TRUE(n.ack_request);
    EXPECT_EQ(n.dst, req.device);
    EXPECT_EQ(n.dst_pan, kJoinPan);
    EXPECT_FALSE(n.has_src_pan);
    EXPECT_EQ(n.src, MacAddress::from_extended(ext_of(1)));
    ASSERT_EQ(n.payload.size, 2u);
    EXPECT_EQ(n.payload[0], 0x03);
    EXPECT_EQ(n.payload[1], 0x02);
    // The device forgot the PAN.
    EXPECT_EQ(*p.dev(1).mac.mlme_get(mac::MacPib::kPanId), 0xffffu);
    EXPECT_EQ(*p.dev(1).mac.mlme_get(mac::MacPib::kShortAddress), 0xffffu);
    EXPECT_EQ(*p.dev(1).mac.mlme_get(mac::MacPib::kCoordExtendedAddress), 0u);
    EXPECT_FALSE(p.dev(1).mac.disassociating());
    // Not associated any more: another disassociation is refused.
    EXPECT_EQ(p.dev(1).mac.mlme_disassociate(req).error(), Error::kInvalidArgument);

    // With the coordinator gone the notification is not acked: confirmed kNoAck, and the
    // device leaves all the same.
    ASSERT_TRUE(p.coord().radio.sleep());
    ASSERT_TRUE(p.dev(2).mac.mlme_disassociate(req));
    p.sched.run_until_idle();
    ASSERT_EQ(p.dev(2).disassoc_confirms.size(), 1u);
    EXPECT_EQ(p.dev(2).disassoc_confirms[0].status, MacTxStatus::kNoAck);
    EXPECT_EQ(*p.dev(2).mac.mlme_get(mac::MacPib::kPanId), 0xffffu);
    EXPECT_EQ(*p.dev(2).mac.mlme_get(mac::MacPib::kShortAddress), 0xffffu);
}

TEST(MacDisassociate, CoordinatorSendsDevicesAwayDirectAndIndirect) {
    Pan p(2);
    p.associate(1);
    p.associate(2);
    ASSERT_TRUE(p.dev(2).mac.mlme_set(mac::MacPib::kRxOnWhenIdle, 0));  // a sleepy child

    // Direct, to the device listening.
    mac::MacDisassociateRequest req;
    req.device = MacAddress::from_extended(ext_of(1));
    req.device_pan = kJoinPan;
    req.reason = MacDisassociateReason::kCoordinatorWishesDeviceToLeave;
    ASSERT_TRUE(p.coord().mac.mlme_disassociate(req));
    p.sched.run_until_idle();
    ASSERT_EQ(p.coord().disassoc_confirms.size(), 1u);
    EXPECT_EQ(p.coord().disassoc_confirms[0].status, MacTxStatus::kSuccess);
    ASSERT_EQ(p.dev(1).disassoc_indications.size(), 1u);
    EXPECT_EQ(p.dev(1).disassoc_indications[0].first, ext_of(0));
    EXPECT_EQ(p.dev(1).disassoc_indications[0].second,
              MacDisassociateReason::kCoordinatorWishesDeviceToLeave);
    EXPECT_EQ(*p.dev(1).mac.mlme_get(mac::MacPib::kPanId), 0xffffu);
    EXPECT_EQ(*p.dev(1).mac.mlme_get(mac::MacPib::kShortAddress), 0xffffu);
    // The coordinator is still what it was.
    EXPECT_EQ(*p.coord().mac.mlme_get(mac::MacPib::kPanId), kJoinPan);

    // Indirect, to the sleepy child: nothing on the air until it polls.
    req.device = MacAddress::from_extended(ext_of(2));
    req.tx_indirect = true;
    const std::size_t before = p.air.frames.size();
    ASSERT_TRUE(p.coord().mac.mlme_disassociate(req));
    p.sched.run_for(Duration(1000000));
    EXPECT_EQ(p.air.frames.size(), before);
    EXPECT_EQ(p.coord().mac.indirect_pending(req.device), 1u);
    EXPECT_EQ(p.coord().disassoc_confirms.size(), 1u);
    const std::uint16_t child_short =
        static_cast<std::uint16_t>(*p.dev(2).mac.mlme_get(mac::MacPib::kShortAddress));
    EXPECT_NE(child_short, 0xffff);
    // The child polls from its short address; the notification is queued to its extended
    // address, so poll from that (as 2006 7.5.6.3 has a device do when the coordinator knows it
    // by its extended address): set the short address aside for the poll.
    ASSERT_TRUE(p.dev(2).mac.mlme_set(mac::MacPib::kShortAddress, 0xfffe));
    ASSERT_TRUE(p.dev(2).mac.mlme_poll(MacAddress::from_extended(ext_of(0)), kJoinPan));
    p.sched.run_until_idle();
    ASSERT_EQ(p.dev(2).polls.size(), 1u);
    EXPECT_EQ(p.dev(2).polls[0], mac::MacPollStatus::kSuccess);
    ASSERT_EQ(p.dev(2).disassoc_indications.size(), 1u);
    EXPECT_EQ(p.dev(2).disassoc_indications[0].first, ext_of(0));
    EXPECT_EQ(*p.dev(2).mac.mlme_get(mac::MacPib::kPanId), 0xffffu);
    ASSERT_EQ(p.coord().disassoc_confirms.size(), 2u);
    EXPECT_EQ(p.coord().disassoc_confirms[1].status, MacTxStatus::kSuccess);
    EXPECT_EQ(p.coord().disassoc_confirms[1].device, req.device);
    EXPECT_EQ(p.dev(2).radio.state(), RadioState::kSleep);  // asleep again after

    // Indirect to a device that never polls: transaction expired.
    const Instant t0 = p.sched.now();
    req.device = MacAddress::from_extended(0x00aa00bb00cc00ddull);
    ASSERT_TRUE(p.coord().mac.mlme_disassociate(req));
    p.sched.run_until_idle();
    ASSERT_EQ(p.coord().disassoc_confirms.size(), 3u);
    EXPECT_EQ(p.coord().disassoc_confirms[2].status, MacTxStatus::kTransactionExpired);
    EXPECT_EQ(p.coord().disassoc_confirms[2].time - t0, p.coord().mac.transaction_persistence());
    EXPECT_EQ(p.coord().comm.size(), 2u);  // the two association responses only
}

TEST(MacDisassociate, InvalidRequests) {
    Pan p(1);
    p.associate(1);
    mac::MacDisassociateRequest req;
    req.device = MacAddress::from_extended(ext_of(0));
    req.device_pan = 0x9999;  // not our PAN
    EXPECT_EQ(p.dev(1).mac.mlme_disassociate(req).error(), Error::kInvalidArgument);
    req.device_pan = kJoinPan;
    req.device = MacAddress::from_extended(0x1234);  // not our coordinator, and no coordinator
    EXPECT_EQ(p.dev(1).mac.mlme_disassociate(req).error(), Error::kInvalidArgument);
    req.device = MacAddress::from_short(0xffff);
    EXPECT_EQ(p.coord().mac.mlme_disassociate(req).error(), Error::kInvalidArgument);
    // A notification from someone other than the coordinator leaves the device associated.
    p.medium.add_node({1, 0, 0});
    Mlme other(p.sched, p.medium, 2);
    ASSERT_TRUE(other.radio.set_channel(kChannel));
    other.mac.set_pan_id(kJoinPan);
    other.mac.set_coordinator(true);
    req.device = MacAddress::from_extended(ext_of(1));
    ASSERT_TRUE(other.mac.mlme_disassociate(req));
    p.sched.run_until_idle();
    ASSERT_EQ(other.disassoc_confirms.size(), 1u);
    EXPECT_EQ(other.disassoc_confirms[0].status, MacTxStatus::kSuccess);  // acked
    EXPECT_TRUE(p.dev(1).disassoc_indications.empty());
    EXPECT_EQ(*p.dev(1).mac.mlme_get(mac::MacPib::kPanId), kJoinPan);
    EXPECT_EQ(*p.dev(1).mac.mlme_get(mac::MacPib::kShortAddress), 0x0101u);
}

TEST(MacOrphan, OrphanScanFindsTheCoordinatorAgain) {
    Pan p(1);
    p.associate(1);
    Mlme &c = p.coord();
    Mlme &d = p.dev(1);
    c.members[ext_of(1)] = 0x0101;
    // The device lost everything (a reset): no PAN, no address, on another channel.
    ASSERT_TRUE(d.mac.mlme_set(mac::MacPib::kPanId, 0xffff));
    ASSERT_TRUE(d.mac.mlme_set(mac::MacPib::kShortAddress, 0xffff));
    ASSERT_TRUE(d.mac.mlme_set(mac::MacPib::kCoordExtendedAddress, 0));
    ASSERT_TRUE(d.radio.set_channel({0, 11}));
    mac::MacScanRequest scan;
    scan.type = mac::MacScanType::kOrphan;
    for (std::uint8_t ch = 20; ch <= 24; ++ch)
        scan.channels.push_back({0, ch});
    const std::size_t before = p.air.frames.size();
    const Instant t0 = p.sched.now();
    ASSERT_TRUE(d.mac.mlme_scan(scan));
    p.sched.run_until_idle();
    ASSERT_EQ(d.scans.size(), 1u);
    EXPECT_EQ(d.scans[0].type, mac::MacScanType::kOrphan);
    EXPECT_EQ(d.scans[0].status, mac::MacScanStatus::kSuccess);
    ASSERT_EQ(c.orphans.size(), 1u);
    EXPECT_EQ(c.orphans[0], ext_of(1));
    // Realigned: PAN, short address, coordinator addresses and channel are back.
    EXPECT_EQ(*d.mac.mlme_get(mac::MacPib::kPanId), kJoinPan);
    EXPECT_EQ(*d.mac.mlme_get(mac::MacPib::kShortAddress), 0x0101u);
    EXPECT_EQ(*d.mac.mlme_get(mac::MacPib::kCoordExtendedAddress), ext_of(0));
    EXPECT_EQ(*d.mac.mlme_get(mac::MacPib::kCoordShortAddress), c.short_address());
    EXPECT_EQ(d.radio.channel(), kChannel);
    // On the air: orphan notifications on 20 and 21 (each waited macResponseWaitTime), then
    // 22: notification, realignment, ack; channels 23 and 24 were not needed.
    ASSERT_EQ(p.air.frames.size(), before + 5);
    for (std::size_t i = 0; i < 3; ++i) {
        const MacFrame n = parse_air(p.air.frames[before + i]);
        EXPECT_EQ(n.type, wire::MacFrameType::kMacCommand);
        EXPECT_FALSE(n.ack_request);
        EXPECT_EQ(n.dst, MacAddress::from_short(0xffff));
        EXPECT_EQ(n.dst_pan, 0xffff);
        EXPECT_EQ(n.src, MacAddress::from_extended(ext_of(1)));
        ASSERT_EQ(n.payload.size, 1u);
        EXPECT_EQ(n.payload[0], 0x06);
    }
    EXPECT_GE(p.air.starts[before + 2] - p.air.starts[before + 1], Duration(32 * 960 * 16));
    const MacFrame r = parse_air(p.air.frames[before + 3]);
    EXPECT_TRUE(r.ack_request);
    EXPECT_EQ(r.dst, MacAddress::from_extended(ext_of(1)));
    EXPECT_EQ(r.dst_pan, 0xffff);
    EXPECT_TRUE(r.has_src_pan);
    EXPECT_EQ(r.src_pan, kJoinPan);
    EXPECT_EQ(r.src, MacAddress::from_extended(ext_of(0)));
    const std::vector<std::uint8_t> payload(r.payload.begin(), r.payload.end());
    const std::vector<std::uint8_t> want = {0x08,
                                            0x42,
                                            0x42,
                                            static_cast<std::uint8_t>(c.short_address()),
                                            static_cast<std::uint8_t>(c.short_address() >> 8),
                                            22,
                                            0x01,
                                            0x01};
    EXPECT_EQ(payload, want);
    ASSERT_EQ(c.comm.size(), 2u);  // the association response, then the realignment
    EXPECT_EQ(c.comm[1].command, wire::MacCommandId::kCoordinatorRealignment);
    EXPECT_EQ(c.comm[1].status, MacTxStatus::kSuccess);
    EXPECT_EQ(c.comm[1].dst, MacAddress::from_extended(ext_of(1)));
    EXPECT_TRUE(d.scans[0].unscanned.empty());
    EXPECT_LT(p.sched.now() - t0, Duration(3 * 32 * 960 * 16));
    // Data to the restored short address gets through.
    MacFrame data = c.frame(MacAddress::from_short(0x0101), 10);
    data.dst_pan = kJoinPan;
    ASSERT_TRUE(c.mac.data_request(data, 5));
    p.sched.run_until_idle();
    ASSERT_EQ(c.confirms.size(), 1u);
    EXPECT_EQ(c.confirms[0].status, MacTxStatus::kSuccess);
    EXPECT_EQ(d.payloads.size(), 1u);
}

TEST(MacOrphan, UnknownOrphanHearsNothing) {
    Pan p(1);
    Mlme &d = p.dev(1);  // never associated: the coordinator does not know it
    ASSERT_TRUE(d.radio.set_channel({0, 11}));
    mac::MacScanRequest scan;
    scan.type = mac::MacScanType::kOrphan;
    scan.channels = {{0, 21}, {0, 22}};
    const Instant t0 = p.sched.now();
    ASSERT_TRUE(d.mac.mlme_scan(scan));
    p.sched.run_until_idle();
    ASSERT_EQ(d.scans.size(), 1u);
    EXPECT_EQ(d.scans[0].status, mac::MacScanStatus::kNoBeacon);
    EXPECT_EQ(p.coord().orphans.size(), 1u);              // heard on 22, not a member
    EXPECT_EQ(p.air.frames.size(), 2u);                   // the two notifications only
    EXPECT_EQ(d.radio.channel(), (RadioChannel{0, 11}));  // back where it was
    EXPECT_EQ(*d.mac.mlme_get(mac::MacPib::kPanId), 0xffffu);
    // Each channel waited macResponseWaitTime after its notification.
    EXPECT_GE(p.sched.now() - t0, Duration(2 * 32 * 960 * 16));
    EXPECT_TRUE(p.coord().comm.empty());
}

}  // namespace
}  // namespace meshwork
