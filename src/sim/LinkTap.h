// A capture point on any link. A FrameSink receives each frame with its virtual timestamp; a
// LinkTap is a LinkWrapper that feeds one. The simulator writes no files (sim depends on core
// only): the pcap file writer is testbed/PcapWriter.h, a FrameSink over wire/Pcap.h.
#pragma once

#include "core/Bytes.h"
#include "core/Time.h"
#include "sim/LinkWrapper.h"

namespace meshwork::sim {

class FrameSink {
  public:
    virtual ~FrameSink() = default;
    /// One frame seen at virtual time `at`, going `direction` (kTransmit or kReceive as seen
    /// by the tapped link; a segment-wide tap reports kTransmit). `frame` is valid only during
    /// the call.
    virtual void record_frame(Instant at, LinkDirection direction, ByteSpan frame) = 0;
};

/// Records the frames passing through it: those sent that the inner link accepted, and those
/// received, each at the instant it passes.
class LinkTap final : public LinkWrapper {
  public:
    LinkTap(Link &inner, const Clock &clock, FrameSink &sink,
            LinkDirection directions = LinkDirection::kBoth)
        : LinkWrapper(inner), clock_(clock), sink_(sink), directions_(directions) {}

    std::uint64_t frames_recorded() const { return recorded_; }

  private:
    Status handle(LinkDirection d, ByteSpan frame) override {
        if (!includes(directions_, d))
            return forward(d, frame);
        // Received frames are recorded before the receiver may answer, so the capture is in
        // causal order.
        if (d == LinkDirection::kReceive)
            record(d, frame);
        Status s = forward(d, frame);
        if (d == LinkDirection::kTransmit && s.ok())
            record(d, frame);
        return s;
    }
    void record(LinkDirection d, ByteSpan frame) {
        ++recorded_;
        sink_.record_frame(clock_.now(), d, frame);
    }

    const Clock &clock_;
    FrameSink &sink_;
    LinkDirection directions_;
    std::uint64_t recorded_ = 0;
};

}  // namespace meshwork::sim
