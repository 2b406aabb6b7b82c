// RPL control messages (RFC 6550). Vectors assembled by hand from the RFC 6550 figures with
// the Nanostack border-router defaults; tshark 4.0 decodes them with the intended values and
// reports the checksums as correct.
#include "wire/Rpl.h"

#include <gtest/gtest.h>

#include <vector>

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

// Collects the options of a parsed message.
std::vector<RplOption> options_of(const RplView &v) {
    std::vector<RplOption> out;
    for (RplOption o : v.options())
        out.push_back(o);
    return out;
}

// Re-emits a parsed message from its decoded base and options (RplWriter::add(RplOption)).
template <typename Base>
Bytes reemit(const RplView &v, const Base &base, const PseudoHeader &ph) {
    RplWriter sizer(MutableByteSpan(), base);
    for (RplOption o : v.options())
        sizer.add(o);
    Bytes out(sizer.size());
    RplWriter w(MutableByteSpan(out.data(), out.size()), base);
    for (RplOption o : v.options())
        w.add(o);
    auto r = w.finish(ph);
    EXPECT_TRUE(r.ok()) << error_name(r.error());
    return out;
}

Bytes reemit(const RplView &v, const PseudoHeader &ph) {
    if (auto b = v.dis())
        return reemit(v, *b, ph);
    if (auto b = v.dio())
        return reemit(v, *b, ph);
    if (auto b = v.dao())
        return reemit(v, *b, ph);
    return reemit(v, *v.dao_ack(), ph);
}

