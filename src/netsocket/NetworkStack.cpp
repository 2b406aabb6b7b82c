// NetworkStack defaults and the wrapper that presents a legacy C stack table as a NetworkStack.
#include "netsocket/NetworkStack.h"

#include <atomic>
#include <cstddef>
#include <cstring>
#include <new>

#include "core/Random.h"
#include "netsocket/nsapi_dns.h"

#include "events/mbed_shared_queues.h"
#include "meshwork/config/ApplicationConfiguration.h"

// nsapi.dns-addresses-limit of the application (a compatibility-edge read, like the resolver's).
static nsapi_size_t dns_addresses_limit() {
    return meshwork::config::application_configuration().nsapi.dns_addresses_limit;
}

namespace {

// The default stream: SplitMix64 over an atomic counter. Lock-free, so every thread that
// opens sockets on the stack may draw from it; it owns no resource, so the legacy wrapper
// (rebuilt in place by every nsapi_create_stack call, never destroyed) leaks nothing.
class StackRandom final : public meshwork::Random {
  public:
    explicit StackRandom(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next_u64() override {
        return meshwork::mix64(state_.fetch_add(kGamma, std::memory_order_relaxed));
    }
    void reseed(std::uint64_t seed) { state_.store(seed, std::memory_order_relaxed); }

  private:
    static constexpr std::uint64_t kGamma = 0x9e3779b97f4a7c15ULL;  // mix64 adds it again
    std::atomic<std::uint64_t> state_;
};

StackRandom &stack_random(unsigned char *storage) {
    return *std::launder(reinterpret_cast<StackRandom *>(storage));
}

}  // namespace

NetworkStack::NetworkStack() {
    static_assert(sizeof(StackRandom) <= sizeof(random_) && alignof(StackRandom) <= 8,
                  "NetworkStack::random_ must hold the default stream");
    new (random_) StackRandom(kDefaultRandomSeed);
}

NetworkStack::~NetworkStack() {
    stack_random(random_).~StackRandom();
}

meshwork::Random &NetworkStack::random() {
    return stack_random(random_);
}

void NetworkStack::seed_random(std::uint64_t seed) {
    stack_random(random_).reseed(seed);
}

nsapi_error_t NetworkStack::get_ip_address(SocketAddress *) {
    return NSAPI_ERROR_UNSUPPORTED;
}

const char *NetworkStack::get_ip_address() {
    SocketAddress address;
    if (get_ip_address(&address) != NSAPI_ERROR_OK || !address.get_ip_address()) {
        return NULL;
    }
    std::strncpy(ip_address_text_, address.get_ip_address(), sizeof ip_address_text_ - 1);
    ip_address_text_[sizeof ip_address_text_ - 1] = '\0';
    return ip_address_text_;
}

nsapi_error_t NetworkStack::get_ipv6_link_local_address(SocketAddress *) {
    return NSAPI_ERROR_UNSUPPORTED;
}

nsapi_error_t NetworkStack::get_ip_address_if(SocketAddress *, const char *) {
    return NSAPI_ERROR_UNSUPPORTED;
}

// With no version requested, ask for the family the stack itself uses (if it has an address).
static nsapi_version_t version_or_own(NetworkStack &stack, nsapi_version_t version) {
    if (version != NSAPI_UNSPEC) {
        return version;
    }
    SocketAddress own;
    if (stack.get_ip_address(&own) == NSAPI_ERROR_OK) {
        return own.get_ip_version();
    }
    return version;
}

nsapi_error_t NetworkStack::gethostbyname(const char *host, SocketAddress *address,
                                          nsapi_version_t version, const char *interface_name) {
    if (!host || host[0] == '\0' || !address) {
        return NSAPI_ERROR_PARAMETER;
    }
    SocketAddress literal;
    if (literal.set_ip_address(host)) {
        if (version != NSAPI_UNSPEC && literal.get_ip_version() != version) {
            return NSAPI_ERROR_DNS_FAILURE;
        }
        literal.set_port(address->get_port());
        *address = literal;
        return NSAPI_ERROR_OK;
    }
    return nsapi_dns_query(this, host, address, interface_name, version_or_own(*this, version));
}

nsapi_value_or_error_t NetworkStack::getaddrinfo(const char *hostname, SocketAddress *hints,
                                                 SocketAddress **res, const char *interface_name) {
    if (!hostname || hostname[0] == '\0' || !res) {
        return NSAPI_ERROR_PARAMETER;
    }
    *res = NULL;
    nsapi_version_t version = hints ? hints->get_ip_version() : NSAPI_UNSPEC;
    SocketAddress literal;
    if (literal.set_ip_address(hostname)) {
        if (version != NSAPI_UNSPEC && literal.get_ip_version() != version) {
            return NSAPI_ERROR_DNS_FAILURE;
        }
        *res = new (std::nothrow) SocketAddress[1];
        if (!*res) {
            return NSAPI_ERROR_NO_MEMORY;
        }
        (*res)[0] = literal;
        return 1;
    }
    const nsapi_size_t limit = dns_addresses_limit();
    SocketAddress *list = new (std::nothrow) SocketAddress[limit];
    if (!list) {
        return NSAPI_ERROR_NO_MEMORY;
    }
    nsapi_size_or_error_t count = nsapi_dns_query_multiple(
        this, hostname, list, limit, interface_name, version_or_own(*this, version));
    if (count <= 0) {
        delete[] list;
        return count < 0 ? count : NSAPI_ERROR_DNS_FAILURE;
    }
    *res = list;
    return count;
}

// The asynchronous lookups answer a numeric host at once, without DNS: the callback runs before
// the call returns (with DNS_FAILURE instead when the literal is not of the requested version).
// Returns false when `host` is not a literal.
static bool answer_literal_at_once(const char *host, nsapi_version_t version,
                                   const NetworkStack::hostbyname_cb_t &callback,
                                   nsapi_value_or_error_t *result) {
    SocketAddress literal;
    if (!literal.set_ip_address(host)) {
        return false;
    }
    if (version != NSAPI_UNSPEC && literal.get_ip_version() != version) {
        *result = NSAPI_ERROR_DNS_FAILURE;
        return true;
    }
    if (callback) {
        callback(1, &literal);
    }
    *result = 0;
    return true;
}

nsapi_value_or_error_t NetworkStack::gethostbyname_async(const char *host, hostbyname_cb_t callback,
                                                         nsapi_version_t version,
                                                         const char *interface_name) {
    if (!host || host[0] == '\0') {
        return NSAPI_ERROR_PARAMETER;
    }
    nsapi_value_or_error_t answered;
    if (answer_literal_at_once(host, version, callback, &answered)) {
        return answered;
    }
    return nsapi_dns_query_async(this, host, callback, get_call_in_callback(), interface_name,
                                 version_or_own(*this, version));
}

nsapi_value_or_error_t NetworkStack::getaddrinfo_async(const char *hostname, SocketAddress *hints,
                                                       hostbyname_cb_t callback,
                                                       const char *interface_name) {
    if (!hostname || hostname[0] == '\0') {
        return NSAPI_ERROR_PARAMETER;
    }
    nsapi_version_t version = hints ? hints->get_ip_version() : NSAPI_UNSPEC;
    nsapi_value_or_error_t answered;
    if (answer_literal_at_once(hostname, version, callback, &answered)) {
        return answered;
    }
    return nsapi_dns_query_multiple_async(this, hostname, callback, dns_addresses_limit(),
                                          get_call_in_callback(), interface_name,
                                          version_or_own(*this, version));
}

nsapi_error_t NetworkStack::gethostbyname_async_cancel(int id) {
    return nsapi_dns_query_async_cancel(id);
}

nsapi_error_t NetworkStack::add_dns_server(const SocketAddress &address,
                                           const char *interface_name) {
    return nsapi_dns_add_server(address, interface_name);
}

nsapi_error_t NetworkStack::get_dns_server(int, SocketAddress *, const char *) {
    return NSAPI_ERROR_UNSUPPORTED;
}

nsapi_error_t NetworkStack::setstackopt(int, int, const void *, unsigned) {
    return NSAPI_ERROR_UNSUPPORTED;
}

nsapi_error_t NetworkStack::getstackopt(int, int, void *, unsigned *) {
    return NSAPI_ERROR_UNSUPPORTED;
}

nsapi_size_or_error_t NetworkStack::socket_sendto_control(nsapi_socket_t handle,
                                                          const SocketAddress &address,
                                                          const void *data, nsapi_size_t size,
                                                          nsapi_msghdr_t *control, nsapi_size_t) {
    if (control) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    return socket_sendto(handle, address, data, size);
}

nsapi_size_or_error_t NetworkStack::socket_recvfrom_control(nsapi_socket_t handle,
                                                            SocketAddress *address, void *data,
                                                            nsapi_size_t size,
                                                            nsapi_msghdr_t *control, nsapi_size_t) {
    if (control) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    return socket_recvfrom(handle, address, data, size);
}

int NetworkStack::socket_kernel_fd(nsapi_socket_t) {
    return -1;
}

nsapi_error_t NetworkStack::setsockopt(nsapi_socket_t, int, int, const void *, unsigned) {
    return NSAPI_ERROR_UNSUPPORTED;
}

nsapi_error_t NetworkStack::getsockopt(nsapi_socket_t, int, int, void *, unsigned *) {
    return NSAPI_ERROR_UNSUPPORTED;
}

call_in_callback_cb_t NetworkStack::get_call_in_callback() {
    return call_in_callback_cb_t(this, &NetworkStack::call_in);
}

nsapi_error_t NetworkStack::call_in(int delay, mbed::Callback<void()> func) {
    events::EventQueue *queue = mbed::mbed_event_queue();
    if (!queue) {
        return NSAPI_ERROR_NO_MEMORY;
    }
    int id = delay > 0 ? queue->call_in(std::chrono::duration<int, std::milli>(delay), func)
                       : queue->call(func);
    return id == 0 ? NSAPI_ERROR_NO_MEMORY : NSAPI_ERROR_OK;
}

// ---------------------------------------------------------------------------------------------
// Legacy C table (nsapi_stack_t) presented as a NetworkStack. The wrapper object lives in the
// table's _stack_buffer, so creating it allocates nothing; missing entries give UNSUPPORTED.

namespace {

class LegacyStack final : public NetworkStack {
  public:
    LegacyStack() = default;

