// Internal (compatibility edge): the per-runtime singletons Mbed code expects to exist once -
// the shared event queues with their dispatch threads and the Ticker/Timeout timer thread - kept
// in a small registry keyed by meshwork::Runtime, created on first use and never destroyed
// unless release_runtime_resources() is called.
#pragma once

#include "events/EventQueue.h"
#include "meshwork/Runtime.h"
#include "meshwork/config/Configuration.h"

namespace meshwork::platform {

class TimerThread;

TimerThread &timer_thread_for(Runtime &runtime);

enum class SharedQueue { kNormal, kHighPriority };
events::EventQueue &shared_event_queue_for(Runtime &runtime, SharedQueue which);

/// Sizes `runtime`'s shared queues from `events` (a node's configuration) instead of the
/// process's application configuration. Only queues created after the call are affected.
void configure_shared_queues(Runtime &runtime, const config::EventsConfig &events);

/// Stops and joins the threads of `runtime`'s shared queues and timer thread and frees them.
/// A simulation calls this before destroying a runtime; nothing of that runtime may be in use.
void release_runtime_resources(Runtime &runtime);

}  // namespace meshwork::platform
