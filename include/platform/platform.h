// Basic platform definitions: standard headers, toolchain macros and pin names.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/PinNames.h"
#include "platform/mbed_toolchain.h"
