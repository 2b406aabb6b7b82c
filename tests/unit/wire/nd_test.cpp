// Neighbor Discovery and 6LoWPAN-ND messages. The byte vectors were assembled by hand from
// RFC 4861 / 4191 / 6775 / 8505 field layouts; tshark 4.0 decodes each with the intended
// field values and reports the ICMPv6 checksums below as correct.
#include "wire/Nd.h"

#include <gtest/gtest.h>

#include "WireIpTestUtil.h"

using namespace meshwork;
using namespace meshwork::wire;
using namespace wiretest;

namespace {

const Ip6Address kLl1 = A("fe80::212:4b00:0:1");
const Ip6Address kLl2 = A("fe80::212:4b00:0:2");
const Ip6Address kGlobal2 = A("2001:db8:1::212:4b00:0:2");
const std::uint8_t kEui2[8] = {0x00, 0x12, 0x4b, 0x00, 0x00, 0x00, 0x00, 0x02};

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
    auto m = NdMessage::parse(span(kRa), &ph);
    ASSERT_TRUE(m.ok()) << error_name(m.error());
    EXPECT_EQ(m->type, Icmp6Type::kRouterAdvertisement);
    EXPECT_EQ(m->cur_hop_limit, 64);
    EXPECT_EQ(m->ra_flags, 0);
    EXPECT_EQ(m->router_lifetime, 1800);
    EXPECT_EQ(m->reachable_time, 0u);
    EXPECT_EQ(m->retrans_timer, 0u);
    const NdOptions &o = m->options;
    ASSERT_TRUE(o.has_sllao);
    EXPECT_EQ(o.sllao.size, 14);
    EXPECT_EQ(o.sllao.bytes[0], 0x00);
    EXPECT_EQ(o.sllao.bytes[2], 0x4b);
    EXPECT_EQ(o.sllao.bytes[7], 0x01);
    EXPECT_TRUE(o.has_mtu);
    EXPECT_EQ(o.mtu, 1280u);
    ASSERT_EQ(o.prefix_count, 1);
    EXPECT_EQ(o.prefixes[0].prefix_length, 64);
    EXPECT_EQ(o.prefixes[0].flags, NdPrefixInfo::kFlagAutonomous);
    EXPECT_EQ(o.prefixes[0].valid_lifetime, 86400u);
    EXPECT_EQ(o.prefixes[0].preferred_lifetime, 14400u);
    EXPECT_EQ(o.prefixes[0].prefix, A("2001:db8:1::"));
    ASSERT_EQ(o.route_count, 1);
    EXPECT_EQ(o.routes[0].prefix_length, 48);
    EXPECT_EQ(o.routes[0].preference, 1);
    EXPECT_EQ(o.routes[0].route_lifetime, 3600u);
    EXPECT_EQ(o.routes[0].prefix, A("2001:db8:2::"));
    ASSERT_EQ(o.context_count, 1);
    EXPECT_EQ(o.contexts[0].context_length, 64);
    EXPECT_TRUE(o.contexts[0].compression());
    EXPECT_EQ(o.contexts[0].cid(), 0);
    EXPECT_EQ(o.contexts[0].valid_lifetime, 60);
    EXPECT_EQ(o.contexts[0].prefix, A("2001:db8:1::"));
    ASSERT_TRUE(o.has_abro);
    EXPECT_EQ(o.abro.version, 0x00010002u);  // high 1, low 2
    EXPECT_EQ(o.abro.valid_lifetime, 0);
    EXPECT_EQ(o.abro.address, A("2001:db8:1::1"));
    EXPECT_FALSE(o.has_aro);
    EXPECT_FALSE(o.has_tllao);
}

