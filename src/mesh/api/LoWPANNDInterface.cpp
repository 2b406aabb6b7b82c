// LoWPANNDInterface: initialisation over the radio's backend, and the border router's address.
#include "LoWPANNDInterface.h"

#include <cstring>

#include "MeshConnection.h"

nsapi_error_t LoWPANNDInterface::do_initialize() {
    if (_phy == nullptr) {
        return NSAPI_ERROR_PARAMETER;
    }
    meshwork::meshapi::MeshBackend *backend = _phy->meshwork_backend();
    if (backend == nullptr) {
        // A radio without a mesh stack behind it: a host process outside a simulation.
        return NSAPI_ERROR_UNSUPPORTED;
    }
    if (_interface_id < 0) {
        const int8_t id = _phy->rf_register();
        if (id < 0) {
            return NSAPI_ERROR_DEVICE_ERROR;
        }
        _interface_id = id;
    }
    _connection->set_backend(backend);
    return NSAPI_ERROR_OK;
}

bool LoWPANNDInterface::getRouterIpAddress(char *address, int8_t len) {
    SocketAddress router;
    if (address == nullptr || get_gateway(&router) != NSAPI_ERROR_OK) {
        return false;
    }
    const char *text = router.get_ip_address();
    if (text == nullptr || std::strlen(text) >= static_cast<std::size_t>(len < 0 ? 0 : len)) {
        return false;
    }
    std::strcpy(address, text);
    return true;
}

nsapi_error_t LoWPANNDInterface::get_gateway(SocketAddress *address) {
    meshwork::meshapi::MeshBackend *b = _connection->backend();
    if (address == nullptr) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (b == nullptr || !_connection->started() || !b->border_router_address(address)) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    return NSAPI_ERROR_OK;
}
