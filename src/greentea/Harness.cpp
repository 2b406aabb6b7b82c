// utest's Case, Specification, control_t and Harness: cases run one after the other on the
// thread that called Harness::run(); asynchronous waits block that thread on a condition
// variable until validate_callback(), a failure or the timeout.
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "HarnessState.h"
#include "utest/utest.h"

namespace utest {
namespace v1 {

namespace {

using meshwork::greentea::CaseEnded;

// The run in progress (see HarnessState.h for why there is one).
struct Run {
    std::mutex mutex;
    std::condition_variable cv;
    bool busy = false;                       // a case is running
    std::thread::id case_thread;             // the thread running it
    bool validated = false;                  // validate_callback() came for this call
    control_t validated_control;             // what it asked for
    failure_reason_t failure = REASON_NONE;  // the first failure of this call
    bool ignored = false;                    // TEST_IGNORE in this call
    std::vector<std::string> names;          // the selected cases' descriptions
};

Run &run_state() {
    static auto *r = new Run;  // never destroyed: callbacks of late threads may still look
    return *r;
}

bool env_flag(const char *name) {
    const char *v = std::getenv(name);
    return v && v[0] == '1' && v[1] == '\0';
}

template <typename F, typename... A>
bool call_guarded(F f, A... args) {  // false if the handler was ended by an assertion
    try {
        f(args...);
        return true;
    } catch (const CaseEnded &) {
        return false;
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// control_t

control_t control_t::operator+(const control_t &rhs) const {
    control_t out;
    out.repeat = static_cast<repeat_t>(repeat | rhs.repeat);
    const bool none = repeat & REPEAT_NONE || rhs.repeat & REPEAT_NONE;
    if (none) {
        out.repeat = REPEAT_NONE;
    }
    const auto declared = [](uint32_t t) { return t != TIMEOUT_UNDECLR; };
    if (declared(timeout) && declared(rhs.timeout)) {
        out.timeout = timeout < rhs.timeout ? timeout : rhs.timeout;
    } else {
        out.timeout = declared(timeout) ? timeout : rhs.timeout;
    }
    return out;
}

const control_t CaseNext(REPEAT_NONE, TIMEOUT_NONE);
const control_t CaseNoRepeat(REPEAT_NONE);
const control_t CaseRepeatAll(REPEAT_ALL);
const control_t CaseRepeatHandler(REPEAT_HANDLER);
const control_t CaseAwait(TIMEOUT_FOREVER);

control_t CaseTimeout(uint32_t ms) {
    return control_t(ms);
}
control_t CaseRepeatAllOnTimeout(uint32_t ms) {
    return control_t(REPEAT_ALL_ON_TIMEOUT, ms);
}
control_t CaseRepeatHandlerOnTimeout(uint32_t ms) {
    return control_t(REPEAT_HANDLER_ON_TIMEOUT, ms);
}

// ---------------------------------------------------------------------------------------------
// Case and Specification

Case::Case(const char *d, const case_handler_t h, const case_failure_handler_t f)
    : description_(d), handler_(h), failure_handler_(f) {}
Case::Case(const char *d, const case_control_handler_t h, const case_failure_handler_t f)
    : description_(d), control_handler_(h), failure_handler_(f) {}
Case::Case(const char *d, const case_call_count_handler_t h, const case_failure_handler_t f)
    : description_(d), repeat_count_handler_(h), failure_handler_(f) {}
Case::Case(const char *d, const case_setup_handler_t s, const case_handler_t h,
           const case_teardown_handler_t t, const case_failure_handler_t f)
    : description_(d), handler_(h), setup_handler_(s), teardown_handler_(t), failure_handler_(f) {}
Case::Case(const char *d, const case_setup_handler_t s, const case_control_handler_t h,
           const case_teardown_handler_t t, const case_failure_handler_t f)
    : description_(d),
      control_handler_(h),
      setup_handler_(s),
      teardown_handler_(t),
      failure_handler_(f) {}
Case::Case(const char *d, const case_setup_handler_t s, const case_call_count_handler_t h,
           const case_teardown_handler_t t, const case_failure_handler_t f)
    : description_(d),
      repeat_count_handler_(h),
      setup_handler_(s),
      teardown_handler_(t),
      failure_handler_(f) {}
Case::Case(const char *d, const case_handler_t h, const case_teardown_handler_t t,
           const case_failure_handler_t f)
    : description_(d), handler_(h), teardown_handler_(t), failure_handler_(f) {}
Case::Case(const char *d, const case_control_handler_t h, const case_teardown_handler_t t,
           const case_failure_handler_t f)
    : description_(d), control_handler_(h), teardown_handler_(t), failure_handler_(f) {}
Case::Case(const char *d, const case_call_count_handler_t h, const case_teardown_handler_t t,
           const case_failure_handler_t f)
    : description_(d), repeat_count_handler_(h), teardown_handler_(t), failure_handler_(f) {}

Specification::Specification(test_setup_handler_t setup, const Case *cases, size_t length,
                             test_teardown_handler_t teardown, test_failure_handler_t failure,
                             const handlers_t &defaults)
    : cases_(cases), length_(length), handlers_(defaults) {
    if (setup) {
        handlers_.test_setup = setup;
    }
    if (teardown) {
        handlers_.test_teardown = teardown;
    }
    if (failure) {
        handlers_.test_failure = failure;
    }
}

// ---------------------------------------------------------------------------------------------
// Harness

namespace {

struct Outcome {
    size_t passed = 0;
    size_t failed = 0;
    bool abort = false;
};

// Takes the call's failure (and ignore mark) out of the run state.
failure_reason_t take_failure(Run &r, bool *ignored) {
    std::lock_guard<std::mutex> lock(r.mutex);
    const failure_reason_t f = r.failure;
    *ignored = r.ignored;
    r.failure = REASON_NONE;
    r.ignored = false;
    return f;
}

// A failure at `where` goes to the case's failure handler; returns its verdict.
status_t handle_failure(const Case &c, case_failure_handler_t handler, failure_reason_t reason,
                        location_t where) {
    const failure_t failure(reason, where);
    if (!handler) {
        return STATUS_ABORT;
    }
    status_t s = STATUS_ABORT;
    if (!call_guarded([&] { s = handler(&c, failure); })) {
        return STATUS_ABORT;
    }
    return s;
}

}  // namespace

struct detail::HarnessAccess {
    static Outcome run_case(const Case &c, size_t index, const handlers_t &defaults);
};

Outcome detail::HarnessAccess::run_case(const Case &c, size_t index, const handlers_t &defaults) {
    Run &r = run_state();
    const auto setup = c.setup_handler_ ? c.setup_handler_ : defaults.case_setup;
    const auto teardown = c.teardown_handler_ ? c.teardown_handler_ : defaults.case_teardown;
    const auto on_failure = c.failure_handler_ ? c.failure_handler_ : defaults.case_failure;
    Outcome out;
    size_t call_count = 1;
    bool need_setup = true;
    failure_t last(REASON_NONE, LOCATION_NONE);
    for (;;) {
        if (need_setup && setup) {
            status_t s = STATUS_CONTINUE;
            bool ignored = false;
            if (!call_guarded([&] { s = setup(&c, index); }) || s != STATUS_CONTINUE) {
                take_failure(r, &ignored);
                if (handle_failure(c, on_failure, REASON_CASE_SETUP, LOCATION_CASE_SETUP) !=
                    STATUS_IGNORE) {
                    out.failed++;
                    out.abort = s == STATUS_ABORT;
                    last = failure_t(REASON_CASE_SETUP, LOCATION_CASE_SETUP);
                    break;
                }
            }
        }
        need_setup = false;
        {
            std::lock_guard<std::mutex> lock(r.mutex);
            r.validated = false;
            r.validated_control = control_t();
        }
        control_t control;
        if (c.is_empty()) {
            Harness::raise_failure(REASON_EMPTY_CASE);
        } else {
            call_guarded([&] {
                if (c.handler_) {
                    c.handler_();
                } else if (c.control_handler_) {
                    control = c.control_handler_();
                } else {
                    control = c.repeat_count_handler_(call_count);
                }
            });
        }
        // The asynchronous wait, if asked for: until validated, failed or timed out.
        bool validated = true;
        const uint32_t timeout = control.timeout;
        if (timeout != TIMEOUT_NONE && timeout != TIMEOUT_UNDECLR) {
            std::unique_lock<std::mutex> lock(r.mutex);
            const auto done = [&] { return r.validated || r.failure != REASON_NONE || r.ignored; };
            if (timeout == TIMEOUT_FOREVER) {
                r.cv.wait(lock, done);
            } else {
                r.cv.wait_for(lock, std::chrono::milliseconds(timeout), done);
            }
            validated = r.validated;
            if (validated) {
                control = control + r.validated_control;
            }
        }
        bool ignored = false;
        failure_reason_t failure = take_failure(r, &ignored);
        const bool timed_out = !validated && failure == REASON_NONE && !ignored;
        bool repeat = false;
        if (timed_out) {
            if (control.repeat & REPEAT_ON_TIMEOUT) {
                repeat = true;
            } else {
                failure = REASON_TIMEOUT;
            }
        } else if (failure == REASON_NONE && (control.repeat & REPEAT_ON_VALIDATE) &&
                   !(control.repeat & REPEAT_NONE)) {
            repeat = true;
        }
        if (failure != REASON_NONE) {
            const status_t s = handle_failure(c, on_failure, failure, LOCATION_CASE_HANDLER);
            if (s == STATUS_IGNORE) {
                last = failure_t(failure, LOCATION_CASE_HANDLER).ignored();
                out.passed++;
            } else {
                last = failure_t(failure, LOCATION_CASE_HANDLER);
                out.failed++;
                out.abort = s == STATUS_ABORT;
                repeat = false;
            }
        } else {
            out.passed++;
        }
        if (repeat && (control.repeat & REPEAT_SETUP_TEARDOWN)) {
            need_setup = true;
        }
        if (!repeat || need_setup) {
            if (teardown) {
                status_t s = STATUS_CONTINUE;
                if (!call_guarded([&] { s = teardown(&c, out.passed, out.failed, last); }) ||
                    s != STATUS_CONTINUE) {
                    take_failure(r, &ignored);
                    if (handle_failure(c, on_failure, REASON_CASE_TEARDOWN,
                                       LOCATION_CASE_TEARDOWN) != STATUS_IGNORE) {
                        out.failed++;
                        out.abort = out.abort || s == STATUS_ABORT;
                        break;
                    }
                }
            }
        }
        if (!repeat || out.abort) {
            break;
        }
        call_count++;
    }
    return out;
}

bool Harness::run(const Specification &specification) {
    return run(specification, 0);
}

bool Harness::run(const Specification &specification, size_t start_case) {
    Run &r = run_state();
    std::vector<size_t> selected;
    for (size_t i = start_case; i < specification.length_; ++i) {
        selected.push_back(i);
    }
    if (env_flag("MESHWORK_UTEST_LIST")) {
        for (size_t i : selected) {
            std::printf("MESHWORK_UTEST_CASE %zu %s\n", i,
                        specification.cases_[i].get_description());
        }
        std::fflush(stdout);
        return true;
    }
    if (const char *only = std::getenv("MESHWORK_UTEST_CASE")) {
        char *end = nullptr;
        const unsigned long index = std::strtoul(only, &end, 10);
        selected.clear();
        if (end != only && *end == '\0' && index < specification.length_) {
            selected.push_back(index);
        } else {
            std::fprintf(stderr, "utest: MESHWORK_UTEST_CASE=%s names no case\n", only);
            return false;
        }
    }
    {
        std::lock_guard<std::mutex> lock(r.mutex);
        r.names.clear();
        for (size_t i : selected) {
            r.names.emplace_back(specification.cases_[i].get_description());
        }
        r.failure = REASON_NONE;
        r.ignored = false;
    }
    const handlers_t &h = specification.handlers_;
    if (h.test_setup) {
        status_t s = STATUS_CONTINUE;
        if (!call_guarded([&] { s = h.test_setup(selected.size()); }) || s != STATUS_CONTINUE) {
            const failure_t failure(REASON_TEST_SETUP, LOCATION_TEST_SETUP);
            if (h.test_failure) {
                h.test_failure(failure);
            }
            if (h.test_teardown) {
                h.test_teardown(0, 0, failure);
            }
            return false;
        }
    }
    size_t passed = 0;
    size_t failed = 0;
    for (size_t i : selected) {
        {
            std::lock_guard<std::mutex> lock(r.mutex);
            r.busy = true;
            r.case_thread = std::this_thread::get_id();
        }
        const Outcome o = detail::HarnessAccess::run_case(specification.cases_[i], i, h);
        {
            std::lock_guard<std::mutex> lock(r.mutex);
            r.busy = false;
            r.case_thread = std::thread::id();
        }
        if (o.failed) {
            failed++;
        } else {
            passed++;
        }
        if (o.abort) {
            break;
        }
    }
    if (h.test_teardown) {
        h.test_teardown(passed, failed,
                        failed ? failure_t(REASON_CASES, LOCATION_UNKNOWN)
                               : failure_t(REASON_NONE, LOCATION_NONE));
    }
    return failed == 0 && passed == selected.size();
}

void Harness::raise_failure(const failure_reason_t reason) {
    meshwork::greentea::record_failure(reason, false);
}

bool Harness::validate_callback(const control_t control) {
    Run &r = run_state();
    {
        std::lock_guard<std::mutex> lock(r.mutex);
        if (!r.busy || r.validated) {
            return false;
        }
        r.validated = true;
        r.validated_control = control;
    }
    r.cv.notify_all();
    return true;
}

bool Harness::is_busy() {
    Run &r = run_state();
    std::lock_guard<std::mutex> lock(r.mutex);
    return r.busy;
}

}  // namespace v1
}  // namespace utest

namespace meshwork::greentea {

std::vector<std::string> selected_case_names() {
    auto &r = utest::v1::run_state();
    std::lock_guard<std::mutex> lock(r.mutex);
    return r.names;
}

bool on_case_thread() {
    auto &r = utest::v1::run_state();
    std::lock_guard<std::mutex> lock(r.mutex);
    return r.busy && r.case_thread == std::this_thread::get_id();
}

void record_failure(utest::v1::failure_reason_t reason, bool abort_here) {
    auto &r = utest::v1::run_state();
    bool busy;
    bool own_thread;
    {
        std::lock_guard<std::mutex> lock(r.mutex);
        busy = r.busy;
        own_thread = busy && r.case_thread == std::this_thread::get_id();
        if (busy && r.failure == utest::v1::REASON_NONE) {
            r.failure = reason;
        }
    }
    if (!busy) {
        // Not inside a case (main() before the run, a stray thread after it): the suite has
        // failed, and nothing is left to report it but the exit status.
        std::fprintf(stderr, "utest: failure outside a test case\n");
        std::fflush(nullptr);
        std::_Exit(1);
    }
    r.cv.notify_all();
    if (abort_here && own_thread) {
        throw CaseEnded{};
    }
}

void record_ignore() {
    auto &r = utest::v1::run_state();
    bool own_thread;
    {
        std::lock_guard<std::mutex> lock(r.mutex);
        r.ignored = r.busy;
        own_thread = r.busy && r.case_thread == std::this_thread::get_id();
    }
    r.cv.notify_all();
    if (own_thread) {
        throw CaseEnded{};
    }
}

}  // namespace meshwork::greentea
