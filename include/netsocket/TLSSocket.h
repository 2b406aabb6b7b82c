// TLSSocket: TLS over a TCPSocket it owns (TLSSocketWrapper in TRANSPORT_CONNECT_AND_CLOSE mode).
#pragma once

#include "netsocket/NetworkStack.h"
#include "netsocket/TCPSocket.h"
#include "netsocket/TLSSocketWrapper.h"
#include "platform/mbed_toolchain.h"

class TLSSocket : public TLSSocketWrapper {
  public:
    /// Call open() before use.
    TLSSocket();
    /// Sends close_notify and closes the TCP socket if still open.
    ~TLSSocket() override;

    /// Opens the TCP socket on `stack`.
    nsapi_error_t open(NetworkStack *stack);
    /// Accepts a NetworkInterface* or a NetworkStack*.
    template <typename S>
    nsapi_error_t open(S *stack) {
        return open(nsapi_create_stack(stack));
    }

    using TLSSocketWrapper::connect;

    /// Resolves `host` through the stack, uses it as the host name to verify (unless
    /// set_hostname() gave one), then connects and runs the handshake. DNS_FAILURE when the
    /// name does not resolve.
    MBED_DEPRECATED_SINCE("mbed-os-5.15", "String-based APIs are deprecated")
    nsapi_error_t connect(const char *host, uint16_t port);

  private:
    TCPSocket tcp_socket;
    NetworkStack *stack_ = nullptr;
};
