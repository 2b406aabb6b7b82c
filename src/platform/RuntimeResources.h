// Internal (compatibility edge): the per-executor singletons Mbed code expects to exist once -
// the shared event queues with their dispatch tasks and the Ticker/Timeout timer task - kept in
// a small registry keyed by meshwork::Executor, created on first use and never destroyed unless
// release_runtime_resources() is called.
#pragma once

#include "events/EventQueue.h"
#include "meshwork/Executor.h"
#include "meshwork/config/Configuration.h"

namespace meshwork::sim {
class NodeContext;
}

namespace meshwork::platform {

class TimerThread;

TimerThread &timer_thread_for(Executor &executor);

enum class SharedQueue { kNormal, kHighPriority };
/// `executor`'s shared queue, or with `node` (the current task's node) that node's: the one its
/// context's slot names, else one made now, dispatched by a task of `executor`, sized from the
/// node's configuration and named in the slot until release_runtime_resources(executor).
events::EventQueue &shared_event_queue_for(Executor &executor, SharedQueue which,
                                           sim::NodeContext *node = nullptr);

/// Sizes `executor`'s shared queues from `events` (a node's configuration) instead of the
/// process's application configuration. Only queues created after the call are affected.
void configure_shared_queues(Executor &executor, const config::EventsConfig &events);

/// Stops the tasks of `executor`'s shared queues and timer, waits for them and frees them (and
/// clears the node slots naming them: the node's context must outlive its executors). An
/// executor's owner calls this before destroying it; nothing of it may be in use. A fiber
/// executor calls it from a task of its own (waiting needs a task to block).
void release_runtime_resources(Executor &executor);

}  // namespace meshwork::platform
