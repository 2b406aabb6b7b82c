// InternetDatagramSocket: connectionless send/receive shared by UDPSocket and ICMPSocket.
//
// connect() only records a default peer (and turns on source filtering); nothing is sent.
#pragma once

#include "netsocket/InternetSocket.h"
#include "netsocket/SocketAddress.h"
#include "netsocket/nsapi_types.h"

class InternetDatagramSocket : public InternetSocket {
  public:
    /// Sends one datagram; blocking waits (timeout per wait) while the stack has no room.
    nsapi_size_or_error_t sendto(const SocketAddress &address, const void *data,
                                 nsapi_size_t size) override;

    /// Receives one datagram (truncated to `size`). With a peer set by connect(), datagrams
    /// from other sources are dropped and the next one is read.
    nsapi_size_or_error_t recvfrom(SocketAddress *address, void *data, nsapi_size_t size) override;

    nsapi_size_or_error_t sendto_control(const SocketAddress &address, const void *data,
                                         nsapi_size_t size, nsapi_msghdr_t *control,
                                         nsapi_size_t control_size) override;
    nsapi_size_or_error_t recvfrom_control(SocketAddress *address, void *data, nsapi_size_t size,
                                           nsapi_msghdr_t *control,
                                           nsapi_size_t control_size) override;

    /// Stores the default peer (an empty address clears it). Always OK, even when not open.
    nsapi_error_t connect(const SocketAddress &address) override;

    /// NO_ADDRESS without a peer, else sendto(peer).
    nsapi_size_or_error_t send(const void *data, nsapi_size_t size) override;

    /// recvfrom(NULL, ...). recv(NULL, 0) discards one datagram.
    nsapi_size_or_error_t recv(void *data, nsapi_size_t size) override;

    /// Datagram sockets do not listen: NULL with UNSUPPORTED / UNSUPPORTED.
    Socket *accept(nsapi_error_t *error = NULL) override;
    nsapi_error_t listen(int backlog = 1) override;

  protected:
    InternetDatagramSocket() = default;
};
