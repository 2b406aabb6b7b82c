// TCP connections (RFC 9293 3.10 event processing), with RFC 5961, 6298, 5681, 6582, 2018, 7323
// and 6528. Every timer is a deadline kept in the connection and reported by next_deadline().
#include "TcpSockets.h"

#include <algorithm>
#include <cstring>

#include "core/Random.h"
#include "Stack.h"
#include "wire/Icmp6.h"

namespace meshwork::stack {

namespace {

using wire::TcpFlag::kAck;
using wire::TcpFlag::kFin;
using wire::TcpFlag::kPsh;
using wire::TcpFlag::kRst;
using wire::TcpFlag::kSyn;

// Sequence-space comparisons (RFC 9293 3.4): modulo 2^32.
bool lt(std::uint32_t a, std::uint32_t b) {
    return static_cast<std::int32_t>(a - b) < 0;
}
bool le(std::uint32_t a, std::uint32_t b) {
    return static_cast<std::int32_t>(a - b) <= 0;
}
bool gt(std::uint32_t a, std::uint32_t b) {
    return lt(b, a);
}
bool ge(std::uint32_t a, std::uint32_t b) {
    return le(b, a);
}
// a <= x < b in sequence space.
bool in_window(std::uint32_t x, std::uint32_t a, std::uint32_t b) {
    return le(a, x) && lt(x, b);
}
// Timestamp values compare modulo 2^32 as sequence numbers do (RFC 7323 5.2).
bool ts_lt(std::uint32_t a, std::uint32_t b) {
    return lt(a, b);
}

constexpr std::uint16_t kDefaultPeerMss = 1220;  // RFC 9293 3.7.1 for IPv6 (1280 - 60)
constexpr std::size_t kTimestampOption = 12;     // with its two NOPs
constexpr std::uint32_t kLargeSsthresh = 0x3fffffff;
// RFC 7323 5.5: a TS.Recent this old may have wrapped (a 1 ms clock's sign bit flips after
// 24.8 days): it is no longer compared with.
constexpr Duration kTsRecentMaxAge = std::chrono::hours(24 * 24);

}  // namespace

const char *tcp_state_name(TcpState s) {
    switch (s) {
        case TcpState::kClosed:
            return "CLOSED";
        case TcpState::kListen:
            return "LISTEN";
        case TcpState::kSynSent:
            return "SYN-SENT";
        case TcpState::kSynReceived:
            return "SYN-RECEIVED";
        case TcpState::kEstablished:
            return "ESTABLISHED";
        case TcpState::kFinWait1:
            return "FIN-WAIT-1";
        case TcpState::kFinWait2:
            return "FIN-WAIT-2";
        case TcpState::kCloseWait:
            return "CLOSE-WAIT";
        case TcpState::kClosing:
            return "CLOSING";
        case TcpState::kLastAck:
            return "LAST-ACK";
        case TcpState::kTimeWait:
            return "TIME-WAIT";
    }
    return "?";
}

struct TcpSockets::Segment {
    wire::TcpHeader h;
    ByteSpan payload;
};

struct TcpSockets::Conn {
    SocketId id = 0;
    TcpState state = TcpState::kClosed;
    bool attached = true;  // a user socket refers to it
    bool bound = false;
    Error error = Error::kOk;
    // A connection a listener created, until accept() hands it out.
    SocketId listener = 0;
    bool passive = false;  // created by a listener
    int backlog = 0;
    std::deque<SocketId> accept_queue;

    wire::Ip6Address local, remote;
    std::uint16_t lport = 0, rport = 0;
    IfIndex ifindex = kAnyInterface;
    std::uint8_t hop_limit = 0, tclass = 0;

    bool nodelay = false;
    bool reuse_addr = false;  // NSAPI_REUSEADDR: bind may take a port held by TIME-WAIT
    bool keepalive = false;
    Duration ka_idle{0}, ka_interval{0};
    unsigned ka_count = 0;
    std::size_t sndbuf_cap = 0, rcvbuf_cap = 0;
    std::function<void(SocketEvent)> callback;
    bool ev_readable = false, ev_writable = false, want_writable = false;

    bool rd_shut = false;
    bool fin_queued = false;  // our FIN follows the queued data
    bool fin_rcvd = false;

    // Send sequence space: sndq holds the bytes from sndq_seq on (unacknowledged and unsent).
    std::uint32_t iss = 0, snd_una = 0, snd_nxt = 0, snd_max = 0, snd_wl1 = 0, snd_wl2 = 0;
    std::uint32_t snd_wnd = 0, max_snd_wnd = 0;
    ByteQueue sndq;
    std::uint32_t sndq_seq = 0;

    // Receive sequence space. rcv_off counts bytes delivered in order (ooo keys are offsets).
    std::uint32_t irs = 0, rcv_nxt = 0, rcv_adv = 0;
    std::uint64_t rcv_off = 0;
    ByteQueue rcvq;
    std::map<std::uint64_t, std::vector<std::uint8_t>> ooo;
    std::size_t ooo_bytes = 0;
    std::uint64_t ooo_fin = UINT64_MAX;  // offset of a FIN received out of order
    std::uint64_t last_ooo = 0;          // offset of the latest out-of-order segment

    // Options.
    std::uint16_t mss_local = 0;  // what we advertise
    std::uint16_t peer_mss = kDefaultPeerMss;
    std::uint16_t mss = 536;  // effective send MSS, payload per segment
    bool ws_ok = false, ts_ok = false, sack_ok = false;
    std::uint8_t snd_wscale = 0, rcv_wscale = 0;
    std::uint32_t ts_offset = 0;      // added to the clock for our TSval (RFC 7323 7.1)
    std::uint32_t ts_recent = 0;      // RFC 7323 TS.Recent
    Instant ts_recent_at;             // when TS.Recent was last set (the 24-day rule)
    std::uint32_t last_ack_sent = 0;  // RFC 7323 Last.ACK.sent
    // Our TSval at the last retransmission timeout: an echo older than it is of a segment sent
    // before the timeout, and its RTT sample would include the wait (see ts_rtt_sample).
    std::uint32_t ts_rto_floor = 0;
    bool ts_rto_floor_set = false;
    std::uint8_t soft_error_type = 0, soft_error_code = 0;
    std::vector<wire::TcpSackBlock> sacked;  // the scoreboard, ascending, above snd_una
    std::uint32_t rtx_next = 0;              // next hole to retransmit in SACK recovery

    // RTT and RTO (RFC 6298).
    bool rtt_valid = false;
    Duration srtt{0}, rttvar{0}, rto{0};
    bool timing = false;
    bool syn_timed = false;  // our SYN (or SYN-ACK) went out once: a second copy is not timed
    std::uint32_t rtt_seq = 0;
    Instant rtt_start;
    unsigned retries = 0;

    // Congestion control (RFC 5681, 6582).
    std::uint32_t cwnd = 0, ssthresh = kLargeSsthresh, recover = 0;
    unsigned dupacks = 0;
    bool in_recovery = false;

    // Acknowledgments.
    unsigned unacked_segs = 0;
    bool ack_now = false;

    // Timers.
    Instant rtx_at = kNever, persist_at = kNever, delack_at = kNever, ka_at = kNever,
            tw_at = kNever;
    unsigned persist_backoff = 0, ka_probes = 0;
    Instant last_oow_ack;  // the last ACK sent for an unacceptable segment

    TcpConnStats stats;

