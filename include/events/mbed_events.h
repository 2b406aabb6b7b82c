// The events library, reachable as "mbed_events.h" and "events/mbed_events.h". Imports
// namespace events unless MBED_NO_GLOBAL_USING_DIRECTIVE is defined, as Mbed does.
#pragma once

#include "events/Event.h"
#include "events/EventQueue.h"
#include "events/mbed_shared_queues.h"

#if !defined(MBED_NO_GLOBAL_USING_DIRECTIVE)
using namespace events;
#endif
