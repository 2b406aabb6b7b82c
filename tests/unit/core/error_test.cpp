#include "core/Error.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <type_traits>

namespace meshwork {
namespace {

Result<int> half(int v) {
    if (v % 2)
        return Error::kInvalidArgument;
    return v / 2;
}

TEST(Result, CarriesValueOrError) {
    auto a = half(8);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(*a, 4);
    auto b = half(3);
    EXPECT_FALSE(b.ok());
    EXPECT_EQ(b.error(), Error::kInvalidArgument);
    EXPECT_EQ(b.value_or(-1), -1);
}

// No default constructor: Result must construct the value only on success.
class Port {
  public:
    explicit Port(int n) : n_(n) {}
    int n() const { return n_; }

  private:
    int n_;
};
static_assert(!std::is_default_constructible_v<Port>);

Result<Port> parse_port(int v) {
    if (v <= 0 || v > 65535)
        return Error::kMalformed;
    return Port(v);
}

TEST(Result, HoldsANonDefaultConstructibleValue) {
    Result<Port> good = parse_port(80);
    ASSERT_TRUE(good.ok());
    EXPECT_EQ(good->n(), 80);
    Result<Port> bad = parse_port(0);
    EXPECT_EQ(bad.error(), Error::kMalformed);
    EXPECT_EQ(bad.value_or(Port(7)).n(), 7);
    bad = good;  // error -> value
    ASSERT_TRUE(bad.ok());
    EXPECT_EQ(bad->n(), 80);
    good = Error::kTimeout;  // value -> error
    EXPECT_EQ(good.error(), Error::kTimeout);
}

// Counts live instances, so a leak or a double destruction shows.
struct Tracked {
    static inline int live = 0;
    explicit Tracked(int v) : v(v) { ++live; }
    Tracked(const Tracked &o) : v(o.v) { ++live; }
    Tracked &operator=(const Tracked &) = default;
    ~Tracked() { --live; }
    int v;
};

TEST(Result, ConstructsAndDestroysTheValueExactlyOnce) {
    ASSERT_EQ(Tracked::live, 0);
    {
        Result<Tracked> e(Error::kNotFound);
        EXPECT_EQ(Tracked::live, 0);  // no value behind an error
        Result<Tracked> v(Tracked(3));
        EXPECT_EQ(Tracked::live, 1);
        Result<Tracked> copy = v;
        EXPECT_EQ(Tracked::live, 2);
        copy = e;
        EXPECT_EQ(Tracked::live, 1);
        e = v;
        EXPECT_EQ(Tracked::live, 2);
        EXPECT_EQ(e->v, 3);
    }
    EXPECT_EQ(Tracked::live, 0);
}

Result<std::unique_ptr<int>> boxed(int v) {
    if (v < 0)
        return Error::kInvalidArgument;
    return std::make_unique<int>(v);
}

TEST(Result, HoldsAMoveOnlyValue) {
    static_assert(!std::is_copy_constructible_v<Result<std::unique_ptr<int>>>);
    Result<std::unique_ptr<int>> r = boxed(5);
    ASSERT_TRUE(r.ok());
    std::unique_ptr<int> p = std::move(r).value();
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(*p, 5);
    Result<std::unique_ptr<int>> moved = boxed(9);
    r = std::move(moved);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(**r, 9);
    EXPECT_EQ(boxed(-1).error(), Error::kInvalidArgument);
    EXPECT_EQ(*boxed(4).value_or(nullptr), 4);
    EXPECT_EQ(boxed(-1).value_or(nullptr), nullptr);
}

TEST(Error, NamesAreStableAndDistinct) {
    EXPECT_EQ(std::string(error_name(Error::kTruncated)), "truncated");
    EXPECT_NE(std::string(error_name(Error::kMalformed)),
              std::string(error_name(Error::kTruncated)));
}

}  // namespace
}  // namespace meshwork
