#include <gtest/gtest.h>

#include <vector>

#include "wire/Ieee802154.h"

using namespace meshwork;
using namespace meshwork::wire;

namespace {

std::vector<std::uint8_t> with_fcs(std::vector<std::uint8_t> v) {
    std::uint16_t fcs = mac_fcs(ByteSpan(v.data(), v.size()));
    v.push_back(static_cast<std::uint8_t>(fcs));
    v.push_back(static_cast<std::uint8_t>(fcs >> 8));
    return v;
}

std::vector<std::uint8_t> emit(const MacFrame &f) {
    std::vector<std::uint8_t> out(f.emitted_size());
    Status s = f.emit(MutableByteSpan(out.data(), out.size()));
    EXPECT_TRUE(s.ok()) << error_name(s.error());
    return out;
}

}  // namespace

TEST(Ieee802154, FcsIsKermitCrc) {
    const std::uint8_t check[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
    EXPECT_EQ(mac_fcs(check), 0x2189);
}

TEST(Ieee802154, ImmAckBytes) {
    MacFrame ack = MacFrame::imm_ack(0x5a, true);
    std::vector<std::uint8_t> b = emit(ack);
    ASSERT_EQ(b.size(), 5u);
    EXPECT_EQ(b[0], 0x12);
    EXPECT_EQ(b[1], 0x10);
    EXPECT_EQ(b[2], 0x5a);
    Result<MacFrame> f = MacFrame::parse(ByteSpan(b.data(), b.size()));
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->type, MacFrameType::kAck);
    EXPECT_TRUE(f->frame_pending);
    EXPECT_EQ(f->seq, 0x5a);
    EXPECT_TRUE(f->dst.is_none());
}

TEST(Ieee802154, DataFrameFieldByField) {
    // Data, AR, PAN ID compression, dst short, 2006, src extended; seq 0x2a; PAN 0xabcd;
    // dst 0xffff; src 00:11:22:33:44:55:66:77; payload 41 60.
    std::vector<std::uint8_t> b = with_fcs({0x61, 0xd8, 0x2a, 0xcd, 0xab, 0xff, 0xff, 0x77, 0x66,
                                            0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 0x41, 0x60});
    Result<MacFrame> f = MacFrame::parse(ByteSpan(b.data(), b.size()));
    ASSERT_TRUE(f.ok()) << error_name(f.error());
    EXPECT_EQ(f->type, MacFrameType::kData);
    EXPECT_EQ(f->version, MacFrameVersion::k2006);
    EXPECT_TRUE(f->ack_request);
    EXPECT_FALSE(f->frame_pending);
    EXPECT_FALSE(f->security_enabled);
    EXPECT_EQ(f->seq, 0x2a);
    EXPECT_TRUE(f->has_dst_pan);
    EXPECT_EQ(f->dst_pan, 0xabcd);
    EXPECT_FALSE(f->has_src_pan);
    EXPECT_EQ(f->dst, MacAddress::from_short(0xffff));
    EXPECT_TRUE(f->dst.is_broadcast());
    EXPECT_EQ(f->src, MacAddress::from_extended(0x0011223344556677ull));
    std::uint8_t eui[8];
    f->src.to_eui64(eui);
    EXPECT_EQ(eui[0], 0x00);
    EXPECT_EQ(eui[7], 0x77);
    ASSERT_EQ(f->payload.size, 2u);
    EXPECT_EQ(f->payload[0], 0x41);
    EXPECT_EQ(emit(*f), b);
    EXPECT_EQ(f->header_size(), 15u);
}

TEST(Ieee802154, BadFcsRejected) {
    std::vector<std::uint8_t> b = with_fcs({0x41, 0x88, 0x01, 0x34, 0x12, 0xff, 0xff, 0x01, 0x00});
    b.back() ^= 1;
    EXPECT_EQ(MacFrame::parse(ByteSpan(b.data(), b.size())).error(), Error::kChecksum);
}

