// WiFiInterface: applying the application's nsapi.default-wifi-* configuration, read at run
// time (meshwork/config/ApplicationConfiguration.h).
#include "WiFiInterface.h"

#include <optional>
#include <string>

#include "meshwork/config/ApplicationConfiguration.h"

namespace {

struct DefaultWifi {
    std::optional<std::string> ssid;
    std::optional<std::string> password;
    nsapi_security_t security = NSAPI_SECURITY_NONE;
};

// The token appended to NSAPI_SECURITY_ in Mbed's macro, e.g. WPA_WPA2.
nsapi_security_t security_from_token(const std::string &token) {
    static const struct {
        const char *token;
        nsapi_security_t value;
    } kTokens[] = {{"NONE", NSAPI_SECURITY_NONE},         {"WEP", NSAPI_SECURITY_WEP},
                   {"WPA", NSAPI_SECURITY_WPA},           {"WPA2", NSAPI_SECURITY_WPA2},
                   {"WPA_WPA2", NSAPI_SECURITY_WPA_WPA2}, {"PAP", NSAPI_SECURITY_PAP},
                   {"CHAP", NSAPI_SECURITY_CHAP},         {"EAP_TLS", NSAPI_SECURITY_EAP_TLS},
                   {"PEAP", NSAPI_SECURITY_PEAP},         {"WPA2_ENT", NSAPI_SECURITY_WPA2_ENT},
                   {"WPA3", NSAPI_SECURITY_WPA3},         {"WPA3_WPA2", NSAPI_SECURITY_WPA3_WPA2}};
    for (const auto &t : kTokens) {
        if (token == t.token) {
            return t.value;
        }
    }
    return NSAPI_SECURITY_UNKNOWN;
}

// Parsed once and never destroyed: an interface may keep the pointers it is given, as it may
// keep Mbed's string-literal macros.
const DefaultWifi &default_wifi() {
    static const DefaultWifi *const wifi = [] {
        const meshwork::config::Configuration &c = meshwork::config::application_configuration();
        auto *w = new DefaultWifi;
        w->ssid = c.c_string("nsapi.default-wifi-ssid");
        w->password = c.c_string("nsapi.default-wifi-password");
        w->security = security_from_token(c.nsapi.default_wifi_security);
        return w;
    }();
    return *wifi;
}

}  // namespace

void WiFiInterface::set_default_parameters() {
    const DefaultWifi &wifi = default_wifi();
    if (wifi.ssid) {
        set_credentials(wifi.ssid->c_str(), wifi.password ? wifi.password->c_str() : nullptr,
                        wifi.security);
    }
}
