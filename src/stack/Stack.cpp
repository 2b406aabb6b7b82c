// The node core: interfaces, the IPv6 input path (RFC 8200 4: extension headers in order,
// unknown options by their action bits, routing type 0 refused per RFC 5095, reassembly), the
// output path (route and source selection, fragmentation to the path MTU) and forwarding.
#include "Stack.h"

#include <cstring>

#include "IcmpSockets.h"
#include "TcpSockets.h"
#include "UdpSockets.h"
#include "wire/Icmp6.h"
#include "wire/Ip6Ext.h"
#include "wire/OptionIterator.h"
#include "wire/Udp.h"

namespace meshwork::stack {

namespace {
constexpr std::size_t kEthernetHeader = 14;
constexpr std::uint16_t kEtherTypeIpv6 = 0x86dd;
// A caller's hop-by-hop header (MLD's is 8 bytes), an RPL option and a source routing header.
constexpr std::size_t kMaxExtChain = 64 + 8 + 8 + 16 * wire::RplSourceRouteHeader::kMaxAddresses;
}  // namespace

const char *drop_reason_name(StackDrop r) {
    switch (r) {
        case StackDrop::kFrameInvalid:
            return "frame-invalid";
        case StackDrop::kIp6Invalid:
            return "ip6-invalid";
        case StackDrop::kNotForUs:
            return "not-for-us";
        case StackDrop::kInterfaceDown:
            return "interface-down";
        case StackDrop::kExtHeaderInvalid:
            return "ext-header-invalid";
        case StackDrop::kUnknownOption:
            return "unknown-option";
        case StackDrop::kRoutingHeader:
            return "routing-header";
        case StackDrop::kUnknownNextHeader:
            return "unknown-next-header";
        case StackDrop::kFragmentInvalid:
            return "fragment-invalid";
        case StackDrop::kFragmentOverlap:
            return "fragment-overlap";
        case StackDrop::kReassemblyLimit:
            return "reassembly-limit";
        case StackDrop::kReassemblyTimeout:
            return "reassembly-timeout";
        case StackDrop::kChecksum:
            return "checksum";
        case StackDrop::kIcmpInvalid:
            return "icmp-invalid";
        case StackDrop::kNdInvalid:
            return "nd-invalid";
        case StackDrop::kNdQueueFull:
            return "nd-queue-full";
        case StackDrop::kAddressUnreachable:
            return "address-unreachable";
        case StackDrop::kHopLimit:
            return "hop-limit";
        case StackDrop::kNoRoute:
            return "no-route";
        case StackDrop::kBeyondScope:
            return "beyond-scope";
        case StackDrop::kPacketTooBig:
            return "packet-too-big";
        case StackDrop::kPortUnreachable:
            return "port-unreachable";
        case StackDrop::kNoListener:
            return "no-listener";
        case StackDrop::kSocketQueueFull:
            return "socket-queue-full";
        case StackDrop::kNoMemory:
            return "no-memory";
        case StackDrop::kLinkError:
            return "link-error";
        case StackDrop::kIcmpRateLimited:
            return "icmp-rate-limited";
        case StackDrop::kUnsupported:
            return "unsupported";
        case StackDrop::kTcpInvalid:
            return "tcp-invalid";
        case StackDrop::kTcpOutOfWindow:
            return "tcp-out-of-window";
        case StackDrop::kTcpBacklogFull:
            return "tcp-backlog-full";
        case StackDrop::kTcpNoMemory:
            return "tcp-no-memory";
        case StackDrop::kRplLoop:
            return "rpl-loop";
        case StackDrop::kTcpPaws:
            return "tcp-paws";
        case StackDrop::kTcpNoTimestamp:
            return "tcp-no-timestamp";
        case StackDrop::kMplDuplicate:
            return "mpl-duplicate";
        case StackDrop::kCount:
            break;
    }
    return "?";
}

const char *address_state_name(AddressState s) {
    switch (s) {
        case AddressState::kTentative:
            return "tentative";
        case AddressState::kPreferred:
            return "preferred";
        case AddressState::kDeprecated:
            return "deprecated";
        case AddressState::kDuplicate:
            return "duplicate";
    }
    return "?";
}

// The neighbour cache's actions on its interface.
class Stack::NdHooks final : public NeighborCache::Hooks {
  public:
    NdHooks(Stack &s, IfIndex i) : s_(s), i_(i) {}
    void send_solicitation(const wire::Ip6Address &target, const LinkAddress *to) override {
        s_.send_ns(*s_.netifs_[i_], target, to, false);
    }
    void transmit(const LinkAddress &to, PacketBuffer packet) override {
        s_.transmit(*s_.netifs_[i_], to, std::move(packet));
    }
    void unreachable(const wire::Ip6Address &, PacketBuffer packet) override {
        s_.drops_.count(StackDrop::kAddressUnreachable);
        // RFC 4861 7.2.2: ICMPv6 Destination Unreachable, code 3, to the packet's source.
        s_.send_error(*s_.netifs_[i_], packet.data(), wire::Icmp6Type::kDestinationUnreachable,
                      wire::Icmp6Unreachable::kAddressUnreachable, 0);
    }
    void dropped(StackDrop reason) override { s_.drops_.count(reason); }
    void router_lost(const wire::Ip6Address &router) override {
        s_.router_lost(*s_.netifs_[i_], router);
    }

