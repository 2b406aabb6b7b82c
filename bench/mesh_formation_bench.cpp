// A 6LoWPAN-ND + RPL mesh of LowpanNdNodes (the backend LoWPANNDInterface drives on a simulated
// node), in virtual time:
//  - formation: N nodes (a border router in the middle of a square, routers uniform around it,
//    a connected placement from the seed with about ten neighbours each) until every node is
//    MESH_CONNECTED (registered, joined, DAO acknowledged): the virtual time it took, the wall
//    time, and the heap bytes per node (glibc's mallinfo2 before and after), against Nanostack's
//    default mbed-mesh-api.heap-size (32,500 bytes) as the baseline;
//  - UDP goodput from a node 1 and 3 hops from the border router (a line), against the analytic
//    single-hop limit of the same frames (deps-and-limits section 6: mean backoff 3.5 x 320 us,
//    CCA 128, turnaround 192, the frame, turnaround 192, ack 352, LIFS 640).
// Usage: bench_mesh_formation [N...]   (default: 100 1000)
#include <malloc.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "BenchReport.h"
#include "mesh/api/LowpanNdSettings.h"
#include "meshwork/sim/Simulation.h"
#include "sim/Propagation.h"
#include "sim/RadioMedium.h"
#include "stack/UdpSockets.h"
#include "testbed/LowpanNdNode.h"

using namespace meshwork;
using namespace std::chrono_literals;

