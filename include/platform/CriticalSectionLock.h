// RAII critical section (see mbed_critical.h for what that means on a host).
#pragma once

#include "platform/NonCopyable.h"
#include "platform/mbed_critical.h"

namespace mbed {

class CriticalSectionLock : private NonCopyable<CriticalSectionLock> {
  public:
    CriticalSectionLock() { core_util_critical_section_enter(); }
    ~CriticalSectionLock() { core_util_critical_section_exit(); }

    static void enable() { core_util_critical_section_enter(); }
    static void disable() { core_util_critical_section_exit(); }
};

}  // namespace mbed
