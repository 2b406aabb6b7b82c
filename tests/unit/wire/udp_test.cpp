// UDP over IPv6 (RFC 768, RFC 8200 8.1).
#include "wire/Udp.h"

#include <gtest/gtest.h>

#include "WireIpTestUtil.h"

using namespace meshwork;
using namespace meshwork::wire;
using namespace wiretest;

namespace {

// fe80::212:4b00:0:1 -> fe80::212:4b00:0:2, 5683 -> 5683, "hello"; tshark (with UDP checksum
// validation on) reports 0xf872 as correct.
const Bytes kUdp = hex("1633 1633 000d f872 68656c6c6f");
const PseudoHeader kPh{A("fe80::212:4b00:0:1"), A("fe80::212:4b00:0:2")};

TEST(Udp, ViewFields) {
    auto v = UdpView::parse(span(kUdp), &kPh);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->src_port(), 5683);
    EXPECT_EQ(v->dst_port(), 5683);
    EXPECT_EQ(v->length(), 13);
    EXPECT_EQ(v->checksum(), 0xf872);
    ASSERT_EQ(v->payload().size, 5u);
    EXPECT_EQ(v->payload()[0], 'h');
}

TEST(Udp, RoundTrip) {
    auto h = UdpHeader::parse(span(kUdp), &kPh);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->payload_length, 5);
    Bytes out(h->emitted_size());
    std::memcpy(out.data() + 8, kUdp.data() + 8, 5);
    ASSERT_TRUE(h->emit(MutableByteSpan(out.data(), out.size()), kPh).ok());
    EXPECT_EQ(out, kUdp);
    UdpHeader b;
    b.src_port = 5683;
    b.dst_port = 5683;
    Bytes o2(13);
    ASSERT_TRUE(
        b.emit(MutableByteSpan(o2.data(), o2.size()), prefix(kUdp, 13).subspan(8), kPh).ok());
    EXPECT_EQ(o2, kUdp);
    EXPECT_EQ(b.emit(MutableByteSpan(o2.data(), 12), kPh).error(), Error::kNoSpace);
}

TEST(Udp, Truncations) {
    expect_prefixes_rejected(kUdp, [](ByteSpan b) { return UdpView::parse(b); });
    // Trailing bytes beyond Length are ignored.
    Bytes longer = kUdp;
    longer.push_back(0);
    auto v = UdpView::parse(span(longer), &kPh);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->datagram().size, 13u);
}

TEST(Udp, BadLengthAndChecksum) {
    Bytes b = kUdp;
    b[5] = 7;  // Length < 8
    EXPECT_EQ(UdpView::parse(span(b)).error(), Error::kMalformed);
    b = kUdp;
    b[8] ^= 1;
    EXPECT_EQ(UdpView::parse(span(b), &kPh).error(), Error::kChecksum);
    b = kUdp;
    b[6] = b[7] = 0;  // zero checksum is not allowed over IPv6
    EXPECT_EQ(UdpView::parse(span(b), &kPh).error(), Error::kChecksum);
}

TEST(Udp, ComputedZeroIsSentAsAllOnes) {
    // Pick a 2-byte payload that makes the one's-complement sum 0xffff, so the computed
    // checksum is 0 and must go on the wire as 0xffff (RFC 768).
    UdpHeader h;
    h.src_port = 1;
    h.dst_port = 2;
    h.payload_length = 2;
    Bytes out(10, 0);
    ASSERT_TRUE(h.emit(MutableByteSpan(out.data(), out.size()), kPh).ok());
    std::uint16_t c = static_cast<std::uint16_t>(out[6] << 8 | out[7]);
    out[8] = static_cast<std::uint8_t>(c >> 8);
    out[9] = static_cast<std::uint8_t>(c);
    ASSERT_TRUE(h.emit(MutableByteSpan(out.data(), out.size()), kPh).ok());
    EXPECT_EQ(out[6], 0xff);
    EXPECT_EQ(out[7], 0xff);
    EXPECT_TRUE(UdpView::parse(span(out), &kPh).ok());
}

}  // namespace
