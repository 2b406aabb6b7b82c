// Neighbor Discovery and 6LoWPAN-ND messages. The byte vectors were assembled by hand from
// RFC 4861 / 4191 / 6775 / 8505 field layouts; tshark 4.0 decodes each with the intended
// field values and reports the ICMPv6 checksums below as correct.
#include "wire/Nd.h"

#include <gtest/gtest.h>

#include <vector>

#include "WireIpTestUtil.h"

using namespace meshwork;
using namespace meshwork::wire;
using namespace wiretest;

namespace {

const Ip6Address kLl1 = A("fe80::212:4b00:0:1");
const Ip6Address kLl2 = A("fe80::212:4b00:0:2");
const Ip6Address kGlobal2 = A("2001:db8:1::212:4b00:0:2");
const std::uint8_t kEui2[8] = {0x00, 0x12, 0x4b, 0x00, 0x00, 0x00, 0x00, 0x02};

// Collects the options of a parsed message.
std::vector<NdOption> options_of(const NdView &v) {
    std::vector<NdOption> out;
    for (NdOption o : v.options())
        out.push_back(o);
    return out;
}

template <typename T, typename F>
std::vector<T> all_of(const NdView &v, F get) {
    std::vector<T> out;
    for (NdOption o : v.options()) {
        if (auto x = get(o))
            out.push_back(*x);
    }
    return out;
}
std::vector<NdPrefixInfo> prefixes_of(const NdView &v) {
    return all_of<NdPrefixInfo>(v, [](const NdOption &o) { return o.prefix_info(); });
}
std::vector<NdRouteInfo> routes_of(const NdView &v) {
    return all_of<NdRouteInfo>(v, [](const NdOption &o) { return o.route_info(); });
}
std::vector<NdSixLowpanContext> contexts_of(const NdView &v) {
    return all_of<NdSixLowpanContext>(v, [](const NdOption &o) { return o.context(); });
}

// Writes a message: `build` adds the options to a writer over the fixed part `m`, once to
// measure and once to write.
template <typename M, typename F>
Bytes build(const M &m, const PseudoHeader &ph, F options) {
    NdWriter sizer(MutableByteSpan(), m);
    options(sizer);
    Bytes out(sizer.size());
    NdWriter w(MutableByteSpan(out.data(), out.size()), m);
    options(w);
    auto r = w.finish(ph);
    EXPECT_TRUE(r.ok()) << error_name(r.error());
    return out;
}

// Re-emits a parsed message from its decoded fixed part and options.
template <typename M>
Bytes reemit(const NdView &v, const M &m, const PseudoHeader &ph) {
    return build(m, ph, [&](NdWriter &w) {
        for (NdOption o : v.options())
            w.add(o);
    });
}

Bytes reemit(const NdView &v, const PseudoHeader &ph) {
    if (auto m = v.rs())
        return reemit(v, *m, ph);
    if (auto m = v.ra())
        return reemit(v, *m, ph);
    if (auto m = v.ns())
        return reemit(v, *m, ph);
    if (auto m = v.na())
        return reemit(v, *m, ph);
    if (auto m = v.redirect())
        return reemit(v, *m, ph);
    return reemit(v, *v.duplicate_address(), ph);
}

// RA from a 6LBR: SLLAO (EUI-64), MTU, PIO, RIO, 6CO, ABRO. fe80::212:4b00:0:1 ->
// fe80::212:4b00:0:2.
const Bytes kRa =
    hex("86 00 e59d | 40 00 0708 | 00000000 | 00000000"                            // hdr, RA fixed
        "01 02 00124b0000000001 000000000000"                                      // SLLAO
        "05 01 0000 00000500"                                                      // MTU 1280
        "03 04 40 40 00015180 00003840 00000000 20010db8000100000000000000000000"  // PIO
        "18 02 30 08 00000e10 20010db800020000"                                    // RIO /48 high
        "22 02 40 10 0000 003c 20010db800010000"                                   // 6CO C, CID 0
        "23 03 0002 0001 0000 20010db8000100000000000000000001");                  // ABRO v1.2

TEST(Nd, RouterAdvertisementFields) {
    PseudoHeader ph{kLl1, kLl2};
    auto v = NdView::parse(span(kRa), &ph);
    ASSERT_TRUE(v.ok()) << error_name(v.error());
    EXPECT_EQ(v->type(), Icmp6Type::kRouterAdvertisement);
    auto m = v->ra();
    ASSERT_TRUE(m.has_value());
    EXPECT_FALSE(v->ns().has_value());
    EXPECT_EQ(m->cur_hop_limit, 64);
    EXPECT_EQ(m->flags, 0);
    EXPECT_EQ(m->router_lifetime, 1800);
    EXPECT_EQ(m->reachable_time, 0u);
    EXPECT_EQ(m->retrans_timer, 0u);
    const NdOptions o = v->options();
    EXPECT_EQ(o.count(), 6u);
    ASSERT_TRUE(o.sllao().has_value());
    EXPECT_EQ(o.sllao()->address.size, 14u);
    EXPECT_EQ(o.sllao()->address[0], 0x00);
    EXPECT_EQ(o.sllao()->address[2], 0x4b);
    EXPECT_EQ(o.sllao()->address[7], 0x01);
    EXPECT_TRUE(o.mtu().has_value());
    EXPECT_EQ(o.mtu(), 1280u);
    auto prefixes = prefixes_of(*v);
    ASSERT_EQ(prefixes.size(), 1u);
    EXPECT_EQ(prefixes[0].prefix_length, 64);
    EXPECT_EQ(prefixes[0].flags, NdPrefixInfo::kFlagAutonomous);
    EXPECT_EQ(prefixes[0].valid_lifetime, 86400u);
    EXPECT_EQ(prefixes[0].preferred_lifetime, 14400u);
    EXPECT_EQ(prefixes[0].prefix, A("2001:db8:1::"));
    auto routes = routes_of(*v);
    ASSERT_EQ(routes.size(), 1u);
    EXPECT_EQ(routes[0].prefix_length, 48);
    EXPECT_EQ(routes[0].preference, 1);
    EXPECT_EQ(routes[0].route_lifetime, 3600u);
    EXPECT_EQ(routes[0].prefix, A("2001:db8:2::"));
    auto contexts = contexts_of(*v);
    ASSERT_EQ(contexts.size(), 1u);
    EXPECT_EQ(contexts[0].context_length, 64);
    EXPECT_TRUE(contexts[0].compression());
    EXPECT_EQ(contexts[0].cid(), 0);
    EXPECT_EQ(contexts[0].valid_lifetime, 60);
    EXPECT_EQ(contexts[0].prefix, A("2001:db8:1::"));
    auto abro = o.abro();
    ASSERT_TRUE(abro.has_value());
    EXPECT_EQ(abro->version, 0x00010002u);  // high 1, low 2
    EXPECT_EQ(abro->valid_lifetime, 0);
    EXPECT_EQ(abro->address, A("2001:db8:1::1"));
    EXPECT_FALSE(o.aro().has_value());
    EXPECT_FALSE(o.tllao().has_value());
}

TEST(Nd, RouterAdvertisementRoundTripAndChecksum) {
    PseudoHeader ph{kLl1, kLl2};
    auto v = NdView::parse(span(kRa));
    ASSERT_TRUE(v.ok());
    Bytes out = reemit(*v, ph);
    ASSERT_EQ(out.size(), kRa.size());
    EXPECT_EQ(out, kRa);  // including checksum 0xe59d
    // Built from values in the same order: the same bytes.
    auto prefixes = prefixes_of(*v);
    auto routes = routes_of(*v);
    auto contexts = contexts_of(*v);
    auto o = v->options();
    Bytes built = build(*v->ra(), ph, [&](NdWriter &w) {
        w.add_sllao(*o.sllao())
            .add_mtu(*o.mtu())
            .add(prefixes[0])
            .add(routes[0])
            .add(contexts[0])
            .add(*o.abro());
    });
    EXPECT_EQ(built, kRa);
    // Wrong pseudo-header: checksum fails.
    PseudoHeader other{kLl2, kLl1};
    EXPECT_EQ(NdView::parse(span(kRa), &ph).error(), Error::kOk);
    auto swapped = NdView::parse(span(kRa), &other);
    // Swapping src and dst leaves the one's-complement sum unchanged: still valid.
    EXPECT_TRUE(swapped.ok());
    PseudoHeader wrong{kLl1, A("fe80::3")};
    EXPECT_EQ(NdView::parse(span(kRa), &wrong).error(), Error::kChecksum);
    Bytes bad = kRa;
    bad[20] ^= 0x01;
    EXPECT_EQ(NdView::parse(span(bad), &ph).error(), Error::kChecksum);
}

TEST(Nd, RouterAdvertisementTruncations) {
    // Shorter messages that end exactly on an option boundary are valid ND messages.
    expect_prefixes_rejected(kRa, [](ByteSpan b) { return NdView::parse(b); },
                             {16, 32, 40, 72, 88, 104});
    // With the checksum checked, every truncation is rejected.
    PseudoHeader ph{kLl1, kLl2};
    expect_prefixes_rejected(kRa, [&](ByteSpan b) { return NdView::parse(b, &ph); });
}

// The old fixed-capacity parser refused more than 4 PIOs or 8 RIOs: an RA with 10 PIOs, 20 RIOs
// and 20 6COs parses, keeps every option in order and re-emits to the same bytes.
TEST(Nd, RouterAdvertisementWithManyPrefixesAndRoutes) {
    NdRouterAdvertisement ra;
    ra.cur_hop_limit = 64;
    ra.router_lifetime = 1800;
    auto prefix_of = [](int i) {
        Ip6Address a = A("2001:db8::");
        a.bytes[3] = static_cast<std::uint8_t>(i);
        return a;
    };
    PseudoHeader ph{kLl1, kLl2};
    Bytes out = build(ra, ph, [&](NdWriter &w) {
        for (int i = 0; i < 10; ++i) {
            NdPrefixInfo p;
            p.prefix_length = 64;
            p.flags = NdPrefixInfo::kFlagOnLink;
            p.valid_lifetime = 1000u + i;
            p.prefix = prefix_of(i);
            w.add(p);
        }
        for (int i = 0; i < 20; ++i) {
            NdRouteInfo r;
            r.prefix_length = static_cast<std::uint8_t>(i % 2 ? 48 : 96);
            r.route_lifetime = 2000u + i;
            r.prefix = prefix_of(100 + i);
            w.add(r);
        }
        for (int i = 0; i < 20; ++i) {
            NdSixLowpanContext c;
            c.context_length = 64;
            c.flags = static_cast<std::uint8_t>(i % 16);
            c.prefix = prefix_of(200 + i);
            w.add(c);
        }
    });
    EXPECT_EQ(out.size(), 16u + 10 * 32 + 10 * 16 + 10 * 24 + 20 * 16);
    auto v = NdView::parse(span(out), &ph);
    ASSERT_TRUE(v.ok()) << error_name(v.error());
    auto prefixes = prefixes_of(*v);
    auto routes = routes_of(*v);
    ASSERT_EQ(prefixes.size(), 10u);
    ASSERT_EQ(routes.size(), 20u);
    ASSERT_EQ(contexts_of(*v).size(), 20u);
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(prefixes[i].prefix, prefix_of(i));
        EXPECT_EQ(prefixes[i].valid_lifetime, 1000u + i);
    }
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(routes[i].prefix, prefix_of(100 + i));
        EXPECT_EQ(routes[i].route_lifetime, 2000u + i);
    }
    EXPECT_EQ(reemit(*v, ph), out);
}

