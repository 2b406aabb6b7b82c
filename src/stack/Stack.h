// One IPv6 node (RFC 8200, 4861, 4862, 4443, 3810, 8201): interfaces, addresses, neighbour
// discovery, ICMPv6, extension headers, forwarding, fragmentation and reassembly, UDP and TCP.
//
// Rules (ARCHITECTURE 1-6): a Stack is one node's state and nothing else holds any; it runs to
// completion on the caller's thread or fiber; it reads time only from the injected Clock and
// randomness only from the injected Random; every buffer comes from the node's PacketPool and
// exhaustion is a counted drop (or Error::kNoMemory to a socket); every timer is reported by
// next_deadline() and fired by poll(). The owner calls receive_frame() for each frame a link
// delivers, and poll() when the clock reaches next_deadline() (or after any call: poll() with
// nothing due does nothing).
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "core/PacketBuffer.h"
#include "core/Random.h"
#include "core/Time.h"
#include "Netif.h"
#include "MplDataPlane.h"
#include "PmtuCache.h"
#include "RplDataPlane.h"
#include "Reassembler.h"
#include "RoutingTable.h"
#include "StackTypes.h"
#include "TokenBucket.h"
#include "wire/Ip6.h"
#include "wire/Ip6Address.h"
#include "wire/PrefixOptions.h"

namespace meshwork::stack {

class IcmpSockets;
class UdpSockets;
class TcpSockets;

struct StackConfig {
    bool forwarding = false;  // a router: forwards between interfaces, sends RAs if configured
    std::uint8_t default_hop_limit = 64;
    /// Bytes reserved in front of every packet for the link header (14 for Ethernet; more for
    /// 6LoWPAN later).
    std::size_t link_headroom = 16;
    ReassemblyLimits reassembly;
    std::uint32_t icmp_error_burst = 10;  // RFC 4443 2.4 (f): a token bucket
    Duration icmp_error_interval = std::chrono::milliseconds(100);
    std::size_t pmtu_entries = 32;
    bool send_redirects = true;
    // UDP
    std::size_t udp_receive_queue = 16;  // datagrams per socket
    std::uint16_t ephemeral_first = 49152;
    std::uint16_t ephemeral_last = 65535;
    TcpConfig tcp;
    // RPL data plane (docs/rpl.md): RPL source routing headers (type 3, RFC 6554 4.2) are
    // processed on a forwarding node, the RPL option (RFC 6553) is recognised, and the
    // RplDataPlane hooks are consulted (set_rpl_data_plane).
    bool rpl_data_plane = false;
    /// Decapsulates IPv6-in-IPv6 (Next Header 41, RFC 2473) addressed to the node.
    bool ip6_in_ip6 = false;
};

struct StackStats {
    std::uint64_t rx_frames = 0;
    // Verdicts of received frames: each frame counts under exactly one of these.
    std::uint64_t rx_delivered = 0;  // consumed by the node (ICMPv6, ND, MLD, UDP)
    std::uint64_t rx_forwarded = 0;
    std::uint64_t rx_fragments = 0;  // held for reassembly
    std::uint64_t rx_dropped = 0;
    std::uint64_t reassembled = 0;
    std::uint64_t tx_frames = 0;
    std::uint64_t tx_fragments = 0;
    std::uint64_t icmp_errors_sent = 0;
    std::uint64_t icmp_errors_received = 0;  // errors about a packet this node sent
    std::uint64_t echo_replies_sent = 0;
    std::uint64_t redirects_sent = 0;
    std::uint64_t dad_failures = 0;
    std::uint64_t mld_reports_sent = 0;
    std::uint64_t ra_sent = 0;
    std::uint64_t rs_sent = 0;
    // RPL data plane
    std::uint64_t srh_forwarded = 0;    // source-routed packets sent on to their next address
    std::uint64_t srh_originated = 0;   // packets the root sent with a source routing header
    std::uint64_t tunnelled = 0;        // packets the root forwarded in IPv6-in-IPv6 with one
    std::uint64_t decapsulated = 0;     // IPv6-in-IPv6 packets opened here
    std::uint64_t rpl_rank_errors = 0;  // RFC 6550 11.2: R flag set on a forwarded packet
};

/// A received Echo Reply, for ping-like users.
struct EchoReply {
    wire::Ip6Address src;
    std::uint16_t identifier = 0;
    std::uint16_t sequence = 0;
    std::uint8_t hop_limit = 0;
    ByteSpan data;
};

/// Where output goes: the interface, the on-link next hop and the source address; and the
/// Traffic Class to send with (a socket's NSAPI_IPTOS).
struct OutputRoute {
    IfIndex ifindex = 0;
    wire::Ip6Address next_hop;
    wire::Ip6Address src;
    std::uint8_t traffic_class = 0;
    // The caller hands the packet to the neighbour `next_hop` itself (ND's answer to a node
    // that registered with it): no RPL source route, whose path may be older than this link.
    bool direct = false;
};

class Stack {
  public:
    Stack(const Clock &clock, Random &random, PacketPool &pool, StackConfig config = {});
    ~Stack();
    Stack(const Stack &) = delete;
    Stack &operator=(const Stack &) = delete;

