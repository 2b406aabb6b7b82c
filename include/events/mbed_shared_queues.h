// The shared event queues, each dispatched by its own thread, created on first use. There is
// one pair per meshwork::Executor (the calling task's), so simulated nodes do not share them.
#pragma once

#include "events/EventQueue.h"

#ifndef MBED_CONF_EVENTS_SHARED_EVENTSIZE
#define MBED_CONF_EVENTS_SHARED_EVENTSIZE 768
#endif
#ifndef MBED_CONF_EVENTS_SHARED_HIGHPRIO_EVENTSIZE
#define MBED_CONF_EVENTS_SHARED_HIGHPRIO_EVENTSIZE 256
#endif
#ifndef MBED_CONF_EVENTS_SHARED_STACKSIZE
#define MBED_CONF_EVENTS_SHARED_STACKSIZE 2048
#endif
#ifndef MBED_CONF_EVENTS_SHARED_HIGHPRIO_STACKSIZE
#define MBED_CONF_EVENTS_SHARED_HIGHPRIO_STACKSIZE 1024
#endif

namespace mbed {

/// The normal-priority shared queue. Never returns nullptr.
events::EventQueue *mbed_event_queue();

/// The high-priority shared queue (its own thread; priorities are advisory on a host).
events::EventQueue *mbed_highprio_event_queue();

}  // namespace mbed
