// The hooks an MPL module outside the stack (mesh/mpl, RFC 7731) gives it for multicast
// beyond one hop (set with Stack::set_mpl_data_plane):
//   - a datagram a socket sends to a group of scope 3 or more (ff03::, ff05::, ...) gets an MPL
//     option in a hop-by-hop header, and the module buffers a copy for its retransmissions;
//   - a received datagram to such a group that carries an MPL option goes to the module first:
//     a new message is delivered to the node's listeners (and buffered for forwarding by a
//     router), a message already seen is dropped (duplicate suppression).
// Link-local groups (ff02::) never take part.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "wire/Ip6Address.h"

namespace meshwork::stack {

class MplDataPlane {
  public:
    enum class Verdict : std::uint8_t { kNew, kDuplicate, kInvalid };

    virtual ~MplDataPlane() = default;
    /// The hop-by-hop header (with the MPL option) for a datagram this node originates from
    /// `src` to `group`: written to `out`, its size returned (0: none, the datagram goes out
    /// bare). Takes the seed's next sequence number.
    virtual std::size_t originate_option(const wire::Ip6Address &src, const wire::Ip6Address &group,
                                         MutableByteSpan out) = 0;
    /// The whole packet just originated with that option (before it goes on the link).
    virtual void originated(ByteSpan packet) = 0;
    /// A received packet to a group of scope 3 or more carrying an MPL option in its
    /// hop-by-hop header (`packet` starts at the IPv6 header).
    virtual Verdict receive(ByteSpan packet) = 0;
};

}  // namespace meshwork::stack