  private:
    Stack &s_;
    IfIndex i_;
};

Stack::Stack(const Clock &clock, Random &random, PacketPool &pool, StackConfig config)
    : clock_(clock),
      random_(random),
      pool_(pool),
      config_(config),
      pmtu_(config.pmtu_entries),
      reassembler_(pool, config.reassembly, config.link_headroom),
      icmp_bucket_(config.icmp_error_burst, config.icmp_error_interval),
      udp_(std::make_unique<UdpSockets>(*this)),
      icmp_(std::make_unique<IcmpSockets>(*this)),
      tcp_(std::make_unique<TcpSockets>(*this)) {}

Stack::~Stack() = default;

Result<IfIndex> Stack::add_interface(NetifConfig config, LinkOutput &output) {
    if (netifs_.size() >= kAnyInterface)
        return Error::kNoSpace;
    const bool mac_ok = config.link == LinkKind::kEthernet
                            ? config.mac.size == 6
                            : config.mac.size == 8 || config.mac.size == 2;
    if (!mac_ok || config.mtu < wire::kIp6MinMtu)
        return Error::kInvalidArgument;
    const auto index = static_cast<IfIndex>(netifs_.size());
    hooks_.push_back(std::make_unique<NdHooks>(*this, index));
    netifs_.push_back(std::make_unique<Netif>(index, std::move(config), output, *hooks_.back(),
                                              NeighborParams{}));
    Netif &nif = *netifs_.back();
    nif.neighbors.params().reachable_time = random_reachable_time(nif);
    return index;
}

Status Stack::set_up(IfIndex ifindex) {
    Netif *nif = get(ifindex);
    if (!nif)
        return Error::kNotFound;
    if (nif->up)
        return Status();
    nif->up = true;
    join(*nif, wire::Ip6Address::all_nodes_link_local(), false);
    if (config_.forwarding)
        join(*nif, wire::Ip6Address::all_routers_link_local(), true);
    // Link-local address from the MAC: EUI-48 -> EUI-64 (RFC 2464 4), modified (RFC 4291 A);
    // an EUI-64 directly, or an 802.15.4 short address (RFC 4944 6).
    const std::uint8_t *m = nif->config.mac.bytes;
    NetifAddress ll;
    if (nif->config.mac.size == 8) {
        ll.address = wire::Ip6Address::link_local(wire::Ip6Iid::from_eui64(m));
    } else if (nif->config.mac.size == 2) {
        ll.address = wire::Ip6Address::link_local(
            wire::Ip6Iid::from_short_address(static_cast<std::uint16_t>(m[0] << 8 | m[1])));
    } else {
        const std::uint8_t eui64[8] = {m[0], m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]};
        ll.address = wire::Ip6Address::link_local(wire::Ip6Iid::from_eui64(eui64));
    }
    ll.prefix_length = 64;
    add_address_entry(*nif, ll, false);
    if (config_.forwarding && nif->config.advertise) {
        // The prefixes a router advertises as on-link are on this link for the router too.
        for (const auto &p : nif->config.prefixes) {
            if (!p.on_link)
                continue;
            Route r;
            r.prefix = p.prefix;
            r.prefix_length = p.prefix_length;
            r.ifindex = ifindex;
            r.origin = RouteOrigin::kConnected;
            routes_.add(r);
        }
        // 6.2.4: the first advertisements come quickly (MAX_INITIAL_RTR_ADVERT_INTERVAL).
        nif->ra_at = saturating_add(now(), random_delay(std::chrono::seconds(1)));
    }
    return Status();
}

Status Stack::add_address(IfIndex ifindex, const wire::Ip6Address &address,
                          std::uint8_t prefix_length, bool skip_dad) {
    Netif *nif = get(ifindex);
    if (!nif)
        return Error::kNotFound;
    if (!address.is_unicast() || prefix_length > 128)
        return Error::kInvalidArgument;
    if (nif->find_address(address))
        return Error::kBadState;
    NetifAddress a;
    a.address = address;
    a.prefix_length = prefix_length;
    add_address_entry(*nif, a, skip_dad);
    if (!address.is_link_local() && prefix_length < 128) {
        Route r;
        r.prefix = address;
        r.prefix_length = prefix_length;
        r.ifindex = ifindex;
        r.origin = RouteOrigin::kConnected;
        routes_.add(r);
    }
    return Status();
}

Status Stack::remove_address(IfIndex ifindex, const wire::Ip6Address &address) {
    Netif *nif = get(ifindex);
    if (!nif || !nif->find_address(address))
        return Error::kNotFound;
    remove_address_entry(*nif, address);
    return Status();
}

Status Stack::join_group(IfIndex ifindex, const wire::Ip6Address &group, bool report) {
    Netif *nif = get(ifindex);
    if (!nif)
        return Error::kNotFound;
    if (!group.is_multicast())
        return Error::kInvalidArgument;
    join(*nif, group, report);
    return Status();
}

Status Stack::leave_group(IfIndex ifindex, const wire::Ip6Address &group, bool report) {
    Netif *nif = get(ifindex);
    if (!nif)
        return Error::kNotFound;
    if (!nif->listening(group))
        return Error::kNotFound;
    leave(*nif, group, report);
    return Status();
}

bool Stack::is_local_address(const wire::Ip6Address &a) const {
    for (const auto &nif : netifs_) {
        const NetifAddress *x = nif->find_address(a);
        if (x && x->usable())
            return true;
    }
    return false;
}

