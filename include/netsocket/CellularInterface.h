/*
 * meshwork: Mbed-compatible CellularInterface. There is no cellular backend: the class exists
 * so that applications mentioning it compile; get_default_instance() returns NULL unless an
 * application or backend provides one.
 */
#ifndef CELLULAR_INTERFACE_H
#define CELLULAR_INTERFACE_H

#include "NetworkInterface.h"

/** A cellular network interface. */
class CellularInterface : public virtual NetworkInterface {
  public:
    /** Access point name and optional credentials. */
    virtual void set_credentials(const char *apn, const char *uname = 0, const char *pwd = 0) = 0;

    /** Operator to register with (PLMN). */
    virtual void set_plmn(const char *plmn) = 0;

    /** PIN of the SIM. */
    virtual void set_sim_pin(const char *sim_pin) = 0;

    /** Connects with the given PIN and credentials. */
    virtual nsapi_error_t connect(const char *sim_pin, const char *apn = 0, const char *uname = 0,
                                  const char *pwd = 0) = 0;

    nsapi_error_t connect() override = 0;
    nsapi_error_t disconnect() override = 0;

    /** True when a data context is active. */
    virtual bool is_connected() = 0;

    CellularInterface *cellularInterface() final { return this; }

    /** Applies nsapi.default-cellular-* configuration. */
    void set_default_parameters() override;

    /** The default cellular interface: weak, NULL unless provided. */
    static CellularInterface *get_default_instance();

  protected:
    /** The target's cellular interface: weak, NULL. */
    static CellularInterface *get_target_default_instance();
};

/** Mbed 5.9-5.11 name. */
typedef CellularInterface CellularBase;

#endif /* CELLULAR_INTERFACE_H */
