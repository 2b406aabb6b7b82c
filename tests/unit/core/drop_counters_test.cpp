#include "core/DropCounters.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace meshwork {
namespace {

enum class TestDrop { kNoRoute, kChecksum, kTooBig, kCount };

const char *drop_reason_name(TestDrop r) {
    switch (r) {
        case TestDrop::kNoRoute:
            return "no-route";
        case TestDrop::kChecksum:
            return "checksum";
        case TestDrop::kTooBig:
            return "too-big";
        case TestDrop::kCount:
            break;
    }
    return "?";
}

TEST(DropCounters, CountsPerReasonAndTotal) {
    DropCounters<TestDrop> d;
    static_assert(DropCounters<TestDrop>::kSize == 3);
    EXPECT_EQ(d.total(), 0u);
    d.count(TestDrop::kChecksum);
    d.count(TestDrop::kChecksum);
    d.count(TestDrop::kTooBig, 5);
    EXPECT_EQ(d[TestDrop::kNoRoute], 0u);
    EXPECT_EQ(d[TestDrop::kChecksum], 2u);
    EXPECT_EQ(d[TestDrop::kTooBig], 5u);
    EXPECT_EQ(d.total(), 7u);
    d.count(TestDrop::kCount);  // not a reason: ignored, no out-of-bounds write
    EXPECT_EQ(d.total(), 7u);
    EXPECT_EQ(d[TestDrop::kCount], 0u);
    d.reset();
    EXPECT_EQ(d.total(), 0u);
}

TEST(DropCounters, NamesNonZeroReasonsInEnumOrder) {
    DropCounters<TestDrop> d;
    EXPECT_EQ(d.to_string(), "");
    d.count(TestDrop::kTooBig);
    d.count(TestDrop::kNoRoute, 3);
    EXPECT_EQ(d.to_string(), "no-route=3 too-big=1");
    std::vector<TestDrop> seen;
    d.for_each_nonzero([&](TestDrop r, const char *name, std::uint64_t c) {
        seen.push_back(r);
        EXPECT_STREQ(name, drop_reason_name(r));
        EXPECT_EQ(c, d[r]);
    });
    EXPECT_EQ(seen, (std::vector<TestDrop>{TestDrop::kNoRoute, TestDrop::kTooBig}));
    EXPECT_STREQ(DropCounters<TestDrop>::name(TestDrop::kChecksum), "checksum");
}

}  // namespace
}  // namespace meshwork
