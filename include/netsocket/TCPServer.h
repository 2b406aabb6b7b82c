// TCPServer: the 5.10-5.15 listening socket, kept so 5.x applications compile. New code uses
// TCPSocket::listen() and TCPSocket::accept().
#pragma once

#include "netsocket/NetworkStack.h"
#include "netsocket/SocketAddress.h"
#include "netsocket/TCPSocket.h"
#include "netsocket/nsapi_types.h"
#include "platform/mbed_toolchain.h"

class TCPServer : public TCPSocket {
  public:
    MBED_DEPRECATED_SINCE("mbed-os-5.10", "TCPServer is deprecated, use TCPSocket")
    TCPServer();

    /// Constructs and opens on `stack` (a NetworkStack* or NetworkInterface*).
    template <typename S>
    MBED_DEPRECATED_SINCE("mbed-os-5.10", "TCPServer is deprecated, use TCPSocket")
    TCPServer(S *stack) {
        open(stack);
    }

    ~TCPServer() override;

    using TCPSocket::accept;

    /// Accepts into `connection`: a socket that was open is closed first, then it adopts the
    /// new connection. `address` (optional) receives the peer. WOULD_BLOCK when non-blocking
    /// or timed out; NO_SOCKET when this server is not open.
    MBED_DEPRECATED_SINCE("mbed-os-5.10",
                          "TCPServer::accept() is deprecated, use "
                          "Socket *Socket::accept() instead")
    nsapi_error_t accept(TCPSocket *connection, SocketAddress *address = NULL);
};
