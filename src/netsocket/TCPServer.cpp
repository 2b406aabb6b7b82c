// TCPServer: the 5.x accept-into-a-socket form on top of TCPSocket.
#include "netsocket/TCPServer.h"

TCPServer::TCPServer() = default;

TCPServer::~TCPServer() = default;

nsapi_error_t TCPServer::accept(TCPSocket *connection, SocketAddress *address) {
    if (!connection) {
        return NSAPI_ERROR_PARAMETER;
    }
    return retry_while_would_block(READ_FLAG, [&] {
        nsapi_socket_t handle = NULL;
        SocketAddress peer;
        nsapi_error_t ret = _stack->socket_accept(_socket, &handle, &peer);
        if (ret == NSAPI_ERROR_OK) {
            // Re-initialise the passed socket (closing it first, without our lock held on it).
            connection->close();
            connection->_lock.lock();
            connection->_remote_peer = peer;
            connection->_pending = false;
            connection->_flags = 0;
            connection->adopt(_stack, handle);
            connection->_lock.unlock();
            if (address) {
                *address = peer;
            }
        }
        return ret;
    });
}
