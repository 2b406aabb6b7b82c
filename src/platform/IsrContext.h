// Internal: marks the calling thread as running an "interrupt handler" for the scope, inside a
// critical section. The timer thread wraps every Ticker/Timeout/InterruptIn callback in one.
#pragma once

namespace meshwork::platform {

class IsrContext {
  public:
    IsrContext();
    ~IsrContext();
    IsrContext(const IsrContext &) = delete;
    IsrContext &operator=(const IsrContext &) = delete;

  private:
    bool previous_;
};

}  // namespace meshwork::platform
