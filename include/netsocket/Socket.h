// Socket: the abstract interface every socket type implements (Mbed 5.10+ layering).
//
// The stream and datagram behaviour (blocking, timeouts, sigio) is implemented once in
// InternetSocket and its subclasses; see docs/sockets.md for the exact rules.
#pragma once

#include "netsocket/SocketAddress.h"
#include "netsocket/nsapi_types.h"
#include "platform/Callback.h"
#include "platform/mbed_toolchain.h"

class NetworkStack;

class Socket {
  public:
    virtual ~Socket() = default;

    /// Closes the socket and releases the stack handle.
    virtual nsapi_error_t close() = 0;

    /// Stream: opens a connection. Datagram: sets (or, with an empty address, clears) the
    /// default peer and filters received datagrams to it.
    virtual nsapi_error_t connect(const SocketAddress &address) = 0;

    /// Blocking: sends everything. Non-blocking or timed out: a partial count, WOULD_BLOCK only
    /// when nothing was written.
    virtual nsapi_size_or_error_t send(const void *data, nsapi_size_t size) = 0;

    /// Blocks until some data arrives; 0 after an orderly shutdown by the peer.
    virtual nsapi_size_or_error_t recv(void *data, nsapi_size_t size) = 0;

    virtual nsapi_size_or_error_t sendto(const SocketAddress &address, const void *data,
                                         nsapi_size_t size) = 0;
    virtual nsapi_size_or_error_t recvfrom(SocketAddress *address, void *data,
                                           nsapi_size_t size) = 0;

    /// sendto/recvfrom with ancillary data. Not pure (unlike the final Mbed release) so that
    /// Socket implementations written for earlier releases still compile: UNSUPPORTED.
    virtual nsapi_size_or_error_t sendto_control(const SocketAddress &address, const void *data,
                                                 nsapi_size_t size, nsapi_msghdr_t *control,
                                                 nsapi_size_t control_size) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    virtual nsapi_size_or_error_t recvfrom_control(SocketAddress *address, void *data,
                                                   nsapi_size_t size, nsapi_msghdr_t *control,
                                                   nsapi_size_t control_size) {
        return NSAPI_ERROR_UNSUPPORTED;
    }

    /// An address whose IP is zero binds the port only.
    virtual nsapi_error_t bind(const SocketAddress &address) = 0;

    /// false is set_timeout(0), true is set_timeout(-1). Sockets start blocking.
    virtual void set_blocking(bool blocking) = 0;

    /// Milliseconds; 0 non-blocking, negative forever. Applies to each internal wait.
    virtual void set_timeout(int timeout) = 0;

    /// "Something may have changed": retry the I/O to learn what. May run on a stack thread;
    /// must not call socket I/O itself.
    virtual void sigio(mbed::Callback<void()> func) = 0;

    virtual nsapi_error_t setsockopt(int level, int optname, const void *optval,
                                     unsigned optlen) = 0;
    virtual nsapi_error_t getsockopt(int level, int optname, void *optval, unsigned *optlen) = 0;

    /// The returned socket is released with close(), never delete.
    virtual Socket *accept(nsapi_error_t *error = NULL) = 0;
    virtual nsapi_error_t listen(int backlog = 1) = 0;

    /// NO_SOCKET when not open, NO_CONNECTION without a peer.
    virtual nsapi_error_t getpeername(SocketAddress *address) = 0;

    /// meshwork extension, not in Mbed OS: the NetworkStack this socket runs on (through a TLS
    /// wrapper, its transport's), NULL when it has none (not open). Protocols layered on a
    /// socket draw their random values from it (NetworkStack::random()).
    virtual NetworkStack *network_stack() { return NULL; }
};
