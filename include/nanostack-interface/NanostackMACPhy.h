/*
 * meshwork: Mbed's NanostackMACPhy, a PHY with a MAC address (radio or Ethernet).
 */
#ifndef NANOSTACK_MAC_PHY_H_
#define NANOSTACK_MAC_PHY_H_

#include "NanostackPhy.h"

/** A PHY that has a MAC address. */
class NanostackMACPhy : public NanostackPhy {
  public:
    NanostackMACPhy *nanostack_mac_phy() final { return this; }
};

#endif /* NANOSTACK_MAC_PHY_H_ */
