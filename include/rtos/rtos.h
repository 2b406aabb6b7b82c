// The RTOS API, reachable as "rtos.h" and "rtos/rtos.h". Like Mbed, it imports namespace rtos
// unless MBED_NO_GLOBAL_USING_DIRECTIVE is defined.
#pragma once

#include "rtos/ConditionVariable.h"
#include "rtos/EventFlags.h"
#include "rtos/Kernel.h"
#include "rtos/Mail.h"
#include "rtos/MemoryPool.h"
#include "rtos/Mutex.h"
#include "rtos/Queue.h"
#include "rtos/Semaphore.h"
#include "rtos/ThisThread.h"
#include "rtos/Thread.h"
#include "rtos/mbed_rtos_types.h"

#if !defined(MBED_NO_GLOBAL_USING_DIRECTIVE)
using namespace rtos;
#endif
