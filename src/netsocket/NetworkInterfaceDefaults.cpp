// Default-instance selection of the interface classes (the Mbed compatibility edge: the only
// place holding process-wide interface singletons). Every function is weak, so an application
// or a backend can define its own.
//
// NetworkInterface::get_target_default_instance() follows the application's
// target.network-default-interface-type, read at run time from its configuration
// (meshwork/config/ApplicationConfiguration.h), so the precompiled library honours every
// application's mbed_app.json.
#include "CellularInterface.h"
#include "EthInterface.h"
#include "EthernetInterface.h"
#include "MeshInterface.h"
#include "NetworkInterface.h"
#include "WiFiInterface.h"
#include "meshwork/Executor.h"
#include "meshwork/config/ApplicationConfiguration.h"
#include "meshwork/sim/NodeContext.h"
#include "platform/mbed_toolchain.h"

MBED_WEAK NetworkInterface *NetworkInterface::get_default_instance() {
    // A simulated device's own interface (its task carries the node); the process's otherwise.
    if (meshwork::sim::NodeContext *node = meshwork::current_node_context()) {
        return node->default_interface;
    }
    return get_target_default_instance();
}

MBED_WEAK EthInterface *EthInterface::get_default_instance() {
    if (meshwork::sim::NodeContext *node = meshwork::current_node_context()) {
        return node->default_interface ? node->default_interface->ethInterface() : nullptr;
    }
    return get_target_default_instance();
}

MBED_WEAK EthInterface *EthInterface::get_target_default_instance() {
    // Constructed on first use, with the default EMAC and OnboardNetworkStack.
    static EthernetInterface ethernet;
    return &ethernet;
}

MBED_WEAK MeshInterface *MeshInterface::get_default_instance() {
    // get_target_default_instance() is a weak reference: defined by the mesh library
    // (src/mesh/api, linked whole by meshwork::mesh) or the application, else null. Not
    // defined here, so that neither has to win against a second weak definition.
    if (&MeshInterface::get_target_default_instance == nullptr) {
        return nullptr;
    }
    return get_target_default_instance();
}

MBED_WEAK WiFiInterface *WiFiInterface::get_default_instance() {
    return get_target_default_instance();
}

MBED_WEAK WiFiInterface *WiFiInterface::get_target_default_instance() {
    return nullptr;
}

MBED_WEAK CellularInterface *CellularInterface::get_default_instance() {
    return get_target_default_instance();
}

MBED_WEAK CellularInterface *CellularInterface::get_target_default_instance() {
    return nullptr;
}

MBED_WEAK NetworkInterface *NetworkInterface::get_target_default_instance() {
    using meshwork::config::InterfaceType;
    const meshwork::config::Configuration &config = meshwork::config::application_configuration();
    switch (config.target.network_default_interface_type) {
        case InterfaceType::kEthernet:
            return EthInterface::get_default_instance();
        case InterfaceType::kWifi: {
            // WiFi cannot work without credentials, so it is only offered when they are set.
            if (!config.nsapi.default_wifi_ssid) {
                return nullptr;
            }
            WiFiInterface *wifi = WiFiInterface::get_default_instance();
            if (wifi) {
                wifi->set_default_parameters();
            }
            return wifi;
        }
        case InterfaceType::kMesh:
            return MeshInterface::get_default_instance();
        case InterfaceType::kCellular: {
            CellularInterface *cellular = CellularInterface::get_default_instance();
            if (cellular) {
                cellular->set_default_parameters();
            }
            return cellular;
        }
        case InterfaceType::kNone:
            break;
    }
    return nullptr;
}
