// Pre-5.9 name of the toolchain macro header.
#pragma once

#include "platform/mbed_toolchain.h"