    std::uint32_t data_end() const { return sndq_seq + static_cast<std::uint32_t>(sndq.size()); }
    std::uint32_t fin_seq() const { return data_end(); }
    bool fin_sent() const { return fin_queued && lt(fin_seq(), snd_max); }
    bool fin_acked() const { return fin_queued && lt(fin_seq(), snd_una); }
    bool synchronized() const {
        return state != TcpState::kClosed && state != TcpState::kListen &&
               state != TcpState::kSynSent && state != TcpState::kSynReceived;
    }
    bool can_send_data() const {
        return state == TcpState::kEstablished || state == TcpState::kCloseWait ||
               state == TcpState::kFinWait1 || state == TcpState::kClosing ||
               state == TcpState::kLastAck;
    }
};

TcpSockets::TcpSockets(Stack &stack) : stack_(stack) {}

TcpSockets::~TcpSockets() = default;

Instant TcpSockets::now() const {
    return stack_.clock().now();
}

std::uint32_t TcpSockets::ts_now(const Conn &c) const {
    // RFC 7323 5.4: a millisecond clock; 7.1: offset per connection, so that TSval tells
    // nothing about the node's uptime and connections cannot be correlated by it.
    return static_cast<std::uint32_t>(now().time_since_epoch().count() / 1000) + c.ts_offset;
}

TcpSockets::Conn *TcpSockets::find(SocketId s) {
    auto it = conns_.find(s);
    return it == conns_.end() ? nullptr : it->second.get();
}

const TcpSockets::Conn *TcpSockets::find(SocketId s) const {
    auto it = conns_.find(s);
    return it == conns_.end() ? nullptr : it->second.get();
}

TcpSockets::Conn *TcpSockets::user_conn(SocketId s) {
    Conn *c = find(s);
    return c && c->attached ? c : nullptr;
}

Result<TcpSockets::SocketId> TcpSockets::new_conn() {
    if (conns_.size() >= stack_.config().tcp.max_connections)
        return Error::kNoMemory;
    const SocketId id = next_id_++;
    auto c = std::make_unique<Conn>();
    const TcpConfig &cfg = stack_.config().tcp;
    c->id = id;
    c->sndbuf_cap = cfg.send_buffer;
    c->rcvbuf_cap = cfg.receive_buffer;
    c->ka_idle = cfg.keepalive_idle;
    c->ka_interval = cfg.keepalive_interval;
    c->ka_count = cfg.keepalive_count;
    c->rto = cfg.rto_initial;
    conns_.emplace(id, std::move(c));
    return id;
}

Result<TcpSockets::SocketId> TcpSockets::open() {
    return new_conn();
}

void TcpSockets::release(SocketId id) {
    conns_.erase(id);
}

void TcpSockets::reap() {
    for (SocketId id : reap_) {
        Conn *c = find(id);
        if (c && !c->attached && c->state == TcpState::kClosed)
            release(id);
    }
    reap_.clear();
}

std::size_t TcpSockets::buffered_bytes() const {
    std::size_t n = 0;
    for (const auto &kv : conns_)
        n += kv.second->sndq.size() + kv.second->rcvq.size() + kv.second->ooo_bytes;
    return n;
}

// ---- Ports and ISNs ----------------------------------------------------------------------------

bool TcpSockets::port_in_use(std::uint16_t port, const wire::Ip6Address &address,
                             bool reuse_time_wait) const {
    for (const auto &kv : conns_) {
        const Conn &k = *kv.second;
        if (!k.bound || k.lport != port || k.listener != 0)
            continue;
        // TIME-WAIT (accepted or not, with or without its socket) holds the port unless the
        // binding socket set NSAPI_REUSEADDR (as LWIP and Linux). Other accepted and
        // socket-less (closing) connections do not hold it.
        if (k.state == TcpState::kTimeWait) {
            if (reuse_time_wait)
                continue;
        } else if (!k.attached || k.passive) {
            continue;
        }
        if (k.local.is_unspecified() || address.is_unspecified() || k.local == address)
            return true;
    }
    return false;
}

std::uint16_t TcpSockets::pick_ephemeral() {
    const auto &c = stack_.config();
    const std::uint32_t span = static_cast<std::uint32_t>(c.ephemeral_last) - c.ephemeral_first + 1;
    if (next_ephemeral_ == 0)
        next_ephemeral_ =
            static_cast<std::uint16_t>(c.ephemeral_first + stack_.random().uniform(span));
    for (std::uint32_t i = 0; i < span; ++i) {
        const std::uint16_t p = next_ephemeral_;
        next_ephemeral_ =
            p == c.ephemeral_last ? c.ephemeral_first : static_cast<std::uint16_t>(p + 1);
        if (!port_in_use(p, wire::Ip6Address()))
            return p;
    }
    return 0;
}

std::uint64_t TcpSockets::tuple_hash(const Conn &c, std::uint64_t domain) {
    // A keyed 64-bit mix of the four-tuple (unpredictable without the secret); `domain` keeps
    // the ISN's and the timestamp offset's values independent.
    if (!isn_secret_drawn_) {
        // RFC 6528: a per-node secret, drawn at the first connection so that a node without
        // TCP draws nothing from its Random.
        isn_secret_[0] = stack_.random().next_u64();
        isn_secret_[1] = stack_.random().next_u64();
        isn_secret_drawn_ = true;
    }
    std::uint64_t h = isn_secret_[0] ^ domain;
    auto absorb = [&h, this](const std::uint8_t *p) {
        std::uint64_t w = 0;
        for (int i = 0; i < 8; ++i)
            w = w << 8 | p[i];
        h = mix64(h ^ w ^ isn_secret_[1]);
    };
    absorb(c.local.bytes);
    absorb(c.local.bytes + 8);
    absorb(c.remote.bytes);
    absorb(c.remote.bytes + 8);
    return mix64(h ^ (static_cast<std::uint64_t>(c.lport) << 16 | c.rport) ^ isn_secret_[1]);
}

std::uint32_t TcpSockets::make_isn(const Conn &c) {
    // RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, secretkey), M a 4 us
    // timer.
    const std::uint64_t h = tuple_hash(c, 0);
    const auto m = static_cast<std::uint64_t>(now().time_since_epoch().count() / 4);
    return static_cast<std::uint32_t>(m + (h >> 32));
}

std::uint32_t TcpSockets::make_ts_offset(const Conn &c) {
    // RFC 7323 7.1: a random offset per connection, here (as the ISN, and as Linux does) a
    // keyed hash of the four-tuple, so a new incarnation of a four-tuple keeps its clock.
    return static_cast<std::uint32_t>(tuple_hash(c, 0x9e3779b97f4a7c15ull));
}

void TcpSockets::init_route_params(Conn &c, IfIndex ifindex) {
    // MSS from the interface MTU (and the path MTU if lower): RFC 9293 3.7.1.
    std::size_t mtu = 1280;
    std::size_t cap = 0;
    if (ifindex < stack_.interface_count()) {
        const Netif &nif = stack_.netif(ifindex);
        mtu = stack_.pmtu().mtu(c.remote, nif.mtu);
        cap = nif.config.tcp_mss;
    }
    std::size_t m = mtu > 60 ? mtu - 60 : 536;
    if (cap != 0 && cap < m)
        m = cap;
    c.mss_local = static_cast<std::uint16_t>(std::min<std::size_t>(m, 65535));
    const TcpConfig &cfg = stack_.config().tcp;
    c.rcv_wscale = 0;
    if (cfg.window_scaling)
        while (c.rcv_wscale < 14 && (c.rcvbuf_cap >> c.rcv_wscale) > 65535)
            ++c.rcv_wscale;
}

void TcpSockets::apply_syn_options(Conn &c, const Segment &s) {
    const TcpConfig &cfg = stack_.config().tcp;
    c.peer_mss = s.h.has_mss && s.h.mss != 0 ? s.h.mss : kDefaultPeerMss;
    c.ws_ok = cfg.window_scaling && s.h.has_window_scale;
    c.snd_wscale = c.ws_ok ? std::min<std::uint8_t>(s.h.window_scale, 14) : 0;
    if (!c.ws_ok)
        c.rcv_wscale = 0;
    c.ts_ok = cfg.timestamps && s.h.has_timestamp;
    if (c.ts_ok) {
        c.ts_recent = s.h.ts_val;
        c.ts_recent_at = now();
    }
    c.sack_ok = cfg.sack && s.h.sack_permitted;
    std::size_t mss = std::min<std::size_t>({c.peer_mss, c.mss_local, path_mss(c)});
    if (c.ts_ok)
        mss -= kTimestampOption;  // RFC 6691: the MSS does not count options
    c.mss = static_cast<std::uint16_t>(std::max<std::size_t>(mss, 64));
}

std::size_t TcpSockets::path_mss(const Conn &c) const {
    // What the path MTU (RFC 8201, lowered by Packet Too Big) leaves for TCP payload and options.
    auto route = stack_.route_output(c.remote, c.ifindex, &c.local);
    if (!route)
        return 65535;
    const std::size_t mtu = stack_.pmtu().mtu(c.remote, stack_.netif(route->ifindex).mtu);
    return mtu > 60 ? mtu - 60 : 536;
}

void TcpSockets::path_mtu_lowered(Conn &c) {
    if (!c.synchronized() && c.state != TcpState::kSynReceived)
        return;  // SYN-SENT: the SYN is small; apply_syn_options reads the path MTU later
    std::size_t mss = std::min<std::size_t>(c.peer_mss, path_mss(c));
    if (c.ts_ok)
        mss -= kTimestampOption;
    mss = std::max<std::size_t>(mss, 64);
    if (mss >= c.mss)
        return;
    c.mss = static_cast<std::uint16_t>(mss);
    // RFC 8201 5.4 / RFC 1191 6.4: what is in flight was too big and is lost. Send it again
    // at once in segments of the new size; this is not congestion (cwnd and ssthresh stay).
    if (c.can_send_data() && lt(c.snd_una, c.snd_max)) {
        c.snd_nxt = c.snd_una;
        c.timing = false;
        c.rtx_at = kNever;
        output(c);
        arm_rtx(c);
        after_output(c);
    }
}

void TcpSockets::on_icmp_error(const wire::Ip6Address &local, const wire::Ip6Address &remote,
                               std::uint16_t lport, std::uint16_t rport, std::uint32_t seq,
                               std::uint8_t type, std::uint8_t code) {
    Conn *c = nullptr;
    for (auto &kv : conns_) {
        Conn &k = *kv.second;
        if (k.state != TcpState::kClosed && k.state != TcpState::kListen && k.lport == lport &&
            k.rport == rport && k.remote == remote && k.local == local) {
            c = &k;
            break;
        }
    }
    if (!c)
        return;
    // RFC 5927 5.1: only an error about a segment in flight (SND.UNA <= SEG.SEQ < SND.MAX; the
    // SYN in SYN-SENT) is believed; a blind attacker has to guess the window.
    if (!in_window(seq, c->snd_una, c->snd_max)) {
        ++c->stats.icmp_ignored;
        return;
    }
    ++c->stats.icmp_errors;
    if (type == wire::Icmp6Type::kPacketTooBig) {
        path_mtu_lowered(*c);  // the Stack has lowered the path MTU already
        return;
    }
    if (c->state == TcpState::kSynSent && type == wire::Icmp6Type::kDestinationUnreachable) {
        // No connection to wait for: fail the connect now (NSAPI_ERROR_NO_CONNECTION, as a
        // refusal) instead of after the SYN retries.
        drop_conn(*c, Error::kBadState);
        reap();
        return;
    }
    c->soft_error_type = type;
    c->soft_error_code = code;
}

// ---- API ---------------------------------------------------------------------------------------

Status TcpSockets::close(SocketId s) {
    Conn *c = user_conn(s);
    if (!c)
        return Error::kNotFound;
    switch (c->state) {
        case TcpState::kClosed:
        case TcpState::kSynSent:
            release(s);
            return Status();
        case TcpState::kListen: {
            // Unaccepted connections go with their listener (RFC 9293 3.10.4: reset).
            std::vector<SocketId> kids;
            for (auto &kv : conns_)
                if (kv.second->listener == s)
                    kids.push_back(kv.first);
            for (SocketId k : kids) {
                Conn *kc = find(k);
                send_rst(*kc);
                release(k);
            }
            release(s);
            return Status();
        }
        default:
            break;
    }
    c->attached = false;
    c->callback = nullptr;
    if (!c->rcvq.empty()) {
        // Unread data is lost: tell the peer (RFC 2525 2.17).
        send_rst(*c);
        release(s);
        return Status();
    }
    if (!c->fin_queued)
        queue_fin(*c);
    if (c->state == TcpState::kFinWait2)
        c->tw_at = saturating_add(now(), stack_.config().tcp.fin_wait2_timeout);
    output(*c);
    after_output(*c);
    return Status();
}

Status TcpSockets::abort(SocketId s) {
    Conn *c = user_conn(s);
    if (!c)
        return Error::kNotFound;
    if (c->state == TcpState::kListen) {
        return close(s);
    }
    if (c->state != TcpState::kClosed && c->state != TcpState::kSynSent &&
        c->state != TcpState::kTimeWait)
        send_rst(*c);
    release(s);
    return Status();
}

Status TcpSockets::bind(SocketId s, const wire::Ip6Address &address, std::uint16_t port) {
    Conn *c = user_conn(s);
    if (!c)
        return Error::kNotFound;
    if (c->bound || c->state != TcpState::kClosed)
        return Error::kBadState;
    if (address.is_multicast() || (!address.is_unspecified() && !stack_.is_local_address(address)))
        return Error::kInvalidArgument;
    if (port == 0) {
        port = pick_ephemeral();
        if (port == 0)
            return Error::kNoSpace;
    } else if (port_in_use(port, address, c->reuse_addr)) {
        return Error::kInvalidArgument;
    }
    c->local = address;
    c->lport = port;
    c->bound = true;
    return Status();
}

Status TcpSockets::listen(SocketId s, int backlog) {
    Conn *c = user_conn(s);
    if (!c)
        return Error::kNotFound;
    if (c->state == TcpState::kListen) {
        c->backlog = std::max(backlog, 1);
        return Status();
    }
    if (c->state != TcpState::kClosed || c->error != Error::kOk)
        return Error::kBadState;
    if (!c->bound)
        if (Status st = bind(s, wire::Ip6Address(), 0); !st)
            return st;
    c->backlog = std::max(backlog, 1);
    c->state = TcpState::kListen;
    return Status();
}

Result<TcpSockets::SocketId> TcpSockets::accept(SocketId s, wire::Ip6Address *peer,
                                                std::uint16_t *peer_port) {
    Conn *l = user_conn(s);
    if (!l)
        return Error::kNotFound;
    if (l->state != TcpState::kListen)
        return Error::kBadState;
    if (l->accept_queue.empty())
        return Error::kWouldBlock;
    const SocketId id = l->accept_queue.front();
    l->accept_queue.pop_front();
    Conn *c = find(id);
    if (!c)
        return Error::kWouldBlock;
    c->listener = 0;
    c->attached = true;
    c->bound = true;
    if (peer)
        *peer = c->remote;
    if (peer_port)
        *peer_port = c->rport;
    // Anything that arrived before accept is waiting for the new socket's owner.
    if (!c->rcvq.empty() || c->fin_rcvd || c->error != Error::kOk)
        c->ev_readable = true;
    return id;
}

Status TcpSockets::connect(SocketId s, const wire::Ip6Address &dst, std::uint16_t port) {
    Conn *c = user_conn(s);
    if (!c)
        return Error::kNotFound;
    if (c->state != TcpState::kClosed || c->error != Error::kOk)
        return Error::kBadState;
    if (port == 0 || dst.is_unspecified() || dst.is_multicast())
        return Error::kInvalidArgument;
    IfIndex ifindex = c->ifindex;
    if (ifindex == kAnyInterface && dst.is_link_local())
        ifindex = 0;
    const wire::Ip6Address *src = c->local.is_unspecified() ? nullptr : &c->local;
    auto route = stack_.route_output(dst, ifindex, src);
    if (!route)
        return route.error();
    if (!c->bound)
        if (Status st = bind(s, wire::Ip6Address(), 0); !st)
            return st;
    // A four-tuple in use (TIME-WAIT included) cannot be reused.
    for (const auto &kv : conns_) {
        const Conn &k = *kv.second;
        if (&k != c && k.state != TcpState::kListen && k.lport == c->lport && k.rport == port &&
            k.remote == dst && k.local == route->src)
            return Error::kInvalidArgument;
    }
    c->local = route->src;
    c->remote = dst;
    c->rport = port;
    c->ifindex = route->ifindex;
    init_route_params(*c, route->ifindex);
    c->iss = make_isn(*c);
    c->ts_offset = make_ts_offset(*c);
    c->snd_una = c->iss;
    c->snd_nxt = c->snd_max = c->iss + 1;
    c->sndq_seq = c->iss + 1;
    c->recover = c->iss;
    c->state = TcpState::kSynSent;
    c->rto = stack_.config().tcp.rto_initial;
    (void)send_segment(*c, c->iss, 0, kSyn);
    arm_rtx(*c);
    return Status();
}

Result<std::size_t> TcpSockets::send(SocketId s, ByteSpan data) {
    Conn *c = user_conn(s);
    if (!c)
        return Error::kNotFound;
    if (c->error != Error::kOk || c->fin_queued)
        return Error::kBadState;
    if (c->state == TcpState::kClosed || c->state == TcpState::kListen ||
        c->state == TcpState::kTimeWait || c->state == TcpState::kLastAck ||
        c->state == TcpState::kClosing)
        return Error::kBadState;
    const std::size_t room = c->sndbuf_cap > c->sndq.size() ? c->sndbuf_cap - c->sndq.size() : 0;
    std::size_t n = std::min(room, data.size);
    std::size_t limit = stack_.config().tcp.memory_limit;
    if (limit == 0)
        limit = stack_.pool().byte_budget();
    const std::size_t used = buffered_bytes();
    if (n != 0 && used + n > limit) {
        n = used < limit ? limit - used : 0;
        if (n == 0) {
            c->want_writable = true;
            return Error::kNoMemory;
        }
    }
    if (n == 0) {
        if (data.size == 0)
            return std::size_t{0};
        c->want_writable = true;
        return Error::kWouldBlock;
    }
    c->sndq.append(data.data, n, spares_, c->sndbuf_cap);
    if (n < data.size)
        c->want_writable = true;
    output(*c);
    after_output(*c);
    return n;
}

Result<std::size_t> TcpSockets::recv(SocketId s, MutableByteSpan out) {
    Conn *c = user_conn(s);
    if (!c)
        return Error::kNotFound;
    if (c->rcvq.empty()) {
        if (c->error != Error::kOk)
            return Error::kBadState;
        if (c->fin_rcvd || c->rd_shut)
            return std::size_t{0};
        if (c->state == TcpState::kClosed || c->state == TcpState::kListen)
            return Error::kBadState;
        return Error::kWouldBlock;
    }
    const std::size_t n = std::min(out.size, c->rcvq.size());
    c->rcvq.copy_out(0, out.data, n);
    c->rcvq.consume(n, spares_);
    maybe_window_update(*c);
    return n;
}

Status TcpSockets::shutdown(SocketId s, Shutdown how) {
    Conn *c = user_conn(s);
    if (!c)
        return Error::kNotFound;
    if (c->state == TcpState::kClosed || c->state == TcpState::kListen)
        return Error::kBadState;
    if (static_cast<unsigned>(how) & static_cast<unsigned>(Shutdown::kRead)) {
        c->rd_shut = true;
        c->rcvq.clear(spares_);
    }
    if ((static_cast<unsigned>(how) & static_cast<unsigned>(Shutdown::kWrite)) && !c->fin_queued) {
        queue_fin(*c);
        output(*c);
        after_output(*c);
    }
    return Status();
}

void TcpSockets::queue_fin(Conn &c) {
    c.fin_queued = true;
    if (c.state == TcpState::kEstablished)
        c.state = TcpState::kFinWait1;
    else if (c.state == TcpState::kCloseWait)
        c.state = TcpState::kLastAck;
    // SYN-SENT / SYN-RECEIVED: the FIN waits for the handshake (established()).
}

#define MESHWORK_TCP_SETTER(name, field, type)    \
    Status TcpSockets::name(SocketId s, type v) { \
        Conn *c = user_conn(s);                   \
        if (!c)                                   \
            return Error::kNotFound;              \
        c->field = v;                             \
        return Status();                          \
    }
MESHWORK_TCP_SETTER(set_nodelay, nodelay, bool)
MESHWORK_TCP_SETTER(set_reuse_address, reuse_addr, bool)
MESHWORK_TCP_SETTER(set_interface, ifindex, IfIndex)
MESHWORK_TCP_SETTER(set_hop_limit, hop_limit, std::uint8_t)
MESHWORK_TCP_SETTER(set_traffic_class, tclass, std::uint8_t)
#undef MESHWORK_TCP_SETTER

Status TcpSockets::set_keepalive(SocketId s, bool on) {
    Conn *c = user_conn(s);
    if (!c)
        return Error::kNotFound;
    c->keepalive = on;
    c->ka_probes = 0;
    c->ka_at = on && c->synchronized() ? saturating_add(now(), c->ka_idle) : kNever;
    return Status();
}

Status TcpSockets::set_keepalive_params(SocketId s, Duration idle, Duration interval,
                                        unsigned count) {
    Conn *c = user_conn(s);
    if (!c)
        return Error::kNotFound;
    if (idle.count() <= 0 || interval.count() <= 0 || count == 0)
        return Error::kInvalidArgument;
    c->ka_idle = idle;
    c->ka_interval = interval;
    c->ka_count = count;
    if (c->keepalive && c->synchronized())
        c->ka_at = saturating_add(now(), idle);
    return Status();
}

Status TcpSockets::set_send_buffer(SocketId s, std::size_t bytes) {
    Conn *c = user_conn(s);
    if (!c)
        return Error::kNotFound;
    if (bytes == 0)
        return Error::kInvalidArgument;
    if (bytes < c->sndq.size())
        return Error::kBadState;
    c->sndbuf_cap = bytes;
    return Status();
}

Status TcpSockets::set_receive_buffer(SocketId s, std::size_t bytes) {
    Conn *c = user_conn(s);
    if (!c)
        return Error::kNotFound;
    if (bytes == 0)
        return Error::kInvalidArgument;
    // The window scale is fixed by the SYN: only before connect or listen.
    if (c->state != TcpState::kClosed)
        return Error::kBadState;
    c->rcvbuf_cap = std::min<std::size_t>(bytes, std::size_t{65535} << 14);
    return Status();
}

void TcpSockets::set_callback(SocketId s, std::function<void(SocketEvent)> cb) {
    if (Conn *c = user_conn(s))
        c->callback = std::move(cb);
}

bool TcpSockets::readable(SocketId s) const {
    const Conn *c = find(s);
    if (!c || !c->attached)
        return false;
    if (c->state == TcpState::kListen)
        return !c->accept_queue.empty();
    return !c->rcvq.empty() || c->fin_rcvd || c->error != Error::kOk;
}

bool TcpSockets::writable(SocketId s) const {
    const Conn *c = find(s);
    if (!c || !c->attached)
        return false;
    if (c->error != Error::kOk)
        return true;
    return (c->state == TcpState::kEstablished || c->state == TcpState::kCloseWait) &&
           !c->fin_queued && c->sndq.size() < c->sndbuf_cap;
}

TcpState TcpSockets::state(SocketId s) const {
    const Conn *c = find(s);
    return c ? c->state : TcpState::kClosed;
}

Error TcpSockets::last_error(SocketId s) const {
    const Conn *c = find(s);
    return c ? c->error : Error::kNotFound;
}

std::size_t TcpSockets::send_queue_bytes(SocketId s) const {
    const Conn *c = find(s);
    return c ? c->sndq.size() : 0;
}

std::size_t TcpSockets::receive_queue_bytes(SocketId s) const {
    const Conn *c = find(s);
    return c ? c->rcvq.size() : 0;
}

std::uint16_t TcpSockets::local_port(SocketId s) const {
    const Conn *c = find(s);
    return c ? c->lport : 0;
}

wire::Ip6Address TcpSockets::local_address(SocketId s) const {
    const Conn *c = find(s);
    return c ? c->local : wire::Ip6Address();
}

std::uint16_t TcpSockets::peer_port(SocketId s) const {
    const Conn *c = find(s);
    return c ? c->rport : 0;
}

wire::Ip6Address TcpSockets::peer_address(SocketId s) const {
    const Conn *c = find(s);
    return c ? c->remote : wire::Ip6Address();
}

TcpInfo TcpSockets::info(SocketId s) const {
    TcpInfo i;
    const Conn *c = find(s);
    if (!c)
        return i;
    i.state = c->state;
    i.mss = c->mss;
    i.window_scaling = c->ws_ok;
    i.snd_wscale = c->snd_wscale;
    i.rcv_wscale = c->rcv_wscale;
    i.timestamps = c->ts_ok;
    i.sack = c->sack_ok;
    i.cwnd = c->cwnd;
    i.ssthresh = c->ssthresh;
    i.snd_wnd = c->snd_wnd;
    i.rcv_wnd = receive_window(*c);
    i.snd_una = c->snd_una;
    i.snd_nxt = c->snd_nxt;
    i.rcv_nxt = c->rcv_nxt;
    i.srtt = c->srtt;
    i.rttvar = c->rttvar;
    i.rto = c->rto;
    i.ts_recent = c->ts_recent;
    i.ts_offset = c->ts_offset;
    i.soft_error_type = c->soft_error_type;
    i.soft_error_code = c->soft_error_code;
    i.stats = c->stats;
    return i;
}

// ---- Events and timers -------------------------------------------------------------------------

void TcpSockets::notify(Conn &c, bool readable, bool writable) {
    if (c.listener != 0) {
        // Not accepted yet: the listener hears of it when it is ready (established()).
        return;
    }
    c.ev_readable |= readable;
    c.ev_writable |= writable;
}

bool TcpSockets::has_pending_events() const {
    for (const auto &kv : conns_)
        if (kv.second->ev_readable || kv.second->ev_writable)
            return true;
    return false;
}

Instant TcpSockets::next_deadline() const {
    Instant next = kNever;
    for (const auto &kv : conns_) {
        const Conn &c = *kv.second;
        for (Instant t : {c.rtx_at, c.persist_at, c.delack_at, c.ka_at, c.tw_at})
            if (t < next)
                next = t;
    }
    return next;
}

void TcpSockets::poll(Instant t) {
    std::vector<SocketId> ids;
    ids.reserve(conns_.size());
    for (const auto &kv : conns_)
        ids.push_back(kv.first);
    for (SocketId id : ids) {
        Conn *c = find(id);
        if (!c)
            continue;
        if (c->tw_at <= t) {
            c->tw_at = kNever;
            drop_conn(*c, Error::kOk);  // TIME-WAIT over, or an orphan's FIN-WAIT-2 timeout
            continue;
        }
        if (c->rtx_at <= t) {
            c->rtx_at = kNever;
            retransmit_timeout(*c);
            if (c->state == TcpState::kClosed)
                continue;
        }
        if (c->persist_at <= t) {
            c->persist_at = kNever;
            if (c->snd_wnd == 0 && c->can_send_data() && lt(c->snd_una, c->data_end())) {
                // RFC 9293 3.8.6.1: probe the zero window with one byte, backing off.
                ++c->stats.window_probes;
                if (c->snd_nxt == c->snd_una) {
                    c->snd_nxt = c->snd_una + 1;
                    if (lt(c->snd_max, c->snd_nxt))
                        c->snd_max = c->snd_nxt;
                }
                (void)send_segment(*c, c->snd_una, 1, kAck, true);
                ++c->persist_backoff;
                const Duration base = std::max(c->rto, stack_.config().tcp.rto_min);
                Duration d = base * (1 << std::min(c->persist_backoff, 10u));
                d = std::min(d, stack_.config().tcp.persist_max);
                c->persist_at = t + d;
            }
        }
        if (c->ka_at <= t) {
            c->ka_at = kNever;
            if (c->keepalive && c->synchronized()) {
                if (c->ka_probes >= c->ka_count) {
                    send_rst(*c);
                    drop_conn(*c, Error::kTimeout);
                    continue;
                }
                ++c->ka_probes;
                ++c->stats.keepalive_probes;
                // RFC 9293 3.8.4: SEG.SEQ = SND.NXT - 1, no data: the peer answers with an ACK.
                (void)send_segment(*c, c->snd_una - 1, 0, kAck);
                c->ka_at = t + c->ka_interval;
            }
        }
        if (c->delack_at <= t) {
            c->delack_at = kNever;
            if (c->unacked_segs != 0)
                send_ack(*c);
        }
    }
    // Events last: a callback may call back into the table.
    ids.clear();
    for (auto &kv : conns_)
        if (kv.second->ev_readable || kv.second->ev_writable)
            ids.push_back(kv.first);
    for (SocketId id : ids) {
        Conn *c = find(id);
        if (!c)
            continue;
        const bool r = c->ev_readable, w = c->ev_writable;
        c->ev_readable = c->ev_writable = false;
        auto cb = c->callback;
        if (!cb || !c->attached)
            continue;
        if (r)
            cb(SocketEvent::kReadable);
        if (w && find(id))
            cb(SocketEvent::kWritable);
    }
    reap();
}

void TcpSockets::drop_conn(Conn &c, Error why) {
    if (c.listener != 0) {
        if (Conn *l = find(c.listener)) {
            auto &q = l->accept_queue;
            q.erase(std::remove(q.begin(), q.end(), c.id), q.end());
        }
        c.listener = 0;
        c.attached = false;
    }
    c.state = TcpState::kClosed;
    c.error = why;
    c.rtx_at = c.persist_at = c.delack_at = c.ka_at = c.tw_at = kNever;
    c.sndq.clear(spares_);
    c.ooo.clear();
    c.ooo_bytes = 0;
    c.sacked.clear();
    if (why != Error::kOk)
        c.rcvq.clear(spares_);
    c.ev_readable = c.ev_writable = true;
    if (!c.attached)
        reap_.push_back(c.id);
}

void TcpSockets::established(Conn &c) {
    c.state = c.fin_queued ? TcpState::kFinWait1 : TcpState::kEstablished;
    // RFC 5681 3.1: the initial window.
    c.cwnd = c.mss > 2190 ? 2u * c.mss : c.mss > 1095 ? 3u * c.mss : 4u * c.mss;
    c.ssthresh = kLargeSsthresh;
    c.recover = c.snd_una;
    c.retries = 0;
    c.soft_error_type = c.soft_error_code = 0;  // the handshake got through after all
    if (c.keepalive)
        c.ka_at = saturating_add(now(), c.ka_idle);
    if (c.listener != 0) {
        if (Conn *l = find(c.listener)) {
            l->accept_queue.push_back(c.id);
            l->ev_readable = true;
        }
    } else {
        notify(c, false, true);
    }
}

void TcpSockets::enter_time_wait(Conn &c) {
    c.state = TcpState::kTimeWait;
    c.rtx_at = c.persist_at = c.ka_at = kNever;
    c.tw_at = saturating_add(now(), 2 * stack_.config().tcp.msl);
    notify(c, true, false);
}

void TcpSockets::arm_rtx(Conn &c) {
    const bool handshake = c.state == TcpState::kSynSent || c.state == TcpState::kSynReceived;
    if (c.snd_max != c.snd_una && (c.snd_wnd != 0 || handshake)) {
        if (c.rtx_at == kNever)
            c.rtx_at = saturating_add(now(), c.rto);
    } else {
        c.rtx_at = kNever;
    }
}

void TcpSockets::rtt_sample(Conn &c, Duration r, std::uint32_t expected_samples) {
    // RFC 6298 2.2 / 2.3, with a 1 ms clock granularity. With timestamps there are several
    // samples per RTT: RFC 7323 appendix G divides alpha (1/8) and beta (1/4) by the number
    // expected per flight, so that the estimator keeps its memory of about one RTT's worth.
    const TcpConfig &cfg = stack_.config().tcp;
    ++c.stats.rtt_samples;
    if (!c.rtt_valid) {
        c.srtt = r;
        c.rttvar = r / 2;
        c.rtt_valid = true;
    } else {
        const auto n = static_cast<Duration::rep>(std::max<std::uint32_t>(expected_samples, 1));
        const Duration diff = c.srtt > r ? c.srtt - r : r - c.srtt;
        c.rttvar += (diff - c.rttvar) / (4 * n);
        c.srtt += (r - c.srtt) / (8 * n);
    }
    Duration rto = c.srtt + std::max<Duration>(std::chrono::milliseconds(1), 4 * c.rttvar);
    c.rto = std::clamp(rto, cfg.rto_min, cfg.rto_max);
}

bool TcpSockets::ts_rtt_sample(Conn &c, const Segment &s, std::size_t flight) {
    // RFC 7323 4.1 / 4.2 (RTTM): an ACK that advances SND.UNA echoes in TSecr the TSval of the
    // segment that made the peer send it, retransmissions included (so Karn's rule is not
    // needed). A TSecr of 0 (our clock at its first millisecond, or a peer that does not
    // echo) or one from the future is not used.
    if (!c.ts_ok || !s.h.has_timestamp || !(s.h.flags & kAck) || s.h.ts_ecr == 0)
        return false;
    const std::uint32_t ms = ts_now(c) - s.h.ts_ecr;
    if (ms >= 0x80000000u)
        return false;
    // After a timeout the peer may acknowledge data it already had (our ACK-losing case) with
    // the TSval it recorded before the timeout (RFC 7323 5.3 R3 happens only for acceptable
    // segments): such a sample measures the RTO, not the path, and under heavy loss drives the
    // RTO to its maximum. Skipped, as Karn's rule would, until everything sent before the
    // timeout is acknowledged.
    if (c.ts_rto_floor_set) {
        const bool before_timeout = ts_lt(s.h.ts_ecr, c.ts_rto_floor);
        if (ge(c.snd_una, c.recover))
            c.ts_rto_floor_set = false;
        if (before_timeout)
            return false;
    }
    const std::size_t per = 2u * std::max<std::size_t>(c.mss, 1);
    const auto expected =
        static_cast<std::uint32_t>(std::max<std::size_t>((flight + per - 1) / per, 1));
    rtt_sample(c, std::chrono::milliseconds(ms), expected);
    ++c.stats.ts_rtt_samples;
    c.timing = false;  // the timed segment is covered
    return true;
}

bool TcpSockets::paws_rejects(Conn &c, const Segment &s) {
    // RFC 7323 5.3 R1: a non-RST segment whose TSval is older than TS.Recent is an old
    // duplicate (its sequence number may have wrapped into the window): ACK and drop. RSTs are
    // exempt (their cleanup matters more, 5.3 R1), and a TS.Recent older than 24 days is no
    // longer valid (5.5): the segment's TSval replaces it.
    if (!c.ts_ok || !s.h.has_timestamp || (s.h.flags & kRst) || !ts_lt(s.h.ts_val, c.ts_recent))
        return false;
    if (now() - c.ts_recent_at > kTsRecentMaxAge) {
        c.ts_recent = s.h.ts_val;
        c.ts_recent_at = now();
        return false;
    }
    ++c.stats.paws_rejects;
    (void)rate_limited_ack(c);  // RFC 5961 7 bounds these ACKs like other unacceptable segments
    if (c.state == TcpState::kTimeWait && (s.h.flags & kFin))
        c.tw_at = saturating_add(now(), 2 * stack_.config().tcp.msl);
    drop_ = StackDrop::kTcpPaws;
    return true;
}

std::size_t TcpSockets::flight_size(const Conn &c) const {
    return c.snd_max - c.snd_una;
}

void TcpSockets::retransmit_timeout(Conn &c) {
    const TcpConfig &cfg = stack_.config().tcp;
    if (c.snd_max == c.snd_una) {
        // Nothing outstanding: a retry after the pool had no room for a segment.
        output(c);
        after_output(c);
        return;
    }
    ++c.retries;
    ++c.stats.rto_expiries;
    const bool handshake = c.state == TcpState::kSynSent || c.state == TcpState::kSynReceived;
    if (c.retries > (handshake ? cfg.syn_retries : cfg.data_retries)) {
        if (!handshake)
            send_rst(c);
        drop_conn(c, Error::kTimeout);
        return;
    }
    c.ts_rto_floor = ts_now(c);
    c.ts_rto_floor_set = true;
    // RFC 6298 5.5: back off.
    c.rto = std::min(c.rto * 2, cfg.rto_max);
    c.timing = false;  // Karn
    if (handshake) {
        ++c.stats.retransmits;
        (void)send_segment(
            c, c.iss, 0,
            c.state == TcpState::kSynSent ? kSyn : static_cast<std::uint8_t>(kSyn | kAck));
        c.rtx_at = saturating_add(now(), c.rto);
        return;
    }
    // RFC 5681 3.1 (4), RFC 6582 4: one segment, slow start again; SACK state is forgotten
    // (RFC 2018 8).
    c.ssthresh = static_cast<std::uint32_t>(std::max<std::size_t>(flight_size(c) / 2, 2u * c.mss));
    c.cwnd = c.mss;
    c.in_recovery = false;
    c.dupacks = 0;
    c.recover = c.snd_max;
    c.sacked.clear();
    c.snd_nxt = c.snd_una;
    c.rtx_at = kNever;
    output(c);
    if (c.snd_nxt == c.snd_una && c.snd_wnd != 0) {
        // Nothing went out (no buffer): try again after the backed-off RTO.
        c.rtx_at = saturating_add(now(), c.rto);
    }
    after_output(c);
}

// ---- Output ------------------------------------------------------------------------------------

std::uint32_t TcpSockets::receive_window(const Conn &c) const {
    const std::size_t used = c.rcvq.size();
    return used >= c.rcvbuf_cap ? 0 : static_cast<std::uint32_t>(c.rcvbuf_cap - used);
}

void TcpSockets::send_ack(Conn &c) {
    (void)send_segment(c, c.snd_nxt, 0, kAck);
}

void TcpSockets::challenge_ack(Conn &c) {
    if (rate_limited_ack(c))
        ++c.stats.challenge_acks;
}

bool TcpSockets::rate_limited_ack(Conn &c) {
    // RFC 5961 7: ACKs answering unacceptable segments are limited, so that two ends that
    // disagree about the sequence space do not ACK each other forever.
    const Instant t = now();
    if (c.last_oow_ack != Instant() &&
        t - c.last_oow_ack < stack_.config().tcp.challenge_ack_interval)
        return false;
    c.last_oow_ack = t;
    send_ack(c);
    return true;
}

void TcpSockets::send_rst(Conn &c) {
    if (c.state == TcpState::kClosed || c.state == TcpState::kListen)
        return;
    if (c.state == TcpState::kSynSent) {
        return;  // RFC 9293 3.10.4: no reset from SYN-SENT
    }
    send_raw_rst(c.ifindex, c.local, c.remote, c.lport, c.rport, c.snd_nxt, c.rcv_nxt, kRst | kAck);
}

void TcpSockets::send_raw_rst(IfIndex ifindex, const wire::Ip6Address &local,
                              const wire::Ip6Address &remote, std::uint16_t lport,
                              std::uint16_t rport, std::uint32_t seq, std::uint32_t ack,
                              std::uint8_t flags) {
    wire::TcpHeader h;
    h.src_port = lport;
    h.dst_port = rport;
    h.seq = seq;
    h.ack = (flags & kAck) ? ack : 0;
    h.flags = flags;
    auto route = stack_.route_output(remote, ifindex, &local);
    if (!route)
        return;
    auto b = stack_.allocate(h.emitted_size());
    if (!b)
        return;
    if (h.emit(b->mutable_data(), wire::PseudoHeader{route->src, remote}))
        (void)stack_.output(std::move(*b), *route, remote, wire::IpProto::kTcp, 0);
}

bool TcpSockets::send_segment(Conn &c, std::uint32_t seq, std::size_t len, std::uint8_t flags,
                              bool probe) {
    const TcpConfig &cfg = stack_.config().tcp;
    wire::TcpHeader h;
    h.src_port = c.lport;
    h.dst_port = c.rport;
    h.seq = seq;
    h.flags = flags;
    if (c.state != TcpState::kSynSent)
        h.flags |= kAck;
    h.ack = (h.flags & kAck) ? c.rcv_nxt : 0;
    const bool syn = (flags & kSyn) != 0;
    const bool active_syn = syn && c.state == TcpState::kSynSent;
    if (syn) {
        h.has_mss = true;
        h.mss = c.mss_local;
        if (cfg.window_scaling && (active_syn || c.ws_ok)) {
            h.has_window_scale = true;
            h.window_scale = c.rcv_wscale;
        }
        h.sack_permitted = cfg.sack && (active_syn || c.sack_ok);
    }
    if ((syn && cfg.timestamps && (active_syn || c.ts_ok)) || (!syn && c.ts_ok)) {
        h.has_timestamp = true;
        h.ts_val = ts_now(c);
        h.ts_ecr = (h.flags & kAck) ? c.ts_recent : 0;
    }
    if (!syn && c.sack_ok && !c.ooo.empty()) {
        // RFC 2018 4: the block with the latest segment first, then the others.
        const std::size_t max_blocks = h.has_timestamp ? 3 : 4;
        auto block_of = [&c](const std::pair<const std::uint64_t, std::vector<std::uint8_t>> &e) {
            const auto left = static_cast<std::uint32_t>(c.rcv_nxt + (e.first - c.rcv_off));
            return wire::TcpSackBlock{left, left + static_cast<std::uint32_t>(e.second.size())};
        };
        auto first = c.ooo.upper_bound(c.last_ooo);
        if (first != c.ooo.begin())
            --first;
        h.sack[h.sack_count++] = block_of(*first);
        for (auto it = c.ooo.begin(); it != c.ooo.end() && h.sack_count < max_blocks; ++it)
            if (it != first)
                h.sack[h.sack_count++] = block_of(*it);
    }
    // The window: never shrink the right edge (RFC 9293 3.8.6.2.2 receiver SWS avoidance).
    std::uint32_t wnd = receive_window(c);
    const std::uint32_t edge = c.rcv_nxt + wnd;
    if (le(c.rcv_nxt, c.rcv_adv) && lt(c.rcv_adv, edge) &&
        edge - c.rcv_adv <
            std::min<std::uint32_t>(static_cast<std::uint32_t>(c.rcvbuf_cap / 2), c.mss_local))
        wnd = c.rcv_adv - c.rcv_nxt;
    if (syn) {
        h.window = static_cast<std::uint16_t>(std::min<std::uint32_t>(wnd, 65535));
        wnd = h.window;
    } else {
        const std::uint32_t field = std::min<std::uint32_t>(wnd >> c.rcv_wscale, 65535);
        h.window = static_cast<std::uint16_t>(field);
        wnd = field << c.rcv_wscale;
    }
    h.payload_length = len;

    IfIndex ifindex = c.ifindex;
    auto route = stack_.route_output(c.remote, ifindex, &c.local);
    if (!route) {
        stack_.count_drop(StackDrop::kNoRoute);
        return false;
    }
    route->traffic_class = c.tclass;
    auto b = stack_.allocate(h.header_size() + len);
    if (!b)
        return false;  // counted no-memory; the retransmission timer tries again
    // The payload is summed as it is copied out of the send queue: one pass over it.
    wire::Checksum payload_sum;
    if (len != 0) {
        const std::size_t off = seq - c.sndq_seq;
        if (off + len > c.sndq.size())
            return false;
        c.sndq.copy_out_sum(off, b->mutable_data().data + h.header_size(), len, payload_sum);
    }
    if (!h.emit(b->mutable_data(), wire::PseudoHeader{route->src, c.remote}, payload_sum))
        return false;
    if (!stack_.output(std::move(*b), *route, c.remote, wire::IpProto::kTcp, c.hop_limit))
        return false;

    ++c.stats.segments_sent;
    c.stats.bytes_sent += len;
    const std::uint32_t seg_len =
        static_cast<std::uint32_t>(len) + (syn ? 1 : 0) + ((flags & kFin) ? 1 : 0);
    if (syn) {
        // SND.MAX already covers the SYN when it first goes out: Karn's rule is by copy here.
        c.timing = !c.syn_timed;
        c.syn_timed = true;
        c.rtt_seq = seq + 1;
        c.rtt_start = now();
    } else if (seg_len != 0 && !probe) {
        if (lt(seq, c.snd_max)) {
            c.timing = false;  // Karn: a retransmission is never timed
            if (!syn)
                ++c.stats.retransmits;
        } else if (!c.timing) {
            c.timing = true;
            c.rtt_seq = seq + seg_len;
            c.rtt_start = now();
        }
    }
    if (h.flags & kAck) {
        c.last_ack_sent = h.ack;
        c.unacked_segs = 0;
        c.ack_now = false;
        c.delack_at = kNever;
        if (lt(c.rcv_adv, c.rcv_nxt + wnd))
            c.rcv_adv = c.rcv_nxt + wnd;
    }
    return true;
}

void TcpSockets::output(Conn &c) {
    if (!c.can_send_data())
        return;
    for (int guard = 0; guard < 10000; ++guard) {
        const std::uint32_t end = c.data_end();
        const std::uint32_t avail = lt(c.snd_nxt, end) ? end - c.snd_nxt : 0;
        // RFC 3042 limited transmit: a new segment for each of the first two duplicate ACKs.
        const std::uint32_t extra = c.in_recovery ? 0 : std::min(c.dupacks, 2u) * c.mss;
        const std::uint32_t wnd = std::min(c.snd_wnd, c.cwnd + extra);
        const std::uint32_t in_flight = c.snd_nxt - c.snd_una;
        const std::uint32_t usable = wnd > in_flight ? wnd - in_flight : 0;
        std::uint32_t len = std::min<std::uint32_t>({avail, usable, c.mss});
        const bool fin_pending =
            c.fin_queued && le(c.snd_nxt, c.fin_seq()) && (c.snd_nxt + len == c.fin_seq());
        if (len == 0 && !(fin_pending && avail == 0))
            break;
        if (len != 0 && len < c.mss && len < avail) {
            // Sender SWS avoidance (RFC 9293 3.8.6.2.1): no small segment while more waits,
            // unless nothing is in flight.
            if (in_flight != 0)
                break;
        }
        if (len != 0 && len < c.mss && !c.nodelay && in_flight != 0 && !fin_pending)
            break;  // Nagle (RFC 9293 3.7.4)
        std::uint8_t flags = kAck;
        if (len != 0 && c.snd_nxt + len == end)
            flags |= kPsh;
        if (fin_pending)
            flags |= kFin;
        if (!send_segment(c, c.snd_nxt, len, flags)) {
            if (c.rtx_at == kNever)
                c.rtx_at = saturating_add(now(), c.rto);
            break;
        }
        c.snd_nxt += len + ((flags & kFin) ? 1 : 0);
        if (lt(c.snd_max, c.snd_nxt))
            c.snd_max = c.snd_nxt;
        arm_rtx(c);
        if (flags & kFin)
            break;
    }
}

void TcpSockets::after_output(Conn &c) {
    if (c.ack_now || (c.unacked_segs >= stack_.config().tcp.ack_every))
        send_ack(c);
    else if (c.unacked_segs != 0 && c.delack_at == kNever)
        c.delack_at = saturating_add(now(), stack_.config().tcp.delayed_ack);
    // Persist: a zero window with data waiting and nothing in flight.
    if (c.can_send_data() && c.snd_wnd == 0 && lt(c.snd_nxt, c.data_end()) && c.rtx_at == kNever) {
        if (c.persist_at == kNever) {
            const Duration base = std::max(c.rto, stack_.config().tcp.rto_min);
            c.persist_at = saturating_add(now(), base);
        }
    } else if (c.snd_wnd != 0) {
        c.persist_at = kNever;
        c.persist_backoff = 0;
    }
}

void TcpSockets::schedule_ack(Conn &c, bool now_please) {
    ++c.unacked_segs;
    if (now_please)
        c.ack_now = true;
}

void TcpSockets::maybe_window_update(Conn &c) {
    if (!c.synchronized() && c.state != TcpState::kSynReceived)
        return;
    if (c.fin_rcvd)
        return;
    const std::uint32_t edge = c.rcv_nxt + receive_window(c);
    const std::uint32_t threshold =
        std::min<std::uint32_t>(static_cast<std::uint32_t>(c.rcvbuf_cap / 2), 2u * c.mss_local);
    if (gt(edge, c.rcv_adv) && edge - c.rcv_adv >= threshold)
        send_ack(c);
}

// ---- Input -------------------------------------------------------------------------------------

bool TcpSockets::input(const Netif &nif, const wire::Ip6View &ip, const wire::TcpView &view,
                       StackDrop *drop) {
    *drop = StackDrop::kCount;
    if (ip.dst().is_multicast() || ip.src().is_unspecified() || ip.src().is_multicast())
        return false;
    auto parsed = wire::TcpHeader::parse(view.segment());
    if (!parsed) {
        *drop = StackDrop::kTcpInvalid;
        return true;
    }
    Segment s{*parsed, view.payload()};
    const wire::Ip6Address src = ip.src(), dst = ip.dst();
    Conn *match = nullptr;
    Conn *listener = nullptr;
    for (auto &kv : conns_) {
        Conn &c = *kv.second;
        if (c.lport != s.h.dst_port || c.state == TcpState::kClosed)
            continue;
        if (c.state == TcpState::kListen) {
            if (!listener && (c.local.is_unspecified() || c.local == dst))
                listener = &c;
            continue;
        }
        if (c.rport == s.h.src_port && c.remote == src && c.local == dst) {
            match = &c;
            break;
        }
    }
    drop_ = StackDrop::kCount;
    if (match) {
        ++match->stats.segments_received;
        if (match->state == TcpState::kSynSent)
            input_syn_sent(*match, s);
        else
            input_synchronized(*match, s);
        if (find(match->id) && match->state != TcpState::kClosed) {
            output(*match);
            after_output(*match);
        }
    } else if (listener) {
        if (!input_listen(*listener, nif.index, ip, s))
            return false;
    } else {
        return false;
    }
    *drop = drop_;
    reap();
    return true;
}

bool TcpSockets::input_listen(Conn &l, IfIndex ifindex, const wire::Ip6View &ip, const Segment &s) {
    // RFC 9293 3.10.7.2.
    if (s.h.flags & kRst) {
        drop_ = StackDrop::kTcpInvalid;
        return true;
    }
    if (s.h.flags & kAck)
        return false;  // the CLOSED-state answer: <SEQ=SEG.ACK><CTL=RST>
    if (!(s.h.flags & kSyn)) {
        drop_ = StackDrop::kTcpInvalid;
        return true;
    }
    int pending = 0;
    for (const auto &kv : conns_)
        if (kv.second->listener == l.id)
            ++pending;
    if (pending >= l.backlog) {
        drop_ = StackDrop::kTcpBacklogFull;
        return true;
    }
    auto id = new_conn();
    if (!id) {
        drop_ = StackDrop::kTcpNoMemory;
        return true;
    }
    Conn &c = *find(*id);
    c.attached = false;
    c.passive = true;
    c.listener = l.id;
    c.bound = true;
    c.local = ip.dst();
    c.remote = ip.src();
    c.lport = l.lport;
    c.rport = s.h.src_port;
    c.ifindex = c.remote.is_link_local() ? ifindex : kAnyInterface;
    c.nodelay = l.nodelay;
    c.keepalive = l.keepalive;
    c.ka_idle = l.ka_idle;
    c.ka_interval = l.ka_interval;
    c.ka_count = l.ka_count;
    c.sndbuf_cap = l.sndbuf_cap;
    c.rcvbuf_cap = l.rcvbuf_cap;
    c.hop_limit = l.hop_limit;
    c.tclass = l.tclass;
    init_route_params(c, ifindex);
    c.irs = s.h.seq;
    c.rcv_nxt = s.h.seq + 1;
    c.rcv_adv = c.rcv_nxt;
    apply_syn_options(c, s);
    c.iss = make_isn(c);
    c.ts_offset = make_ts_offset(c);
    c.snd_una = c.iss;
    c.snd_nxt = c.snd_max = c.iss + 1;
    c.sndq_seq = c.iss + 1;
    c.recover = c.iss;
    c.snd_wnd = s.h.window;  // never scaled in a SYN (RFC 7323 2.2)
    c.max_snd_wnd = c.snd_wnd;
    c.snd_wl1 = s.h.seq;
    c.snd_wl2 = c.iss;
    c.state = TcpState::kSynReceived;
    (void)send_segment(c, c.iss, 0, kSyn | kAck);
    arm_rtx(c);
    return true;
}

void TcpSockets::input_syn_sent(Conn &c, const Segment &s) {
    // RFC 9293 3.10.7.3.
    const std::uint8_t f = s.h.flags;
    if (f & kAck) {
        if (le(s.h.ack, c.iss) || gt(s.h.ack, c.snd_max)) {
            if (!(f & kRst))
                send_raw_rst(c.ifindex, c.local, c.remote, c.lport, c.rport, s.h.ack, 0, kRst);
            drop_ = StackDrop::kTcpOutOfWindow;
            return;
        }
    }
    if (f & kRst) {
        if (f & kAck)
            drop_conn(c, Error::kBadState);  // connection refused
        else
            drop_ = StackDrop::kTcpInvalid;
        return;
    }
    if (!(f & kSyn)) {
        drop_ = StackDrop::kTcpInvalid;
        return;
    }
    c.irs = s.h.seq;
    c.rcv_nxt = s.h.seq + 1;
    c.rcv_adv = c.rcv_nxt;
    apply_syn_options(c, s);
    c.snd_wnd = s.h.window;
    c.max_snd_wnd = c.snd_wnd;
    c.snd_wl1 = s.h.seq;
    if (f & kAck) {
        c.snd_una = s.h.ack;
        c.snd_wl2 = s.h.ack;
        if (!ts_rtt_sample(c, s, 1) && c.timing && ge(s.h.ack, c.rtt_seq))
            rtt_sample(c, now() - c.rtt_start);
        c.timing = false;
        c.rtx_at = kNever;
        established(c);
        c.ack_now = true;  // data on a SYN-ACK is not taken: the peer sends it again
    } else {
        // Simultaneous open (RFC 9293 3.5 figure 8).
        c.state = TcpState::kSynReceived;
        c.snd_wl2 = c.iss;
        (void)send_segment(c, c.iss, 0, kSyn | kAck);
        c.rtx_at = kNever;
        arm_rtx(c);
    }
}

void TcpSockets::input_synchronized(Conn &c, const Segment &s_in) {
    Segment s = s_in;
    std::uint32_t seq = s.h.seq;
    std::uint8_t f = s.h.flags;
    ByteSpan data = s.payload;
    const bool ack_ok_range = lt(c.snd_una, s.h.ack) && le(s.h.ack, c.snd_max);

    // RFC 7323 3.2: once negotiated (both SYNs carried it), TSopt is in every non-RST segment;
    // one without it SHOULD be dropped silently (no ACK: it may be forged or from an old
    // incarnation). An RST without TSopt is still processed.
    if (c.ts_ok && !s.h.has_timestamp && !(f & kRst)) {
        ++c.stats.no_timestamp_drops;
        drop_ = StackDrop::kTcpNoTimestamp;
        return;
    }

    if (c.state == TcpState::kSynReceived && (f & kSyn) && seq == c.irs && !(f & kRst)) {
        if ((f & kAck) && ack_ok_range) {
            // Our simultaneous-open SYN-ACK crossed theirs: the SYN is old, the ACK is new.
            f = static_cast<std::uint8_t>(f & ~kSyn);
            ++seq;
            c.ack_now = true;
        } else {
            // Their SYN again: our SYN-ACK was lost.
            (void)send_segment(c, c.iss, 0, kSyn | kAck);
            drop_ = StackDrop::kTcpOutOfWindow;
            return;
        }
    }

    if (paws_rejects(c, s))
        return;

    // First, the sequence number (RFC 9293 3.10.7.4 table 6).
    const std::uint32_t seg_len =
        static_cast<std::uint32_t>(data.size) + ((f & kSyn) ? 1 : 0) + ((f & kFin) ? 1 : 0);
    std::uint32_t wnd = receive_window(c);
    if (gt(c.rcv_adv, c.rcv_nxt + wnd))
        wnd = c.rcv_adv - c.rcv_nxt;
    const std::uint32_t rcv_end = c.rcv_nxt + wnd;
    bool acceptable;
    if (seg_len == 0)
        acceptable = wnd == 0 ? seq == c.rcv_nxt : in_window(seq, c.rcv_nxt, rcv_end);
    else if (wnd == 0)
        acceptable = seq == c.rcv_nxt;  // RFC 9293: ACK and RST still processed; data trimmed
    else
        acceptable =
            in_window(seq, c.rcv_nxt, rcv_end) || in_window(seq + seg_len - 1, c.rcv_nxt, rcv_end);
    if (!acceptable) {
        if (!(f & kRst)) {
            rate_limited_ack(c);
            if (c.state == TcpState::kTimeWait && (f & kFin))
                c.tw_at = saturating_add(now(), 2 * stack_.config().tcp.msl);
        }
        drop_ = StackDrop::kTcpOutOfWindow;
        return;
    }

    // Second, RST (RFC 5961 3.2): only an exact match resets; in-window gets a challenge ACK.
    if (f & kRst) {
        if (seq != c.rcv_nxt) {
            challenge_ack(c);
            drop_ = StackDrop::kTcpOutOfWindow;
            return;
        }
        switch (c.state) {
            case TcpState::kSynReceived:
                // Passive: back to LISTEN (the connection goes). Active: refused.
                drop_conn(c, c.listener != 0 ? Error::kOk : Error::kBadState);
                return;
            case TcpState::kEstablished:
            case TcpState::kFinWait1:
            case TcpState::kFinWait2:
            case TcpState::kCloseWait:
                drop_conn(c, Error::kBadState);
                return;
            default:
                drop_conn(c, Error::kOk);
                return;
        }
    }

    // Fourth, SYN in a synchronized state (RFC 5961 4.2): challenge ACK.
    if (f & kSyn) {
        challenge_ack(c);
        drop_ = StackDrop::kTcpOutOfWindow;
        return;
    }

    // Fifth, ACK.
    if (!(f & kAck)) {
        drop_ = StackDrop::kTcpInvalid;
        return;
    }
    // RFC 7323 4.3 (R3 of 5.3): TS.Recent follows the segment at the left edge of what we last
    // acknowledged, so a delayed ACK echoes the earliest unacknowledged segment's TSval.
    if (c.ts_ok && s.h.has_timestamp && !ts_lt(s.h.ts_val, c.ts_recent) &&
        le(seq, c.last_ack_sent)) {
        c.ts_recent = s.h.ts_val;
        c.ts_recent_at = now();
    }
    c.ka_probes = 0;
    if (c.keepalive && c.ka_at != kNever)
        c.ka_at = saturating_add(now(), c.ka_idle);
    if (c.state == TcpState::kSynReceived) {
        if (!ack_ok_range) {
            send_raw_rst(c.ifindex, c.local, c.remote, c.lport, c.rport, s.h.ack, 0, kRst);
            drop_ = StackDrop::kTcpOutOfWindow;
            return;
        }
        c.snd_una = s.h.ack;
        if (!ts_rtt_sample(c, s, 1) && c.timing && ge(s.h.ack, c.rtt_seq))
            rtt_sample(c, now() - c.rtt_start);
        c.timing = false;
        c.rtx_at = kNever;
        c.snd_wnd = static_cast<std::uint32_t>(s.h.window) << c.snd_wscale;
        c.max_snd_wnd = std::max(c.max_snd_wnd, c.snd_wnd);
        c.snd_wl1 = seq;
        c.snd_wl2 = s.h.ack;
        established(c);
    } else {
        // RFC 5961 5.2: SND.UNA - MAX.SND.WND <= SEG.ACK <= SND.NXT (SND.MAX here).
        if (gt(s.h.ack, c.snd_max) || lt(s.h.ack, c.snd_una - c.max_snd_wnd)) {
            challenge_ack(c);
            drop_ = StackDrop::kTcpOutOfWindow;
            return;
        }
        s.h.seq = seq;
        s.h.flags = f;
        s.payload = data;
        process_ack(c, s);
        if (c.state == TcpState::kClosed)
            return;
        if (c.fin_acked()) {
            if (c.state == TcpState::kFinWait1) {
                c.state = TcpState::kFinWait2;
                if (!c.attached)
                    c.tw_at = saturating_add(now(), stack_.config().tcp.fin_wait2_timeout);
            } else if (c.state == TcpState::kClosing) {
                enter_time_wait(c);
            } else if (c.state == TcpState::kLastAck) {
                drop_conn(c, Error::kOk);
                return;
            }
        }
    }

    // Seventh, the text, and eighth, FIN.
    if (c.state == TcpState::kEstablished || c.state == TcpState::kFinWait1 ||
        c.state == TcpState::kFinWait2) {
        if (!data.empty() || (f & kFin))
            process_data(c, seq, data, (f & kFin) != 0);
    } else if (f & kFin) {
        // CLOSE-WAIT, CLOSING, LAST-ACK: a retransmitted FIN; TIME-WAIT restarts (RFC 9293).
        if (c.state == TcpState::kTimeWait)
            c.tw_at = saturating_add(now(), 2 * stack_.config().tcp.msl);
        c.ack_now = true;
    }
}

void TcpSockets::update_sack_scoreboard(Conn &c, const Segment &s) {
    // Prune below SND.UNA, then merge each reported block (RFC 2018 5).
    auto &sb = c.sacked;
    for (std::uint8_t i = 0; i < s.h.sack_count; ++i) {
        wire::TcpSackBlock b = s.h.sack[i];
        if (!lt(b.left, b.right) || le(b.right, c.snd_una) || gt(b.right, c.snd_max))
            continue;
        if (lt(b.left, c.snd_una))
            b.left = c.snd_una;
        std::vector<wire::TcpSackBlock> out;
        bool placed = false;
        for (const auto &e : sb) {
            if (lt(e.right, b.left)) {
                out.push_back(e);
            } else if (lt(b.right, e.left)) {
                if (!placed) {
                    out.push_back(b);
                    placed = true;
                }
                out.push_back(e);
            } else {
                if (lt(e.left, b.left))
                    b.left = e.left;
                if (gt(e.right, b.right))
                    b.right = e.right;
            }
        }
        if (!placed)
            out.push_back(b);
        sb.swap(out);
    }
    while (!sb.empty() && le(sb.front().right, c.snd_una))
        sb.erase(sb.begin());
    if (!sb.empty() && lt(sb.front().left, c.snd_una))
        sb.front().left = c.snd_una;
}

bool TcpSockets::retransmit_hole(Conn &c) {
    // SACK-guided recovery: the first byte not SACKed and not yet retransmitted, below the
    // highest SACKed byte.
    if (c.sacked.empty())
        return false;
    std::uint32_t from = lt(c.rtx_next, c.snd_una) ? c.snd_una : c.rtx_next;
    for (const auto &b : c.sacked) {
        if (lt(from, b.left)) {
            const std::uint32_t len = std::min<std::uint32_t>(b.left - from, c.mss);
            if (!send_segment(c, from, len, kAck))
                return false;
            ++c.stats.retransmits;
            c.rtx_next = from + len;
            return true;
        }
        if (lt(from, b.right))
            from = b.right;
    }
    return false;
}

void TcpSockets::process_ack(Conn &c, const Segment &s) {
    const std::uint32_t ack = s.h.ack;
    const std::uint32_t new_wnd = static_cast<std::uint32_t>(s.h.window) << c.snd_wscale;
    const std::uint32_t old_wnd = c.snd_wnd;
    if (c.sack_ok)
        update_sack_scoreboard(c, s);
    if (lt(c.snd_una, ack)) {
        const std::uint32_t acked = ack - c.snd_una;
        const std::size_t flight = flight_size(c);
        // Drop acknowledged bytes from the send queue (the FIN's sequence number is not data).
        if (gt(ack, c.sndq_seq)) {
            const std::size_t n = std::min<std::size_t>(ack - c.sndq_seq, c.sndq.size());
            c.sndq.consume(n, spares_);
            c.sndq_seq += static_cast<std::uint32_t>(n);
        }
        c.snd_una = ack;
        if (lt(c.snd_nxt, c.snd_una))
            c.snd_nxt = c.snd_una;
        if (!ts_rtt_sample(c, s, flight) && c.timing && ge(ack, c.rtt_seq)) {
            rtt_sample(c, now() - c.rtt_start);
            c.timing = false;
        }
        c.retries = 0;
        // Data got through: an earlier soft error does not explain a later timeout (as
        // Linux's sk_err_soft).
        c.soft_error_type = c.soft_error_code = 0;
        if (c.rtt_valid) {
            // RFC 6298 5.7: an ACK of new data ends the backoff.
            const Duration r =
                c.srtt + std::max<Duration>(std::chrono::milliseconds(1), 4 * c.rttvar);
            c.rto = std::clamp(r, stack_.config().tcp.rto_min, stack_.config().tcp.rto_max);
        }
        if (c.in_recovery) {
            if (ge(ack, c.recover)) {
                // RFC 6582 3.2 (3): full acknowledgment.
                c.cwnd = std::min<std::uint32_t>(
                    c.ssthresh,
                    static_cast<std::uint32_t>(std::max<std::size_t>(flight_size(c), c.mss)) +
                        c.mss);
                c.in_recovery = false;
                c.dupacks = 0;
            } else {
                // Partial acknowledgment: retransmit the next hole, deflate.
                if (!retransmit_hole(c))
                    (void)send_segment(
                        c, c.snd_una,
                        std::min<std::size_t>(
                            c.mss, lt(c.snd_una, c.data_end()) ? c.data_end() - c.snd_una : 0),
                        kAck);
                c.cwnd = c.cwnd > acked ? c.cwnd - acked : 0;
                c.cwnd += c.mss;
                c.rtx_at = saturating_add(now(), c.rto);
            }
        } else {
            c.dupacks = 0;
            if (c.cwnd < c.ssthresh)
                c.cwnd += std::min<std::uint32_t>(acked, c.mss);  // slow start
            else
                c.cwnd += std::max<std::uint32_t>(1, c.mss * c.mss / std::max(c.cwnd, 1u));
        }
        c.rtx_at = kNever;
        arm_rtx(c);
        if (c.want_writable && c.sndq.size() < c.sndbuf_cap) {
            c.want_writable = false;
            notify(c, false, true);
        }
    } else if (ack == c.snd_una && s.payload.empty() && !(s.h.flags & (kSyn | kFin)) &&
               new_wnd == old_wnd && c.snd_max != c.snd_una) {
        // A duplicate ACK (RFC 5681 2).
        ++c.dupacks;
        ++c.stats.dup_acks;
        if (c.dupacks == 3 && !c.in_recovery && lt(c.recover, ack)) {
            // RFC 6582 3.2 (2): fast retransmit, enter fast recovery.
            c.ssthresh =
                static_cast<std::uint32_t>(std::max<std::size_t>(flight_size(c) / 2, 2u * c.mss));
            c.recover = c.snd_max;
            c.in_recovery = true;
            ++c.stats.fast_retransmits;
            const std::uint32_t len = std::min<std::uint32_t>(
                c.mss, lt(c.snd_una, c.data_end()) ? c.data_end() - c.snd_una : 0);
            c.rtx_next = c.snd_una + len;
            if (len != 0 || c.fin_sent())
                (void)send_segment(c, c.snd_una, len,
                                   len == 0 ? static_cast<std::uint8_t>(kAck | kFin) : kAck);
            c.cwnd = c.ssthresh + 3u * c.mss;
            c.rtx_at = saturating_add(now(), c.rto);
        } else if (c.in_recovery) {
            c.cwnd += c.mss;  // RFC 6582 3.2 (4): inflate
            (void)retransmit_hole(c);
        }
    }
    // Window update (RFC 9293 3.10.7.4, fifth check).
    if (lt(c.snd_wl1, s.h.seq) || (c.snd_wl1 == s.h.seq && le(c.snd_wl2, ack))) {
        if (old_wnd == 0 && new_wnd != 0 && lt(c.snd_una, c.snd_nxt)) {
            // Out of persist: the probe byte may not have been taken; send from SND.UNA.
            c.snd_nxt = c.snd_una;
            c.persist_backoff = 0;
            c.persist_at = kNever;
        }
        c.snd_wnd = new_wnd;
        c.max_snd_wnd = std::max(c.max_snd_wnd, new_wnd);
        c.snd_wl1 = s.h.seq;
        c.snd_wl2 = ack;
        if (c.snd_wnd != 0)
            arm_rtx(c);
        else if (c.snd_una == c.snd_max)
            c.rtx_at = kNever;
    }
}

void TcpSockets::process_data(Conn &c, std::uint32_t seq, ByteSpan data, bool fin) {
    // Trim to what is new and fits the window.
    if (lt(seq, c.rcv_nxt)) {
        const std::uint32_t cut = c.rcv_nxt - seq;
        if (cut > data.size) {
            data = ByteSpan();
            fin = false;  // the FIN, at seq + size, is old too
        } else {
            data = data.subspan(cut);
        }
        seq = c.rcv_nxt;
    }
    const std::uint32_t wnd = receive_window(c);
    if (data.size > wnd) {
        data = data.subspan(0, wnd);
        fin = false;
        stack_.count_drop(StackDrop::kTcpOutOfWindow);
    }
    if (c.rd_shut || (!c.attached && c.listener == 0)) {
        // Nobody will read: take and discard (the sequence space still advances).
        data = data.subspan(0, seq == c.rcv_nxt ? data.size : 0);
    }
    const std::uint64_t off = c.rcv_off + (seq - c.rcv_nxt);
    std::size_t limit = stack_.config().tcp.memory_limit;
    if (limit == 0)
        limit = stack_.pool().byte_budget();
    if (!data.empty() && buffered_bytes() + data.size > limit) {
        drop_ = StackDrop::kTcpNoMemory;
        c.ack_now = true;
        return;
    }
    if (seq == c.rcv_nxt) {
        const bool had_ooo = !c.ooo.empty();
        if (!c.rd_shut && (c.attached || c.listener != 0))
            c.rcvq.append(data.data, data.size, spares_, c.rcvbuf_cap);
        c.rcv_nxt += static_cast<std::uint32_t>(data.size);
        c.rcv_off += data.size;
        // Pull what the out-of-order queue now continues.
        while (!c.ooo.empty() && c.ooo.begin()->first <= c.rcv_off) {
            auto it = c.ooo.begin();
            const std::uint64_t end = it->first + it->second.size();
            if (end > c.rcv_off) {
                const std::size_t skip = static_cast<std::size_t>(c.rcv_off - it->first);
                c.rcvq.append(it->second.data() + skip, it->second.size() - skip, spares_,
                              c.rcvbuf_cap);
                c.rcv_nxt += static_cast<std::uint32_t>(end - c.rcv_off);
                c.rcv_off = end;
            }
            c.ooo_bytes -= it->second.size();
            c.ooo.erase(it);
        }
        if (c.ooo_fin == c.rcv_off)
            fin = true;
        if (!data.empty() || had_ooo)
            notify(c, true, false);
        // RFC 5681 4.2: ACK at once when a hole fills; else every ack_every segments.
        schedule_ack(c, had_ooo);
        if (fin)
            process_fin(c);
        return;
    }
    // Out of order: keep it (merged with its neighbours), ACK at once with SACK blocks.
    if (fin)
        c.ooo_fin = off + data.size;
    if (!data.empty()) {
        std::uint64_t a = off, b = off + data.size;
        std::vector<std::uint8_t> buf(data.begin(), data.end());
        auto it = c.ooo.upper_bound(a);
        if (it != c.ooo.begin()) {
            auto prev = std::prev(it);
            const std::uint64_t pend = prev->first + prev->second.size();
            if (pend >= a) {
                std::vector<std::uint8_t> merged(
                    prev->second.begin(),
                    prev->second.begin() + static_cast<long>(a - prev->first));
                merged.insert(merged.end(), buf.begin(), buf.end());
                if (pend > b)
                    merged.insert(merged.end(),
                                  prev->second.begin() + static_cast<long>(b - prev->first),
                                  prev->second.end());
                a = prev->first;
                b = std::max(b, pend);
                buf.swap(merged);
                c.ooo_bytes -= prev->second.size();
                c.ooo.erase(prev);
            }
        }
        it = c.ooo.lower_bound(a);
        while (it != c.ooo.end() && it->first <= b) {
            const std::uint64_t end = it->first + it->second.size();
            if (end > b) {
                buf.insert(buf.end(), it->second.begin() + static_cast<long>(b - it->first),
                           it->second.end());
                b = end;
            }
            c.ooo_bytes -= it->second.size();
            it = c.ooo.erase(it);
        }
        c.ooo_bytes += buf.size();
        c.ooo.emplace(a, std::move(buf));
        c.last_ooo = off;
    }
    schedule_ack(c, true);
}

void TcpSockets::process_fin(Conn &c) {
    c.fin_rcvd = true;
    c.rcv_nxt += 1;
    c.ack_now = true;
    notify(c, true, false);
    switch (c.state) {
        case TcpState::kSynReceived:
        case TcpState::kEstablished:
            c.state = TcpState::kCloseWait;
            break;
        case TcpState::kFinWait1:
            if (c.fin_acked())
                enter_time_wait(c);
            else
                c.state = TcpState::kClosing;
            break;
        case TcpState::kFinWait2:
            enter_time_wait(c);
            break;
        default:
            break;
    }
}

}  // namespace meshwork::stack
