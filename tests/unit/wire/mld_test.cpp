// MLDv2 (RFC 3810) and MLDv1 (RFC 2710) messages.
#include "wire/Mld.h"

#include <gtest/gtest.h>

#include "WireIpTestUtil.h"

using namespace meshwork;
using namespace meshwork::wire;
using namespace wiretest;

namespace {

// MLDv2 report from fe80::212:4b00:0:2 to ff02::16: one CHANGE_TO_EXCLUDE({}) record for
// ff02::1:ff00:2 (a join). tshark reports checksum 0x23f3 correct.
const Bytes kReport = hex("8f 00 23f3 0000 0001 | 04 00 0000 ff0200000000000000000001ff000002");
const PseudoHeader kReportPh{A("fe80::212:4b00:0:2"), A("ff02::16")};

TEST(Mld, V2Report) {
    auto m = MldMessage::parse(span(kReport), &kReportPh);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->type, MldType::kV2Report);
    ASSERT_EQ(m->record_count, 1);
    EXPECT_EQ(m->records[0].type, MldRecordType::kChangeToExclude);
    EXPECT_EQ(m->records[0].group, A("ff02::1:ff00:2"));
    EXPECT_EQ(m->records[0].source_count, 0);
    Bytes out(m->emitted_size());
    ASSERT_TRUE(m->emit(MutableByteSpan(out.data(), out.size()), kReportPh).ok());
    EXPECT_EQ(out, kReport);
    expect_prefixes_rejected(kReport, [](ByteSpan b) { return MldMessage::parse(b); });
}

TEST(Mld, V2ReportWithSourcesAndAuxData) {
    // Two records; the first has one source and one word of aux data (skipped).
    const Bytes b =
        hex("8f 00 0000 0000 0002"
            "01 01 0001 ff0e0000000000000000000000000123 20010db8000000000000000000000001 aabbccdd"
            "03 00 0000 ff0e0000000000000000000000000456");
    auto m = MldMessage::parse(span(b));
    ASSERT_TRUE(m.ok());
    ASSERT_EQ(m->record_count, 2);
    EXPECT_EQ(m->records[0].type, MldRecordType::kModeIsInclude);
    ASSERT_EQ(m->records[0].source_count, 1);
    EXPECT_EQ(m->records[0].sources[0], A("2001:db8::1"));
    EXPECT_EQ(m->records[1].group, A("ff0e::456"));
    Bytes out(m->emitted_size());
    EXPECT_EQ(out.size(), b.size() - 4);  // aux data is not re-emitted
    ASSERT_TRUE(m->emit(MutableByteSpan(out.data(), out.size()), kReportPh).ok());
    auto back = MldMessage::parse(span(out), &kReportPh);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, *m);
}

// MLDv2 general query: max response code 10000, QRV 2, QQIC 125. Checksum 0x0984 correct.
const Bytes kQuery = hex("82 00 0984 2710 0000 00000000000000000000000000000000 02 7d 0000");
const PseudoHeader kQueryPh{A("fe80::212:4b00:0:1"), A("ff02::1")};

TEST(Mld, V2GeneralQuery) {
    auto m = MldMessage::parse(span(kQuery), &kQueryPh);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->type, MldType::kQuery);
    EXPECT_FALSE(m->v1);
    EXPECT_EQ(m->max_response_code, 10000);
    EXPECT_EQ(m->max_response_delay_ms(), 10000u);
    EXPECT_TRUE(m->group.is_unspecified());
    EXPECT_EQ(m->qrv(), 2);
    EXPECT_FALSE(m->suppress());
    EXPECT_EQ(m->qqic, 125);
    EXPECT_EQ(m->source_count, 0);
    Bytes out(m->emitted_size());
    ASSERT_TRUE(m->emit(MutableByteSpan(out.data(), out.size()), kQueryPh).ok());
    EXPECT_EQ(out, kQuery);
    // 24 bytes is an MLDv1 query; 25..27 is neither.
    expect_prefixes_rejected(kQuery, [](ByteSpan b) { return MldMessage::parse(b); }, {24});
}

TEST(Mld, V1QueryAndExponentialCode) {
    auto m = MldMessage::parse(prefix(kQuery, 24));
    ASSERT_TRUE(m.ok());
    EXPECT_TRUE(m->v1);
    MldMessage q;
    q.type = MldType::kQuery;
    q.max_response_code = 0x8000 | (1 << 12) | 0x0234;  // exp 1, mant 0x234
    EXPECT_EQ(q.max_response_delay_ms(), (0x234u | 0x1000u) << 4);
}

TEST(Mld, SourceSpecificQuery) {
    MldMessage q;
    q.type = MldType::kQuery;
    q.group = A("ff3e::8000:1");
    q.flags = MldMessage::kFlagSuppress | 2;
    q.source_count = 2;
    q.sources[0] = A("2001:db8::1");
    q.sources[1] = A("2001:db8::2");
    Bytes out(q.emitted_size());
    EXPECT_EQ(out.size(), 28u + 32u);
    ASSERT_TRUE(q.emit(MutableByteSpan(out.data(), out.size()), kQueryPh).ok());
    auto back = MldMessage::parse(span(out), &kQueryPh);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, q);
    EXPECT_TRUE(back->suppress());
    expect_prefixes_rejected(out, [](ByteSpan b) { return MldMessage::parse(b); }, {24});
}

TEST(Mld, CapsReported) {
    Bytes b = hex("8f 00 0000 0000 0009");  // 9 records > kMaxRecords
    EXPECT_EQ(MldMessage::parse(span(b)).error(), Error::kUnsupported);
    EXPECT_EQ(MldMessage::parse(span(hex("8e 00 0000 0000"))).error(), Error::kUnsupported);
}

}  // namespace
