// Path MTU per destination (RFC 8201): lowered by ICMPv6 Packet Too Big, never below the IPv6
// minimum of 1280 (RFC 8201 4), forgotten after `lifetime` so that a larger path MTU is found
// again (RFC 8201 4: at least 5 minutes, 10 recommended). Bounded: the oldest entry goes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>

#include "core/Time.h"
#include "wire/Ip6Address.h"

namespace meshwork::stack {

class PmtuCache {
  public:
    explicit PmtuCache(std::size_t max_entries = 32, Duration lifetime = std::chrono::minutes(10))
        : max_entries_(max_entries), lifetime_(lifetime) {}

    /// A Packet Too Big for `dst` reporting `mtu`. Returns true if the cache changed.
    bool on_packet_too_big(const wire::Ip6Address &dst, std::uint32_t mtu, Instant now);
    /// The MTU to use towards `dst` over a link of `link_mtu`.
    std::size_t mtu(const wire::Ip6Address &dst, std::size_t link_mtu) const;
    std::size_t size() const { return entries_.size(); }

    Instant next_deadline() const;
    void poll(Instant now);

  private:
    struct Entry {
        std::uint32_t mtu;
        Instant expires;
    };
    std::size_t max_entries_;
    Duration lifetime_;
    std::map<wire::Ip6Address, Entry> entries_;
};

}  // namespace meshwork::stack