// The two views hold the same base and the same option values in the same order.
void expect_same(const RplView &a, const RplView &b) {
    EXPECT_EQ(a.code(), b.code());
    EXPECT_EQ(a.dis(), b.dis());
    EXPECT_EQ(a.dio(), b.dio());
    EXPECT_EQ(a.dao(), b.dao());
    EXPECT_EQ(a.dao_ack(), b.dao_ack());
    auto x = options_of(a), y = options_of(b);
    ASSERT_EQ(x.size(), y.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        EXPECT_TRUE(x[i].same_value(y[i])) << "option " << i;
}

TEST(Rpl, DioFields) {
    PseudoHeader ph{kLl1, A("ff02::1a")};
    auto v = RplView::parse(span(kDio), &ph);
    ASSERT_TRUE(v.ok()) << error_name(v.error());
    EXPECT_EQ(v->code(), RplCode::kDio);
    auto m = v->dio();
    ASSERT_TRUE(m.has_value());
    EXPECT_FALSE(v->dao().has_value());
    EXPECT_EQ(m->instance_id, 1);
    EXPECT_EQ(m->version, 240);
    EXPECT_EQ(m->rank, 128);
    EXPECT_TRUE(m->grounded);
    EXPECT_EQ(m->mop, RplMop::kNonStoring);
    EXPECT_EQ(m->preference, 0);
    EXPECT_EQ(m->dtsn, 240);
    EXPECT_EQ(m->flags, 0);
    EXPECT_EQ(m->dodag_id, kRoot);
    auto config = v->dodag_config();
    ASSERT_TRUE(config.has_value());
    EXPECT_EQ(config->pcs(), 1);
    EXPECT_EQ(config->dio_interval_doublings, 9);
    EXPECT_EQ(config->dio_interval_min, 12);
    EXPECT_EQ(config->dio_redundancy_constant, 10);
    EXPECT_EQ(config->max_rank_increase, 2048);
    EXPECT_EQ(config->min_hop_rank_increase, 128);
    EXPECT_EQ(config->ocp, 1);
    EXPECT_EQ(config->default_lifetime, 64);
    EXPECT_EQ(config->lifetime_unit, 60);
    auto opts = options_of(*v);
    ASSERT_EQ(opts.size(), 2u);
    EXPECT_FALSE(opts[0].prefix_info().has_value());
    auto pio = opts[1].prefix_info();
    ASSERT_TRUE(pio.has_value());
    EXPECT_EQ(pio->prefix_length, 64);
    EXPECT_EQ(pio->flags, RplPrefixInfo::kFlagAutonomous | RplPrefixInfo::kFlagRouterAddress);
    EXPECT_EQ(pio->valid_lifetime, 0xffffffffu);
    EXPECT_EQ(pio->preferred_lifetime, 0xffffffffu);
    EXPECT_EQ(pio->prefix, kRoot);

    // Built from values, and re-emitted from the view: the same bytes.
    RplWriter sizer(MutableByteSpan(), *m);
    sizer.add(*config).add(*pio);
    ASSERT_EQ(sizer.size(), kDio.size());
    Bytes out(sizer.size());
    RplWriter w(MutableByteSpan(out.data(), out.size()), *m);
    w.add(*config).add(*pio);
    ASSERT_TRUE(w.finish(ph).ok());
    EXPECT_EQ(out, kDio);
    EXPECT_EQ(reemit(*v, ph), kDio);
    expect_prefixes_rejected(kDio, [](ByteSpan b) { return RplView::parse(b); }, {28, 44});
    expect_prefixes_rejected(kDio, [&](ByteSpan b) { return RplView::parse(b, &ph); });
    Bytes bad = kDio;
    bad[9] ^= 0x80;
    EXPECT_EQ(RplView::parse(span(bad), &ph).error(), Error::kChecksum);
}

// Non-storing DAO with K and D: target 2001:db8:1::212:4b00:0:2/128 and a transit option with
// the parent address, path sequence 240, lifetime 30.
const Bytes kDao =
    hex("9b 02 9ad9 | 01 c0 00 42 20010db8000100000000000000000001"
        "05 12 00 80 20010db80001000002124b0000000002"
        "06 14 00 00 f0 1e 20010db80001000002124b0000000001");

TEST(Rpl, DaoTargetAndTransit) {
    PseudoHeader ph{kNode2, kRoot};
    auto v = RplView::parse(span(kDao), &ph);
    ASSERT_TRUE(v.ok()) << error_name(v.error());
    EXPECT_EQ(v->code(), RplCode::kDao);
    auto m = v->dao();
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->instance_id, 1);
    EXPECT_EQ(m->flags, RplDao::kAckRequested | RplDao::kDodagIdPresent);
    EXPECT_TRUE(m->has_dodag_id());
    EXPECT_EQ(m->sequence, 0x42);
    EXPECT_EQ(m->dodag_id, kRoot);
    auto opts = options_of(*v);
    ASSERT_EQ(opts.size(), 2u);
    auto target = opts[0].target();
    ASSERT_TRUE(target.has_value());
    EXPECT_FALSE(opts[0].transit().has_value());
    EXPECT_EQ(target->prefix_length, 128);
    EXPECT_EQ(target->prefix, kNode2);
    auto transit = opts[1].transit();
    ASSERT_TRUE(transit.has_value());
    EXPECT_EQ(transit->path_sequence, 0xf0);
    EXPECT_EQ(transit->path_lifetime, 30);
    EXPECT_EQ(transit->path_control, 0);
    ASSERT_TRUE(transit->has_parent);
    EXPECT_EQ(transit->parent, A("2001:db8:1::212:4b00:0:1"));

    RplDao built;
    built.instance_id = 1;
    built.flags = RplDao::kAckRequested | RplDao::kDodagIdPresent;
    built.sequence = 0x42;
    built.dodag_id = kRoot;
    Ip6Address parent = A("2001:db8:1::212:4b00:0:1");
    Bytes out(kDao.size());
    RplWriter w(MutableByteSpan(out.data(), out.size()), built);
    w.add(RplTarget::make(kNode2)).add(RplTransit::make(0xf0, 30, &parent));
    EXPECT_EQ(w.size(), kDao.size());
    ASSERT_TRUE(w.finish(ph).ok());
    EXPECT_EQ(out, kDao);
    EXPECT_EQ(reemit(*v, ph), kDao);
    expect_prefixes_rejected(kDao, [](ByteSpan b) { return RplView::parse(b); }, {24, 44});
}

