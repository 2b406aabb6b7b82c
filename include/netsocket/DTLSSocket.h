// DTLSSocket: DTLS over a UDPSocket it owns (DTLSSocketWrapper in TRANSPORT_CONNECT_AND_CLOSE
// mode: connect() sets the UDP peer, then runs the handshake).
#pragma once

#include "netsocket/DTLSSocketWrapper.h"
#include "netsocket/NetworkStack.h"
#include "netsocket/UDPSocket.h"
#include "platform/mbed_assert.h"
#include "platform/mbed_toolchain.h"

class DTLSSocket : public DTLSSocketWrapper {
  public:
    /// Call open() before use.
    DTLSSocket();
    /// Opens on `stack` (a NetworkStack* or NetworkInterface*) right away.
    template <typename S>
    DTLSSocket(S *stack, const char *hostname = NULL) : DTLSSocketWrapper(&_udp_socket, hostname) {
        nsapi_error_t ret = open(stack);
        MBED_ASSERT(ret == NSAPI_ERROR_OK);
        (void)ret;
    }
    ~DTLSSocket() override;

    nsapi_error_t open(NetworkStack *stack);
    template <typename S>
    nsapi_error_t open(S *stack) {
        return open(nsapi_create_stack(stack));
    }

    using DTLSSocketWrapper::connect;

    /// Resolves `host` through the stack, uses it as the host name to verify (unless
    /// set_hostname() gave one), then sets the peer and runs the handshake.
    nsapi_error_t connect(const char *host, uint16_t port);

  private:
    UDPSocket _udp_socket;
    NetworkStack *stack_ = nullptr;
};
