#include "RuntimeResources.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "events/mbed_shared_queues.h"
#include "meshwork/config/ApplicationConfiguration.h"
#include "meshwork/sim/NodeContext.h"
#include "ThreadControl.h"
#include "rtos/Thread.h"
#include "TimerThread.h"

namespace meshwork::platform {

namespace {

struct QueueWithThread {
    std::unique_ptr<events::EventQueue> queue;
    std::unique_ptr<rtos::Thread> thread;
};

struct Resources {
    std::unique_ptr<TimerThread> timer;
    QueueWithThread queues[2];
    // The events.shared-* sizes; unset: the node's configuration (a task of a simulated node
    // made the queue), else the application's.
    std::optional<config::EventsConfig> events;
    // The node whose context slot (shared_event_queue, _highprio_) names each queue, if any:
    // cleared when the queue goes.
    sim::NodeContext *node[2] = {nullptr, nullptr};
};

events::EventQueue *&node_slot(sim::NodeContext &node, SharedQueue which) {
    return which == SharedQueue::kNormal ? node.shared_event_queue
                                         : node.shared_highprio_event_queue;
}

// Deliberately leaked: tasks blocked in these objects may outlive static destruction. Never
// held across a block (creating a task does not block).
WaitLock &registry_mutex() {
    static auto *m = new WaitLock;
    return *m;
}

std::map<Executor *, Resources> &registry() {
    static auto *r = new std::map<Executor *, Resources>;
    return *r;
}

const char *const kQueueNames[2] = {"shared_event_queue", "shared_highprio_event_queue"};

}  // namespace

TimerThread &timer_thread_for(Executor &executor) {
    std::lock_guard<WaitLock> lock(registry_mutex());
    Resources &r = registry()[&executor];
    if (!r.timer) {
        r.timer = std::make_unique<TimerThread>(executor);
    }
    return *r.timer;
}

events::EventQueue &shared_event_queue_for(Executor &executor, SharedQueue which,
                                           sim::NodeContext *node) {
    std::lock_guard<WaitLock> lock(registry_mutex());
    // A device has one of each: a node's tasks share the queue whichever of the node's
    // executors made it.
    if (node != nullptr && node_slot(*node, which) != nullptr) {
        return *node_slot(*node, which);
    }
    Resources &r = registry()[&executor];
    QueueWithThread &q = r.queues[static_cast<int>(which)];
    if (!q.queue) {
        const config::EventsConfig &events =
            r.events ? *r.events
                     : (node ? node->config().events : config::application_configuration().events);
        // The stack sizes are not applied: host threads get the OS default stack, as
        // rtos::Thread does (Mbed's sizes are far too small for host code).
        const unsigned size = which == SharedQueue::kNormal ? events.shared_eventsize
                                                            : events.shared_highprio_eventsize;
        q.queue = std::make_unique<events::EventQueue>(size);
        q.thread = std::make_unique<rtos::Thread>(osPriorityNormal, OS_STACK_SIZE, nullptr,
                                                  kQueueNames[static_cast<int>(which)]);
        if (start_thread_on(*q.thread, executor,
                            mbed::callback(q.queue.get(), &events::EventQueue::dispatch_forever)) ==
            osOK) {
            from_thread_id(q.thread->get_id())->service = true;
        }
    }
    if (node != nullptr && node_slot(*node, which) == nullptr) {
        node_slot(*node, which) = q.queue.get();
        r.node[static_cast<int>(which)] = node;
    }
    return *q.queue;
}

void configure_shared_queues(Executor &executor, const config::EventsConfig &events) {
    std::lock_guard<WaitLock> lock(registry_mutex());
    registry()[&executor].events = events;
}

void release_runtime_resources(Executor &executor) {
    Resources r;
    {
        std::lock_guard<WaitLock> lock(registry_mutex());
        auto it = registry().find(&executor);
        if (it == registry().end()) {
            return;
        }
        r = std::move(it->second);
        registry().erase(it);
        for (int i = 0; i < 2; ++i) {
            if (r.node[i] != nullptr) {
                node_slot(*r.node[i], static_cast<SharedQueue>(i)) = nullptr;
            }
        }
    }
    for (QueueWithThread &q : r.queues) {
        if (q.queue) {
            q.queue->break_dispatch();
            q.thread->join();
            q.queue.reset();
        }
    }
    r.timer.reset();
}

}  // namespace meshwork::platform

void meshwork::release_executor_resources(Executor &executor) {
    platform::release_runtime_resources(executor);
}

namespace mbed {

// A simulated node's queues are its own (its context's slots, dispatched by a fiber of the node,
// sized from its configuration); the host's are its executor's.
events::EventQueue *mbed_event_queue() {
    return &meshwork::platform::shared_event_queue_for(meshwork::current_executor(),
                                                       meshwork::platform::SharedQueue::kNormal,
                                                       meshwork::current_node_context());
}

events::EventQueue *mbed_highprio_event_queue() {
    return &meshwork::platform::shared_event_queue_for(
        meshwork::current_executor(), meshwork::platform::SharedQueue::kHighPriority,
        meshwork::current_node_context());
}

}  // namespace mbed