TEST(Rpl, DaoWithoutDodagIdStoringTransitAndDescriptor) {
    RplDao m;
    m.instance_id = 0x1e;
    m.flags = 0;
    m.sequence = 7;
    RplTargetDescriptor desc;
    desc.descriptor = 0xdeadbeef;
    RplTransit transit = RplTransit::make(3, 0xff, nullptr);
    transit.flags = RplTransit::kFlagExternal;
    auto add_all = [&](RplWriter &w) {
        w.add(RplTarget::make(A("2001:db8:7::"), 48))
            .add(RplTarget::make(A("2001:db8:1::5"), 128))
            .add(desc)
            .add(transit);
    };
    PseudoHeader ph{kLl2, kLl1};
    RplWriter sizer(MutableByteSpan(), m);
    add_all(sizer);
    Bytes out(sizer.size());
    EXPECT_EQ(out.size(), 4u + 4 + (4 + 6) + (4 + 16) + 6 + 6);
    RplWriter w(MutableByteSpan(out.data(), out.size()), m);
    add_all(w);
    ASSERT_TRUE(w.finish(ph).ok());
    auto back = RplView::parse(span(out), &ph);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back->dao(), m);
    EXPECT_FALSE(back->dao()->has_dodag_id());
    auto opts = options_of(*back);
    ASSERT_EQ(opts.size(), 4u);
    EXPECT_EQ(opts[0].target()->prefix, A("2001:db8:7::"));
    EXPECT_EQ(opts[0].target()->prefix_length, 48);
    EXPECT_EQ(opts[1].target(), RplTarget::make(A("2001:db8:1::5"), 128));
    EXPECT_EQ(opts[2].target_descriptor(), desc);
    EXPECT_EQ(opts[3].transit(), transit);
    EXPECT_FALSE(opts[3].transit()->has_parent);
}

// The old fixed-capacity parser refused more than 16 DAO items: 40 targets, each followed by a
// transit, parse, keep their order, and re-emit to the same bytes.
TEST(Rpl, DaoWithFortyTargets) {
    RplDao m;
    m.instance_id = 1;
    m.flags = RplDao::kDodagIdPresent;
    m.sequence = 9;
    m.dodag_id = kRoot;
    const Ip6Address parent = A("2001:db8:1::212:4b00:0:1");
    auto target_of = [](int i) {
        Ip6Address a = A("2001:db8:1::");
        a.bytes[15] = static_cast<std::uint8_t>(i + 1);
        return a;
    };
    auto add_all = [&](RplWriter &w) {
        for (int i = 0; i < 40; ++i)
            w.add(RplTarget::make(target_of(i))).add(RplTransit::make(240, 30, &parent));
    };
    RplWriter sizer(MutableByteSpan(), m);
    add_all(sizer);
    EXPECT_EQ(sizer.size(), 4u + 20 + 40 * (20 + 22));
    Bytes out(sizer.size());
    RplWriter w(MutableByteSpan(out.data(), out.size()), m);
    add_all(w);
    PseudoHeader ph{kNode2, kRoot};
    ASSERT_TRUE(w.finish(ph).ok());
    auto v = RplView::parse(span(out), &ph);
    ASSERT_TRUE(v.ok()) << error_name(v.error());
    EXPECT_EQ(v->options().count(), 80u);
    int i = 0;
    for (RplOption o : v->options()) {
        if (i % 2 == 0) {
            ASSERT_TRUE(o.target().has_value()) << i;
            EXPECT_EQ(o.target()->prefix, target_of(i / 2));
        } else {
            ASSERT_TRUE(o.transit().has_value()) << i;
            EXPECT_EQ(o.transit()->parent, parent);
        }
        ++i;
    }
    EXPECT_EQ(reemit(*v, ph), out);
}

// DAO-ACK with D, sequence 0x42, status 0.
const Bytes kDaoAck = hex("9b 03 4ae5 01 80 42 00 20010db8000100000000000000000001");

