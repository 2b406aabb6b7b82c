// The hooks a RPL module outside the stack gives it for the RPL data plane (set with
// Stack::set_rpl_data_plane, active with StackConfig::rpl_data_plane):
//   - source routes on a non-storing root (RFC 6554 4.1, RFC 9008 7): a packet the root
//     originates gets a source routing header (type 3); one it forwards is tunnelled
//     (IPv6-in-IPv6, RFC 2473) with the header, and the last hop decapsulates it;
//   - the RPL option (RFC 6553) on packets a node originates upward, and its rank check on
//     packets a router forwards (RFC 6550 11.2).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "wire/Ip6Address.h"
#include "wire/Ip6Ext.h"

namespace meshwork::stack {

/// A path from the root: hops[0] is the first hop (a neighbour of the root), hops[count - 1]
/// the destination.
struct SourceRoute {
    static constexpr std::size_t kMaxHops = wire::RplSourceRouteHeader::kMaxAddresses + 1;
    std::uint8_t count = 0;
    wire::Ip6Address hops[kMaxHops];
};

class RplDataPlane {
  public:
    virtual ~RplDataPlane() = default;
    /// The root's path to `dst`; false when it knows none (the packet then follows the
    /// routing table).
    virtual bool source_route(const wire::Ip6Address &dst, SourceRoute &out) = 0;
    /// The RPL option for a packet this node originates to `dst` (a global unicast
    /// destination); none for no option.
    virtual std::optional<wire::RplHopOption> rpl_option(const wire::Ip6Address &dst) = 0;
    /// A router forwards a packet carrying `opt`: updates it (SenderRank, flags) in place.
    /// False drops the packet (RFC 6550 11.2.2.2: a second rank error).
    virtual bool forward_rpl_option(wire::RplHopOption &opt) = 0;
};

}  // namespace meshwork::stack