// NS with SLLAO and an RFC 8505 EARO: T flag, TID 7, 128-bit ROVR.
const Bytes kNsEaro =
    hex("87 00 8bd0 00000000 20010db80001000002124b0000000002"
        "01 02 00124b0000000002 000000000000"
        "21 03 00 00 01 07 001e a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");

TEST(Nd, NeighborSolicitationWithEaro) {
    PseudoHeader ph{kGlobal2, kLl1};
    auto v = NdView::parse(span(kNsEaro), &ph);
    ASSERT_TRUE(v.ok()) << error_name(v.error());
    EXPECT_EQ(v->type(), Icmp6Type::kNeighborSolicitation);
    EXPECT_EQ(v->ns()->target, kGlobal2);
    ASSERT_TRUE(v->options().sllao().has_value());
    EXPECT_EQ(0, std::memcmp(v->options().sllao()->address.data, kEui2, 8));
    ASSERT_TRUE(v->options().aro().has_value());
    const NdAddressRegistration a = *v->options().aro();
    EXPECT_TRUE(a.extended());
    EXPECT_EQ(a.status, 0);
    EXPECT_EQ(a.opaque, 0);
    EXPECT_EQ(a.i_field(), 0);
    EXPECT_EQ(a.tid, 7);
    EXPECT_EQ(a.lifetime, 30);
    ASSERT_EQ(a.rovr_size, 16);
    for (int i = 0; i < 16; ++i)
        EXPECT_EQ(a.rovr[i], 0xa0 + i);
    EXPECT_EQ(reemit(*v, ph), kNsEaro);
    expect_prefixes_rejected(kNsEaro, [](ByteSpan b) { return NdView::parse(b); }, {24, 40});
}