TEST(Rpl, DaoAck) {
    PseudoHeader ph{kRoot, kNode2};
    auto v = RplView::parse(span(kDaoAck), &ph);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->code(), RplCode::kDaoAck);
    auto m = v->dao_ack();
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->instance_id, 1);
    EXPECT_TRUE(m->has_dodag_id());
    EXPECT_EQ(m->sequence, 0x42);
    EXPECT_EQ(m->status, 0);
    EXPECT_EQ(m->dodag_id, kRoot);
    EXPECT_TRUE(v->options().empty());
    EXPECT_EQ(reemit(*v, ph), kDaoAck);
    expect_prefixes_rejected(kDaoAck, [](ByteSpan b) { return RplView::parse(b); });
}

// DIS with a Solicited Information option (I and D set).
const Bytes kDis = hex("9b 00 e3c9 00 00 07 13 01 60 20010db8000100000000000000000001 00");

TEST(Rpl, DisWithSolicitedInformation) {
    PseudoHeader ph{kLl2, A("ff02::1a")};
    auto v = RplView::parse(span(kDis), &ph);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->code(), RplCode::kDis);
    ASSERT_TRUE(v->dis().has_value());
    auto s = v->solicited_info();
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->instance_id, 1);
    EXPECT_EQ(s->flags, RplSolicitedInfo::kFlagI | RplSolicitedInfo::kFlagD);
    EXPECT_EQ(s->dodag_id, kRoot);
    EXPECT_EQ(s->version, 0);
    Bytes out(kDis.size());
    RplWriter w(MutableByteSpan(out.data(), out.size()), *v->dis());
    w.add(*s);
    ASSERT_TRUE(w.finish(ph).ok());
    EXPECT_EQ(out, kDis);
    expect_prefixes_rejected(kDis, [](ByteSpan b) { return RplView::parse(b); }, {6});
}

TEST(Rpl, DioRouteInfoMetricsAndPadding) {
    // DIO with Pad1, PadN, a metric container, and a /40 route information option.
    const Bytes b =
        hex("9b 01 0000 | 01 01 0100 00 01 00 00 20010db8000100000000000000000001"
            "00 01 01 00 02 03 aabbcc 03 0b 28 18 00000e10 20010db8ff");
    auto v = RplView::parse(span(b));
    ASSERT_TRUE(v.ok()) << error_name(v.error());
    EXPECT_FALSE(v->dio()->grounded);
    EXPECT_EQ(v->dio()->mop, 0);
    auto opts = options_of(*v);
    ASSERT_EQ(opts.size(), 4u);
    EXPECT_TRUE(opts[0].is_padding());
    EXPECT_EQ(opts[0].whole.size, 1u);
    EXPECT_TRUE(opts[1].is_padding());
    EXPECT_EQ(opts[1].whole.size, 3u);
    ASSERT_TRUE(opts[2].metric_container().has_value());
    EXPECT_EQ(opts[2].metric_container()->size, 3u);
    auto ri = opts[3].route_info();
    ASSERT_TRUE(ri.has_value());
    EXPECT_EQ(ri->prefix_length, 40);
    EXPECT_EQ(ri->preference, 3);
    EXPECT_EQ(ri->route_lifetime, 3600u);
    EXPECT_EQ(ri->prefix, A("2001:db8:ff00::"));
    PseudoHeader ph{kLl1, kLl2};
    Bytes out = reemit(*v, ph);
    auto back = RplView::parse(span(out), &ph);
    ASSERT_TRUE(back.ok());
    expect_same(*back, *v);
    // Canonical input (zero padding, shortest prefix) comes back byte for byte.
    Bytes canonical = b;
    canonical[2] = out[2];
    canonical[3] = out[3];
    EXPECT_EQ(out, canonical);
}

