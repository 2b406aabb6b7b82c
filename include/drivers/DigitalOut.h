// Digital I/O as in-memory dummies: there is no hardware, so an output remembers the value
// written and an input reads its pull level (1 for PullUp, else 0). Enough for examples that
// blink LEDs and read buttons to compile and run.
#pragma once

#include <atomic>

#include "drivers/PinNames.h"
#include "platform/Callback.h"
#include "platform/mbed_toolchain.h"

namespace mbed {

class DigitalOut {
  public:
    explicit DigitalOut(PinName pin) : pin_(pin) {}
    DigitalOut(PinName pin, int value) : pin_(pin), value_(value ? 1 : 0) {}

    void write(int value) { value_ = value ? 1 : 0; }
    int read() { return value_; }
    int is_connected() { return pin_ != NC; }

    DigitalOut &operator=(int value) {
        write(value);
        return *this;
    }
    DigitalOut &operator=(DigitalOut &rhs) {
        write(rhs.read());
        return *this;
    }
    operator int() { return read(); }

  private:
    PinName pin_;
    std::atomic<int> value_{0};
};

class DigitalIn {
  public:
    explicit DigitalIn(PinName pin) : pin_(pin) {}
    DigitalIn(PinName pin, PinMode mode) : pin_(pin) { this->mode(mode); }

    int read() { return value_; }
    void mode(PinMode pull) { value_ = pull == PullUp ? 1 : 0; }
    int is_connected() { return pin_ != NC; }
    operator int() { return read(); }

  private:
    PinName pin_;
    std::atomic<int> value_{0};
};

class DigitalInOut {
  public:
    explicit DigitalInOut(PinName pin) : pin_(pin) {}
    DigitalInOut(PinName pin, PinDirection direction, PinMode mode, int value)
        : pin_(pin), value_(value ? 1 : 0) {}

    void write(int value) { value_ = value ? 1 : 0; }
    int read() { return value_; }
    void output() {}
    void input() {}
    void mode(PinMode pull) {}
    int is_connected() { return pin_ != NC; }
    DigitalInOut &operator=(int value) {
        write(value);
        return *this;
    }
    operator int() { return read(); }

  private:
    PinName pin_;
    std::atomic<int> value_{0};
};

}  // namespace mbed
