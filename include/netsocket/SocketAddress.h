/*
 * meshwork: Mbed-compatible SocketAddress.
 *
 * An IP address (IPv4, IPv6 or unspecified) plus a port. Text is parsed numerically only
 * (dotted quad, then RFC 4291 section 2.2 IPv6 text) and printed in the RFC 5952 section 4
 * canonical form. No name resolution happens here, except through the deprecated 5.x
 * resolving constructor, which asks the given stack.
 */
#ifndef SOCKET_ADDRESS_H
#define SOCKET_ADDRESS_H

#include <memory>
#include <type_traits>

#include "nsapi_types.h"

/** An IP address and a port. */
class SocketAddress {
  public:
    /** Unspecified address, port 0. */
    constexpr SocketAddress() = default;

    /** From a raw nsapi_addr_t. */
    SocketAddress(const nsapi_addr_t &addr, uint16_t port = 0);

    /**
     * From numeric text ("192.0.2.1", "2001:db8::1"). Invalid text or NULL gives an
     * unspecified address; the port is set either way.
     */
    SocketAddress(const char *addr, uint16_t port = 0);

    /** From 4 (IPv4) or 16 (IPv6) bytes in network order. */
    SocketAddress(const void *bytes, nsapi_version_t version, uint16_t port = 0);

    /**
     * Mbed 5.x: resolve `host` through `stack` (a NetworkStack or NetworkInterface). On failure
     * the address is unspecified. Removed in Mbed 6; kept for old applications.
     */
    template <typename S, typename = typename std::enable_if<std::is_class<S>::value>::type>
    [[deprecated(
        "String-based APIs are deprecated; use NetworkInterface::gethostbyname")]] SocketAddress(S *stack,
                                                                                                 const char
                                                                                                     *host,
                                                                                                 uint16_t port =
                                                                                                     0) {
        // nsapi_create_stack is found at instantiation time (NetworkStack.h declares it).
        _resolve(nsapi_create_stack(stack), host, port);
    }

    SocketAddress(const SocketAddress &addr);
    SocketAddress &operator=(const SocketAddress &addr);
    ~SocketAddress() = default;

    /** Parses numeric text. Returns false (and leaves the address UNSPEC) on failure or NULL. */
    bool set_ip_address(const char *addr);

    /** Copies 4 or 16 bytes according to `version`; other versions give UNSPEC, zero bytes. */
    void set_ip_bytes(const void *bytes, nsapi_version_t version);

    /** Sets the raw address. */
    void set_addr(const nsapi_addr_t &addr);

    /** Sets the port. */
    void set_port(uint16_t port) { _port = port; }

    /**
     * The address as text, or NULL when unspecified. The string belongs to this object and is
     * invalidated by any setter.
     */
    const char *get_ip_address() const;

    /** The raw bytes (4 or 16 meaningful bytes). */
    const void *get_ip_bytes() const { return _addr.bytes; }

    /** The IP version. */
    nsapi_version_t get_ip_version() const { return _addr.version; }

    /** The raw address. */
    nsapi_addr_t get_addr() const { return _addr; }

    /** The port. */
    uint16_t get_port() const { return _port; }

    /** True when the version is IPv4/IPv6 and some address byte is non-zero (port ignored). */
    explicit operator bool() const;

    /**
     * Two "false" addresses are equal whatever their port and version; otherwise the version,
     * the port and the address bytes must all match.
     */
    friend bool operator==(const SocketAddress &a, const SocketAddress &b);
    friend bool operator!=(const SocketAddress &a, const SocketAddress &b);

  private:
    // Resolving constructor body; `stack` is a NetworkStack* (incomplete here).
    template <typename Stack>
    void _resolve(Stack *stack, const char *host, uint16_t port) {
        if (stack) {
            SocketAddress found;
            if (stack->gethostbyname(host, &found) == NSAPI_ERROR_OK) {
                _addr = found._addr;
            }
        }
        _port = port;
    }

    void _invalidate_text() { _ip_address.reset(); }

    nsapi_addr_t _addr{};
    uint16_t _port = 0;
    mutable std::unique_ptr<char[]> _ip_address;  // text built on demand
};

#endif /* SOCKET_ADDRESS_H */
