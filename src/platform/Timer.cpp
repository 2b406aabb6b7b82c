#include "drivers/Timer.h"

#include "meshwork/Executor.h"

namespace mbed {

namespace {
std::chrono::microseconds now() {
    return meshwork::current_executor().now().time_since_epoch();
}
}  // namespace

std::chrono::microseconds TimerBase::elapsed_locked() const {
    return running_ ? accumulated_ + (now() - start_) : accumulated_;
}

void TimerBase::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) {
        start_ = now();
        running_ = true;
    }
}

void TimerBase::stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    accumulated_ = elapsed_locked();
    running_ = false;
}

void TimerBase::reset() {
    std::lock_guard<std::mutex> lock(mutex_);
    accumulated_ = std::chrono::microseconds::zero();
    start_ = now();
}

std::chrono::microseconds TimerBase::elapsed_time() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return elapsed_locked();
}

float TimerBase::read() const {
    return std::chrono::duration<float>(elapsed_time()).count();
}

int TimerBase::read_ms() const {
    return static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(elapsed_time()).count());
}

int TimerBase::read_us() const {
    return static_cast<int>(elapsed_time().count());
}

uint64_t TimerBase::read_high_resolution_us() const {
    return static_cast<uint64_t>(elapsed_time().count());
}

TimerBase::operator float() const {
    return std::chrono::duration<float>(elapsed_time()).count();
}

}  // namespace mbed
