// InternetDatagramSocket: Mbed's datagram algorithms over non-blocking stack hooks.
#include "netsocket/InternetDatagramSocket.h"

nsapi_error_t InternetDatagramSocket::connect(const SocketAddress &address) {
    _lock.lock();
    _remote_peer = address;
    _lock.unlock();
    return NSAPI_ERROR_OK;
}

nsapi_size_or_error_t InternetDatagramSocket::sendto(const SocketAddress &address, const void *data,
                                                     nsapi_size_t size) {
    return sendto_control(address, data, size, NULL, 0);
}

nsapi_size_or_error_t InternetDatagramSocket::sendto_control(const SocketAddress &address,
                                                             const void *data, nsapi_size_t size,
                                                             nsapi_msghdr_t *control,
                                                             nsapi_size_t control_size) {
    return retry_while_would_block(WRITE_FLAG, [&] {
        return _stack->socket_sendto_control(_socket, address, data, size, control, control_size);
    });
}

nsapi_size_or_error_t InternetDatagramSocket::send(const void *data, nsapi_size_t size) {
    _lock.lock();
    SocketAddress peer = _remote_peer;
    _lock.unlock();
    if (!peer) {
        return NSAPI_ERROR_NO_ADDRESS;
    }
    return sendto(peer, data, size);
}

nsapi_size_or_error_t InternetDatagramSocket::recvfrom(SocketAddress *address, void *data,
                                                       nsapi_size_t size) {
    return recvfrom_control(address, data, size, NULL, 0);
}

nsapi_size_or_error_t InternetDatagramSocket::recvfrom_control(SocketAddress *address, void *data,
                                                               nsapi_size_t size,
                                                               nsapi_msghdr_t *control,
                                                               nsapi_size_t control_size) {
    SocketAddress source;
    bool filtered = false;
    nsapi_size_or_error_t ret = retry_while_would_block(READ_FLAG, [&] {
        // Without a connected peer the caller's address (or NULL) goes straight to the stack.
        filtered = static_cast<bool>(_remote_peer);
        SocketAddress *from = filtered ? &source : address;
        while (true) {
            nsapi_size_or_error_t got =
                _stack->socket_recvfrom_control(_socket, from, data, size, control, control_size);
            if (got >= 0 && filtered && source != _remote_peer) {
                begin_attempt(READ_FLAG);  // not from the connected peer: drop it, read the next
                continue;
            }
            return got;
        }
    });
    if (ret >= 0 && address && filtered) {
        *address = source;
    }
    return ret;
}

nsapi_size_or_error_t InternetDatagramSocket::recv(void *data, nsapi_size_t size) {
    return recvfrom(NULL, data, size);
}

Socket *InternetDatagramSocket::accept(nsapi_error_t *error) {
    if (error) {
        *error = NSAPI_ERROR_UNSUPPORTED;
    }
    return NULL;
}

nsapi_error_t InternetDatagramSocket::listen(int) {
    return NSAPI_ERROR_UNSUPPORTED;
}
