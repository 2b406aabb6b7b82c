// The weak default EMAC: a driver with no link, so that EthernetInterface's default arguments
// resolve on a host without a raw Ethernet device. Backends may define a real one.
#include "EMAC.h"

#include <string.h>

#include "platform/mbed_toolchain.h"

namespace {

class NoLinkEmac final : public EMAC {
  public:
    bool power_up() override { return false; }
    void power_down() override {}
    uint32_t get_mtu_size() const override { return 1500; }
    uint32_t get_align_preference() const override { return 0; }
    void get_ifname(char *name, uint8_t size) const override {
        if (name && size > 0) {
            strncpy(name, "nl0", size - 1);
            name[size - 1] = '\0';
        }
    }
    uint8_t get_hwaddr_size() const override { return 6; }
    bool get_hwaddr(uint8_t *addr) const override { return false; }
    void set_hwaddr(const uint8_t *addr) override {}
    bool link_out(emac_mem_buf_t *buf) override { return false; }
    void set_link_input_cb(emac_link_input_cb_t input_cb) override {}
    void set_link_state_cb(emac_link_state_change_cb_t state_cb) override {}
    void add_multicast_group(const uint8_t *address) override {}
    void remove_multicast_group(const uint8_t *address) override {}
    void set_all_multicast(bool all) override {}
    void set_memory_manager(EMACMemoryManager &mem_mngr) override {}
};

}  // namespace

MBED_WEAK EMAC &EMAC::get_default_instance() {
    static NoLinkEmac emac;
    return emac;
}
