// PPP entry points: no PPP backend exists, so connecting is unsupported.
#include "nsapi_ppp.h"

namespace mbed {

NetworkStack *nsapi_ppp_get_stack() {
    return nullptr;
}

nsapi_error_t nsapi_ppp_set_blocking(bool) {
    return NSAPI_ERROR_OK;
}

nsapi_error_t nsapi_ppp_connect(FileHandle *, mbed::Callback<void(nsapi_event_t, intptr_t)>,
                                const char *, const char *, const nsapi_ip_stack_t) {
    return NSAPI_ERROR_UNSUPPORTED;
}

nsapi_error_t nsapi_ppp_disconnect(FileHandle *) {
    return NSAPI_ERROR_NO_CONNECTION;
}

const char *nsapi_ppp_get_ip_addr(FileHandle *) {
    return nullptr;
}

const char *nsapi_ppp_get_netmask(FileHandle *) {
    return nullptr;
}

const char *nsapi_ppp_get_gw_addr(FileHandle *) {
    return nullptr;
}

}  // namespace mbed
