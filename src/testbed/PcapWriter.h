// A pcap capture of simulated links: a sim::FrameSink (hang it on a sim::LinkTap or a
// segment's tap) that encodes each frame with wire/Pcap.h into a classic pcap held in memory,
// to save as a file Wireshark and tshark read. The simulator itself writes no files (sim
// depends on core only); this is the composition root's part.
//
// Timestamps are the frames' virtual instants (the simulation's epoch is 1970-01-01 in the
// capture). The file is a pure function of the frames and their instants: same seed, same
// bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Error.h"
#include "sim/LinkTap.h"
#include "wire/Pcap.h"

namespace meshwork::testbed {

class PcapWriter final : public sim::FrameSink {
  public:
    /// An empty capture (just the file header). Microsecond timestamps unless `nanosecond`.
    explicit PcapWriter(wire::PcapLinkType link_type = wire::PcapLinkType::kEthernet,
                        bool nanosecond = false);

    void record_frame(Instant at, sim::LinkDirection direction, ByteSpan frame) override;

    /// The whole file so far.
    const std::vector<std::uint8_t> &bytes() const { return file_; }
    std::uint64_t frames() const { return frames_; }
    /// Frames that could not be encoded (too short for the link type).
    std::uint64_t failures() const { return failures_; }

    /// Writes the capture to `path` (replacing it). kInvalidArgument if it cannot be written.
    Status save(const std::string &path) const;

  private:
    wire::PcapLinkType link_type_;
    bool nanosecond_;
    std::vector<std::uint8_t> file_;
    std::uint64_t frames_ = 0;
    std::uint64_t failures_ = 0;
};

}  // namespace meshwork::testbed
