// The NanostackRfPhy of a simulated node: Mbed's radio driver object, standing for the node's
// whole mesh stack (its MeshBackend). A composition makes one per node and puts it in the
// node's context (NodeContext::rf_phy), so NanostackRfPhy::get_default_instance() on the node's
// tasks returns it; without a backend it is the radio of a process without a simulation, with
// which connect() answers NSAPI_ERROR_UNSUPPORTED.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "MeshBackend.h"
#include "NanostackRfPhy.h"

namespace meshwork::meshapi {

class BackendRfPhy final : public NanostackRfPhy {
  public:
    explicit BackendRfPhy(MeshBackend *backend) : backend_(backend) {}

    /// 0 with a backend (one radio per node), -1 without.
    int8_t rf_register() override;
    void rf_unregister() override;
    /// The address set_mac_address() gave, else the backend's EUI-64 (zeros without one).
    void get_mac_address(uint8_t *mac) override;
    void set_mac_address(uint8_t *mac) override;
    MeshBackend *meshwork_backend() override { return backend_; }

    bool registered() const { return registered_; }

  private:
    MeshBackend *backend_;
    std::optional<std::array<std::uint8_t, 8>> mac_;
    bool registered_ = false;
};

}  // namespace meshwork::meshapi