// NS with an RFC 6775 ARO (EUI-64 in place of the ROVR).
const Bytes kNsAro =
    hex("87 00 7f11 00000000 20010db80001000002124b0000000002"
        "01 02 00124b0000000002 000000000000"
        "21 02 00 000000 001e 00124b0000000002");

TEST(Nd, NeighborSolicitationWithAro) {
    PseudoHeader ph{kGlobal2, kLl1};
    auto v = NdView::parse(span(kNsAro), &ph);
    ASSERT_TRUE(v.ok());
    const NdAddressRegistration a = *v->options().aro();
    EXPECT_FALSE(a.extended());
    EXPECT_EQ(a.lifetime, 30);
    EXPECT_EQ(a.rovr_size, 8);
    EXPECT_EQ(0, std::memcmp(a.rovr, kEui2, 8));
    EXPECT_EQ(a, NdAddressRegistration::aro(0, 30, kEui2));

    NdNeighborSolicitation built;
    built.target = kGlobal2;
    Bytes out = build(built, ph, [&](NdWriter &w) {
        w.add_sllao(NdLinkLayerAddress::from(ByteSpan(kEui2, 8)))
            .add(NdAddressRegistration::aro(0, 30, kEui2));
    });
    EXPECT_EQ(out, kNsAro);
}

