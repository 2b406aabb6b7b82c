// Kernel errno -> nsapi_error_t, following the reference stack's mapping that the Mbed tests
// encode (mbed-api.md 1.17 and section 7). The operation matters: every bind failure is
// PARAMETER there, while the same errno elsewhere may mean something else.
#pragma once

#include "nsapi_types.h"

namespace meshwork::host {

enum class SocketOp {
    kOpen,  // socket(), accept(): descriptor exhaustion is NO_SOCKET
    kBind,  // in use, not local, wrong family, already bound: PARAMETER
    kConnect,
    kIo,      // send/recv/sendto/recvfrom
    kOption,  // setsockopt/getsockopt
};

/// The nsapi error for `err` (a positive errno value) raised by `op`. Never returns OK.
nsapi_error_t nsapi_error_from_errno(int err, SocketOp op);

}  // namespace meshwork::host
