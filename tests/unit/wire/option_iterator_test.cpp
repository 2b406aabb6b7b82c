// The generic option walker shared by IPv6 options, RPL, ND and TCP.
#include "wire/OptionIterator.h"

#include <gtest/gtest.h>

#include <vector>

#include "WireIpTestUtil.h"

using namespace meshwork;
using namespace meshwork::wire;
using namespace wiretest;

namespace {

TEST(OptionIterator, Ip6Format) {
    const Bytes b = hex("00 01 02 aaaa 63 04 00010080");
    OptionIterator it(span(b), kIp6OptionFormat);
    Option o;
    ASSERT_TRUE(it.next(o));
    EXPECT_EQ(o.type, 0);
    EXPECT_EQ(o.value.size, 0u);
    EXPECT_EQ(o.whole.size, 1u);
    ASSERT_TRUE(it.next(o));
    EXPECT_EQ(o.type, 1);
    EXPECT_EQ(o.value.size, 2u);
    ASSERT_TRUE(it.next(o));
    EXPECT_EQ(o.type, 0x63);
    EXPECT_EQ(o.value.size, 4u);
    EXPECT_EQ(o.value[3], 0x80);
    EXPECT_FALSE(it.next(o));
    EXPECT_EQ(it.error(), Error::kOk);
    EXPECT_FALSE(it.next(o));  // stays at the end
}

TEST(OptionIterator, Truncated) {
    EXPECT_EQ(OptionIterator::validate(span(hex("01")), kIp6OptionFormat), Error::kTruncated);
    EXPECT_EQ(OptionIterator::validate(span(hex("01 03 0000")), kIp6OptionFormat),
              Error::kTruncated);
    EXPECT_EQ(OptionIterator::validate(span(hex("01 02 0000")), kIp6OptionFormat), Error::kOk);
    EXPECT_EQ(OptionIterator::validate(ByteSpan(), kIp6OptionFormat), Error::kOk);
}

TEST(OptionIterator, NdFormat) {
    EXPECT_EQ(OptionIterator::validate(span(hex("01 00 000000000000")), kNdOptionFormat),
              Error::kMalformed);
    EXPECT_EQ(OptionIterator::validate(span(hex("01 01 000000000000")), kNdOptionFormat),
              Error::kOk);
    EXPECT_EQ(OptionIterator::validate(span(hex("01 02 000000000000")), kNdOptionFormat),
              Error::kTruncated);
    // No Pad1 in ND: a lone 0 byte is a truncated option.
    EXPECT_EQ(OptionIterator::validate(span(hex("00")), kNdOptionFormat), Error::kTruncated);
}

TEST(OptionIterator, TcpFormat) {
    const Bytes b = hex("01 01 02 04 05b4 00 99 99");
    OptionIterator it(span(b), kTcpOptionFormat);
    Option o;
    ASSERT_TRUE(it.next(o));
    EXPECT_EQ(o.type, 1);
    ASSERT_TRUE(it.next(o));
    EXPECT_EQ(o.type, 1);
    ASSERT_TRUE(it.next(o));
    EXPECT_EQ(o.type, 2);
    EXPECT_EQ(o.value.size, 2u);
    EXPECT_FALSE(it.next(o));  // EOL
    EXPECT_EQ(it.error(), Error::kOk);
    EXPECT_EQ(OptionIterator::validate(span(hex("02 01")), kTcpOptionFormat), Error::kMalformed);
    EXPECT_EQ(OptionIterator::validate(span(hex("02 00")), kTcpOptionFormat), Error::kMalformed);
}

TEST(OptionIterator, Ip6Padding) {
    for (std::size_t n : {0, 1, 2, 3, 7, 8, 257, 258, 259, 600}) {
        Bytes out(n + 1, 0xee);
        ByteWriter w(MutableByteSpan(out.data(), out.size()));
        write_ip6_padding(w, n);
        EXPECT_EQ(w.offset(), n);
        EXPECT_EQ(out[n], 0xee);
        EXPECT_EQ(OptionIterator::validate(prefix(out, n), kIp6OptionFormat), Error::kOk);
    }
}

TEST(OptionRange, IteratesAValidatedList) {
    const Bytes b = hex("00 01 02 aaaa 63 04 00010080");
    OptionRange<Option> r(span(b), kIp6OptionFormat);
    EXPECT_EQ(r.count(), 3u);
    EXPECT_FALSE(r.empty());
    std::vector<std::uint8_t> types;
    std::vector<std::size_t> sizes;
    for (Option o : r) {
        types.push_back(o.type);
        sizes.push_back(o.whole.size);
    }
    EXPECT_EQ(types, (std::vector<std::uint8_t>{0, 1, 0x63}));
    EXPECT_EQ(sizes, (std::vector<std::size_t>{1, 4, 6}));
    // Two ranges over the same bytes agree on positions; begin() != end() until the end.
    OptionRange<Option> again(span(b), kIp6OptionFormat);
    EXPECT_TRUE(r.begin() == again.begin());
    EXPECT_TRUE(r.end() == again.end());
    EXPECT_TRUE(r.begin() != r.end());
    // Empty and default ranges iterate nothing; a list that stops being valid stops iterating.
    EXPECT_EQ(OptionRange<Option>().count(), 0u);
    EXPECT_TRUE(OptionRange<Option>().begin() == OptionRange<Option>().end());
    EXPECT_EQ(OptionRange<Option>(span(hex("01 02 0000 01 09")), kIp6OptionFormat).count(), 1u);
}

}  // namespace
