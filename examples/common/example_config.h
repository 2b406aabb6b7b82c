// Run-time overrides for the examples' mbed_app.json values. The examples are ordinary Mbed
// applications whose settings are compile-time MBED_CONF_APP_* macros; on a PC an environment
// variable of the same name overrides the compiled value, so tests and the demo can pick ports.
#pragma once

#include <cstdlib>

inline const char *example_config_str(const char *name, const char *compiled) {
    const char *value = std::getenv(name);
    return value && *value ? value : compiled;
}

inline int example_config_int(const char *name, int compiled) {
    const char *value = std::getenv(name);
    return value && *value ? std::atoi(value) : compiled;
}

/// APP_CONFIG_STR(MBED_CONF_APP_HOST): $MBED_CONF_APP_HOST if set, else the macro's value.
#define APP_CONFIG_STR(macro) example_config_str(#macro, macro)
#define APP_CONFIG_INT(macro) example_config_int(#macro, macro)
