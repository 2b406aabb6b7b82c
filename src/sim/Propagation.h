// Propagation models for the radio medium: how much of a transmitter's power reaches a
// receiver. Deterministic: a model's answer for a link depends only on its parameters, the two
// nodes and their positions (shadowing is drawn per link from the scenario seed), never on the
// order of questions. The medium asks each model once per link when it builds its neighbour
// lists, and the bound (max_range_m) lets it find candidates through a spatial grid instead of
// testing all pairs.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <utility>
#include <vector>

namespace meshwork::sim {

using RadioNodeId = std::uint32_t;

struct Position {
    double x = 0, y = 0, z = 0;
};
double distance(const Position &a, const Position &b);

/// "No path": the receiver gets nothing at all.
inline constexpr double kNoPath = std::numeric_limits<double>::infinity();

class Propagation {
  public:
    virtual ~Propagation() = default;
    /// Path loss in dB from tx to rx (kNoPath when the receiver gets nothing).
    virtual double path_loss_db(RadioNodeId tx, RadioNodeId rx, const Position &a,
                                const Position &b) const = 0;
    /// Largest distance over which the loss can be at most `max_loss_db` (infinity: positions
    /// do not bound it, and links_from() lists the candidates instead).
    virtual double max_range_m(double max_loss_db) const = 0;
    /// For models not based on positions: the receivers tx may reach, in increasing order.
    virtual bool position_based() const { return true; }
    virtual void links_from(RadioNodeId tx, std::vector<RadioNodeId> *out) const {
        (void)tx, (void)out;
    }
    /// Probability that a frame on this link is lost whatever its SINR (explicit matrix loss).
    virtual double frame_loss(RadioNodeId tx, RadioNodeId rx) const {
        return (void)tx, (void)rx, 0.0;
    }
};

/// Unit disk: a fixed loss up to `range_m`, nothing beyond (the textbook model: in range or not).
class UnitDiskPropagation final : public Propagation {
  public:
    explicit UnitDiskPropagation(double range_m, double loss_db = 60)
        : range_(range_m), loss_(loss_db) {}
    double path_loss_db(RadioNodeId, RadioNodeId, const Position &a,
                        const Position &b) const override;
    double max_range_m(double max_loss_db) const override;

  private:
    double range_;
    double loss_;
};

/// Log-distance path loss with log-normal shadowing:
///   PL(d) = PL(d0) + 10 n log10(d / d0) + X,  X ~ N(0, sigma) per link, clipped to +-clip sigma
/// X is the same in both directions and a pure function of (seed, the two node ids), so a
/// scenario seed fixes every link; clipping bounds the range for the spatial grid.
class LogDistancePropagation final : public Propagation {
  public:
    struct Params {
        double reference_loss_db = 40.0;  // free space at 1 m, 2.4 GHz
        double reference_m = 1.0;
        double exponent = 3.0;  // 2 free space, 2.7-3.5 indoors/urban
        double sigma_db = 4.0;  // shadowing standard deviation (0: none)
        double clip_sigmas = 3.0;
        std::uint64_t seed = 0;
    };
    explicit LogDistancePropagation(const Params &p) : p_(p) {}
    double path_loss_db(RadioNodeId tx, RadioNodeId rx, const Position &a,
                        const Position &b) const override;
    double max_range_m(double max_loss_db) const override;
    /// The shadowing term of the link {a, b} in dB.
    double shadowing_db(RadioNodeId a, RadioNodeId b) const;
    const Params &params() const { return p_; }

  private:
    Params p_;
};

/// An explicit link matrix: only the listed links exist, each with a loss in dB and a per-frame
/// loss probability (a trace-driven or hand-written topology).
class LinkMatrixPropagation final : public Propagation {
  public:
    void set_link(RadioNodeId tx, RadioNodeId rx, double loss_db, double frame_loss = 0);
    /// Both directions alike.
    void set_symmetric(RadioNodeId a, RadioNodeId b, double loss_db, double frame_loss = 0);
    void remove_link(RadioNodeId tx, RadioNodeId rx);

    double path_loss_db(RadioNodeId tx, RadioNodeId rx, const Position &,
                        const Position &) const override;
    double max_range_m(double) const override { return std::numeric_limits<double>::infinity(); }
    bool position_based() const override { return false; }
    void links_from(RadioNodeId tx, std::vector<RadioNodeId> *out) const override;
    double frame_loss(RadioNodeId tx, RadioNodeId rx) const override;

  private:
    struct Link {
        double loss_db;
        double frame_loss;
    };
    std::map<std::pair<RadioNodeId, RadioNodeId>, Link> links_;  // ordered: deterministic
};

}  // namespace meshwork::sim
