// The 6LoWPAN-ND settings of one mesh node, as mbed-mesh-api's mbed_lib.json names them
// (reference mbed-api.md section 3.5, mesh-facts.md section 3 "6LoWPAN-ND mode" and "Heap"):
// radio channel selection (IEEE 802.15.4-2006 section 6.1.2: channel pages and numbers), the PAN
// ID filter, link-layer security (NONE or one PSK with its key index and security level, IEEE
// 802.15.4-2006 section 7.6.2.2.1), the device role and the node's heap bound.
//
// A node reads them from its configuration (the typed Configuration the node's mbed_app.json
// resolves to), or a composition fills them directly; validate() names each bad key, its value
// and what is allowed.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "meshwork/config/Configuration.h"
#include "nanostack/net_interface.h"

namespace meshwork::meshapi {

enum class LowpanSecurity : std::uint8_t { kNone, kPsk };

struct LowpanNdSettings {
    /// mbed-mesh-api.6lowpan-nd-channel-mask: bit n = channel n may be scanned.
    std::uint32_t channel_mask = 0x07fff800;
    /// mbed-mesh-api.6lowpan-nd-channel-page: 0 = 2.4 GHz (channels 11..26), 2 = sub-GHz
    /// (channels 0..10).
    std::uint8_t channel_page = 0;
    /// mbed-mesh-api.6lowpan-nd-channel: 0 = scan the mask; otherwise only this channel.
    std::uint8_t channel = 0;
    /// mbed-mesh-api.6lowpan-nd-panid-filter: join only this PAN; 0xffff = any.
    std::uint16_t panid_filter = 0xffff;
    /// mbed-mesh-api.6lowpan-nd-security-mode.
    LowpanSecurity security = LowpanSecurity::kNone;
    /// mbed-mesh-api.6lowpan-nd-psk-key-id (the MAC key index).
    std::uint8_t psk_key_id = 1;
    /// mbed-mesh-api.6lowpan-nd-psk-key.
    std::array<std::uint8_t, 16> psk_key{0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                                         0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf};
    /// mbed-mesh-api.6lowpan-nd-sec-level: 802.15.4 security level 1..7 (5 = ENC-MIC-32).
    std::uint8_t sec_level = 5;
    /// mbed-mesh-api.6lowpan-nd-device-type: NET_6LOWPAN_ROUTER or NET_6LOWPAN_HOST (the native
    /// API may also set NET_6LOWPAN_BORDER_ROUTER).
    net_6lowpan_mode_e device_type = NET_6LOWPAN_ROUTER;
    /// mbed-mesh-api.heap-size: the node's memory bound in bytes (0..65534).
    std::uint32_t heap_size = 32500;
    /// mbed-mesh-api.mac-neigh-table-size: MAC neighbour table entries (5..255).
    std::uint32_t mac_neigh_table_size = 32;

    /// The channels the node may use, ascending: `channel` alone when it is non-zero, else the
    /// mask's channels of the page.
    std::vector<std::uint8_t> channels() const;
    bool routes() const { return device_type != NET_6LOWPAN_HOST; }

    /// One message per invalid value, naming the key, the value and the allowed range (empty:
    /// valid). `origin` prefixes each message (a file name, "node 3"); may be empty.
    std::vector<std::string> validate(const std::string &origin = {}) const;

    /// The settings of a configuration: its typed mbed-mesh-api values (which the loader has
    /// range-checked), then validate() for what only holds across keys; a value is quoted as
    /// the configuration wrote it.
    static LowpanNdSettings from_configuration(const config::Configuration &config,
                                               std::vector<std::string> &errors);
};

/// Whether a configuration makes the default interface a 6LoWPAN-ND mesh interface:
/// target.network-default-interface-type MESH, nsapi.default-mesh-type LOWPAN and the target's
/// 802_15_4_PHY device (target.device_has_add, as Mbed requires for a default mesh).
bool selects_lowpan_nd(const config::Configuration &config);

}  // namespace meshwork::meshapi