wire::Ip6Address Stack::link_local(IfIndex ifindex) const {
    if (ifindex >= netifs_.size())
        return {};
    for (const auto &a : netifs_[ifindex]->addresses)
        if (a.address.is_link_local() && a.usable())
            return a.address;
    return {};
}

Result<PacketBuffer> Stack::allocate(std::size_t size) {
    auto b = pool_.allocate(upper_headroom(), size);
    if (!b) {
        drops_.count(StackDrop::kNoMemory);
        return b;
    }
    (void)b->append(size);
    return b;
}

// ---- Ingress ---------------------------------------------------------------------------------

void Stack::tally(Verdict v, bool from_link) {
    if (!from_link)
        return;
    switch (v) {
        case Verdict::kDelivered:
            ++stats_.rx_delivered;
            break;
        case Verdict::kForwarded:
            ++stats_.rx_forwarded;
            break;
        case Verdict::kFragment:
            ++stats_.rx_fragments;
            break;
        case Verdict::kDropped:
            ++stats_.rx_dropped;
            break;
    }
}

void Stack::receive_packet(IfIndex ifindex, ByteSpan packet) {
    ++stats_.rx_frames;
    Netif *nif = get(ifindex);
    if (!nif || !nif->up || nif->disabled) {
        tally(drop(StackDrop::kInterfaceDown), true);
        return;
    }
    if (nif->config.link != LinkKind::kIp6) {
        tally(drop(StackDrop::kFrameInvalid), true);
        return;
    }
    tally(input_ip6(*nif, packet, false), true);
}

void Stack::receive_frame(IfIndex ifindex, ByteSpan frame) {
    ++stats_.rx_frames;
    Netif *nif = get(ifindex);
    if (!nif || !nif->up || nif->disabled) {
        tally(drop(StackDrop::kInterfaceDown), true);
        return;
    }
    if (nif->config.link != LinkKind::kEthernet) {
        tally(drop(StackDrop::kFrameInvalid), true);
        return;
    }
    if (frame.size < kEthernetHeader || (frame[12] << 8 | frame[13]) != kEtherTypeIpv6) {
        tally(drop(StackDrop::kFrameInvalid), true);
        return;
    }
    // Our MAC, or an IPv6 multicast MAC (33:33:...: RFC 2464 7); the group is checked later.
    const bool multicast_mac = frame[0] == 0x33 && frame[1] == 0x33;
    if (!multicast_mac && !ByteSpan(frame.data, 6).equals(nif->config.mac.span())) {
        tally(drop(StackDrop::kFrameInvalid), true);
        return;
    }
    tally(input_ip6(*nif, frame.subspan(kEthernetHeader), false), true);
}

bool Stack::accepts_destination(const Netif &nif, const wire::Ip6Address &dst,
                                bool *tentative) const {
    *tentative = false;
    if (dst.is_multicast())
        return nif.listening(dst);
    if (const NetifAddress *a = nif.find_address(dst)) {
        if (a->state == AddressState::kDuplicate)
            return false;
        *tentative = a->state == AddressState::kTentative;
        return true;
    }
    // Weak host model (RFC 1122 3.3.4.2): an address of another interface is ours too, but
    // a link-local one only on its own link.
    return !dst.is_link_local() && is_local_address(dst);
}

Stack::Verdict Stack::input_ip6(Netif &nif, ByteSpan packet, bool internal) {
    auto ip = wire::Ip6View::parse(packet);
    if (!ip)
        return drop(StackDrop::kIp6Invalid);
    const wire::Ip6Address src = ip->src(), dst = ip->dst();
    // RFC 4291 2.5.3 / 2.7: a multicast or loopback source, or a loopback destination, never
    // arrives from a link.
    if (src.is_multicast() || (!internal && (src.is_loopback() || dst.is_loopback())) ||
        dst.is_unspecified())
        return drop(StackDrop::kIp6Invalid);
    packet = ip->packet();
    bool tentative = false;
    if (mpl_ && dst.is_multicast() && dst.multicast_scope() >= 3 && find_mpl_option(packet) != 0) {
        // RFC 7731 9.3: MPL decides first (a router buffers a new message to forward it, even
        // for a group it does not listen to); only a new message reaches the listeners.
        if (mpl_->receive(packet) != MplDataPlane::Verdict::kNew)
            return drop(StackDrop::kMplDuplicate);
        if (!nif.listening(dst))
            return config_.forwarding ? Verdict::kForwarded : drop(StackDrop::kNotForUs);
    }
    if (!accepts_destination(nif, dst, &tentative)) {
        if (dst.is_multicast())
            return drop(StackDrop::kNotForUs);
        if (config_.forwarding && !internal)
            return forward(nif, packet, *ip);
        return drop(StackDrop::kNotForUs);
    }
    return walk_headers(nif, packet, *ip, tentative);
}

