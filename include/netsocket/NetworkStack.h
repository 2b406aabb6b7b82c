// NetworkStack: the boundary between the generic socket layer and a concrete IP stack.
//
// The public part is what applications call (addresses, DNS, stack options), with Mbed's
// defaults, in both API generations (the 6.x SocketAddress forms and the 5.x `const char *`
// ones). The protected part is the set of hooks a backend implements; every hook is
// non-blocking and returns NSAPI_ERROR_WOULD_BLOCK instead of waiting. All blocking, timeout
// and partial-send behaviour lives once, in InternetSocket and its subclasses.
//
// Contract for backends implementing socket_attach: the callback may be raised from any
// thread, at any time, spuriously; it must not be raised while the backend holds a lock that
// its own hooks take (the socket layer may call back into the stack from the callback's
// thread later, never from within the callback itself). After socket_attach(handle, NULL,
// NULL) returns, no callback for that handle may still be running on another thread.
#pragma once

#include <cstdint>
#include <type_traits>

#include "netsocket/DNS.h"
#include "netsocket/SocketAddress.h"
#include "netsocket/nsapi_types.h"
#include "platform/Callback.h"
#include "platform/mbed_toolchain.h"

class NetworkInterface;
class OnboardNetworkStack;

namespace meshwork {
class Random;
namespace detail {
// Names T in a way that depends on U, so a template body may use an incomplete T.
template <typename T, typename U>
struct DependentType {
    using type = T;
};
}  // namespace detail
}  // namespace meshwork

/// Schedules `user_cb` to run after `delay_ms` on some event thread (used by async DNS).
typedef mbed::Callback<nsapi_error_t(int delay_ms, mbed::Callback<void()> user_cb)>
    call_in_callback_cb_t;

class NetworkStack : public DNS {
  public:
    NetworkStack();
    virtual ~NetworkStack();
    NetworkStack(const NetworkStack &) = delete;
    NetworkStack &operator=(const NetworkStack &) = delete;

    typedef ::call_in_callback_cb_t call_in_callback_cb_t;

    /// 6.x: the stack's own address. Default UNSUPPORTED.
    virtual nsapi_error_t get_ip_address(SocketAddress *address);

    /// 5.x: the stack's own address as text, NULL when unknown. The default formats
    /// get_ip_address(SocketAddress *) into a buffer owned by the stack.
    MBED_DEPRECATED_SINCE("mbed-os-5.15", "String-based APIs are deprecated")
    virtual const char *get_ip_address();

    virtual nsapi_error_t get_ipv6_link_local_address(SocketAddress *address);
    virtual nsapi_error_t get_ip_address_if(SocketAddress *address, const char *interface_name);

    /// Empty name: PARAMETER. A numeric literal is parsed without DNS (DNS_FAILURE when its
    /// version is not the requested one). Otherwise nsapi_dns_query(); with NSAPI_UNSPEC the
    /// family of the stack's own address is asked for.
    virtual nsapi_error_t gethostbyname(const char *host, SocketAddress *address,
                                        nsapi_version_t version = NSAPI_UNSPEC,
                                        const char *interface_name = NULL);

    /// Returns the number of addresses; `*res` is allocated with new[] (caller delete[]s it).
    virtual nsapi_value_or_error_t getaddrinfo(const char *hostname, SocketAddress *hints,
                                               SocketAddress **res,
                                               const char *interface_name = NULL);

    /// 0 when answered at once (the callback has run), a positive query id, or an error.
    virtual nsapi_value_or_error_t gethostbyname_async(const char *host, hostbyname_cb_t callback,
                                                       nsapi_version_t version = NSAPI_UNSPEC,
                                                       const char *interface_name = NULL);
    virtual nsapi_value_or_error_t getaddrinfo_async(const char *hostname, SocketAddress *hints,
                                                     hostbyname_cb_t callback,
                                                     const char *interface_name = NULL);
    virtual nsapi_error_t gethostbyname_async_cancel(int id);

    virtual nsapi_error_t add_dns_server(const SocketAddress &address,
                                         const char *interface_name = NULL);
    virtual nsapi_error_t get_dns_server(int index, SocketAddress *address,
                                         const char *interface_name = NULL);

    virtual nsapi_error_t setstackopt(int level, int optname, const void *optval, unsigned optlen);
    virtual nsapi_error_t getstackopt(int level, int optname, void *optval, unsigned *optlen);

    virtual OnboardNetworkStack *onboardNetworkStack() { return NULL; }

    // meshwork extension, not in Mbed OS (ARCHITECTURE rule 2: randomness is an input). The
    // random stream of this stack: components that send over it draw their random values from
    // it (DNS message ids, WebSocket keys and masks), never from OS entropy. The default is a
    // stream of this stack alone, seeded with kDefaultRandomSeed, so a test stack gives the
    // same values on every run; HostStack reseeds its stream once from OS entropy, and a
    // simulated node's stack may return the node's stream instead. The default stream is
    // lock-free and may be used from any thread; it is not cryptographic.
    virtual meshwork::Random &random();
    /// Restarts the default stream from `seed` (no effect on an overriding random()).
    void seed_random(std::uint64_t seed);
    static constexpr std::uint64_t kDefaultRandomSeed = 0x6d657368776f726bULL;  // "meshwork"

