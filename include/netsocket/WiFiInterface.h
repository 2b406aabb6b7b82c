/*
 * meshwork: Mbed-compatible WiFiInterface. There is no WiFi backend: the class exists so that
 * applications written for WiFi targets compile; get_default_instance() returns NULL unless an
 * application or backend provides one.
 */
#ifndef WIFI_INTERFACE_H
#define WIFI_INTERFACE_H

#include <stdint.h>

#include "NetworkInterface.h"
#include "WiFiAccessPoint.h"

/** A WiFi network interface. */
class WiFiInterface : public virtual NetworkInterface {
  public:
    /** Stores the credentials used by connect(). */
    virtual nsapi_error_t set_credentials(const char *ssid, const char *pass,
                                          nsapi_security_t security = NSAPI_SECURITY_NONE) = 0;

    /** Selects the channel (0: any). */
    virtual nsapi_error_t set_channel(uint8_t channel) = 0;

    /** Signal strength of the current connection, in dBm (0 when unknown). */
    virtual int8_t get_rssi() = 0;

    /** Connects to `ssid` with the given credentials. */
    virtual nsapi_error_t connect(const char *ssid, const char *pass,
                                  nsapi_security_t security = NSAPI_SECURITY_NONE,
                                  uint8_t channel = 0) = 0;

    /** Connects with the credentials given to set_credentials(). */
    nsapi_error_t connect() override = 0;

    nsapi_error_t disconnect() override = 0;

    /**
     * Scans for access points. With count 0 returns how many were found; otherwise fills `res`
     * with at most `count` entries and returns the number stored.
     */
    virtual nsapi_size_or_error_t scan(WiFiAccessPoint *res, nsapi_size_t count) = 0;

    WiFiInterface *wifiInterface() final { return this; }

    /** Applies nsapi.default-wifi-ssid/password/security. */
    void set_default_parameters() override;

    /** The default WiFi interface: weak, NULL unless provided. */
    static WiFiInterface *get_default_instance();

  protected:
    /** The target's WiFi interface: weak, NULL. */
    static WiFiInterface *get_target_default_instance();
};

#endif /* WIFI_INTERFACE_H */