TEST(Rpl, UnknownOptionsAndRepeatedMetricContainers) {
    // DIO with an unknown option type 0x20 and two metric containers (RFC 6551 allows several).
    const Bytes b =
        hex("9b 01 0000 | 01 01 0100 00 01 00 00 20010db8000100000000000000000001"
            "20 02 abcd 02 01 11 02 02 2233");
    auto v = RplView::parse(span(b));
    ASSERT_TRUE(v.ok()) << error_name(v.error());
    auto opts = options_of(*v);
    ASSERT_EQ(opts.size(), 3u);
    EXPECT_EQ(opts[0].type, 0x20);
    EXPECT_FALSE(opts[0].known());
    EXPECT_EQ(opts[0].value.size, 2u);
    EXPECT_EQ(opts[1].metric_container()->size, 1u);
    EXPECT_EQ(opts[2].metric_container()->size, 2u);
    PseudoHeader ph{kLl1, kLl2};
    Bytes out = reemit(*v, ph);
    EXPECT_TRUE(ByteSpan(out.data() + 4, out.size() - 4).equals(span(b).subspan(4)));
}

TEST(Rpl, Malformed) {
    // DODAG configuration with length 13.
    EXPECT_EQ(RplView::parse(span(hex("9b 01 0000 01 01 0100 00 01 00 00 "
                                      "20010db8000100000000000000000001 04 0d "
                                      "01090c0a08000080000100400000")))
                  .error(),
              Error::kMalformed);
    // Two DODAG configurations.
    EXPECT_EQ(RplView::parse(span(hex("9b 01 0000 01 01 0100 00 01 00 00 "
                                      "20010db8000100000000000000000001 "
                                      "04 0e 01090c0a0800008000010040003c "
                                      "04 0e 01090c0a0800008000010040003c")))
                  .error(),
              Error::kMalformed);
    // Target /128 with only 8 prefix bytes.
    EXPECT_EQ(
        RplView::parse(span(hex("9b 02 0000 01 00 00 01 05 0a 00 80 20010db800010000"))).error(),
        Error::kMalformed);
    // Transit of length 5.
    EXPECT_EQ(RplView::parse(span(hex("9b 02 0000 01 00 00 01 06 05 0000f01e00"))).error(),
              Error::kMalformed);
    // Secure RPL.
    EXPECT_EQ(RplView::parse(span(hex("9b 80 0000 00000000"))).error(), Error::kUnsupported);
    // Not type 155.
    EXPECT_EQ(RplView::parse(span(hex("9a 00 0000 0000"))).error(), Error::kMalformed);
    // An option that runs past the end.
    EXPECT_EQ(RplView::parse(span(hex("9b 00 0000 00 00 01 04 0000"))).error(), Error::kTruncated);
}

TEST(Rpl, EmitErrors) {
    RplDio m;
    m.mop = 8;
    PseudoHeader ph{kLl1, kLl2};
    Bytes out(4 + 24);
    EXPECT_EQ(RplWriter(MutableByteSpan(out.data(), out.size()), m).finish(ph).error(),
              Error::kInvalidArgument);
    m.mop = 1;
    EXPECT_EQ(RplWriter(MutableByteSpan(out.data(), out.size() - 1), m).finish(ph).error(),
              Error::kNoSpace);
    EXPECT_TRUE(RplWriter(MutableByteSpan(out.data(), out.size()), m).finish(ph).ok());
    // A value that cannot be encoded wins over a short buffer.
    RplTarget t;
    t.prefix_length = 129;
    EXPECT_EQ(RplWriter(MutableByteSpan(), m).add(t).finish(ph).error(), Error::kInvalidArgument);
    EXPECT_EQ(RplWriter(MutableByteSpan(out.data(), out.size()), m)
                  .add_raw(RplOptionType::kPad1, ByteSpan())
                  .finish(ph)
                  .error(),
              Error::kInvalidArgument);
    // An option that does not fit leaves nothing past the buffer and reports kNoSpace.
    RplWriter w(MutableByteSpan(out.data(), out.size()), m);
    w.add(RplTarget::make(kRoot));
    EXPECT_EQ(w.size(), out.size() + 20);
    EXPECT_EQ(w.finish(ph).error(), Error::kNoSpace);
}

}  // namespace
