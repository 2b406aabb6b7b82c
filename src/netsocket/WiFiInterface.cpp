// WiFiInterface: applying the nsapi.default-wifi-* configuration.
#include "WiFiInterface.h"

// Token pasting turns `WPA_WPA2` from the configuration into NSAPI_SECURITY_WPA_WPA2.
#define MESHWORK_NSAPI_SECURITY2(x) NSAPI_SECURITY_##x
#define MESHWORK_NSAPI_SECURITY(x) MESHWORK_NSAPI_SECURITY2(x)

void WiFiInterface::set_default_parameters() {
#ifdef MBED_CONF_NSAPI_DEFAULT_WIFI_SSID
#ifdef MBED_CONF_NSAPI_DEFAULT_WIFI_PASSWORD
    const char *password = MBED_CONF_NSAPI_DEFAULT_WIFI_PASSWORD;
#else
    const char *password = nullptr;
#endif
#ifdef MBED_CONF_NSAPI_DEFAULT_WIFI_SECURITY
    nsapi_security_t security = MESHWORK_NSAPI_SECURITY(MBED_CONF_NSAPI_DEFAULT_WIFI_SECURITY);
#else
    nsapi_security_t security = NSAPI_SECURITY_NONE;
#endif
    set_credentials(MBED_CONF_NSAPI_DEFAULT_WIFI_SSID, password, security);
#endif
}