TEST(Ieee802154, EveryTruncationRejected) {
    MacFrame f;
    f.type = MacFrameType::kData;
    f.version = MacFrameVersion::k2006;
    f.security_enabled = true;
    f.seq = 9;
    f.has_dst_pan = true;
    f.dst_pan = 0xface;
    f.dst = MacAddress::from_extended(0x1122334455667788ull);
    f.has_src_pan = true;
    f.src_pan = 0xbeef;
    f.src = MacAddress::from_extended(0x0102030405060708ull);
    f.security.security_level = 5;
    f.security.key_id_mode = 3;
    f.security.frame_counter = 0x01020304;
    for (int i = 0; i < 8; ++i)
        f.security.key_source[i] = static_cast<std::uint8_t>(i + 1);
    f.security.key_index = 7;
    const std::uint8_t mic[4] = {1, 2, 3, 4};
    f.mic = mic;
    std::vector<std::uint8_t> b = emit(f);
    ASSERT_TRUE(MacFrame::parse(ByteSpan(b.data(), b.size())).ok());
    // Without the FCS: every prefix shorter than header + MIC is rejected.
    ByteSpan mpdu(b.data(), b.size() - 2);
    for (std::size_t n = 0; n < mpdu.size; ++n)
        EXPECT_FALSE(MacFrame::parse_without_fcs(mpdu.subspan(0, n)).ok()) << n;
    EXPECT_TRUE(MacFrame::parse_without_fcs(mpdu).ok());
}

TEST(Ieee802154, AuxSecurityHeaderEveryKeyIdMode) {
    for (std::uint8_t mode = 0; mode < 4; ++mode) {
        for (std::uint8_t level = 0; level < 8; ++level) {
            MacFrame f;
            f.version = MacFrameVersion::k2006;
            f.security_enabled = true;
            f.has_dst_pan = true;
            f.dst_pan = 0x1234;
            f.dst = MacAddress::from_short(0x0001);
            f.src = MacAddress::from_short(0x0002);
            f.security.security_level = level;
            f.security.key_id_mode = mode;
            f.security.frame_counter = 0xdeadbeef;
            for (int i = 0; i < 8; ++i)
                f.security.key_source[i] = static_cast<std::uint8_t>(0xa0 + i);
            f.security.key_index = 0x42;
            std::vector<std::uint8_t> mic(f.security.mic_size(), 0xee);
            f.mic = ByteSpan(mic.data(), mic.size());
            const std::uint8_t pl[] = {0x7f, 0x33};
            f.payload = pl;
            std::vector<std::uint8_t> b = emit(f);
            const std::size_t expect_aux = 5 + (mode == 2 ? 4 : mode == 3 ? 8 : 0) + (mode ? 1 : 0);
            EXPECT_EQ(b.size(), 2 + 1 + 2 + 2 + 2 + expect_aux + 2 + mic.size() + 2);
            EXPECT_EQ(b[9], level | mode << 3);
            Result<MacFrame> p = MacFrame::parse(ByteSpan(b.data(), b.size()));
            ASSERT_TRUE(p.ok());
            EXPECT_EQ(p->security.security_level, level);
            EXPECT_EQ(p->security.key_id_mode, mode);
            EXPECT_EQ(p->security.frame_counter, 0xdeadbeefu);
            if (mode) {
                EXPECT_EQ(p->security.key_index, 0x42);
            }
            if (mode >= 2) {
                EXPECT_EQ(p->security.key_source[0], 0xa0);
            }
            EXPECT_EQ(p->mic.size, mic.size());
            EXPECT_EQ(p->payload.size, 2u);
            EXPECT_TRUE(*p == f);
        }
    }
}

