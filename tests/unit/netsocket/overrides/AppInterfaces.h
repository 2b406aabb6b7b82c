// Minimal interfaces and an EMAC of an application's own, for the default-instance override
// programs: each records what the library asked of it.
#pragma once

#include <string>

#include "CellularInterface.h"
#include "EMAC.h"
#include "EthInterface.h"
#include "MeshInterface.h"
#include "WiFiInterface.h"

namespace meshwork::test {

/// Connects to nothing: these programs only check which object the library hands out.
template <typename Base>
class AppInterface : public Base {
  public:
    nsapi_error_t connect() override { return NSAPI_ERROR_OK; }
    nsapi_error_t disconnect() override { return NSAPI_ERROR_OK; }

  protected:
    NetworkStack *get_stack() override { return nullptr; }
};

using AppEth = AppInterface<EthInterface>;
using AppMesh = AppInterface<MeshInterface>;

class AppWiFi : public AppInterface<WiFiInterface> {
  public:
    std::string ssid;
    nsapi_error_t set_credentials(const char *s, const char *, nsapi_security_t) override {
        ssid = s ? s : "";
        return NSAPI_ERROR_OK;
    }
    nsapi_error_t set_channel(uint8_t) override { return NSAPI_ERROR_OK; }
    int8_t get_rssi() override { return 0; }
    nsapi_error_t connect(const char *, const char *, nsapi_security_t, uint8_t) override {
        return NSAPI_ERROR_OK;
    }
    using AppInterface<WiFiInterface>::connect;
    nsapi_size_or_error_t scan(WiFiAccessPoint *, nsapi_size_t) override { return 0; }
};

class AppCellular : public AppInterface<CellularInterface> {
  public:
    std::string apn;
    void set_credentials(const char *a, const char *, const char *) override { apn = a ? a : ""; }
    void set_plmn(const char *) override {}
    void set_sim_pin(const char *) override {}
    nsapi_error_t connect(const char *, const char *, const char *, const char *) override {
        return NSAPI_ERROR_OK;
    }
    using AppInterface<CellularInterface>::connect;
    bool is_connected() override { return false; }
};

class AppEmac : public EMAC {
  public:
    bool power_up() override { return true; }
    void power_down() override {}
    uint32_t get_mtu_size() const override { return 1500; }
    uint32_t get_align_preference() const override { return 0; }
    void get_ifname(char *name, uint8_t size) const override {
        if (name && size) {
            name[0] = '\0';
        }
    }
    uint8_t get_hwaddr_size() const override { return 6; }
    bool get_hwaddr(uint8_t *) const override { return false; }
    void set_hwaddr(const uint8_t *) override {}
    bool link_out(emac_mem_buf_t *) override { return false; }
    void set_link_input_cb(emac_link_input_cb_t) override {}
    void set_link_state_cb(emac_link_state_change_cb_t) override {}
    void add_multicast_group(const uint8_t *) override {}
    void remove_multicast_group(const uint8_t *) override {}
    void set_all_multicast(bool) override {}
    void set_memory_manager(EMACMemoryManager &) override {}
};

}  // namespace meshwork::test
