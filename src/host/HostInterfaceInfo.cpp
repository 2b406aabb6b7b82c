#include "HostInterfaceInfo.h"

#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "HostAddress.h"

namespace meshwork::host {

namespace {

constexpr unsigned kRtfUp = 0x0001;
constexpr unsigned kRtfGateway = 0x0002;
constexpr unsigned kRtfReject = 0x0200;

bool parse_hex_bytes(const std::string &hex, std::uint8_t *out, std::size_t n) {
    if (hex.size() != 2 * n) {
        return false;
    }
    for (std::size_t i = 0; i < n; ++i) {
        char *end = nullptr;
        const std::string byte = hex.substr(2 * i, 2);
        const unsigned long v = std::strtoul(byte.c_str(), &end, 16);
        if (end != byte.c_str() + 2) {
            return false;
        }
        out[i] = static_cast<std::uint8_t>(v);
    }
    return true;
}

// One IPv4 route line: Iface Destination Gateway Flags RefCnt Use Metric Mask ...
// Addresses are the kernel's in-memory 32-bit values printed in hex (network order in memory).
struct Route4 {
    std::string iface;
    std::uint32_t dest = 0, gateway = 0, mask = 0;
    unsigned flags = 0, metric = 0;
};

bool parse_route4(const std::string &line, Route4 *r) {
    std::istringstream in(line);
    std::string dest, gw, flags, refcnt, use, metric, mask;
    if (!(in >> r->iface >> dest >> gw >> flags >> refcnt >> use >> metric >> mask)) {
        return false;
    }
    r->dest = static_cast<std::uint32_t>(std::strtoul(dest.c_str(), nullptr, 16));
    r->gateway = static_cast<std::uint32_t>(std::strtoul(gw.c_str(), nullptr, 16));
    r->flags = static_cast<unsigned>(std::strtoul(flags.c_str(), nullptr, 16));
    r->metric = static_cast<unsigned>(std::strtoul(metric.c_str(), nullptr, 10));
    r->mask = static_cast<std::uint32_t>(std::strtoul(mask.c_str(), nullptr, 16));
    return true;
}

// One IPv6 route line: dest plen src splen nexthop metric refcnt use flags iface (hex fields).
struct Route6 {
    std::string iface;
    std::uint8_t dest[16] = {}, nexthop[16] = {};
    unsigned plen = 0, metric = 0, flags = 0;
};

bool parse_route6(const std::string &line, Route6 *r) {
    std::istringstream in(line);
    std::string dest, plen, src, splen, nexthop, metric, refcnt, use, flags;
    if (!(in >> dest >> plen >> src >> splen >> nexthop >> metric >> refcnt >> use >> flags >>
          r->iface)) {
        return false;
    }
    if (!parse_hex_bytes(dest, r->dest, 16) || !parse_hex_bytes(nexthop, r->nexthop, 16)) {
        return false;
    }
    r->plen = static_cast<unsigned>(std::strtoul(plen.c_str(), nullptr, 16));
    r->metric = static_cast<unsigned>(std::strtoul(metric.c_str(), nullptr, 16));
    r->flags = static_cast<unsigned>(std::strtoul(flags.c_str(), nullptr, 16));
    return true;
}

bool is_zero(const std::uint8_t *b, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if (b[i] != 0) {
            return false;
        }
    }
    return true;
}

template <typename Fn>
void for_each_line(const std::string &path, bool skip_header, Fn fn) {
    std::ifstream in(path);
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
        if (first && skip_header) {
            first = false;
            continue;
        }
        first = false;
        fn(line);
    }
}

bool usable_default6(const Route6 &r) {
    return r.plen == 0 && is_zero(r.dest, 16) && (r.flags & kRtfUp) && !(r.flags & kRtfReject) &&
           r.iface != "lo";
}

nsapi_addr_t netmask_from_prefix6(unsigned prefix) {
    nsapi_addr_t m{};
    m.version = NSAPI_IPv6;
    for (unsigned i = 0; i < 16 && prefix > 0; ++i) {
        const unsigned bits = prefix >= 8 ? 8 : prefix;
        m.bytes[i] = static_cast<std::uint8_t>(0xff00u >> bits);
        prefix -= bits;
    }
    return m;
}

unsigned prefix_from_mask6(const in6_addr &mask) {
    unsigned n = 0;
    for (unsigned char byte : mask.s6_addr) {
        for (int bit = 7; bit >= 0 && (byte >> bit) & 1; --bit) {
            ++n;
        }
    }
    return n;
}

}  // namespace

