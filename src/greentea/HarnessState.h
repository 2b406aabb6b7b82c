// What the utest harness shares with its handlers and with unity: the run in progress. One
// per process, like the console it reports to (the Greentea compatibility edge, ARCHITECTURE
// rule 1): a suite is a program that runs one specification.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "utest/utest.h"

namespace meshwork::greentea {

/// Thrown on the case's own thread to end the running handler (a failed or ignored unity
/// assertion); caught by the harness, never seen by the suite.
struct CaseEnded {};

/// The descriptions of the cases this run executes (after MESHWORK_UTEST_CASE), in order.
std::vector<std::string> selected_case_names();

/// Records a failure of the running case (any thread). `abort_here`: the caller is the case's
/// thread and may be unwound (throws CaseEnded). Outside a run, the failure is the test's.
void record_failure(utest::v1::failure_reason_t reason, bool abort_here);
/// Marks the running case ignored and, on its own thread, ends it (throws CaseEnded).
void record_ignore();
/// True on the thread running the current case's handlers.
bool on_case_thread();

}  // namespace meshwork::greentea