  protected:
    friend class InternetSocket;
    friend class InternetDatagramSocket;
    friend class TCPSocket;
    friend class TCPServer;
    friend class UDPSocket;
    friend class ICMPSocket;
    friend class Socket;

    /// NO_SOCKET when the stack has no free socket.
    virtual nsapi_error_t socket_open(nsapi_socket_t *handle, nsapi_protocol_t proto) = 0;
    virtual nsapi_error_t socket_close(nsapi_socket_t handle) = 0;
    /// A zero (unspecified) IP binds the port only.
    virtual nsapi_error_t socket_bind(nsapi_socket_t handle, const SocketAddress &address) = 0;
    virtual nsapi_error_t socket_listen(nsapi_socket_t handle, int backlog) = 0;
    /// POSIX-like: IN_PROGRESS, then ALREADY while pending, then IS_CONNECTED (or OK).
    virtual nsapi_error_t socket_connect(nsapi_socket_t handle, const SocketAddress &address) = 0;
    /// `address` may be NULL.
    virtual nsapi_error_t socket_accept(nsapi_socket_t server, nsapi_socket_t *handle,
                                        SocketAddress *address = 0) = 0;
    virtual nsapi_size_or_error_t socket_send(nsapi_socket_t handle, const void *data,
                                              nsapi_size_t size) = 0;
    /// 0 means the peer shut down in order and nothing is left.
    virtual nsapi_size_or_error_t socket_recv(nsapi_socket_t handle, void *data,
                                              nsapi_size_t size) = 0;
    virtual nsapi_size_or_error_t socket_sendto(nsapi_socket_t handle, const SocketAddress &address,
                                                const void *data, nsapi_size_t size) = 0;
    /// `address` may be NULL.
    virtual nsapi_size_or_error_t socket_recvfrom(nsapi_socket_t handle, SocketAddress *address,
                                                  void *data, nsapi_size_t size) = 0;

    /// Defaults: UNSUPPORTED when `control` is given, else the plain call.
    virtual nsapi_size_or_error_t socket_sendto_control(nsapi_socket_t handle,
                                                        const SocketAddress &address,
                                                        const void *data, nsapi_size_t size,
                                                        nsapi_msghdr_t *control,
                                                        nsapi_size_t control_size);
    virtual nsapi_size_or_error_t socket_recvfrom_control(nsapi_socket_t handle,
                                                          SocketAddress *address, void *data,
                                                          nsapi_size_t size,
                                                          nsapi_msghdr_t *control,
                                                          nsapi_size_t control_size);

    /// Registers the state-change callback of a socket; NULL detaches (see contract above).
    virtual void socket_attach(nsapi_socket_t handle, void (*callback)(void *), void *data) = 0;

    // meshwork extension, not in Mbed OS: a backend whose sockets are kernel descriptors
    // names the descriptor, and a blocking call of the socket layer on an executor that blocks
    // on the OS (the host executor) waits on it directly instead of for the callback; that
    // saves a hand-off through the backend's event thread on every blocking call, and the
    // socket layer then attaches the callback only while the application has a sigio (or a
    // task of another executor waits). The socket layer has one blocking path either way.

    /// A descriptor whose poll() readiness is the socket's, or -1 (the default: wait for the
    /// callback). Non-blocking; asked at open and at each wait.
    virtual int socket_kernel_fd(nsapi_socket_t handle);

    /// Defaults: UNSUPPORTED.
    virtual nsapi_error_t setsockopt(nsapi_socket_t handle, int level, int optname,
                                     const void *optval, unsigned optlen);
    virtual nsapi_error_t getsockopt(nsapi_socket_t handle, int level, int optname, void *optval,
                                     unsigned *optlen);

  private:
    /// A callback that forwards to call_in(), for the async DNS machinery.
    virtual call_in_callback_cb_t get_call_in_callback();
    /// Default: posts `func` to mbed_event_queue() after `delay`.
    virtual nsapi_error_t call_in(int delay, mbed::Callback<void()> func);

    char ip_address_text_[NSAPI_IP_SIZE] = {};
    // The default stream, built in place by the constructor (NetworkStack.cpp): no allocation
    // and no core header here, and it fits the legacy wrapper's fixed buffer.
    alignas(8) unsigned char random_[16];
};

/// Wraps a legacy C stack table in a NetworkStack living inside `stack` (no allocation).
NetworkStack *nsapi_create_stack(nsapi_stack_t *stack);

inline NetworkStack *nsapi_create_stack(NetworkStack *stack) {
    return stack;
}

/// A NetworkStack (or subclass) passes through; a NetworkInterface (or subclass) yields its
/// get_stack(). NetworkInterface befriends this template.
template <typename IF>
NetworkStack *nsapi_create_stack(IF *iface) {
    if constexpr (std::is_base_of<NetworkStack, IF>::value) {
        return static_cast<NetworkStack *>(iface);
    } else {
        if (!iface) {
            return NULL;
        }
        using Interface = typename meshwork::detail::DependentType<NetworkInterface, IF>::type;
        return static_cast<Interface *>(iface)->get_stack();
    }
}