TEST(Nd, RouterAdvertisementRoundTripAndChecksum) {
    PseudoHeader ph{kLl1, kLl2};
    auto m = NdMessage::parse(span(kRa));
    ASSERT_TRUE(m.ok());
    ASSERT_EQ(m->emitted_size(), kRa.size());
    Bytes out(kRa.size());
    ASSERT_TRUE(m->emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    EXPECT_EQ(out, kRa);  // including checksum 0xe59d
    // Wrong pseudo-header: checksum fails.
    PseudoHeader other{kLl2, kLl1};
    EXPECT_EQ(NdMessage::parse(span(kRa), &ph).error(), Error::kOk);
    auto swapped = NdMessage::parse(span(kRa), &other);
    // Swapping src and dst leaves the one's-complement sum unchanged: still valid.
    EXPECT_TRUE(swapped.ok());
    PseudoHeader wrong{kLl1, A("fe80::3")};
    EXPECT_EQ(NdMessage::parse(span(kRa), &wrong).error(), Error::kChecksum);
    Bytes bad = kRa;
    bad[20] ^= 0x01;
    EXPECT_EQ(NdMessage::parse(span(bad), &ph).error(), Error::kChecksum);
}

TEST(Nd, RouterAdvertisementTruncations) {
    // Shorter messages that end exactly on an option boundary are valid ND messages.
    expect_prefixes_rejected(kRa, [](ByteSpan b) { return NdMessage::parse(b); },
                             {16, 32, 40, 72, 88, 104});
    // With the checksum checked, every truncation is rejected.
    PseudoHeader ph{kLl1, kLl2};
    expect_prefixes_rejected(kRa, [&](ByteSpan b) { return NdMessage::parse(b, &ph); });
}

// NS with SLLAO and an RFC 8505 EARO: T flag, TID 7, 128-bit ROVR.
const Bytes kNsEaro =
    hex("87 00 8bd0 00000000 20010db80001000002124b0000000002"
        "01 02 00124b0000000002 000000000000"
        "21 03 00 00 01 07 001e a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");

TEST(Nd, NeighborSolicitationWithEaro) {
    PseudoHeader ph{kGlobal2, kLl1};
    auto m = NdMessage::parse(span(kNsEaro), &ph);
    ASSERT_TRUE(m.ok()) << error_name(m.error());
    EXPECT_EQ(m->type, Icmp6Type::kNeighborSolicitation);
    EXPECT_EQ(m->target, kGlobal2);
    ASSERT_TRUE(m->options.has_sllao);
    EXPECT_EQ(0, std::memcmp(m->options.sllao.bytes, kEui2, 8));
    ASSERT_TRUE(m->options.has_aro);
    const NdAddressRegistration &a = m->options.aro;
    EXPECT_TRUE(a.extended());
    EXPECT_EQ(a.status, 0);
    EXPECT_EQ(a.opaque, 0);
    EXPECT_EQ(a.i_field(), 0);
    EXPECT_EQ(a.tid, 7);
    EXPECT_EQ(a.lifetime, 30);
    ASSERT_EQ(a.rovr_size, 16);
    for (int i = 0; i < 16; ++i)
        EXPECT_EQ(a.rovr[i], 0xa0 + i);
    Bytes out(m->emitted_size());
    ASSERT_TRUE(m->emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    EXPECT_EQ(out, kNsEaro);
    expect_prefixes_rejected(kNsEaro, [](ByteSpan b) { return NdMessage::parse(b); }, {24, 40});
}

// NS with an RFC 6775 ARO (EUI-64 in place of the ROVR).
const Bytes kNsAro =
    hex("87 00 7f11 00000000 20010db80001000002124b0000000002"
        "01 02 00124b0000000002 000000000000"
        "21 02 00 000000 001e 00124b0000000002");

TEST(Nd, NeighborSolicitationWithAro) {
    PseudoHeader ph{kGlobal2, kLl1};
    auto m = NdMessage::parse(span(kNsAro), &ph);
    ASSERT_TRUE(m.ok());
    const NdAddressRegistration &a = m->options.aro;
    EXPECT_FALSE(a.extended());
    EXPECT_EQ(a.lifetime, 30);
    EXPECT_EQ(a.rovr_size, 8);
    EXPECT_EQ(0, std::memcmp(a.rovr, kEui2, 8));
    EXPECT_EQ(a, NdAddressRegistration::aro(0, 30, kEui2));

    NdMessage built;
    built.type = Icmp6Type::kNeighborSolicitation;
    built.target = kGlobal2;
    built.options.has_sllao = true;
    built.options.sllao = NdLinkLayerAddress::from(ByteSpan(kEui2, 8));
    built.options.has_aro = true;
    built.options.aro = NdAddressRegistration::aro(0, 30, kEui2);
    Bytes out(built.emitted_size());
    ASSERT_TRUE(built.emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    EXPECT_EQ(out, kNsAro);
}

// NA (R, S) answering a registration with status 1 (duplicate).
const Bytes kNaAro =
    hex("88 00 0937 c0000000 20010db80001000002124b0000000002"
        "21 02 01 000000 001e 00124b0000000002");

TEST(Nd, NeighborAdvertisementWithAroStatus) {
    PseudoHeader ph{kLl1, kGlobal2};
    auto m = NdMessage::parse(span(kNaAro), &ph);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->na_flags, NdMessage::kNaRouter | NdMessage::kNaSolicited);
    EXPECT_EQ(m->target, kGlobal2);
    EXPECT_EQ(m->options.aro.status, NdArStatus::kDuplicate);
    Bytes out(m->emitted_size());
    ASSERT_TRUE(m->emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    EXPECT_EQ(out, kNaAro);
    expect_prefixes_rejected(kNaAro, [](ByteSpan b) { return NdMessage::parse(b); }, {24});
}

// RS with an SLLAO carrying an 802.15.4 short address (RFC 4944 8: length 1, 2 bytes + pad).
const Bytes kRs = hex("85 00 702a 00000000 01 01 beef 00000000");

TEST(Nd, RouterSolicitationShortAddress) {
    PseudoHeader ph{kLl2, A("ff02::2")};
    auto m = NdMessage::parse(span(kRs), &ph);
    ASSERT_TRUE(m.ok());
    ASSERT_TRUE(m->options.has_sllao);
    EXPECT_EQ(m->options.sllao.size, 6);
    EXPECT_EQ(m->options.sllao.bytes[0], 0xbe);
    EXPECT_EQ(m->options.sllao.bytes[1], 0xef);
    NdMessage built;
    built.type = Icmp6Type::kRouterSolicitation;
    built.options.has_sllao = true;
    const std::uint8_t sa[2] = {0xbe, 0xef};
    built.options.sllao = NdLinkLayerAddress::from(ByteSpan(sa, 2));
    Bytes out(built.emitted_size());
    ASSERT_TRUE(built.emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    EXPECT_EQ(out, kRs);
}

// Redirect with a TLLAO (48-bit MAC).
const Bytes kRedirect =
    hex("89 00 ae87 00000000 fe8000000000000002124b0000000002 20010db8000500000000000000000009"
        "02 01 020000000002");

TEST(Nd, Redirect) {
    PseudoHeader ph{kLl1, A("fe80::99")};
    auto m = NdMessage::parse(span(kRedirect), &ph);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->target, kLl2);
    EXPECT_EQ(m->destination, A("2001:db8:5::9"));
    ASSERT_TRUE(m->options.has_tllao);
    EXPECT_EQ(m->options.tllao.size, 6);
    EXPECT_EQ(m->options.tllao.bytes[5], 0x02);
    Bytes out(m->emitted_size());
    ASSERT_TRUE(m->emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    EXPECT_EQ(out, kRedirect);
    expect_prefixes_rejected(kRedirect, [](ByteSpan b) { return NdMessage::parse(b); }, {40});
}

TEST(Nd, RedirectedHeaderOption) {
    NdMessage m;
    m.type = Icmp6Type::kRedirect;
    m.target = kLl2;
    m.destination = A("2001:db8::9");
    const Bytes quoted = hex("6000000000083a40 0102030405060708 090a");
    m.options.has_redirected = true;
    m.options.redirected = span(quoted);
    Bytes out(m.emitted_size());
    EXPECT_EQ(out.size(), 40u + 32u);  // 8 + 18 rounded up to 32
    PseudoHeader ph{kLl1, kLl2};
    ASSERT_TRUE(m.emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    auto back = NdMessage::parse(span(out), &ph);
    ASSERT_TRUE(back.ok());
    ASSERT_TRUE(back->options.has_redirected);
    EXPECT_EQ(back->options.redirected.size, 24u);  // quoted bytes plus zero padding
    EXPECT_EQ(0, std::memcmp(back->options.redirected.data, quoted.data(), quoted.size()));
}

// RFC 8505 EDAR with a 64-bit ROVR (code 0) from a 6LR to the 6LBR.
const Bytes kDar = hex("9d 00 4029 00 07 001e 00124b0000000002 20010db80001000002124b0000000002");

TEST(Nd, DuplicateAddressRequest) {
    PseudoHeader ph{A("2001:db8:1::1"), A("2001:db8:1::ff")};
    auto m = NdMessage::parse(span(kDar), &ph);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->type, Icmp6Type::kDuplicateAddressRequest);
    EXPECT_EQ(m->dar.status, 0);
    EXPECT_EQ(m->dar.tid, 7);
    EXPECT_EQ(m->dar.lifetime, 30);
    EXPECT_EQ(m->dar.rovr_size, 8);
    EXPECT_EQ(0, std::memcmp(m->dar.rovr, kEui2, 8));
    EXPECT_EQ(m->target, kGlobal2);
    Bytes out(m->emitted_size());
    ASSERT_TRUE(m->emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    EXPECT_EQ(out, kDar);
    expect_prefixes_rejected(kDar, [](ByteSpan b) { return NdMessage::parse(b); });
}

TEST(Nd, DuplicateAddressConfirmationLongRovr) {
    NdMessage m;
    m.type = Icmp6Type::kDuplicateAddressConfirmation;
    m.dar.status = NdArStatus::kDuplicate;
    m.dar.tid = 9;
    m.dar.lifetime = 120;
    m.dar.rovr_size = 32;
    for (int i = 0; i < 32; ++i)
        m.dar.rovr[i] = static_cast<std::uint8_t>(i);
    m.target = kGlobal2;
    PseudoHeader ph{A("2001:db8:1::ff"), A("2001:db8:1::1")};
    Bytes out(m.emitted_size());
    ASSERT_EQ(out.size(), 4u + 4 + 32 + 16);
    ASSERT_TRUE(m.emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    EXPECT_EQ(out[1], 0x03);  // CodeSfx 3: 256-bit ROVR
    auto back = NdMessage::parse(span(out), &ph);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, m);
    out[1] = 0x13;  // CodePfx must be 0
    EXPECT_EQ(NdMessage::parse(span(out)).error(), Error::kMalformed);
    out[1] = 0x04;  // no 320-bit ROVR
    EXPECT_EQ(NdMessage::parse(span(out)).error(), Error::kMalformed);
}

TEST(Nd, BadOptionLengths) {
    // Option length 0 (RFC 4861 4.6).
    EXPECT_EQ(NdMessage::parse(span(hex("85 00 0000 00000000 01 00 000000000000"))).error(),
              Error::kMalformed);
    // PIO must be length 4.
    EXPECT_EQ(
        NdMessage::parse(span(hex("86 00 0000 40000708 00000000 00000000 03 01 000000000000")))
            .error(),
        Error::kMalformed);
    // RIO /64 needs length >= 2.
    EXPECT_EQ(
        NdMessage::parse(span(hex("86 00 0000 40000708 00000000 00000000 18 01 40 00 00000e10")))
            .error(),
        Error::kMalformed);
    // 6CO with context length 80 needs length 3.
    EXPECT_EQ(NdMessage::parse(span(hex("86 00 0000 40000708 00000000 00000000"
                                        "22 02 50 10 0000 003c 20010db800010000")))
                  .error(),
              Error::kMalformed);
    // Option running past the end.
    EXPECT_EQ(NdMessage::parse(span(hex("85 00 0000 00000000 01 02 00000000 0000"))).error(),
              Error::kTruncated);
    // Non-zero code.
    EXPECT_EQ(NdMessage::parse(span(hex("85 01 0000 00000000"))).error(), Error::kMalformed);
    // Two SLLAOs.
    EXPECT_EQ(
        NdMessage::parse(span(hex("85 00 0000 00000000 01 01 beef00000000 01 01 beef00000000")))
            .error(),
        Error::kMalformed);
    // Not an ND type.
    EXPECT_EQ(NdMessage::parse(span(hex("80 00 0000 00000000"))).error(), Error::kUnsupported);
}

TEST(Nd, UnknownOptionsSkipped) {
    // RS with an unknown option type 200 before the SLLAO.
    auto m =
        NdMessage::parse(span(hex("85 00 0000 00000000 c8 01 aabbccddeeff 01 01 beef00000000")));
    ASSERT_TRUE(m.ok());
    EXPECT_TRUE(m->options.has_sllao);
}

TEST(Nd, RioPrefixMaskedAndShortForms) {
    NdMessage m;
    m.type = Icmp6Type::kRouterAdvertisement;
    m.options.route_count = 3;
    m.options.routes[0].prefix_length = 0;  // default route: length 1
    m.options.routes[1].prefix_length = 33;
    m.options.routes[1].prefix = A("2001:db8:ffff::1");  // bits beyond /33 are not sent
    m.options.routes[2].prefix_length = 128;
    m.options.routes[2].prefix = A("2001:db8::1");
    m.options.routes[2].preference = 3;
    EXPECT_EQ(m.emitted_size(), 16u + 8 + 16 + 24);
    Bytes out(m.emitted_size());
    PseudoHeader ph{kLl1, kLl2};
    ASSERT_TRUE(m.emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    auto back = NdMessage::parse(span(out), &ph);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->options.routes[0].prefix, A("::"));
    EXPECT_EQ(back->options.routes[1].prefix, A("2001:db8:8000::"));
    EXPECT_EQ(back->options.routes[2].prefix, A("2001:db8::1"));
    EXPECT_EQ(back->options.routes[2].preference, 3);
}

TEST(Nd, CapsAndEmitErrors) {
    NdMessage m;
    m.type = Icmp6Type::kRouterAdvertisement;
    m.options.prefix_count = NdOptions::kMaxPrefixes;
    Bytes out(m.emitted_size());
    PseudoHeader ph{kLl1, kLl2};
    ASSERT_TRUE(m.emit(MutableByteSpan(out.data(), out.size()), ph).ok());
    EXPECT_EQ(NdMessage::parse(span(out)).value().options.prefix_count, NdOptions::kMaxPrefixes);
    // One more PIO than the cap is reported, not silently dropped.
    Bytes more = out;
    Bytes pio(more.end() - 32, more.end());
    more.insert(more.end(), pio.begin(), pio.end());
    EXPECT_EQ(NdMessage::parse(span(more)).error(), Error::kUnsupported);
    // Output too small.
    Bytes small(out.size() - 1);
    EXPECT_EQ(m.emit(MutableByteSpan(small.data(), small.size()), ph).error(), Error::kNoSpace);
    // Bad ROVR size.
    NdMessage ns;
    ns.type = Icmp6Type::kNeighborSolicitation;
    ns.options.has_aro = true;
    ns.options.aro.rovr_size = 12;
    Bytes o2(ns.emitted_size() + 8);
    EXPECT_EQ(ns.emit(MutableByteSpan(o2.data(), o2.size()), ph).error(), Error::kInvalidArgument);
}

}  // namespace
