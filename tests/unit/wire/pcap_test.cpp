#include <gtest/gtest.h>

#include <vector>

#include "wire/Ieee802154.h"
#include "wire/Pcap.h"

using namespace meshwork;
using namespace meshwork::wire;

TEST(Pcap, FileHeaderBytes) {
    PcapFileHeader h;
    h.link_type = 283;
    std::uint8_t b[24];
    ASSERT_TRUE(h.emit(b).ok());
    const std::uint8_t expect[] = {0xd4, 0xc3, 0xb2, 0xa1, 2,    0,    4, 0, 0,    0,    0, 0,
                                   0,    0,    0,    0,    0xff, 0xff, 0, 0, 0x1b, 0x01, 0, 0};
    EXPECT_TRUE(ByteSpan(b).equals(ByteSpan(expect)));
    Result<PcapFileHeader> p = PcapFileHeader::parse(b);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->link_type, 283u);
    EXPECT_FALSE(p->swapped);
    EXPECT_EQ(PcapFileHeader::parse(ByteSpan(b, 23)).error(), Error::kTruncated);
    b[0] = 0;
    EXPECT_EQ(PcapFileHeader::parse(b).error(), Error::kMalformed);
}

TEST(Pcap, TapRecordRoundTrip) {
    MacFrame f = MacFrame::imm_ack(7, false);
    std::uint8_t psdu[5];
    ASSERT_TRUE(f.emit(psdu).ok());
    TapHeader tap;
    tap.has_rss = true;
    tap.rss_dbm = -20.5f;
    tap.has_channel = true;
    tap.channel = 15;
    tap.has_lqi = true;
    tap.lqi = 200;
    std::vector<std::uint8_t> file(24 + pcap_record_size(PcapLinkType::kIeee802154Tap, 5, &tap));
    PcapFileHeader h;
    ASSERT_TRUE(h.emit(MutableByteSpan(file.data(), 24)).ok());
    std::size_t n = 0;
    ASSERT_TRUE(pcap_emit_record(PcapLinkType::kIeee802154Tap, 1500000123456ull, psdu, &tap,
                                 MutableByteSpan(file.data() + 24, file.size() - 24), &n)
                    .ok());
    EXPECT_EQ(24 + n, file.size());
    // TAP header: version 0, reserved, length 36 (4 + 4 TLVs of 8).
    EXPECT_EQ(file[24 + 16], 0);
    EXPECT_EQ(file[24 + 18], 36);
    Result<PcapReader> r = PcapReader::parse(ByteSpan(file.data(), file.size()));
    ASSERT_TRUE(r.ok());
    PcapRecord rec;
    Result<bool> more = r->next(&rec);
    ASSERT_TRUE(more.ok());
    ASSERT_TRUE(*more);
    EXPECT_EQ(rec.timestamp_ns, 1500000123000ull);  // microsecond file
    Result<PcapMacFrame> mf = pcap_mac_frame(283, rec.data);
    ASSERT_TRUE(mf.ok());
    EXPECT_TRUE(mf->has_fcs);
    EXPECT_EQ(mf->tap.channel, 15);
    EXPECT_FLOAT_EQ(mf->tap.rss_dbm, -20.5f);
    EXPECT_EQ(mf->tap.lqi, 200);
    EXPECT_TRUE(mf->frame.equals(ByteSpan(psdu)));
    more = r->next(&rec);
    ASSERT_TRUE(more.ok());
    EXPECT_FALSE(*more);
    // A truncated last record is an error, not a crash.
    Result<PcapReader> r2 = PcapReader::parse(ByteSpan(file.data(), file.size() - 1));
    ASSERT_TRUE(r2.ok());
    EXPECT_EQ(r2->next(&rec).error(), Error::kTruncated);
}

TEST(Pcap, NoFcsStripsTwoBytes) {
    const std::uint8_t psdu[] = {0x02, 0x10, 0x05, 0xaa, 0xbb};
    std::uint8_t out[64];
    std::size_t n = 0;
    ASSERT_TRUE(pcap_emit_record(PcapLinkType::kIeee802154NoFcs, 0, psdu, nullptr, out, &n).ok());
    EXPECT_EQ(n, 16u + 3);
    EXPECT_EQ(out[8], 3);
    EXPECT_EQ(pcap_emit_record(PcapLinkType::kIeee802154WithFcs, 0, psdu, nullptr,
                               MutableByteSpan(out, 20), &n)
                  .error(),
              Error::kNoSpace);
    EXPECT_EQ(pcap_emit_record(PcapLinkType::kIeee802154Tap, 0, psdu, nullptr, out, &n).error(),
              Error::kInvalidArgument);
}

// A nanosecond capture (magic 0xa1b23c4d) keeps the full timestamp; the record writer must
// write the fraction in the unit the file header announces.
TEST(Pcap, NanosecondCaptureKeepsNanoseconds) {
    const std::uint8_t psdu[] = {0x02, 0x00, 0x07, 0x00, 0x00};
    PcapFileHeader h;
    h.link_type = static_cast<std::uint32_t>(PcapLinkType::kIeee802154WithFcs);
    h.nanosecond = true;
    std::vector<std::uint8_t> file(24 +
                                   pcap_record_size(PcapLinkType::kIeee802154WithFcs, 5, nullptr));
    ASSERT_TRUE(h.emit(MutableByteSpan(file.data(), 24)).ok());
    EXPECT_EQ(file[0], 0x4d);  // little-endian 0xa1b23c4d
    EXPECT_EQ(file[1], 0x3c);
    std::size_t n = 0;
    ASSERT_TRUE(pcap_emit_record(PcapLinkType::kIeee802154WithFcs, 1700000000123456789ull, psdu,
                                 nullptr, MutableByteSpan(file.data() + 24, file.size() - 24), &n,
                                 true)
                    .ok());
    EXPECT_EQ(file[24 + 4], 0x15);  // 123456789 = 0x075bcd15, little-endian
    EXPECT_EQ(file[24 + 7], 0x07);
    Result<PcapReader> r = PcapReader::parse(ByteSpan(file.data(), file.size()));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->header().nanosecond);
    PcapRecord rec;
    Result<bool> more = r->next(&rec);
    ASSERT_TRUE(more.ok() && *more);
    EXPECT_EQ(rec.timestamp_ns, 1700000000123456789ull);
    EXPECT_TRUE(rec.data.equals(ByteSpan(psdu)));
}