    // ---- Interfaces ---------------------------------------------------------------------
    /// Adds an interface (down). `output` must outlive the Stack.
    Result<IfIndex> add_interface(NetifConfig config, LinkOutput &output);
    /// Brings an interface up: joins all-nodes, forms the link-local address (modified EUI-64
    /// from the MAC) and starts DAD; router solicitation follows once it is preferred.
    Status set_up(IfIndex ifindex);
    /// Turns forwarding on or off (StackConfig::forwarding), for a node whose role is chosen
    /// when it joins a network (a 6LoWPAN router or host).
    void set_forwarding(bool on) { config_.forwarding = on; }
    /// Adds a static address (DAD unless `skip_dad`); its prefix becomes a connected route.
    Status add_address(IfIndex ifindex, const wire::Ip6Address &address,
                       std::uint8_t prefix_length = 64, bool skip_dad = false);
    Status remove_address(IfIndex ifindex, const wire::Ip6Address &address);
    std::size_t interface_count() const { return netifs_.size(); }
    const Netif &netif(IfIndex i) const { return *netifs_[i]; }
    Netif &netif(IfIndex i) { return *netifs_[i]; }

    /// Joins / leaves a multicast group on an interface (reference counted; MLDv2 reports,
    /// unless `report` is false: a group a protocol module listens on without MLD, as MPL's
    /// ff03::fc on a 6LoWPAN mesh).
    Status join_group(IfIndex ifindex, const wire::Ip6Address &group, bool report = true);
    Status leave_group(IfIndex ifindex, const wire::Ip6Address &group, bool report = true);

    RoutingTable &routes() { return routes_; }
    const RoutingTable &routes() const { return routes_; }
    PmtuCache &pmtu() { return pmtu_; }
    const Reassembler &reassembler() const { return reassembler_; }

    // ---- Packet path ----------------------------------------------------------------------
    /// A frame from the link of `ifindex` (an Ethernet frame, FCS stripped). Never fails:
    /// anything wrong is a counted drop.
    void receive_frame(IfIndex ifindex, ByteSpan frame);
    /// A bare IPv6 packet from a LinkKind::kIp6 link's adaptation layer (reassembled and
    /// decompressed). Never fails, like receive_frame().
    void receive_packet(IfIndex ifindex, ByteSpan packet);
    /// The earliest instant at which poll() has work (kNever when none).
    Instant next_deadline() const;
    /// Runs everything due at the clock's now: ND and DAD timers, RS/RA, MLD reports, address
    /// and route lifetimes, reassembly timeouts, path MTU aging, loopback, socket events.
    void poll();

