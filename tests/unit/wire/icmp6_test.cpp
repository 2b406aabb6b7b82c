// ICMPv6 header, echo and error messages (RFC 4443).
#include "wire/Icmp6.h"

#include <gtest/gtest.h>

#include "WireIpTestUtil.h"
#include "wire/Ip6.h"

using namespace meshwork;
using namespace meshwork::wire;
using namespace wiretest;

namespace {

// Echo request fe80::1 -> fe80::2, id 0x1234, seq 1, "abcd"; tshark reports checksum 0xabb8
// correct.
const Bytes kEcho = hex("80 00 abb8 1234 0001 61626364");
const PseudoHeader kPh{A("fe80::1"), A("fe80::2")};

TEST(Icmp6, ViewAndChecksum) {
    auto v = Icmp6View::parse(span(kEcho), &kPh);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->type(), Icmp6Type::kEchoRequest);
    EXPECT_EQ(v->code(), 0);
    EXPECT_EQ(v->checksum(), 0xabb8);
    EXPECT_EQ(v->body().size, 8u);
    Bytes bad = kEcho;
    bad[11] ^= 0xff;
    EXPECT_EQ(Icmp6View::parse(span(bad), &kPh).error(), Error::kChecksum);
    EXPECT_TRUE(Icmp6View::parse(span(bad)).ok());  // not verified when not asked
    for (std::size_t n = 0; n < 4; ++n) {
        EXPECT_EQ(Icmp6View::parse(prefix(kEcho, n)).error(), Error::kTruncated);
    }
}

TEST(Icmp6, EchoRoundTrip) {
    auto m = Icmp6Message::parse(span(kEcho), &kPh);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->identifier(), 0x1234);
    EXPECT_EQ(m->sequence(), 1);
    EXPECT_EQ(m->data.size, 4u);
    const std::uint8_t d[] = {'a', 'b', 'c', 'd'};
    Icmp6Message built = Icmp6Message::echo(false, 0x1234, 1, ByteSpan(d, 4));
    EXPECT_EQ(built, *m);
    Bytes out(built.emitted_size());
    ASSERT_TRUE(built.emit(MutableByteSpan(out.data(), out.size()), kPh).ok());
    EXPECT_EQ(out, kEcho);
    EXPECT_EQ(built.emit(MutableByteSpan(out.data(), out.size() - 1), kPh).error(),
              Error::kNoSpace);
    expect_prefixes_rejected(kEcho, [](ByteSpan b) { return Icmp6Message::parse(b); },
                             {8, 9, 10, 11});
}

TEST(Icmp6, EchoReply) {
    Icmp6Message r = Icmp6Message::echo(true, 7, 9, ByteSpan());
    EXPECT_EQ(r.type, Icmp6Type::kEchoReply);
    Bytes out(r.emitted_size());
    ASSERT_TRUE(r.emit(MutableByteSpan(out.data(), out.size()), kPh).ok());
    auto back = Icmp6Message::parse(span(out), &kPh);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, r);
}

TEST(Icmp6, ErrorQuotesAtMostMinimumMtu) {
    Bytes invoking(2000, 0x5a);
    Icmp6Message e = Icmp6Message::error(Icmp6Type::kPacketTooBig, 0, 1280, span(invoking));
    EXPECT_EQ(e.data.size, 1280u - 40 - 8);
    EXPECT_EQ(e.emitted_size() + kIp6HeaderSize, 1280u);
    Bytes out(e.emitted_size());
    ASSERT_TRUE(e.emit(MutableByteSpan(out.data(), out.size()), kPh).ok());
    auto back = Icmp6Message::parse(span(out), &kPh);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->mtu(), 1280u);
    EXPECT_TRUE(icmp6_is_error(back->type));

    Icmp6Message pp =
        Icmp6Message::error(Icmp6Type::kParameterProblem, Icmp6ParamProblem::kUnrecognizedOption,
                            42, prefix(invoking, 48));
    Bytes o2(pp.emitted_size());
    ASSERT_TRUE(pp.emit(MutableByteSpan(o2.data(), o2.size()), kPh).ok());
    EXPECT_EQ(o2[0], 4);
    EXPECT_EQ(o2[1], 2);
    EXPECT_EQ(o2[7], 42);
    EXPECT_EQ(Icmp6Message::parse(span(o2)).value().pointer(), 42u);
}

TEST(Icmp6, NdIsNotAnEchoOrError) {
    EXPECT_EQ(Icmp6Message::parse(span(hex("85 00 0000 00000000"))).error(), Error::kUnsupported);
}

TEST(Icmp6, FinishChecksumMatchesVerify) {
    Bytes b = hex("80 00 ffff 0001 0002 0102030405");
    icmp6_finish_checksum(MutableByteSpan(b.data(), b.size()), kPh);
    EXPECT_TRUE(Icmp6View::parse(span(b), &kPh).ok());
}

}  // namespace
