#include "drivers/TimerEvent.h"

#include "RuntimeResources.h"
#include "TimerThread.h"

namespace mbed {

TimerEvent::TimerEvent() : TimerEvent(&TimerEvent::dispatch_virtual) {}

TimerEvent::TimerEvent(Dispatch dispatch) : dispatch_(dispatch) {}

TimerEvent::~TimerEvent() {
    disarm();
}

void TimerEvent::arm(std::chrono::microseconds delay, std::chrono::microseconds period) {
    meshwork::platform::TimerThread *t = thread_.load();
    if (!t) {
        t = &meshwork::platform::timer_thread_for(meshwork::current_executor());
        thread_ = t;
    }
    t->arm(this, delay, period);
}

void TimerEvent::disarm() {
    if (meshwork::platform::TimerThread *t = thread_.load()) {
        t->disarm(this);
    }
}

std::chrono::microseconds TimerEvent::remaining() const {
    meshwork::platform::TimerThread *t = thread_.load();
    return t ? t->remaining(this) : std::chrono::microseconds::zero();
}

bool TimerEvent::armed() const {
    meshwork::platform::TimerThread *t = thread_.load();
    return t && t->armed(this);
}

}  // namespace mbed
