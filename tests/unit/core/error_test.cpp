#include "core/Error.h"

#include <gtest/gtest.h>

#include <string>

namespace meshwork {
namespace {

Result<int> half(int v)
{
    if (v % 2) return Error::kInvalidArgument;
    return v / 2;
}

TEST(Result, CarriesValueOrError)
{
    auto a = half(8);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(*a, 4);
    auto b = half(3);
    EXPECT_FALSE(b.ok());
    EXPECT_EQ(b.error(), Error::kInvalidArgument);
    EXPECT_EQ(b.value_or(-1), -1);
}

TEST(Error, NamesAreStableAndDistinct)
{
    EXPECT_EQ(std::string(error_name(Error::kTruncated)), "truncated");
    EXPECT_NE(std::string(error_name(Error::kMalformed)), std::string(error_name(Error::kTruncated)));
}

}  // namespace
}  // namespace meshwork
