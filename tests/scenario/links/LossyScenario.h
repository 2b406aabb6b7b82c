// A small lossy scenario shared by the same-seed test (tests/scenario/links) and the tshark
// test (tests/interop/links): three nodes on one segment, each behind its own chain of fault
// wrappers (loss, reordering, duplication, jitter) drawing from its own stream under the
// scenario seed, sending unicast and broadcast frames. `sink` captures the whole segment.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "LinkTestKit.h"
#include "core/Random.h"
#include "sim/FaultLink.h"
#include "sim/Segment.h"

namespace meshwork::sim::testkit {

struct LossyScenarioResult {
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
    std::uint64_t dropped = 0;
    std::uint64_t duplicated = 0;
    std::uint64_t reordered = 0;
};

inline LossyScenarioResult run_lossy_scenario(std::uint64_t seed, FrameSink &sink,
                                              int frames_per_node = 200) {
    constexpr int kNodes = 3;
    Scheduler s;
    Segment seg(s, SegmentConfig{Duration(50), 10000000, kEthernetDefaultMtu, 0, 24});
    seg.set_tap(&sink);
    const SeededRandom scenario(seed);
    struct Node {
        explicit Node(Segment &seg, Scheduler &s, const SeededRandom &scenario, int i)
            : rng(scenario.derive(static_cast<std::uint64_t>(i))),
              port(seg.attach(mac(static_cast<std::uint8_t>(i + 1)))),
              loss(port, rng, LossConfig{0.1}),
              reorder(loss, s, rng, ReorderConfig{0.1, Duration(3000)}),
              dup(reorder, rng, DuplicateConfig{0.1}),
              jitter(dup, s, rng, JitterConfig{Duration(200), true}),
              rx(s) {
            jitter.set_receiver(&rx);
        }
        SeededRandom rng;
        SegmentPort &port;
        LossLink loss;
        ReorderLink reorder;
        DuplicateLink dup;
        JitterLink jitter;
        Recorder rx;
    };
    std::vector<std::unique_ptr<Node>> nodes;
    for (int i = 0; i < kNodes; ++i)
        nodes.push_back(std::make_unique<Node>(seg, s, scenario, i));
    LossyScenarioResult r;
    for (int k = 0; k < frames_per_node; ++k) {
        for (int i = 0; i < kNodes; ++i) {
            s.at(at_us(k * 1000 + i * 10), [&, i, k] {
                Node &n = *nodes[static_cast<std::size_t>(i)];
                // Every fourth frame is broadcast; the others go to the next node. Sizes vary
                // with the node's stream.
                const EthernetAddress dst =
                    k % 4 == 0 ? EthernetAddress::broadcast()
                               : mac(static_cast<std::uint8_t>((i + 1) % kNodes + 1));
                const std::size_t size = 60 + n.rng.uniform(400);
                const std::uint32_t seq = static_cast<std::uint32_t>(i << 16 | k);
                if (n.jitter.send(span(frame(dst, n.port.address(), seq, size))).ok())
                    ++r.sent;
            });
        }
    }
    s.run_until_idle();
    for (auto &n : nodes) {
        r.received += n->rx.frames.size();
        r.dropped += n->loss.dropped();
        r.duplicated += n->dup.duplicated();
        r.reordered += n->reorder.reordered();
    }
    return r;
}

}  // namespace meshwork::sim::testkit
