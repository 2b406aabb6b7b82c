#include "BackendRfPhy.h"

#include <cstring>

namespace meshwork::meshapi {

int8_t BackendRfPhy::rf_register() {
    if (backend_ == nullptr) {
        return -1;
    }
    registered_ = true;
    return 0;
}

void BackendRfPhy::rf_unregister() {
    registered_ = false;
}

void BackendRfPhy::get_mac_address(uint8_t *mac) {
    if (mac == nullptr) {
        return;
    }
    std::array<std::uint8_t, 8> m{};
    if (mac_) {
        m = *mac_;
    } else if (backend_ != nullptr) {
        m = backend_->eui64();
    }
    std::memcpy(mac, m.data(), m.size());
}

void BackendRfPhy::set_mac_address(uint8_t *mac) {
    if (mac == nullptr) {
        return;
    }
    std::array<std::uint8_t, 8> m{};
    std::memcpy(m.data(), mac, m.size());
    mac_ = m;
}

}  // namespace meshwork::meshapi
