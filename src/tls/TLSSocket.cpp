// TLSSocket and DTLSSocket: the wrappers over a transport socket they own.
#include "netsocket/TLSSocket.h"

#include "netsocket/DTLSSocket.h"

namespace {

// Resolves `host` for connect(host, port); DNS_FAILURE for any resolution error.
nsapi_error_t resolve(NetworkStack *stack, const char *host, uint16_t port, SocketAddress *out) {
    if (!stack) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (!host) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (stack->gethostbyname(host, out) != NSAPI_ERROR_OK) {
        return NSAPI_ERROR_DNS_FAILURE;
    }
    out->set_port(port);
    return NSAPI_ERROR_OK;
}

}  // namespace

// The base only stores the pointer; the member is constructed before any use.
TLSSocket::TLSSocket() : TLSSocketWrapper(&tcp_socket, NULL, TRANSPORT_CONNECT_AND_CLOSE) {}

TLSSocket::~TLSSocket() {
    release_transport();
}

nsapi_error_t TLSSocket::open(NetworkStack *stack) {
    nsapi_error_t ret = tcp_socket.open(stack);
    if (ret == NSAPI_ERROR_OK) {
        stack_ = stack;
        reopen_transport();
        tcp_socket.set_blocking(false);
    }
    return ret;
}

nsapi_error_t TLSSocket::connect(const char *host, uint16_t port) {
    SocketAddress address;
    nsapi_error_t ret = resolve(stack_, host, port, &address);
    if (ret != NSAPI_ERROR_OK) {
        return ret;
    }
    set_default_hostname(host);
    return TLSSocketWrapper::connect(address);
}

DTLSSocket::DTLSSocket() : DTLSSocketWrapper(&_udp_socket, NULL, TRANSPORT_CONNECT_AND_CLOSE) {}

DTLSSocket::~DTLSSocket() {
    release_transport();
}

nsapi_error_t DTLSSocket::open(NetworkStack *stack) {
    nsapi_error_t ret = _udp_socket.open(stack);
    if (ret == NSAPI_ERROR_OK) {
        stack_ = stack;
        reopen_transport();
        _udp_socket.set_blocking(false);
    }
    return ret;
}

nsapi_error_t DTLSSocket::connect(const char *host, uint16_t port) {
    SocketAddress address;
    nsapi_error_t ret = resolve(stack_, host, port, &address);
    if (ret != NSAPI_ERROR_OK) {
        return ret;
    }
    set_default_hostname(host);
    return DTLSSocketWrapper::connect(address);
}
