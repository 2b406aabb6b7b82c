/*
 * meshwork: Mbed's NanostackPhy, the base of the PHY drivers a Nanostack interface registers
 * (reference mbed-api.md section 3.1, "PHY side").
 */
#ifndef NANOSTACK_PHY_H_
#define NANOSTACK_PHY_H_

#include <stdint.h>

class NanostackMACPhy;

/** A PHY driver for a Nanostack interface. */
class NanostackPhy {
  public:
    /** Registers the driver with the stack; a device id >= 0, or negative on failure. */
    virtual int8_t phy_register() = 0;

    /** The driver's MAC address (8 bytes for an 802.15.4 radio). */
    virtual void get_mac_address(uint8_t *mac) = 0;

    /** Sets the MAC address; before phy_register(). */
    virtual void set_mac_address(uint8_t *mac) = 0;

    /** This PHY as a MAC PHY, or NULL. */
    virtual NanostackMACPhy *nanostack_mac_phy() { return NULL; }

  protected:
    NanostackPhy() {}
    virtual ~NanostackPhy() {}
};

#endif /* NANOSTACK_PHY_H_ */
