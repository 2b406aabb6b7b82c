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

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
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
            // One channel, as Mbed's mesh example configures it (6lowpan-nd-channel 12): the
            // figures are the mesh's formation, not a scan of the mask.
            req.settings.channel = 12;
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

// Hops from node 0 of every node (BFS over the unit disk; -1: not reached). A grid of cells of
// the range makes this linear in n.
std::vector<int> hops_from_root(const std::vector<sim::Position> &p) {
    const std::size_t n = p.size();
    double side = 0;
    for (const auto &q : p)
        side = std::max({side, q.x, q.y});
    const double cell = kRange;
    const auto cells = static_cast<int>(std::ceil(side / cell)) + 1;
    std::vector<std::vector<unsigned>> grid(static_cast<std::size_t>(cells * cells));
    auto at = [&](const sim::Position &q) {
        return static_cast<std::size_t>(static_cast<int>(q.y / cell) * cells +
                                        static_cast<int>(q.x / cell));
    };
    for (unsigned i = 0; i < n; ++i)
        grid[at(p[i])].push_back(i);
    std::vector<int> hops(n, -1);
    std::vector<unsigned> queue{0};
    hops[0] = 0;
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const unsigned i = queue[head];
        const int cx = static_cast<int>(p[i].x / cell), cy = static_cast<int>(p[i].y / cell);
        for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx) {
                const int x = cx + dx, y = cy + dy;
                if (x < 0 || y < 0 || x >= cells || y >= cells)
                    continue;
                for (unsigned j : grid[static_cast<std::size_t>(y * cells + x)])
                    if (hops[j] < 0 && sim::distance(p[i], p[j]) <= kRange) {
                        hops[j] = hops[i] + 1;
                        queue.push_back(j);
                    }
            }
    }
    return hops;
}

