/*
 * meshwork: Mbed's InterfaceNanostack and MeshInterfaceNanostack, the base of the mesh
 * interfaces (LoWPANNDInterface), with Nanostack's connect / status semantics (reference
 * mbed-api.md sections 3.1 and 3.2; docs/mesh-api.md):
 *
 * - connect() starts joining through the radio's mesh backend. Blocking (the default) it
 *   waits, without a time limit, until the mesh reports itself connected; non-blocking
 *   (set_blocking(false)) it returns NSAPI_ERROR_OK at once and progress arrives through the
 *   status callback: NSAPI_STATUS_CONNECTING, then LOCAL_UP and/or GLOBAL_UP.
 * - connect() while joining or connected: NSAPI_ERROR_IS_CONNECTED (Nanostack's
 *   MESH_ERROR_STATE). After a failed start (MESH_BOOTSTRAP_START_FAILED) or a failed attempt
 *   (MESH_BOOTSTRAP_FAILED), connect() may be called again without disconnect().
 * - disconnect() stops the mesh (NSAPI_STATUS_DISCONNECTED); NSAPI_ERROR_NO_CONNECTION when it
 *   was not started. connect() afterwards joins again.
 * - get_ip_address() is the global address (NSAPI_ERROR_NO_ADDRESS until there is one).
 *
 * Blocking goes through the calling task's executor, so it works on host threads and on a
 * simulated node's fibers alike.
 */
#ifndef MESHINTERFACENANOSTACK_H
#define MESHINTERFACENANOSTACK_H

#include <memory>

#include "MeshInterface.h"
#include "NanostackRfPhy.h"
#include "NetworkInterface.h"
#include "mesh_interface_types.h"

namespace meshwork {
namespace meshapi {
class MeshConnection;
}
}  // namespace meshwork

/** The common part of Nanostack-based interfaces. */
class InterfaceNanostack : public virtual NetworkInterface {
  public:
    /**
     * Sets the file system root path for the stack's persistent data. Accepted and ignored:
     * a simulated node keeps nothing between runs. NSAPI_ERROR_OK.
     */
    nsapi_error_t set_file_system_root_path(const char *root_path);

    /** The stack's interface id once connect() created it; -1 before. */
    virtual int8_t get_interface_id() const = 0;

  protected:
    InterfaceNanostack() = default;
    /** Creates the stack interface on first use (Mbed's lazy initialisation). */
    virtual nsapi_error_t do_initialize() = 0;
};

/** A Nanostack mesh interface over an 802.15.4 radio. */
class MeshInterfaceNanostack : public InterfaceNanostack, public MeshInterface {
  public:
    ~MeshInterfaceNanostack() override;

    /**
     * Sets the radio (the first call wins; a different radio later is an error,
     * NSAPI_ERROR_IS_CONNECTED) and initialises. NSAPI_ERROR_PARAMETER without any radio.
     */
    nsapi_error_t initialize(NanostackRfPhy *phy);

    nsapi_error_t connect() override;
    nsapi_error_t disconnect() override;
    /** The global IPv6 address; NO_ADDRESS until there is one. */
    nsapi_error_t get_ip_address(SocketAddress *address) override;
    using NetworkInterface::get_ip_address;
    nsapi_error_t get_ipv6_link_local_address(SocketAddress *address) override;
    /** The EUI-64 as "xx:xx:xx:xx:xx:xx:xx:xx"; NULL without a radio. */
    const char *get_mac_address() override;
    /** 8 bytes, before the first connect(): NSAPI_ERROR_PARAMETER / NSAPI_ERROR_BUSY otherwise. */
    nsapi_error_t set_mac_address(uint8_t *mac_addr, nsapi_size_t addr_len) override;
    /** Nanostack has no netmask: NSAPI_ERROR_UNSUPPORTED. */
    nsapi_error_t get_netmask(SocketAddress *address) override;
    using NetworkInterface::get_netmask;
    /** "MES<id>" once the interface exists; NULL before. */
    char *get_interface_name(char *interface_name) override;
    void attach(mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb) override;
    nsapi_connection_status_t get_connection_status() const override;
    nsapi_error_t set_blocking(bool blocking) override;
    int8_t get_interface_id() const override;

    /** meshwork: the connection state machine behind this interface (docs/mesh-api.md). */
    meshwork::meshapi::MeshConnection &meshwork_connection() { return *_connection; }

  protected:
    MeshInterfaceNanostack();
    explicit MeshInterfaceNanostack(NanostackRfPhy *phy);
    NetworkStack *get_stack() override;

    NanostackRfPhy *_phy = nullptr;
    int8_t _interface_id = -1;  // the radio's device id once registered
    std::unique_ptr<meshwork::meshapi::MeshConnection> _connection;
    char _mac_text[24] = {};
};

#endif /* MESHINTERFACENANOSTACK_H */
