// Single-hop saturated goodput of acknowledged 127-octet frames (MAC over SimRadio, virtual
// time) against the analytic limit from the same constants (deps-and-limits section 6):
//   cycle = mean backoff (3.5 x 320 us) + CCA 128 + turnaround 192 + frame 4256
//           + turnaround 192 + ack 352 + LIFS 640 = 6880 us -> 145.3 frames/s.
// The sender queues the next frame as soon as the previous one is confirmed.
#include <cstdio>
#include <memory>
#include <vector>

#include "BenchReport.h"
#include "core/Random.h"
#include "mesh/mac/Mac.h"
#include "sim/RadioMedium.h"
#include "sim/SimRadio.h"
#include "testbed/RadioMacTimer.h"

using namespace meshwork;

namespace {

struct Node : mac::MacListener {
    Node(sim::Scheduler &s, sim::RadioMedium &m, sim::RadioNodeId id)
        : radio(m, id), rng(2026, id), timer(s), mac(radio, s.clock(), rng, timer) {
        timer.bind(&mac);
        mac.set_listener(this);
        mac.set_pan_id(0xabcd);
        mac.set_short_address(static_cast<std::uint16_t>(id + 1));
    }
    void mcps_data_confirm(const mac::MacTxConfirm &c) override {
        ok += c.status == mac::MacTxStatus::kSuccess;
        if (sending)
            send();
    }
    void mcps_data_indication(const wire::MacFrame &f, const RadioRxFrame &) override {
        payload_bytes += f.payload.size;
    }
    void send() {
        wire::MacFrame f;
        f.ack_request = true;
        f.has_dst_pan = true;
        f.dst_pan = 0xabcd;
        f.dst = wire::MacAddress::from_short(2);
        f.src = wire::MacAddress::from_short(1);
        payload.assign(127 - 9 - 2, 0x33);  // short/short MHR 9, FCS 2: a 127-octet PSDU
        f.payload = ByteSpan(payload.data(), payload.size());
        (void)mac.data_request(f, 0);
    }
    sim::SimRadio radio;
    SeededRandom rng;
    testbed::RadioMacTimer timer;
    mac::Mac mac;
    std::vector<std::uint8_t> payload;
    bool sending = false;
    std::uint64_t ok = 0, payload_bytes = 0;
};

}  // namespace

int main() {
    sim::Scheduler sched;
    sim::RadioMedium medium(sched, std::make_unique<sim::UnitDiskPropagation>(10.0));
    medium.add_node({0, 0, 0});
    medium.add_node({5, 0, 0});
    Node a(sched, medium, 0), b(sched, medium, 1);
    a.sending = true;
    a.send();
    const double seconds = 100;
    sched.run_until(Instant(Duration(static_cast<std::int64_t>(seconds * 1e6))));
    const double fps = a.ok / seconds;
    const double analytic = 1e6 / (3.5 * 320 + 128 + 192 + 4256 + 192 + 352 + 640);
    std::fprintf(stderr, "  %llu frames acked, %llu retries, payload %.1f kbit/s\n",
                 (unsigned long long)a.ok, (unsigned long long)a.mac.counters().retries,
                 b.payload_bytes * 8 / seconds / 1000);
    bench::report("mac_saturated_acked_127", fps, "frames/s", analytic);
    return 0;
}
