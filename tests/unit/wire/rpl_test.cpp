// RPL control messages (RFC 6550). Vectors assembled by hand from the RFC 6550 figures with
// the Nanostack border-router defaults; tshark 4.0 decodes them with the intended values and
// reports the checksums as correct.
#include "wire/Rpl.h"

#include <gtest/gtest.h>

#include "WireIpTestUtil.h"

using namespace meshwork;
using namespace meshwork::wire;
using namespace wiretest;

namespace {

const Ip6Address kLl1 = A("fe80::212:4b00:0:1");
const Ip6Address kLl2 = A("fe80::212:4b00:0:2");
const Ip6Address kRoot = A("2001:db8:1::1");
const Ip6Address kNode2 = A("2001:db8:1::212:4b00:0:2");

// DIO: instance 1, version 240, rank 128, G, MOP 1 (non-storing), DTSN 240, DODAGID
// 2001:db8:1::1; DODAG configuration (PCS 1, doublings 9, Imin 12, k 10, MaxRankInc 2048,
// MinHopRankInc 128, OCP 1, lifetime 64 x 60 s) and a PIO 2001:db8:1::1/64 with A and R.
const Bytes kDio =
    hex("9b 01 d053 | 01 f0 0080 88 f0 00 00 20010db8000100000000000000000001"
        "04 0e 01 09 0c 0a 0800 0080 0001 00 40 003c"
        "08 1e 40 60 ffffffff ffffffff 00000000 20010db8000100000000000000000001");

TEST(Rpl, DioFields) {
    PseudoHeader ph{kLl1, A("ff02::1a")};
    auto m = RplMessage::parse(span(kDio), &ph);
    ASSERT_TRUE(m.ok()) << error_name(m.error());
    EXPECT_EQ(m->code, RplCode::kDio);
    EXPECT_EQ(m->instance_id, 1);
    EXPECT_EQ(m->version, 240);
    EXPECT_EQ(m->rank, 128);
    EXPECT_TRUE(m->grounded);
    EXPECT_EQ(m->mop, RplMop::kNonStoring);
    EXPECT_EQ(m->preference, 0);
    EXPECT_EQ(m->dtsn, 240);
    EXPECT_EQ(m->flags, 0);
    EXPECT_EQ(m->dodag_id, kRoot);
    ASSERT_TRUE(m->has_config);
    EXPECT_EQ(m->config.pcs(), 1);
    EXPECT_EQ(m->config.dio_interval_doublings, 9);
    EXPECT_EQ(m->config.dio_interval_min, 12);
    EXPECT_EQ(m->config.dio_redundancy_constant, 10);
    EXPECT_EQ(m->config.max_rank_increase, 2048);
    EXPECT_EQ(m->config.min_hop_rank_increase, 128);
    EXPECT_EQ(m->config.ocp, 1);
    EXPECT_EQ(m->config.default_lifetime, 64);
    EXPECT_EQ(m->config.lifetime_unit, 60);
    ASSERT_EQ(m->prefix_count, 1);
    EXPECT_EQ(m->prefixes[0].prefix_length, 64);
    EXPECT_EQ(m->prefixes[0].flags,
              RplPrefixInfo::kFlagAutonomous | RplPrefixInfo::kFlagRouterAddress);
    EXPECT_EQ(m->prefixes[0].valid_lifetime, 0xffffffffu);
    EXPECT_EQ(m->prefixes[0].preferred_lifetime, 0xffffffffu);
    EXPECT_EQ(m->prefixes[0].prefix, kRoot);

    Bytes out(m->emitted_size());
    ASSERT_TRUE(m->emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    EXPECT_EQ(out, kDio);
    expect_prefixes_rejected(kDio, [](ByteSpan b) { return RplMessage::parse(b); }, {28, 44});
    expect_prefixes_rejected(kDio, [&](ByteSpan b) { return RplMessage::parse(b, &ph); });
    Bytes bad = kDio;
    bad[9] ^= 0x80;
    EXPECT_EQ(RplMessage::parse(span(bad), &ph).error(), Error::kChecksum);
}

// Non-storing DAO with K and D: target 2001:db8:1::212:4b00:0:2/128 and a transit option with
// the parent address, path sequence 240, lifetime 30.
const Bytes kDao =
    hex("9b 02 9ad9 | 01 c0 00 42 20010db8000100000000000000000001"
        "05 12 00 80 20010db80001000002124b0000000002"
        "06 14 00 00 f0 1e 20010db80001000002124b0000000001");

TEST(Rpl, DaoTargetAndTransit) {
    PseudoHeader ph{kNode2, kRoot};
    auto m = RplMessage::parse(span(kDao), &ph);
    ASSERT_TRUE(m.ok()) << error_name(m.error());
    EXPECT_EQ(m->code, RplCode::kDao);
    EXPECT_EQ(m->instance_id, 1);
    EXPECT_EQ(m->flags, RplMessage::kDaoAckRequested | RplMessage::kDaoDodagIdPresent);
    EXPECT_TRUE(m->has_dodag_id());
    EXPECT_EQ(m->sequence, 0x42);
    EXPECT_EQ(m->dodag_id, kRoot);
    ASSERT_EQ(m->dao_item_count, 2);
    EXPECT_EQ(m->dao_items[0].kind, RplDaoItem::Kind::kTarget);
    EXPECT_EQ(m->dao_items[0].prefix_length, 128);
    EXPECT_EQ(m->dao_items[0].target, kNode2);
    EXPECT_EQ(m->dao_items[1].kind, RplDaoItem::Kind::kTransit);
    EXPECT_EQ(m->dao_items[1].path_sequence, 0xf0);
    EXPECT_EQ(m->dao_items[1].path_lifetime, 30);
    EXPECT_EQ(m->dao_items[1].path_control, 0);
    ASSERT_TRUE(m->dao_items[1].has_parent);
    EXPECT_EQ(m->dao_items[1].parent, A("2001:db8:1::212:4b00:0:1"));

    RplMessage built;
    built.code = RplCode::kDao;
    built.instance_id = 1;
    built.flags = RplMessage::kDaoAckRequested | RplMessage::kDaoDodagIdPresent;
    built.sequence = 0x42;
    built.dodag_id = kRoot;
    Ip6Address parent = A("2001:db8:1::212:4b00:0:1");
    built.dao_item_count = 2;
    built.dao_items[0] = RplDaoItem::make_target(kNode2);
    built.dao_items[1] = RplDaoItem::make_transit(0xf0, 30, &parent);
    Bytes out(built.emitted_size());
    ASSERT_TRUE(built.emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    EXPECT_EQ(out, kDao);
    expect_prefixes_rejected(kDao, [](ByteSpan b) { return RplMessage::parse(b); }, {24, 44});
}

TEST(Rpl, DaoWithoutDodagIdStoringTransitAndDescriptor) {
    RplMessage m;
    m.code = RplCode::kDao;
    m.instance_id = 0x1e;
    m.flags = 0;
    m.sequence = 7;
    m.dao_item_count = 4;
    m.dao_items[0] = RplDaoItem::make_target(A("2001:db8:7::"), 48);
    m.dao_items[1] = RplDaoItem::make_target(A("2001:db8:1::5"), 128);
    m.dao_items[2].kind = RplDaoItem::Kind::kDescriptor;
    m.dao_items[2].descriptor = 0xdeadbeef;
    m.dao_items[3] = RplDaoItem::make_transit(3, 0xff, nullptr);
    m.dao_items[3].transit_flags = RplDaoItem::kTransitExternal;
    PseudoHeader ph{kLl2, kLl1};
    Bytes out(m.emitted_size());
    EXPECT_EQ(out.size(), 4u + 4 + (4 + 6) + (4 + 16) + 6 + 6);
    ASSERT_TRUE(m.emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    auto back = RplMessage::parse(span(out), &ph);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, m);
    EXPECT_FALSE(back->has_dodag_id());
    EXPECT_EQ(back->dao_items[0].target, A("2001:db8:7::"));
    EXPECT_FALSE(back->dao_items[3].has_parent);
}

// DAO-ACK with D, sequence 0x42, status 0.
const Bytes kDaoAck = hex("9b 03 4ae5 01 80 42 00 20010db8000100000000000000000001");

TEST(Rpl, DaoAck) {
    PseudoHeader ph{kRoot, kNode2};
    auto m = RplMessage::parse(span(kDaoAck), &ph);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->code, RplCode::kDaoAck);
    EXPECT_EQ(m->instance_id, 1);
    EXPECT_TRUE(m->has_dodag_id());
    EXPECT_EQ(m->sequence, 0x42);
    EXPECT_EQ(m->status, 0);
    EXPECT_EQ(m->dodag_id, kRoot);
    Bytes out(m->emitted_size());
    ASSERT_TRUE(m->emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    EXPECT_EQ(out, kDaoAck);
    expect_prefixes_rejected(kDaoAck, [](ByteSpan b) { return RplMessage::parse(b); });
}

// DIS with a Solicited Information option (I and D set).
const Bytes kDis = hex("9b 00 e3c9 00 00 07 13 01 60 20010db8000100000000000000000001 00");

TEST(Rpl, DisWithSolicitedInformation) {
    PseudoHeader ph{kLl2, A("ff02::1a")};
    auto m = RplMessage::parse(span(kDis), &ph);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->code, RplCode::kDis);
    ASSERT_TRUE(m->has_solicited);
    EXPECT_EQ(m->solicited.instance_id, 1);
    EXPECT_EQ(m->solicited.flags, RplSolicitedInfo::kFlagI | RplSolicitedInfo::kFlagD);
    EXPECT_EQ(m->solicited.dodag_id, kRoot);
    EXPECT_EQ(m->solicited.version, 0);
    Bytes out(m->emitted_size());
    ASSERT_TRUE(m->emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    EXPECT_EQ(out, kDis);
    expect_prefixes_rejected(kDis, [](ByteSpan b) { return RplMessage::parse(b); }, {6});
}

TEST(Rpl, DioRouteInfoMetricsAndPadding) {
    // DIO with Pad1, PadN, a metric container, and a /40 route information option.
    const Bytes b =
        hex("9b 01 0000 | 01 01 0100 00 01 00 00 20010db8000100000000000000000001"
            "00 01 01 00 02 03 aabbcc 03 0b 28 18 00000e10 20010db8ff");
    auto m = RplMessage::parse(span(b));
    ASSERT_TRUE(m.ok()) << error_name(m.error());
    EXPECT_FALSE(m->grounded);
    EXPECT_EQ(m->mop, 0);
    ASSERT_TRUE(m->has_metric_container);
    EXPECT_EQ(m->metric_container.size, 3u);
    ASSERT_EQ(m->route_count, 1);
    EXPECT_EQ(m->routes[0].prefix_length, 40);
    EXPECT_EQ(m->routes[0].preference, 3);
    EXPECT_EQ(m->routes[0].route_lifetime, 3600u);
    EXPECT_EQ(m->routes[0].prefix, A("2001:db8:ff00::"));
    PseudoHeader ph{kLl1, kLl2};
    Bytes out(m->emitted_size());
    ASSERT_TRUE(m->emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    auto back = RplMessage::parse(span(out), &ph);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, *m);
}

TEST(Rpl, Malformed) {
    // DODAG configuration with length 13.
    EXPECT_EQ(RplMessage::parse(span(hex("9b 01 0000 01 01 0100 00 01 00 00 "
                                         "20010db8000100000000000000000001 04 0d "
                                         "01090c0a08000080000100400000")))
                  .error(),
              Error::kMalformed);
    // Target /128 with only 8 prefix bytes.
    EXPECT_EQ(
        RplMessage::parse(span(hex("9b 02 0000 01 00 00 01 05 0a 00 80 20010db800010000"))).error(),
        Error::kMalformed);
    // Transit of length 5.
    EXPECT_EQ(RplMessage::parse(span(hex("9b 02 0000 01 00 00 01 06 05 0000f01e00"))).error(),
              Error::kMalformed);
    // Secure RPL.
    EXPECT_EQ(RplMessage::parse(span(hex("9b 80 0000 00000000"))).error(), Error::kUnsupported);
    // Not type 155.
    EXPECT_EQ(RplMessage::parse(span(hex("9a 00 0000 0000"))).error(), Error::kMalformed);
    // An option that runs past the end.
    EXPECT_EQ(RplMessage::parse(span(hex("9b 00 0000 00 00 01 04 0000"))).error(),
              Error::kTruncated);
}

TEST(Rpl, EmitErrors) {
    RplMessage m;
    m.code = RplCode::kDio;
    m.mop = 8;
    Bytes out(m.emitted_size());
    PseudoHeader ph{kLl1, kLl2};
    EXPECT_EQ(m.emit(MutableByteSpan(out.data(), out.size()), ph).error(), Error::kInvalidArgument);
    m.mop = 1;
    EXPECT_EQ(m.emit(MutableByteSpan(out.data(), out.size() - 1), ph).error(), Error::kNoSpace);
    EXPECT_TRUE(m.emit(MutableByteSpan(out.data(), out.size()), ph).ok());
}

}  // namespace