// NA (R, S) answering a registration with status 1 (duplicate).
const Bytes kNaAro =
    hex("88 00 0937 c0000000 20010db80001000002124b0000000002"
        "21 02 01 000000 001e 00124b0000000002");

TEST(Nd, NeighborAdvertisementWithAroStatus) {
    PseudoHeader ph{kLl1, kGlobal2};
    auto v = NdView::parse(span(kNaAro), &ph);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->na()->flags,
              NdNeighborAdvertisement::kRouter | NdNeighborAdvertisement::kSolicited);
    EXPECT_EQ(v->na()->target, kGlobal2);
    EXPECT_EQ(v->options().aro()->status, NdArStatus::kDuplicate);
    EXPECT_EQ(reemit(*v, ph), kNaAro);
    expect_prefixes_rejected(kNaAro, [](ByteSpan b) { return NdView::parse(b); }, {24});
    // The reserved bits of the flags word are ignored on parse and sent as zero.
    Bytes reserved = kNaAro;
    reserved[4] |= 0x1f;
    reserved[6] = 0xff;
    auto r = NdView::parse(span(reserved));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->na(), v->na());
    EXPECT_EQ(reemit(*r, ph), kNaAro);
}

// RS with an SLLAO carrying an 802.15.4 short address (RFC 4944 8: length 1, 2 bytes + pad).
const Bytes kRs = hex("85 00 702a 00000000 01 01 beef 00000000");