std::vector<sim::Position> placement(unsigned n, std::uint64_t seed) {
    const double side = std::sqrt(n * M_PI * kRange * kRange / 10.0);
    SeededRandom rng(seed, 7);
    for (;;) {
        std::vector<sim::Position> p{{side / 2, side / 2, 0}};
        for (unsigned i = 1; i < n; ++i)
            p.push_back({side * rng.uniform(1u << 20) / double(1u << 20),
                         side * rng.uniform(1u << 20) / double(1u << 20), 0});
        const auto hops = hops_from_root(p);
        if (std::find(hops.begin(), hops.end(), -1) == hops.end())
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
    // MESH_BENCH_LIMIT=<s>: a shorter virtual limit than 30 minutes (debugging large runs).
    const char *lim = std::getenv("MESH_BENCH_LIMIT");
    const Instant limit = t0 + (lim ? std::chrono::seconds(std::atoi(lim))
                                    : std::chrono::seconds(std::chrono::minutes(30)));
    const bool debug = std::getenv("MESH_BENCH_DEBUG") != nullptr;
    // Debug: when each node first joined RPL, registered, had its DAO acknowledged, connected
    // (virtual seconds; -1: not yet), to see where each ring of the mesh waits.
    std::vector<std::array<double, 4>> at(n, {-1, -1, -1, -1});
    // Debug: the story of a few nodes (the first at 1, 6 and 10 hops), one line per change.
    std::vector<unsigned> watched;
    std::vector<std::string> last_line;
    if (debug) {
        const auto hops = hops_from_root(positions);
        for (int h : {1, 6, 10})
            for (unsigned i = 0; i < n; ++i)
                if (hops[i] == h) {
                    watched.push_back(i);
                    break;
                }
        last_line.resize(watched.size());
    }
    while (mesh->connected() < n && mesh->sim.now() < limit) {
        mesh->sim.run_until(mesh->sim.now() + 1s);
        if (!debug)
            continue;
        const double t = std::chrono::duration<double>(mesh->sim.now() - t0).count();
        for (unsigned i = 0; i < n; ++i) {
            auto *m = mesh->nodes[i];
            const bool got[4] = {m->rpl() && m->rpl()->joined(), m->nd() && m->nd()->registered(),
                                 m->rpl() && m->rpl()->dao_acknowledged(), m->connected()};
            for (int k = 0; k < 4; ++k)
                if (got[k] && at[i][k] < 0)
                    at[i][k] = t;
        }
        for (std::size_t w = 0; w < watched.size(); ++w) {
            auto *m = mesh->nodes[watched[w]];
            const auto &st = m->nd()->stats();
            char line[512];
            std::snprintf(line, sizeof line,
                          "%s %s%s parent-set=%d rs=%llu ra-rx=%llu ns=%llu na-rx=%llu dao=%llu "
                          "conn=%d",
                          nd::nd_state_name(m->nd()->state()), m->rpl()->joined() ? "joined" : "-",
                          m->rpl()->dao_acknowledged() ? " dao-acked" : "",
                          m->rpl()->preferred_parent().has_value() ? 1 : 0,
                          (unsigned long long)st.rs_sent, (unsigned long long)st.ra_received,
                          (unsigned long long)st.ns_sent, (unsigned long long)st.na_received,
                          (unsigned long long)m->rpl()->stats().dao_sent, m->connected() ? 1 : 0);
            if (auto pp = m->rpl()->preferred_parent()) {
                for (unsigned j = 0; j < n; ++j)
                    if (mesh->nodes[j]->stack().link_local(mesh->nodes[j]->ifindex()) == *pp) {
                        auto *q = mesh->nodes[j];
                        char more[160];
                        std::snprintf(more, sizeof more, " | parent %u %s%s%s", j,
                                      nd::nd_state_name(q->nd()->state()),
                                      q->rpl()->dao_acknowledged() ? " dao-acked" : "",
                                      q->connected() ? " conn" : "");
                        std::strncat(line, more, sizeof line - std::strlen(line) - 1);
                    }
            }
            if (last_line[w] != line) {
                last_line[w] = line;
                std::fprintf(stderr, "    [node %u @%.0f s] %s\n", watched[w], t, line);
            }
        }
    }
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
    if (debug) {
        // Per hop distance from the border router: nodes, and the median time of each milestone.
        const auto hops = hops_from_root(positions);
        const int depth = *std::max_element(hops.begin(), hops.end());
        std::fprintf(stderr, "    hops nodes | median s: joined registered dao-acked connected\n");
        for (int h = 1; h <= depth; ++h) {
            std::fprintf(stderr, "    %4d %5zu |", h,
                         static_cast<std::size_t>(std::count(hops.begin(), hops.end(), h)));
            for (int k = 0; k < 4; ++k) {
                std::vector<double> v;
                for (unsigned i = 0; i < n; ++i)
                    if (hops[i] == h)
                        v.push_back(at[i][k] < 0 ? 1e9 : at[i][k]);
                std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
                const double med = v[v.size() / 2];
                if (med >= 1e9)
                    std::fprintf(stderr, "      -");
                else
                    std::fprintf(stderr, " %6.0f", med);
            }
            std::fprintf(stderr, "\n");
        }
        // Where the nodes that did not connect stand: 6LoWPAN-ND state x RPL state, and the
        // MAC's totals.
        std::map<std::string, unsigned> states;
        std::uint64_t tx = 0, noack = 0, caf = 0, req = 0;
        for (auto *m : mesh->nodes) {
            const auto &c = m->mac().counters();
            tx += c.transmissions, noack += c.no_ack, caf += c.channel_access_failures,
                req += c.requests;
            if (m->connected())
                continue;
            std::string k = nd::nd_state_name(m->nd()->state());
            k += m->rpl() ? (m->rpl()->joined() ? " joined" : " not-joined") : " no-rpl";
            if (m->rpl() && m->rpl()->dao_acknowledged())
                k += " dao-acked";
            ++states[k];
        }
        for (const auto &[k, v] : states)
            std::fprintf(stderr, "    %5u  %s\n", v, k.c_str());
        std::fprintf(stderr, "    mac: requests %llu transmissions %llu no-ack %llu caf %llu\n",
                     (unsigned long long)req, (unsigned long long)tx, (unsigned long long)noack,
                     (unsigned long long)caf);
        nd::NdStats nds;
        rpl::RplStats rps;
        std::uint64_t ndrop = 0, sdrop = 0, fwd = 0;
        for (auto *m : mesh->nodes) {
            const auto &a = m->nd()->stats();
            nds.dac_received += a.dac_received, nds.dar_received += a.dar_received,
                nds.ns_received += a.ns_received, nds.na_received += a.na_received;
            nds.rs_sent += a.rs_sent, nds.ra_sent += a.ra_sent, nds.ns_sent += a.ns_sent,
                nds.na_sent += a.na_sent, nds.dar_sent += a.dar_sent, nds.dac_sent += a.dac_sent;
            if (m->rpl()) {
                const auto &b = m->rpl()->stats();
                rps.dis_sent += b.dis_sent, rps.dio_sent += b.dio_sent, rps.dao_sent += b.dao_sent,
                    rps.dao_ack_sent += b.dao_ack_sent, rps.parent_changes += b.parent_changes,
                    rps.local_repairs += b.local_repairs;
            }
            for (unsigned r = 0; r < unsigned(stack::StackDrop::kCount); ++r)
                sdrop += m->stack().drops()[stack::StackDrop(r)];
            for (unsigned r = 0; r < unsigned(nd::NdDrop::kCount); ++r)
                ndrop += m->nd()->drops()[nd::NdDrop(r)];
            fwd += m->stack().stats().rx_forwarded;
        }
        std::fprintf(stderr,
                     "    sent: rs %llu ra %llu ns %llu na %llu dar %llu dac %llu | dis %llu dio "
                     "%llu dao %llu dao-ack %llu | parent changes %llu local repairs %llu | "
                     "forwarded %llu | drops: stack %llu nd %llu\n",
                     (unsigned long long)nds.rs_sent, (unsigned long long)nds.ra_sent,
                     (unsigned long long)nds.ns_sent, (unsigned long long)nds.na_sent,
                     (unsigned long long)nds.dar_sent, (unsigned long long)nds.dac_sent,
                     (unsigned long long)rps.dis_sent, (unsigned long long)rps.dio_sent,
                     (unsigned long long)rps.dao_sent, (unsigned long long)rps.dao_ack_sent,
                     (unsigned long long)rps.parent_changes, (unsigned long long)rps.local_repairs,
                     (unsigned long long)fwd, (unsigned long long)sdrop, (unsigned long long)ndrop);
        // Drops by reason, summed over the nodes.
        // Drops by reason, summed over the nodes, then for the border router and the watched.
        std::vector<testbed::LowpanNdNode *> only;
        auto print_drops = [&](const char *what, auto kcount, auto get, auto name) {
            std::fprintf(stderr, "    %s drops:", what);
            for (unsigned r = 0; r < unsigned(kcount); ++r) {
                std::uint64_t c = 0;
                for (auto *m : only.empty() ? mesh->nodes : only)
                    c += get(*m, r);
                if (c)
                    std::fprintf(stderr, " %s=%llu", name(r), (unsigned long long)c);
            }
            std::fprintf(stderr, "\n");
        };
        std::vector<unsigned> who{~0u, 0};
        who.insert(who.end(), watched.begin(), watched.end());
        for (unsigned w : who) {
            only.clear();
            if (w != ~0u) {
                only.push_back(mesh->nodes[w]);
                std::fprintf(stderr, "    node %u:\n", w);
            }
            print_drops(
                "stack", stack::StackDrop::kCount,
                [](testbed::LowpanNdNode &m, unsigned r) {
                    return m.stack().drops()[stack::StackDrop(r)];
                },
                [](unsigned r) { return stack::drop_reason_name(stack::StackDrop(r)); });
            print_drops(
                "lowpan", lowpan::LowpanDrop::kCount,
                [](testbed::LowpanNdNode &m, unsigned r) {
                    return m.lowpan().drops()[lowpan::LowpanDrop(r)];
                },
                [](unsigned r) { return lowpan::drop_reason_name(lowpan::LowpanDrop(r)); });
            print_drops(
                "nd", nd::NdDrop::kCount,
                [](testbed::LowpanNdNode &m, unsigned r) { return m.nd()->drops()[nd::NdDrop(r)]; },
                [](unsigned r) { return nd::drop_reason_name(nd::NdDrop(r)); });
        }
        {
            const auto &ms = mesh->medium->stats();
            std::fprintf(stderr,
                         "    medium: frames %llu deliveries %llu cca busy %llu clear %llu |",
                         (unsigned long long)ms.frames, (unsigned long long)ms.deliveries,
                         (unsigned long long)ms.cca_busy, (unsigned long long)ms.cca_clear);
            for (unsigned r = 0; r < unsigned(sim::RadioRxDrop::kCount); ++r)
                if (const auto c = ms.drops[sim::RadioRxDrop(r)])
                    std::fprintf(stderr, " %s=%llu", sim::drop_reason_name(sim::RadioRxDrop(r)),
                                 (unsigned long long)c);
            std::fprintf(stderr, "\n");
        }
        std::fprintf(stderr, "    received: ns %llu na %llu dar %llu dac %llu\n",
                     (unsigned long long)nds.ns_received, (unsigned long long)nds.na_received,
                     (unsigned long long)nds.dar_received, (unsigned long long)nds.dac_received);
        {
            std::vector<std::uint64_t> rs;
            for (auto *m : mesh->nodes)
                rs.push_back(m->nd()->stats().rs_sent);
            std::size_t worst = 0;
            for (std::size_t i = 0; i < rs.size(); ++i)
                if (rs[i] > rs[worst])
                    worst = i;
            {
                auto *m = mesh->nodes[worst];
                const auto &a = m->nd()->stats();
                std::fprintf(stderr,
                             "    worst node %zu: %s, rs %llu ra rx %llu ns %llu na rx %llu, "
                             "connected %d, registered-router %s\n",
                             worst, nd::nd_state_name(m->nd()->state()),
                             (unsigned long long)a.rs_sent, (unsigned long long)a.ra_received,
                             (unsigned long long)a.ns_sent, (unsigned long long)a.na_received,
                             m->connected(), m->nd()->router().is_unspecified() ? "none" : "set");
                const auto &inf = m->nd()->info();
                const Instant t = mesh->sim.now();
                auto rel = [&](Instant x) {
                    return x == kNever ? -1.0 : std::chrono::duration<double>(x - t).count();
                };
                std::fprintf(stderr, "      abro in %.1f s;", rel(inf.abro_expires));
                for (const auto &p : inf.prefixes)
                    std::fprintf(stderr, " prefix in %.1f s;", rel(p.valid_until));
                for (const auto &c : inf.contexts)
                    std::fprintf(stderr, " context %u in %.1f s;", c.ctx.cid(), rel(c.expires));
                std::fprintf(stderr, "\n");
                char router[64] = "none", parent[64] = "none";
                if (!m->nd()->router().is_unspecified())
                    m->nd()->router().to_text(router, sizeof router);
                if (auto pp = m->rpl() ? m->rpl()->preferred_parent() : std::nullopt)
                    pp->to_text(parent, sizeof parent);
                std::fprintf(stderr, "      router %s, RPL parent %s, %d hops out\n", router,
                             parent, hops_from_root(positions)[worst]);
            }
            std::sort(rs.begin(), rs.end());
            std::fprintf(stderr, "    rs per node: median %llu p90 %llu max %llu\n",
                         (unsigned long long)rs[rs.size() / 2],
                         (unsigned long long)rs[rs.size() * 9 / 10], (unsigned long long)rs.back());
        }
        const auto &st = mesh->nodes[0]->nd()->stats();
        std::fprintf(stderr, "    6LBR: registry %zu dar rx %llu dac tx %llu\n",
                     mesh->nodes[0]->nd()->registry().size(), (unsigned long long)st.dar_received,
                     (unsigned long long)st.dac_sent);
    }
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
