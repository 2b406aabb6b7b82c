// TCPServer: the 5.x accept-into-a-socket form on top of TCPSocket.
#include "netsocket/TCPServer.h"

TCPServer::TCPServer() = default;

TCPServer::~TCPServer() = default;

nsapi_error_t TCPServer::accept(TCPSocket *connection, SocketAddress *address) {
    if (!connection) {
        return NSAPI_ERROR_PARAMETER;
    }
    _lock.lock();
    nsapi_error_t ret;
    _readers++;
    while (true) {
        if (!_socket) {
            ret = NSAPI_ERROR_NO_SOCKET;
            break;
        }
        begin_attempt(READ_FLAG);
        nsapi_socket_t handle = NULL;
        SocketAddress peer;
        ret = _stack->socket_accept(_socket, &handle, &peer);
        if (ret == NSAPI_ERROR_OK) {
            // Re-initialise the passed socket (closing it first, without our lock held on it).
            connection->close();
            connection->_lock.lock();
            connection->_remote_peer = peer;
            connection->_pending = false;
            connection->_event_flag.clear();
            connection->adopt(_stack, handle);
            connection->_lock.unlock();
            if (address) {
                *address = peer;
            }
            break;
        }
        if (_timeout == 0 || ret != NSAPI_ERROR_WOULD_BLOCK) {
            break;
        }
        if (!wait_for(READ_FLAG)) {
            ret = NSAPI_ERROR_WOULD_BLOCK;
            break;
        }
    }
    _readers--;
    leave_blocking_call();
    _lock.unlock();
    return ret;
}
