/*
 * meshwork: Mbed-compatible EMAC, the Ethernet MAC driver interface under an onboard stack.
 *
 * Applications rarely use it; it exists so that EthernetInterface's default arguments
 * (EMAC::get_default_instance()) compile and so that a stack can drive a real link.
 */
#ifndef EMAC_H
#define EMAC_H

#include <stdint.h>

#include "EMACMemoryManager.h"
#include "platform/Callback.h"

/** An Ethernet MAC driver. */
class EMAC {
  public:
    typedef mbed::Callback<void(emac_mem_buf_t *buf)> emac_link_input_cb_t;
    typedef mbed::Callback<void(bool up)> emac_link_state_change_cb_t;

    /**
     * The target's EMAC. Weak: the library's version returns a driver with no link (power_up()
     * fails, frames are dropped); a backend or application may define its own.
     */
    static EMAC &get_default_instance();

    virtual ~EMAC() = default;

    /** Initialises the hardware; false on failure. */
    virtual bool power_up() = 0;
    /** Shuts the hardware down. */
    virtual void power_down() = 0;
    /** Largest payload (IP packet) size. */
    virtual uint32_t get_mtu_size() const = 0;
    /** Preferred buffer alignment for link_out. */
    virtual uint32_t get_align_preference() const = 0;
    /** Copies the interface name (at most `size` bytes including the terminator). */
    virtual void get_ifname(char *name, uint8_t size) const = 0;
    /** Length of the hardware address (6 for Ethernet). */
    virtual uint8_t get_hwaddr_size() const = 0;
    /** Reads the hardware address; false if the driver has none of its own. */
    virtual bool get_hwaddr(uint8_t *addr) const = 0;
    /** Sets the hardware address. */
    virtual void set_hwaddr(const uint8_t *addr) = 0;
    /** Sends a frame; the driver frees `buf`. False on failure. */
    virtual bool link_out(emac_mem_buf_t *buf) = 0;
    /** Registers the receive callback. */
    virtual void set_link_input_cb(emac_link_input_cb_t input_cb) = 0;
    /** Registers the link up/down callback. */
    virtual void set_link_state_cb(emac_link_state_change_cb_t state_cb) = 0;
    /** Joins a multicast MAC group. */
    virtual void add_multicast_group(const uint8_t *address) = 0;
    /** Leaves a multicast MAC group. */
    virtual void remove_multicast_group(const uint8_t *address) = 0;
    /** Receives all multicast frames when true. */
    virtual void set_all_multicast(bool all) = 0;
    /** Sets the buffer manager used for received frames. */
    virtual void set_memory_manager(EMACMemoryManager &mem_mngr) = 0;
};

#endif /* EMAC_H */
