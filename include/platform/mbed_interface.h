// Board interface calls used by applications.
#pragma once

#include "platform/mbed_toolchain.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Stops the program (aborts the process on a host).
MBED_NORETURN void mbed_die(void);

/// A stable locally administered unicast MAC address for this host (derived from the host
/// name), written to mac[0..5].
void mbed_mac_address(char *mac);

#ifdef __cplusplus
}
#endif