// 2006: compression only with both addresses, then the source PAN is dropped.
TEST(Ieee802154, PanIdCompression2006Exhaustive) {
    const MacAddrMode modes[] = {MacAddrMode::kNone, MacAddrMode::kShort, MacAddrMode::kExtended};
    for (MacFrameVersion v : {MacFrameVersion::k2003, MacFrameVersion::k2006}) {
        for (MacAddrMode dm : modes) {
            for (MacAddrMode sm : modes) {
                for (int comp = 0; comp < 2; ++comp) {
                    std::uint16_t fcf = static_cast<std::uint16_t>(
                        0x0001 | (comp ? 0x40 : 0) | static_cast<int>(dm) << 10 |
                        static_cast<int>(v) << 12 | static_cast<int>(sm) << 14);
                    std::vector<std::uint8_t> b = {static_cast<std::uint8_t>(fcf),
                                                   static_cast<std::uint8_t>(fcf >> 8), 0x01};
                    const bool d = dm != MacAddrMode::kNone, s = sm != MacAddrMode::kNone;
                    const bool exp_dpan = d, exp_span = s && !comp;
                    if (exp_dpan)
                        b.insert(b.end(), {0x34, 0x12});
                    if (dm == MacAddrMode::kShort)
                        b.insert(b.end(), {0x01, 0x00});
                    if (dm == MacAddrMode::kExtended)
                        b.insert(b.end(), 8, 0x11);
                    if (exp_span)
                        b.insert(b.end(), {0x78, 0x56});
                    if (sm == MacAddrMode::kShort)
                        b.insert(b.end(), {0x02, 0x00});
                    if (sm == MacAddrMode::kExtended)
                        b.insert(b.end(), 8, 0x22);
                    b = with_fcs(b);
                    Result<MacFrame> f = MacFrame::parse(ByteSpan(b.data(), b.size()));
                    if (comp && !(d && s)) {
                        EXPECT_EQ(f.error(), Error::kMalformed);
                        continue;
                    }
                    ASSERT_TRUE(f.ok()) << int(dm) << int(sm) << comp;
                    EXPECT_EQ(f->has_dst_pan, exp_dpan);
                    EXPECT_EQ(f->has_src_pan, exp_span);
                    if (exp_dpan) {
                        EXPECT_EQ(f->dst_pan, 0x1234);
                    }
                    if (exp_span) {
                        EXPECT_EQ(f->src_pan, 0x5678);
                    }
                    EXPECT_TRUE(f->payload.empty());
                    EXPECT_EQ(emit(*f), b);
                }
            }
        }
    }
}

