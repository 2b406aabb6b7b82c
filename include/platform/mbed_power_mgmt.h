// Sleep management: a host has no sleep modes, so these are no-ops (the lock counter is kept
// so that deep-sleep locking can be queried).
#pragma once

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

void sleep_manager_lock_deep_sleep(void);
void sleep_manager_unlock_deep_sleep(void);
bool sleep_manager_can_deep_sleep(void);

#ifdef __cplusplus
}

// C++ linkage: extern "C" versions would clash with POSIX sleep(unsigned int).
inline void sleep() {}
inline void deepsleep() {}
#endif
