/*
 * meshwork: Mbed-compatible DNS interface, the name-resolution half shared by NetworkStack and
 * NetworkInterface.
 */
#ifndef DNS_H
#define DNS_H

#include "nsapi_types.h"
#include "SocketAddress.h"
#include "platform/Callback.h"

/** Name resolution: host names to SocketAddresses, synchronously or through a callback. */
class DNS {
  public:
    /**
     * Resolves `host` (a name or a numeric literal) to one address of `version` (UNSPEC: the
     * stack's own family). Blocks until answered.
     */
    virtual nsapi_error_t gethostbyname(const char *host, SocketAddress *address,
                                        nsapi_version_t version = NSAPI_UNSPEC,
                                        const char *interface_name = NULL) = 0;

    /**
     * Resolves `hostname` to every address matching `hints` (version). On success `*res` is an
     * array allocated with new[] that the caller deletes, and the count is returned.
     */
    virtual nsapi_value_or_error_t getaddrinfo(const char *hostname, SocketAddress *hints,
                                               SocketAddress **res,
                                               const char *interface_name = NULL) = 0;

    /** Result callback: `result` > 0 is the number of addresses at `address`, < 0 an error. */
    typedef mbed::Callback<void(nsapi_value_or_error_t result, SocketAddress *address)>
        hostbyname_cb_t;

    /**
     * Starts a resolution. Returns 0 if answered at once (the callback has already run), a
     * positive query id to cancel with, or a negative error.
     */
    virtual nsapi_value_or_error_t gethostbyname_async(const char *host, hostbyname_cb_t callback,
                                                       nsapi_version_t version = NSAPI_UNSPEC,
                                                       const char *interface_name = NULL) = 0;

    /** Asynchronous getaddrinfo; same return convention as gethostbyname_async. */
    virtual nsapi_value_or_error_t getaddrinfo_async(const char *hostname, SocketAddress *hints,
                                                     hostbyname_cb_t callback,
                                                     const char *interface_name = NULL) = 0;

    /** Cancels a pending asynchronous query; its callback will not run. */
    virtual nsapi_error_t gethostbyname_async_cancel(int id) = 0;

    /** Adds a DNS server to query. */
    virtual nsapi_error_t add_dns_server(const SocketAddress &address,
                                         const char *interface_name = NULL) = 0;

  protected:
    ~DNS() = default;
};

#endif /* DNS_H */