namespace {

constexpr double kRange = 20;

std::size_t heap_in_use() {
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

struct Mesh {
    explicit Mesh(std::uint64_t seed) : sim(seed) {
        medium = &sim.own(std::make_unique<sim::RadioMedium>(
            sim.scheduler(), std::make_unique<sim::UnitDiskPropagation>(kRange)));
    }
    testbed::LowpanNdNode &add(sim::Position p, bool border_router) {
        sim::Node &n = sim.add_node();
        testbed::LowpanNdNodeConfig cfg;
        cfg.border_router = border_router;
        auto &m =
            n.attach(std::make_unique<testbed::LowpanNdNode>(n, *medium, medium->add_node(p), cfg));
        nodes.push_back(&m);
        return m;
    }
    void start_all() {
        for (auto *n : nodes) {
            meshapi::MeshStartRequest req;
            std::vector<std::string> errors;
            req.settings =
                meshapi::LowpanNdSettings::from_configuration(n->node().config(), errors);
            (void)n->start(req, [](mesh_connection_status_t) {});
        }
    }
    std::size_t connected() const {
        std::size_t c = 0;
        for (auto *n : nodes)
            c += n->connected();
        return c;
    }
    sim::Simulation sim;
    sim::RadioMedium *medium = nullptr;
    std::vector<testbed::LowpanNdNode *> nodes;
};

std::vector<sim::Position> placement(unsigned n, std::uint64_t seed) {
    const double side = std::sqrt(n * M_PI * kRange * kRange / 10.0);
    SeededRandom rng(seed, 7);
    for (;;) {
        std::vector<sim::Position> p{{side / 2, side / 2, 0}};
        for (unsigned i = 1; i < n; ++i)
            p.push_back({side * rng.uniform(1u << 20) / double(1u << 20),
                         side * rng.uniform(1u << 20) / double(1u << 20), 0});
        // Connected? A grid of cells of the range makes this linear in n.
        const double cell = kRange;
        const auto cells = static_cast<int>(std::ceil(side / cell)) + 1;
        std::vector<std::vector<unsigned>> grid(static_cast<std::size_t>(cells * cells));
        auto at = [&](const sim::Position &q) {
            return static_cast<std::size_t>(static_cast<int>(q.y / cell) * cells +
                                            static_cast<int>(q.x / cell));
        };
        for (unsigned i = 0; i < n; ++i)
            grid[at(p[i])].push_back(i);
        std::vector<bool> seen(n, false);
        std::vector<unsigned> todo{0};
        seen[0] = true;
        unsigned reached = 1;
        while (!todo.empty()) {
            const unsigned i = todo.back();
            todo.pop_back();
            const int cx = static_cast<int>(p[i].x / cell), cy = static_cast<int>(p[i].y / cell);
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx) {
                    const int x = cx + dx, y = cy + dy;
                    if (x < 0 || y < 0 || x >= cells || y >= cells)
                        continue;
                    for (unsigned j : grid[static_cast<std::size_t>(y * cells + x)])
                        if (!seen[j] && sim::distance(p[i], p[j]) <= kRange) {
                            seen[j] = true;
                            ++reached;
                            todo.push_back(j);
                        }
                }
        }
        if (reached == n)
            return p;
    }
}

void formation(unsigned n) {
    const auto positions = placement(n, n);
    const std::size_t heap0 = heap_in_use();
    const auto w0 = std::chrono::steady_clock::now();
    auto mesh = std::make_unique<Mesh>(n);
    for (unsigned i = 0; i < n; ++i)
        mesh->add(positions[i], i == 0);
    mesh->start_all();
    const Instant t0 = mesh->sim.now();
    const Instant limit = t0 + std::chrono::minutes(30);
    while (mesh->connected() < n && mesh->sim.now() < limit)
        mesh->sim.run_until(mesh->sim.now() + 1s);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    const double virt = std::chrono::duration<double>(mesh->sim.now() - t0).count();
    const double per_node = static_cast<double>(heap_in_use() - heap0) / static_cast<double>(n);
    std::fprintf(stderr, "  %u nodes: %zu connected after %.0f s of virtual time, %.2f s wall\n", n,
                 mesh->connected(), virt, wall);
    char name[64];
    std::snprintf(name, sizeof name, "mesh_formation_virtual_%u", n);
    bench::report(name, virt, "s", 1);  // virtual seconds (no baseline: ratio = value)
    std::snprintf(name, sizeof name, "mesh_formation_wall_per_virtual_%u", n);
    bench::report(name, wall, "s", virt);  // wall seconds per virtual second
    std::snprintf(name, sizeof name, "mesh_heap_per_node_%u", n);
    bench::report(name, per_node, "B", 32500);  // against Nanostack's default heap-size
    std::snprintf(name, sizeof name, "mesh_connected_%u", n);
    bench::report(name, static_cast<double>(mesh->connected()), "nodes", n);
}

// Frame sizes on the air from one sender (the data frames it sends).
struct FrameSizes final : sim::RadioMediumTap {
    sim::RadioNodeId sender = 0;
    std::size_t largest = 0;
    void on_air_start(const sim::AirFrame &f) override {
        if (f.sender == sender && f.psdu.size > largest)
            largest = f.psdu.size;
    }
};

void goodput(unsigned hops) {
    Mesh mesh(100 + hops);
    for (unsigned i = 0; i <= hops; ++i)
        mesh.add({15.0 * i, 0, 0}, i == 0);
    mesh.start_all();
    mesh.sim.run_until(mesh.sim.now() + 600s);
    auto *br = mesh.nodes[0];
    auto *src = mesh.nodes[hops];
    if (!src->connected()) {
        std::fprintf(stderr, "  %u hops: the line did not form\n", hops);
        return;
    }
    mesh.sim.run_for(10s);
    auto rx = br->stack().udp().open();
    (void)br->stack().udp().bind(*rx, wire::Ip6Address(), 9000);
    auto tx = src->stack().udp().open();
    FrameSizes sizes;
    sizes.sender = static_cast<sim::RadioNodeId>(hops);
    mesh.medium->add_tap(&sizes);
    const std::size_t payload = 64;
    std::vector<std::uint8_t> data(payload, 0x5a);
    std::uint64_t got = 0;
    const Duration period = 2ms;
    const double seconds = 60;
    const Instant end = mesh.sim.now() + Duration(static_cast<std::int64_t>(seconds * 1e6));
    // Offered load above what the path carries: one datagram whenever the source's queue has
    // room (checked every 2 ms); the border router drains its socket as it goes.
    while (mesh.sim.now() < end) {
        if (src->lowpan().tx_queue_size() < 2)
            (void)src->stack().udp().send_to(*tx, br->global(), 9000,
                                             ByteSpan(data.data(), data.size()));
        src->touched();
        mesh.sim.run_for(period);
        std::uint8_t buf[128];
        stack::UdpDatagramInfo info;
        while (br->stack().udp().recv_from(*rx, MutableByteSpan(buf, sizeof buf), &info))
            ++got;
    }
    const double bps = static_cast<double>(got * payload * 8) / seconds;
    // The analytic single-hop limit for frames of that size carrying `payload` bytes each.
    const double frame_us = (6.0 + static_cast<double>(sizes.largest)) * 32;
    const double cycle_us = 3.5 * 320 + 128 + 192 + frame_us + 192 + 352 + 640;
    const double limit_bps = static_cast<double>(payload * 8) * 1e6 / cycle_us;
    std::fprintf(stderr, "  %u hops: %llu datagrams of %zu bytes in %.0f s, frames of %zu bytes\n",
                 hops, static_cast<unsigned long long>(got), payload, seconds, sizes.largest);
    char name[64];
    std::snprintf(name, sizeof name, "mesh_udp_goodput_%u_hop%s", hops, hops == 1 ? "" : "s");
    bench::report(name, bps, "bit/s", limit_bps);
}

}  // namespace

int main(int argc, char **argv) {
    std::vector<unsigned> sizes;
    for (int i = 1; i < argc; ++i)
        sizes.push_back(static_cast<unsigned>(std::strtoul(argv[i], nullptr, 10)));
    if (sizes.empty())
        sizes = {100, 1000};
    goodput(1);
    goodput(3);
    for (unsigned n : sizes)
        formation(n);
    return 0;
}
