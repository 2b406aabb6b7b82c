// Same seed, same bytes (ARCHITECTURE rule 2): a lossy, reordering, duplicating, jittery
// segment captured to pcap twice with one seed gives identical files; another seed does not.
#include <gtest/gtest.h>

#include "LossyScenario.h"
#include "testbed/PcapWriter.h"
#include "wire/Pcap.h"

namespace meshwork::sim {
namespace {

using namespace testkit;

TEST(PcapWriter, WritesTheClassicHeaderAndEachRecordByteForByte) {
    testbed::PcapWriter w;
    const std::vector<std::uint8_t> header = {
        0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0,  // magic (microseconds), version 2.4
        0,    0,    0,    0,    0, 0, 0, 0,  // thiszone, sigfigs
        0xff, 0xff, 0,    0,    1, 0, 0, 0,  // snaplen 65535, LINKTYPE_ETHERNET
    };
    EXPECT_EQ(w.bytes(), header);
    const std::vector<std::uint8_t> f = frame(EthernetAddress::broadcast(), mac(1), 5, 20);
    w.record_frame(at_us(3000001), LinkDirection::kTransmit, span(f));
    std::vector<std::uint8_t> expected = header;
    for (std::uint8_t b : {3, 0, 0, 0, 1, 0, 0, 0, 20, 0, 0, 0, 20, 0, 0, 0})
        expected.push_back(b);  // 3 s + 1 us, captured and original length 20
    expected.insert(expected.end(), f.begin(), f.end());
    EXPECT_EQ(w.bytes(), expected);
    EXPECT_EQ(w.frames(), 1u);

    testbed::PcapWriter nano(wire::PcapLinkType::kEthernet, true);
    EXPECT_EQ(nano.bytes()[0], 0x4d);  // 0xa1b23c4d
    nano.record_frame(at_us(1), LinkDirection::kReceive, span(f));
    EXPECT_EQ(nano.bytes()[24 + 4], 0xe8);  // 1000 ns = 0x3e8
    EXPECT_EQ(nano.bytes()[24 + 5], 0x03);
    // A frame the link type cannot hold is counted, not written.
    const std::uint8_t one[] = {1};
    nano.record_frame(at_us(2), LinkDirection::kReceive, ByteSpan(one));
    EXPECT_EQ(nano.failures(), 1u);
    EXPECT_EQ(nano.frames(), 1u);
    EXPECT_EQ(nano.bytes().size(), 24u + 16 + 20);
}

TEST(SameSeed, TwoRunsOfALossyScenarioGiveByteIdenticalCaptures) {
    testbed::PcapWriter first, second, other;
    const LossyScenarioResult r1 = run_lossy_scenario(7, first);
    const LossyScenarioResult r2 = run_lossy_scenario(7, second);
    const LossyScenarioResult r3 = run_lossy_scenario(8, other);

    // The faults did happen.
    EXPECT_GT(r1.dropped, 0u);
    EXPECT_GT(r1.duplicated, 0u);
    EXPECT_GT(r1.reordered, 0u);
    EXPECT_EQ(r1.sent, 600u);
    EXPECT_EQ(first.frames(), r1.sent - r1.dropped + r1.duplicated);
    EXPECT_EQ(first.failures(), 0u);

    EXPECT_EQ(first.bytes(), second.bytes());
    EXPECT_EQ(r1.received, r2.received);
    EXPECT_EQ(r3.sent, 600u);
    EXPECT_NE(first.bytes(), other.bytes());

    // The capture reads back: Ethernet, every frame, timestamps in order.
    auto reader = wire::PcapReader::parse(ByteSpan(first.bytes().data(), first.bytes().size()));
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ(reader->header().link_type, 1u);
    std::uint64_t n = 0;
    std::uint64_t last_ns = 0;
    wire::PcapRecord rec;
    for (;;) {
        auto more = reader->next(&rec);
        ASSERT_TRUE(more.ok());
        if (!*more)
            break;
        ++n;
        EXPECT_GE(rec.timestamp_ns, last_ns);
        last_ns = rec.timestamp_ns;
        EXPECT_EQ(rec.original_length, rec.data.size);
        EXPECT_GE(rec.data.size, 60u);
    }
    EXPECT_EQ(n, first.frames());
}

TEST(SameSeed, NanosecondCapturesCarryTheSameInstants) {
    testbed::PcapWriter micro;
    testbed::PcapWriter nano(wire::PcapLinkType::kEthernet, true);
    run_lossy_scenario(7, micro, 20);
    run_lossy_scenario(7, nano, 20);
    auto a = wire::PcapReader::parse(ByteSpan(micro.bytes().data(), micro.bytes().size()));
    auto b = wire::PcapReader::parse(ByteSpan(nano.bytes().data(), nano.bytes().size()));
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_TRUE(b->header().nanosecond);
    wire::PcapRecord ra, rb;
    std::uint64_t n = 0;
    while (*a->next(&ra)) {
        ASSERT_TRUE(*b->next(&rb));
        EXPECT_EQ(ra.timestamp_ns, rb.timestamp_ns);
        EXPECT_TRUE(ra.data.equals(rb.data));
        ++n;
    }
    EXPECT_EQ(n, micro.frames());
    EXPECT_GT(n, 0u);
}

}  // namespace
}  // namespace meshwork::sim