    /// Chooses interface, next hop and source for `dst` (RFC 6724 rules 1, 2, 3 and 8 in a
    /// simple form). `ifindex` restricts the interface (needed for link-local and multicast
    /// destinations when there are several interfaces).
    Result<OutputRoute> route_output(const wire::Ip6Address &dst, IfIndex ifindex = kAnyInterface,
                                     const wire::Ip6Address *src = nullptr) const;
    /// Sends an upper-layer payload (already in `upper`, with checksum) to `dst`: prepends the
    /// IPv6 header (and `ext`, an unfragmentable extension header such as hop-by-hop), and
    /// fragments to the path MTU (RFC 8200 4.5). kNoMemory when the pool is exhausted.
    Status output(PacketBuffer upper, const OutputRoute &route, const wire::Ip6Address &dst,
                  std::uint8_t next_header, std::uint8_t hop_limit, ByteSpan ext = {});
    /// Headroom an upper layer reserves in a new packet: link + IPv6 + fragment + hop-by-hop.
    std::size_t upper_headroom() const { return config_.link_headroom + 40 + 8 + 8; }
    /// A buffer for an upper-layer message of `size` bytes, with upper_headroom().
    Result<PacketBuffer> allocate(std::size_t size);

    /// Sends an Echo Request (RFC 4443 4.1).
    Status ping(const wire::Ip6Address &dst, std::uint16_t identifier, std::uint16_t sequence,
                ByteSpan data = {}, IfIndex ifindex = kAnyInterface);
    void set_echo_reply_handler(std::function<void(const EchoReply &)> h) {
        echo_handler_ = std::move(h);
    }

    // ---- Protocol modules outside the stack (6LoWPAN-ND, RPL) ----------------------------
    /// Takes a received ICMPv6 message (`message` starts at its type byte; the checksum has
    /// been checked, the destination accepted). Returns true when it consumed the message: the
    /// stack then does nothing more with it (the frame counts as delivered).
    using IcmpHandler =
        std::function<bool(IfIndex ifindex, const wire::Ip6View &ip, ByteSpan message)>;
    /// Registers `handler` for ICMPv6 `type`, ahead of the stack's own handling of that type
    /// (one handler per type: a second call replaces it; an empty function removes it).
    void set_icmp_handler(std::uint8_t type, IcmpHandler handler);
    /// Sends an ICMPv6 message: `message` is type, code, a checksum field (filled here) and the
    /// body. `route` gives interface, on-link next hop and source (route_output() or set by
    /// hand, e.g. a link-local unicast to a neighbour). `ext` as for output().
    Status send_icmp(const OutputRoute &route, const wire::Ip6Address &dst, ByteSpan message,
                     std::uint8_t hop_limit, ByteSpan ext = {});

    /// The RPL module's data-plane hooks (null: none); used with StackConfig::rpl_data_plane.
    /// `p` must outlive the Stack or be reset first.
    void set_rpl_data_plane(RplDataPlane *p) { rpl_ = p; }
    /// The MPL module's hooks (null: none, multicast stays on one link). `p` must outlive
    /// the Stack or be reset first.
    void set_mpl_data_plane(MplDataPlane *p) { mpl_ = p; }
    /// The offset of the MPL option's value in a hop-by-hop header right after the fixed
    /// header of `packet` (0: none).
    static std::size_t find_mpl_option(ByteSpan packet);
    /// Sends a whole IPv6 packet (`packet` starts at its header) on an interface to its
    /// destination as the next hop: an MPL retransmission, as it was buffered.
    Status transmit_packet(IfIndex ifindex, ByteSpan packet);

    UdpSockets &udp() { return *udp_; }
    IcmpSockets &icmp() { return *icmp_; }
    TcpSockets &tcp() { return *tcp_; }

