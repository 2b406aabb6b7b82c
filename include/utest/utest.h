// utest: the test-case harness of Mbed's Greentea suites, written for meshwork.
//
// A suite lists its cases in a Specification and runs it with Harness::run(). Each case has a
// handler (plain, returning a control_t, or taking its call count) and optional setup, teardown
// and failure handlers; the specification has test-level setup, teardown and failure handlers,
// and a set of defaults (handlers_t) for the ones a case or the specification does not name.
// A handler's control_t asks for a repeat (CaseRepeatAll, CaseRepeatHandler), for an
// asynchronous wait (CaseTimeout(ms), CaseAwait) ended by Harness::validate_callback() from any
// thread, or for nothing more (CaseNext, CaseNoRepeat).
//
// A failure (a unity assertion, a timeout, Harness::raise_failure) goes to the case's failure
// handler, which continues with the next case, ignores the failure or aborts the run. An
// assertion failing on the thread that runs the case ends that case at once; one failing on
// another thread (a callback) marks the case failed when it finishes.
//
// meshwork extensions, for CTest (docs/greentea.md): with MESHWORK_UTEST_LIST=1 in the
// environment, Harness::run() prints one line "case <index> <description>" per case and runs
// nothing; with MESHWORK_UTEST_CASE=<index> it runs only that case (test setup and teardown
// still run, and see a suite of one case).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <type_traits>

#include "utest/utest_print.h"

namespace utest {
namespace v1 {

/// What a setup, teardown or failure handler asks the harness to do next.
enum status_t {
    STATUS_CONTINUE = 0,  ///< go on as usual
    STATUS_IGNORE = 1,    ///< (failure handlers) treat the failure as if it had not happened
    STATUS_ABORT = 2,     ///< stop: no further case runs
};

/// Why something failed.
enum failure_reason_t {
    REASON_NONE = 0,
    REASON_UNKNOWN = (1 << 0),
    REASON_CASES = (1 << 1),  ///< some cases failed (test teardown)
    REASON_EMPTY_CASE = (1 << 2),
    REASON_TIMEOUT = (1 << 3),
    REASON_ASSERTION = (1 << 4),
    REASON_TEST_SETUP = (1 << 5),
    REASON_TEST_TEARDOWN = (1 << 6),
    REASON_CASE_SETUP = (1 << 7),
    REASON_CASE_HANDLER = (1 << 8),
    REASON_CASE_TEARDOWN = (1 << 9),
    REASON_CASE_INDEX = (1 << 10),
    REASON_SCHEDULER = (1 << 11),
    REASON_IGNORE = 0x8000,  ///< or-ed in when a failure handler ignored the failure
};

/// Where it failed.
enum location_t {
    LOCATION_NONE = 0,
    LOCATION_TEST_SETUP,
    LOCATION_TEST_TEARDOWN,
    LOCATION_CASE_SETUP,
    LOCATION_CASE_HANDLER,
    LOCATION_CASE_TEARDOWN,
    LOCATION_UNKNOWN,
};

struct failure_t {
    failure_t(failure_reason_t r) : reason(r) {}  // NOLINT: implicit, as suites rely on
    failure_t(location_t l) : location(l) {}      // NOLINT
    failure_t(failure_reason_t r, location_t l) : reason(r), location(l) {}
    /// The same failure, marked as ignored.
    failure_t ignored() const {
        return failure_t(static_cast<failure_reason_t>(reason | REASON_IGNORE), location);
    }

    failure_reason_t reason = REASON_NONE;
    location_t location = LOCATION_NONE;
};

const char *stringify(failure_reason_t reason);
const char *stringify(location_t location);
const char *stringify(status_t status);

/// Repeat requests of a control_t (bit flags).
enum repeat_t {
    REPEAT_UNDECLR = 0,
    REPEAT_NONE = 1,             ///< do not repeat
    REPEAT_ON_TIMEOUT = 2,       ///< repeat if the asynchronous wait times out
    REPEAT_ON_VALIDATE = 4,      ///< repeat when the asynchronous wait is validated
    REPEAT_CASE_ONLY = 8,        ///< repeat the handler only (no teardown/setup in between)
    REPEAT_SETUP_TEARDOWN = 16,  ///< repeat with teardown and setup in between
    REPEAT_MASK = REPEAT_ON_TIMEOUT | REPEAT_ON_VALIDATE,
    REPEAT_ALL = REPEAT_MASK | REPEAT_SETUP_TEARDOWN,
    REPEAT_HANDLER = REPEAT_MASK | REPEAT_CASE_ONLY,
    REPEAT_ALL_ON_TIMEOUT = REPEAT_SETUP_TEARDOWN | REPEAT_ON_TIMEOUT,
    REPEAT_HANDLER_ON_TIMEOUT = REPEAT_CASE_ONLY | REPEAT_ON_TIMEOUT,
};

constexpr uint32_t TIMEOUT_NONE = uint32_t(-1);     ///< no asynchronous wait
constexpr uint32_t TIMEOUT_FOREVER = uint32_t(-2);  ///< wait for validate_callback() forever
constexpr uint32_t TIMEOUT_UNDECLR = uint32_t(-3);

/// A handler's request to the harness: repeat, wait asynchronously, or move on.
struct control_t {
    control_t() = default;
    control_t(repeat_t r) : repeat(r) {}   // NOLINT: implicit, as on Mbed
    control_t(uint32_t t) : timeout(t) {}  // NOLINT
    control_t(repeat_t r, uint32_t t) : repeat(r), timeout(t) {}

