// One interface of a Stack (RFC 4861 6.3.2 host variables, RFC 4862 addresses, RFC 3810
// listener state): its configuration, addresses with their DAD and lifetime state, the
// multicast groups it listens to, its neighbour cache and the router-side advertising state.
// Plain data owned by the Stack; the behaviour is in Stack*.cpp.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/Time.h"
#include "NeighborCache.h"
#include "StackTypes.h"
#include "wire/Ip6Address.h"

namespace meshwork::stack {

/// A prefix a router advertises in its RAs (RFC 4861 6.2.1 AdvPrefixList).
struct AdvertisedPrefix {
    wire::Ip6Address prefix;
    std::uint8_t prefix_length = 64;
    std::uint32_t valid_lifetime = 2592000;     // s (30 days)
    std::uint32_t preferred_lifetime = 604800;  // s (7 days)
    bool on_link = true;
    bool autonomous = true;
};

struct NetifConfig {
    std::string name = "eth0";
    LinkKind link = LinkKind::kEthernet;
    /// 6 bytes (Ethernet-like link); on a kIp6 link the EUI-64 (8 bytes, printed order) or the
    /// 802.15.4 short address (2 bytes, big-endian) the link-local IID is derived from.
    LinkAddress mac;
    std::size_t mtu = 1500;  // the link MTU (RFC 8200 5: at least 1280)
    /// The largest MSS TCP advertises and sends on this interface (0: from the MTU). A mesh
    /// link keeps segments to a few frames: a 1,220-byte segment is a dozen 6LoWPAN fragments
    /// per hop, any one of which lost loses it, and more again inside an RPL tunnel.
    std::size_t tcp_mss = 0;
    // Host side (RFC 4861 6.3, RFC 4862).
    bool accept_ra = true;       // take hop limit, timers, MTU, routes and prefixes from RAs
    bool slaac = true;           // form addresses from PIOs with A set
    unsigned dad_transmits = 1;  // DupAddrDetectTransmits; 0 turns DAD off
    unsigned max_rtr_solicitations = 3;
    // Router side (RFC 4861 6.2), used when the stack forwards.
    bool advertise = false;
    std::vector<AdvertisedPrefix> prefixes;
    std::uint16_t router_lifetime = 1800;  // s
    std::uint32_t adv_reachable_time = 0;  // ms, 0: unspecified
    std::uint32_t adv_retrans_timer = 0;   // ms, 0: unspecified
    std::uint8_t adv_cur_hop_limit = 64;
    bool adv_mtu = false;  // include an MTU option
    Duration max_rtr_adv_interval = std::chrono::seconds(600);
    Duration min_rtr_adv_interval = std::chrono::seconds(200);
};

enum class AddressState : std::uint8_t { kTentative, kPreferred, kDeprecated, kDuplicate };
const char *address_state_name(AddressState s);

struct NetifAddress {
    wire::Ip6Address address;
    std::uint8_t prefix_length = 64;
    AddressState state = AddressState::kTentative;
    bool autoconf = false;  // SLAAC (RFC 4862 5.5.3): lifetimes from RAs
    Instant preferred_until = kNever;
    Instant valid_until = kNever;
    unsigned dad_sent = 0;
    Instant dad_deadline = kNever;  // next DAD NS, or the end of DAD after the last one

    bool usable() const {
        return state == AddressState::kPreferred || state == AddressState::kDeprecated;
    }
};

/// Listener state of one multicast group (RFC 3810 6, host part).
struct GroupMembership {
    unsigned users = 0;             // joins (an address's solicited node, sockets, the stack)
    unsigned unsolicited_left = 0;  // state-change reports still to send (robustness)
    bool state_change = false;      // the pending report is a state change (TO_EX)
    Instant report_at = kNever;
};

struct Netif {
    Netif(IfIndex i, NetifConfig c, LinkOutput &out, NeighborCache::Hooks &hooks, NeighborParams np)
        : index(i), config(std::move(c)), output(out), neighbors(hooks, np), mtu(config.mtu) {}

    IfIndex index;
    NetifConfig config;
    LinkOutput &output;
    NeighborCache neighbors;
    std::size_t mtu;  // the link MTU, possibly lowered by an RA's MTU option
    bool up = false;
    bool disabled = false;  // duplicate link-local address (RFC 4862 5.4.5)
    std::vector<NetifAddress> addresses;
    std::map<wire::Ip6Address, GroupMembership> groups;
    // Host variables (RFC 4861 6.3.2)
    std::uint8_t cur_hop_limit = 64;
    Duration base_reachable_time = std::chrono::seconds(30);
    Duration retrans_timer = std::chrono::seconds(1);
    // Router solicitation (6.3.7)
    unsigned rs_sent = 0;
    Instant rs_at = kNever;
    bool ra_seen = false;
    // Router advertisement (6.2.4)
    unsigned ra_sent = 0;
    Instant ra_at = kNever;
    Instant last_ra_sent{};
    bool ra_ever_sent = false;

    NetifAddress *find_address(const wire::Ip6Address &a) {
        for (auto &x : addresses)
            if (x.address == a)
                return &x;
        return nullptr;
    }
    const NetifAddress *find_address(const wire::Ip6Address &a) const {
        for (auto &x : addresses)
            if (x.address == a)
                return &x;
        return nullptr;
    }
    bool listening(const wire::Ip6Address &group) const { return groups.count(group) != 0; }
};

}  // namespace meshwork::stack
