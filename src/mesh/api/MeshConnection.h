// The connection state machine of a Nanostack mesh interface (MeshInterfaceNanostack), kept
// out of the Mbed header: it drives the radio's MeshBackend and turns its reports into
// Mbed's connection status and events (reference mbed-api.md section 3.2; docs/mesh-api.md):
//
//   mesh report                 status           blocking connect()
//   (connect() itself)          CONNECTING       waits
//   MESH_BOOTSTRAP_STARTED      CONNECTING       waits
//   MESH_BOOTSTRAP_FAILED       CONNECTING       waits (the backend retries; connect() again
//                                                restarts it)
//   MESH_CONNECTED              GLOBAL_UP with a global address, else LOCAL_UP   returns OK
//   MESH_CONNECTED_LOCAL        LOCAL_UP         returns OK
//   MESH_CONNECTED_GLOBAL       GLOBAL_UP        returns OK
//   MESH_BOOTSTRAP_START_FAILED DISCONNECTED     returns DEVICE_ERROR (Mbed would wait
//                                                forever); connect() may be called again
//   MESH_DISCONNECTED           DISCONNECTED     returns NO_CONNECTION
//   (disconnect())              DISCONNECTED     returns NO_CONNECTION
//
// The status callback fires on each change, and on every global-up report, except for the two
// transitions Nanostack keeps quiet: GLOBAL_UP -> CONNECTING on a new MESH_BOOTSTRAP_STARTED and
// CONNECTING -> DISCONNECTED on MESH_BOOTSTRAP_START_FAILED (get_connection_status() still
// shows them). Blocking waits through the calling task's executor (WaitQueue).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "LowpanNdSettings.h"
#include "MeshBackend.h"
#include "meshwork/Executor.h"
#include "netsocket/nsapi_types.h"
#include "platform/Callback.h"

namespace meshwork::meshapi {

/// mesh_error_t to nsapi_error_t as Nanostack maps it: NONE 0, MEMORY NO_MEMORY, PARAM
/// PARAMETER, STATE IS_CONNECTED, anything else DEVICE_ERROR.
nsapi_error_t to_nsapi(mesh_error_t e);

/// The nsapi status a mesh report means; `has_global`: whether the node has a global address
/// (what MESH_CONNECTED means depends on it).
nsapi_connection_status_t to_nsapi_status(mesh_connection_status_t s, bool has_global);

class MeshConnection {
  public:
    using StatusCallback = mbed::Callback<void(nsapi_event_t, intptr_t)>;

    MeshConnection() = default;
    ~MeshConnection();
    MeshConnection(const MeshConnection &) = delete;
    MeshConnection &operator=(const MeshConnection &) = delete;

    /// The backend to drive (null: none, connect() is UNSUPPORTED). Set before connect().
    void set_backend(MeshBackend *backend) { backend_ = backend; }
    MeshBackend *backend() const { return backend_; }

    /// Starts joining with `request` (see the table above for what it returns).
    nsapi_error_t connect(const MeshStartRequest &request);
    /// OK, or NO_CONNECTION when not started.
    nsapi_error_t disconnect();

    void set_blocking(bool blocking);
    void attach(StatusCallback cb);
    nsapi_connection_status_t status() const;
    /// The backend's last report; MESH_DISCONNECTED before connect() and after disconnect().
    mesh_connection_status_t mesh_status() const;
    /// Whether the backend runs (between a successful start and stop / its giving up).
    bool started() const;
    /// Whether connect() was ever called (the stack interface exists).
    bool initialized() const;

    /// Settings a composition or test imposes instead of the node's configuration.
    void set_settings_override(const std::optional<LowpanNdSettings> &s) { override_ = s; }
    const std::optional<LowpanNdSettings> &settings_override() const { return override_; }
    /// The problems of the settings the last connect() refused (NSAPI_ERROR_PARAMETER).
    std::vector<std::string> &settings_errors() { return settings_errors_; }
    /// The EUI-64 set_mac_address() chose (passed to the backend at start).
    void set_eui64(const std::array<std::uint8_t, 8> &e) { eui64_ = e; }
    const std::optional<std::array<std::uint8_t, 8>> &eui64() const { return eui64_; }

  private:
    void on_report(std::uint64_t generation, mesh_connection_status_t s);
    /// Sets the status (lock held); true if it changed.
    bool set_status_locked(nsapi_connection_status_t s);
    void emit(nsapi_connection_status_t s);

    MeshBackend *backend_ = nullptr;
    std::optional<LowpanNdSettings> override_;
    std::vector<std::string> settings_errors_;
    std::optional<std::array<std::uint8_t, 8>> eui64_;

    mutable WaitLock lock_;  // guards everything below; never held across a backend call
    WaitQueue waiters_;      // blocking connect() calls
    StatusCallback status_cb_;
    bool blocking_ = true;
    bool initialized_ = false;
    bool running_ = false;
    bool joined_ = false;           // a connected report since the current start
    bool start_failed_ = false;     // the current start ended in MESH_BOOTSTRAP_START_FAILED
    std::uint64_t generation_ = 0;  // one per start: reports of an earlier one are stale
    std::uint64_t session_ = 0;     // one per disconnect(): ends the blocking connect() calls
    mesh_connection_status_t mesh_status_ = MESH_DISCONNECTED;
    nsapi_connection_status_t status_ = NSAPI_STATUS_DISCONNECTED;
};

}  // namespace meshwork::meshapi
