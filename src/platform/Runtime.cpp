// The host runtime (real time on std::condition_variable) and the per-thread runtime selection.
// Platform code, not core: core has no threads and no waiting.
#include "meshwork/Runtime.h"

namespace meshwork {

namespace {

class HostRuntime final : public Runtime {
  public:
    const Clock &clock() const override { return clock_; }

    bool wait_until(std::condition_variable_any &cv, std::unique_lock<std::mutex> &lock,
                    Instant deadline) override {
        if (deadline == kNever) {
            cv.wait(lock);
            return true;
        }
        const Duration left = deadline - clock_.now();
        if (left <= Duration::zero()) {
            return false;
        }
        // Converted to the steady clock the instants are read from, so the two agree.
        return cv.wait_for(lock, left) == std::cv_status::no_timeout || clock_.now() < deadline;
    }

    void notify_all(std::condition_variable_any &cv) override { cv.notify_all(); }

    void sleep_until(Instant deadline) override {
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock<std::mutex> lock(m);
        while (clock_.now() < deadline) {
            wait_until(cv, lock, deadline);
        }
    }

  private:
    SteadyClock clock_;
};

thread_local Runtime *tls_runtime = nullptr;

}  // namespace

Runtime &host_runtime() {
    // Never destroyed: detached threads and shared event queues may still wait on it while
    // static destructors run at process exit.
    static HostRuntime *const runtime = new HostRuntime;
    return *runtime;
}

Runtime &current_runtime() {
    return tls_runtime ? *tls_runtime : host_runtime();
}

RuntimeScope::RuntimeScope(Runtime &runtime) : previous_(tls_runtime) {
    tls_runtime = &runtime;
}

RuntimeScope::~RuntimeScope() {
    tls_runtime = previous_;
}

}  // namespace meshwork