Stack::Verdict Stack::process_options(Netif &nif, ByteSpan packet, std::size_t off, std::size_t len,
                                      bool multicast_dst) {
    wire::OptionIterator it(packet.subspan(off + 2, len - 2), wire::kIp6OptionFormat);
    wire::Option o;
    for (;;) {
        const std::size_t at = off + 2 + it.offset();
        if (!it.next(o))
            break;
        switch (o.type) {
            case wire::Ip6OptionType::kPad1:
            case wire::Ip6OptionType::kPadN:
            case wire::Ip6OptionType::kRouterAlert:
                continue;
            case wire::Ip6OptionType::kRpl:
            case wire::Ip6OptionType::kRplRfc9008:
                // RFC 6553 3: checked by routers on forwarding (forward()); at the destination
                // it has done its work.
                if (config_.rpl_data_plane)
                    continue;
                break;
            case wire::Ip6OptionType::kMpl:
                if (mpl_)
                    continue;  // input_ip6() gave the message to MPL
                break;
            default:
                break;
        }
        switch (wire::ip6_option_action(o.type)) {
            case wire::Ip6OptionAction::kSkip:
                continue;
            case wire::Ip6OptionAction::kDiscard:
                return drop(StackDrop::kUnknownOption);
            case wire::Ip6OptionAction::kDiscardIcmp:
                send_error(nif, packet, wire::Icmp6Type::kParameterProblem,
                           wire::Icmp6ParamProblem::kUnrecognizedOption,
                           static_cast<std::uint32_t>(at), true);
                return drop(StackDrop::kUnknownOption);
            case wire::Ip6OptionAction::kDiscardIcmpUnicast:
                if (!multicast_dst)
                    send_error(nif, packet, wire::Icmp6Type::kParameterProblem,
                               wire::Icmp6ParamProblem::kUnrecognizedOption,
                               static_cast<std::uint32_t>(at));
                return drop(StackDrop::kUnknownOption);
        }
    }
    if (it.error() != Error::kOk)
        return drop(StackDrop::kExtHeaderInvalid);
    return Verdict::kDelivered;
}

Stack::Verdict Stack::walk_headers(Netif &nif, ByteSpan packet, const wire::Ip6View &ip,
                                   bool tentative) {
    std::uint8_t nh = ip.next_header();
    std::size_t off = wire::kIp6HeaderSize;
    std::size_t prev_nh = 6;  // the fixed header's Next Header byte
    const bool multicast = ip.dst().is_multicast();
    bool first = true;
    auto param_problem = [&](std::uint8_t code, std::size_t pointer) {
        send_error(nif, packet, wire::Icmp6Type::kParameterProblem, code,
                   static_cast<std::uint32_t>(pointer));
    };
    for (;; first = false) {
        if (tentative && nh != wire::IpProto::kIcmp6 && nh != wire::IpProto::kHopByHop)
            return drop(StackDrop::kNotForUs);  // RFC 4862 5.4: only ND for a tentative address
        switch (nh) {
            case wire::IpProto::kHopByHop:
            case wire::IpProto::kDestOpts: {
                if (nh == wire::IpProto::kHopByHop && !first) {
                    // RFC 8200 4.1: hop-by-hop only right after the fixed header.
                    param_problem(wire::Icmp6ParamProblem::kUnrecognizedNextHeader, prev_nh);
                    return drop(StackDrop::kExtHeaderInvalid);
                }
                auto len = wire::ip6_ext_header_length(nh, packet.subspan(off));
                if (!len)
                    return drop(StackDrop::kExtHeaderInvalid);
                Verdict v = process_options(nif, packet, off, *len, multicast);
                if (v == Verdict::kDropped)
                    return v;
                prev_nh = off;
                nh = packet[off];
                off += *len;
                continue;
            }
            case wire::IpProto::kRouting: {
                auto rh = wire::Ip6RoutingHeaderView::parse(packet.subspan(off));
                if (!rh)
                    return drop(StackDrop::kExtHeaderInvalid);
                if (rh->segments_left != 0 && config_.rpl_data_plane &&
                    rh->routing_type == wire::kRoutingTypeRplSourceRoute && !multicast &&
                    !tentative)
                    return source_route_input(nif, packet, ip, off);
                if (rh->segments_left != 0) {
                    // RFC 5095 3 (type 0) and RFC 8200 4.4 (any type we do not implement).
                    param_problem(wire::Icmp6ParamProblem::kErroneousHeaderField, off + 2);
                    return drop(StackDrop::kRoutingHeader);
                }
                prev_nh = off;
                nh = rh->next_header;
                off += rh->bytes.size;
                continue;
            }
            case wire::IpProto::kFragment: {
                auto fh = wire::Ip6FragmentHeader::parse(packet.subspan(off));
                if (!fh)
                    return drop(StackDrop::kExtHeaderInvalid);
                if (fh->offset_units == 0 && !fh->more) {
                    // An atomic fragment (RFC 6946): processed at once, outside reassembly.
                    prev_nh = off;
                    nh = fh->next_header;
                    off += wire::kIp6FragmentHeaderSize;
                    continue;
                }
                if (nesting_ != 0)
                    return drop(StackDrop::kFragmentInvalid);  // a fragment inside a fragment
                const std::size_t data = packet.size - off - wire::kIp6FragmentHeaderSize;
                if (fh->more && (data % 8 != 0 || data == 0)) {
                    param_problem(wire::Icmp6ParamProblem::kErroneousHeaderField, 4);
                    return drop(StackDrop::kFragmentInvalid);
                }
                if (fh->byte_offset() + data > 0xffff) {
                    param_problem(wire::Icmp6ParamProblem::kErroneousHeaderField, off + 2);
                    return drop(StackDrop::kFragmentInvalid);
                }
                FragmentIn in{packet, off, prev_nh, *fh};
                PacketBuffer whole;
                StackDrop reason = StackDrop::kFragmentInvalid;
                switch (reassembler_.add(in, ip.src(), ip.dst(), now(), whole, reason)) {
                    case Reassembler::Outcome::kPending:
                        return Verdict::kFragment;
                    case Reassembler::Outcome::kDropped:
                        return drop(reason);
                    case Reassembler::Outcome::kComplete:
                        break;
                }
                ++stats_.reassembled;
                ++nesting_;
                (void)input_ip6(nif, whole.data(), true);
                --nesting_;
                return Verdict::kFragment;
            }
            case wire::IpProto::kIcmp6:
                return input_icmp(nif, ip, packet, packet.subspan(off));
            case wire::IpProto::kUdp: {
                if (tentative)
                    return drop(StackDrop::kNotForUs);
                ByteSpan seg = packet.subspan(off);
                wire::PseudoHeader ph{ip.src(), ip.dst()};
                auto udp = wire::UdpView::parse(seg, &ph);
                if (!udp)
                    return drop(udp.error() == Error::kChecksum ? StackDrop::kChecksum
                                                                : StackDrop::kIp6Invalid);
                if (udp->length() != seg.size)
                    return drop(StackDrop::kIp6Invalid);  // RFC 768: length must match the payload
                if (udp_->deliver(nif.index, ip.src(), ip.dst(), udp->src_port(), udp->dst_port(),
                                  udp->payload()))
                    return Verdict::kDelivered;
                if (!multicast)
                    send_error(nif, packet, wire::Icmp6Type::kDestinationUnreachable,
                               wire::Icmp6Unreachable::kPortUnreachable, 0);
                return drop(StackDrop::kPortUnreachable);
            }
            case wire::IpProto::kNoNext:
                return Verdict::kDelivered;
            case wire::IpProto::kIpv6:
                if (config_.ip6_in_ip6 && !tentative)
                    return decapsulate(nif, packet, off);
                param_problem(wire::Icmp6ParamProblem::kUnrecognizedNextHeader, prev_nh);
                return drop(StackDrop::kUnknownNextHeader);
            case wire::IpProto::kTcp:
                if (tentative)
                    return drop(StackDrop::kNotForUs);
                return input_tcp(nif, ip, packet.subspan(off));
            default:
                param_problem(wire::Icmp6ParamProblem::kUnrecognizedNextHeader, prev_nh);
                return drop(StackDrop::kUnknownNextHeader);
        }
    }
}

