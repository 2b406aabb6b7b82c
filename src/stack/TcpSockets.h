// TCP over the node's IPv6 (RFC 9293): the connection table the NetworkStack adapter uses.
//
// Non-blocking only, like UdpSockets: calls that cannot proceed give kWouldBlock, and a
// per-socket callback reports kReadable (data, end of stream, a connection to accept, an error)
// and kWritable (connected, send-buffer room, an error). Events are queued and delivered from
// Stack::poll() (next_deadline() is now while any is pending), never from inside an API call.
//
// Errors: kNotFound (no such socket), kBadState (wrong state for the call, or the connection is
// gone: last_error() tells why: kBadState for a reset or refusal, kTimeout when
// retransmissions or keepalives gave up), kInvalidArgument, kNoMemory (the node's pool or the
// connection table is exhausted), kWouldBlock, kNoSpace (no ephemeral port left).
//
// What is implemented: the whole RFC 9293 state machine with simultaneous open and close,
// TIME-WAIT, the RFC 5961 rules (RST and SYN challenge ACKs, ACK acceptability), RTO per RFC
// 6298 with Karn's rule and backoff, NewReno (RFC 5681, 6582) with SACK-guided hole
// retransmission (RFC 2018), window scaling and timestamps (RFC 7323: RTTM, PAWS, a TSval
// offset per connection, segments without TSopt dropped once negotiated), delayed
// ACKs, Nagle, keepalive, zero-window probes, an out-of-order queue bounded by the receive
// buffer, MSS from the interface and path MTU (lowered by Packet Too Big), ICMPv6 errors to
// their connection (on_icmp_error). Urgent data is not supported (URG is ignored).
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "ByteQueue.h"
#include "core/Time.h"
#include "StackTypes.h"
#include "UdpSockets.h"  // SocketEvent
#include "wire/Ip6.h"
#include "wire/Ip6Address.h"
#include "wire/Tcp.h"

namespace meshwork::stack {

class Stack;
struct Netif;

enum class TcpState : std::uint8_t {
    kClosed,
    kListen,
    kSynSent,
    kSynReceived,
    kEstablished,
    kFinWait1,
    kFinWait2,
    kCloseWait,
    kClosing,
    kLastAck,
    kTimeWait,
};
const char *tcp_state_name(TcpState s);

/// Counters of one connection, for tests and diagnostics.
struct TcpConnStats {
    std::uint64_t segments_sent = 0;
    std::uint64_t segments_received = 0;
    std::uint64_t bytes_sent = 0;  // payload bytes, retransmissions included
    std::uint64_t retransmits = 0;
    std::uint64_t rto_expiries = 0;
    std::uint64_t fast_retransmits = 0;
    std::uint64_t challenge_acks = 0;
    std::uint64_t window_probes = 0;
    std::uint64_t keepalive_probes = 0;
    std::uint64_t dup_acks = 0;
    std::uint64_t rtt_samples = 0;         // RTT measurements fed to the RFC 6298 estimator
    std::uint64_t ts_rtt_samples = 0;      // of which from timestamps (RFC 7323 4)
    std::uint64_t paws_rejects = 0;        // segments PAWS discarded (RFC 7323 5)
    std::uint64_t no_timestamp_drops = 0;  // non-RST segments without TSopt (RFC 7323 3.2)
    std::uint64_t icmp_errors = 0;         // ICMPv6 errors taken (about a segment in flight)
    std::uint64_t icmp_ignored = 0;        // ICMPv6 errors quoting a sequence number not in flight
};

/// Negotiated and running values of one connection.
struct TcpInfo {
    TcpState state = TcpState::kClosed;
    std::uint16_t mss = 0;  // effective send MSS (payload bytes per segment)
    bool window_scaling = false;
    std::uint8_t snd_wscale = 0, rcv_wscale = 0;
    bool timestamps = false;
    bool sack = false;
    std::uint32_t cwnd = 0, ssthresh = 0, snd_wnd = 0, rcv_wnd = 0;
    std::uint32_t snd_una = 0, snd_nxt = 0, rcv_nxt = 0;  // sequence variables
    Duration srtt{0}, rttvar{0}, rto{0};
    std::uint32_t ts_recent = 0;  // RFC 7323 TS.Recent (what our TSecr echoes)
    // Our TSval is the node's millisecond clock plus this (RFC 7323 7.1, per connection).
    std::uint32_t ts_offset = 0;
    // The latest ICMPv6 soft error (RFC 9293 3.9.2.2: made available to the user) since data
    // was last acknowledged, type 0 if none. A connection that times out with one recorded
    // failed because of it: the adapter reports the peer as unreachable.
    std::uint8_t soft_error_type = 0, soft_error_code = 0;
    TcpConnStats stats;
};

class TcpSockets {
  public:
    using SocketId = int;
    enum class Shutdown : std::uint8_t { kRead = 1, kWrite = 2, kBoth = 3 };

