/*
 * meshwork: Mbed-compatible DNS resolver entry points.
 *
 * A stub resolver (RFC 1035 section 7) that sends A/AAAA queries over the library's own
 * UDPSocket on the given NetworkStack, so it works over every backend. The server list is
 * process-wide, as in Mbed; answers are cached per stack, for their TTL
 * (nsapi.dns-cache-size entries).
 */
#ifndef NSAPI_DNS_H
#define NSAPI_DNS_H

#include "nsapi_types.h"

#ifndef __cplusplus

/** Resolves `host` to one address of `version` through the C stack `stack`. */
nsapi_error_t nsapi_dns_query(nsapi_stack_t *stack, const char *host, nsapi_addr_t *addr,
                              const char *interface_name, nsapi_version_t version);

/** Resolves `host` to at most `addr_count` addresses; returns the count or an error. */
nsapi_size_or_error_t nsapi_dns_query_multiple(nsapi_stack_t *stack, const char *host,
                                               nsapi_addr_t *addr, nsapi_size_t addr_count,
                                               const char *interface_name, nsapi_version_t version);

/** Adds a server at the front of the list (`interface_name` NULL: the global list). */
nsapi_error_t nsapi_dns_add_server(nsapi_addr_t addr, const char *interface_name);

#else

#include "NetworkStack.h"
#include "SocketAddress.h"
#include "platform/Callback.h"

/**
 * Resolves `host` to one address of `version` through `stack` (blocking). Numeric literals are
 * answered without a query. Errors: PARAMETER (NULL/empty name, longer than 255 characters),
 * DNS_FAILURE (no such name, or a literal of another version), TIMEOUT (no server answered),
 * NO_MEMORY, NO_SOCKET.
 */
nsapi_error_t nsapi_dns_query(NetworkStack *stack, const char *host, SocketAddress *addr,
                              const char *interface_name, nsapi_version_t version = NSAPI_IPv4);

/** Mbed 5.9 form without an interface name. */
nsapi_error_t nsapi_dns_query(NetworkStack *stack, const char *host, SocketAddress *addr,
                              nsapi_version_t version = NSAPI_IPv4);

/** C form: a stack described by the legacy function table. */
extern "C" nsapi_error_t nsapi_dns_query(nsapi_stack_t *stack, const char *host, nsapi_addr_t *addr,
                                         const char *interface_name,
                                         nsapi_version_t version = NSAPI_IPv4);

/** Any NetworkStack or NetworkInterface. */
template <typename S>
nsapi_error_t nsapi_dns_query(S *stack, const char *host, SocketAddress *addr,
                              const char *interface_name, nsapi_version_t version = NSAPI_IPv4) {
    return nsapi_dns_query(nsapi_create_stack(stack), host, addr, interface_name, version);
}

/** Mbed 5.9 template form without an interface name. */
template <typename S>
nsapi_error_t nsapi_dns_query(S *stack, const char *host, SocketAddress *addr,
                              nsapi_version_t version = NSAPI_IPv4) {
    return nsapi_dns_query(nsapi_create_stack(stack), host, addr, version);
}

/**
 * Starts an asynchronous resolution. The callback runs through `call_in_cb` (or the stack's
 * call_in when empty). Returns 0 if answered at once (the callback has already run), a positive
 * query id for nsapi_dns_query_async_cancel, or an error (NO_MEMORY when 5 queries are pending).
 */
nsapi_error_t nsapi_dns_query_async(NetworkStack *stack, const char *host,
                                    NetworkStack::hostbyname_cb_t callback,
                                    call_in_callback_cb_t call_in_cb, const char *interface_name,
                                    nsapi_version_t version = NSAPI_IPv4);

/** Mbed 5.9 form without an interface name. */
nsapi_error_t nsapi_dns_query_async(NetworkStack *stack, const char *host,
                                    NetworkStack::hostbyname_cb_t callback,
                                    call_in_callback_cb_t call_in_cb,
                                    nsapi_version_t version = NSAPI_IPv4);

