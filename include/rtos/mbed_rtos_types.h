// The RTOS id, status and priority types Mbed's rtos headers expose.
#pragma once

#include "cmsis_os.h"
#include "cmsis_os2.h"
