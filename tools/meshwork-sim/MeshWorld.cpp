// meshwork-sim --mesh: placement, the nodes' mesh interfaces, progress and summary.
#include "MeshWorld.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <cstdlib>
#include <map>

#include "stack/UdpSockets.h"

namespace meshwork::tools {

namespace {

bool connected_graph(const std::vector<sim::Position> &p, double range) {
    std::vector<bool> seen(p.size(), false);
    std::deque<std::size_t> todo{0};
    seen[0] = true;
    std::size_t reached = 1;
    while (!todo.empty()) {
        const std::size_t i = todo.front();
        todo.pop_front();
        for (std::size_t j = 0; j < p.size(); ++j)
            if (!seen[j] && sim::distance(p[i], p[j]) <= range) {
                seen[j] = true;
                ++reached;
                todo.push_back(j);
            }
    }
    return reached == p.size();
}

double seconds(Duration d) {
    return std::chrono::duration<double>(d).count();
}

}  // namespace

std::vector<sim::Position> place_nodes(unsigned n, const MeshOptions &o, SeededRandom rng,
                                       std::string &error) {
    const double spacing = o.spacing_m > 0 ? o.spacing_m : 0.8 * o.range_m;
    std::vector<sim::Position> p;
    if (o.topology == "line") {
        for (unsigned i = 0; i < n; ++i)
            p.push_back({spacing * i, 0, 0});
    } else if (o.topology == "grid") {
        const auto side = static_cast<unsigned>(std::ceil(std::sqrt(static_cast<double>(n))));
        for (unsigned i = 0; i < n; ++i)
            p.push_back({spacing * (i % side), spacing * (i / side), 0});
    } else if (o.topology == "random") {
        // Area for about six neighbours per node: n * pi r^2 / 6.
        const double side = std::sqrt(n * M_PI * o.range_m * o.range_m / 6.0);
        for (int attempt = 0; attempt < 1000; ++attempt) {
            p.assign(1, sim::Position{side / 2, side / 2, 0});
            for (unsigned i = 1; i < n; ++i) {
                const double x = side * (rng.uniform(1u << 30) / double(1u << 30));
                const double y = side * (rng.uniform(1u << 30) / double(1u << 30));
                p.push_back({x, y, 0});
            }
            if (connected_graph(p, o.range_m))
                return p;
        }
        error =
            "no connected random placement of " + std::to_string(n) + " nodes found: raise --range";
        return {};
    } else {
        error = "unknown --topology '" + o.topology + "' (line, grid or random)";
        return {};
    }
    if (!connected_graph(p, o.range_m)) {
        error = "--spacing " + std::to_string(spacing) + " m is beyond --range " +
                std::to_string(o.range_m) + " m: the nodes cannot hear each other";
        return {};
    }
    return p;
}

MeshWorld::MeshWorld(sim::Simulation &simulation, const MeshOptions &options,
                     std::vector<sim::Position> positions)
    : sim_(simulation), options_(options), positions_(std::move(positions)) {
    medium_ = &sim_.own(std::make_unique<sim::RadioMedium>(
        sim_.scheduler(), std::make_unique<sim::UnitDiskPropagation>(options_.range_m)));
    if (!options_.pcap.empty())
        capture_ = &sim_.own(std::make_unique<testbed::Capture802154>(*medium_));
}

testbed::LowpanNdNode &MeshWorld::attach(sim::Node &node) {
    const std::size_t i = nodes_.size();
    const sim::RadioNodeId rid = medium_->add_node(positions_.at(i));
    testbed::LowpanNdNodeConfig cfg;
    cfg.border_router = i == 0;
    auto &m = node.attach(std::make_unique<testbed::LowpanNdNode>(node, *medium_, rid, cfg));
    nodes_.push_back(&m);
    return m;
}

bool MeshWorld::open_capture() {
    if (!capture_)
        return true;
    if (!capture_->open(options_.pcap)) {
        std::fprintf(stderr, "meshwork-sim: cannot write %s\n", options_.pcap.c_str());
        return false;
    }
    return true;
}

unsigned MeshWorld::connected() const {
    return static_cast<unsigned>(
        std::count_if(nodes_.begin(), nodes_.end(), [](auto *n) { return n->connected(); }));
}

std::string MeshWorld::progress(Instant now) const {
    char line[96];
    std::snprintf(line, sizeof line, "t=%.1f s: %u/%zu connected", seconds(now.time_since_epoch()),
                  connected(), nodes_.size());
    return line;
}

void MeshWorld::print_summary(std::FILE *out, Instant start, double wall_s) const {
    const unsigned up = connected();
    Instant last = start;
    for (auto *n : nodes_)
        if (n->connected())
            last = std::max(last, n->connected_at());
    std::fprintf(out, "\nSummary\n");
    std::fprintf(out, "  nodes connected:      %u of %zu (node 1 is the border router)\n", up,
                 nodes_.size());
    if (up == nodes_.size())
        std::fprintf(out,
                     "  formation time:       %.1f s of virtual time (%.2f s of wall time "
                     "for the whole run)\n",
                     seconds(last - start), wall_s);
    // Hops from the border router along its source routes.
    testbed::LowpanNdNode *br = nodes_.empty() ? nullptr : nodes_.front();
    std::map<unsigned, unsigned> hops;
    unsigned unknown = 0, max_hops = 0;
    for (std::size_t i = 1; i < nodes_.size(); ++i) {
        const unsigned h = br ? br->route_hops(nodes_[i]->global()) : 0;
        if (h == 0) {
            ++unknown;
            continue;
        }
        ++hops[h];
        max_hops = std::max(max_hops, h);
    }
    std::fprintf(out, "  hops from the border router:");
    for (const auto &kv : hops)
        std::fprintf(out, " %u hop%s: %u node%s;", kv.first, kv.first == 1 ? "" : "s", kv.second,
                     kv.second == 1 ? "" : "s");
    if (unknown)
        std::fprintf(out, " no route: %u;", unknown);
    std::fprintf(out, " deepest %u\n",
                 max_hops);  // The shortest paths the placement allows, for comparison.
    {
        std::vector<unsigned> dist(positions_.size(), 0);
        std::vector<bool> seen(positions_.size(), false);
        std::deque<std::size_t> todo{0};
        seen[0] = true;
        unsigned deepest = 0;
        while (!todo.empty()) {
            const std::size_t i = todo.front();
            todo.pop_front();
            for (std::size_t j = 0; j < positions_.size(); ++j)
                if (!seen[j] && sim::distance(positions_[i], positions_[j]) <= options_.range_m) {
                    seen[j] = true;
                    dist[j] = dist[i] + 1;
                    deepest = std::max(deepest, dist[j]);
                    todo.push_back(j);
                }
        }
        std::fprintf(out, "  shortest possible:    deepest %u hops\n", deepest);
    }
    if (std::getenv("MESHWORK_SIM_DEBUG"))
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
            const auto *nd = nodes_[i]->nd();
            if (!nd)
                continue;
            const auto &st = nd->stats();
            std::fprintf(
                out,
                "  [debug] node %zu rs %llu/%llu ra %llu/%llu ns %llu/%llu na %llu/%llu drops:",
                i + 1, (unsigned long long)st.rs_sent, (unsigned long long)st.rs_received,
                (unsigned long long)st.ra_sent, (unsigned long long)st.ra_received,
                (unsigned long long)st.ns_sent, (unsigned long long)st.ns_received,
                (unsigned long long)st.na_sent, (unsigned long long)st.na_received);
            for (unsigned r = 0; r < unsigned(nd::NdDrop::kCount); ++r)
                if (auto c = nd->drops()[nd::NdDrop(r)])
                    std::fprintf(out, " %s=%llu", nd::drop_reason_name(nd::NdDrop(r)),
                                 (unsigned long long)c);
            char g[wire::Ip6Address::kTextMax], rt[wire::Ip6Address::kTextMax];
            nd->global_address().to_text(g, sizeof g);
            nd->router().to_text(rt, sizeof rt);
            std::fprintf(out, " prefixes=%zu contexts=%zu abro=%u global=%s state=%s router=%s\n",
                         nd->info().prefixes.size(), nd->info().contexts.size(), nd->abro_version(),
                         g, nd::nd_state_name(nd->state()), rt);
        }
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const auto *n = nodes_[i];
        if (n->connected())
            continue;
        const auto *nd = n->nd();
        const auto *rpl = n->rpl();
        std::fprintf(out, "  node %zu not connected: 6LoWPAN-ND %s, RPL %s (rank %u, DAO %s)\n",
                     i + 1, nd ? nd::nd_state_name(nd->state()) : "stopped",
                     rpl ? (rpl->joined() ? "joined" : "not joined") : "none",
                     rpl ? rpl->rank() : 0u,
                     rpl && rpl->dao_acknowledged() ? "acknowledged" : "not acknowledged");
    }
    // Unicast UDP that sockets sent, against what reached a socket.
    std::uint64_t sent = 0, received = 0, msent = 0, mreceived = 0;
    for (auto *n : nodes_) {
        const auto &s = n->stack().udp().stats();
        sent += s.unicast_sent;
        received += s.unicast_received;
        msent += s.multicast_sent;
        mreceived += s.multicast_received;
    }
    std::fprintf(out,
                 "  UDP delivery:         %llu of %llu unicast datagrams (%.1f %%); "
                 "%llu multicast sent, %llu received of at most %llu (MPL across the mesh, within "
                 "each datagram's hop limit; a node not yet connected or joined misses it)\n",
                 static_cast<unsigned long long>(received), static_cast<unsigned long long>(sent),
                 sent ? 100.0 * static_cast<double>(received) / static_cast<double>(sent) : 0.0,
                 static_cast<unsigned long long>(msent), static_cast<unsigned long long>(mreceived),
                 static_cast<unsigned long long>(msent * (nodes_.empty() ? 0 : nodes_.size() - 1)));
    if (capture_)
        std::fprintf(out, "  capture:              %s (%llu frames; tshark -r %s)\n",
                     options_.pcap.c_str(), static_cast<unsigned long long>(capture_->records()),
                     options_.pcap.c_str());
}

}  // namespace meshwork::tools
