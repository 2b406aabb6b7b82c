/*
 * meshwork: Mbed's NanostackRfPhy, the IEEE 802.15.4 radio a mesh interface is initialised
 * with (MeshInterfaceNanostack::initialize()).
 *
 * On meshwork the radio of a simulated node is its mesh backend (the node's MAC, 6LoWPAN,
 * 6LoWPAN-ND and RPL, composed by the simulation): get_default_instance() on a node's task
 * returns that node's radio; in a process without a simulation it returns a radio without a
 * backend, with which connect() answers NSAPI_ERROR_UNSUPPORTED (docs/mesh-api.md).
 */
#ifndef NANOSTACK_RF_PHY_H_
#define NANOSTACK_RF_PHY_H_

#include "NanostackMACPhy.h"

namespace meshwork {
namespace meshapi {
class MeshBackend;
}
}  // namespace meshwork

/** An IEEE 802.15.4 radio driver. */
class NanostackRfPhy : public NanostackMACPhy {
  public:
    /** Registers the radio; a device id >= 0, or negative on failure. */
    virtual int8_t rf_register() = 0;

    /** Unregisters the radio. */
    virtual void rf_unregister() = 0;

    int8_t phy_register() override { return rf_register(); }

    /** Same as rf_unregister(). */
    void unregister() { rf_unregister(); }

    /**
     * The target's default radio. Weak: an application may define its own. On a simulated node,
     * the node's radio; elsewhere a radio without a mesh backend.
     */
    static NanostackRfPhy &get_default_instance();

    /** meshwork: the mesh backend behind this radio, or NULL (a real driver has none). */
    virtual meshwork::meshapi::MeshBackend *meshwork_backend() { return NULL; }
};

#endif /* NANOSTACK_RF_PHY_H_ */