    explicit TcpSockets(Stack &stack);
    ~TcpSockets();

    Result<SocketId> open();
    /// Releases the socket. A connection is closed gracefully (FIN after the queued data) and
    /// lives on without its socket until it is done; a listener resets its unaccepted
    /// connections. The id is invalid afterwards.
    Status close(SocketId s);
    /// Resets the connection (RST) and releases the socket.
    Status abort(SocketId s);
    /// As UdpSockets::bind. kBadState once bound or connected. A port a connection in TIME-WAIT
    /// holds is in use (kInvalidArgument) unless set_reuse_address was set.
    Status bind(SocketId s, const wire::Ip6Address &address, std::uint16_t port);
    /// Passive open; binds an ephemeral port if unbound. `backlog` bounds connections that are
    /// being set up or wait for accept (at least 1); SYNs beyond it are dropped (counted
    /// tcp-backlog-full) so the peer retries.
    Status listen(SocketId s, int backlog);
    /// A connection that completed its handshake. kWouldBlock when none.
    Result<SocketId> accept(SocketId s, wire::Ip6Address *peer = nullptr,
                            std::uint16_t *peer_port = nullptr);
    /// Active open: sends the SYN and returns; kWritable follows when established (state()),
    /// or kReadable+kWritable with last_error() set when refused or timed out. kBadState if
    /// not a fresh socket; kNotFound without a route.
    Status connect(SocketId s, const wire::Ip6Address &dst, std::uint16_t port);
    /// Queues bytes (as many as the send buffer holds; allowed from SYN-SENT on). kWouldBlock
    /// when the buffer is full, kNoMemory past the node's TCP memory limit (a kWritable event
    /// follows either), kBadState after shutdown(kWrite) / close or when the connection is gone.
    Result<std::size_t> send(SocketId s, ByteSpan data);
    /// Received bytes; 0 at the end of the stream (the peer's FIN, all read). kWouldBlock when
    /// none yet; kBadState when the connection was reset (last_error()) or not connected.
    Result<std::size_t> recv(SocketId s, MutableByteSpan out);
    Status shutdown(SocketId s, Shutdown how);

    // Options (NSAPI_* equivalents). Buffer sizes apply before connect / listen (a listener's
    // are inherited by its connections).
    Status set_nodelay(SocketId s, bool on);  // disables Nagle
    /// NSAPI_REUSEADDR: a later bind may take a port a connection in TIME-WAIT holds.
    Status set_reuse_address(SocketId s, bool on);
    Status set_keepalive(SocketId s, bool on);
    Status set_keepalive_params(SocketId s, Duration idle, Duration interval, unsigned count);
    Status set_send_buffer(SocketId s, std::size_t bytes);
    Status set_receive_buffer(SocketId s, std::size_t bytes);
    Status set_interface(SocketId s, IfIndex ifindex);  // for link-local peers
    Status set_hop_limit(SocketId s, std::uint8_t hop_limit);
    Status set_traffic_class(SocketId s, std::uint8_t tclass);
    void set_callback(SocketId s, std::function<void(SocketEvent)> cb);

    // Readiness and introspection.
    bool readable(SocketId s) const;  // data, EOF, a connection to accept, or an error
    bool writable(SocketId s) const;  // connected with send-buffer room, or an error
    TcpState state(SocketId s) const;
    Error last_error(SocketId s) const;  // kOk while none
    std::size_t send_queue_bytes(SocketId s) const;
    std::size_t receive_queue_bytes(SocketId s) const;
    std::uint16_t local_port(SocketId s) const;
    wire::Ip6Address local_address(SocketId s) const;
    std::uint16_t peer_port(SocketId s) const;
    wire::Ip6Address peer_address(SocketId s) const;
    TcpInfo info(SocketId s) const;
    /// Connections in the table, including those without a socket (closing, TIME-WAIT).
    std::size_t connection_count() const { return conns_.size(); }

