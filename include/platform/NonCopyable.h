// Base class that forbids copying of the derived class T (CRTP keeps unrelated bases distinct).
#pragma once

namespace mbed {

template <typename T>
class NonCopyable {
  protected:
    NonCopyable() = default;
    ~NonCopyable() = default;

  public:
    NonCopyable(const NonCopyable &) = delete;
    NonCopyable &operator=(const NonCopyable &) = delete;
};

}  // namespace mbed