// 2015 table 7-2, row by row: (dst mode, src mode, comp) -> (dst PAN, src PAN).
TEST(Ieee802154, PanIdCompression2015Exhaustive) {
    using M = MacAddrMode;
    struct Row {
        M dm, sm;
        int comp;
        bool dpan, span;
    } rows[] = {
        {M::kNone, M::kNone, 0, false, false},        {M::kNone, M::kNone, 1, true, false},
        {M::kShort, M::kNone, 0, true, false},        {M::kExtended, M::kNone, 0, true, false},
        {M::kShort, M::kNone, 1, false, false},       {M::kExtended, M::kNone, 1, false, false},
        {M::kNone, M::kShort, 0, false, true},        {M::kNone, M::kExtended, 0, false, true},
        {M::kNone, M::kShort, 1, false, false},       {M::kNone, M::kExtended, 1, false, false},
        {M::kExtended, M::kExtended, 0, true, false}, {M::kExtended, M::kExtended, 1, false, false},
        {M::kShort, M::kShort, 0, true, true},        {M::kShort, M::kExtended, 0, true, true},
        {M::kExtended, M::kShort, 0, true, true},     {M::kShort, M::kExtended, 1, true, false},
        {M::kExtended, M::kShort, 1, true, false},    {M::kShort, M::kShort, 1, true, false},
    };
    for (const Row &row : rows) {
        std::uint16_t fcf = static_cast<std::uint16_t>(0x0001 | (row.comp ? 0x40 : 0) |
                                                       static_cast<int>(row.dm) << 10 | 2 << 12 |
                                                       static_cast<int>(row.sm) << 14);
        std::vector<std::uint8_t> b = {static_cast<std::uint8_t>(fcf),
                                       static_cast<std::uint8_t>(fcf >> 8), 0x07};
        if (row.dpan)
            b.insert(b.end(), {0x34, 0x12});
        if (row.dm == M::kShort)
            b.insert(b.end(), {0x01, 0x00});
        if (row.dm == M::kExtended)
            b.insert(b.end(), 8, 0x11);
        if (row.span)
            b.insert(b.end(), {0x78, 0x56});
        if (row.sm == M::kShort)
            b.insert(b.end(), {0x02, 0x00});
        if (row.sm == M::kExtended)
            b.insert(b.end(), 8, 0x22);
        b.push_back(0xaa);  // one payload byte makes a wrong layout visible
        b = with_fcs(b);
        Result<MacFrame> f = MacFrame::parse(ByteSpan(b.data(), b.size()));
        ASSERT_TRUE(f.ok());
        EXPECT_EQ(f->has_dst_pan, row.dpan) << int(row.dm) << int(row.sm) << row.comp;
        EXPECT_EQ(f->has_src_pan, row.span) << int(row.dm) << int(row.sm) << row.comp;
        ASSERT_EQ(f->payload.size, 1u);
        EXPECT_EQ(f->payload[0], 0xaa);
        EXPECT_EQ(*f->pan_id_compression(), row.comp != 0);
        EXPECT_EQ(emit(*f), b);
    }
    // A combination the table cannot express is refused at emission.
    MacFrame f;
    f.version = MacFrameVersion::k2015;
    f.dst = MacAddress::from_extended(1);
    f.src = MacAddress::from_extended(2);
    f.has_dst_pan = true;
    f.has_src_pan = true;
    std::uint8_t buf[64];
    EXPECT_EQ(f.emit(buf).error(), Error::kInvalidArgument);
}

TEST(Ieee802154, EnhAckWithCslHeaderIe) {
    std::uint8_t ies[16];
    ByteWriter w(ies);
    const std::uint8_t csl[] = {0x10, 0x00, 0xe8, 0x03};
    HeaderIeList::emit(w, static_cast<std::uint8_t>(HeaderIeId::kCsl), csl);
    MacFrame f;
    f.type = MacFrameType::kAck;
    f.version = MacFrameVersion::k2015;
    f.seq = 3;
    f.dst = MacAddress::from_extended(0x1122334455667788ull);
    f.has_dst_pan = true;
    f.dst_pan = 0xface;
    f.header_ies = w.written();
    std::vector<std::uint8_t> b = emit(f);
    // fcf: ack, IE present, dst ext, 2015
    EXPECT_EQ(b[0], 0x02);
    EXPECT_EQ(b[1], 0x2e);
    Result<MacFrame> p = MacFrame::parse(ByteSpan(b.data(), b.size()));
    ASSERT_TRUE(p.ok());
    Result<HeaderIeList> l = HeaderIeList::parse(p->header_ies);
    ASSERT_TRUE(l.ok());
    HeaderIe ie;
    ASSERT_TRUE(l->find(0x1a, &ie));
    Result<CslIe> c = CslIe::parse(ie.content);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->phase, 0x10);
    EXPECT_EQ(c->period, 1000);
}

