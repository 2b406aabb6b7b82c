// ExpiringTable: lookup, replacement, the expiry index kept in step with updates, and expiry
// in time order.
#include "core/ExpiringTable.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace meshwork {
namespace {

struct Entry {
    std::string name;
    Instant expires = kNever;
};

Instant at(int s) {
    return Instant(std::chrono::seconds(s));
}

TEST(ExpiringTable, UpsertFindEraseAndOrder) {
    ExpiringTable<int, Entry> t;
    EXPECT_TRUE(t.empty());
    EXPECT_EQ(t.next_expiry(), kNever);
    t.upsert(3, {"c", at(30)});
    t.upsert(1, {"a", kNever});
    t.upsert(2, {"b", at(20)});
    EXPECT_EQ(t.size(), 3u);
    ASSERT_NE(t.find(2), nullptr);
    EXPECT_EQ(t.find(2)->name, "b");
    EXPECT_EQ(t.find(4), nullptr);
    std::vector<std::string> order;
    for (const Entry &e : t)
        order.push_back(e.name);
    EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c"}));  // key order
    EXPECT_EQ(t.next_expiry(), at(20));
    // Replacing an entry moves its expiry in the index.
    t.upsert(2, {"b2", at(40)});
    EXPECT_EQ(t.size(), 3u);
    EXPECT_EQ(t.find(2)->name, "b2");
    EXPECT_EQ(t.next_expiry(), at(30));
    EXPECT_TRUE(t.erase(3));
    EXPECT_FALSE(t.erase(3));
    EXPECT_EQ(t.next_expiry(), at(40));
    EXPECT_TRUE(t.set_expires(1, at(5)));
    EXPECT_FALSE(t.set_expires(9, at(5)));
    EXPECT_EQ(t.find(1)->expires, at(5));
    EXPECT_EQ(t.next_expiry(), at(5));
    t.clear();
    EXPECT_TRUE(t.empty());
    EXPECT_EQ(t.next_expiry(), kNever);
}

TEST(ExpiringTable, ExpireRemovesWhatIsDueEarliestFirst) {
    ExpiringTable<int, Entry> t;
    t.upsert(1, {"a", at(30)});
    t.upsert(2, {"b", at(10)});
    t.upsert(3, {"c", at(20)});
    t.upsert(4, {"d", kNever});
    t.set_expires(1, at(50));  // refreshed: the old time is not due any more
    std::vector<std::string> gone;
    t.expire(at(30), [&](const Entry &e) { gone.push_back(e.name); });
    EXPECT_EQ(gone, (std::vector<std::string>{"b", "c"}));
    EXPECT_EQ(t.size(), 2u);
    EXPECT_EQ(t.next_expiry(), at(50));
    t.expire(at(1000));
    EXPECT_EQ(t.size(), 1u);  // the one that never expires
    EXPECT_NE(t.find(4), nullptr);
    EXPECT_EQ(t.next_expiry(), kNever);
}

}  // namespace
}  // namespace meshwork