// ---- Forwarding ------------------------------------------------------------------------------

Stack::Verdict Stack::forward(Netif &in, ByteSpan packet, const wire::Ip6View &ip, bool on_link) {
    const wire::Ip6Address src = ip.src(), dst = ip.dst();
    if (dst.is_link_local())
        return drop(StackDrop::kNotForUs);
    if (src.is_unspecified())
        return drop(StackDrop::kIp6Invalid);  // RFC 4291 2.5.2: never forwarded
    if (ip.hop_limit() <= 1) {
        send_error(in, packet, wire::Icmp6Type::kTimeExceeded, 0, 0);
        return drop(StackDrop::kHopLimit);
    }
    // RFC 6553 / RFC 6550 11.2: the RPL option's rank check, and the root's tunnel down a
    // source route (RFC 9008 7).
    std::size_t rpi_at = 0;
    wire::RplHopOption rpi;
    if (rpl_ && config_.rpl_data_plane) {
        rpi_at = find_rpl_option(packet);
        if (rpi_at != 0) {
            rpi.flags = packet[rpi_at];
            rpi.instance_id = packet[rpi_at + 1];
            rpi.sender_rank =
                static_cast<std::uint16_t>(packet[rpi_at + 2] << 8 | packet[rpi_at + 3]);
            const bool had_error = rpi.rank_error();
            if (!rpl_->forward_rpl_option(rpi))
                return drop(StackDrop::kRplLoop);
            if (rpi.rank_error() && !had_error)
                ++stats_.rpl_rank_errors;
        }
        SourceRoute sr;
        if (!on_link && rpl_->source_route(dst, sr) && sr.count >= 2)
            return tunnel(in, packet, sr, rpi_at, rpi);
    }
    auto usable = [this](const Route &r) {
        if (r.on_link())
            return true;
        const Netif *n = r.ifindex < netifs_.size() ? netifs_[r.ifindex].get() : nullptr;
        const auto *e = n ? n->neighbors.find(r.next_hop) : nullptr;
        return e && e->state != NeighborState::kIncomplete;
    };
    const Route *r = on_link ? nullptr : routes_.lookup(dst, usable);
    Netif *out = on_link ? &in : r ? get(r->ifindex) : nullptr;
    if (!out || !out->up || out->disabled) {
        send_error(in, packet, wire::Icmp6Type::kDestinationUnreachable,
                   wire::Icmp6Unreachable::kNoRoute, 0);
        return drop(StackDrop::kNoRoute);
    }
    if (src.is_link_local() && out != &in) {
        send_error(in, packet, wire::Icmp6Type::kDestinationUnreachable,
                   wire::Icmp6Unreachable::kBeyondScope, 0);
        return drop(StackDrop::kBeyondScope);
    }
    if (packet.size > out->mtu) {
        send_error(in, packet, wire::Icmp6Type::kPacketTooBig, 0,
                   static_cast<std::uint32_t>(out->mtu), true);
        return drop(StackDrop::kPacketTooBig);
    }
    const wire::Ip6Address next_hop = on_link || r->on_link() ? dst : r->next_hop;
    auto buf = pool_.allocate(config_.link_headroom, packet.size);
    if (!buf)
        return drop(StackDrop::kNoMemory);
    auto area = buf->append(packet.size);
    std::memcpy(area->data, packet.data, packet.size);
    area->data[7] = static_cast<std::uint8_t>(ip.hop_limit() - 1);
    if (rpi_at != 0) {
        area->data[rpi_at] = rpi.flags;
        area->data[rpi_at + 2] = static_cast<std::uint8_t>(rpi.sender_rank >> 8);
        area->data[rpi_at + 3] = static_cast<std::uint8_t>(rpi.sender_rank & 0xff);
    }
    if (out == &in && config_.send_redirects && !on_link)
        maybe_redirect(in, packet, ip, next_hop);
    link_output(*out, next_hop, std::move(*buf));
    return Verdict::kForwarded;
}

