#include "sim/Propagation.h"

#include <algorithm>
#include <cmath>

#include "core/Random.h"

namespace meshwork::sim {

double distance(const Position &a, const Position &b) {
    const double dx = a.x - b.x, dy = a.y - b.y, dz = a.z - b.z;
    return std::sqrt(dx * dx + dy * dy + dz * dz);
}

double UnitDiskPropagation::path_loss_db(RadioNodeId, RadioNodeId, const Position &a,
                                         const Position &b) const {
    return distance(a, b) <= range_ ? loss_ : kNoPath;
}

double UnitDiskPropagation::max_range_m(double max_loss_db) const {
    return max_loss_db >= loss_ ? range_ : 0.0;
}

double LogDistancePropagation::shadowing_db(RadioNodeId a, RadioNodeId b) const {
    if (p_.sigma_db <= 0)
        return 0;
    if (a > b)
        std::swap(a, b);
    // Two uniforms from a hash of (seed, link), then Box-Muller: a pure function of the link.
    const std::uint64_t h1 = mix64(p_.seed ^ mix64((std::uint64_t{a} << 32) | b));
    const std::uint64_t h2 = mix64(h1 ^ 0x9e3779b97f4a7c15ULL);
    const double u1 = (double(h1 >> 11) + 1.0) / 9007199254740993.0;  // (0, 1]
    const double u2 = double(h2 >> 11) / 9007199254740992.0;          // [0, 1)
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    const double c = p_.clip_sigmas;
    return p_.sigma_db * std::clamp(z, -c, c);
}

double LogDistancePropagation::path_loss_db(RadioNodeId tx, RadioNodeId rx, const Position &a,
                                            const Position &b) const {
    const double d = std::max(distance(a, b), p_.reference_m * 1e-3);
    const double pl = p_.reference_loss_db + 10.0 * p_.exponent * std::log10(d / p_.reference_m);
    return pl + shadowing_db(tx, rx);
}

double LogDistancePropagation::max_range_m(double max_loss_db) const {
    // The smallest possible loss at distance d is PL(d) - clip*sigma.
    const double margin =
        max_loss_db - p_.reference_loss_db + p_.clip_sigmas * std::max(0.0, p_.sigma_db);
    return p_.reference_m * std::pow(10.0, margin / (10.0 * p_.exponent));
}

void LinkMatrixPropagation::set_link(RadioNodeId tx, RadioNodeId rx, double loss_db,
                                     double frame_loss) {
    links_[{tx, rx}] = Link{loss_db, std::clamp(frame_loss, 0.0, 1.0)};
}

void LinkMatrixPropagation::set_symmetric(RadioNodeId a, RadioNodeId b, double loss_db,
                                          double frame_loss) {
    set_link(a, b, loss_db, frame_loss);
    set_link(b, a, loss_db, frame_loss);
}

void LinkMatrixPropagation::remove_link(RadioNodeId tx, RadioNodeId rx) {
    links_.erase({tx, rx});
}

double LinkMatrixPropagation::path_loss_db(RadioNodeId tx, RadioNodeId rx, const Position &,
                                           const Position &) const {
    auto it = links_.find({tx, rx});
    return it == links_.end() ? kNoPath : it->second.loss_db;
}

void LinkMatrixPropagation::links_from(RadioNodeId tx, std::vector<RadioNodeId> *out) const {
    for (auto it = links_.lower_bound({tx, 0}); it != links_.end() && it->first.first == tx; ++it)
        out->push_back(it->first.second);
}

double LinkMatrixPropagation::frame_loss(RadioNodeId tx, RadioNodeId rx) const {
    auto it = links_.find({tx, rx});
    return it == links_.end() ? 0.0 : it->second.frame_loss;
}

}  // namespace meshwork::sim
