// The umbrella header of an Mbed OS 6 application: RTOS, network sockets, events, drivers and
// platform, with the namespaces rtos, events, mbed and std imported unless
// MBED_NO_GLOBAL_USING_DIRECTIVE is defined, exactly as Mbed's mbed.h does. mbed-trace is not
// included (applications include it after defining TRACE_GROUP).
#pragma once

#include "platform/mbed_version.h"

#include "rtos/rtos.h"

#include "netsocket/nsapi.h"

#include "events/mbed_events.h"

#include "platform/mbed_toolchain.h"
#include "platform/platform.h"
#include "platform/mbed_assert.h"
#include "platform/mbed_debug.h"

// Drivers (in-memory dummies for pins; timers on the runtime clock).
#include "drivers/DigitalIn.h"
#include "drivers/DigitalInOut.h"
#include "drivers/DigitalOut.h"
#include "drivers/InterruptIn.h"
#include "drivers/LowPowerTicker.h"
#include "drivers/LowPowerTimeout.h"
#include "drivers/LowPowerTimer.h"
#include "drivers/Ticker.h"
#include "drivers/Timeout.h"
#include "drivers/Timer.h"

// Platform services.
#include "platform/Callback.h"
#include "platform/CriticalSectionLock.h"
#include "platform/NonCopyable.h"
#include "platform/ScopedLock.h"
#include "platform/SingletonPtr.h"
#include "platform/mbed_atomic.h"
#include "platform/mbed_critical.h"
#include "platform/mbed_error.h"
#include "platform/mbed_interface.h"
#include "platform/mbed_power_mgmt.h"
#include "platform/mbed_thread.h"
#include "platform/mbed_wait_api.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

#if !defined(MBED_NO_GLOBAL_USING_DIRECTIVE)
using namespace rtos;
using namespace events;
using namespace mbed;
using namespace std;
#endif
