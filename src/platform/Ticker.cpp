#include "drivers/Ticker.h"

namespace mbed {

TickerBase::~TickerBase() {
    disarm();
}

void TickerBase::attach(Callback<void()> func, std::chrono::microseconds t) {
    disarm();  // no call of the old function is in progress once this returns
    function_ = std::move(func);
    if (function_) {
        arm(t, periodic_ ? t : std::chrono::microseconds::zero());
    }
}

void TickerBase::detach() {
    disarm();
}

void TickerBase::dispatch(TimerEvent *e) {
    static_cast<TickerBase *>(e)->TickerBase::handler();
}

void TickerBase::handler() {
    // A copy, so the function may re-attach (replace itself) while it runs.
    Callback<void()> f = function_;
    if (f) {
        f();
    }
}

}  // namespace mbed
