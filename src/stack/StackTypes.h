// The small vocabulary of the node stack: interface indices, link-layer addresses, the netif's
// frame output hook and the per-node drop reasons (ARCHITECTURE rule 6).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/Bytes.h"
#include "core/DropCounters.h"
#include "core/Error.h"
#include "core/PacketBuffer.h"
#include "core/Time.h"
#include "wire/Ip6Address.h"

namespace meshwork::stack {

/// Index of an interface in its Stack (0, 1, ...).
using IfIndex = std::uint8_t;
constexpr IfIndex kAnyInterface = 0xff;

/// A link-layer address: 6 bytes on Ethernet-like links (2 or 8 on 802.15.4 later).
struct LinkAddress {
    static constexpr std::size_t kMaxSize = 8;
    std::uint8_t bytes[kMaxSize] = {};
    std::uint8_t size = 0;

    static LinkAddress from(ByteSpan s) {
        LinkAddress a;
        a.size = static_cast<std::uint8_t>(s.size < kMaxSize ? s.size : kMaxSize);
        if (a.size != 0)
            std::memcpy(a.bytes, s.data, a.size);
        return a;
    }
    static LinkAddress ethernet(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d,
                                std::uint8_t e, std::uint8_t f) {
        const std::uint8_t m[6] = {a, b, c, d, e, f};
        return from(ByteSpan(m, 6));
    }
    ByteSpan span() const { return ByteSpan(bytes, size); }
    bool empty() const { return size == 0; }
    bool operator==(const LinkAddress &o) const {
        return size == o.size && std::memcmp(bytes, o.bytes, size) == 0;
    }
    bool operator!=(const LinkAddress &o) const { return !(*this == o); }
};

/// How the stack frames packets on an interface.
enum class LinkKind : std::uint8_t {
    /// Ethernet-like: the stack adds a 14-byte header and resolves next hops with ND.
    kEthernet,
    /// An adaptation layer below (6LoWPAN): the stack hands it bare IPv6 packets with their
    /// on-link next hop (LinkOutput::send_packet) and does no address resolution; the layer
    /// resolves link-layer addresses itself. Received packets come in by Stack::receive_packet.
    kIp6,
};

/// The netif side of a link: where a finished frame goes. The stack builds the whole frame (for
/// an Ethernet-like link: destination, source, EtherType 0x86dd, then the IPv6 packet) into a
/// buffer from the node's pool and hands it over; the link owns it from then on. An error is
/// counted as a drop (kLinkError). A core Link can be bridged to this by a one-line adapter.
class LinkOutput {
  public:
    virtual ~LinkOutput() = default;
    virtual Status send_frame(PacketBuffer frame) = 0;
    /// LinkKind::kIp6 links: one IPv6 packet for the on-link `next_hop` (a multicast group for
    /// multicast destinations). The link owns the buffer from then on.
    virtual Status send_packet(PacketBuffer packet, const wire::Ip6Address &next_hop) {
        (void)packet;
        (void)next_hop;
        return Error::kUnsupported;
    }
};

/// Why the node dropped a packet. Every drop is counted under exactly one reason.
enum class StackDrop : std::uint8_t {
    kFrameInvalid,        // short frame, not IPv6 EtherType, not addressed to this MAC
    kIp6Invalid,          // fixed header does not parse, bad source address
    kNotForUs,            // destination not ours and not forwarding
    kInterfaceDown,       // interface disabled (duplicate link-local address)
    kExtHeaderInvalid,    // extension header truncated or out of order
    kUnknownOption,       // an unrecognised option whose action says discard
    kRoutingHeader,       // routing type 0 or unknown with segments left (RFC 5095, 8200 4.4)
    kUnknownNextHeader,   // no handler for the upper-layer protocol
    kFragmentInvalid,     // bad fragment length or offset
    kFragmentOverlap,     // overlapping fragments (RFC 5722): the whole datagram goes
    kReassemblyLimit,     // too many datagrams or bytes being reassembled
    kReassemblyTimeout,   // 60 s passed without all fragments
    kChecksum,            // upper-layer checksum failed
    kIcmpInvalid,         // ICMPv6 message that does not parse
    kNdInvalid,           // ND message failing RFC 4861 validation (hop limit, code, options)
    kNdQueueFull,         // a packet waiting for address resolution was pushed out
    kAddressUnreachable,  // address resolution failed
    kHopLimit,            // hop limit exhausted when forwarding
    kNoRoute,             // no route to the destination
    kBeyondScope,         // link-local source or destination would leave its link
    kPacketTooBig,        // larger than the next link's MTU when forwarding
    kPortUnreachable,     // UDP to a port nobody listens on
    kNoListener,          // TCP to a port nobody listens on (answered with RST)
    kSocketQueueFull,     // a socket's receive queue is full
    kNoMemory,            // the node's packet pool is exhausted
    kLinkError,           // the link refused a frame
    kIcmpRateLimited,     // an ICMPv6 error we did not send (RFC 4443 2.4 (f)), not a packet drop
    kUnsupported,         // valid, but not handled (e.g. TCP before it exists)
    kTcpInvalid,          // TCP segment with malformed options or flags its state discards
    kTcpOutOfWindow,      // TCP sequence or acknowledgment not acceptable (answered with ACK)
    kTcpBacklogFull,      // a SYN beyond a listener's backlog (the peer retries)
    kTcpNoMemory,         // TCP data beyond the node's TCP memory limit
    kRplLoop,             // RFC 6550 11.2 second rank error, RFC 6554 4.2 source route loop
    kTcpPaws,             // TCP segment with a TSval older than TS.Recent (RFC 7323 5.3 R1)
    kTcpNoTimestamp,      // non-RST TCP segment without TSopt once negotiated (RFC 7323 3.2)
    kMplDuplicate,        // an MPL message already seen (RFC 7731 9.3), or one it refuses
    kCount
};
const char *drop_reason_name(StackDrop r);

/// TCP tunables of a node (StackConfig::tcp). Durations are virtual time in a simulation.
struct TcpConfig {
    std::size_t send_buffer = 64 * 1024;     // per connection, default (NSAPI_SNDBUF-like)
    std::size_t receive_buffer = 64 * 1024;  // per connection; bounds the out-of-order queue too
    /// Bytes all connections of the node may hold in send and receive buffers together
    /// (0: the pool's byte budget). Beyond it send() gives kNoMemory and data is dropped.
    std::size_t memory_limit = 0;
    std::size_t max_connections = 64;         // the table, TIME-WAIT included; kNoMemory beyond
    Duration msl = std::chrono::seconds(30);  // TIME-WAIT lasts 2 * msl
    Duration fin_wait2_timeout = std::chrono::seconds(60);  // for connections without a socket
    Duration rto_initial = std::chrono::seconds(1);         // RFC 6298 2.1
    Duration rto_min = std::chrono::seconds(1);             // RFC 6298 2.4
    Duration rto_max = std::chrono::seconds(60);
    unsigned syn_retries = 5;    // SYN / SYN-ACK retransmissions before kTimeout
    unsigned data_retries = 10;  // consecutive RTO expiries before kTimeout
    Duration delayed_ack = std::chrono::milliseconds(200);
    unsigned ack_every = 2;  // full-sized segments per ACK (RFC 5681 4.2)
    bool window_scaling = true;
    bool timestamps = true;
    bool sack = true;
    Duration keepalive_idle = std::chrono::hours(2);
    Duration keepalive_interval = std::chrono::seconds(75);
    unsigned keepalive_count = 9;
    Duration persist_max = std::chrono::seconds(60);
    /// At most one challenge / out-of-window ACK per connection per interval (RFC 5961 7).
    Duration challenge_ack_interval = std::chrono::milliseconds(500);
};

using StackDropCounters = DropCounters<StackDrop>;

}  // namespace meshwork::stack
