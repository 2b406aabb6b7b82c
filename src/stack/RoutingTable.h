// The node's routing table: longest-prefix match over (prefix, length) routes, each naming an
// interface and a next hop (unspecified = the destination is on-link). Routes learnt from RAs
// (default routers, on-link prefixes, RFC 4861 6.3.4) and Redirects (8.3) expire; static and
// connected routes do not.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/Time.h"
#include "StackTypes.h"
#include "wire/Ip6Address.h"

namespace meshwork::stack {

enum class RouteOrigin : std::uint8_t {
    kStatic,         // configured
    kConnected,      // a prefix of an interface's own address
    kPrefixOnLink,   // PIO with L (RFC 4861 6.3.4)
    kDefaultRouter,  // RA with a router lifetime
    kRedirect,       // host route from a Redirect (RFC 4861 8.3)
};

struct Route {
    wire::Ip6Address prefix;
    std::uint8_t prefix_length = 0;
    IfIndex ifindex = 0;
    wire::Ip6Address next_hop;  // unspecified: on-link
    RouteOrigin origin = RouteOrigin::kStatic;
    std::uint32_t metric = 0;  // lower wins among equal prefix lengths
    Instant expires = kNever;

    bool on_link() const { return next_hop.is_unspecified(); }
    bool same_key(const Route &o) const {
        return prefix == o.prefix && prefix_length == o.prefix_length && ifindex == o.ifindex &&
               next_hop == o.next_hop;
    }
};

class RoutingTable {
  public:
    /// Adds or replaces the route with the same prefix, length, interface and next hop.
    void add(Route r);
    bool remove(const Route &key);
    /// Removes every route for which `pred` holds; returns how many.
    std::size_t remove_if(const std::function<bool(const Route &)> &pred);
    /// Longest prefix match. Among equal lengths, a route `preferred` says yes to wins (RFC 4861
    /// 6.3.6: reachable routers first), then the lowest metric, then the oldest.
    const Route *lookup(const wire::Ip6Address &dst,
                        const std::function<bool(const Route &)> &preferred = {}) const;
    const std::vector<Route> &routes() const { return routes_; }

    Instant next_deadline() const;
    /// Drops expired routes; returns how many.
    std::size_t poll(Instant now);

  private:
    std::vector<Route> routes_;  // insertion order: deterministic ties
};

}  // namespace meshwork::stack