TEST(Nd, RouterSolicitationShortAddress) {
    PseudoHeader ph{kLl2, A("ff02::2")};
    auto v = NdView::parse(span(kRs), &ph);
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(v->rs().has_value());
    auto sllao = v->options().sllao();
    ASSERT_TRUE(sllao.has_value());
    EXPECT_EQ(sllao->address.size, 6u);
    EXPECT_EQ(sllao->address[0], 0xbe);
    EXPECT_EQ(sllao->address[1], 0xef);
    const std::uint8_t sa[2] = {0xbe, 0xef};
    Bytes out = build(NdRouterSolicitation{}, ph,
                      [&](NdWriter &w) { w.add_sllao(NdLinkLayerAddress::from(ByteSpan(sa, 2))); });
    EXPECT_EQ(out, kRs);
}

// Redirect with a TLLAO (48-bit MAC).
const Bytes kRedirect =
    hex("89 00 ae87 00000000 fe8000000000000002124b0000000002 20010db8000500000000000000000009"
        "02 01 020000000002");

TEST(Nd, Redirect) {
    PseudoHeader ph{kLl1, A("fe80::99")};
    auto v = NdView::parse(span(kRedirect), &ph);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->redirect()->target, kLl2);
    EXPECT_EQ(v->redirect()->destination, A("2001:db8:5::9"));
    auto tllao = v->options().tllao();
    ASSERT_TRUE(tllao.has_value());
    EXPECT_EQ(tllao->address.size, 6u);
    EXPECT_EQ(tllao->address[5], 0x02);
    EXPECT_EQ(reemit(*v, ph), kRedirect);
    expect_prefixes_rejected(kRedirect, [](ByteSpan b) { return NdView::parse(b); }, {40});
}

TEST(Nd, RedirectedHeaderOption) {
    NdRedirect m;
    m.target = kLl2;
    m.destination = A("2001:db8::9");
    const Bytes quoted = hex("6000000000083a40 0102030405060708 090a");
    PseudoHeader ph{kLl1, kLl2};
    Bytes out = build(m, ph, [&](NdWriter &w) { w.add_redirected(span(quoted)); });
    EXPECT_EQ(out.size(), 40u + 32u);  // 8 + 18 rounded up to 32
    auto back = NdView::parse(span(out), &ph);
    ASSERT_TRUE(back.ok());
    auto redirected = back->options().redirected();
    ASSERT_TRUE(redirected.has_value());
    EXPECT_EQ(redirected->size, 24u);  // quoted bytes plus zero padding
    EXPECT_EQ(0, std::memcmp(redirected->data, quoted.data(), quoted.size()));
    EXPECT_EQ(reemit(*back, ph), out);
}

// RFC 8505 EDAR with a 64-bit ROVR (code 0) from a 6LR to the 6LBR.
const Bytes kDar = hex("9d 00 4029 00 07 001e 00124b0000000002 20010db80001000002124b0000000002");

TEST(Nd, DuplicateAddressRequest) {
    PseudoHeader ph{A("2001:db8:1::1"), A("2001:db8:1::ff")};
    auto v = NdView::parse(span(kDar), &ph);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->type(), Icmp6Type::kDuplicateAddressRequest);
    auto m = v->duplicate_address();
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->status, 0);
    EXPECT_EQ(m->tid, 7);
    EXPECT_EQ(m->lifetime, 30);
    EXPECT_EQ(m->rovr_size, 8);
    EXPECT_EQ(0, std::memcmp(m->rovr, kEui2, 8));
    EXPECT_EQ(m->registered, kGlobal2);
    EXPECT_TRUE(v->options().empty());
    EXPECT_EQ(reemit(*v, ph), kDar);
    expect_prefixes_rejected(kDar, [](ByteSpan b) { return NdView::parse(b); });
    // DAR/DAC carry no options.
    Bytes big(128);
    EXPECT_EQ(
        NdWriter(MutableByteSpan(big.data(), big.size()), *m).add_mtu(1280).finish(ph).error(),
        Error::kInvalidArgument);
}

