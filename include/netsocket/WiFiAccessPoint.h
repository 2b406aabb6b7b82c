/*
 * meshwork: Mbed-compatible WiFiAccessPoint, one result of WiFiInterface::scan().
 */
#ifndef WIFI_ACCESS_POINT_H
#define WIFI_ACCESS_POINT_H

#include <string.h>

#include "nsapi_types.h"

/** A WiFi access point seen by a scan. */
class WiFiAccessPoint {
  public:
    WiFiAccessPoint() { memset(&_ap, 0, sizeof(_ap)); }
    WiFiAccessPoint(nsapi_wifi_ap_t ap) : _ap(ap) {}
    virtual ~WiFiAccessPoint() = default;

    /** Network name (NUL-terminated, at most 32 characters). */
    const char *get_ssid() const { return _ap.ssid; }
    /** The 6-byte BSSID. */
    const uint8_t *get_bssid() const { return _ap.bssid; }
    nsapi_security_t get_security() const { return _ap.security; }
    int8_t get_rssi() const { return _ap.rssi; }
    uint8_t get_channel() const { return _ap.channel; }

  protected:
    nsapi_wifi_ap_t _ap;
};

#endif /* WIFI_ACCESS_POINT_H */
