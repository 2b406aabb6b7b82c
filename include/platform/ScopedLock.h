// RAII lock for any object with lock()/unlock().
#pragma once

#include "platform/NonCopyable.h"

namespace mbed {

template <typename Lockable>
class ScopedLock : private NonCopyable<ScopedLock<Lockable>> {
  public:
    explicit ScopedLock(Lockable &lockable) : lockable_(lockable) { lockable_.lock(); }
    ~ScopedLock() { lockable_.unlock(); }

  private:
    Lockable &lockable_;
};

}  // namespace mbed
