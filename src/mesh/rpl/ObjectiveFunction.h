// RPL objective functions: OF0 (RFC 6552, OCP 0) and MRHOF with the ETX metric (RFC 6719, OCP
// 1). Both compute the rank a node would have through a candidate parent and pick the
// preferred parent; MRHOF switches only for a path cost better by PARENT_SWITCH_THRESHOLD.
// Ranks are 16-bit (RFC 6550 3.5); ETX is fixed point with 128 = 1.0 (RFC 6551 4.3.2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace meshwork::rpl {

constexpr std::uint16_t kInfiniteRank = 0xffff;  // RFC 6550 17
constexpr std::uint16_t kEtxOne = 128;

namespace Ocp {
constexpr std::uint16_t kOf0 = 0;
constexpr std::uint16_t kMrhof = 1;
}  // namespace Ocp

/// What the objective function sees of one candidate parent.
struct OfCandidate {
    std::uint16_t rank = kInfiniteRank;  // its advertised rank
    std::uint16_t etx = 2 * kEtxOne;     // the link's ETX to it
};

struct OfParams {
    std::uint16_t min_hop_rank_increase = 128;
    std::uint16_t max_rank_increase = 2048;
    // OF0 (RFC 6552 4.1, 6): rank_increase = (Rf * Sp + Sr) * MinHopRankIncrease.
    std::uint8_t rank_factor = 1;   // DEFAULT_RANK_FACTOR
    std::uint8_t step_of_rank = 3;  // DEFAULT_STEP_OF_RANK
    std::uint8_t rank_stretch = 0;  // DEFAULT_RANK_STRETCH
    // MRHOF (RFC 6719 5)
    std::uint16_t max_link_metric = 512;          // MAX_LINK_METRIC (ETX 4)
    std::uint16_t max_path_cost = 32768;          // MAX_PATH_COST
    std::uint16_t parent_switch_threshold = 640;  // PARENT_SWITCH_THRESHOLD: ETX 5, see docs/rpl.md
};

class ObjectiveFunction {
  public:
    ObjectiveFunction(std::uint16_t ocp, OfParams params) : ocp_(ocp), p_(params) {}
    std::uint16_t ocp() const { return ocp_; }
    const OfParams &params() const { return p_; }

    /// DAGRank (RFC 6550 3.5.1).
    std::uint16_t dag_rank(std::uint16_t rank) const {
        return static_cast<std::uint16_t>(rank / p_.min_hop_rank_increase);
    }
    /// Whether the candidate can be in the parent set at all (a finite rank; MRHOF: a link
    /// metric and a path cost under the maxima).
    bool acceptable(const OfCandidate &c) const;
    /// The path cost through `c` (MRHOF: its rank plus the link ETX; OF0: the rank it gives).
    std::uint32_t path_cost(const OfCandidate &c) const;
    /// The rank through `c` alone: OF0 R(P) + rank_increase (RFC 6552 4.1); MRHOF the path
    /// cost, at least R(P) rounded up to the next DAGRank (RFC 6719 3.3). kInfiniteRank if
    /// not acceptable or overflowing.
    std::uint16_t rank_via(const OfCandidate &c) const;
    /// The preferred parent among `cands` (index), keeping `current` (index or -1) unless
    /// another is better (OF0: a strictly lower rank; MRHOF: a path cost lower by more than
    /// PARENT_SWITCH_THRESHOLD). -1 when none is acceptable.
    int select(const std::vector<OfCandidate> &cands, int current) const;
    /// The node's rank with `preferred` among `cands` (MRHOF's 3.3 rules over the parent set;
    /// OF0 rank_via(preferred)).
    std::uint16_t rank(const std::vector<OfCandidate> &cands, int preferred) const;

  private:
    std::uint16_t ocp_;
    OfParams p_;
};

}  // namespace meshwork::rpl
