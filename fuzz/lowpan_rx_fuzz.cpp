// The 6LoWPAN adaptation layer's receive path (mesh / BC0 / FRAG headers, reassembly, IPHC/NHC
// decompression) fed with random MAC payloads from a few sources, with virtual time advancing
// between frames so reassemblies time out. Checks: the reassembly state stays within its
// limits, every delivered packet fits the largest datagram, nothing crashes or leaks.
//
// Input: a sequence of records [control][length][payload...]; control bits 0-1 pick the source
// (extended or short, one of two nodes), bit 2 the destination (us or broadcast), bits 3-7 a time
// step in seconds.
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "core/Radio.h"
#include "core/Random.h"
#include "mesh/lowpan/LowpanAdaptation.h"
#include "mesh/mac/Mac.h"
#include "wire/Ip6Address.h"

using namespace meshwork;

namespace {

class FuzzClock final : public Clock {
  public:
    Instant now() const override { return t; }
    Instant t{};
};

// A radio that accepts everything and does nothing: the MAC is only a listener's host here.
class NullRadio final : public Radio {
  public:
    std::uint32_t capabilities() const override { return 0; }
    void set_listener(RadioListener *) override {}
    RadioState state() const override { return RadioState::kReceive; }
    Status receive() override { return Status(); }
    Status sleep() override { return Status(); }
    Status set_channel(RadioChannel c) override {
        ch_ = c;
        return Status();
    }
    RadioChannel channel() const override { return ch_; }
    Status set_tx_power(std::int8_t) override { return Status(); }
    std::int8_t tx_power() const override { return 0; }
    std::int8_t receive_sensitivity() const override { return -95; }
    void set_cca_energy_threshold(std::int8_t) override {}
    void set_pan_id(std::uint16_t) override {}
    void set_short_address(std::uint16_t) override {}
    void set_extended_address(std::uint64_t) override {}
    void set_promiscuous(bool) override {}
    Status transmit(const RadioTxRequest &) override { return Error::kUnsupported; }
    Status start_cca(CcaMode) override { return Error::kUnsupported; }
    Status start_energy_detect(Duration) override { return Error::kUnsupported; }
    std::int8_t rssi() const override { return -100; }

  private:
    RadioChannel ch_{};
};

class NullTimer final : public mac::MacTimer {
  public:
    void arm(Instant) override {}
    void disarm() override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    FuzzClock clock;
    NullRadio radio;
    NullTimer timer;
    SeededRandom rng(1);
    mac::Mac mac(radio, clock, rng, timer);
    lowpan::LowpanConfig cfg;
    cfg.pan_id = 0x1234;
    cfg.extended_address = 0x00124b0000000002ull;
    cfg.short_address = 0x0002;
    cfg.reassembly.max_datagrams = 3;
    cfg.reassembly.max_bytes = 3000;
    lowpan::LowpanAdaptation lp(mac, clock, rng, nullptr, cfg);
    // Two contexts so context-based forms decompress too.
    (void)lp.set_context(0, *wire::Ip6Address::from_text("2001:db8::"), 64, true);
    (void)lp.set_context(5, *wire::Ip6Address::from_text("fd00:1:2:3::"), 48, true);
    std::size_t delivered = 0;
    lp.set_deliver([&](ByteSpan p) {
        if (p.size > wire::LowpanFragHeader::kMaxDatagramSize + 1)
            std::abort();
        ++delivered;
    });
    const wire::MacAddress sources[4] = {
        wire::MacAddress::from_extended(0x00124b0000000001ull),
        wire::MacAddress::from_extended(0x00124b0000000003ull),
        wire::MacAddress::from_short(0x0001),
        wire::MacAddress::from_short(0x0003),
    };
    std::size_t i = 0;
    while (i + 2 <= size) {
        const std::uint8_t control = data[i];
        std::size_t len = data[i + 1];
        i += 2;
        if (len > size - i)
            len = size - i;
        const wire::MacAddress dst = (control & 4) ? wire::MacAddress::from_short(0xffff)
                                                   : wire::MacAddress::from_short(0x0002);
        lp.input(ByteSpan(data + i, len), sources[control & 3], dst);
        i += len;
        const auto &r = lp.reassembler();
        if (r.datagrams() > cfg.reassembly.max_datagrams || r.bytes() > cfg.reassembly.max_bytes)
            std::abort();
        clock.t += std::chrono::seconds(control >> 3);
        if (clock.t >= lp.next_deadline())
            lp.poll();
        if (lp.next_deadline() != kNever && lp.next_deadline() < clock.t)
            std::abort();  // poll() left something overdue
    }
    (void)delivered;
    return 0;
}
