// Mbed's cellular modem framework has no device on a host: this header exists because socket
// test suites of Mbed OS 5.15 include it unconditionally. CellularDevice::get_default_instance()
// returns NULL, which such suites already handle (no modem on the target).
#pragma once

#include "netsocket/CellularInterface.h"

namespace mbed {

class CellularDevice {
  public:
    /// The target's modem: none.
    static CellularDevice *get_default_instance() { return nullptr; }
    virtual ~CellularDevice() = default;

  protected:
    CellularDevice() = default;
};

}  // namespace mbed

using mbed::CellularDevice;
