// Facts about one host network interface, read from the kernel: addresses (getifaddrs), the
// default gateways (/proc/net/route, /proc/net/ipv6_route) and the MAC address. Also the rule
// that picks which interface a HostStack reports when the application does not name one.
#pragma once

#include <cstdint>
#include <string>

#include "nsapi_types.h"

namespace meshwork::host {

struct HostInterfaceInfo {
    std::string name;
    unsigned index = 0;  // if_nametoindex
    bool up = false;     // IFF_UP and IFF_RUNNING
    bool has_ipv4 = false;
    nsapi_addr_t ipv4{};
    nsapi_addr_t netmask4{};
    nsapi_addr_t gateway4{};  // UNSPEC when there is no IPv4 default route through it
    bool has_ipv6 = false;    // a global (or, on loopback, the loopback) IPv6 address
    nsapi_addr_t ipv6{};
    unsigned prefix6 = 0;
    nsapi_addr_t netmask6{};
    nsapi_addr_t gateway6{};
    bool has_link_local = false;
    nsapi_addr_t link_local{};
    bool has_mac = false;
    std::uint8_t mac[6] = {};
};

/// Reads the interface `name`. Returns false when no such interface exists.
bool read_host_interface(const std::string &name, HostInterfaceInfo *out);

/// The interface of the IPv4 default route with the lowest metric, else of the IPv6 default
/// route (ignoring the kernel's unreachable entry on "lo"), else "lo". `proc_root` lets tests
/// point at fixture files ("/proc" normally).
std::string default_route_interface(const std::string &proc_root = "/proc");

/// The IPv4 / IPv6 default gateway through `ifname`, UNSPEC when none.
nsapi_addr_t default_gateway4(const std::string &ifname, const std::string &proc_root = "/proc");
nsapi_addr_t default_gateway6(const std::string &ifname, const std::string &proc_root = "/proc");

/// The interface to report: `configured` when non-empty (the setter, Options::interface_name or
/// meshwork.host-interface), else default_route_interface().
std::string choose_host_interface(const std::string &configured);

}  // namespace meshwork::host
