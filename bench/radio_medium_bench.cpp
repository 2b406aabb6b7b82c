// Radio medium speed: 802.15.4 frames simulated per wall-clock second on a 100-node and a
// 1,000-node medium (log-distance path loss, 4 dB shadowing, exponent 3.5), every node sending
// 50-octet frames with CCA at random intervals (mean 1 s), node density fixed so each node has
// about 10 nodes in reception range whatever N is.
//
// Baseline, measured in the same run on the same scenario: the medium with `all_pairs` set,
// which asks the propagation model about every node for every frame (the O(N^2) loop). Both
// runs must deliver exactly the same frames; the ratio shows what the neighbour lists save, and
// the last line shows the per-frame cost growing from 100 to 1,000 nodes with neighbours (~1x)
// for the medium and with N (~10x) for the baseline.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "BenchReport.h"
#include "core/Random.h"
#include "sim/RadioMedium.h"
#include "sim/SimRadio.h"

using namespace meshwork;
using namespace meshwork::sim;

namespace {

class Sender : public RadioListener {
  public:
    Sender(Scheduler &s, RadioMedium &m, RadioNodeId id, std::uint64_t seed)
        : sched_(s), radio_(m, id), rng_(seed, id), frame_(50) {
        radio_.set_listener(this);
        for (std::size_t i = 0; i < frame_.size(); ++i)
            frame_[i] = static_cast<std::uint8_t>(id + i);
        schedule();
    }
    void on_radio_tx_done(const RadioTxResult &) override {}
    void on_radio_receive(const RadioRxFrame &) override { ++received; }
    std::uint64_t received = 0;

  private:
    void schedule() {
        sched_.after(Duration(rng_.uniform(2'000'000)), [this] {
            RadioTxRequest r;
            r.psdu = ByteSpan(frame_.data(), frame_.size());
            (void)radio_.transmit(r);  // busy with a previous request: skip this one
            schedule();
        });
    }
    Scheduler &sched_;
    SimRadio radio_;
    SeededRandom rng_;
    std::vector<std::uint8_t> frame_;
};

struct RunFigures {
    double frames_per_s = 0;
    double us_per_frame = 0;
    std::uint64_t frames = 0;
    std::uint64_t deliveries = 0;
    double neighbours = 0;
    double setup_ms = 0;
};

RunFigures run(int n, double virtual_s, bool all_pairs) {
    Scheduler sched;
    LogDistancePropagation::Params p;
    p.exponent = 3.5;
    p.sigma_db = 4;
    p.seed = 2026;
    RadioMediumConfig cfg;
    cfg.seed = 2026;
    cfg.all_pairs = all_pairs;
    RadioMedium medium(sched, std::make_unique<LogDistancePropagation>(p), cfg);
    // Reception range without shadowing: PL(d) = 0 dBm - (-95 dBm) -> d = 10^(55/35) = 37 m.
    const double range = std::pow(10.0, 55.0 / 35.0);
    const double density = 10.0 / (3.14159265 * range * range);
    const double side = std::sqrt(n / density);
    SeededRandom place(2026, 0xabc);
    std::vector<std::unique_ptr<Sender>> nodes;
    for (int i = 0; i < n; ++i)
        medium.add_node({side * place.uniform(1u << 20) / double(1u << 20),
                         side * place.uniform(1u << 20) / double(1u << 20), 0});
    for (int i = 0; i < n; ++i)
        nodes.push_back(std::make_unique<Sender>(sched, medium, RadioNodeId(i), 2026));
    // Setup (the neighbour lists; nothing for the baseline) is timed apart from the frames.
    const auto s0 = std::chrono::steady_clock::now();
    double nb = 0;
    for (int i = 0; i < n; ++i)
        nb += medium.neighbours(RadioNodeId(i)).size();
    const auto t0 = std::chrono::steady_clock::now();
    sched.run_until(Instant(Duration(static_cast<std::int64_t>(virtual_s * 1e6))));
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    RunFigures r;
    r.frames = medium.stats().frames;
    r.deliveries = medium.stats().deliveries;
    r.frames_per_s = r.frames / wall;
    r.us_per_frame = wall * 1e6 / r.frames;
    r.neighbours = nb / n;
    r.setup_ms = std::chrono::duration<double>(t0 - s0).count() * 1e3;
    return r;
}

}  // namespace

int main() {
    // About 20,000 frames per run at either size.
    const RunFigures g100 = run(100, 200, false), a100 = run(100, 200, true);
    const RunFigures g1k = run(1000, 20, false), a1k = run(1000, 20, true);
    for (const auto *pair : {&g100, &g1k}) {
        const RunFigures &g = *pair, &a = pair == &g100 ? a100 : a1k;
        std::fprintf(stderr,
                     "  %llu frames, %llu deliveries (all-pairs: %llu, %llu), %.1f nodes per "
                     "neighbour list (built in %.1f ms), %.2f us/frame vs %.2f us/frame\n",
                     (unsigned long long)g.frames, (unsigned long long)g.deliveries,
                     (unsigned long long)a.frames, (unsigned long long)a.deliveries, g.neighbours,
                     g.setup_ms, g.us_per_frame, a.us_per_frame);
        if (g.frames != a.frames || g.deliveries != a.deliveries) {
            std::fprintf(stderr, "neighbour lists and all-pairs disagree\n");
            return 1;
        }
    }
    bench::report("radio_medium_100_nodes", g100.frames_per_s, "frames/s", a100.frames_per_s);
    bench::report("radio_medium_1000_nodes", g1k.frames_per_s, "frames/s", a1k.frames_per_s);
    // Per-frame cost growth from 100 to 1,000 nodes: neighbour lists against all pairs.
    bench::report("radio_medium_cost_growth_100_to_1000", g1k.us_per_frame / g100.us_per_frame, "x",
                  a1k.us_per_frame / a100.us_per_frame);
    return 0;
}
