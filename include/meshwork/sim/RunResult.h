// Why a simulation run returned: shared by the kernel's scheduler (src/sim) and the native API
// (Simulation), so both speak of one type.
#pragma once

#include <cstdint>

namespace meshwork::sim {

enum class RunResult : std::uint8_t {
    kDeadline,   // virtual time reached the deadline
    kIdle,       // no event left
    kPredicate,  // the predicate held
    kStopped,    // stop() was called
};

/// "deadline", "idle", "predicate", "stopped".
const char *run_result_name(RunResult r);

}  // namespace meshwork::sim
