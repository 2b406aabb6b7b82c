// UDP over the node's IPv6 (RFC 768, RFC 8200 8.1): the socket table the NetworkStack adapter
// uses. Non-blocking only: recv_from gives kWouldBlock when nothing is queued, send_to gives
// kNoMemory when the node's pool is exhausted (and a writable event once it has room again);
// readable / writable events go to a per-socket callback. Received datagrams are held in
// buffers from the node's pool, at most StackConfig::udp_receive_queue per socket.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "core/PacketBuffer.h"
#include "StackTypes.h"
#include "wire/Ip6.h"
#include "wire/Ip6Address.h"

namespace meshwork::stack {

class Stack;

enum class SocketEvent : std::uint8_t { kReadable, kWritable };

struct UdpDatagramInfo {
    wire::Ip6Address src;
    std::uint16_t src_port = 0;
    wire::Ip6Address dst;  // the destination it was sent to (unicast or a group)
    IfIndex ifindex = 0;
    std::size_t size = 0;  // the whole payload (recv_from may have truncated it)
};

/// An ICMPv6 error about a datagram a socket sent (RFC 4443: Destination Unreachable, Packet
/// Too Big, Time Exceeded, Parameter Problem).
struct UdpIcmpError {
    std::uint8_t type = 0, code = 0;
    wire::Ip6Address dst;  // where the datagram went
    std::uint16_t dst_port = 0;
};

class UdpSockets {
  public:
    using SocketId = int;

    explicit UdpSockets(Stack &stack) : stack_(stack) {}

    Result<SocketId> open();
    Status close(SocketId s);
    /// Binds to `address` (unspecified: any) and `port` (0: an ephemeral port). kBadState if
    /// already bound, kInvalidArgument if the port is in use or the address is not ours.
    Status bind(SocketId s, const wire::Ip6Address &address, std::uint16_t port);
    /// Sends one datagram; binds an ephemeral port first if needed. kNoMemory when the pool is
    /// exhausted, kNotFound without a route or source address, kInvalidArgument when too big.
    Result<std::size_t> send_to(SocketId s, const wire::Ip6Address &dst, std::uint16_t port,
                                ByteSpan data);
    /// The next datagram, truncated to `out`. kWouldBlock when none is queued.
    Result<std::size_t> recv_from(SocketId s, MutableByteSpan out, UdpDatagramInfo *info);
    Status join_group(SocketId s, const wire::Ip6Address &group, IfIndex ifindex = 0);
    Status leave_group(SocketId s, const wire::Ip6Address &group, IfIndex ifindex = 0);
    Status set_hop_limit(SocketId s, std::uint8_t hop_limit);            // 0: default
    Status set_multicast_hop_limit(SocketId s, std::uint8_t hop_limit);  // default 1
    Status set_interface(SocketId s, IfIndex ifindex);  // for multicast and link-local
    /// NSAPI_REUSEADDR: sockets that all set it may bind the same port and address.
    Status set_reuse_address(SocketId s, bool on);
    /// NSAPI_IPTOS: the Traffic Class of what the socket sends.
    Status set_traffic_class(SocketId s, std::uint8_t tclass);
    /// NSAPI_RCVBUF: payload bytes that may wait in the receive queue (0: only the count limit).
    Status set_receive_buffer(SocketId s, std::size_t bytes);
    void set_callback(SocketId s, std::function<void(SocketEvent)> cb);

    bool readable(SocketId s) const;
    std::uint16_t local_port(SocketId s) const;
    /// ICMPv6 errors about the socket's datagrams, and the latest. Mbed's UDPSocket has no way
    /// to report them (UDP connect never reaches the stack, and an error from recv or send
    /// would break applications that do not expect one), so they are only kept here.
    std::uint64_t icmp_error_count(SocketId s) const;
    std::optional<UdpIcmpError> last_icmp_error(SocketId s) const;
    std::size_t open_count() const { return sockets_.size(); }
    /// Datagrams sockets sent and received: unicast and multicast apart, so that a delivery
    /// ratio can be read off a set of nodes.
    struct Stats {
        std::uint64_t unicast_sent = 0, multicast_sent = 0;
        std::uint64_t unicast_received = 0, multicast_received = 0;  // queued on a socket
        std::uint64_t icmp_errors = 0;  // ICMPv6 errors matched to a socket's datagram
    };
    const Stats &stats() const { return stats_; }

    // Called by the Stack.
    /// A datagram arrived (checksum verified). Returns false if no socket had the port (the
    /// caller answers port unreachable for unicast).
    bool deliver(IfIndex ifindex, const wire::Ip6Address &src, const wire::Ip6Address &dst,
                 std::uint16_t src_port, std::uint16_t dst_port, ByteSpan payload);
    /// An ICMPv6 error quoting a datagram from `src`:`src_port` to `dst`:`dst_port`: recorded on
    /// the socket that sent it (the one bound to that port and address, as for delivery).
    void on_icmp_error(const wire::Ip6Address &src, const wire::Ip6Address &dst,
                       std::uint16_t src_port, std::uint16_t dst_port, std::uint8_t type,
                       std::uint8_t code);
    /// Fires pending writable events once the pool has room again.
    void poll();
    bool has_pending_events() const;

  private:
    struct Socket {
        wire::Ip6Address bound_address;
        std::uint16_t port = 0;
        std::uint8_t hop_limit = 0;
        std::uint8_t multicast_hop_limit = 1;
        IfIndex ifindex = kAnyInterface;
        bool reuse = false;
        std::uint8_t traffic_class = 0;
        std::size_t rcvbuf = 0;
        std::size_t queued_bytes = 0;
        std::vector<std::pair<IfIndex, wire::Ip6Address>> groups;
        std::deque<std::pair<UdpDatagramInfo, PacketBuffer>> queue;
        std::function<void(SocketEvent)> callback;
        bool want_writable = false;
        std::uint64_t icmp_errors = 0;
        std::optional<UdpIcmpError> last_icmp_error;
    };
    Socket *find(SocketId s);
    const Socket *find(SocketId s) const;
    bool port_in_use(std::uint16_t port, const wire::Ip6Address &address, bool reuse) const;
    std::uint16_t pick_ephemeral();

    Stack &stack_;
    std::map<SocketId, Socket> sockets_;  // ordered: deterministic delivery order
    SocketId next_id_ = 1;
    std::uint16_t next_ephemeral_ = 0;
    Stats stats_;
};

}  // namespace meshwork::stack
