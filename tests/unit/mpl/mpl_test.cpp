// MplForwarder (RFC 7731) on hand-made IPv6 packets and a manual clock: the MPL option's
// bytes, origination, new and duplicate messages, the trickle per buffered message (k,
// expirations, the M flag's inconsistency), the hop limit, the hold and MinSequence, the seed
// set's lifetime and the buffered set's bound.
#include <gtest/gtest.h>

#include <vector>

#include "mesh/mpl/MplForwarder.h"
#include "wire/Ip6.h"
#include "wire/Ip6Ext.h"

namespace meshwork::mpl {
namespace {

using namespace std::chrono_literals;
using Bytes = std::vector<std::uint8_t>;
using wire::Ip6Address;

class ManualClock final : public Clock {
  public:
    Instant now() const override { return t_; }
    void advance(Duration d) { t_ += d; }

  private:
    Instant t_{std::chrono::seconds(100)};
};

const Ip6Address kSeedA = *Ip6Address::from_text("fd00::a");
const Ip6Address kSeedB = *Ip6Address::from_text("fd00::b");
const Ip6Address kGroup = *Ip6Address::from_text("ff05::1234");

/// An IPv6 packet from `src` to kGroup: a hop-by-hop header with the MPL option (S = 0), then
/// 4 bytes of "upper layer" (No Next Header).
Bytes packet(const Ip6Address &src, std::uint8_t seq, std::uint8_t hop_limit = 8, bool m = false,
             bool v = false) {
    Bytes p(40 + 8 + 4, 0);
    wire::Ip6Header h;
    h.payload_length = 12;
    h.next_header = wire::IpProto::kHopByHop;
    h.hop_limit = hop_limit;
    h.src = src;
    h.dst = kGroup;
    EXPECT_TRUE(h.emit(MutableByteSpan(p.data(), 40)));
    const std::uint8_t hbh[8] = {wire::IpProto::kNoNext,
                                 0,
                                 wire::Ip6OptionType::kMpl,
                                 2,
                                 static_cast<std::uint8_t>((m ? 0x20 : 0) | (v ? 0x10 : 0)),
                                 seq,
                                 wire::Ip6OptionType::kPadN,
                                 0};
    std::copy(hbh, hbh + 8, p.begin() + 40);
    return p;
}

struct Fixture {
    explicit Fixture(MplConfig c = {})
        : random(7),
          mpl(clock, random, c, [this](ByteSpan p) { sent.emplace_back(p.begin(), p.end()); }) {}
    MplForwarder::Verdict rx(const Bytes &p) { return mpl.receive(ByteSpan(p.data(), p.size())); }
    /// Polls at every deadline until `until`.
    void run_for(Duration d) {
        const Instant end = clock.now() + d;
        for (;;) {
            const Instant next = mpl.next_deadline();
            if (next > end)
                break;
            clock.advance(next - clock.now());
            mpl.poll();
        }
        clock.advance(end - clock.now());
    }
    ManualClock clock;
    SeededRandom random;
    MplForwarder mpl;
    std::vector<Bytes> sent;
};

TEST(MplOption, RoundTripsEverySeedIdLength) {
    for (std::uint8_t s = 0; s < 4; ++s) {
        wire::MplOption o;
        o.s = s;
        o.m = s % 2 == 0;
        o.sequence = static_cast<std::uint8_t>(200 + s);
        for (std::size_t i = 0; i < 16; ++i)
            o.seed_id[i] = static_cast<std::uint8_t>(i + 1);
        std::uint8_t buf[18];
        ASSERT_EQ(o.value_size(), 2 + wire::MplOption::seed_id_length(s));
        ASSERT_TRUE(o.emit(MutableByteSpan(buf, sizeof buf)));
        EXPECT_EQ(buf[0] >> 6, s);
        EXPECT_EQ(buf[1], o.sequence);
        auto back = wire::MplOption::parse(ByteSpan(buf, o.value_size()));
        ASSERT_TRUE(back.ok());
        EXPECT_EQ(*back, o);
        // A length that does not match S is malformed.
        EXPECT_EQ(wire::MplOption::parse(ByteSpan(buf, o.value_size() + 1)).error(),
                  Error::kMalformed);
    }
    const std::uint8_t v[2] = {0x10, 9};
    auto o = wire::MplOption::parse(ByteSpan(v, 2));
    ASSERT_TRUE(o.ok());
    EXPECT_TRUE(o->v);
    EXPECT_EQ(wire::MplOption::parse(ByteSpan(v, 1)).error(), Error::kTruncated);
}

TEST(Mpl, SequenceOrderIsSerial) {
    EXPECT_TRUE(mpl_sequence_less(250, 3));
    EXPECT_FALSE(mpl_sequence_less(3, 250));
    EXPECT_TRUE(mpl_sequence_less(3, 4));
    EXPECT_FALSE(mpl_sequence_less(4, 4));
}

TEST(Mpl, OriginateOptionIsAHopByHopHeaderWithTheNextSequence) {
    Fixture f;
    std::uint8_t hbh[24];
    const std::size_t n = f.mpl.originate_option(kSeedA, kGroup, MutableByteSpan(hbh, 24));
    ASSERT_EQ(n, 8u);
    EXPECT_EQ(hbh[1], 0);  // Hdr Ext Len: 8 bytes
    EXPECT_EQ(hbh[2], wire::Ip6OptionType::kMpl);
    EXPECT_EQ(hbh[3], 2);     // S = 0: flags and sequence only
    EXPECT_EQ(hbh[4], 0x20);  // S = 0, M
    EXPECT_EQ(hbh[6], wire::Ip6OptionType::kPadN);
    std::uint8_t again[24];
    ASSERT_EQ(f.mpl.originate_option(kSeedA, kGroup, MutableByteSpan(again, 24)), 8u);
    EXPECT_EQ(again[5], static_cast<std::uint8_t>(hbh[5] + 1));
    // Link-local and non-multicast destinations never get one.
    EXPECT_EQ(f.mpl.originate_option(kSeedA, *Ip6Address::from_text("ff02::1"),
                                     MutableByteSpan(again, 24)),
              0u);
    EXPECT_EQ(f.mpl.originate_option(kSeedA, kSeedB, MutableByteSpan(again, 24)), 0u);
}

TEST(Mpl, NewThenDuplicate) {
    Fixture f;
    EXPECT_EQ(f.rx(packet(kSeedA, 5)), MplForwarder::Verdict::kNew);
    EXPECT_EQ(f.rx(packet(kSeedA, 5)), MplForwarder::Verdict::kDuplicate);
    EXPECT_EQ(f.rx(packet(kSeedA, 5, 3, true)), MplForwarder::Verdict::kDuplicate);
    EXPECT_EQ(f.rx(packet(kSeedA, 6)), MplForwarder::Verdict::kNew);
    EXPECT_EQ(f.rx(packet(kSeedB, 5)), MplForwarder::Verdict::kNew);  // another seed
    EXPECT_EQ(f.mpl.stats().received_new, 3u);
    EXPECT_EQ(f.mpl.stats().duplicates, 2u);
    EXPECT_EQ(f.mpl.seed_count(), 2u);
    EXPECT_EQ(f.mpl.buffered_count(), 3u);
    EXPECT_TRUE(f.mpl.buffered(kSeedA, 6));
    // V set: a version this node does not speak.
    EXPECT_EQ(f.rx(packet(kSeedA, 7, 8, false, true)), MplForwarder::Verdict::kInvalid);
    EXPECT_EQ(f.mpl.stats().invalid, 1u);
}

TEST(Mpl, TrickleRetransmitsEachIntervalThenHoldsThenForgets) {
    Fixture f;  // Nanostack's: Imin = Imax = 512 ms, k infinite, 3 expirations
    ASSERT_EQ(f.rx(packet(kSeedA, 40, 8)), MplForwarder::Verdict::kNew);
    const Instant t0 = f.clock.now();
    const Instant first = f.mpl.next_deadline();
    EXPECT_GE(first, t0 + 256ms);  // t in [I/2, I)
    EXPECT_LT(first, t0 + 512ms);
    f.run_for(512ms);
    ASSERT_EQ(f.sent.size(), 1u);
    // The copy: Hop Limit one less, M set (the seed's largest here), the rest unchanged.
    Bytes expect = packet(kSeedA, 40, 7, true);
    EXPECT_EQ(f.sent[0], expect);
    f.run_for(2s);
    EXPECT_EQ(f.sent.size(), 3u);  // DATA_MESSAGE_TIMER_EXPIRATIONS
    // Held for message_hold after the trickle, copies still duplicates.
    EXPECT_TRUE(f.mpl.buffered(kSeedA, 40));
    EXPECT_EQ(f.rx(packet(kSeedA, 40)), MplForwarder::Verdict::kDuplicate);
    f.run_for(5s);
    EXPECT_FALSE(f.mpl.buffered(kSeedA, 40));
    // MinSequence passed it: a late copy is no longer new, the next one is.
    std::uint8_t min = 0;
    ASSERT_TRUE(f.mpl.min_sequence(kSeedA, min));
    EXPECT_EQ(min, 41);
    EXPECT_EQ(f.rx(packet(kSeedA, 40)), MplForwarder::Verdict::kDuplicate);
    EXPECT_EQ(f.rx(packet(kSeedA, 41)), MplForwarder::Verdict::kNew);
    EXPECT_EQ(f.sent.size(), 3u);
}

TEST(Mpl, KConsistentCopiesSuppressATransmission) {
    MplConfig c;
    c.data_message_k = 1;  // RFC 7731's DATA_MESSAGE_K
    Fixture f(c);
    ASSERT_EQ(f.rx(packet(kSeedA, 1)), MplForwarder::Verdict::kNew);
    // A neighbour's copy before our instant: this interval stays quiet.
    EXPECT_EQ(f.rx(packet(kSeedA, 1, 7)), MplForwarder::Verdict::kDuplicate);
    f.run_for(512ms);
    EXPECT_EQ(f.sent.size(), 0u);
    EXPECT_EQ(f.mpl.stats().suppressed, 1u);
    // Nothing heard in the next two intervals: both transmit.
    f.run_for(1024ms);
    EXPECT_EQ(f.sent.size(), 2u);
}

TEST(Mpl, AnMFlagBehindOursResetsTheNewerMessagesTrickle) {
    Fixture f;
    ASSERT_EQ(f.rx(packet(kSeedA, 5)), MplForwarder::Verdict::kNew);
    f.run_for(600ms);
    ASSERT_EQ(f.rx(packet(kSeedA, 6)), MplForwarder::Verdict::kNew);
    f.run_for(1100ms);
    // 6 has been sent twice (two intervals over); a neighbour says 5 is its newest.
    const std::size_t before = f.sent.size();
    EXPECT_EQ(f.rx(packet(kSeedA, 5, 7, true)), MplForwarder::Verdict::kDuplicate);
    f.run_for(5s);
    std::size_t sixes = 0;
    for (const Bytes &p : f.sent)
        sixes += p[45] == 6;
    EXPECT_EQ(sixes, 2u + 3u);  // its expirations counted again from the reset
    EXPECT_GT(f.sent.size(), before);
}

TEST(Mpl, ALastHopCopyIsDeliveredButNotForwarded) {
    Fixture f;
    EXPECT_EQ(f.rx(packet(kSeedA, 9, 1)), MplForwarder::Verdict::kNew);
    EXPECT_EQ(f.mpl.stats().hop_limit_exhausted, 1u);
    f.run_for(3s);
    EXPECT_TRUE(f.sent.empty());
    EXPECT_TRUE(f.mpl.buffered(kSeedA, 9));  // kept to recognise copies
    EXPECT_EQ(f.rx(packet(kSeedA, 9, 5)), MplForwarder::Verdict::kDuplicate);
    f.run_for(5s);
    EXPECT_FALSE(f.mpl.buffered(kSeedA, 9));
}

TEST(Mpl, AHostNeverRetransmits) {
    MplConfig c;
    c.forwarder = false;
    Fixture f(c);
    EXPECT_EQ(f.rx(packet(kSeedA, 3)), MplForwarder::Verdict::kNew);
    // Its own message (the stack sends it once).
    std::uint8_t hbh[24];
    ASSERT_EQ(f.mpl.originate_option(kSeedB, kGroup, MutableByteSpan(hbh, 24)), 8u);
    Bytes own = packet(kSeedB, hbh[5], 4, true);
    f.mpl.originated(ByteSpan(own.data(), own.size()));
    EXPECT_EQ(f.mpl.stats().originated, 1u);
    f.run_for(3s);
    EXPECT_TRUE(f.sent.empty());
    // Its own message coming back is a duplicate.
    EXPECT_EQ(f.rx(own), MplForwarder::Verdict::kDuplicate);
}

TEST(Mpl, ASeedsOwnMessageIsRetransmittedWithItsHopLimit) {
    Fixture f;
    std::uint8_t hbh[24];
    ASSERT_EQ(f.mpl.originate_option(kSeedA, kGroup, MutableByteSpan(hbh, 24)), 8u);
    Bytes own = packet(kSeedA, hbh[5], 4, true);
    f.mpl.originated(ByteSpan(own.data(), own.size()));
    f.run_for(3s);
    ASSERT_EQ(f.sent.size(), 3u);
    EXPECT_EQ(f.sent[0], own);  // the seed's copies keep the Hop Limit it sent with
    EXPECT_EQ(f.rx(own), MplForwarder::Verdict::kDuplicate);
}

TEST(Mpl, AnOvertakenOlderMessageIsStillNew) {
    Fixture f;
    EXPECT_EQ(f.rx(packet(kSeedA, 10)), MplForwarder::Verdict::kNew);
    EXPECT_EQ(f.rx(packet(kSeedA, 9)), MplForwarder::Verdict::kNew);
    EXPECT_EQ(f.rx(packet(kSeedA, 250)), MplForwarder::Verdict::kNew);        // 16 back
    EXPECT_EQ(f.rx(packet(kSeedA, 249)), MplForwarder::Verdict::kDuplicate);  // 17: too old
    std::uint8_t min = 0;
    ASSERT_TRUE(f.mpl.min_sequence(kSeedA, min));
    EXPECT_EQ(min, static_cast<std::uint8_t>(10 - 16));
    // They leave in sequence order, 250 first: MinSequence ends past all three.
    f.run_for(10s);
    EXPECT_EQ(f.mpl.buffered_count(), 0u);
    ASSERT_TRUE(f.mpl.min_sequence(kSeedA, min));
    EXPECT_EQ(min, 11);
}

TEST(Mpl, TheSeedSetForgetsASeedAfterItsLifetime) {
    MplConfig c;
    c.seed_set_entry_lifetime = 60s;
    Fixture f(c);
    EXPECT_EQ(f.rx(packet(kSeedA, 20)), MplForwarder::Verdict::kNew);
    f.run_for(30s);
    EXPECT_EQ(f.mpl.seed_count(), 1u);
    EXPECT_EQ(f.rx(packet(kSeedA, 20)), MplForwarder::Verdict::kDuplicate);
    f.run_for(31s);
    EXPECT_EQ(f.mpl.seed_count(), 0u);
    EXPECT_EQ(f.mpl.next_deadline(), kNever);
    // Forgotten: the same sequence is new again (RFC 7731 5.2).
    EXPECT_EQ(f.rx(packet(kSeedA, 20)), MplForwarder::Verdict::kNew);
}

TEST(Mpl, AFullBufferedSetEvictsTheOldest) {
    MplConfig c;
    c.max_buffered_messages = 2;
    Fixture f(c);
    EXPECT_EQ(f.rx(packet(kSeedA, 1)), MplForwarder::Verdict::kNew);
    f.clock.advance(1ms);
    EXPECT_EQ(f.rx(packet(kSeedB, 1)), MplForwarder::Verdict::kNew);
    f.clock.advance(1ms);
    EXPECT_EQ(f.rx(packet(kSeedA, 2)), MplForwarder::Verdict::kNew);
    EXPECT_EQ(f.mpl.stats().evicted, 1u);
    EXPECT_EQ(f.mpl.buffered_count(), 2u);
    EXPECT_FALSE(f.mpl.buffered(kSeedA, 1));
    EXPECT_TRUE(f.mpl.buffered(kSeedA, 2));
    // The evicted one is past MinSequence: not new again.
    EXPECT_EQ(f.rx(packet(kSeedA, 1)), MplForwarder::Verdict::kDuplicate);
}

}  // namespace
}  // namespace meshwork::mpl
