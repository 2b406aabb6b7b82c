// DnsResolver: the stub resolver behind the nsapi_dns_* entry points (RFC 1035 section 7).
//
// Queries go out over the library's own UDPSocket on the NetworkStack they are made for, so
// they work over every backend. The blocking path waits inside the socket facade; the
// asynchronous path is a small state machine driven by the socket's sigio and by a call_in
// scheduler (the stack's, or the one set with set_call_in), so it never blocks the caller.
//
// One resolver holds one server list, one cache and one table of pending queries. The Mbed
// entry points use a single process-wide instance (the compatibility edge); the cache is keyed
// by stack, so two stacks in one process never see each other's answers, and tests or native
// code can create independent instances with their own configuration.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "NetworkStack.h"
#include "SocketAddress.h"
#include "meshwork/config/Configuration.h"
#include "nsapi_types.h"
#include "rtos/Kernel.h"

namespace meshwork {

/// Resolver limits; the defaults are the nsapi.dns-* configuration values.
struct DnsConfig {
    int response_wait_ms;    // per-server wait (nsapi.dns-response-wait-time)
    int total_attempts;      // sends per resolution, all servers (nsapi.dns-total-attempts)
    int retries;             // extra passes over the server list (nsapi.dns-retries)
    size_t cache_size;       // cached names (nsapi.dns-cache-size)
    size_t max_pending;      // concurrent asynchronous queries (Mbed: 5)
    size_t addresses_limit;  // addresses kept per name (nsapi.dns-addresses-limit)
    bool default_servers;    // start with Mbed's public server list

    /// The nsapi.dns-* values of `nsapi` (a node's or the application's configuration).
    static DnsConfig from(const config::NsapiConfig &nsapi);
    /// from() of the process's application configuration (the library defaults without one).
    static DnsConfig from_build_config();
};

class DnsResolver {
  public:
    using hostbyname_cb_t = NetworkStack::hostbyname_cb_t;

    explicit DnsResolver(const DnsConfig &config = DnsConfig::from_build_config());
    ~DnsResolver();
    DnsResolver(const DnsResolver &) = delete;
    DnsResolver &operator=(const DnsResolver &) = delete;

    /// Puts `server` first in the list of `interface_name` (NULL: the global list). A port of
    /// 0 means 53. PARAMETER for an unspecified address.
    nsapi_error_t add_server(const SocketAddress &server, const char *interface_name);

    /// The `index`th server used for `interface_name`: its own servers, then the global ones.
    nsapi_error_t get_server(int index, SocketAddress *server, const char *interface_name) const;

    /// Forgets every server (the global and the per-interface lists).
    void clear_servers();

    /// Forgets the cache and cancels every pending query (their callbacks do not run).
    void reset();

    /// Scheduler used instead of the caller's when set (nsapi_dns_call_in_set).
    void set_call_in(call_in_callback_cb_t call_in);

    /// Blocking resolution of up to `count` addresses. Returns the number found (> 0) or an
    /// error: PARAMETER, DNS_FAILURE (no such name / no records / literal of another version),
    /// TIMEOUT (nobody answered), NO_SOCKET, NO_MEMORY.
    nsapi_size_or_error_t query(NetworkStack *stack, const char *host, SocketAddress *addr,
                                nsapi_size_t count, const char *interface_name,
                                nsapi_version_t version);

    /// Asynchronous resolution. Returns 0 when answered at once (callback already run), a
    /// positive id, or an error (NO_MEMORY when max_pending queries are outstanding).
    nsapi_value_or_error_t query_async(NetworkStack *stack, const char *host,
                                       hostbyname_cb_t callback, nsapi_size_t count,
                                       call_in_callback_cb_t call_in, const char *interface_name,
                                       nsapi_version_t version);

    /// Cancels a pending query. PARAMETER when `id` is not pending.
    nsapi_error_t cancel(int id);

    /// Number of asynchronous queries in flight.
    size_t pending() const;

  private:
    struct CacheEntry;
    struct Pending;
    enum class Step { kStart, kReadable, kTimeout };

    static nsapi_error_t check_name(const char *host);
    bool literal(const char *host, nsapi_version_t version, SocketAddress *out,
                 nsapi_size_or_error_t *result) const;
    std::vector<SocketAddress> servers_for(NetworkStack *stack, const char *interface_name) const;
    nsapi_size_or_error_t cache_lookup(NetworkStack *stack, const std::string &name,
                                       nsapi_version_t version, SocketAddress *addr,
                                       nsapi_size_t count);
    void cache_store(NetworkStack *stack, const std::string &name, nsapi_version_t version,
                     const SocketAddress *addr, nsapi_size_t count, uint32_t ttl);
    uint16_t next_message_id(NetworkStack &stack);

    // Asynchronous state machine.
    nsapi_error_t schedule(Pending &p, int delay_ms, Step step, unsigned generation);
    void run_step(int id, Step step, unsigned generation);
    bool send_next(Pending &p);  // false when attempts or servers are exhausted
    void abandon(const std::shared_ptr<Pending> &p);

    DnsConfig config_;
    mutable std::mutex mutex_;
    std::vector<SocketAddress> global_servers_;
    std::map<std::string, std::vector<SocketAddress>> interface_servers_;
    std::vector<CacheEntry> cache_;
    std::map<int, std::shared_ptr<Pending>> pending_;
    call_in_callback_cb_t call_in_override_;
    int next_query_id_ = 1;
};

}  // namespace meshwork
