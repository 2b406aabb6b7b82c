/*
 * meshwork: Mbed's LoWPANNDInterface, a node of a 6LoWPAN-ND mesh (RFC 6775 / RFC 8505
 * registration, RPL routing), configured from mbed-mesh-api.6lowpan-nd-* and heap-size
 * (docs/mesh-api.md). Thin and final over MeshInterfaceNanostack, as in Mbed OS 6.
 */
#ifndef LOWPANNDINTERFACE_H
#define LOWPANNDINTERFACE_H

#include "MeshInterfaceNanostack.h"

/** A 6LoWPAN-ND mesh interface. */
class LoWPANNDInterface final : public MeshInterfaceNanostack {
  public:
    /** Without a radio: initialize(&phy) before connect(), as on Mbed OS 6. */
    LoWPANNDInterface() = default;
    /** With a radio (Mbed OS 5.9's public constructor). */
    explicit LoWPANNDInterface(NanostackRfPhy *phy) : MeshInterfaceNanostack(phy) {}

    /**
     * Copies the border router's address as text into `address` (`len` bytes, 40 suffice).
     * False when not connected or `len` is too small.
     */
    bool getRouterIpAddress(char *address, int8_t len);

    /** The border router's address (LoWPAN-ND's gateway); NO_CONNECTION when not connected. */
    nsapi_error_t get_gateway(SocketAddress *address) override;
    using NetworkInterface::get_gateway;

  protected:
    nsapi_error_t do_initialize() override;
};

#endif /* LOWPANNDINTERFACE_H */