    nsapi_error_t get_ip_address(SocketAddress *address) override {
        if (!api().get_ip_address) {
            return NSAPI_ERROR_UNSUPPORTED;
        }
        nsapi_addr_t addr = api().get_ip_address(table());
        if (addr.version == NSAPI_UNSPEC) {
            return NSAPI_ERROR_NO_ADDRESS;
        }
        if (address) {
            address->set_addr(addr);
        }
        return NSAPI_ERROR_OK;
    }

    nsapi_error_t gethostbyname(const char *host, SocketAddress *address, nsapi_version_t version,
                                const char *interface_name) override {
        if (!api().gethostbyname) {
            return NetworkStack::gethostbyname(host, address, version, interface_name);
        }
        if (!host || !address) {
            return NSAPI_ERROR_PARAMETER;
        }
        nsapi_addr_t addr = {};
        nsapi_error_t err = api().gethostbyname(table(), host, &addr, version);
        if (err == NSAPI_ERROR_OK) {
            address->set_addr(addr);
        }
        return err;
    }

    nsapi_error_t add_dns_server(const SocketAddress &address,
                                 const char *interface_name) override {
        if (!api().add_dns_server) {
            return NetworkStack::add_dns_server(address, interface_name);
        }
        return api().add_dns_server(table(), address.get_addr());
    }

