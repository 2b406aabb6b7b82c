// The simulated 6LoWPAN-ND mesh meshwork-sim puts its nodes on with --mesh (docs/mesh-api.md
// "Running a mesh"): an 802.15.4 medium (unit disk of --range metres), node positions (a line, a
// grid or a random connected placement drawn from the seed), one LowpanNdNode per node (node 1
// the border router), an optional pcap of the air, and the run's progress and summary.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "meshwork/sim/Simulation.h"
#include "sim/Propagation.h"
#include "sim/RadioMedium.h"
#include "testbed/Capture802154.h"
#include "testbed/LowpanNdNode.h"

namespace meshwork::tools {

struct MeshOptions {
    std::string topology = "random";  // line, grid, random
    double range_m = 25;              // radio range (unit disk)
    double spacing_m = 0;             // line / grid spacing; 0: 0.8 x range
    std::string pcap;                 // path of the capture; empty: none
};

/// Positions for `n` nodes, the border router first. A random placement is uniform in a square
/// sized for about six neighbours per node, with the border router in the middle (the far
/// corners are several hops out), redrawn until every node has a path to the border router.
/// Empty with `error` set when no connected placement was found.
std::vector<sim::Position> place_nodes(unsigned n, const MeshOptions &options, SeededRandom rng,
                                       std::string &error);

class MeshWorld {
  public:
    MeshWorld(sim::Simulation &simulation, const MeshOptions &options,
              std::vector<sim::Position> positions);
    /// The node's mesh interface: attach before the node's application (it must outlive it).
    testbed::LowpanNdNode &attach(sim::Node &node);
    /// Opens the pcap (if one was asked for); false with a message on stderr on failure.
    bool open_capture();

    unsigned connected() const;
    std::size_t size() const { return nodes_.size(); }
    /// "t=12.0 s: 14/20 connected".
    std::string progress(Instant now) const;
    /// Nodes connected, formation time, hops from the border router, UDP delivery, pcap.
    void print_summary(std::FILE *out, Instant start, double wall_s) const;

  private:
    sim::Simulation &sim_;
    MeshOptions options_;
    std::vector<sim::Position> positions_;
    sim::RadioMedium *medium_ = nullptr;
    testbed::Capture802154 *capture_ = nullptr;
    std::vector<testbed::LowpanNdNode *> nodes_;
};

}  // namespace meshwork::tools
