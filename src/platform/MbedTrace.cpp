// The mbed-trace facility: one trace configuration per simulated node (NodeContext, found through
// the current task), and one per process on the host (the compatibility edge).
#define MESHWORK_MBED_TRACE_IMPLEMENTATION 1
#include "mbed-trace/mbed_trace.h"
#include "meshwork/Executor.h"
#include "meshwork/sim/NodeContext.h"

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>

namespace {

constexpr int kDefaultLineLength = 1024;
constexpr int kDefaultTmpLength = 128;
constexpr size_t kScratchCapacity = 4096;

void default_print(const char *line) {
    std::fputs(line, stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

struct TraceState {
    std::mutex mutex;  // guards everything below
    bool initialized = false;
    uint8_t config = TRACE_ACTIVE_LEVEL_ALL;
    size_t line_length = kDefaultLineLength;
    size_t tmp_length = kDefaultTmpLength;
    char *(*prefix_f)(size_t) = nullptr;
    char *(*suffix_f)(void) = nullptr;
    void (*print_f)(const char *) = default_print;
    void (*cmd_print_f)(const char *) = default_print;
    void (*mutex_wait_f)(void) = nullptr;
    void (*mutex_release_f)(void) = nullptr;
    std::string include_filters;
    std::string exclude_filters;
    std::string last;
};

// A node's default print: a line of the node's own output.
void node_print(const char *line) {
    if (meshwork::sim::NodeContext *node = meshwork::current_node_context()) {
        node->output().write(line);
        node->output().write("\n");
        return;
    }
    default_print(line);
}

TraceState &state() {
    if (meshwork::sim::NodeContext *node = meshwork::current_node_context()) {
        if (!node->trace_state) {
            auto s = std::make_shared<TraceState>();
            const meshwork::sim::TraceSettings &t = node->trace;
            s->config = t.config;
            s->line_length = t.line_length;
            s->tmp_length = t.tmp_length;
            s->include_filters = t.include_filters;
            s->exclude_filters = t.exclude_filters;
            s->print_f = t.print ? t.print : node_print;
            s->cmd_print_f = s->print_f;
            s->prefix_f = t.prefix;
            s->suffix_f = t.suffix;
            node->trace_state = s;
        }
        return *static_cast<TraceState *>(node->trace_state.get());
    }
    // Leaked: traces may be emitted by threads still running during process exit.
    static auto *s = new TraceState;
    return *s;
}

// Per-thread scratch for the helpers, reset when a trace call of the thread completes.
thread_local char scratch[kScratchCapacity];
thread_local size_t scratch_used = 0;

size_t scratch_limit() {
    std::lock_guard<std::mutex> lock(state().mutex);
    return std::min(state().tmp_length, kScratchCapacity);
}

// Reserves `want` bytes (including the terminator) of scratch, or fewer if less is left.
char *scratch_take(size_t want, size_t *got) {
    const size_t limit = scratch_limit();
    if (scratch_used >= limit) {
        *got = 0;
        return nullptr;
    }
    *got = std::min(want, limit - scratch_used);
    char *p = scratch + scratch_used;
    scratch_used += *got;
    return p;
}

const char *level_name(uint8_t level) {
    switch (level) {
        case TRACE_LEVEL_ERROR:
            return "ERR ";
        case TRACE_LEVEL_WARN:
            return "WARN";
        case TRACE_LEVEL_INFO:
            return "INFO";
        case TRACE_LEVEL_DEBUG:
            return "DBG ";
        default:
            return "CMD ";
    }
}

const char *level_color(uint8_t level) {
    switch (level) {
        case TRACE_LEVEL_ERROR:
            return "\x1b[31m";
        case TRACE_LEVEL_WARN:
            return "\x1b[33m";
        case TRACE_LEVEL_DEBUG:
            return "\x1b[90m";
        default:
            return "\x1b[39m";
    }
}

bool group_filtered(const TraceState &s, const char *grp) {
    if (!s.exclude_filters.empty() && std::strstr(s.exclude_filters.c_str(), grp) != nullptr) {
        return true;
    }
    if (!s.include_filters.empty() && std::strstr(s.include_filters.c_str(), grp) == nullptr) {
        return true;
    }
    return false;
}

// RFC 5952 section 4 text: lower-case hex without leading zeros, the longest run (first on a
// tie) of two or more zero groups as "::".
size_t format_ipv6(const uint8_t *a, char *out, size_t out_len) {
    uint16_t g[8];
    for (int i = 0; i < 8; ++i) {
        g[i] = static_cast<uint16_t>(a[2 * i] << 8 | a[2 * i + 1]);
    }
    int best = -1;
    int best_len = 1;
    for (int i = 0; i < 8;) {
        if (g[i] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && g[j] == 0) {
            ++j;
        }
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j;
    }
    std::string s;
    for (int i = 0; i < 8; ++i) {
        if (i == best) {
            s += "::";
            i += best_len - 1;
            continue;
        }
        if (!s.empty() && s.back() != ':') {
            s += ':';
        }
        char buf[8];
        std::snprintf(buf, sizeof buf, "%x", g[i]);
        s += buf;
    }
    return static_cast<size_t>(std::snprintf(out, out_len, "%s", s.c_str()));
}

}  // namespace

extern "C" {

int mbed_trace_init(void) {
    std::lock_guard<std::mutex> lock(state().mutex);
    state().initialized = true;
    // A node's output is no terminal (and must not depend on where the test runs).
    const bool color = !meshwork::current_node_context() && isatty(STDOUT_FILENO);
    state().config = TRACE_ACTIVE_LEVEL_ALL | (color ? TRACE_MODE_COLOR : 0);
    return 0;
}

void mbed_trace_free(void) {
    std::lock_guard<std::mutex> lock(state().mutex);
    TraceState &s = state();
    s.initialized = false;
    s.prefix_f = nullptr;
    s.suffix_f = nullptr;
    s.print_f = meshwork::current_node_context() ? node_print : default_print;
    s.cmd_print_f = s.print_f;
    s.mutex_wait_f = nullptr;
    s.mutex_release_f = nullptr;
    s.include_filters.clear();
    s.exclude_filters.clear();
    s.last.clear();
    s.line_length = kDefaultLineLength;
    s.tmp_length = kDefaultTmpLength;
}

void mbed_trace_buffer_sizes(int lineLength, int tmpLength) {
    std::lock_guard<std::mutex> lock(state().mutex);
    if (lineLength > 0) {
        state().line_length = static_cast<size_t>(lineLength);
    }
    if (tmpLength > 0) {
        state().tmp_length = static_cast<size_t>(tmpLength);
    }
}

void mbed_trace_config_set(uint8_t config) {
    std::lock_guard<std::mutex> lock(state().mutex);
    state().config = config;
}

uint8_t mbed_trace_config_get(void) {
    std::lock_guard<std::mutex> lock(state().mutex);
    return state().config;
}

void mbed_trace_prefix_function_set(char *(*pref_f)(size_t)) {
    std::lock_guard<std::mutex> lock(state().mutex);
    state().prefix_f = pref_f;
}

void mbed_trace_suffix_function_set(char *(*suffix_f)(void)) {
    std::lock_guard<std::mutex> lock(state().mutex);
    state().suffix_f = suffix_f;
}

void mbed_trace_print_function_set(void (*print_f)(const char *)) {
    std::lock_guard<std::mutex> lock(state().mutex);
    state().print_f = print_f;
}

void mbed_trace_cmdprint_function_set(void (*printf)(const char *)) {
    std::lock_guard<std::mutex> lock(state().mutex);
    state().cmd_print_f = printf;
}

void mbed_trace_mutex_wait_function_set(void (*mutex_wait_f)(void)) {
    std::lock_guard<std::mutex> lock(state().mutex);
    state().mutex_wait_f = mutex_wait_f;
}

void mbed_trace_mutex_release_function_set(void (*mutex_release_f)(void)) {
    std::lock_guard<std::mutex> lock(state().mutex);
    state().mutex_release_f = mutex_release_f;
}

int mbed_trace_exclude_filters_set(char *filters) {
    std::lock_guard<std::mutex> lock(state().mutex);
    state().exclude_filters = filters ? filters : "";
    return 0;
}

const char *mbed_trace_exclude_filters_get(void) {
    std::lock_guard<std::mutex> lock(state().mutex);
    return state().exclude_filters.c_str();
}

int mbed_trace_include_filters_set(char *filters) {
    std::lock_guard<std::mutex> lock(state().mutex);
    state().include_filters = filters ? filters : "";
    return 0;
}

const char *mbed_trace_include_filters_get(void) {
    std::lock_guard<std::mutex> lock(state().mutex);
    return state().include_filters.c_str();
}

void mbed_tracef(uint8_t dlevel, const char *grp, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    mbed_vtracef(dlevel, grp, fmt, ap);
    va_end(ap);
}

void mbed_vtracef(uint8_t dlevel, const char *grp, const char *fmt, va_list ap) {
    TraceState &s = state();
    void (*release)(void) = nullptr;
    {
        std::unique_lock<std::mutex> lock(s.mutex);
        void (*wait)(void) = s.mutex_wait_f;
        release = s.mutex_release_f;
        if (wait) {
            // The application's lock is taken outside ours, so its own code may trace.
            lock.unlock();
            wait();
            lock.lock();
        }
        const bool printable = s.initialized && (s.config & TRACE_MASK_LEVEL & dlevel) != 0 &&
                               !group_filtered(s, grp ? grp : "");
        void (*print)(const char *) = dlevel == TRACE_LEVEL_CMD ? s.cmd_print_f : s.print_f;
        if (printable && print) {
            std::string line;
            if (dlevel == TRACE_LEVEL_CMD) {
                line.clear();
            } else {
                if (s.config & TRACE_CARRIAGE_RETURN) {
                    line += "\r\x1b[2K";
                }
                if (s.config & TRACE_MODE_COLOR) {
                    line += level_color(dlevel);
                }
                if (s.prefix_f) {
                    if (const char *p = s.prefix_f(0)) {
                        line += p;
                    }
                }
                char head[64];
                std::snprintf(head, sizeof head, "[%s][%-4s]: ", level_name(dlevel),
                              grp ? grp : "");
                line += head;
            }
            va_list copy;
            va_copy(copy, ap);
            const int n = std::vsnprintf(nullptr, 0, fmt, copy);
            va_end(copy);
            if (n > 0) {
                std::string body(static_cast<size_t>(n) + 1, '\0');
                std::vsnprintf(body.data(), body.size(), fmt, ap);
                body.resize(static_cast<size_t>(n));
                line += body;
            }
            if (dlevel != TRACE_LEVEL_CMD) {
                if (s.suffix_f) {
                    if (const char *p = s.suffix_f()) {
                        line += p;
                    }
                }
                if (s.config & TRACE_MODE_COLOR) {
                    line += "\x1b[0m";
                }
            }
            if (line.size() > s.line_length - 1) {
                line.resize(s.line_length - 1);
            }
            s.last = line;
            print(s.last.c_str());
        }
    }
    scratch_used = 0;
    if (release) {
        release();
    }
}

const char *mbed_trace_last(void) {
    std::lock_guard<std::mutex> lock(state().mutex);
    return state().last.c_str();
}

char *mbed_trace_ipv6(const void *addr_ptr) {
    size_t got = 0;
    char *out = scratch_take(40, &got);  // longest text is 39 characters
    if (!out) {
        return const_cast<char *>("");
    }
    if (!addr_ptr) {
        std::snprintf(out, got, "<null>");
        return out;
    }
    format_ipv6(static_cast<const uint8_t *>(addr_ptr), out, got);
    return out;
}

char *mbed_trace_ipv6_prefix(const uint8_t *prefix, uint8_t prefix_len) {
    size_t got = 0;
    char *out = scratch_take(44, &got);
    if (!out) {
        return const_cast<char *>("");
    }
    if (!prefix && prefix_len != 0) {
        std::snprintf(out, got, "<err>");
        return out;
    }
    if (prefix_len > 128) {
        std::snprintf(out, got, "<err>");
        return out;
    }
    uint8_t addr[16] = {};
    if (prefix) {
        std::memcpy(addr, prefix, (prefix_len + 7) / 8);
        if (prefix_len % 8) {
            addr[prefix_len / 8] &= static_cast<uint8_t>(0xFF << (8 - prefix_len % 8));
        }
    }
    const size_t n = format_ipv6(addr, out, got);
    if (n < got) {
        std::snprintf(out + n, got - n, "/%u", prefix_len);
    }
    return out;
}

char *mbed_trace_array(const uint8_t *buf, uint16_t len) {
    size_t got = 0;
    char *out = scratch_take(len == 0 ? 1 : static_cast<size_t>(len) * 3, &got);
    if (!out) {
        return const_cast<char *>("");
    }
    if (!buf || len == 0) {
        out[0] = '\0';
        return out;
    }
    size_t pos = 0;
    for (uint16_t i = 0; i < len; ++i) {
        // Each byte needs "xx:" (the last "xx" plus the terminator).
        if (pos + 3 > got) {
            // Truncated: mark it with '*' where the last byte would have gone.
            if (pos >= 2) {
                out[pos - 1] = '*';
                out[pos] = '\0';
            } else {
                out[0] = '\0';
            }
            return out;
        }
        std::snprintf(out + pos, got - pos, i + 1 < len ? "%02x:" : "%02x", buf[i]);
        pos += i + 1 < len ? 3 : 2;
    }
    return out;
}
}
