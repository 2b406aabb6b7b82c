// 6LoWPAN-ND's receive side: arbitrary RS / RA / NS / NA / DAR / DAC messages (checksum made
// right, so they get past the stack) into a 6LBR, a 6LR and a 6LN, each a real Stack over an
// adaptation layer whose radio sends nothing, with virtual time advancing between messages.
// Checks: the registration table and the registry stay within their sizes, every registration
// entry is consistent, poll() leaves nothing overdue, stop() leaves nothing behind, no crash or
// leak.
//
// Input: records [control][addresses][length][ICMPv6 message...]. control bits 0-1 pick the
// node (6LBR, 6LR, 6LN), bits 2-4 the ND type, bit 5 hop limit 64 instead of 255, bits 6-7 a
// time step (0, 1 s, 30 s, 10 min); addresses bits 0-2 the source, bits 3-5 the destination.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/PacketBuffer.h"
#include "core/Radio.h"
#include "core/Random.h"
#include "mesh/lowpan/LowpanAdaptation.h"
#include "mesh/mac/Mac.h"
#include "mesh/nd/SixLowpanNd.h"
#include "stack/Stack.h"
#include "wire/Icmp6.h"
#include "wire/Ip6Address.h"

using namespace meshwork;

namespace {

class FuzzClock final : public Clock {
  public:
    Instant now() const override { return t; }
    Instant t{};
};

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

wire::Ip6Address addr(const char *t) {
    return *wire::Ip6Address::from_text(t);
}

struct FuzzNode {
    FuzzNode(FuzzClock &clock, std::uint64_t eui, nd::NdConfig cfg)
        : rng(eui),
          mac(radio, clock, rng, timer),
          lowpan(mac, clock, rng, nullptr, lowpan_config(eui)),
          pool(256 * 1024, 256),
          stack(clock, rng, pool) {
        ifindex =
            *stack.add_interface(nd::SixLowpanNd::netif_config(lowpan.netif_config()), lowpan);
        lowpan.attach(stack, ifindex);
        (void)stack.set_up(ifindex);
        nd = std::make_unique<nd::SixLowpanNd>(stack, ifindex, lowpan, clock, rng, cfg);
        nd->start();
    }
    static lowpan::LowpanConfig lowpan_config(std::uint64_t eui) {
        lowpan::LowpanConfig c;
        c.pan_id = 0x1234;
        c.extended_address = eui;
        return c;
    }
    void poll() {
        stack.poll();
        nd->poll();
    }

