#include "core/Time.h"

#include <gtest/gtest.h>

namespace meshwork {
namespace {

TEST(Time, SteadyClockIsMonotonic) {
    SteadyClock clock;
    Instant a = clock.now();
    Instant b = clock.now();
    EXPECT_LE(a, b);
    EXPECT_GE(a.time_since_epoch().count(), 0);
}

TEST(Time, SaturatingAddNeverWraps) {
    EXPECT_EQ(saturating_add(Instant(Duration(5)), Duration(INT64_MAX)), kNever);
    EXPECT_EQ(saturating_add(Instant(Duration(5)), Duration(10)), Instant(Duration(15)));
}

}  // namespace
}  // namespace meshwork
