// TCPSocket: Mbed's connect / send / recv / accept algorithms over non-blocking stack hooks.
#include "netsocket/TCPSocket.h"

#include <new>

TCPSocket::TCPSocket() = default;

TCPSocket::TCPSocket(TCPSocket *parent, nsapi_socket_t handle, SocketAddress address) {
    _factory_allocated = true;
    _remote_peer = address;
    _lock.lock();
    adopt(parent->_stack, handle);
    _lock.unlock();
}

TCPSocket::~TCPSocket() = default;

nsapi_protocol_t TCPSocket::get_proto() {
    return NSAPI_TCP;
}

int TCPSocket::join_multicast_group(const SocketAddress &) {
    return NSAPI_ERROR_UNSUPPORTED;
}

nsapi_error_t TCPSocket::connect(const char *host, uint16_t port) {
    _lock.lock();
    NetworkStack *stack = _socket ? _stack : NULL;
    const char *interface_name = _interface_name[0] ? _interface_name : NULL;
    char name_copy[sizeof _interface_name] = {};
    if (interface_name) {
        for (size_t i = 0; i < sizeof name_copy; ++i) {
            name_copy[i] = _interface_name[i];
        }
        interface_name = name_copy;
    }
    _lock.unlock();
    if (!stack) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    // Resolve without the socket lock: a name lookup may block for seconds.
    SocketAddress address;
    if (!host ||
        stack->gethostbyname(host, &address, NSAPI_UNSPEC, interface_name) != NSAPI_ERROR_OK) {
        return NSAPI_ERROR_DNS_FAILURE;
    }
    address.set_port(port);
    return connect(address);
}

nsapi_error_t TCPSocket::connect(const SocketAddress &address) {
    _lock.lock();
    nsapi_error_t ret;
    bool waited = false;
    _writers++;
    while (true) {
        if (!_socket) {
            ret = NSAPI_ERROR_NO_SOCKET;
            break;
        }
        begin_attempt(WRITE_FLAG);
        ret = _stack->socket_connect(_socket, address);
        if (_timeout == 0 || (ret != NSAPI_ERROR_IN_PROGRESS && ret != NSAPI_ERROR_ALREADY)) {
            break;
        }
        waited = true;
        if (!wait_for(WRITE_FLAG)) {
            break;  // timed out: the last answer (IN_PROGRESS or ALREADY) stands
        }
    }
    _writers--;
    leave_blocking_call();
    // A POSIX-like stack answers IS_CONNECTED once a pending connect completes.
    if (ret == NSAPI_ERROR_IS_CONNECTED && waited) {
        ret = NSAPI_ERROR_OK;
    }
    if (ret == NSAPI_ERROR_OK || ret == NSAPI_ERROR_IN_PROGRESS) {
        _remote_peer = address;
    }
    _lock.unlock();
    return ret;
}

nsapi_size_or_error_t TCPSocket::send(const void *data, nsapi_size_t size) {
    _lock.lock();
    const uint8_t *bytes = static_cast<const uint8_t *>(data);
    nsapi_size_or_error_t ret;
    nsapi_size_t written = 0;
    _writers++;
    while (true) {
        if (!_socket) {
            ret = NSAPI_ERROR_NO_SOCKET;
            break;
        }
        begin_attempt(WRITE_FLAG);
        ret = _stack->socket_send(_socket, bytes ? bytes + written : NULL, size - written);
        if (ret > 0) {
            written += static_cast<nsapi_size_t>(ret);
        }
        if (written >= size || _timeout == 0) {
            break;
        }
        if (ret < 0 && ret != NSAPI_ERROR_WOULD_BLOCK) {
            break;
        }
        if (ret == NSAPI_ERROR_WOULD_BLOCK || ret == 0) {
            if (!wait_for(WRITE_FLAG)) {
                break;
            }
        }
    }
    _writers--;
    leave_blocking_call();
    _lock.unlock();

    if (ret < 0 && ret != NSAPI_ERROR_WOULD_BLOCK) {
        return ret;  // a hard error discards partial progress, as on Mbed
    }
    if (size == 0) {
        return ret;
    }
    if (written == 0) {
        return NSAPI_ERROR_WOULD_BLOCK;
    }
    return static_cast<nsapi_size_or_error_t>(written);
}

nsapi_size_or_error_t TCPSocket::recv(void *data, nsapi_size_t size) {
    return retry_while_would_block(READ_FLAG,
                                   [&] { return _stack->socket_recv(_socket, data, size); });
}

nsapi_size_or_error_t TCPSocket::sendto(const SocketAddress &, const void *data,
                                        nsapi_size_t size) {
    return send(data, size);
}

nsapi_size_or_error_t TCPSocket::recvfrom(SocketAddress *address, void *data, nsapi_size_t size) {
    if (address) {
        _lock.lock();
        *address = _remote_peer;
        _lock.unlock();
    }
    return recv(data, size);
}

nsapi_size_or_error_t TCPSocket::sendto_control(const SocketAddress &address, const void *data,
                                                nsapi_size_t size, nsapi_msghdr_t *control,
                                                nsapi_size_t) {
    if (control) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    return sendto(address, data, size);
}

nsapi_size_or_error_t TCPSocket::recvfrom_control(SocketAddress *address, void *data,
                                                  nsapi_size_t size, nsapi_msghdr_t *control,
                                                  nsapi_size_t) {
    if (control) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    return recvfrom(address, data, size);
}

nsapi_error_t TCPSocket::listen(int backlog) {
    _lock.lock();
    nsapi_error_t ret = _socket ? _stack->socket_listen(_socket, backlog) : NSAPI_ERROR_NO_SOCKET;
    _lock.unlock();
    return ret;
}

TCPSocket *TCPSocket::accept(nsapi_error_t *error) {
    TCPSocket *connection = NULL;
    nsapi_error_t ret = retry_while_would_block(READ_FLAG, [&] {
        nsapi_socket_t handle = NULL;
        SocketAddress address;
        nsapi_error_t accepted = _stack->socket_accept(_socket, &handle, &address);
        if (accepted == NSAPI_ERROR_OK) {
            connection = new (std::nothrow) TCPSocket(this, handle, address);
            if (!connection) {
                _stack->socket_close(handle);
                accepted = NSAPI_ERROR_NO_MEMORY;
            }
        }
        return accepted;
    });
    if (error) {
        *error = ret;
    }
    return connection;
}