    // Called by the Stack.
    /// A verified segment. Returns false when nothing matched (the caller answers as CLOSED).
    /// `*drop` is set to the reason when the segment was matched but discarded (else kCount).
    bool input(const Netif &nif, const wire::Ip6View &ip, const wire::TcpView &seg,
               StackDrop *drop);
    /// An ICMPv6 error quoting a segment `local`:`lport` -> `remote`:`rport` with sequence
    /// number `seq`. Taken only when `seq` is in flight (RFC 5927 5.1). Packet Too Big lowers
    /// the effective MSS; in SYN-SENT a Destination Unreachable aborts the connect (the hard
    /// codes 1 and 4 by RFC 9293 3.9.2.2, the soft ones as RFC 5461 describes); anything else,
    /// and everything in a synchronized state (RFC 5927 6.2, against blind resets), is a
    /// soft error: recorded, never fatal.
    void on_icmp_error(const wire::Ip6Address &local, const wire::Ip6Address &remote,
                       std::uint16_t lport, std::uint16_t rport, std::uint32_t seq,
                       std::uint8_t type, std::uint8_t code);
    Instant next_deadline() const;
    void poll(Instant now);
    bool has_pending_events() const;

  private:
    struct Conn;
    struct Segment;
    Conn *find(SocketId s);
    const Conn *find(SocketId s) const;
    Conn *user_conn(SocketId s);
    bool port_in_use(std::uint16_t port, const wire::Ip6Address &address,
                     bool reuse_time_wait = false) const;
    std::uint16_t pick_ephemeral();
    std::uint64_t tuple_hash(const Conn &c, std::uint64_t domain);
    std::uint32_t make_isn(const Conn &c);
    std::uint32_t make_ts_offset(const Conn &c);
    Result<SocketId> new_conn();
    void init_route_params(Conn &c, IfIndex ifindex);
    Instant now() const;
    std::uint32_t ts_now(const Conn &c) const;

    // Input by state (TcpSockets.cpp)
    bool input_listen(Conn &l, IfIndex ifindex, const wire::Ip6View &ip, const Segment &seg);
    void input_syn_sent(Conn &c, const Segment &seg);
    void input_synchronized(Conn &c, const Segment &seg);
    void process_ack(Conn &c, const Segment &seg);
    void process_data(Conn &c, std::uint32_t seq, ByteSpan data, bool fin);
    void process_fin(Conn &c);
    void apply_syn_options(Conn &c, const Segment &seg);
    std::size_t path_mss(const Conn &c) const;
    void path_mtu_lowered(Conn &c);
    void update_sack_scoreboard(Conn &c, const Segment &seg);
    bool retransmit_hole(Conn &c);
    void queue_fin(Conn &c);
    void after_output(Conn &c);
    void maybe_window_update(Conn &c);
    std::size_t buffered_bytes() const;
    void reap();

    // Output
    void output(Conn &c);
    bool send_segment(Conn &c, std::uint32_t seq, std::size_t len, std::uint8_t flags,
                      bool probe = false);
    void send_ack(Conn &c);
    void send_raw_rst(IfIndex ifindex, const wire::Ip6Address &local,
                      const wire::Ip6Address &remote, std::uint16_t lport, std::uint16_t rport,
                      std::uint32_t seq, std::uint32_t ack, std::uint8_t flags);
    void send_rst(Conn &c);
    void challenge_ack(Conn &c);
    bool rate_limited_ack(Conn &c);
    void schedule_ack(Conn &c, bool now_please);
    void retransmit_timeout(Conn &c);
    void enter_time_wait(Conn &c);
    void established(Conn &c);
    void drop_conn(Conn &c, Error why);
    void release(SocketId id);
    void notify(Conn &c, bool readable, bool writable);
    std::uint32_t receive_window(const Conn &c) const;
    std::size_t flight_size(const Conn &c) const;
    void arm_rtx(Conn &c);
    void rtt_sample(Conn &c, Duration rtt, std::uint32_t expected_samples = 1);
    bool ts_rtt_sample(Conn &c, const Segment &seg, std::size_t flight);
    bool paws_rejects(Conn &c, const Segment &seg);

    Stack &stack_;
    std::map<SocketId, std::unique_ptr<Conn>> conns_;  // ordered: deterministic demux and polling
    SocketId next_id_ = 1;
    std::uint16_t next_ephemeral_ = 0;
    bool isn_secret_drawn_ = false;       // (the small members together: no padding)
    StackDrop drop_ = StackDrop::kCount;  // the verdict of the segment being processed
    std::uint64_t isn_secret_[2] = {0, 0};
    std::vector<SocketId> reap_;  // closed connections without a socket, erased after a call
    ByteQueue::Spares spares_;    // send / receive queue blocks for reuse (ByteQueue.h)
};

}  // namespace meshwork::stack