// ---- Egress ----------------------------------------------------------------------------------

void Stack::transmit(Netif &nif, const LinkAddress &to, PacketBuffer packet) {
    if (nif.config.link == LinkKind::kIp6) {
        // Only a NUD probe gets here on such a link: its next hop is its destination.
        auto ip = wire::Ip6View::parse(packet.data());
        if (!ip) {
            drops_.count(StackDrop::kLinkError);
            return;
        }
        const wire::Ip6Address dst = ip->dst();
        ++stats_.tx_frames;
        if (!nif.output.send_packet(std::move(packet), dst))
            drops_.count(StackDrop::kLinkError);
        return;
    }
    if (packet.headroom() < kEthernetHeader) {
        auto copy = pool_.allocate(
            config_.link_headroom < kEthernetHeader ? kEthernetHeader : config_.link_headroom,
            packet.size());
        if (!copy) {
            drops_.count(StackDrop::kNoMemory);
            return;
        }
        (void)copy->append(packet.data());
        packet = std::move(*copy);
    }
    auto h = packet.prepend(kEthernetHeader);
    std::memcpy(h->data, to.bytes, 6);
    std::memcpy(h->data + 6, nif.config.mac.bytes, 6);
    h->data[12] = static_cast<std::uint8_t>(kEtherTypeIpv6 >> 8);
    h->data[13] = static_cast<std::uint8_t>(kEtherTypeIpv6 & 0xff);
    ++stats_.tx_frames;
    if (!nif.output.send_frame(std::move(packet)))
        drops_.count(StackDrop::kLinkError);
}

void Stack::link_output(Netif &nif, const wire::Ip6Address &next_hop, PacketBuffer packet) {
    if (nif.config.link == LinkKind::kIp6) {
        ++stats_.tx_frames;
        if (!nif.output.send_packet(std::move(packet), next_hop))
            drops_.count(StackDrop::kLinkError);
        return;
    }
    if (next_hop.is_multicast()) {
        // RFC 2464 7: 33:33 and the last 32 bits of the group.
        LinkAddress to = LinkAddress::ethernet(0x33, 0x33, next_hop.bytes[12], next_hop.bytes[13],
                                               next_hop.bytes[14], next_hop.bytes[15]);
        transmit(nif, to, std::move(packet));
        return;
    }
    nif.neighbors.output(next_hop, std::move(packet), now());
}

namespace {
// RFC 6724 5, in the parts that matter here: same address, appropriate scope, preferred over
// deprecated, longest matching prefix.
int source_score(const NetifAddress &a, const wire::Ip6Address &dst) {
    int score = 0;
    if (a.address == dst)
        score += 1 << 20;
    const bool dst_link = dst.is_link_scope() || (dst.is_multicast() && dst.multicast_scope() <= 2);
    if (a.address.is_link_local() == dst_link)
        score += 1 << 16;
    if (a.state == AddressState::kPreferred)
        score += 1 << 12;
    score += static_cast<int>(a.address.common_prefix_length(dst));
    return score;
}
}  // namespace