    /// Combines two requests: repeats are merged, the shorter timeout wins.
    control_t operator+(const control_t &rhs) const;

    repeat_t get_repeat() const { return repeat; }
    uint32_t get_timeout() const { return timeout; }

    repeat_t repeat = REPEAT_UNDECLR;
    uint32_t timeout = TIMEOUT_UNDECLR;
};

/// Move on to the next case (no repeat, no wait).
extern const control_t CaseNext;
extern const control_t CaseNoRepeat;
/// Run the case again, with its teardown and setup in between.
extern const control_t CaseRepeatAll;
/// Run the handler again.
extern const control_t CaseRepeatHandler;
/// Wait for Harness::validate_callback() without a limit.
extern const control_t CaseAwait;
/// Wait up to `ms` for Harness::validate_callback(); a timeout is a failure.
control_t CaseTimeout(uint32_t ms);
/// Wait up to `ms`; on timeout, run the case (or only the handler) again instead of failing.
control_t CaseRepeatAllOnTimeout(uint32_t ms);
control_t CaseRepeatHandlerOnTimeout(uint32_t ms);

class Case;
namespace detail {
struct HarnessAccess;  // the harness's view of a Case
}  // namespace detail

typedef status_t (*test_setup_handler_t)(const size_t number_of_cases);
typedef void (*test_teardown_handler_t)(const size_t passed, const size_t failed,
                                        const failure_t failure);
typedef void (*test_failure_handler_t)(const failure_t failure);
typedef status_t (*case_setup_handler_t)(const Case *const source, const size_t index_of_case);
typedef void (*case_handler_t)(void);
typedef control_t (*case_control_handler_t)(void);
typedef control_t (*case_call_count_handler_t)(const size_t call_count);
typedef status_t (*case_teardown_handler_t)(const Case *const source, const size_t passed,
                                            const size_t failed, const failure_t reason);
typedef status_t (*case_failure_handler_t)(const Case *const source, const failure_t reason);

namespace detail {
template <typename R, typename... A>
R ignore_function(A...) {
    if constexpr (std::is_same<R, status_t>::value) {
        return STATUS_IGNORE;  // a failure handler that ignores the failure
    } else if constexpr (!std::is_void<R>::value) {
        return R();
    }
}
}  // namespace detail

namespace detail {
template <typename R, typename... A>
using function_pointer = R (*)(A...);
}  // namespace detail

/// Stands for "the default of the handler set" wherever a handler is expected.
struct default_handler_t {
    template <typename R, typename... A>
    constexpr operator detail::function_pointer<R, A...>() const {  // NOLINT: every handler type
        return nullptr;
    }
};
/// A handler that does nothing (and, as a failure handler, ignores the failure).
struct ignore_handler_t {
    template <typename R, typename... A>
    constexpr operator detail::function_pointer<R, A...>() const {  // NOLINT
        return &detail::ignore_function<R, A...>;
    }
};
constexpr default_handler_t default_handler{};
constexpr ignore_handler_t ignore_handler{};

/// The handlers a specification uses where neither it nor a case names one.
struct handlers_t {
    test_setup_handler_t test_setup = nullptr;
    test_teardown_handler_t test_teardown = nullptr;
    test_failure_handler_t test_failure = nullptr;
    case_setup_handler_t case_setup = nullptr;
    case_teardown_handler_t case_teardown = nullptr;
    case_failure_handler_t case_failure = nullptr;
};

// The handler sets. verbose_*: print progress; greentea_*: also report to the host over the
// key-value protocol (__testcase_start, __testcase_finish, __testcase_summary, end).
status_t verbose_test_setup_handler(const size_t number_of_cases);
void verbose_test_teardown_handler(const size_t passed, const size_t failed,
                                   const failure_t failure);
void verbose_test_failure_handler(const failure_t failure);
status_t verbose_case_setup_handler(const Case *const source, const size_t index_of_case);
status_t verbose_case_teardown_handler(const Case *const source, const size_t passed,
                                       const size_t failed, const failure_t failure);
status_t verbose_case_failure_handler(const Case *const source, const failure_t reason);

/// Announces the cases to the host; call it from the suite's test setup after GREENTEA_SETUP.
status_t greentea_test_setup_handler(const size_t number_of_cases);
void greentea_test_teardown_handler(const size_t passed, const size_t failed,
                                    const failure_t failure);
void greentea_test_failure_handler(const failure_t failure);
status_t greentea_case_setup_handler(const Case *const source, const size_t index_of_case);
status_t greentea_case_teardown_handler(const Case *const source, const size_t passed,
                                        const size_t failed, const failure_t failure);
/// Case failure handlers: report, then abort the run / continue with the next case.
status_t greentea_case_failure_abort_handler(const Case *const source, const failure_t reason);
status_t greentea_case_failure_continue_handler(const Case *const source, const failure_t reason);

extern const handlers_t default_handlers;  ///< greentea reporting, abort on failure
extern const handlers_t greentea_abort_handlers;
extern const handlers_t greentea_continue_handlers;
extern const handlers_t verbose_continue_handlers;
extern const handlers_t selftest_handlers;

/// One test case.
class Case {
  public:
    Case(const char *description, const case_handler_t handler,
         const case_failure_handler_t failure_handler = default_handler);
    Case(const char *description, const case_control_handler_t handler,
         const case_failure_handler_t failure_handler = default_handler);
    Case(const char *description, const case_call_count_handler_t handler,
         const case_failure_handler_t failure_handler = default_handler);

