// TCPSocket: a stream socket over NetworkStack's non-blocking hooks (RFC 9293 semantics as the
// stack provides them). connect, send, recv and accept implement Mbed's blocking algorithms;
// see docs/sockets.md.
#pragma once

#include "netsocket/InternetSocket.h"
#include "netsocket/NetworkStack.h"
#include "netsocket/SocketAddress.h"
#include "netsocket/nsapi_types.h"
#include "platform/mbed_toolchain.h"

class TCPServer;

class TCPSocket : public InternetSocket {
  public:
    /// Call open() before use.
    TCPSocket();

    /// 5.x: constructs and opens on `stack` (a NetworkStack* or NetworkInterface*).
    template <typename S>
    MBED_DEPRECATED_SINCE("mbed-os-5.11",
                          "The TCPSocket(S *stack) constructor is deprecated. "
                          "It discards the open() call return value. "
                          "Use another constructor and call open() explicitly, instead.")
    TCPSocket(S *stack) {
        open(stack);
    }

    ~TCPSocket() override;

    /// Always UNSUPPORTED: TCP has no multicast.
    int join_multicast_group(const SocketAddress &address);

    /// 5.x: resolves `host` through the stack; any resolution error is DNS_FAILURE.
    MBED_DEPRECATED_SINCE("mbed-os-5.15", "String-based APIs are deprecated")
    nsapi_error_t connect(const char *host, uint16_t port);

    /// Blocking: waits (timeout per wait) until the stack reports the outcome; a timed-out wait
    /// returns IN_PROGRESS (or ALREADY). Non-blocking: the stack's answer as is.
    nsapi_error_t connect(const SocketAddress &address) override;

    nsapi_size_or_error_t send(const void *data, nsapi_size_t size) override;
    nsapi_size_or_error_t recv(void *data, nsapi_size_t size) override;

    /// The address is ignored: send().
    nsapi_size_or_error_t sendto(const SocketAddress &address, const void *data,
                                 nsapi_size_t size) override;
    /// Stores the peer in `*address` (if given), then recv().
    nsapi_size_or_error_t recvfrom(SocketAddress *address, void *data, nsapi_size_t size) override;

    /// UNSUPPORTED when control data is given, else sendto()/recvfrom().
    nsapi_size_or_error_t sendto_control(const SocketAddress &address, const void *data,
                                         nsapi_size_t size, nsapi_msghdr_t *control,
                                         nsapi_size_t control_size) override;
    nsapi_size_or_error_t recvfrom_control(SocketAddress *address, void *data, nsapi_size_t size,
                                           nsapi_msghdr_t *control,
                                           nsapi_size_t control_size) override;

    /// A new connected socket, released with close() (which deletes it), or NULL with
    /// `*error` set (WOULD_BLOCK when non-blocking or timed out).
    TCPSocket *accept(nsapi_error_t *error = NULL) override;

    nsapi_error_t listen(int backlog = 1) override;

  protected:
    friend class TCPServer;

    nsapi_protocol_t get_proto() override;

  private:
    /// Used by accept(): a socket owning `handle`, deleting itself on close().
    TCPSocket(TCPSocket *parent, nsapi_socket_t handle, SocketAddress address);
};