Result<OutputRoute> Stack::route_output(const wire::Ip6Address &dst, IfIndex ifindex,
                                        const wire::Ip6Address *src) const {
    if (dst.is_unspecified())
        return Error::kInvalidArgument;
    OutputRoute out;
    const bool link_scope =
        dst.is_link_local() || (dst.is_multicast() && dst.multicast_scope() <= 2);
    if (is_local_address(dst)) {
        for (const auto &n : netifs_)
            if (n->find_address(dst))
                out.ifindex = n->index;
        out.next_hop = dst;
        out.src = src ? *src : dst;
        return out;
    }
    if (link_scope || dst.is_multicast()) {
        IfIndex i = ifindex;
        if (i == kAnyInterface) {
            i = kAnyInterface;
            for (const auto &n : netifs_)
                if (n->up && !n->disabled) {
                    i = n->index;
                    break;
                }
        }
        if (i >= netifs_.size() || !netifs_[i]->up || netifs_[i]->disabled)
            return Error::kNotFound;
        out.ifindex = i;
        out.next_hop = dst;
    } else {
        auto usable = [this, ifindex](const Route &r) {
            if (ifindex != kAnyInterface && r.ifindex != ifindex)
                return false;
            if (r.on_link())
                return true;
            const auto *e = r.ifindex < netifs_.size()
                                ? netifs_[r.ifindex]->neighbors.find(r.next_hop)
                                : nullptr;
            return e && e->state != NeighborState::kIncomplete;
        };
        const Route *r = routes_.lookup(dst, usable);
        if (!r || (ifindex != kAnyInterface && r->ifindex != ifindex))
            return Error::kNotFound;
        if (r->ifindex >= netifs_.size() || !netifs_[r->ifindex]->up)
            return Error::kNotFound;
        out.ifindex = r->ifindex;
        out.next_hop = r->on_link() ? dst : r->next_hop;
    }
    if (src) {
        if (!src->is_unspecified() && !is_local_address(*src))
            return Error::kInvalidArgument;
        out.src = *src;
        return out;
    }
    const NetifAddress *best = nullptr;
    int best_score = -1;
    for (const auto &a : netifs_[out.ifindex]->addresses) {
        if (!a.usable())
            continue;
        const int s = source_score(a, dst);
        if (s > best_score) {
            best = &a;
            best_score = s;
        }
    }
    if ((!best || best->address.is_link_local()) && !link_scope) {
        // Another interface's global address (weak host) beats a link-local one off-link.
        for (const auto &n : netifs_)
            for (const auto &a : n->addresses)
                if (a.usable() && !a.address.is_link_local()) {
                    const int s = source_score(a, dst);
                    if (!best || best->address.is_link_local() || s > best_score) {
                        best = &a;
                        best_score = s;
                    }
                }
    }
    if (!best || (best->address.is_link_local() && !link_scope))
        return Error::kNotFound;
    out.src = best->address;
    return out;
}

Status Stack::output(PacketBuffer upper, const OutputRoute &route, const wire::Ip6Address &dst,
                     std::uint8_t next_header, std::uint8_t hop_limit, ByteSpan ext) {
    Netif *nif = get(route.ifindex);
    if (!nif)
        return Error::kNotFound;
    const bool local = !dst.is_multicast() && is_local_address(dst);
    // The extension headers: `ext` (a hop-by-hop header), the RPL option, a source route.
    std::uint8_t chain[kMaxExtChain];
    std::size_t chain_len = 0, last_nh = 0;
    std::uint8_t first = next_header;
    wire::Ip6Address ip_dst = dst;
    OutputRoute r = route;
    // RFC 7731 9.1: a datagram to a group of scope >= 3 carries the MPL option directly.
    std::uint8_t mpl_hbh[24];
    const bool mpl = mpl_ && ext.empty() && dst.is_multicast() && dst.multicast_scope() >= 3;
    if (mpl) {
        if (wire::kIp6HeaderSize + 8 + upper.size() > nif->mtu)
            return Error::kInvalidArgument;  // one MPL message is one unfragmented packet
        const std::size_t n =
            mpl_->originate_option(route.src, dst, MutableByteSpan(mpl_hbh, sizeof mpl_hbh));
        ext = ByteSpan(mpl_hbh, n);
    }
    if (local) {
        if (ext.size > sizeof chain)
            return Error::kInvalidArgument;
        if (!ext.empty())
            std::memcpy(chain, ext.data, ext.size);
        chain_len = ext.size;
        first = ext.empty() ? next_header : wire::IpProto::kHopByHop;
    } else if (Status s = compose_ext(ext, dst, MutableByteSpan(chain, sizeof chain), chain_len,
                                      first, last_nh, ip_dst, r);
               !s) {
        return s;
    }
    ext = ByteSpan(chain, chain_len);
    const std::size_t payload = ext.size + upper.size();
    if (payload > 0xffff)
        return Error::kInvalidArgument;
    if (hop_limit == 0)
        hop_limit = nif->cur_hop_limit;
    const std::size_t mtu = dst.is_multicast() ? nif->mtu : pmtu_.mtu(dst, nif->mtu);
    if (!local && wire::kIp6HeaderSize + payload > mtu)
        return output_fragments(std::move(upper), r, *nif, ip_dst, next_header, hop_limit, ext,
                                first, last_nh, mtu);
    if (upper.headroom() < ext.size + wire::kIp6HeaderSize) {
        // A source route longer than the headroom upper layers reserve: a bigger buffer.
        auto copy =
            pool_.allocate(config_.link_headroom + wire::kIp6HeaderSize + ext.size, upper.size());
        if (!copy) {
            drops_.count(StackDrop::kNoMemory);
            return Error::kNoMemory;
        }
        (void)copy->append(upper.data());
        upper = std::move(*copy);
    }
    if (!ext.empty()) {
        auto e = upper.prepend(ext.size);
        if (!e)
            return e.error();
        std::memcpy(e->data, ext.data, ext.size);
        e->data[last_nh] = next_header;  // the last extension header announces the upper layer
    }
    wire::Ip6Header h;
    h.payload_length = static_cast<std::uint16_t>(payload);
    h.next_header = first;
    h.hop_limit = hop_limit;
    h.traffic_class = route.traffic_class;
    h.src = route.src;
    h.dst = ip_dst;
    auto hdr = upper.prepend(wire::kIp6HeaderSize);
    if (!hdr)
        return hdr.error();
    if (Status s = h.emit(*hdr); !s)
        return s;
    if (local) {
        loopback_.emplace_back(route.ifindex, std::move(upper));
        return Status();
    }
    if (mpl && !ext.empty())
        mpl_->originated(upper.data());
    link_output(*nif, r.next_hop, std::move(upper));
    return Status();
}

