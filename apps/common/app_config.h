// Run-time overrides for the applications' MBED_CONF_APP_* settings: on a PC an environment
// variable of the same name replaces the compiled value, so tests can choose loopback ports.
#pragma once

#include <cstdlib>

inline const char *app_config_str(const char *name, const char *compiled) {
    const char *value = std::getenv(name);
    return value && *value ? value : compiled;
}

inline int app_config_int(const char *name, int compiled) {
    const char *value = std::getenv(name);
    return value && *value ? std::atoi(value) : compiled;
}

#define APP_STR(macro) app_config_str(#macro, macro)
#define APP_INT(macro) app_config_int(#macro, macro)
