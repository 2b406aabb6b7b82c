#include "core/Time.h"

namespace meshwork {

Instant SteadyClock::now() const
{
    static const auto epoch = std::chrono::steady_clock::now();
    return Instant(std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - epoch));
}

}  // namespace meshwork
