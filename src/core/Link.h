// The Link seam: how a node's network interface moves whole link-layer frames in and out
// (ARCHITECTURE layout, "the seams Radio and Link"). Protocol-agnostic: a Link carries bytes
// and knows its MTU, its own address and whether it is up; what is inside a frame is the
// netif's business. Implementations: the simulator's point-to-point link and Ethernet-like
// segment (src/sim/Segment.h), the fault and tap wrappers around any Link (src/sim/Fault*.h,
// src/sim/LinkTap.h), and a Linux TAP device (src/host/TapLink.h).
//
// Frames. On an Ethernet-like link a frame is a whole Ethernet II frame: the 14-byte header
// (destination, source, EtherType) and the payload, without preamble or FCS. send() accepts at
// most mtu() + kEthernetHeaderSize bytes; mtu() is the payload size (1500 by default), as Mbed's
// EMAC get_mtu_size() reports it.
//
// Buffers. send() takes a ByteSpan: the netif builds the frame zero-copy in its own
// PacketBuffer (every header prepended into headroom) and passes buffer.data(). The link copies
// the bytes onto its "wire" (or writes them to a device) before send() returns, so the caller
// may free or reuse its buffer at once; a node's PacketBuffers never leave its pool. A received
// frame is lent to the receiver for the duration of link_receive(); a receiver that keeps it
// copies it into a buffer of its own pool (that copy is the node's receive DMA, and where a full
// pool shows up as a counted drop).
//
// Threading: none. A Link is used from its owner's context (one simulation, one thread) and
// calls its receiver from that context, never from inside send().
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"

namespace meshwork {

/// A 48-bit IEEE MAC address (EUI-48), as Ethernet-like links use.
struct EthernetAddress {
    static constexpr std::size_t kSize = 6;
    std::array<std::uint8_t, kSize> bytes{};

    static constexpr EthernetAddress broadcast() {
        return EthernetAddress{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
    }
    /// The address in the first six bytes of `b` (all zero if shorter).
    static EthernetAddress from(ByteSpan b) {
        EthernetAddress a;
        if (b.size >= kSize) {
            for (std::size_t i = 0; i < kSize; ++i)
                a.bytes[i] = b[i];
        }
        return a;
    }
    /// Group (multicast or broadcast): the I/G bit, the least significant bit of the first byte.
    bool is_group() const { return (bytes[0] & 0x01) != 0; }
    bool is_broadcast() const { return *this == broadcast(); }
    /// Locally administered (the U/L bit): what a simulator hands out.
    bool is_local() const { return (bytes[0] & 0x02) != 0; }
    ByteSpan span() const { return ByteSpan(bytes.data(), kSize); }

    friend bool operator==(const EthernetAddress &a, const EthernetAddress &b) {
        return a.bytes == b.bytes;
    }
    friend bool operator!=(const EthernetAddress &a, const EthernetAddress &b) { return !(a == b); }
};

/// Ethernet II: destination (6), source (6), EtherType (2).
inline constexpr std::size_t kEthernetHeaderSize = 14;
inline constexpr std::size_t kEthernetDefaultMtu = 1500;

/// Where a Link delivers what it receives.
class LinkReceiver {
  public:
    virtual ~LinkReceiver() = default;
    /// A whole frame arrived. `frame` is valid only during the call.
    virtual void link_receive(ByteSpan frame) = 0;
    /// The link went up (carrier) or down. Default: ignored.
    virtual void link_state_changed(bool up) { (void)up; }
};

class Link {
  public:
    virtual ~Link() = default;
    Link() = default;
    Link(const Link &) = delete;
    Link &operator=(const Link &) = delete;

    /// Queues a whole frame for transmission; the bytes are copied before it returns.
    /// Errors (the frame is not sent): kBadState when the link is down, kInvalidArgument for a
    /// frame shorter than the link's header or longer than its MTU allows, kNoSpace when the
    /// transmit queue is full. A frame accepted may still be lost on the way (that is not an
    /// error of send(), as on a real wire).
    virtual Status send(ByteSpan frame) = 0;
    /// The largest payload a frame may carry (not counting the link header).
    virtual std::size_t mtu() const = 0;
    /// This end's own link-layer address.
    virtual EthernetAddress address() const = 0;
    /// True while the link can carry frames.
    virtual bool is_up() const = 0;

    /// Where received frames and state changes go (nullptr: dropped). The receiver must outlive
    /// the link or be unset first.
    void set_receiver(LinkReceiver *receiver) { receiver_ = receiver; }
    LinkReceiver *receiver() const { return receiver_; }

  protected:
    /// For implementations: hand a received frame / a state change to the receiver.
    void deliver(ByteSpan frame) {
        if (receiver_ != nullptr)
            receiver_->link_receive(frame);
    }
    void notify_state(bool up) {
        if (receiver_ != nullptr)
            receiver_->link_state_changed(up);
    }

  private:
    LinkReceiver *receiver_ = nullptr;
};

}  // namespace meshwork