    // ---- Introspection ------------------------------------------------------------------
    const StackDropCounters &drops() const { return drops_; }
    const StackStats &stats() const { return stats_; }
    const StackConfig &config() const { return config_; }
    PacketPool &pool() { return pool_; }
    const Clock &clock() const { return clock_; }
    Random &random() { return random_; }
    void count_drop(StackDrop r) { drops_.count(r); }
    /// True if `a` is a usable (not tentative) unicast address of this node.
    bool is_local_address(const wire::Ip6Address &a) const;
    /// The preferred link-local address of an interface (unspecified if none yet).
    wire::Ip6Address link_local(IfIndex ifindex) const;

  private:
    friend class IcmpSockets;
    friend class UdpSockets;
    friend class TcpSockets;
    class NdHooks;
    enum class Verdict : std::uint8_t { kDelivered, kForwarded, kFragment, kDropped };

    Netif *get(IfIndex i) { return i < netifs_.size() ? netifs_[i].get() : nullptr; }
    Instant now() const { return clock_.now(); }
    Verdict drop(StackDrop r) {
        drops_.count(r);
        return Verdict::kDropped;
    }
    void tally(Verdict v, bool from_link);

    // Ingress (Stack.cpp)
    Verdict input_ip6(Netif &nif, ByteSpan packet, bool reassembled);
    Verdict walk_headers(Netif &nif, ByteSpan packet, const wire::Ip6View &ip, bool for_us);
    Verdict process_options(Netif &nif, ByteSpan packet, std::size_t hdr_offset,
                            std::size_t hdr_len, bool multicast_dst);
    /// `on_link`: the destination is a neighbour on `in` (the next address of a source route).
    Verdict forward(Netif &in, ByteSpan packet, const wire::Ip6View &ip, bool on_link = false);
    // RPL data plane (StackRpl.cpp)
    Verdict source_route_input(Netif &nif, ByteSpan packet, const wire::Ip6View &ip,
                               std::size_t off);
    Verdict decapsulate(Netif &nif, ByteSpan packet, std::size_t off);
    Verdict tunnel(Netif &in, ByteSpan packet, const SourceRoute &sr, std::size_t rpi_at,
                   const wire::RplHopOption &rpi);
    /// The offset of the RPL option's value in a hop-by-hop header right after the fixed
    /// header (0: none).
    static std::size_t find_rpl_option(ByteSpan packet);
    /// The extension headers of an originated packet: the caller's hop-by-hop `ext`, or an RPL
    /// option, then a source routing header on the root. `last_nh` is the offset of the Next
    /// Header byte the upper layer (or the fragment header) goes in; `ip_dst` / `route` change
    /// to the first hop for a source route.
    Status compose_ext(ByteSpan ext, const wire::Ip6Address &dst, MutableByteSpan chain,
                       std::size_t &chain_len, std::uint8_t &first, std::size_t &last_nh,
                       wire::Ip6Address &ip_dst, OutputRoute &route);
    bool accepts_destination(const Netif &nif, const wire::Ip6Address &dst, bool *tentative) const;
    // Egress
    void link_output(Netif &nif, const wire::Ip6Address &next_hop, PacketBuffer packet);
    void transmit(Netif &nif, const LinkAddress &to, PacketBuffer packet);
    Status output_fragments(PacketBuffer upper, const OutputRoute &route, Netif &nif,
                            const wire::Ip6Address &dst, std::uint8_t next_header,
                            std::uint8_t hop_limit, ByteSpan ext, std::uint8_t first,
                            std::size_t last_nh, std::size_t mtu);

    // TCP demultiplexing, and the CLOSED state for segments no connection takes (StackTcp.cpp)
    Verdict input_tcp(Netif &nif, const wire::Ip6View &ip, ByteSpan segment);

    // ICMPv6 (StackIcmp.cpp)
    Verdict input_icmp(Netif &nif, const wire::Ip6View &ip, ByteSpan packet, ByteSpan msg);
    /// Sends an ICMPv6 error about `invoking` (RFC 4443 2.4: never about an error, a multicast
    /// destination (unless `even_multicast`), or an unspecified / multicast source;
    /// rate-limited).
    void send_error(Netif &nif, ByteSpan invoking, std::uint8_t type, std::uint8_t code,
                    std::uint32_t word, bool even_multicast = false);
    void on_icmp_error(const wire::Ip6View &ip, std::uint8_t type, std::uint8_t code,
                       std::uint32_t word, ByteSpan quoted);

