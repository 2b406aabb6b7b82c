#include "meshwork/sim/NodeContext.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>

namespace meshwork::sim {
namespace {

class FixedClock final : public Clock {
  public:
    Instant now() const override { return t; }
    Instant t{};
};

TEST(Eui64, UnicastLocallyAdministeredWithTheNodeIdInTheLowBytes) {
    const auto e = Eui64::derive(42, 0x01020304);
    EXPECT_TRUE(e.unicast());
    EXPECT_TRUE(e.locally_administered());
    EXPECT_EQ(e.bytes[0] & 0x03, 0x02);
    EXPECT_EQ(e.bytes[4], 0x01);
    EXPECT_EQ(e.bytes[7], 0x04);
    const auto mac = e.mac48();
    EXPECT_EQ(mac[0], e.bytes[0]);
    EXPECT_EQ(mac[1], e.bytes[1]);
    EXPECT_EQ(mac[2], 0x01);
    EXPECT_EQ(mac[5], 0x04);
    EXPECT_EQ(e.to_string().size(), 23u);
    EXPECT_EQ(e.to_string().substr(11), ":01:02:03:04");
}

TEST(Eui64, SameSeedSameAddressesUniqueWithinASimulation) {
    std::set<std::array<std::uint8_t, 8>> eui;
    std::set<std::array<std::uint8_t, 6>> mac;
    for (NodeId id = 1; id <= 5000; ++id) {
        const auto e = Eui64::derive(7, id);
        EXPECT_EQ(e, Eui64::derive(7, id));
        eui.insert(e.bytes);
        mac.insert(e.mac48());
    }
    EXPECT_EQ(eui.size(), 5000u);
    EXPECT_EQ(mac.size(), 5000u);
    EXPECT_NE(Eui64::derive(7, 1), Eui64::derive(8, 1));
}

TEST(NodeOutput, KeepsWholeLinesStampedWhenTheyBegan) {
    FixedClock clock;
    std::uint64_t order = 0;
    NodeOutput out(clock, order);
    clock.t = Instant(Duration(5));
    out.write("hel");
    clock.t = Instant(Duration(9));
    out.write("lo\nwor");
    out.printf("ld %d\n%s", 42, "tail");
    ASSERT_EQ(out.lines().size(), 2u);
    EXPECT_EQ(out.lines()[0].text, "hello");
    EXPECT_EQ(out.lines()[0].at, Instant(Duration(5)));
    EXPECT_EQ(out.lines()[1].text, "world 42");
    EXPECT_EQ(out.lines()[1].at, Instant(Duration(9)));
    EXPECT_EQ(out.text(), "hello\nworld 42\ntail");
    out.flush();
    EXPECT_EQ(out.lines().size(), 3u);
    EXPECT_EQ(order, 3u);
    EXPECT_EQ(out.formatted(3),
              "[node 3 @ 5 us] hello\n[node 3 @ 9 us] world 42\n"
              "[node 3 @ 9 us] tail\n");
    out.flush();  // nothing partial: no empty line
    EXPECT_EQ(out.lines().size(), 3u);
}

TEST(NodeOutput, LongFormattedLines) {
    FixedClock clock;
    std::uint64_t order = 0;
    NodeOutput out(clock, order);
    const std::string long_text(1000, 'x');
    out.printf("%s\n", long_text.c_str());
    ASSERT_EQ(out.lines().size(), 1u);
    EXPECT_EQ(out.lines()[0].text, long_text);
}

TEST(ErrorCounters, FirstLastAndCount) {
    ErrorCounters e;
    e.record(-5);
    e.record(-7);
    EXPECT_EQ(e.first_error, -5);
    EXPECT_EQ(e.last_error, -7);
    EXPECT_EQ(e.error_count, 2);
    e.clear();
    EXPECT_EQ(e.error_count, 0);
    EXPECT_EQ(e.first_error, 0);
}

TEST(NodeContext, IdentityStreamConfigurationAndEmptySlots) {
    FixedClock clock;
    std::uint64_t order = 0;
    auto cfg = std::make_shared<config::Configuration>();
    cfg->trace.enable = true;
    cfg->nsapi.dns_cache_size = 7;
    NodeContext ctx(3, "n3", 99, SeededRandom(99).derive(3), cfg, clock, order);
    EXPECT_EQ(ctx.id(), 3u);
    EXPECT_EQ(ctx.name(), "n3");
    EXPECT_EQ(ctx.eui64(), Eui64::derive(99, 3));
    EXPECT_EQ(ctx.mac_address(), Eui64::derive(99, 3).mac48());
    EXPECT_TRUE(ctx.trace.enabled);  // from mbed-trace.enable
    EXPECT_EQ(ctx.trace.config, 0x1f);
    EXPECT_EQ(ctx.config().nsapi.dns_cache_size, 7u);
    auto expected = SeededRandom(99).derive(3);
    EXPECT_EQ(ctx.random().next_u64(), expected.next_u64());
    EXPECT_EQ(ctx.default_interface, nullptr);
    EXPECT_EQ(ctx.default_stack, nullptr);
    EXPECT_EQ(ctx.dns, nullptr);
    EXPECT_EQ(ctx.shared_event_queue, nullptr);
    EXPECT_EQ(ctx.critical_depth, 0u);
    ctx.set_config(nullptr);  // ignored: a node always has a configuration
    EXPECT_EQ(ctx.config().nsapi.dns_cache_size, 7u);

    NodeContext defaults(4, "n4", 99, SeededRandom(99).derive(4), nullptr, clock, order);
    EXPECT_EQ(defaults.config().nsapi.dns_cache_size, config::Configuration{}.nsapi.dns_cache_size);
    EXPECT_FALSE(defaults.trace.enabled);
}

}  // namespace
}  // namespace meshwork::sim
