#include "RuntimeResources.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "events/mbed_shared_queues.h"
#include "meshwork/config/ApplicationConfiguration.h"
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
    // The events.shared-* sizes; unset: the application's configuration.
    std::optional<config::EventsConfig> events;
};

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

events::EventQueue &shared_event_queue_for(Executor &executor, SharedQueue which) {
    std::lock_guard<WaitLock> lock(registry_mutex());
    Resources &r = registry()[&executor];
    QueueWithThread &q = r.queues[static_cast<int>(which)];
    if (!q.queue) {
        const config::EventsConfig &events =
            r.events ? *r.events : config::application_configuration().events;
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

events::EventQueue *mbed_event_queue() {
    return &meshwork::platform::shared_event_queue_for(meshwork::current_executor(),
                                                       meshwork::platform::SharedQueue::kNormal);
}

events::EventQueue *mbed_highprio_event_queue() {
    return &meshwork::platform::shared_event_queue_for(
        meshwork::current_executor(), meshwork::platform::SharedQueue::kHighPriority);
}

}  // namespace mbed
