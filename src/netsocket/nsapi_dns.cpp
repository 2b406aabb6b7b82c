// The nsapi_dns_* entry points: Mbed's process-wide resolver (the compatibility edge) over
// meshwork::DnsResolver.
#include "nsapi_dns.h"

#include <new>
#include <vector>

#include "DnsResolver.h"
#include "meshwork/Executor.h"
#include "meshwork/sim/NodeContext.h"

namespace {

// Never destroyed: queued resolver events may still run while the process exits.
meshwork::DnsResolver &resolver() {
    // A simulated device has its own servers and cache, made on first use from its
    // configuration.
    if (meshwork::sim::NodeContext *node = meshwork::current_node_context()) {
        if (!node->dns) {
            node->dns_owned = std::make_shared<meshwork::DnsResolver>(
                meshwork::DnsConfig::from(node->config().nsapi));
            node->dns = node->dns_owned.get();
        }
        return *node->dns;
    }
    static meshwork::DnsResolver *instance = new meshwork::DnsResolver();
    return *instance;
}

}  // namespace

nsapi_size_or_error_t nsapi_dns_query_multiple(NetworkStack *stack, const char *host,
                                               SocketAddress *addr, nsapi_size_t addr_count,
                                               const char *interface_name,
                                               nsapi_version_t version) {
    return resolver().query(stack, host, addr, addr_count, interface_name, version);
}

nsapi_size_or_error_t nsapi_dns_query_multiple(NetworkStack *stack, const char *host,
                                               SocketAddress *addr, nsapi_size_t addr_count,
                                               nsapi_version_t version) {
    return resolver().query(stack, host, addr, addr_count, nullptr, version);
}

nsapi_error_t nsapi_dns_query(NetworkStack *stack, const char *host, SocketAddress *addr,
                              const char *interface_name, nsapi_version_t version) {
    nsapi_size_or_error_t n = resolver().query(stack, host, addr, 1, interface_name, version);
    return n > 0 ? NSAPI_ERROR_OK : n == 0 ? NSAPI_ERROR_DNS_FAILURE : n;
}

nsapi_error_t nsapi_dns_query(NetworkStack *stack, const char *host, SocketAddress *addr,
                              nsapi_version_t version) {
    return nsapi_dns_query(stack, host, addr, nullptr, version);
}

extern "C" nsapi_error_t nsapi_dns_query(nsapi_stack_t *stack, const char *host, nsapi_addr_t *addr,
                                         const char *interface_name, nsapi_version_t version) {
    if (!stack || !addr) {
        return NSAPI_ERROR_PARAMETER;
    }
    SocketAddress address;
    nsapi_error_t err =
        nsapi_dns_query(nsapi_create_stack(stack), host, &address, interface_name, version);
    if (err == NSAPI_ERROR_OK) {
        *addr = address.get_addr();
    }
    return err;
}

extern "C" nsapi_size_or_error_t nsapi_dns_query_multiple(nsapi_stack_t *stack, const char *host,
                                                          nsapi_addr_t *addr,
                                                          nsapi_size_t addr_count,
                                                          const char *interface_name,
                                                          nsapi_version_t version) {
    if (!stack || !addr || addr_count == 0) {
        return NSAPI_ERROR_PARAMETER;
    }
    std::vector<SocketAddress> found(addr_count);
    nsapi_size_or_error_t n = nsapi_dns_query_multiple(
        nsapi_create_stack(stack), host, found.data(), addr_count, interface_name, version);
    for (nsapi_size_or_error_t i = 0; i < n; i++) {
        addr[i] = found[size_t(i)].get_addr();
    }
    return n;
}

nsapi_error_t nsapi_dns_query_async(NetworkStack *stack, const char *host,
                                    NetworkStack::hostbyname_cb_t callback,
                                    call_in_callback_cb_t call_in_cb, const char *interface_name,
                                    nsapi_version_t version) {
    return resolver().query_async(stack, host, callback, 1, call_in_cb, interface_name, version);
}

nsapi_error_t nsapi_dns_query_async(NetworkStack *stack, const char *host,
                                    NetworkStack::hostbyname_cb_t callback,
                                    call_in_callback_cb_t call_in_cb, nsapi_version_t version) {
    return resolver().query_async(stack, host, callback, 1, call_in_cb, nullptr, version);
}

nsapi_size_or_error_t nsapi_dns_query_multiple_async(NetworkStack *stack, const char *host,
                                                     NetworkStack::hostbyname_cb_t callback,
                                                     nsapi_size_t addr_count,
                                                     call_in_callback_cb_t call_in_cb,
                                                     const char *interface_name,
                                                     nsapi_version_t version) {
    return resolver().query_async(stack, host, callback, addr_count, call_in_cb, interface_name,
                                  version);
}

nsapi_size_or_error_t nsapi_dns_query_multiple_async(NetworkStack *stack, const char *host,
                                                     NetworkStack::hostbyname_cb_t callback,
                                                     nsapi_size_t addr_count,
                                                     call_in_callback_cb_t call_in_cb,
                                                     nsapi_version_t version) {
    return resolver().query_async(stack, host, callback, addr_count, call_in_cb, nullptr, version);
}

nsapi_error_t nsapi_dns_query_async_cancel(nsapi_size_or_error_t id) {
    return resolver().cancel(id);
}

void nsapi_dns_call_in_set(call_in_callback_cb_t callback) {
    resolver().set_call_in(callback);
}

extern "C" nsapi_error_t nsapi_dns_add_server(nsapi_addr_t addr, const char *interface_name) {
    return resolver().add_server(SocketAddress(addr), interface_name);
}

nsapi_error_t nsapi_dns_add_server(const SocketAddress &address, const char *interface_name) {
    return resolver().add_server(address, interface_name);
}

nsapi_error_t nsapi_dns_get_server(int index, SocketAddress *address, const char *interface_name) {
    return resolver().get_server(index, address, interface_name);
}

void nsapi_dns_clear_servers() {
    resolver().clear_servers();
}

void nsapi_dns_reset() {
    resolver().reset();
}
