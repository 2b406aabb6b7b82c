// UDPSocket: a datagram socket (RFC 768) over NetworkStack's non-blocking hooks.
#pragma once

#include "netsocket/InternetDatagramSocket.h"
#include "netsocket/NetworkStack.h"
#include "netsocket/SocketAddress.h"
#include "netsocket/nsapi_types.h"
#include "platform/mbed_toolchain.h"

class UDPSocket : public InternetDatagramSocket {
  public:
    /// Call open() before use.
    UDPSocket();

    /// 5.x: constructs and opens on `stack` (a NetworkStack* or NetworkInterface*).
    template <typename S>
    MBED_DEPRECATED_SINCE("mbed-os-5.11",
                          "The UDPSocket(S *stack) constructor is deprecated. "
                          "It discards the open() call return value. "
                          "Use another constructor and call open() explicitly, instead.")
    UDPSocket(S *stack) {
        open(stack);
    }

    ~UDPSocket() override;

    using InternetDatagramSocket::sendto;

    /// 5.x: resolves `host` through the stack; any resolution error is DNS_FAILURE.
    MBED_DEPRECATED_SINCE("mbed-os-5.15", "String-based APIs are deprecated")
    nsapi_size_or_error_t sendto(const char *host, uint16_t port, const void *data,
                                 nsapi_size_t size);

  protected:
    nsapi_protocol_t get_proto() override;
};
