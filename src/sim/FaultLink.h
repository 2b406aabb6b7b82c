// Fault injection as Link wrappers (ARCHITECTURE examples: faults as wrappers on a link): loss,
// delay, jitter, duplication, reordering and corruption. Each wraps any Link (a segment port,
// another wrapper), acts on the directions it is configured for (transmit by default) and
// passes the rest through untouched, draws its decisions from a Random stream the caller
// supplies (the node's stream under the scenario seed: same seed, same faults) and counts what
// it did. A wrapper draws its values per frame it acts on, in frame order, so its decisions
// depend only on the stream and the sequence of frames, never on timing.
//
// Compose by wrapping: LossLink loss(port, rng, {0.1}); DelayLink delay(loss, sched, rng, ...);
// the netif uses the outermost wrapper. Frames sent pass the wrappers outside in; frames
// received pass them inside out.
//
// Wrappers that hold frames (delay, jitter, reorder) copy them and forward them from scheduler
// events; a frame the inner link then refuses (down, queue full) is counted in
// FaultStats::forward_failures. Events still pending when a wrapper is destroyed do nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/Random.h"
#include "sim/LinkWrapper.h"
#include "sim/Scheduler.h"

namespace meshwork::sim {

/// True with probability `p` (clamped to [0, 1]); draws exactly one value.
bool draw_chance(Random &rng, double p);

struct FaultStats {
    std::uint64_t frames = 0;            // frames in the directions the wrapper acts on
    std::uint64_t affected = 0;          // dropped / duplicated / corrupted / reordered / delayed
    std::uint64_t forward_failures = 0;  // held frames the inner link refused later
};

class FaultLink : public LinkWrapper {
  public:
    const FaultStats &stats() const { return stats_; }
    LinkDirection directions() const { return directions_; }

  protected:
    FaultLink(Link &inner, Random &rng, LinkDirection directions)
        : LinkWrapper(inner), rng_(rng), directions_(directions) {}
    /// A frame in a direction this wrapper acts on (already counted in stats_.frames).
    virtual Status apply(LinkDirection d, ByteSpan frame) = 0;
    /// Forwards a copy of `frame` at `at` from a scheduler event; returns the event id.
    Scheduler::EventId forward_at(Scheduler &scheduler, Instant at, LinkDirection d,
                                  ByteSpan frame);

    Random &rng_;
    FaultStats stats_;

  private:
    Status handle(LinkDirection d, ByteSpan frame) final;

    LinkDirection directions_;
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

/// Drops each frame with probability `probability`.
struct LossConfig {
    double probability = 0;
    LinkDirection directions = LinkDirection::kTransmit;
};
class LossLink final : public FaultLink {
  public:
    LossLink(Link &inner, Random &rng, LossConfig config)
        : FaultLink(inner, rng, config.directions), config_(config) {}
    std::uint64_t dropped() const { return stats_.affected; }

  private:
    Status apply(LinkDirection d, ByteSpan frame) override;
    LossConfig config_;
};

/// Holds every frame for a fixed `delay` (order kept).
struct DelayConfig {
    Duration delay{0};
    LinkDirection directions = LinkDirection::kTransmit;
};
class DelayLink final : public FaultLink {
  public:
    DelayLink(Link &inner, Scheduler &scheduler, Random &rng, DelayConfig config)
        : FaultLink(inner, rng, config.directions), scheduler_(scheduler), config_(config) {}

  private:
    Status apply(LinkDirection d, ByteSpan frame) override;
    Scheduler &scheduler_;
    DelayConfig config_;
};

/// Holds each frame for a uniform random time in [0, max_jitter] (whole microseconds). With
/// keep_order a frame never overtakes an earlier one (it waits for it); without, frames closer
/// together than the jitter may swap.
struct JitterConfig {
    Duration max_jitter{0};
    bool keep_order = true;
    LinkDirection directions = LinkDirection::kTransmit;
};
class JitterLink final : public FaultLink {
  public:
    JitterLink(Link &inner, Scheduler &scheduler, Random &rng, JitterConfig config)
        : FaultLink(inner, rng, config.directions), scheduler_(scheduler), config_(config) {}
    /// The sum of the random delays drawn (before any wait for order).
    Duration total_jitter() const { return total_; }

  private:
    Status apply(LinkDirection d, ByteSpan frame) override;
    Scheduler &scheduler_;
    JitterConfig config_;
    Duration total_{0};
    Instant last_release_[2]{};  // per direction, for keep_order
};

/// Passes each frame on and, with probability `probability`, a second copy right after it.
struct DuplicateConfig {
    double probability = 0;
    LinkDirection directions = LinkDirection::kTransmit;
};
class DuplicateLink final : public FaultLink {
  public:
    DuplicateLink(Link &inner, Random &rng, DuplicateConfig config)
        : FaultLink(inner, rng, config.directions), config_(config) {}
    std::uint64_t duplicated() const { return stats_.affected; }

  private:
    Status apply(LinkDirection d, ByteSpan frame) override;
    DuplicateConfig config_;
};

/// With probability `probability` holds a frame back and passes it on right after the next
/// frame in the same direction (the two swap), or when `max_hold` has passed without one.
struct ReorderConfig {
    double probability = 0;
    Duration max_hold{Duration(10000)};
    LinkDirection directions = LinkDirection::kTransmit;
};
class ReorderLink final : public FaultLink {
  public:
    ReorderLink(Link &inner, Scheduler &scheduler, Random &rng, ReorderConfig config)
        : FaultLink(inner, rng, config.directions), scheduler_(scheduler), config_(config) {}
    ~ReorderLink() override;
    /// Frames held back and overtaken by the next one (FaultStats::affected counts every hold).
    std::uint64_t reordered() const { return reordered_; }
    /// Held frames released by max_hold, with nothing to swap with.
    std::uint64_t released_on_timeout() const { return timeouts_; }

  private:
    struct Held {
        bool present = false;
        std::vector<std::uint8_t> bytes;
        Scheduler::EventId timeout{};
    };
    Status apply(LinkDirection d, ByteSpan frame) override;
    void release(LinkDirection d);

    Scheduler &scheduler_;
    ReorderConfig config_;
    Held held_[2];  // per direction
    std::uint64_t reordered_ = 0;
    std::uint64_t timeouts_ = 0;
};

/// With probability `probability` flips `bit_flips` distinct random bits of a frame (beyond its
/// first `protected_bytes`, e.g. 14 to keep the Ethernet header and so the frame's delivery).
struct CorruptConfig {
    double probability = 0;
    std::uint32_t bit_flips = 1;
    std::size_t protected_bytes = 0;
    LinkDirection directions = LinkDirection::kTransmit;
};
class CorruptLink final : public FaultLink {
  public:
    CorruptLink(Link &inner, Random &rng, CorruptConfig config)
        : FaultLink(inner, rng, config.directions), config_(config) {}
    std::uint64_t corrupted() const { return stats_.affected; }
    std::uint64_t bits_flipped() const { return bits_flipped_; }

  private:
    Status apply(LinkDirection d, ByteSpan frame) override;
    CorruptConfig config_;
    std::vector<std::uint8_t> scratch_;
    std::vector<std::uint32_t> positions_;
    std::uint64_t bits_flipped_ = 0;
};

}  // namespace meshwork::sim
