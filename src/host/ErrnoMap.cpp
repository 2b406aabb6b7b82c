#include "ErrnoMap.h"

#include <cerrno>

namespace meshwork::host {

nsapi_error_t nsapi_error_from_errno(int err, SocketOp op) {
    // Resource exhaustion is reported the same way by every operation.
    switch (err) {
        case ENOMEM:
        case ENOBUFS:
            return NSAPI_ERROR_NO_MEMORY;
        case EMFILE:
        case ENFILE:
            return NSAPI_ERROR_NO_SOCKET;
        case EBADF:
        case ENOTSOCK:
            return NSAPI_ERROR_NO_SOCKET;
        default:
            break;
    }
    if (op == SocketOp::kBind) {
        return NSAPI_ERROR_PARAMETER;  // EADDRINUSE, EADDRNOTAVAIL, EAFNOSUPPORT, EINVAL, EACCES
    }
    switch (err) {
        case EAGAIN:
#if EWOULDBLOCK != EAGAIN
        case EWOULDBLOCK:
#endif
            return NSAPI_ERROR_WOULD_BLOCK;
        case EINPROGRESS:
            return NSAPI_ERROR_IN_PROGRESS;
        case EALREADY:
            return NSAPI_ERROR_ALREADY;
        case EISCONN:
            return NSAPI_ERROR_IS_CONNECTED;
        case ECONNREFUSED:
        case ECONNRESET:
        case ECONNABORTED:
        case ENOTCONN:
        case EPIPE:
        case ETIMEDOUT:
        case EHOSTUNREACH:
        case ENETUNREACH:
        case EHOSTDOWN:
        case ENETDOWN:
        case ENETRESET:
            return NSAPI_ERROR_NO_CONNECTION;
        case EDESTADDRREQ:
            return NSAPI_ERROR_NO_ADDRESS;
        case EADDRINUSE:
        case EADDRNOTAVAIL:
        case EAFNOSUPPORT:
        case EINVAL:
        case EACCES:
        case EPERM:
        case EMSGSIZE:
        case EFAULT:
            return NSAPI_ERROR_PARAMETER;
        case ENOPROTOOPT:
        case EOPNOTSUPP:
        case EPROTONOSUPPORT:
        case ESOCKTNOSUPPORT:
            return NSAPI_ERROR_UNSUPPORTED;
        default:
            return NSAPI_ERROR_DEVICE_ERROR;
    }
}

}  // namespace meshwork::host