TEST(Nd, DuplicateAddressConfirmationLongRovr) {
    NdDuplicateAddress m;
    m.type = Icmp6Type::kDuplicateAddressConfirmation;
    m.status = NdArStatus::kDuplicate;
    m.tid = 9;
    m.lifetime = 120;
    m.rovr_size = 32;
    for (int i = 0; i < 32; ++i)
        m.rovr[i] = static_cast<std::uint8_t>(i);
    m.registered = kGlobal2;
    PseudoHeader ph{A("2001:db8:1::ff"), A("2001:db8:1::1")};
    Bytes out = build(m, ph, [](NdWriter &) {});
    ASSERT_EQ(out.size(), 4u + 4 + 32 + 16);
    EXPECT_EQ(out[1], 0x03);  // CodeSfx 3: 256-bit ROVR
    auto back = NdView::parse(span(out), &ph);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back->duplicate_address(), m);
    out[1] = 0x13;  // CodePfx must be 0
    EXPECT_EQ(NdView::parse(span(out)).error(), Error::kMalformed);
    out[1] = 0x04;  // no 320-bit ROVR
    EXPECT_EQ(NdView::parse(span(out)).error(), Error::kMalformed);
}

TEST(Nd, BadOptionLengths) {
    // Option length 0 (RFC 4861 4.6).
    EXPECT_EQ(NdView::parse(span(hex("85 00 0000 00000000 01 00 000000000000"))).error(),
              Error::kMalformed);
    // PIO must be length 4.
    EXPECT_EQ(NdView::parse(span(hex("86 00 0000 40000708 00000000 00000000 03 01 000000000000")))
                  .error(),
              Error::kMalformed);
    // RIO /64 needs length >= 2.
    EXPECT_EQ(NdView::parse(span(hex("86 00 0000 40000708 00000000 00000000 18 01 40 00 00000e10")))
                  .error(),
              Error::kMalformed);
    // 6CO with context length 80 needs length 3.
    EXPECT_EQ(NdView::parse(span(hex("86 00 0000 40000708 00000000 00000000"
                                     "22 02 50 10 0000 003c 20010db800010000")))
                  .error(),
              Error::kMalformed);
    // Option running past the end.
    EXPECT_EQ(NdView::parse(span(hex("85 00 0000 00000000 01 02 00000000 0000"))).error(),
              Error::kTruncated);
    // Non-zero code.
    EXPECT_EQ(NdView::parse(span(hex("85 01 0000 00000000"))).error(), Error::kMalformed);
    // Two SLLAOs.
    EXPECT_EQ(NdView::parse(span(hex("85 00 0000 00000000 01 01 beef00000000 01 01 beef00000000")))
                  .error(),
              Error::kMalformed);
    // Two MTUs, two AROs, two ABROs.
    EXPECT_EQ(NdView::parse(span(hex("86 00 0000 40000708 00000000 00000000"
                                     "05 01 0000 00000500 05 01 0000 00000500")))
                  .error(),
              Error::kMalformed);
    EXPECT_EQ(NdView::parse(span(hex("87 00 0000 00000000 20010db80001000002124b0000000002"
                                     "21 02 00 000000 001e 00124b0000000002"
                                     "21 02 00 000000 001e 00124b0000000002")))
                  .error(),
              Error::kMalformed);
    // An EARO with a ROVR over 256 bits is not defined by RFC 8505.
    EXPECT_EQ(NdView::parse(span(hex("87 00 0000 00000000 20010db80001000002124b0000000002"
                                     "21 06 00 000000 001e"
                                     "0000000000000000 0000000000000000 0000000000000000"
                                     "0000000000000000 0000000000000000")))
                  .error(),
              Error::kUnsupported);
    // Not an ND type.
    EXPECT_EQ(NdView::parse(span(hex("80 00 0000 00000000"))).error(), Error::kUnsupported);
}

TEST(Nd, UnknownOptionsSkippedButVisible) {
    // RS with an unknown option type 200 before the SLLAO.
    const Bytes b = hex("85 00 0000 00000000 c8 01 aabbccddeeff 01 01 beef00000000");
    auto v = NdView::parse(span(b));
    ASSERT_TRUE(v.ok());
    EXPECT_TRUE(v->options().sllao().has_value());
    auto opts = options_of(*v);
    ASSERT_EQ(opts.size(), 2u);
    EXPECT_EQ(opts[0].type, 200);
    EXPECT_FALSE(opts[0].known());
    EXPECT_EQ(opts[0].value.size, 6u);
    // Unknown options are re-emitted as they came.
    PseudoHeader ph{kLl1, kLl2};
    Bytes out = reemit(*v, ph);
    EXPECT_TRUE(ByteSpan(out.data() + 4, out.size() - 4).equals(span(b).subspan(4)));
}