/** Any NetworkStack or NetworkInterface. */
template <typename S>
nsapi_error_t nsapi_dns_query_async(S *stack, const char *host,
                                    NetworkStack::hostbyname_cb_t callback,
                                    call_in_callback_cb_t call_in_cb, const char *interface_name,
                                    nsapi_version_t version = NSAPI_IPv4) {
    return nsapi_dns_query_async(nsapi_create_stack(stack), host, callback, call_in_cb,
                                 interface_name, version);
}

/** Resolves `host` to at most `addr_count` addresses (blocking); returns the count. */
nsapi_size_or_error_t nsapi_dns_query_multiple(NetworkStack *stack, const char *host,
                                               SocketAddress *addr, nsapi_size_t addr_count,
                                               const char *interface_name,
                                               nsapi_version_t version = NSAPI_IPv4);

/** Mbed 5.9 form without an interface name. */
nsapi_size_or_error_t nsapi_dns_query_multiple(NetworkStack *stack, const char *host,
                                               SocketAddress *addr, nsapi_size_t addr_count,
                                               nsapi_version_t version = NSAPI_IPv4);

/** C form. */
extern "C" nsapi_size_or_error_t nsapi_dns_query_multiple(nsapi_stack_t *stack, const char *host,
                                                          nsapi_addr_t *addr,
                                                          nsapi_size_t addr_count,
                                                          const char *interface_name,
                                                          nsapi_version_t version = NSAPI_IPv4);

/** Any NetworkStack or NetworkInterface. */
template <typename S>
nsapi_size_or_error_t nsapi_dns_query_multiple(S *stack, const char *host, SocketAddress *addr,
                                               nsapi_size_t addr_count, const char *interface_name,
                                               nsapi_version_t version = NSAPI_IPv4) {
    return nsapi_dns_query_multiple(nsapi_create_stack(stack), host, addr, addr_count,
                                    interface_name, version);
}

/** Asynchronous form of nsapi_dns_query_multiple; the callback gets the count and array. */
nsapi_size_or_error_t nsapi_dns_query_multiple_async(NetworkStack *stack, const char *host,
                                                     NetworkStack::hostbyname_cb_t callback,
                                                     nsapi_size_t addr_count,
                                                     call_in_callback_cb_t call_in_cb,
                                                     const char *interface_name,
                                                     nsapi_version_t version = NSAPI_IPv4);

/** Mbed 5.9 form without an interface name. */
nsapi_size_or_error_t nsapi_dns_query_multiple_async(NetworkStack *stack, const char *host,
                                                     NetworkStack::hostbyname_cb_t callback,
                                                     nsapi_size_t addr_count,
                                                     call_in_callback_cb_t call_in_cb,
                                                     nsapi_version_t version = NSAPI_IPv4);

/** Cancels a pending asynchronous query; its callback will not run. PARAMETER if unknown. */
nsapi_error_t nsapi_dns_query_async_cancel(nsapi_size_or_error_t id);

/** Sets the function that schedules resolver work when the caller gave none. */
void nsapi_dns_call_in_set(call_in_callback_cb_t callback);

/** Adds a server at the front of the list (`interface_name` NULL: the global list). */
extern "C" nsapi_error_t nsapi_dns_add_server(nsapi_addr_t addr, const char *interface_name);

/** Mbed 5.9 form: the global list. */
inline nsapi_error_t nsapi_dns_add_server(nsapi_addr_t addr) {
    return nsapi_dns_add_server(addr, NULL);
}

/** Adds a server; a non-zero port in `address` is used instead of 53 (an extension). */
nsapi_error_t nsapi_dns_add_server(const SocketAddress &address, const char *interface_name = NULL);

inline nsapi_error_t nsapi_dns_add_server(const char *address, const char *interface_name = NULL) {
    return nsapi_dns_add_server(SocketAddress(address), interface_name);
}

/**
 * The `index`th server for `interface_name` (interface-specific servers first, then the global
 * list). NO_ADDRESS past the end.
 */
nsapi_error_t nsapi_dns_get_server(int index, SocketAddress *address,
                                   const char *interface_name = NULL);

/** Forgets every server, the defaults included (meshwork extension, for tests). */
void nsapi_dns_clear_servers();

/**
 * Forgets the cache and cancels pending queries (their callbacks do not run). The server list
 * is kept, as in Mbed.
 */
void nsapi_dns_reset();

#endif /* __cplusplus */

#endif /* NSAPI_DNS_H */
