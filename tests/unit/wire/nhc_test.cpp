#include <gtest/gtest.h>

#include "wire/LowpanNhc.h"

using namespace meshwork;
using namespace meshwork::wire;

TEST(Nhc, UdpEveryPortForm) {
    struct Case {
        std::uint16_t s, d;
        std::uint8_t mode;
        std::size_t size;
    } cases[] = {{1, 2, 0, 7}, {1, 0xf0aa, 1, 6}, {0xf0aa, 2, 2, 6}, {0xf0b3, 0xf0bc, 3, 4}};
    for (const Case &k : cases) {
        UdpNhc u;
        u.src_port = k.s;
        u.dst_port = k.d;
        u.checksum = 0xabcd;
        u.port_mode = UdpNhc::best_port_mode(k.s, k.d);
        EXPECT_EQ(u.port_mode, k.mode);
        EXPECT_EQ(u.emitted_size(), k.size);
        std::uint8_t buf[8];
        ByteWriter w{MutableByteSpan(buf)};
        ASSERT_TRUE(u.emit(w).ok());
        EXPECT_EQ(w.offset(), k.size);
        EXPECT_EQ(buf[0], 0xf0 | k.mode);
        ByteReader r(ByteSpan(buf, k.size));
        Result<UdpNhc> p = UdpNhc::parse(r);
        ASSERT_TRUE(p.ok());
        EXPECT_EQ(p->src_port, k.s);
        EXPECT_EQ(p->dst_port, k.d);
        EXPECT_EQ(p->checksum, 0xabcd);
        for (std::size_t n = 0; n < k.size; ++n) {
            ByteReader rn(ByteSpan(buf, n));
            EXPECT_FALSE(UdpNhc::parse(rn).ok());
        }
    }
    // A mode that cannot express the ports is refused.
    UdpNhc u;
    u.src_port = 1;
    u.dst_port = 2;
    u.port_mode = 3;
    std::uint8_t buf[8];
    ByteWriter w{MutableByteSpan(buf)};
    EXPECT_EQ(u.emit(w).error(), Error::kInvalidArgument);
}

TEST(Nhc, ExtensionHeaderForms) {
    const std::uint8_t data[] = {0x63, 0x04, 0, 1, 2, 0};
    ExtHeaderNhc e;
    e.eid = ExtHeaderNhc::kDestOpts;
    e.next_header_compressed = false;
    e.next_header = 58;
    e.data = data;
    std::uint8_t buf[16];
    ByteWriter w{MutableByteSpan(buf)};
    ASSERT_TRUE(e.emit(w).ok());
    EXPECT_EQ(buf[0], 0xe6);
    EXPECT_EQ(buf[1], 58);
    EXPECT_EQ(buf[2], 6);
    ByteReader r(w.written());
    Result<ExtHeaderNhc> p = ExtHeaderNhc::parse(r);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->eid, ExtHeaderNhc::kDestOpts);
    EXPECT_EQ(p->next_header, 58);
    EXPECT_TRUE(p->data.equals(ByteSpan(data)));
    // EIDs 5 and 6 are reserved.
    const std::uint8_t res[] = {0xea, 0, 0};
    ByteReader rr{ByteSpan(res)};
    EXPECT_EQ(ExtHeaderNhc::parse(rr).error(), Error::kUnsupported);
    EXPECT_EQ(ExtHeaderNhc::protocol_of(ExtHeaderNhc::kRouting), 43);
    EXPECT_EQ(ExtHeaderNhc::eid_of(60), ExtHeaderNhc::kDestOpts);
    EXPECT_EQ(ExtHeaderNhc::eid_of(58), -1);
}
