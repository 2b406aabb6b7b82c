// Default-instance selection of the interface classes (the Mbed compatibility edge: the only
// place holding process-wide interface singletons). Every function is weak, so an application
// or a backend can define its own.
//
// The choice of NetworkInterface::get_target_default_instance() follows
// MBED_CONF_TARGET_NETWORK_DEFAULT_INTERFACE_TYPE: the tokens ETHERNET, WIFI, MESH and CELLULAR
// are defined to distinct numbers here so the configured token can be compared in #if (an
// undefined macro counts as ETHERNET, the Linux default). Because this file is compiled into the
// library, an application build that wants another type compiles this file again with its
// mbed_config.h; the application's copy is linked first and wins.
#include "CellularInterface.h"
#include "EthInterface.h"
#include "EthernetInterface.h"
#include "MeshInterface.h"
#include "NetworkInterface.h"
#include "WiFiInterface.h"
#include "platform/mbed_toolchain.h"

#define ETHERNET 1
#define WIFI 2
#define MESH 3
#define CELLULAR 4

#ifndef MBED_CONF_TARGET_NETWORK_DEFAULT_INTERFACE_TYPE
#define MBED_CONF_TARGET_NETWORK_DEFAULT_INTERFACE_TYPE ETHERNET
#endif

MBED_WEAK NetworkInterface *NetworkInterface::get_default_instance() {
    return get_target_default_instance();
}

MBED_WEAK EthInterface *EthInterface::get_default_instance() {
    return get_target_default_instance();
}

MBED_WEAK EthInterface *EthInterface::get_target_default_instance() {
    // Constructed on first use, with the default EMAC and OnboardNetworkStack.
    static EthernetInterface ethernet;
    return &ethernet;
}

MBED_WEAK MeshInterface *MeshInterface::get_default_instance() {
    return get_target_default_instance();
}

MBED_WEAK MeshInterface *MeshInterface::get_target_default_instance() {
    return nullptr;
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

#if MBED_CONF_TARGET_NETWORK_DEFAULT_INTERFACE_TYPE == ETHERNET
MBED_WEAK NetworkInterface *NetworkInterface::get_target_default_instance() {
    return EthInterface::get_default_instance();
}
#elif MBED_CONF_TARGET_NETWORK_DEFAULT_INTERFACE_TYPE == WIFI
MBED_WEAK NetworkInterface *NetworkInterface::get_target_default_instance() {
    // WiFi cannot work without credentials, so it is only offered when they are configured.
#ifdef MBED_CONF_NSAPI_DEFAULT_WIFI_SSID
    WiFiInterface *wifi = WiFiInterface::get_default_instance();
    if (wifi) {
        wifi->set_default_parameters();
    }
    return wifi;
#else
    return nullptr;
#endif
}
#elif MBED_CONF_TARGET_NETWORK_DEFAULT_INTERFACE_TYPE == MESH
MBED_WEAK NetworkInterface *NetworkInterface::get_target_default_instance() {
    return MeshInterface::get_default_instance();
}
#elif MBED_CONF_TARGET_NETWORK_DEFAULT_INTERFACE_TYPE == CELLULAR
MBED_WEAK NetworkInterface *NetworkInterface::get_target_default_instance() {
    CellularInterface *cellular = CellularInterface::get_default_instance();
    if (cellular) {
        cellular->set_default_parameters();
    }
    return cellular;
}
#else
MBED_WEAK NetworkInterface *NetworkInterface::get_target_default_instance() {
    return nullptr;
}
#endif
