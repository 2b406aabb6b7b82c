#pragma once

#include "rtos/mbed_rtos_types.h"