    // Neighbour discovery, SLAAC, DAD, RS/RA, MLD (StackNd.cpp)
    Verdict input_nd(Netif &nif, const wire::Ip6View &ip, ByteSpan msg);
    Verdict input_mld(Netif &nif, const wire::Ip6View &ip, ByteSpan msg);
    void on_ns(Netif &nif, const wire::Ip6View &ip, const wire::Ip6Address &target,
               const LinkAddress *sllao);
    void on_na(Netif &nif, const wire::Ip6View &ip, std::uint8_t flags,
               const wire::Ip6Address &target, const LinkAddress *tllao);
    void on_ra(Netif &nif, const wire::Ip6View &ip, ByteSpan msg);
    void on_rs(Netif &nif, const wire::Ip6View &ip, const LinkAddress *sllao);
    void on_redirect(Netif &nif, const wire::Ip6View &ip, const wire::Ip6Address &target,
                     const wire::Ip6Address &destination, const LinkAddress *tllao);
    void send_ns(Netif &nif, const wire::Ip6Address &target, const LinkAddress *unicast_to,
                 bool dad);
    void send_na(Netif &nif, const wire::Ip6Address &dst, const wire::Ip6Address &target,
                 bool solicited);
    void send_rs(Netif &nif);
    void send_nd(Netif &nif, PacketBuffer msg, const wire::Ip6Address &src,
                 const wire::Ip6Address &dst, const LinkAddress *direct);
    void send_ra(Netif &nif, const wire::Ip6Address &dst);
    void maybe_redirect(Netif &nif, ByteSpan packet, const wire::Ip6View &ip,
                        const wire::Ip6Address &next_hop);
    void start_dad(Netif &nif, NetifAddress &a);
    void dad_failed(Netif &nif, const wire::Ip6Address &address);
    void address_ready(Netif &nif, NetifAddress &a);
    void slaac(Netif &nif, const wire::PrefixInfo &pio);
    void add_address_entry(Netif &nif, NetifAddress a, bool skip_dad);
    void remove_address_entry(Netif &nif, const wire::Ip6Address &address);
    void join(Netif &nif, const wire::Ip6Address &group, bool report);
    void leave(Netif &nif, const wire::Ip6Address &group, bool report = true);
    void send_mld_report(Netif &nif, const std::vector<wire::Ip6Address> &groups,
                         std::uint8_t record_type);
    void poll_netif(Netif &nif, Instant t);
    Instant netif_deadline(const Netif &nif) const;
    Duration random_reachable_time(const Netif &nif);
    Duration random_delay(Duration max);
    void router_lost(Netif &nif, const wire::Ip6Address &router);

    const Clock &clock_;
    Random &random_;
    PacketPool &pool_;
    StackConfig config_;
    std::vector<std::unique_ptr<NdHooks>> hooks_;
    std::vector<std::unique_ptr<Netif>> netifs_;
    RoutingTable routes_;
    PmtuCache pmtu_;
    Reassembler reassembler_;
    TokenBucket icmp_bucket_;
    StackDropCounters drops_;
    StackStats stats_;
    std::function<void(const EchoReply &)> echo_handler_;
    std::vector<std::pair<std::uint8_t, IcmpHandler>> icmp_handlers_;
    RplDataPlane *rpl_ = nullptr;
    MplDataPlane *mpl_ = nullptr;
    std::unique_ptr<UdpSockets> udp_;
    std::unique_ptr<IcmpSockets> icmp_;
    std::unique_ptr<TcpSockets> tcp_;
    std::deque<std::pair<IfIndex, PacketBuffer>> loopback_;
    unsigned nesting_ = 0;  // reassembled / looped-back packets re-entering input
};

}  // namespace meshwork::stack