TEST(Ieee802154, HeaderAndPayloadIesWithPayload) {
    std::uint8_t hies[16], pies[16];
    ByteWriter hw(hies), pw(pies);
    const std::uint8_t vendor[] = {0x9b, 0xb8, 0xea, 0x01};
    HeaderIeList::emit(hw, 0x00, vendor);
    const std::uint8_t mlme[] = {0x01, 0x02, 0x03};
    PayloadIeList::emit(pw, static_cast<std::uint8_t>(PayloadIeGroup::kMlme), mlme);
    const std::uint8_t pl[] = {0xde, 0xad};
    MacFrame f;
    f.version = MacFrameVersion::k2015;
    f.seq_suppressed = true;
    f.dst = MacAddress::from_short(1);
    f.src = MacAddress::from_short(2);
    f.has_dst_pan = true;
    f.dst_pan = 7;
    f.header_ies = hw.written();
    f.payload_ies = pw.written();
    f.payload = pl;
    std::vector<std::uint8_t> b = emit(f);
    Result<MacFrame> p = MacFrame::parse(ByteSpan(b.data(), b.size()));
    ASSERT_TRUE(p.ok()) << error_name(p.error());
    EXPECT_TRUE(*p == f);
    int n = 0;
    PayloadIeList::parse(p->payload_ies)->for_each([&](const PayloadIe &ie) {
        EXPECT_EQ(ie.group, 1);
        EXPECT_EQ(ie.content.size, 3u);
        ++n;
    });
    EXPECT_EQ(n, 1);
    // Only header IEs and payload: HT2 separates them.
    f.payload_ies = ByteSpan();
    b = emit(f);
    p = MacFrame::parse(ByteSpan(b.data(), b.size()));
    ASSERT_TRUE(p.ok());
    EXPECT_TRUE(*p == f);
    EXPECT_EQ(b[b.size() - 6], 0x80);  // HT2 descriptor 0x3f80, little-endian
    EXPECT_EQ(b[b.size() - 5], 0x3f);
}

TEST(Ieee802154, ReservedCombinationsRejected) {
    // IE present in a 2006 frame.
    std::vector<std::uint8_t> b = with_fcs({0x01, 0x12, 0x00});
    EXPECT_EQ(MacFrame::parse(ByteSpan(b.data(), b.size())).error(), Error::kMalformed);
    // Reserved address mode 1.
    b = with_fcs({0x01, 0x14, 0x00, 0x00, 0x00});
    EXPECT_EQ(MacFrame::parse(ByteSpan(b.data(), b.size())).error(), Error::kMalformed);
    // Frame version 3.
    b = with_fcs({0x01, 0x30, 0x00});
    EXPECT_EQ(MacFrame::parse(ByteSpan(b.data(), b.size())).error(), Error::kUnsupported);
}

TEST(Ieee802154, BeaconAndThreadBeaconPayload) {
    std::vector<std::uint8_t> pl = {0xff, 0xcf, 0x00, 0x00, 0x03, 0x21};
    const char name[16] = "OpenThread";
    pl.insert(pl.end(), name, name + 16);
    for (int i = 0; i < 8; ++i)
        pl.push_back(static_cast<std::uint8_t>(0xd0 + i));
    MacFrame f;
    f.type = MacFrameType::kBeacon;
    f.version = MacFrameVersion::k2006;
    f.has_src_pan = true;
    f.src_pan = 0xface;
    f.src = MacAddress::from_extended(0x1);
    f.payload = ByteSpan(pl.data(), pl.size());
    std::vector<std::uint8_t> b = emit(f);
    Result<MacFrame> p = MacFrame::parse(ByteSpan(b.data(), b.size()));
    ASSERT_TRUE(p.ok());
    Result<BeaconPayload> bp = BeaconPayload::parse(p->payload);
    ASSERT_TRUE(bp.ok());
    EXPECT_EQ(bp->beacon_order(), 15);
    EXPECT_EQ(bp->superframe_order(), 15);
    EXPECT_TRUE(bp->pan_coordinator());
    EXPECT_TRUE(bp->association_permit());
    Result<ThreadBeacon> tb = ThreadBeacon::parse(bp->beacon_payload);
    ASSERT_TRUE(tb.ok());
    EXPECT_STREQ(tb->network_name, "OpenThread");
    EXPECT_EQ(tb->extended_pan_id[7], 0xd7);
    std::uint8_t out[64];
    ASSERT_TRUE(bp->emit(MutableByteSpan(out, bp->emitted_size())).ok());
    EXPECT_TRUE(ByteSpan(out, bp->emitted_size()).equals(p->payload));
}

