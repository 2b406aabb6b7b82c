// A node for the MAC scenario tests: SimRadio + Mac + a listener that records everything.
#pragma once

#include <cstring>
#include <memory>
#include <vector>

#include "core/Random.h"
#include "mesh/mac/Mac.h"
#include "sim/RadioMedium.h"
#include "sim/SimRadio.h"
#include "testbed/RadioMacTimer.h"

namespace meshwork::mactest {

constexpr std::uint16_t kPan = 0x1234;

inline std::uint64_t ext_of(sim::RadioNodeId id) {
    return 0x0011223344550000ull + id;
}

struct Node : mac::MacListener {
    Node(sim::Scheduler &s, sim::RadioMedium &m, sim::RadioNodeId id,
         const mac::MacConfig &cfg = {})
        : radio(m, id), rng(91, id), timer(s), mac(radio, s.clock(), rng, timer, cfg), sched(s) {
        timer.bind(&mac);
        mac.set_listener(this);
        mac.set_pan_id(kPan);
        mac.set_short_address(static_cast<std::uint16_t>(0x10 + id));
        mac.set_extended_address(ext_of(id));
    }
    void mcps_data_confirm(const mac::MacTxConfirm &c) override { confirms.push_back(c); }
    void mcps_data_indication(const wire::MacFrame &f, const RadioRxFrame &) override {
        if (f.type != wire::MacFrameType::kData)
            return;
        payloads.emplace_back(f.payload.begin(), f.payload.end());
        levels.push_back(f.security_enabled ? f.security.security_level : 0);
        indication_times.push_back(sched.now());
    }
    void mlme_scan_confirm(const mac::MacScanConfirm &c) override { scans.push_back(c); }
    void mlme_poll_confirm(mac::MacPollStatus s) override { polls.push_back(s); }

    wire::MacFrame frame(const wire::MacAddress &dst, std::size_t len, std::uint8_t fill = 0x5a) {
        wire::MacFrame f;
        f.type = wire::MacFrameType::kData;
        f.ack_request = !dst.is_broadcast();
        f.has_dst_pan = true;
        f.dst_pan = kPan;
        f.dst = dst;
        f.src = wire::MacAddress::from_short(static_cast<std::uint16_t>(0x10 + radio.node()));
        payload.assign(len, fill);
        for (std::size_t i = 0; i < len; ++i)
            payload[i] = static_cast<std::uint8_t>(fill + i);
        f.payload = ByteSpan(payload.data(), payload.size());
        return f;
    }
    std::uint16_t short_address() const { return static_cast<std::uint16_t>(0x10 + radio.node()); }

    sim::SimRadio radio;
    SeededRandom rng;
    testbed::RadioMacTimer timer;
    mac::Mac mac;
    sim::Scheduler &sched;
    std::vector<mac::MacTxConfirm> confirms;
    std::vector<std::vector<std::uint8_t>> payloads;
    std::vector<std::uint8_t> levels;
    std::vector<Instant> indication_times;
    std::vector<mac::MacScanConfirm> scans;
    std::vector<mac::MacPollStatus> polls;
    std::vector<std::uint8_t> payload;
};

// Every frame put on the air, as bytes.
struct AirLog : sim::RadioMediumTap {
    std::vector<std::vector<std::uint8_t>> frames;
    std::vector<sim::RadioNodeId> senders;
    std::vector<Instant> starts, sfds, ends;  // first preamble symbol, end of SFD, last symbol
    void on_air_start(const sim::AirFrame &f) override {
        frames.emplace_back(f.psdu.begin(), f.psdu.end());
        senders.push_back(f.sender);
        starts.push_back(f.start);
        sfds.push_back(f.sfd_time);
        ends.push_back(f.end);
    }
};

struct Net {
    sim::Scheduler sched;
    sim::RadioMedium medium;
    std::vector<std::unique_ptr<Node>> nodes;
    AirLog air;
    explicit Net(int n, const mac::MacConfig &cfg = {})
        : medium(sched, std::make_unique<sim::UnitDiskPropagation>(50)) {
        for (int i = 0; i < n; ++i) {
            medium.add_node({5.0 * i, 0, 0});
            nodes.push_back(std::make_unique<Node>(sched, medium, sim::RadioNodeId(i), cfg));
        }
        medium.add_tap(&air);
    }
    ~Net() { medium.remove_tap(&air); }
    Node &operator[](int i) { return *nodes[static_cast<std::size_t>(i)]; }
};

}  // namespace meshwork::mactest