    Case(const char *description, const case_setup_handler_t setup_handler,
         const case_handler_t handler,
         const case_teardown_handler_t teardown_handler = default_handler,
         const case_failure_handler_t failure_handler = default_handler);
    Case(const char *description, const case_setup_handler_t setup_handler,
         const case_control_handler_t handler,
         const case_teardown_handler_t teardown_handler = default_handler,
         const case_failure_handler_t failure_handler = default_handler);
    Case(const char *description, const case_setup_handler_t setup_handler,
         const case_call_count_handler_t handler,
         const case_teardown_handler_t teardown_handler = default_handler,
         const case_failure_handler_t failure_handler = default_handler);

    Case(const char *description, const case_handler_t handler,
         const case_teardown_handler_t teardown_handler,
         const case_failure_handler_t failure_handler = default_handler);
    Case(const char *description, const case_control_handler_t handler,
         const case_teardown_handler_t teardown_handler,
         const case_failure_handler_t failure_handler = default_handler);
    Case(const char *description, const case_call_count_handler_t handler,
         const case_teardown_handler_t teardown_handler,
         const case_failure_handler_t failure_handler = default_handler);

    const char *get_description() const { return description_; }
    bool is_empty() const { return !handler_ && !control_handler_ && !repeat_count_handler_; }

  private:
    friend class Harness;
    friend struct detail::HarnessAccess;
    const char *description_;
    case_handler_t handler_ = nullptr;
    case_control_handler_t control_handler_ = nullptr;
    case_call_count_handler_t repeat_count_handler_ = nullptr;
    case_setup_handler_t setup_handler_ = nullptr;
    case_teardown_handler_t teardown_handler_ = nullptr;
    case_failure_handler_t failure_handler_ = nullptr;
};

/// The cases of a suite and its test-level handlers.
class Specification {
  public:
    template <size_t N>
    Specification(const Case (&cases)[N], const handlers_t defaults = default_handlers)
        : Specification(nullptr, cases, N, nullptr, nullptr, defaults) {}
    template <size_t N>
    Specification(const Case (&cases)[N], const test_teardown_handler_t teardown,
                  const handlers_t defaults = default_handlers)
        : Specification(nullptr, cases, N, teardown, nullptr, defaults) {}
    template <size_t N>
    Specification(const Case (&cases)[N], const test_teardown_handler_t teardown,
                  const test_failure_handler_t failure,
                  const handlers_t defaults = default_handlers)
        : Specification(nullptr, cases, N, teardown, failure, defaults) {}
    template <size_t N>
    Specification(const test_setup_handler_t setup, const Case (&cases)[N],
                  const handlers_t defaults = default_handlers)
        : Specification(setup, cases, N, nullptr, nullptr, defaults) {}
    template <size_t N>
    Specification(const test_setup_handler_t setup, const Case (&cases)[N],
                  const test_teardown_handler_t teardown,
                  const handlers_t defaults = default_handlers)
        : Specification(setup, cases, N, teardown, nullptr, defaults) {}
    template <size_t N>
    Specification(const test_setup_handler_t setup, const Case (&cases)[N],
                  const test_teardown_handler_t teardown, const test_failure_handler_t failure,
                  const handlers_t defaults = default_handlers)
        : Specification(setup, cases, N, teardown, failure, defaults) {}

  private:
    friend class Harness;
    Specification(test_setup_handler_t setup, const Case *cases, size_t length,
                  test_teardown_handler_t teardown, test_failure_handler_t failure,
                  const handlers_t &defaults);

    const Case *cases_;
    size_t length_;
    handlers_t handlers_;  // the specification's own, with the defaults filled in
};

/// Runs a specification (one at a time per process).
class Harness {
  public:
    /// Runs every case (or the one MESHWORK_UTEST_CASE names); true if none failed.
    static bool run(const Specification &specification);
    /// Runs the cases from `start_case` on.
    static bool run(const Specification &specification, size_t start_case);
    /// Records a failure of the running case (or of the test, outside any case).
    static void raise_failure(const failure_reason_t reason);
    /// Ends the running case's asynchronous wait, from any thread; `control` is merged into
    /// the handler's request. False if no wait is pending.
    static bool validate_callback(const control_t control = control_t());
    /// True while a case runs.
    static bool is_busy();
};

}  // namespace v1
}  // namespace utest