TEST(Ieee802154, EmitNeverOverflows) {
    MacFrame f;
    f.dst = MacAddress::from_extended(1);
    f.has_dst_pan = true;
    const std::uint8_t pl[40] = {};
    f.payload = pl;
    std::uint8_t buf[128];
    std::memset(buf, 0xcc, sizeof buf);
    for (std::size_t n = 0; n < f.emitted_size(); ++n) {
        EXPECT_FALSE(f.emit(MutableByteSpan(buf, n)).ok());
        EXPECT_EQ(buf[n], 0xcc);
    }
    EXPECT_TRUE(f.emit(MutableByteSpan(buf, f.emitted_size())).ok());
}

// MAC command frames (2006 7.3): a beacon request (broadcast, no source, 2006 7.3.7) and a data
// request from an extended source with PAN ID compression (7.3.4), byte for byte both ways.
TEST(Ieee802154, MacCommandFrames) {
    const std::vector<std::uint8_t> beacon_req =
        with_fcs({0x03, 0x08, 0x21, 0xff, 0xff, 0xff, 0xff, 0x07});
    Result<MacFrame> f = MacFrame::parse(ByteSpan(beacon_req.data(), beacon_req.size()));
    ASSERT_TRUE(f.ok()) << error_name(f.error());
    EXPECT_EQ(f->type, MacFrameType::kMacCommand);
    EXPECT_EQ(f->version, MacFrameVersion::k2003);
    EXPECT_FALSE(f->ack_request);
    EXPECT_EQ(f->seq, 0x21);
    EXPECT_TRUE(f->has_dst_pan);
    EXPECT_EQ(f->dst_pan, 0xffff);
    EXPECT_EQ(f->dst, MacAddress::from_short(MacAddress::kBroadcastShort));
    EXPECT_FALSE(f->has_src_pan);
    EXPECT_EQ(f->src, MacAddress::none());
    std::uint8_t id = 0;
    ASSERT_TRUE(f->command_id(&id));
    EXPECT_EQ(id, static_cast<std::uint8_t>(MacCommandId::kBeaconRequest));
    EXPECT_EQ(emit(*f), beacon_req);

    MacFrame dr;
    dr.type = MacFrameType::kMacCommand;
    dr.version = MacFrameVersion::k2006;
    dr.ack_request = true;
    dr.seq = 0x80;
    dr.has_dst_pan = true;
    dr.dst_pan = 0xface;
    dr.dst = MacAddress::from_short(0x0000);
    dr.src = MacAddress::from_extended(0x1122334455667788ull);
    const std::uint8_t cmd[] = {static_cast<std::uint8_t>(MacCommandId::kDataRequest)};
    dr.payload = ByteSpan(cmd);
    const std::vector<std::uint8_t> expect =
        with_fcs({0x63, 0xd8, 0x80, 0xce, 0xfa, 0x00, 0x00, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33,
                  0x22, 0x11, 0x04});
    const std::vector<std::uint8_t> b = emit(dr);
    EXPECT_EQ(b, expect);
    Result<MacFrame> g = MacFrame::parse(ByteSpan(b.data(), b.size()));
    ASSERT_TRUE(g.ok()) << error_name(g.error());
    EXPECT_TRUE(*g == dr);
    EXPECT_FALSE(g->has_src_pan);  // compressed: the source shares the destination PAN
    ASSERT_TRUE(g->command_id(&id));
    EXPECT_EQ(id, static_cast<std::uint8_t>(MacCommandId::kDataRequest));

    // In a 2015 secured command frame the command ID is encrypted, so it is not reported.
    MacFrame sec = dr;
    sec.version = MacFrameVersion::k2015;
    sec.security_enabled = true;
    EXPECT_FALSE(sec.command_id(&id));
    // A data frame has no command ID.
    MacFrame data = dr;
    data.type = MacFrameType::kData;
    EXPECT_FALSE(data.command_id(&id));
}
