#include "RuntimeResources.h"

#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "events/mbed_shared_queues.h"
#include "meshwork/config/ApplicationConfiguration.h"
#include "ThreadControl.h"
#include "TimerThread.h"

namespace meshwork::platform {

namespace {

struct QueueWithThread {
    std::unique_ptr<events::EventQueue> queue;
    std::thread thread;
};

struct Resources {
    std::unique_ptr<TimerThread> timer;
    QueueWithThread queues[2];
    // The events.shared-* sizes; unset: the application's configuration.
    std::optional<config::EventsConfig> events;
};

// Deliberately leaked: threads blocked in these objects may outlive static destruction.
std::mutex &registry_mutex() {
    static auto *m = new std::mutex;
    return *m;
}

std::unordered_map<Runtime *, Resources> &registry() {
    static auto *r = new std::unordered_map<Runtime *, Resources>;
    return *r;
}

const char *const kQueueNames[2] = {"shared_event_queue", "shared_highprio_event_queue"};

}  // namespace

TimerThread &timer_thread_for(Runtime &runtime) {
    std::lock_guard<std::mutex> lock(registry_mutex());
    Resources &r = registry()[&runtime];
    if (!r.timer) {
        r.timer = std::make_unique<TimerThread>(runtime);
    }
    return *r.timer;
}

events::EventQueue &shared_event_queue_for(Runtime &runtime, SharedQueue which) {
    std::lock_guard<std::mutex> lock(registry_mutex());
    Resources &r = registry()[&runtime];
    QueueWithThread &q = r.queues[static_cast<int>(which)];
    if (!q.queue) {
        const config::EventsConfig &events =
            r.events ? *r.events : config::application_configuration().events;
        // The stack sizes are not applied: host threads get the OS default stack, as
        // rtos::Thread does (Mbed's sizes are far too small for host code).
        const unsigned size = which == SharedQueue::kNormal ? events.shared_eventsize
                                                            : events.shared_highprio_eventsize;
        RuntimeScope scope(runtime);  // the queue waits through this runtime
        q.queue = std::make_unique<events::EventQueue>(size);
        events::EventQueue *queue = q.queue.get();
        const char *name = kQueueNames[static_cast<int>(which)];
        q.thread = std::thread([queue, &runtime, name] {
            RuntimeScope thread_scope(runtime);
            runtime.thread_enter();
            current_thread_control().name = name;
            queue->dispatch_forever();
            runtime.thread_exit();
        });
    }
    return *q.queue;
}

void configure_shared_queues(Runtime &runtime, const config::EventsConfig &events) {
    std::lock_guard<std::mutex> lock(registry_mutex());
    registry()[&runtime].events = events;
}

void release_runtime_resources(Runtime &runtime) {
    Resources r;
    {
        std::lock_guard<std::mutex> lock(registry_mutex());
        auto it = registry().find(&runtime);
        if (it == registry().end()) {
            return;
        }
        r = std::move(it->second);
        registry().erase(it);
    }
    for (QueueWithThread &q : r.queues) {
        if (q.queue) {
            q.queue->break_dispatch();
            q.thread.join();
            q.queue.reset();
        }
    }
    r.timer.reset();
}

}  // namespace meshwork::platform

namespace mbed {

events::EventQueue *mbed_event_queue() {
    return &meshwork::platform::shared_event_queue_for(meshwork::current_runtime(),
                                                       meshwork::platform::SharedQueue::kNormal);
}

events::EventQueue *mbed_highprio_event_queue() {
    return &meshwork::platform::shared_event_queue_for(
        meshwork::current_runtime(), meshwork::platform::SharedQueue::kHighPriority);
}

}  // namespace mbed