Status Stack::transmit_packet(IfIndex ifindex, ByteSpan packet) {
    Netif *nif = get(ifindex);
    if (!nif || !nif->up || nif->disabled)
        return Error::kNotFound;
    auto ip = wire::Ip6View::parse(packet);
    if (!ip)
        return Error::kInvalidArgument;
    auto buf = pool_.allocate(config_.link_headroom, packet.size);
    if (!buf) {
        drops_.count(StackDrop::kNoMemory);
        return Error::kNoMemory;
    }
    (void)buf->append(packet);
    link_output(*nif, ip->dst(), std::move(*buf));
    return Status();
}

Status Stack::output_fragments(PacketBuffer upper, const OutputRoute &route, Netif &nif,
                               const wire::Ip6Address &dst, std::uint8_t next_header,
                               std::uint8_t hop_limit, ByteSpan ext, std::uint8_t first,
                               std::size_t last_nh, std::size_t mtu) {
    const std::size_t unfrag = wire::kIp6HeaderSize + ext.size;
    if (mtu < unfrag + wire::kIp6FragmentHeaderSize + 8)
        return Error::kInvalidArgument;
    const std::size_t chunk = (mtu - unfrag - wire::kIp6FragmentHeaderSize) / 8 * 8;
    const std::uint32_t id = random_.next_u32();  // RFC 7739: unpredictable identifications
    ByteSpan data = upper.data();
    for (std::size_t off = 0; off < data.size; off += chunk) {
        const std::size_t len = data.size - off < chunk ? data.size - off : chunk;
        const std::size_t size = unfrag + wire::kIp6FragmentHeaderSize + len;
        auto b = pool_.allocate(config_.link_headroom, size);
        if (!b) {
            drops_.count(StackDrop::kNoMemory);
            return Error::kNoMemory;
        }
        auto area = b->append(size);
        wire::Ip6Header h;
        h.payload_length = static_cast<std::uint16_t>(size - wire::kIp6HeaderSize);
        h.next_header = ext.empty() ? wire::IpProto::kFragment : first;
        h.hop_limit = hop_limit;
        h.traffic_class = route.traffic_class;
        h.src = route.src;
        h.dst = dst;
        (void)h.emit(*area);
        if (!ext.empty()) {
            std::memcpy(area->data + wire::kIp6HeaderSize, ext.data, ext.size);
            area->data[wire::kIp6HeaderSize + last_nh] = wire::IpProto::kFragment;
        }
        wire::Ip6FragmentHeader fh;
        fh.next_header = next_header;
        fh.offset_units = static_cast<std::uint16_t>(off / 8);
        fh.more = off + len < data.size;
        fh.identification = id;
        (void)fh.emit(area->subspan(unfrag));
        std::memcpy(area->data + unfrag + wire::kIp6FragmentHeaderSize, data.data + off, len);
        ++stats_.tx_fragments;
        link_output(nif, route.next_hop, std::move(*b));
    }
    return Status();
}

Status Stack::send_icmp(const OutputRoute &route, const wire::Ip6Address &dst, ByteSpan message,
                        std::uint8_t hop_limit, ByteSpan ext) {
    auto b = allocate(message.size);
    if (!b)
        return Error::kNoMemory;
    std::memcpy(b->mutable_data().data, message.data, message.size);
    wire::icmp6_finish_checksum(b->mutable_data(), wire::PseudoHeader{route.src, dst});
    return output(std::move(*b), route, dst, wire::IpProto::kIcmp6, hop_limit, ext);
}

// ---- Timers ------------------------------------------------------------------------------------

Instant Stack::next_deadline() const {
    if (!loopback_.empty() || udp_->has_pending_events() || icmp_->has_pending_events() ||
        tcp_->has_pending_events())
        return now();
    Instant next = routes_.next_deadline();
    auto fold = [&next](Instant t) {
        if (t < next)
            next = t;
    };
    fold(pmtu_.next_deadline());
    fold(reassembler_.next_deadline());
    fold(tcp_->next_deadline());
    for (const auto &n : netifs_) {
        fold(n->neighbors.next_deadline());
        fold(netif_deadline(*n));
    }
    return next;
}

void Stack::poll() {
    const Instant t = now();
    while (!loopback_.empty()) {
        auto item = std::move(loopback_.front());
        loopback_.pop_front();
        if (Netif *nif = get(item.first)) {
            ++nesting_;
            (void)input_ip6(*nif, item.second.data(), true);
            --nesting_;
        }
    }
    for (auto &n : netifs_) {
        n->neighbors.poll(t);
        poll_netif(*n, t);
    }
    if (routes_.next_deadline() <= t)
        routes_.poll(t);
    pmtu_.poll(t);
    const std::size_t expired = reassembler_.poll(t, [this](ByteSpan first) {
        // RFC 8200 4.5: Time Exceeded, code 1, quoting the first fragment.
        auto ip = wire::Ip6View::parse(first);
        if (!ip)
            return;
        for (auto &n : netifs_)
            if (n->up && !n->disabled) {
                // The interface the fragment came in on is not kept; any up interface will
                // route the error.
                send_error(*n, first, wire::Icmp6Type::kTimeExceeded, 1, 0);
                break;
            }
    });
    drops_.count(StackDrop::kReassemblyTimeout, expired);
    udp_->poll();
    icmp_->poll();
    tcp_->poll(t);
}

}  // namespace meshwork::stack
