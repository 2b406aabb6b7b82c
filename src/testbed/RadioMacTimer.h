// MacTimer on the simulation scheduler: a node's MAC timer as one pending scheduler event.
#pragma once

#include "mesh/mac/Mac.h"
#include "sim/Scheduler.h"

namespace meshwork::testbed {

class RadioMacTimer final : public mac::MacTimer {
  public:
    explicit RadioMacTimer(sim::Scheduler &scheduler) : sched_(scheduler) {}
    ~RadioMacTimer() override { disarm(); }
    RadioMacTimer(const RadioMacTimer &) = delete;
    RadioMacTimer &operator=(const RadioMacTimer &) = delete;

    /// The MAC that on_timer() goes to (set once the MAC exists).
    void bind(mac::Mac *m) { mac_ = m; }

    void arm(Instant at) override {
        disarm();
        event_ = sched_.at(at, [this] {
            event_ = 0;
            if (mac_)
                mac_->on_timer();
        });
    }
    void disarm() override {
        if (event_ != 0)
            sched_.cancel(event_);
        event_ = 0;
    }

  private:
    sim::Scheduler &sched_;
    mac::Mac *mac_ = nullptr;
    sim::Scheduler::EventId event_ = 0;
};

}  // namespace meshwork::testbed
