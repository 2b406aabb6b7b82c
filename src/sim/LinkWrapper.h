// A Link wrapped around another Link (ARCHITECTURE examples: tracing and faults as wrappers on
// a link). The wrapper is what the netif sees; the inner link is what it wraps. Frames the netif
// sends pass through handle(kTransmit) on their way down; frames the inner link receives pass
// through handle(kReceive) on their way up. MTU, address and state are the inner link's.
// Wrappers compose: wrap a wrapper. A wrapper registers itself as its inner link's receiver, so
// the inner link must not be given another one, and must outlive the wrapper.
#pragma once

#include <cstdint>

#include "core/Link.h"

namespace meshwork::sim {

enum class LinkDirection : std::uint8_t {
    kTransmit = 1,  // from the netif down to the inner link
    kReceive = 2,   // from the inner link up to the netif
    kBoth = 3,
};
inline bool includes(LinkDirection set, LinkDirection d) {
    return (static_cast<std::uint8_t>(set) & static_cast<std::uint8_t>(d)) != 0;
}

class LinkWrapper : public Link, private LinkReceiver {
  public:
    explicit LinkWrapper(Link &inner) : inner_(inner) { inner_.set_receiver(this); }
    ~LinkWrapper() override {
        if (inner_.receiver() == this)
            inner_.set_receiver(nullptr);
    }

    Status send(ByteSpan frame) final { return handle(LinkDirection::kTransmit, frame); }
    std::size_t mtu() const override { return inner_.mtu(); }
    EthernetAddress address() const override { return inner_.address(); }
    bool is_up() const override { return inner_.is_up(); }

    Link &inner() { return inner_; }

  protected:
    /// One frame passing in direction `d` (kTransmit or kReceive). Default: passes it on.
    virtual Status handle(LinkDirection d, ByteSpan frame) { return forward(d, frame); }
    /// Passes a frame on: down to the inner link, or up to this link's receiver.
    Status forward(LinkDirection d, ByteSpan frame) {
        if (d == LinkDirection::kTransmit)
            return inner_.send(frame);
        deliver(frame);
        return Status();
    }

  private:
    void link_receive(ByteSpan frame) final { (void)handle(LinkDirection::kReceive, frame); }
    void link_state_changed(bool up) final { notify_state(up); }

    Link &inner_;
};

}  // namespace meshwork::sim
