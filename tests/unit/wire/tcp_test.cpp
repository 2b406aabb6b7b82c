// TCP header and options (RFC 9293, RFC 7323, RFC 2018).
#include "wire/Tcp.h"

#include <gtest/gtest.h>

#include "WireIpTestUtil.h"

using namespace meshwork;
using namespace meshwork::wire;
using namespace wiretest;

namespace {

const PseudoHeader kPh{A("2001:db8::1"), A("2001:db8::2")};
const PseudoHeader kPhBack{A("2001:db8::2"), A("2001:db8::1")};

// SYN 49152 -> 80, seq 0x01020304, window 65535, options MSS 1220, NOP WS 7, SACK-permitted,
// TS 0x11223344/0. tshark (TCP checksum validation on) reports 0xe4be as correct.
const Bytes kSyn =
    hex("c000 0050 01020304 00000000 a0 02 ffff e4be 0000"
        "02 04 04c4 | 01 03 03 07 | 04 02 08 0a 11223344 00000000");

TEST(Tcp, SynOptions) {
    auto h = TcpHeader::parse(span(kSyn), &kPh);
    ASSERT_TRUE(h.ok()) << error_name(h.error());
    EXPECT_EQ(h->src_port, 49152);
    EXPECT_EQ(h->dst_port, 80);
    EXPECT_EQ(h->seq, 0x01020304u);
    EXPECT_EQ(h->ack, 0u);
    EXPECT_EQ(h->flags, TcpFlag::kSyn);
    EXPECT_EQ(h->window, 65535);
    EXPECT_TRUE(h->has_mss);
    EXPECT_EQ(h->mss, 1220);
    EXPECT_TRUE(h->has_window_scale);
    EXPECT_EQ(h->window_scale, 7);
    EXPECT_TRUE(h->sack_permitted);
    EXPECT_TRUE(h->has_timestamp);
    EXPECT_EQ(h->ts_val, 0x11223344u);
    EXPECT_EQ(h->ts_ecr, 0u);
    EXPECT_EQ(h->sack_count, 0);
    EXPECT_EQ(h->payload_length, 0u);
    Bytes out(h->emitted_size());
    ASSERT_TRUE(h->emit(MutableByteSpan(out.data(), out.size()), kPh).ok());
    EXPECT_EQ(out, kSyn);
    expect_prefixes_rejected(kSyn, [](ByteSpan b) { return TcpHeader::parse(b); });
}

TEST(Tcp, LinuxOrderSynParses) {
    // The option order Linux sends: MSS, SACK-perm, TS, NOP, WS.
    const Bytes b =
        hex("c000 0050 01020304 00000000 a0 02 ffff 0000 0000"
            "02 04 05b4 04 02 08 0a 00000001 00000000 01 03 03 0a");
    auto h = TcpHeader::parse(span(b));
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->mss, 1460);
    EXPECT_TRUE(h->sack_permitted);
    EXPECT_EQ(h->ts_val, 1u);
    EXPECT_EQ(h->window_scale, 10);
    // Our layout differs but means the same.
    Bytes out(h->emitted_size());
    ASSERT_TRUE(h->emit(MutableByteSpan(out.data(), out.size()), kPh).ok());
    auto back = TcpHeader::parse(span(out), &kPh);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, *h);
}

// ACK 80 -> 49152 with TS and two SACK blocks and 4 payload bytes; checksum 0xa287 correct.
const Bytes kSack =
    hex("0050 c000 0a0b0c0d 01020305 d0 10 03e8 a287 0000"
        "01 01 08 0a 00000005 11223344"
        "01 01 05 12 000003e8 000007d0 00000bb8 00000fa0"
        "64617461");

TEST(Tcp, SackAndPayload) {
    auto v = TcpView::parse(span(kSack), &kPhBack);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->data_offset(), 13);
    EXPECT_EQ(v->options().size, 32u);
    EXPECT_EQ(v->payload().size, 4u);
    auto h = TcpHeader::parse(span(kSack), &kPhBack);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->flags, TcpFlag::kAck);
    EXPECT_EQ(h->ack, 0x01020305u);
    EXPECT_EQ(h->window, 1000);
    EXPECT_EQ(h->ts_val, 5u);
    EXPECT_EQ(h->ts_ecr, 0x11223344u);
    ASSERT_EQ(h->sack_count, 2);
    EXPECT_EQ(h->sack[0].left, 1000u);
    EXPECT_EQ(h->sack[0].right, 2000u);
    EXPECT_EQ(h->sack[1].left, 3000u);
    EXPECT_EQ(h->sack[1].right, 4000u);
    EXPECT_EQ(h->payload_length, 4u);
    TcpHeader copy = *h;
    Bytes out(copy.emitted_size());
    ASSERT_TRUE(copy.emit(MutableByteSpan(out.data(), out.size()), v->payload(), kPhBack).ok());
    EXPECT_EQ(out, kSack);
    Bytes bad = kSack;
    bad.back() ^= 1;
    EXPECT_EQ(TcpView::parse(span(bad), &kPhBack).error(), Error::kChecksum);
}

