// Indirect transmission to a sleepy child (frame pending, data requests, the persistence
// timeout), beacons and active / energy scans, enh-acks for 2015 frames, MLME-SET/GET; on
// SimRadio in virtual time.
#include <gtest/gtest.h>

#include "MacTestNode.h"

namespace meshwork {
namespace {

using namespace mactest;
using mac::MacPollStatus;
using mac::MacTxStatus;
using wire::MacAddress;
using wire::MacFrame;

mac::MacConfig sleepy() {
    mac::MacConfig c;
    c.rx_on_when_idle = false;
    return c;
}

TEST(MacIndirect, PollingChildGetsQueuedFramesWithFramePending) {
    Net n(1);
    n.medium.add_node({5, 0, 0});
    n.nodes.push_back(std::make_unique<Node>(n.sched, n.medium, 1, sleepy()));
    Node &parent = n[0], &child = n[1];
    EXPECT_EQ(child.radio.state(), RadioState::kSleep);  // macRxOnWhenIdle false from the start
    // Nothing pending yet: the poll's ack says so and the child sleeps again.
    ASSERT_TRUE(child.mac.mlme_poll(MacAddress::from_short(0x10), kPan));
    EXPECT_EQ(child.mac.mlme_poll(MacAddress::from_short(0x10), kPan).error(), Error::kBadState);
    n.sched.run_until_idle();
    ASSERT_EQ(child.polls.size(), 1u);
    EXPECT_EQ(child.polls[0], MacPollStatus::kNoData);
    EXPECT_EQ(child.radio.state(), RadioState::kSleep);

    mac::MacTxOptions ind;
    ind.indirect = true;
    std::vector<std::vector<std::uint8_t>> sent;
    for (int i = 0; i < 2; ++i) {
        ASSERT_TRUE(parent.mac.data_request(
            parent.frame(MacAddress::from_short(0x11), 20, static_cast<std::uint8_t>(i * 40)),
            static_cast<std::uint8_t>(7 + i), ind));
        sent.push_back(parent.payload);
    }
    EXPECT_EQ(parent.mac.indirect_pending(MacAddress::from_short(0x11)), 2u);
    EXPECT_EQ(
        parent.mac.data_request(parent.frame(MacAddress::from_short(0xffff), 5), 1, ind).error(),
        Error::kInvalidArgument);
    n.sched.run_until(n.sched.now() + Duration(1000000));
    EXPECT_TRUE(child.payloads.empty());  // held until asked for
    EXPECT_TRUE(parent.confirms.empty());

    const std::size_t air_before = n.air.frames.size();
    ASSERT_TRUE(child.mac.mlme_poll(MacAddress::from_short(0x10), kPan));
    n.sched.run_until_idle();
    ASSERT_EQ(child.payloads.size(), 2u);
    EXPECT_EQ(child.payloads[0], sent[0]);
    EXPECT_EQ(child.payloads[1], sent[1]);
    ASSERT_EQ(child.polls.size(), 2u);  // the repeat poll after frame pending is not confirmed
    EXPECT_EQ(child.polls[1], MacPollStatus::kSuccess);
    ASSERT_EQ(parent.confirms.size(), 2u);
    EXPECT_EQ(parent.confirms[0].handle, 7);
    EXPECT_EQ(parent.confirms[1].handle, 8);
    EXPECT_EQ(parent.confirms[0].status, MacTxStatus::kSuccess);
    EXPECT_EQ(parent.mac.indirect_pending(), 0u);
    EXPECT_EQ(parent.mac.counters().data_requests_rx, 3u);
    EXPECT_EQ(child.mac.counters().polls, 3u);
    EXPECT_EQ(child.radio.state(), RadioState::kSleep);
    // On the air: request, ack(FP), data(FP), ack, request, ack(FP), data(no FP), ack.
    std::vector<std::pair<wire::MacFrameType, bool>> seen;
    for (std::size_t i = air_before; i < n.air.frames.size(); ++i) {
        Result<MacFrame> f =
            MacFrame::parse(ByteSpan(n.air.frames[i].data(), n.air.frames[i].size()));
        ASSERT_TRUE(f);
        seen.emplace_back(f->type, f->frame_pending);
    }
    using T = wire::MacFrameType;
    const std::vector<std::pair<T, bool>> want = {
        {T::kMacCommand, false}, {T::kAck, true}, {T::kData, true},  {T::kAck, false},
        {T::kMacCommand, false}, {T::kAck, true}, {T::kData, false}, {T::kAck, false}};
    EXPECT_EQ(seen, want);
}

TEST(MacIndirect, TransactionExpiresAfterPersistenceTime) {
    Net n(2);
    mac::MacTxOptions ind;
    ind.indirect = true;
    ASSERT_TRUE(n[0].mac.mlme_set(mac::MacPib::kTransactionPersistenceTime, 100));
    EXPECT_EQ(n[0].mac.transaction_persistence(), Duration(100 * 960 * 16));
    const Instant queued = n.sched.now();
    ASSERT_TRUE(n[0].mac.data_request(n[0].frame(MacAddress::from_short(0x11), 10), 3, ind));
    ASSERT_TRUE(n[0].mac.data_request(n[0].frame(MacAddress::from_short(0x22), 10), 4, ind));
    n.sched.run_until_idle();
    ASSERT_EQ(n[0].confirms.size(), 2u);
    for (const auto &c : n[0].confirms) {
        EXPECT_EQ(c.status, MacTxStatus::kTransactionExpired);
        EXPECT_EQ(c.time - queued, Duration(1536000));
    }
    EXPECT_EQ(n[0].mac.counters().indirect_expired, 2u);
    EXPECT_TRUE(n[1].payloads.empty());
    EXPECT_EQ(n.medium.stats().frames, 0u);  // nothing went on the air
    // A direct request goes on while frames wait.
    ASSERT_TRUE(n[0].mac.data_request(n[0].frame(MacAddress::from_short(0x11), 10), 5, ind));
    ASSERT_TRUE(n[0].mac.data_request(n[0].frame(MacAddress::from_short(0x11), 10), 6));
    n.sched.run_until(n.sched.now() + Duration(100000));
    EXPECT_EQ(n[1].payloads.size(), 1u);
    EXPECT_EQ(n[0].confirms.back().handle, 6);
}

TEST(MacIndirect, SecuredPollAndSecuredQueuedFrames) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    mac::MacConfig cfg;
    cfg.min_security_level = 5;
    Net n(2, cfg);
    mac::MacKeyDescriptor k;
    k.key_id_mode = 1;
    k.key_index = 2;
    k.key[3] = 0x77;
    mac::MacKeyDescriptor k3 = k;  // the polls' key in the last step
    k3.key_index = 3;
    for (int x = 0; x < 2; ++x) {
        ASSERT_TRUE(n[x].mac.security().add_key(k));
        ASSERT_TRUE(n[x].mac.security().add_key(k3));
        mac::MacDeviceDescriptor d;
        d.pan_id = kPan;
        d.short_address = n[1 - x].short_address();
        d.extended_address = ext_of(sim::RadioNodeId(1 - x));
        ASSERT_TRUE(n[x].mac.security().add_device(d));
    }
    mac::MacTxOptions ind;
    ind.indirect = true;
    MacFrame f = n[0].frame(MacAddress::from_short(0x11), 24);
    f.security_enabled = true;
    f.security.security_level = 6;
    f.security.key_id_mode = 1;
    f.security.key_index = 2;
    ASSERT_TRUE(n[0].mac.data_request(f, 1, ind));
    const std::vector<std::uint8_t> sent = n[0].payload;
    // An unsecured poll is refused by the parent (security required), so nothing comes.
    ASSERT_TRUE(n[1].mac.mlme_poll(MacAddress::from_short(0x10), kPan));
    n.sched.run_until(n.sched.now() + Duration(200000));
    EXPECT_EQ(n[0].mac.counters().drops[mac::MacRxDrop::kUnsecured], 1u);
    EXPECT_EQ(n[1].polls.back(), MacPollStatus::kNoData);  // acked (with frame pending) but no data
    wire::AuxSecurityHeader sec;
    sec.security_level = 5;
    sec.key_id_mode = 1;
    sec.key_index = 2;
    ASSERT_TRUE(n[1].mac.mlme_poll(MacAddress::from_short(0x10), kPan, sec));
    n.sched.run_until(n.sched.now() + Duration(200000));
    ASSERT_EQ(n[1].payloads.size(), 1u);
    EXPECT_EQ(n[1].payloads[0], sent);
    EXPECT_EQ(n[1].levels[0], 6);
    EXPECT_EQ(n[1].polls.back(), MacPollStatus::kSuccess);
    // A queued frame whose key is removed before the poll is confirmed as a security error.
    f = n[0].frame(MacAddress::from_short(0x11), 8);
    f.security_enabled = true;
    f.security.security_level = 5;
    f.security.key_id_mode = 1;
    f.security.key_index = 2;
    ASSERT_TRUE(n[0].mac.data_request(f, 9, ind));
    ASSERT_TRUE(n[0].mac.security().remove_key(1, k.key_source, 2));
    sec.key_index = 3;
    ASSERT_TRUE(n[1].mac.mlme_poll(MacAddress::from_short(0x10), kPan, sec));
    n.sched.run_until(n.sched.now() + Duration(200000));
    ASSERT_FALSE(n[0].confirms.empty());
    EXPECT_EQ(n[0].confirms.back().handle, 9);
    EXPECT_EQ(n[0].confirms.back().status, MacTxStatus::kSecurityError);
    EXPECT_EQ(n[0].mac.indirect_pending(), 0u);
    // And a key that is not there refuses the request at once.
    EXPECT_EQ(n[0].mac.data_request(f, 10, ind).error(), Error::kNotFound);
}

TEST(MacScan, ActiveScanFindsTwoCoordinatorsOnTheirChannels) {
    Net n(3);
    const std::uint8_t pay_a[] = {'a', 'b'}, pay_b[] = {'x', 'y', 'z'};
    mac::MacStartRequest sa;
    sa.pan_id = 0xaaaa;
    sa.channel = {0, 15};
    sa.association_permit = true;
    ASSERT_TRUE(n[0].mac.mlme_start(sa));
    ASSERT_TRUE(n[0].mac.set_beacon_payload(ByteSpan(pay_a, 2)));
    mac::MacStartRequest sb = sa;
    sb.pan_id = 0xbbbb;
    sb.channel = {0, 20};
    sb.association_permit = false;
    ASSERT_TRUE(n[1].mac.mlme_start(sb));
    ASSERT_TRUE(n[1].mac.set_beacon_payload(ByteSpan(pay_b, 3)));
    std::uint8_t big[53] = {};
    EXPECT_EQ(n[1].mac.set_beacon_payload(ByteSpan(big, 53)).error(), Error::kInvalidArgument);

    mac::MacScanRequest req;
    req.type = mac::MacScanType::kActive;
    for (std::uint8_t ch = 11; ch <= 26; ++ch)
        req.channels.push_back({0, ch});
    req.duration = 2;
    const RadioChannel home = n[2].radio.channel();
    const Instant t0 = n.sched.now();
    ASSERT_TRUE(n[2].mac.mlme_scan(req));
    EXPECT_EQ(n[2].mac.mlme_scan(req).error(), Error::kBadState);
    n.sched.run_until_idle();
    ASSERT_EQ(n[2].scans.size(), 1u);
    const mac::MacScanConfirm &c = n[2].scans[0];
    EXPECT_EQ(c.status, mac::MacScanStatus::kSuccess);
    ASSERT_EQ(c.pans.size(), 2u);
    EXPECT_EQ(c.pans[0].pan_id, 0xaaaa);
    EXPECT_EQ(c.pans[0].channel, (RadioChannel{0, 15}));
    EXPECT_EQ(c.pans[0].coord, MacAddress::from_short(0x10));
    EXPECT_EQ(c.pans[0].beacon_payload, std::vector<std::uint8_t>(pay_a, pay_a + 2));
    EXPECT_EQ(c.pans[0].superframe_spec, 0xcfff);  // BO = SO = 15, PAN coordinator, permit
    EXPECT_EQ(c.pans[1].pan_id, 0xbbbb);
    EXPECT_EQ(c.pans[1].channel, (RadioChannel{0, 20}));
    EXPECT_EQ(c.pans[1].beacon_payload, std::vector<std::uint8_t>(pay_b, pay_b + 3));
    EXPECT_EQ(c.pans[1].superframe_spec, 0x4fff);
    EXPECT_EQ(n[2].radio.channel(), home);
    // 16 channels of 960 * (2^2 + 1) symbols each, after each beacon request went out.
    EXPECT_GE(n.sched.now() - t0, Duration(16 * 960 * 5 * 16));
    EXPECT_EQ(n[0].mac.counters().beacons_sent, 1u);
    EXPECT_EQ(n[1].mac.counters().beacons_sent, 1u);
    // A scan of empty channels: no beacon.
    req.channels = {{0, 12}, {0, 13}};
    ASSERT_TRUE(n[2].mac.mlme_scan(req));
    n.sched.run_until_idle();
    EXPECT_EQ(n[2].scans.back().status, mac::MacScanStatus::kNoBeacon);
    req.channels = {{0, 40}};
    ASSERT_TRUE(n[2].mac.mlme_scan(req));
    n.sched.run_until_idle();
    EXPECT_EQ(n[2].scans.back().status, mac::MacScanStatus::kAborted);
    EXPECT_EQ(n[2].scans.back().unscanned.size(), 1u);
    req.channels.clear();
    EXPECT_EQ(n[2].mac.mlme_scan(req).error(), Error::kInvalidArgument);
}

// A beacon with no MAC payload at all (only addressing and FCS), as some beaconless
// coordinators send: reported with BO = SO = 15 and no beacon payload.
TEST(MacScan, BareBeaconIsReported) {
    mactest::Net n(1);
    const sim::RadioNodeId raw = n.medium.add_node({5, 0, 0});
    ASSERT_TRUE(n.medium.set_channel(raw, {0, 15}));
    mac::MacScanRequest req;
    req.channels = {{0, 15}};
    req.duration = 2;
    ASSERT_TRUE(n[0].mac.mlme_scan(req));
    // FCF 0xc000 (beacon, 2003, source extended), seq, PAN 0xface, address, FCS.
    std::uint8_t beacon[15] = {0x00, 0xc0, 0x07, 0xce, 0xfa, 8, 7, 6, 5, 4, 3, 2, 1};
    const std::uint16_t fcs = wire::mac_fcs(ByteSpan(beacon, 13));
    beacon[13] = static_cast<std::uint8_t>(fcs);
    beacon[14] = static_cast<std::uint8_t>(fcs >> 8);
    n.sched.after(std::chrono::milliseconds(5), [&] {
        EXPECT_TRUE(
            n.medium.transmit(raw, ByteSpan(beacon, sizeof beacon), false, CcaMode::kEnergy));
    });
    n.sched.run_until_idle();
    ASSERT_EQ(n[0].scans.size(), 1u);
    ASSERT_EQ(n[0].scans[0].pans.size(), 1u);
    const mac::MacPanDescriptor &p = n[0].scans[0].pans[0];
    EXPECT_EQ(p.pan_id, 0xface);
    EXPECT_EQ(p.coord, MacAddress::from_extended(0x0102030405060708ull));
    EXPECT_EQ(p.superframe_spec, 0x00ff);
    EXPECT_TRUE(p.beacon_payload.empty());
}

TEST(MacScan, EnergyScanSeesTheInterferer) {
    Net n(1);
    n.medium.schedule_interference(n.sched.now(), {0, 17}, Duration(10000000), -40);
    mac::MacScanRequest req;
    req.type = mac::MacScanType::kEnergy;
    for (std::uint8_t ch = 15; ch <= 19; ++ch)
        req.channels.push_back({0, ch});
    req.duration = 1;
    ASSERT_TRUE(n[0].mac.mlme_scan(req));
    n.sched.run_until_idle();
    ASSERT_EQ(n[0].scans.size(), 1u);
    const auto &e = n[0].scans[0].energy;
    ASSERT_EQ(e.size(), 5u);
    for (const auto &r : e) {
        if (r.channel.number == 17)
            EXPECT_GE(r.max_dbm, -41);
        else
            EXPECT_LE(r.max_dbm, -99);  // the noise floor
    }
}

TEST(MacEnhAck, Version2FrameGetsAnEnhancedAck) {
    Net n(2);
    MacFrame f = n[0].frame(MacAddress::from_extended(ext_of(1)), 10);
    f.version = wire::MacFrameVersion::k2015;
    f.src = MacAddress::from_extended(ext_of(0));
    ASSERT_TRUE(n[0].mac.data_request(f, 1));
    n.sched.run_until_idle();
    ASSERT_EQ(n[0].confirms.size(), 1u);
    EXPECT_EQ(n[0].confirms[0].status, MacTxStatus::kSuccess);
    EXPECT_EQ(n[0].confirms[0].retries, 0);
    EXPECT_EQ(n[1].mac.counters().enh_acks_sent, 1u);
    ASSERT_EQ(n.air.frames.size(), 2u);
    Result<MacFrame> ack =
        MacFrame::parse(ByteSpan(n.air.frames[1].data(), n.air.frames[1].size()));
    ASSERT_TRUE(ack);
    EXPECT_EQ(ack->type, wire::MacFrameType::kAck);
    EXPECT_EQ(ack->version, wire::MacFrameVersion::k2015);
    EXPECT_EQ(ack->dst, MacAddress::from_extended(ext_of(0)));
    // A 2006 frame still gets the 5-octet imm-ack.
    ASSERT_TRUE(n[0].mac.data_request(n[0].frame(MacAddress::from_short(0x11), 10), 2));
    n.sched.run_until_idle();
    EXPECT_EQ(n.air.frames.back().size(), 5u);
    EXPECT_EQ(n[1].mac.counters().enh_acks_sent, 1u);
}

struct Coordinator : Node {
    using Node::Node;
    void mlme_associate_indication(std::uint64_t device, std::uint8_t capability) override {
        indications.emplace_back(device, capability);
        if (answer)
            (void)mac.mlme_associate_response(device, next_short++, status);
    }
    std::vector<std::pair<std::uint64_t, std::uint8_t>> indications;
    bool answer = true;
    std::uint16_t next_short = 0x0101;
    mac::MacAssociateStatus status = mac::MacAssociateStatus::kSuccess;
};

struct Joiner : Node {
    using Node::Node;
    void mlme_associate_confirm(mac::MacAssociateStatus s, std::uint16_t a) override {
        results.emplace_back(s, a);
    }
    std::vector<std::pair<mac::MacAssociateStatus, std::uint16_t>> results;
};

TEST(MacAssociate, JoinThroughScanAndAssociation) {
    sim::Scheduler sched;
    sim::RadioMedium medium(sched, std::make_unique<sim::UnitDiskPropagation>(50));
    medium.add_node({0, 0, 0});
    medium.add_node({5, 0, 0});
    Coordinator coord(sched, medium, 0);
    Joiner dev(sched, medium, 1);
    dev.mac.set_pan_id(0xffff);
    dev.mac.set_short_address(0xffff);
    mac::MacStartRequest st;
    st.pan_id = 0x4242;
    st.channel = {0, 22};
    st.association_permit = true;
    ASSERT_TRUE(coord.mac.mlme_start(st));
    mac::MacScanRequest scan;
    for (std::uint8_t ch = 20; ch <= 23; ++ch)
        scan.channels.push_back({0, ch});
    scan.duration = 1;
    ASSERT_TRUE(dev.mac.mlme_scan(scan));
    sched.run_until_idle();
    ASSERT_EQ(dev.scans.size(), 1u);
    ASSERT_EQ(dev.scans[0].pans.size(), 1u);
    const mac::MacPanDescriptor pd = dev.scans[0].pans[0];
    EXPECT_TRUE(pd.superframe_spec & 0x8000);  // association permit
    mac::MacAssociateRequest req;
    req.channel = pd.channel;
    req.coord = pd.coord;
    req.coord_pan = pd.pan_id;
    const Instant t0 = sched.now();
    ASSERT_TRUE(dev.mac.mlme_associate(req));
    EXPECT_EQ(dev.mac.mlme_associate(req).error(), Error::kBadState);
    sched.run_until_idle();
    ASSERT_EQ(coord.indications.size(), 1u);
    EXPECT_EQ(coord.indications[0].first, ext_of(1));
    EXPECT_EQ(coord.indications[0].second, 0x80);
    ASSERT_EQ(dev.results.size(), 1u);
    EXPECT_EQ(dev.results[0].first, mac::MacAssociateStatus::kSuccess);
    EXPECT_EQ(dev.results[0].second, 0x0101);
    EXPECT_EQ(*dev.mac.mlme_get(mac::MacPib::kShortAddress), 0x0101u);
    EXPECT_EQ(*dev.mac.mlme_get(mac::MacPib::kPanId), 0x4242u);
    EXPECT_EQ(dev.radio.channel(), (RadioChannel{0, 22}));
    // The response came only after macResponseWaitTime (32 * 960 symbols).
    EXPECT_GE(sched.now() - t0, Duration(32 * 960 * 16));
    EXPECT_TRUE(coord.confirms.empty());  // the MAC's own frame: no MCPS confirm
    // Now a member: data to the new short address gets through.
    MacFrame data = coord.frame(MacAddress::from_short(0x0101), 10);
    data.dst_pan = 0x4242;
    ASSERT_TRUE(coord.mac.data_request(data, 3));
    sched.run_until_idle();
    ASSERT_EQ(coord.confirms.size(), 1u);
    EXPECT_EQ(coord.confirms[0].status, MacTxStatus::kSuccess);
    EXPECT_EQ(dev.payloads.size(), 1u);

    // A coordinator that refuses, and one that does not answer.
    medium.add_node({10, 0, 0});
    Joiner dev2(sched, medium, 2);
    dev2.mac.set_short_address(0xffff);
    ASSERT_TRUE(dev2.radio.set_channel({0, 22}));
    coord.status = mac::MacAssociateStatus::kPanAtCapacity;
    ASSERT_TRUE(dev2.mac.mlme_associate(req));
    sched.run_until_idle();
    ASSERT_EQ(dev2.results.size(), 1u);
    EXPECT_EQ(dev2.results[0].first, mac::MacAssociateStatus::kPanAtCapacity);
    coord.answer = false;
    ASSERT_TRUE(dev2.mac.mlme_associate(req));
    sched.run_until_idle();
    ASSERT_EQ(dev2.results.size(), 2u);
    EXPECT_EQ(dev2.results[1].first, mac::MacAssociateStatus::kNoData);
    req.coord_pan = 0xffff;
    EXPECT_EQ(dev2.mac.mlme_associate(req).error(), Error::kInvalidArgument);
}

TEST(MacPib, SetAndGet) {
    Net n(1);
    mac::Mac &m = n[0].mac;
    ASSERT_TRUE(m.mlme_set(mac::MacPib::kPanId, 0xbeef));
    EXPECT_EQ(*m.mlme_get(mac::MacPib::kPanId), 0xbeefu);
    EXPECT_EQ(n[0].radio.pan_id(), 0xbeef);
    ASSERT_TRUE(m.mlme_set(mac::MacPib::kMaxFrameRetries, 5));
    EXPECT_EQ(m.config().max_frame_retries, 5);
    EXPECT_EQ(m.mlme_set(mac::MacPib::kMaxFrameRetries, 8).error(), Error::kInvalidArgument);
    EXPECT_EQ(m.mlme_set(mac::MacPib::kMinBe, 6).error(), Error::kInvalidArgument);  // > maxBE
    EXPECT_EQ(m.mlme_set(mac::MacPib::kPanId, 0x10000).error(), Error::kInvalidArgument);
    ASSERT_TRUE(m.mlme_set(mac::MacPib::kRxOnWhenIdle, 0));
    EXPECT_EQ(n[0].radio.state(), RadioState::kSleep);
    ASSERT_TRUE(m.mlme_set(mac::MacPib::kRxOnWhenIdle, 1));
    EXPECT_EQ(n[0].radio.state(), RadioState::kReceive);
    ASSERT_TRUE(m.mlme_set(mac::MacPib::kMinSecurityLevel, 5));
    EXPECT_EQ(*m.mlme_get(mac::MacPib::kMinSecurityLevel), 5u);
    // macMaxFrameTotalWaitTime with the defaults: (8 + 16 + 31 * 2) * 20 + 266 symbols.
    EXPECT_EQ(m.max_frame_total_wait(), Duration((86 * 20 + 266) * 16));
}

}  // namespace
}  // namespace meshwork