std::string default_route_interface(const std::string &proc_root) {
    std::string best;
    unsigned best_metric = ~0u;
    for_each_line(proc_root + "/net/route", true, [&](const std::string &line) {
        Route4 r;
        if (parse_route4(line, &r) && r.dest == 0 && r.mask == 0 && (r.flags & kRtfUp) &&
            r.metric < best_metric) {
            best = r.iface;
            best_metric = r.metric;
        }
    });
    if (!best.empty()) {
        return best;
    }
    for_each_line(proc_root + "/net/ipv6_route", false, [&](const std::string &line) {
        Route6 r;
        if (parse_route6(line, &r) && usable_default6(r) && r.metric < best_metric) {
            best = r.iface;
            best_metric = r.metric;
        }
    });
    return best.empty() ? "lo" : best;
}

nsapi_addr_t default_gateway4(const std::string &ifname, const std::string &proc_root) {
    nsapi_addr_t gw{};
    unsigned best_metric = ~0u;
    for_each_line(proc_root + "/net/route", true, [&](const std::string &line) {
        Route4 r;
        if (parse_route4(line, &r) && r.iface == ifname && r.dest == 0 && r.mask == 0 &&
            (r.flags & kRtfUp) && (r.flags & kRtfGateway) && r.metric < best_metric) {
            in_addr a{};
            a.s_addr = r.gateway;  // already in network order: printed from memory
            gw = nsapi_addr_from_in(a);
            best_metric = r.metric;
        }
    });
    return gw;
}

nsapi_addr_t default_gateway6(const std::string &ifname, const std::string &proc_root) {
    nsapi_addr_t gw{};
    unsigned best_metric = ~0u;
    for_each_line(proc_root + "/net/ipv6_route", false, [&](const std::string &line) {
        Route6 r;
        if (parse_route6(line, &r) && r.iface == ifname && usable_default6(r) &&
            !is_zero(r.nexthop, 16) && r.metric < best_metric) {
            gw.version = NSAPI_IPv6;
            std::memcpy(gw.bytes, r.nexthop, 16);
            best_metric = r.metric;
        }
    });
    return gw;
}

bool read_host_interface(const std::string &name, HostInterfaceInfo *out) {
    *out = HostInterfaceInfo{};
    out->name = name;
    out->index = ::if_nametoindex(name.c_str());
    if (out->index == 0) {
        return false;
    }
    ifaddrs *list = nullptr;
    if (::getifaddrs(&list) != 0) {
        return false;
    }
    for (ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next) {
        if (!ifa->ifa_name || name != ifa->ifa_name || !ifa->ifa_addr) {
            continue;
        }
        out->up = (ifa->ifa_flags & IFF_UP) && (ifa->ifa_flags & IFF_RUNNING);
        const int family = ifa->ifa_addr->sa_family;
        if (family == AF_INET && !out->has_ipv4) {
            out->has_ipv4 = true;
            out->ipv4 =
                nsapi_addr_from_in(reinterpret_cast<sockaddr_in *>(ifa->ifa_addr)->sin_addr);
            if (ifa->ifa_netmask) {
                out->netmask4 =
                    nsapi_addr_from_in(reinterpret_cast<sockaddr_in *>(ifa->ifa_netmask)->sin_addr);
            }
        } else if (family == AF_INET6) {
            const in6_addr &a = reinterpret_cast<sockaddr_in6 *>(ifa->ifa_addr)->sin6_addr;
            if (IN6_IS_ADDR_LINKLOCAL(&a)) {
                if (!out->has_link_local) {
                    out->has_link_local = true;
                    out->link_local = nsapi_addr_from_in6(a);
                }
            } else if (!out->has_ipv6) {
                out->has_ipv6 = true;
                out->ipv6 = nsapi_addr_from_in6(a);
                out->prefix6 =
                    ifa->ifa_netmask
                        ? prefix_from_mask6(
                              reinterpret_cast<sockaddr_in6 *>(ifa->ifa_netmask)->sin6_addr)
                        : 128;
                out->netmask6 = netmask_from_prefix6(out->prefix6);
            }
        } else if (family == AF_PACKET) {
            const auto *ll = reinterpret_cast<sockaddr_ll *>(ifa->ifa_addr);
            if (ll->sll_halen == 6) {
                out->has_mac = true;
                std::memcpy(out->mac, ll->sll_addr, 6);
            }
        }
    }
    ::freeifaddrs(list);
    out->gateway4 = default_gateway4(name);
    out->gateway6 = default_gateway6(name);
    return true;
}

std::string choose_host_interface(const std::string &configured) {
    if (!configured.empty()) {
        return configured;
    }
    return default_route_interface();
}

}  // namespace meshwork::host