TEST(Nd, LongLinkLayerAddress) {
    // A 3-unit SLLAO (a 22-byte link-layer address) is valid ND: it parses and round-trips.
    Bytes b = hex("85 00 0000 00000000 01 03");
    for (int i = 0; i < 22; ++i)
        b.push_back(static_cast<std::uint8_t>(i));
    auto v = NdView::parse(span(b));
    ASSERT_TRUE(v.ok()) << error_name(v.error());
    EXPECT_EQ(v->options().sllao()->address.size, 22u);
    PseudoHeader ph{kLl1, kLl2};
    Bytes out = reemit(*v, ph);
    EXPECT_TRUE(ByteSpan(out.data() + 4, out.size() - 4).equals(span(b).subspan(4)));
}

TEST(Nd, RioPrefixMaskedAndShortForms) {
    NdRouteInfo r0, r1, r2;
    r0.prefix_length = 0;  // default route: length 1
    r1.prefix_length = 33;
    r1.prefix = A("2001:db8:ffff::1");  // bits beyond /33 are not sent
    r2.prefix_length = 128;
    r2.prefix = A("2001:db8::1");
    r2.preference = 3;
    PseudoHeader ph{kLl1, kLl2};
    Bytes out = build(NdRouterAdvertisement{}, ph, [&](NdWriter &w) { w.add(r0).add(r1).add(r2); });
    EXPECT_EQ(out.size(), 16u + 8 + 16 + 24);
    auto back = NdView::parse(span(out), &ph);
    ASSERT_TRUE(back.ok());
    auto routes = routes_of(*back);
    ASSERT_EQ(routes.size(), 3u);
    EXPECT_EQ(routes[0].prefix, A("::"));
    EXPECT_EQ(routes[1].prefix, A("2001:db8:8000::"));
    EXPECT_EQ(routes[2].prefix, A("2001:db8::1"));
    EXPECT_EQ(routes[2].preference, 3);
}

TEST(Nd, EmitErrors) {
    PseudoHeader ph{kLl1, kLl2};
    NdPrefixInfo p;
    p.prefix_length = 64;
    NdRouterAdvertisement ra;
    Bytes out = build(ra, ph, [&](NdWriter &w) { w.add(p); });
    ASSERT_EQ(out.size(), 16u + 32);
    // Output too small.
    Bytes small(out.size() - 1);
    EXPECT_EQ(NdWriter(MutableByteSpan(small.data(), small.size()), ra).add(p).finish(ph).error(),
              Error::kNoSpace);
    // Bad ROVR size.
    NdAddressRegistration aro;
    aro.rovr_size = 12;
    Bytes o2(128);
    EXPECT_EQ(NdWriter(MutableByteSpan(o2.data(), o2.size()), NdNeighborSolicitation{})
                  .add(aro)
                  .finish(ph)
                  .error(),
              Error::kInvalidArgument);
    // Prefix length over 128; an empty link-layer address; a raw value off the 8-octet grid.
    p.prefix_length = 129;
    EXPECT_EQ(NdWriter(MutableByteSpan(o2.data(), o2.size()), ra).add(p).finish(ph).error(),
              Error::kInvalidArgument);
    EXPECT_EQ(NdWriter(MutableByteSpan(o2.data(), o2.size()), ra)
                  .add_sllao(NdLinkLayerAddress{})
                  .finish(ph)
                  .error(),
              Error::kInvalidArgument);
    const std::uint8_t raw[3] = {1, 2, 3};
    EXPECT_EQ(NdWriter(MutableByteSpan(o2.data(), o2.size()), ra)
                  .add_raw(200, ByteSpan(raw))
                  .finish(ph)
                  .error(),
              Error::kInvalidArgument);
}

}  // namespace
