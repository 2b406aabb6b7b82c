// UDPSocket: the protocol, and the 5.x host-name sendto.
#include "netsocket/UDPSocket.h"

#include <cstring>

UDPSocket::UDPSocket() = default;

UDPSocket::~UDPSocket() = default;

nsapi_protocol_t UDPSocket::get_proto() {
    return NSAPI_UDP;
}

nsapi_size_or_error_t UDPSocket::sendto(const char *host, uint16_t port, const void *data,
                                        nsapi_size_t size) {
    _lock.lock();
    NetworkStack *stack = _socket ? _stack : NULL;
    char interface_name[sizeof _interface_name];
    std::memcpy(interface_name, _interface_name, sizeof interface_name);
    _lock.unlock();
    if (!stack) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    // Resolve without the socket lock: a name lookup may block for seconds.
    SocketAddress address;
    if (!host ||
        stack->gethostbyname(host, &address, NSAPI_UNSPEC,
                             interface_name[0] ? interface_name : NULL) != NSAPI_ERROR_OK) {
        return NSAPI_ERROR_DNS_FAILURE;
    }
    address.set_port(port);
    return sendto(address, data, size);
}
