// MeshInterfaceNanostack and InterfaceNanostack: the Mbed surface over MeshConnection.
#include "MeshInterfaceNanostack.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "MeshConnection.h"
#include "meshwork/Executor.h"
#include "meshwork/config/ApplicationConfiguration.h"
#include "meshwork/sim/NodeContext.h"

namespace {

// The configuration of "this device": the node's on a simulated node, else the process's.
const meshwork::config::Configuration &current_configuration() {
    if (meshwork::sim::NodeContext *node = meshwork::current_node_context()) {
        return node->config();
    }
    return meshwork::config::application_configuration();
}

}  // namespace

nsapi_error_t InterfaceNanostack::set_file_system_root_path(const char *root_path) {
    (void)root_path;
    return NSAPI_ERROR_OK;
}

MeshInterfaceNanostack::MeshInterfaceNanostack()
    : _connection(std::make_unique<meshwork::meshapi::MeshConnection>()) {}

MeshInterfaceNanostack::MeshInterfaceNanostack(NanostackRfPhy *phy)
    : _phy(phy), _connection(std::make_unique<meshwork::meshapi::MeshConnection>()) {}

MeshInterfaceNanostack::~MeshInterfaceNanostack() = default;

nsapi_error_t MeshInterfaceNanostack::initialize(NanostackRfPhy *phy) {
    if (_phy != nullptr && phy != nullptr && _phy != phy) {
        // Mbed raises a fatal error here; its nominal return is this.
        return NSAPI_ERROR_IS_CONNECTED;
    }
    if (phy != nullptr) {
        _phy = phy;
    }
    return _phy != nullptr ? do_initialize() : NSAPI_ERROR_PARAMETER;
}

nsapi_error_t MeshInterfaceNanostack::connect() {
    const nsapi_error_t err = do_initialize();
    if (err != NSAPI_ERROR_OK) {
        return err;
    }
    meshwork::meshapi::MeshStartRequest request;
    std::vector<std::string> &errors = _connection->settings_errors();
    errors.clear();
    if (const auto &imposed = _connection->settings_override()) {
        request.settings = *imposed;
        errors = imposed->validate();
    } else {
        request.settings = meshwork::meshapi::LowpanNdSettings::from_configuration(
            current_configuration(), errors);
    }
    if (!errors.empty()) {
        return NSAPI_ERROR_PARAMETER;
    }
    request.eui64 = _connection->eui64();
    return _connection->connect(request);
}

nsapi_error_t MeshInterfaceNanostack::disconnect() {
    if (!_connection->initialized()) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    return _connection->disconnect();
}

nsapi_error_t MeshInterfaceNanostack::get_ip_address(SocketAddress *address) {
    meshwork::meshapi::MeshBackend *b = _connection->backend();
    if (b == nullptr || !_connection->initialized()) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    if (address == nullptr) {
        return NSAPI_ERROR_PARAMETER;
    }
    return b->global_address(address) ? NSAPI_ERROR_OK : NSAPI_ERROR_NO_ADDRESS;
}

nsapi_error_t MeshInterfaceNanostack::get_ipv6_link_local_address(SocketAddress *address) {
    meshwork::meshapi::MeshBackend *b = _connection->backend();
    if (b == nullptr || !_connection->initialized()) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    if (address == nullptr) {
        return NSAPI_ERROR_PARAMETER;
    }
    return b->link_local_address(address) ? NSAPI_ERROR_OK : NSAPI_ERROR_NO_ADDRESS;
}

const char *MeshInterfaceNanostack::get_mac_address() {
    if (_phy == nullptr) {
        return nullptr;
    }
    uint8_t m[8] = {};
    if (const auto &chosen = _connection->eui64()) {
        std::copy(chosen->begin(), chosen->end(), m);
    } else {
        _phy->get_mac_address(m);
    }
    std::snprintf(_mac_text, sizeof _mac_text, "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x", m[0],
                  m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
    return _mac_text;
}

nsapi_error_t MeshInterfaceNanostack::set_mac_address(uint8_t *mac_addr, nsapi_size_t addr_len) {
    if (mac_addr == nullptr || addr_len != 8) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (_interface_id >= 0) {
        return NSAPI_ERROR_BUSY;  // the radio is registered: too late
    }
    std::array<uint8_t, 8> e{};
    std::copy(mac_addr, mac_addr + 8, e.begin());
    _connection->set_eui64(e);
    if (_phy != nullptr) {
        _phy->set_mac_address(mac_addr);
    }
    return NSAPI_ERROR_OK;
}

nsapi_error_t MeshInterfaceNanostack::get_netmask(SocketAddress *address) {
    return NSAPI_ERROR_UNSUPPORTED;
}

char *MeshInterfaceNanostack::get_interface_name(char *interface_name) {
    if (_interface_id < 0 || interface_name == nullptr) {
        return nullptr;
    }
    char name[16];
    std::snprintf(name, sizeof name, "MES%d", _interface_id);
    std::memcpy(interface_name, name, NSAPI_INTERFACE_NAME_MAX_SIZE - 1);
    interface_name[NSAPI_INTERFACE_NAME_MAX_SIZE - 1] = '\0';
    return interface_name;
}

void MeshInterfaceNanostack::attach(mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb) {
    _connection->attach(status_cb);
}

nsapi_connection_status_t MeshInterfaceNanostack::get_connection_status() const {
    return _connection->status();
}

nsapi_error_t MeshInterfaceNanostack::set_blocking(bool blocking) {
    _connection->set_blocking(blocking);
    return NSAPI_ERROR_OK;
}

int8_t MeshInterfaceNanostack::get_interface_id() const {
    return _interface_id;
}

NetworkStack *MeshInterfaceNanostack::get_stack() {
    meshwork::meshapi::MeshBackend *b = _connection->backend();
    if (b == nullptr && _phy != nullptr) {
        b = _phy->meshwork_backend();  // sockets may be opened before connect()
    }
    return b != nullptr ? b->network_stack() : nullptr;
}
