#include "ObjectiveFunction.h"

namespace meshwork::rpl {

bool ObjectiveFunction::acceptable(const OfCandidate &c) const {
    if (c.rank == kInfiniteRank)
        return false;
    if (ocp_ == Ocp::kMrhof)
        return c.etx <= p_.max_link_metric && path_cost(c) < p_.max_path_cost;
    return true;
}

std::uint32_t ObjectiveFunction::path_cost(const OfCandidate &c) const {
    if (ocp_ == Ocp::kMrhof)
        return static_cast<std::uint32_t>(c.rank) + c.etx;
    return rank_via(c);
}

std::uint16_t ObjectiveFunction::rank_via(const OfCandidate &c) const {
    if (c.rank == kInfiniteRank)
        return kInfiniteRank;
    std::uint32_t r;
    if (ocp_ == Ocp::kMrhof) {
        if (!acceptable(c))
            return kInfiniteRank;
        const std::uint32_t floor_rank =
            (static_cast<std::uint32_t>(dag_rank(c.rank)) + 1u) * p_.min_hop_rank_increase;
        r = path_cost(c);
        if (r < floor_rank)
            r = floor_rank;
    } else {
        const std::uint32_t inc =
            (static_cast<std::uint32_t>(p_.rank_factor) * p_.step_of_rank + p_.rank_stretch) *
            p_.min_hop_rank_increase;
        r = static_cast<std::uint32_t>(c.rank) + (inc == 0 ? p_.min_hop_rank_increase : inc);
    }
    return r >= kInfiniteRank ? kInfiniteRank : static_cast<std::uint16_t>(r);
}

int ObjectiveFunction::select(const std::vector<OfCandidate> &cands, int current) const {
    int best = -1;
    for (std::size_t i = 0; i < cands.size(); ++i) {
        if (!acceptable(cands[i]) || rank_via(cands[i]) == kInfiniteRank)
            continue;
        if (best < 0 || path_cost(cands[i]) < path_cost(cands[static_cast<std::size_t>(best)]))
            best = static_cast<int>(i);
    }
    if (best < 0)
        return -1;
    if (current >= 0 && static_cast<std::size_t>(current) < cands.size() && current != best) {
        const OfCandidate &cur = cands[static_cast<std::size_t>(current)];
        if (acceptable(cur) && rank_via(cur) != kInfiniteRank) {
            const std::uint32_t cur_cost = path_cost(cur);
            const std::uint32_t new_cost = path_cost(cands[static_cast<std::size_t>(best)]);
            const std::uint32_t threshold = ocp_ == Ocp::kMrhof ? p_.parent_switch_threshold : 0;
            if (new_cost + threshold >= cur_cost)
                return current;  // hysteresis: not better enough
        }
    }
    return best;
}

std::uint16_t ObjectiveFunction::rank(const std::vector<OfCandidate> &cands, int preferred) const {
    if (preferred < 0 || static_cast<std::size_t>(preferred) >= cands.size())
        return kInfiniteRank;
    std::uint32_t r = rank_via(cands[static_cast<std::size_t>(preferred)]);
    if (r == kInfiniteRank || ocp_ != Ocp::kMrhof)
        return static_cast<std::uint16_t>(r);
    // RFC 6719 3.3: at least the highest advertised rank in the parent set rounded up, and the
    // largest path cost through it less MaxRankIncrease. The parent set here is the
    // acceptable candidates ranked below the path through the preferred parent.
    for (const auto &c : cands) {
        if (!acceptable(c) || c.rank >= r)
            continue;
        const std::uint32_t up =
            (static_cast<std::uint32_t>(dag_rank(c.rank)) + 1u) * p_.min_hop_rank_increase;
        if (up > r)
            r = up;
        const std::uint32_t cost = path_cost(c);
        if (cost > p_.max_rank_increase && cost - p_.max_rank_increase > r)
            r = cost - p_.max_rank_increase;
    }
    return r >= kInfiniteRank ? kInfiniteRank : static_cast<std::uint16_t>(r);
}

}  // namespace meshwork::rpl