TEST(Tcp, MalformedOptionsAndOffsets) {
    // Data offset 4.
    EXPECT_EQ(TcpView::parse(span(hex("0000 0000 00000000 00000000 40 00 0000 0000 0000"))).error(),
              Error::kMalformed);
    // Data offset 6 with only 20 bytes.
    EXPECT_EQ(TcpView::parse(span(hex("0000 0000 00000000 00000000 60 00 0000 0000 0000"))).error(),
              Error::kTruncated);
    // MSS of length 3.
    EXPECT_EQ(TcpHeader::parse(span(hex("0000 0000 00000000 00000000 60 02 0000 0000 0000"
                                        "02 03 05 00")))
                  .error(),
              Error::kMalformed);
    // Option length 1.
    EXPECT_EQ(TcpHeader::parse(span(hex("0000 0000 00000000 00000000 60 02 0000 0000 0000"
                                        "08 01 00 00")))
                  .error(),
              Error::kMalformed);
    // SACK with 7 bytes of blocks.
    EXPECT_EQ(TcpHeader::parse(span(hex("0000 0000 00000000 00000000 80 10 0000 0000 0000"
                                        "05 09 00000001 000000 00 00 00")))
                  .error(),
              Error::kMalformed);
    // Option running over the header end.
    EXPECT_EQ(TcpHeader::parse(span(hex("0000 0000 00000000 00000000 60 02 0000 0000 0000"
                                        "01 02 04 05")))
                  .error(),
              Error::kTruncated);
    // EOL ends the list; what follows is padding.
    auto h =
        TcpHeader::parse(span(hex("0000 0000 00000000 00000000 60 02 0000 0000 0000"
                                  "00 ff ff ff")));
    ASSERT_TRUE(h.ok());
    EXPECT_FALSE(h->has_mss);
    // Unknown option kinds are skipped.
    auto u =
        TcpHeader::parse(span(hex("0000 0000 00000000 00000000 70 02 0000 0000 0000"
                                  "fe 04 abcd 02 04 0100")));
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(u->mss, 256);
}

TEST(Tcp, OptionSpaceLimit) {
    TcpHeader h;
    h.has_timestamp = true;
    h.sack_count = 3;
    EXPECT_EQ(h.options_size(), 40u);
    Bytes out(h.emitted_size());
    EXPECT_TRUE(h.emit(MutableByteSpan(out.data(), out.size()), kPh).ok());
    h.sack_count = 4;  // 12 + 36 > 40
    Bytes o2(h.emitted_size());
    EXPECT_EQ(h.emit(MutableByteSpan(o2.data(), o2.size()), kPh).error(), Error::kInvalidArgument);
    TcpHeader s;
    s.sack_count = 4;
    EXPECT_EQ(s.options_size(), 36u);
    Bytes o3(s.emitted_size());
    ASSERT_TRUE(s.emit(MutableByteSpan(o3.data(), o3.size()), kPh).ok());
    EXPECT_EQ(TcpHeader::parse(span(o3), &kPh).value().sack_count, 4);
    EXPECT_EQ(s.emit(MutableByteSpan(o3.data(), o3.size() - 1), kPh).error(), Error::kNoSpace);
}

TEST(Tcp, PackedLayoutWhenAlignedDoesNotFit) {
    // MSS + SACK-perm + 4 SACK blocks is 40 bytes back to back, 44 with alignment NOPs.
    const Bytes b =
        hex("0001 0002 00000001 00000002 f0 10 0100 0000 0000"
            "02 04 0200 04 02 05 22 00000001 00000002 00000003 00000004 00000005 00000006"
            "00000007 00000008");
    auto h = TcpHeader::parse(span(b));
    ASSERT_TRUE(h.ok()) << error_name(h.error());
    EXPECT_EQ(h->sack_count, 4);
    EXPECT_EQ(h->options_size(), 40u);
    Bytes out(h->emitted_size());
    ASSERT_TRUE(h->emit(MutableByteSpan(out.data(), out.size()), kPh).ok());
    auto back = TcpHeader::parse(span(out), &kPh);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, *h);
    EXPECT_EQ(0, std::memcmp(out.data() + 20, b.data() + 20, 40));
}

TEST(Tcp, EachOptionAloneRoundTrips) {
    for (int which = 0; which < 5; ++which) {
        TcpHeader h;
        h.src_port = 1;
        h.dst_port = 2;
        h.flags = TcpFlag::kAck | TcpFlag::kPsh;
        h.has_mss = which == 0;
        h.mss = 536;
        h.has_window_scale = which == 1;
        h.window_scale = 14;
        h.sack_permitted = which == 2;
        h.has_timestamp = which == 3;
        h.ts_val = 99;
        h.sack_count = which == 4 ? 1 : 0;
        h.sack[0] = {5, 6};
        Bytes out(h.emitted_size());
        ASSERT_EQ(h.header_size() % 4, 0u);
        ASSERT_TRUE(h.emit(MutableByteSpan(out.data(), out.size()), kPh).ok());
        auto back = TcpHeader::parse(span(out), &kPh);
        ASSERT_TRUE(back.ok()) << which;
        if (which != 3)
            h.ts_val = back->ts_val;  // only meaningful with the option
        if (which != 0)
            h.mss = back->mss;
        if (which != 1)
            h.window_scale = back->window_scale;
        if (which != 4) {
            h.sack[0] = back->sack[0];
        }
        EXPECT_EQ(*back, h) << which;
    }
}

}  // namespace
