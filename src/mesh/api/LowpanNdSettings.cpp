// LowpanNdSettings: from the typed configuration, with the checks across keys.
#include "LowpanNdSettings.h"

#include <cstdio>

namespace meshwork::meshapi {
namespace {

const char kPrefix[] = "mbed-mesh-api.";

// IEEE 802.15.4-2006 section 6.1.2.1: page 0 holds channels 0 (868 MHz), 1..10 (915 MHz) and
// 11..26 (2.4 GHz); Nanostack uses page 0 for 2.4 GHz and page 2 for the sub-GHz O-QPSK
// channels 0..10.
constexpr std::uint32_t kPage0Channels = 0x07fff800;  // 11..26
constexpr std::uint32_t kPage2Channels = 0x000007ff;  // 0..10

std::uint32_t page_channels(std::uint8_t page) {
    return page == 2 ? kPage2Channels : kPage0Channels;
}

std::string hex(std::uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

class Checker {
  public:
    Checker(const std::string &origin, const config::Configuration *config,
            std::vector<std::string> &errors)
        : origin_(origin), config_(config), errors_(errors) {}

    // `shown` is the value as the settings hold it; the configuration's own text wins.
    void fail(const char *key, const std::string &shown, const std::string &problem,
              const std::string &allowed) {
        const std::string name = std::string(kPrefix) + key;
        std::string value = shown;
        std::string set_by;
        if (config_ != nullptr) {
            auto it = config_->parameters.find(name);
            if (it != config_->parameters.end() &&
                it->second.kind != config::ParameterValue::Kind::kNull) {
                value = it->second.kind == config::ParameterValue::Kind::kString
                            ? "\"" + it->second.text + "\""
                            : it->second.text;
                set_by = it->second.set_by;
            }
        }
        std::string m = origin_.empty() ? "" : origin_ + ": ";
        m += "\"" + name + "\" = " + value;
        if (!set_by.empty()) {
            m += " (set by " + set_by + ")";
        }
        errors_.push_back(m + ": " + problem + "; allowed: " + allowed);
    }

    void range(const char *key, std::uint64_t v, std::uint64_t lo, std::uint64_t hi,
               bool show_hex = false) {
        if (v < lo || v > hi) {
            const std::string shown = show_hex ? hex(v) : std::to_string(v);
            const std::string allowed = show_hex ? hex(lo) + ".." + hex(hi)
                                                 : std::to_string(lo) + ".." + std::to_string(hi);
            fail(key, shown, "out of range", allowed);
        }
    }

  private:
    const std::string &origin_;
    const config::Configuration *config_;
    std::vector<std::string> &errors_;
};

void check(const LowpanNdSettings &s, Checker &c) {
    if (s.channel_page != 0 && s.channel_page != 2) {
        c.fail("6lowpan-nd-channel-page", std::to_string(s.channel_page),
               "not a 6LoWPAN-ND channel page", "0 (2.4 GHz) or 2 (sub-GHz)");
    } else if (s.channel != 0) {
        const bool on_page = s.channel < 32 && (page_channels(s.channel_page) >> s.channel & 1);
        if (!on_page) {
            c.fail(
                "6lowpan-nd-channel", std::to_string(s.channel),
                "not a channel of page " + std::to_string(s.channel_page),
                s.channel_page == 2 ? "0 (scan the mask) or 1..10" : "0 (scan the mask) or 11..26");
        }
    } else if ((s.channel_mask & page_channels(s.channel_page)) == 0) {
        c.fail("6lowpan-nd-channel-mask", hex(s.channel_mask),
               "selects no channel of page " + std::to_string(s.channel_page),
               s.channel_page == 2 ? "a mask with bits among 0..10 (0x7ff)"
                                   : "a mask with bits among 11..26 (0x7fff800)");
    }
    if (s.channel_mask & ~(kPage0Channels | kPage2Channels)) {
        c.fail("6lowpan-nd-channel-mask", hex(s.channel_mask), "bits above channel 26",
               "bits 0..26 (at most 0x7ffffff)");
    }
    c.range("6lowpan-nd-psk-key-id", s.psk_key_id, 1, 255);
    c.range("6lowpan-nd-sec-level", s.sec_level, 1, 7);
    if (s.device_type != NET_6LOWPAN_ROUTER && s.device_type != NET_6LOWPAN_HOST &&
        s.device_type != NET_6LOWPAN_BORDER_ROUTER) {
        c.fail("6lowpan-nd-device-type", std::to_string(static_cast<int>(s.device_type)),
               "not a 6LoWPAN-ND role", "NET_6LOWPAN_ROUTER or NET_6LOWPAN_HOST");
    }
    c.range("heap-size", s.heap_size, 0, 0xfffe);
    c.range("mac-neigh-table-size", s.mac_neigh_table_size, 5, 255);
}

}  // namespace

std::vector<std::uint8_t> LowpanNdSettings::channels() const {
    std::vector<std::uint8_t> out;
    if (channel != 0) {
        out.push_back(channel);
        return out;
    }
    const std::uint32_t usable = channel_mask & page_channels(channel_page);
    for (std::uint8_t ch = 0; ch < 27; ++ch) {
        if (usable >> ch & 1) {
            out.push_back(ch);
        }
    }
    return out;
}

std::vector<std::string> LowpanNdSettings::validate(const std::string &origin) const {
    std::vector<std::string> errors;
    Checker c(origin, nullptr, errors);
    check(*this, c);
    return errors;
}

LowpanNdSettings LowpanNdSettings::from_configuration(const config::Configuration &config,
                                                      std::vector<std::string> &errors) {
    const config::MeshConfig &m = config.mesh;
    const config::LowpanNdConfig &l = m.lowpan_nd;
    LowpanNdSettings s;
    s.channel_mask = l.channel_mask;
    s.channel_page = l.channel_page;
    s.channel = l.channel;
    s.panid_filter = l.panid_filter;
    s.security = l.security_mode == config::LowpanSecurityMode::kPsk ? LowpanSecurity::kPsk
                                                                     : LowpanSecurity::kNone;
    s.psk_key_id = l.psk_key_id;
    s.psk_key = l.psk_key;
    s.sec_level = l.sec_level;
    s.device_type =
        l.device_type == config::LowpanDeviceType::kHost ? NET_6LOWPAN_HOST : NET_6LOWPAN_ROUTER;
    s.heap_size = m.heap_size;
    s.mac_neigh_table_size = m.mac_neigh_table_size;
    const std::string origin;
    Checker c(origin, &config, errors);
    check(s, c);
    return s;
}

bool selects_lowpan_nd(const config::Configuration &config) {
    return config.target.network_default_interface_type == config::InterfaceType::kMesh &&
           config.nsapi.default_mesh_type == config::MeshType::kLowpan &&
           config.target.has_device("802_15_4_PHY");
}

}  // namespace meshwork::meshapi