    nsapi_error_t setstackopt(int level, int optname, const void *optval,
                              unsigned optlen) override {
        return api().setstackopt ? api().setstackopt(table(), level, optname, optval, optlen)
                                 : NSAPI_ERROR_UNSUPPORTED;
    }

    nsapi_error_t getstackopt(int level, int optname, void *optval, unsigned *optlen) override {
        return api().getstackopt ? api().getstackopt(table(), level, optname, optval, optlen)
                                 : NSAPI_ERROR_UNSUPPORTED;
    }

  protected:
    nsapi_error_t socket_open(nsapi_socket_t *handle, nsapi_protocol_t proto) override {
        return api().socket_open ? api().socket_open(table(), handle, proto)
                                 : NSAPI_ERROR_UNSUPPORTED;
    }

    nsapi_error_t socket_close(nsapi_socket_t handle) override {
        return api().socket_close ? api().socket_close(table(), handle) : NSAPI_ERROR_UNSUPPORTED;
    }

    nsapi_error_t socket_bind(nsapi_socket_t handle, const SocketAddress &address) override {
        return api().socket_bind
                   ? api().socket_bind(table(), handle, address.get_addr(), address.get_port())
                   : NSAPI_ERROR_UNSUPPORTED;
    }

    nsapi_error_t socket_listen(nsapi_socket_t handle, int backlog) override {
        return api().socket_listen ? api().socket_listen(table(), handle, backlog)
                                   : NSAPI_ERROR_UNSUPPORTED;
    }

    nsapi_error_t socket_connect(nsapi_socket_t handle, const SocketAddress &address) override {
        return api().socket_connect
                   ? api().socket_connect(table(), handle, address.get_addr(), address.get_port())
                   : NSAPI_ERROR_UNSUPPORTED;
    }

    nsapi_error_t socket_accept(nsapi_socket_t server, nsapi_socket_t *handle,
                                SocketAddress *address) override {
        if (!api().socket_accept) {
            return NSAPI_ERROR_UNSUPPORTED;
        }
        nsapi_addr_t addr = {};
        uint16_t port = 0;
        nsapi_error_t err = api().socket_accept(table(), server, handle, &addr, &port);
        if (err == NSAPI_ERROR_OK && address) {
            address->set_addr(addr);
            address->set_port(port);
        }
        return err;
    }