    SeededRandom rng;
    NullRadio radio;
    NullTimer timer;
    mac::Mac mac;
    lowpan::LowpanAdaptation lowpan;
    PacketPool pool;
    stack::Stack stack;
    stack::IfIndex ifindex = 0;
    std::unique_ptr<nd::SixLowpanNd> nd;
};

void check(const FuzzNode &n, Instant now) {
    const auto &cfg = n.nd->config();
    if (n.nd->registrations().size() > cfg.max_registrations)
        std::abort();
    if (n.nd->registry().size() > cfg.max_registry + 1)  // + the 6LBR's own address
        std::abort();
    for (const auto &r : n.nd->registrations()) {
        if (!r.address.is_unicast() || r.rovr.size == 0 || r.mac.is_none())
            std::abort();
        // A registered address resolves to the registering MAC (a link-local one whose IID
        // names a MAC resolves statelessly to that MAC first, RFC 4944 6).
        if (r.state == nd::NdRegState::kRegistered && !r.address.is_link_local() &&
            n.lowpan.resolve(r.address) != r.mac)
            std::abort();
    }
    if (n.nd->next_deadline() < now)
        std::abort();  // poll() left something overdue
    if (n.nd->registered() && n.nd->global_address().is_unspecified())
        std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    FuzzClock clock;
    nd::NdConfig br_cfg;
    br_cfg.role = nd::NdRole::kBorderRouter;
    br_cfg.prefix = addr("2001:db8:1::");
    br_cfg.max_registrations = 4;
    br_cfg.max_registry = 6;
    nd::NdContextConfig ctx;
    ctx.prefix = addr("2001:db8:1::");
    br_cfg.contexts.push_back(ctx);
    nd::NdConfig r_cfg;
    r_cfg.role = nd::NdRole::kRouter;
    r_cfg.max_registrations = 4;
    r_cfg.rs_max_delay = Duration::zero();
    nd::NdConfig h_cfg;
    h_cfg.rs_max_delay = Duration::zero();
    FuzzNode nodes[3] = {{clock, 0x00124b0000000010ull, br_cfg},
                         {clock, 0x00124b0000000020ull, r_cfg},
                         {clock, 0x00124b0000000030ull, h_cfg}};
    const std::uint8_t types[8] = {
        wire::Icmp6Type::kRouterSolicitation,      wire::Icmp6Type::kRouterAdvertisement,
        wire::Icmp6Type::kNeighborSolicitation,    wire::Icmp6Type::kNeighborAdvertisement,
        wire::Icmp6Type::kDuplicateAddressRequest, wire::Icmp6Type::kDuplicateAddressConfirmation,
        wire::Icmp6Type::kNeighborSolicitation,    wire::Icmp6Type::kRouterAdvertisement};
    // Peers: one derived from a MAC (fe80::212:4b00:0:1), one not, a global, the unspecified.
    const wire::Ip6Address sources[8] = {
        addr("fe80::212:4b00:0:1"),       addr("fe80::212:4b00:0:2"),       addr("fe80::1"),
        addr("2001:db8:1::212:4b00:0:1"), addr("2001:db8:1::99"),           addr("::"),
        addr("fe80::212:4b00:0:20"),      addr("2001:db8:1::212:4b00:0:20")};
    const Duration steps[4] = {Duration::zero(), std::chrono::seconds(1), std::chrono::seconds(30),
                               std::chrono::minutes(10)};
    std::uint8_t packet[40 + 1280];
    std::size_t i = 0;
    while (i + 3 <= size) {
        const std::uint8_t control = data[i], addrs = data[i + 1];
        std::size_t len = data[i + 2];
        i += 3;
        if (len > size - i)
            len = size - i;
        FuzzNode &n = nodes[(control & 3) % 3];
        const wire::Ip6Address src = sources[addrs & 7];
        const wire::Ip6Address own_ll = n.stack.link_local(n.ifindex);
        const wire::Ip6Address dsts[8] = {own_ll,
                                          wire::Ip6Address::all_routers_link_local(),
                                          wire::Ip6Address::all_nodes_link_local(),
                                          n.nd->global_address(),
                                          own_ll,
                                          own_ll,
                                          wire::Ip6Address::all_nodes_link_local(),
                                          addr("2001:db8:1::212:4b00:0:10")};
        const wire::Ip6Address dst = dsts[(addrs >> 3) & 7];
        const std::size_t msg_len = len < 4 ? 4 : len;
        std::memset(packet, 0, sizeof packet);
        packet[0] = 0x60;
        packet[4] = static_cast<std::uint8_t>(msg_len >> 8);
        packet[5] = static_cast<std::uint8_t>(msg_len);
        packet[6] = wire::IpProto::kIcmp6;
        packet[7] = (control & 0x20) ? 64 : 255;
        std::memcpy(packet + 8, src.bytes, 16);
        std::memcpy(packet + 24, dst.bytes, 16);
        if (len != 0)
            std::memcpy(packet + 40, data + i, len);
        i += len;
        packet[40] = types[(control >> 2) & 7];
        wire::icmp6_finish_checksum(MutableByteSpan(packet + 40, msg_len),
                                    wire::PseudoHeader{src, dst});
        n.stack.receive_packet(n.ifindex, ByteSpan(packet, 40 + msg_len));
        n.nd->poll();
        clock.t += steps[control >> 6];
        for (auto &m : nodes) {
            m.poll();
            check(m, clock.t);
        }
    }
    for (auto &m : nodes) {
        m.nd->stop();
        if (!m.nd->registrations().empty() || !m.nd->registry().empty() ||
            m.nd->state() != nd::NdState::kStopped || m.nd->next_deadline() != kNever ||
            m.lowpan.resolve(addr("2001:db8:1::212:4b00:0:1")).has_value())
            std::abort();
    }
    return 0;
}
