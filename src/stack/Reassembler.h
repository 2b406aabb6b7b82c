// IPv6 reassembly (RFC 8200 4.5) with limits: at most `max_datagrams` datagrams and
// `max_bytes` of fragment data in flight, each given `timeout` (60 s) from its first arriving
// fragment. Overlapping fragments discard the whole datagram and every later fragment of it
// (RFC 5722); an exact duplicate is ignored. Fragment copies come from the node's pool.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>

#include "core/PacketBuffer.h"
#include "core/Time.h"
#include "StackTypes.h"
#include "wire/Ip6Address.h"
#include "wire/Ip6Ext.h"

namespace meshwork::stack {

struct ReassemblyLimits {
    std::size_t max_datagrams = 8;
    std::size_t max_bytes = 32 * 1024;
    Duration timeout = std::chrono::seconds(60);
};

/// One fragment as the IPv6 input path found it.
struct FragmentIn {
    ByteSpan packet;                 // the whole IPv6 packet (fixed header first)
    std::size_t frag_offset = 0;     // where the fragment header starts in `packet`
    std::size_t prev_nh_offset = 0;  // the Next Header byte that announced the fragment header
    wire::Ip6FragmentHeader header;
};

class Reassembler {
  public:
    enum class Outcome : std::uint8_t { kPending, kComplete, kDropped };

    Reassembler(PacketPool &pool, ReassemblyLimits limits, std::size_t headroom)
        : pool_(pool), limits_(limits), headroom_(headroom) {}

    /// Adds a fragment whose length and offset the caller checked (multiple of 8 unless last,
    /// end within 65535). kComplete puts the reassembled packet (fixed header, the
    /// unfragmentable headers, then the fragmentable part; no fragment header) in `out`, with
    /// `headroom` in front. kDropped sets `reason`.
    Outcome add(const FragmentIn &f, const wire::Ip6Address &src, const wire::Ip6Address &dst,
                Instant now, PacketBuffer &out, StackDrop &reason);

    std::size_t datagrams() const { return datagrams_.size(); }
    std::size_t bytes() const { return bytes_; }
    const ReassemblyLimits &limits() const { return limits_; }

    Instant next_deadline() const;
    /// Expires datagrams. `on_timeout` gets the first fragment (as received) of each expired
    /// datagram that had one, for ICMPv6 Time Exceeded code 1 (RFC 8200 4.5).
    std::size_t poll(Instant now, const std::function<void(ByteSpan first_fragment)> &on_timeout);

  private:
    struct Key {
        wire::Ip6Address src, dst;
        std::uint32_t id;
        bool operator<(const Key &o) const {
            if (src != o.src)
                return src < o.src;
            if (dst != o.dst)
                return dst < o.dst;
            return id < o.id;
        }
    };
    struct Piece {
        std::size_t length;
        std::size_t data_start;  // where the fragment data starts in `packet`
        PacketBuffer packet;     // the fragment as received
        std::size_t frag_offset;
        std::size_t prev_nh_offset;
        std::uint8_t next_header;
    };
    struct Datagram {
        Instant deadline;
        std::size_t total = 0;  // known once the last fragment (M = 0) arrived
        bool have_last = false;
        bool poisoned = false;                // overlap seen: discard everything until the deadline
        std::map<std::size_t, Piece> pieces;  // by byte offset
        std::size_t bytes = 0;
    };
    void discard(Datagram &d);
    bool complete(const Datagram &d) const;
    Outcome assemble(std::map<Key, Datagram>::iterator it, PacketBuffer &out, StackDrop &reason);

    PacketPool &pool_;
    ReassemblyLimits limits_;
    std::size_t headroom_;
    std::size_t bytes_ = 0;
    std::map<Key, Datagram> datagrams_;
};

}  // namespace meshwork::stack
