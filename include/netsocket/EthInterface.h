/*
 * meshwork: Mbed-compatible EthInterface, the common base of Ethernet interfaces.
 */
#ifndef ETH_INTERFACE_H
#define ETH_INTERFACE_H

#include "NetworkInterface.h"

/** An Ethernet network interface. */
class EthInterface : public virtual NetworkInterface {
  public:
    EthInterface *ethInterface() final { return this; }

    /**
     * The default Ethernet interface. Weak: applications and backends may define their own. The
     * library's version returns get_target_default_instance().
     */
    static EthInterface *get_default_instance();

  protected:
    /**
     * The target's Ethernet interface. Weak; the library's version returns a function-static
     * EthernetInterface over the default EMAC and OnboardNetworkStack.
     */
    static EthInterface *get_target_default_instance();
};

#endif /* ETH_INTERFACE_H */
