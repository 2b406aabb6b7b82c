/*
 * meshwork: Mbed-compatible PPP entry points. There is no PPP backend: connecting returns
 * NSAPI_ERROR_UNSUPPORTED and the getters return NULL.
 */
#ifndef NSAPI_PPP_H
#define NSAPI_PPP_H

#include "nsapi_types.h"
#include "platform/Callback.h"

class NetworkStack;

namespace mbed {

class FileHandle;

/** The PPP stack, or NULL when there is none. */
NetworkStack *nsapi_ppp_get_stack();

/** Sets blocking mode of PPP connect. */
nsapi_error_t nsapi_ppp_set_blocking(bool blocking);

/** Starts PPP over `stream`. UNSUPPORTED. */
nsapi_error_t nsapi_ppp_connect(FileHandle *stream,
                                mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb = nullptr,
                                const char *uname = 0, const char *pwd = 0,
                                const nsapi_ip_stack_t stack = DEFAULT_STACK);

/** Stops PPP on `stream`. NO_CONNECTION. */
nsapi_error_t nsapi_ppp_disconnect(FileHandle *stream);

/** Addresses of the PPP link as text, or NULL. */
const char *nsapi_ppp_get_ip_addr(FileHandle *stream);
const char *nsapi_ppp_get_netmask(FileHandle *stream);
const char *nsapi_ppp_get_gw_addr(FileHandle *stream);

}  // namespace mbed

#endif /* NSAPI_PPP_H */
