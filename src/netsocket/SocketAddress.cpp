// SocketAddress: numeric parsing, RFC 5952 text, equality and truth rules of the Mbed API.
#include "SocketAddress.h"

#include <string.h>

#include "ip4string.h"
#include "ip6string.h"

SocketAddress::SocketAddress(const nsapi_addr_t &addr, uint16_t port) : _port(port) {
    set_addr(addr);
}

SocketAddress::SocketAddress(const char *addr, uint16_t port) : _port(port) {
    set_ip_address(addr);
}

SocketAddress::SocketAddress(const void *bytes, nsapi_version_t version, uint16_t port)
    : _port(port) {
    set_ip_bytes(bytes, version);
}

SocketAddress::SocketAddress(const SocketAddress &addr) : _addr(addr._addr), _port(addr._port) {}

SocketAddress &SocketAddress::operator=(const SocketAddress &addr) {
    if (this != &addr) {
        _invalidate_text();
        _addr = addr._addr;
        _port = addr._port;
    }
    return *this;
}

bool SocketAddress::set_ip_address(const char *addr) {
    _invalidate_text();
    nsapi_addr_t parsed{};
    if (addr) {
        size_t len = strlen(addr);
        if (stoip4(addr, len, parsed.bytes)) {
            parsed.version = NSAPI_IPv4;
        } else if (stoip6(addr, len, parsed.bytes)) {
            parsed.version = NSAPI_IPv6;
        } else {
            memset(parsed.bytes, 0, sizeof(parsed.bytes));
        }
    }
    _addr = parsed;
    return _addr.version != NSAPI_UNSPEC;
}

void SocketAddress::set_ip_bytes(const void *bytes, nsapi_version_t version) {
    _invalidate_text();
    nsapi_addr_t addr{};
    if (bytes && version == NSAPI_IPv4) {
        addr.version = NSAPI_IPv4;
        memcpy(addr.bytes, bytes, NSAPI_IPv4_BYTES);
    } else if (bytes && version == NSAPI_IPv6) {
        addr.version = NSAPI_IPv6;
        memcpy(addr.bytes, bytes, NSAPI_IPv6_BYTES);
    }
    _addr = addr;
}

void SocketAddress::set_addr(const nsapi_addr_t &addr) {
    _invalidate_text();
    // Copy through a temporary: `addr` may alias _addr (set_addr(get_addr()) style calls).
    nsapi_addr_t copy = addr;
    _addr = copy;
}

const char *SocketAddress::get_ip_address() const {
    if (_addr.version == NSAPI_UNSPEC) {
        return nullptr;
    }
    if (!_ip_address) {
        _ip_address.reset(new char[NSAPI_IP_SIZE]);
        if (_addr.version == NSAPI_IPv4) {
            ip4tos(_addr.bytes, _ip_address.get());
        } else {
            ip6tos(_addr.bytes, _ip_address.get());
        }
    }
    return _ip_address.get();
}

SocketAddress::operator bool() const {
    size_t n = _addr.version == NSAPI_IPv4   ? NSAPI_IPv4_BYTES
               : _addr.version == NSAPI_IPv6 ? NSAPI_IPv6_BYTES
                                             : 0;
    for (size_t i = 0; i < n; i++) {
        if (_addr.bytes[i]) {
            return true;
        }
    }
    return false;
}

bool operator==(const SocketAddress &a, const SocketAddress &b) {
    if (!a && !b) {
        return true;
    }
    if (a._addr.version != b._addr.version || a._port != b._port) {
        return false;
    }
    size_t n = a._addr.version == NSAPI_IPv4 ? NSAPI_IPv4_BYTES : NSAPI_IPv6_BYTES;
    return memcmp(a._addr.bytes, b._addr.bytes, n) == 0;
}

bool operator!=(const SocketAddress &a, const SocketAddress &b) {
    return !(a == b);
}
