/*
 * meshwork: Mbed-compatible EthernetInterface: an EMACInterface that is also an EthInterface.
 * With the default arguments it uses the default EMAC and the default OnboardNetworkStack (on
 * Linux: the host backend, once it is linked in).
 */
#ifndef ETHERNET_INTERFACE_H
#define ETHERNET_INTERFACE_H

#include "nsapi.h"
#include "EMACInterface.h"
#include "EthInterface.h"

/** An Ethernet interface. */
class EthernetInterface : public EMACInterface, public EthInterface {
  public:
    EthernetInterface(EMAC &emac = EMAC::get_default_instance(),
                      OnboardNetworkStack &stack = OnboardNetworkStack::get_default_instance())
        : EMACInterface(emac, stack) {}
};

#endif /* ETHERNET_INTERFACE_H */