    nsapi_size_or_error_t socket_send(nsapi_socket_t handle, const void *data,
                                      nsapi_size_t size) override {
        return api().socket_send ? api().socket_send(table(), handle, data, size)
                                 : NSAPI_ERROR_UNSUPPORTED;
    }

    nsapi_size_or_error_t socket_recv(nsapi_socket_t handle, void *data,
                                      nsapi_size_t size) override {
        return api().socket_recv ? api().socket_recv(table(), handle, data, size)
                                 : NSAPI_ERROR_UNSUPPORTED;
    }

    nsapi_size_or_error_t socket_sendto(nsapi_socket_t handle, const SocketAddress &address,
                                        const void *data, nsapi_size_t size) override {
        return api().socket_sendto ? api().socket_sendto(table(), handle, address.get_addr(),
                                                         address.get_port(), data, size)
                                   : NSAPI_ERROR_UNSUPPORTED;
    }

    nsapi_size_or_error_t socket_recvfrom(nsapi_socket_t handle, SocketAddress *address, void *data,
                                          nsapi_size_t size) override {
        if (!api().socket_recvfrom) {
            return NSAPI_ERROR_UNSUPPORTED;
        }
        nsapi_addr_t addr = {};
        uint16_t port = 0;
        nsapi_size_or_error_t ret =
            api().socket_recvfrom(table(), handle, &addr, &port, data, size);
        if (ret >= 0 && address) {
            address->set_addr(addr);
            address->set_port(port);
        }
        return ret;
    }

    nsapi_size_or_error_t socket_sendto_control(nsapi_socket_t handle, const SocketAddress &address,
                                                const void *data, nsapi_size_t size,
                                                nsapi_msghdr_t *control,
                                                nsapi_size_t control_size) override {
        if (!api().socket_sendto_control) {
            return NetworkStack::socket_sendto_control(handle, address, data, size, control,
                                                       control_size);
        }
        return api().socket_sendto_control(table(), handle, address.get_addr(), address.get_port(),
                                           data, size, control, control_size);
    }

    nsapi_size_or_error_t socket_recvfrom_control(nsapi_socket_t handle, SocketAddress *address,
                                                  void *data, nsapi_size_t size,
                                                  nsapi_msghdr_t *control,
                                                  nsapi_size_t control_size) override {
        if (!api().socket_recvfrom_control) {
            return NetworkStack::socket_recvfrom_control(handle, address, data, size, control,
                                                         control_size);
        }
        nsapi_addr_t addr = {};
        uint16_t port = 0;
        nsapi_size_or_error_t ret = api().socket_recvfrom_control(
            table(), handle, &addr, &port, data, size, control, control_size);
        if (ret >= 0 && address) {
            address->set_addr(addr);
            address->set_port(port);
        }
        return ret;
    }

    void socket_attach(nsapi_socket_t handle, void (*callback)(void *), void *data) override {
        if (api().socket_attach) {
            api().socket_attach(table(), handle, callback, data);
        }
    }

    nsapi_error_t setsockopt(nsapi_socket_t handle, int level, int optname, const void *optval,
                             unsigned optlen) override {
        return api().setsockopt ? api().setsockopt(table(), handle, level, optname, optval, optlen)
                                : NSAPI_ERROR_UNSUPPORTED;
    }

    nsapi_error_t getsockopt(nsapi_socket_t handle, int level, int optname, void *optval,
                             unsigned *optlen) override {
        return api().getsockopt ? api().getsockopt(table(), handle, level, optname, optval, optlen)
                                : NSAPI_ERROR_UNSUPPORTED;
    }

  private:
    const nsapi_stack_api_t &api() const { return *table()->stack_api; }

    // The wrapper lives in its table's _stack_buffer, so the table is found from `this`
    // instead of being stored (the buffer has no room left for a pointer).
    nsapi_stack_t *table() const {
        return reinterpret_cast<nsapi_stack_t *>(
            const_cast<char *>(reinterpret_cast<const char *>(this)) -
            offsetof(nsapi_stack_t, _stack_buffer));
    }
};

}  // namespace

NetworkStack *nsapi_create_stack(nsapi_stack_t *stack) {
    if (!stack || !stack->stack_api) {
        return NULL;
    }
    static_assert(sizeof(LegacyStack) <= sizeof(stack->_stack_buffer),
                  "the legacy wrapper must fit in nsapi_stack_t::_stack_buffer");
    static_assert(alignof(LegacyStack) <= alignof(nsapi_stack_t),
                  "the legacy wrapper must be aligned like nsapi_stack_t");
    return new (stack->_stack_buffer) LegacyStack();
}
