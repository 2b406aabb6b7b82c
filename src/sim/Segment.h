// Ideal Ethernet-like links in virtual time: a broadcast segment (a hub every port hears) and a
// point-to-point link (a segment of two ports). Protocol-agnostic apart from the one thing an
// Ethernet NIC knows: the destination address in a frame's first six bytes, which each port
// filters on (its own address, any group address, or everything when promiscuous).
//
// Timing, per frame of n bytes sent from a port (docs/sim.md, "Links"):
//   serialization  s = (n + per_frame_overhead) * 8 / bit_rate   (0 when bit_rate is 0)
//   start          the later of now and the end of the port's previous frame (FIFO per port)
//   arrival        start + s + latency, rounded up to the next whole microsecond
// A port's transmitter keeps its own clock in nanoseconds, so back-to-back frames accumulate no
// rounding. Ports transmit independently (no collisions: that is the radio medium's business).
// Each frame arrives as one scheduler event that hands it to the other ports in the order they
// were attached; frames arriving at the same instant are handed over in the order they were
// sent, so delivery order is a pure function of what was sent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "core/DropCounters.h"
#include "core/Link.h"
#include "sim/LinkTap.h"
#include "sim/Scheduler.h"

namespace meshwork::sim {

struct SegmentConfig {
    /// Propagation delay from the last bit sent to the frame's arrival.
    Duration latency{0};
    /// Bits per second on each port; 0 is infinitely fast (no serialization delay).
    std::uint64_t bit_rate = 0;
    /// Largest payload (the frame may be mtu + 14 bytes).
    std::size_t mtu = kEthernetDefaultMtu;
    /// Frames that may wait at a port behind the one being sent; 0 is unlimited.
    std::size_t queue_limit = 0;
    /// Bytes a frame occupies on the wire besides itself (24 for real Ethernet: preamble and
    /// start delimiter 8, FCS 4, inter-frame gap 12). 0: only the frame's own bytes.
    std::size_t per_frame_overhead = 0;
};

/// Why a port did not send or did not deliver a frame.
enum class PortDrop : std::uint8_t {
    kDown,       // sent while down, lost in flight when the sender went down, or arrived at a
                 // port that is down
    kTooShort,   // shorter than the 14-byte Ethernet header
    kTooLong,    // longer than mtu + 14
    kQueueFull,  // queue_limit frames already waiting
    kCount,
};
const char *drop_reason_name(PortDrop r);

struct PortStats {
    std::uint64_t tx_frames = 0;  // accepted by send()
    std::uint64_t tx_bytes = 0;
    std::uint64_t rx_frames = 0;  // handed to the receiver
    std::uint64_t rx_bytes = 0;
    std::uint64_t filtered = 0;  // arrived for another unicast address
    DropCounters<PortDrop> drops;
};

class Segment;

/// One network interface's attachment to a segment: a Link.
class SegmentPort final : public Link {
  public:
    Status send(ByteSpan frame) override;
    std::size_t mtu() const override;
    EthernetAddress address() const override { return address_; }
    bool is_up() const override { return up_; }

    /// Carrier up or down (a cable plugged or pulled); the receiver is told. Going down loses
    /// the frames waiting at this port and those it has in flight.
    void set_up(bool up);
    /// Deliver every frame, whatever its destination.
    void set_promiscuous(bool on) { promiscuous_ = on; }
    bool promiscuous() const { return promiscuous_; }

    const PortStats &stats() const { return stats_; }
    /// Frames waiting behind the one on the wire.
    std::size_t queued() const;
    /// The instant this port's transmitter is free again (now, when idle).
    Instant busy_until() const;
    std::size_t index() const { return index_; }

  private:
    friend class Segment;
    SegmentPort(Segment &segment, std::size_t index, EthernetAddress address)
        : segment_(segment), index_(index), address_(address) {}
    bool accepts(ByteSpan frame) const;

    Segment &segment_;
    std::size_t index_;
    EthernetAddress address_;
    bool up_ = true;
    bool promiscuous_ = false;
    std::int64_t busy_until_ns_ = 0;
    mutable std::deque<std::int64_t> waiting_starts_ns_;  // start times still in the future
    std::uint64_t epoch_ = 0;                             // bumped on down: in-flight frames die
    PortStats stats_;
};

class Segment {
  public:
    explicit Segment(Scheduler &scheduler, SegmentConfig config = {});
    ~Segment();
    Segment(const Segment &) = delete;
    Segment &operator=(const Segment &) = delete;

    /// A new port with the given address; it lives as long as the segment.
    SegmentPort &attach(EthernetAddress address);
    std::size_t port_count() const { return ports_.size(); }
    SegmentPort &port(std::size_t i) { return *ports_[i]; }

    const SegmentConfig &config() const { return config_; }
    Scheduler &scheduler() { return scheduler_; }

    /// Records every frame once, at its arrival instant, before it is handed to the ports (a
    /// capture of the whole segment, as on a hub). nullptr: none. The sink must outlive the
    /// segment or be unset first.
    void set_tap(FrameSink *sink) { tap_ = sink; }

    /// Nanoseconds a frame of `bytes` bytes occupies a port's transmitter.
    std::int64_t serialization_ns(std::size_t bytes) const;

  private:
    friend class SegmentPort;
    Status transmit(SegmentPort &from, ByteSpan frame);
    void arrive(std::size_t from, std::uint64_t epoch, ByteSpan frame);

    Scheduler &scheduler_;
    SegmentConfig config_;
    std::vector<std::unique_ptr<SegmentPort>> ports_;
    FrameSink *tap_ = nullptr;
    // Events still scheduled when the segment is destroyed must not touch it.
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

/// Two ports joined directly: a cable between two NICs.
class PointToPointLink {
  public:
    PointToPointLink(Scheduler &scheduler, EthernetAddress a, EthernetAddress b,
                     SegmentConfig config = {})
        : segment_(scheduler, config), a_(segment_.attach(a)), b_(segment_.attach(b)) {}

    SegmentPort &a() { return a_; }
    SegmentPort &b() { return b_; }
    Segment &segment() { return segment_; }

  private:
    Segment segment_;
    SegmentPort &a_;
    SegmentPort &b_;
};

}  // namespace meshwork::sim
