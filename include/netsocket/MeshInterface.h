/*
 * meshwork: Mbed-compatible MeshInterface, the common base of mesh (6LoWPAN, Thread)
 * interfaces.
 */
#ifndef MESH_INTERFACE_H
#define MESH_INTERFACE_H

#include "NetworkInterface.h"

/** A mesh network interface. */
class MeshInterface : public virtual NetworkInterface {
  public:
    MeshInterface *meshInterface() final { return this; }

    /**
     * The default mesh interface. Weak; the library's version returns
     * get_target_default_instance().
     */
    static MeshInterface *get_default_instance();

  protected:
    /**
     * The target's mesh interface, chosen by MBED_CONF_NSAPI_DEFAULT_MESH_TYPE. Weak: the mesh
     * library (meshwork::mesh) defines it, an application may replace it; without either,
     * get_default_instance() returns NULL.
     */
    MBED_WEAK static MeshInterface *get_target_default_instance();
};

#endif /* MESH_INTERFACE_H */
