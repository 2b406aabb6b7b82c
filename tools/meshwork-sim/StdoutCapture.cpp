#include "StdoutCapture.h"

#include <dlfcn.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>

#include "meshwork/Executor.h"
#include "meshwork/sim/NodeContext.h"

namespace meshwork::tools {
namespace {

// Executor -> its node's output. Looked up, never iterated: no order dependence. The runner's
// one OS thread runs every node, so no lock is needed (a thread outside the simulation finds
// nothing here and writes to stdout).
std::unordered_map<const Executor *, sim::NodeOutput *> &bindings() {
    static auto *map = new std::unordered_map<const Executor *, sim::NodeOutput *>();
    return *map;
}

// The output of the node whose task is running, or nullptr. Reads the current task without
// adopting the OS thread as a host task (current_task() would).
sim::NodeOutput *current_output() {
    const Task *task = meshwork::detail::tls_current_task;
    if (task == nullptr || bindings().empty())
        return nullptr;
    auto it = bindings().find(task->executor);
    return it == bindings().end() ? nullptr : it->second;
}

int write_node(sim::NodeOutput &out, std::string_view text) {
    out.write(text);
    return static_cast<int>(text.size());
}

int vformat_node(sim::NodeOutput &out, const char *format, va_list ap) {
    char small[256];
    va_list copy;
    va_copy(copy, ap);
    const int n = std::vsnprintf(small, sizeof small, format, copy);
    va_end(copy);
    if (n < 0)
        return n;
    if (static_cast<std::size_t>(n) < sizeof small)
        return write_node(out, std::string_view(small, static_cast<std::size_t>(n)));
    std::string big(static_cast<std::size_t>(n) + 1, '\0');
    std::vsnprintf(big.data(), big.size(), format, ap);
    big.resize(static_cast<std::size_t>(n));
    return write_node(out, big);
}

// The C library's own definitions, for output that is not a node's.
template <class F>
F next(const char *name) {
    return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}
using VfprintfFn = int (*)(FILE *, const char *, va_list);
using FputsFn = int (*)(const char *, FILE *);
using FputcFn = int (*)(int, FILE *);
using FwriteFn = size_t (*)(const void *, size_t, size_t, FILE *);

int real_vfprintf(FILE *f, const char *format, va_list ap) {
    static const auto fn = next<VfprintfFn>("vfprintf");
    return fn(f, format, ap);
}
int real_fputs(const char *s, FILE *f) {
    static const auto fn = next<FputsFn>("fputs");
    return fn(s, f);
}
int real_fputc(int c, FILE *f) {
    static const auto fn = next<FputcFn>("fputc");
    return fn(c, f);
}
size_t real_fwrite(const void *p, size_t size, size_t n, FILE *f) {
    static const auto fn = next<FwriteFn>("fwrite");
    return fn(p, size, n, f);
}

sim::NodeOutput *node_stream(FILE *f) {
    return f == stdout ? current_output() : nullptr;
}

}  // namespace

void capture_stdout(const Executor &executor, sim::NodeOutput *output) {
    if (output == nullptr)
        bindings().erase(&executor);
    else
        bindings()[&executor] = output;
}

}  // namespace meshwork::tools

using meshwork::tools::current_output;
using meshwork::tools::node_stream;
using meshwork::tools::vformat_node;
using meshwork::tools::write_node;

// The interposed entry points (GCC turns printf("x\n") into puts and printf("c") into putchar,
// and _FORTIFY_SOURCE turns printf into __printf_chk, so each has its definition).
extern "C" {
// Named by assembler label: <cstdio> declares (and may inline) the C names.
int mw_vprintf(const char *format, va_list ap) __asm__("vprintf");
int mw_printf(const char *format, ...) __asm__("printf");
int mw_vprintf_chk(int, const char *format, va_list ap) __asm__("__vprintf_chk");
int mw_printf_chk(int, const char *format, ...) __asm__("__printf_chk");
int mw_vfprintf(FILE *f, const char *format, va_list ap) __asm__("vfprintf");
int mw_fprintf(FILE *f, const char *format, ...) __asm__("fprintf");
int mw_vfprintf_chk(FILE *f, int, const char *format, va_list ap) __asm__("__vfprintf_chk");
int mw_fprintf_chk(FILE *f, int, const char *format, ...) __asm__("__fprintf_chk");
int mw_puts(const char *s) __asm__("puts");
int mw_fputs(const char *s, FILE *f) __asm__("fputs");
int mw_fputc(int c, FILE *f) __asm__("fputc");
int mw_putc(int c, FILE *f) __asm__("putc");
int mw_putchar(int c) __asm__("putchar");
size_t mw_fwrite(const void *p, size_t size, size_t n, FILE *f) __asm__("fwrite");

int mw_vprintf(const char *format, va_list ap) {
    if (auto *out = current_output())
        return vformat_node(*out, format, ap);
    return meshwork::tools::real_vfprintf(stdout, format, ap);
}

int mw_printf(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    const int n = mw_vprintf(format, ap);
    va_end(ap);
    return n;
}

int mw_vprintf_chk(int, const char *format, va_list ap) {
    return mw_vprintf(format, ap);
}

int mw_printf_chk(int, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    const int n = mw_vprintf(format, ap);
    va_end(ap);
    return n;
}

int mw_vfprintf(FILE *f, const char *format, va_list ap) {
    if (auto *out = node_stream(f))
        return vformat_node(*out, format, ap);
    return meshwork::tools::real_vfprintf(f, format, ap);
}

int mw_fprintf(FILE *f, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    const int n = mw_vfprintf(f, format, ap);
    va_end(ap);
    return n;
}

int mw_vfprintf_chk(FILE *f, int, const char *format, va_list ap) {
    return mw_vfprintf(f, format, ap);
}

int mw_fprintf_chk(FILE *f, int, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    const int n = mw_vfprintf(f, format, ap);
    va_end(ap);
    return n;
}

int mw_puts(const char *s) {
    if (auto *out = current_output()) {
        write_node(*out, s);
        write_node(*out, "\n");
        return 1;
    }
    if (meshwork::tools::real_fputs(s, stdout) < 0)
        return EOF;
    return meshwork::tools::real_fputc('\n', stdout) == EOF ? EOF : 1;
}

int mw_fputs(const char *s, FILE *f) {
    if (auto *out = node_stream(f)) {
        write_node(*out, s);
        return 1;
    }
    return meshwork::tools::real_fputs(s, f);
}

int mw_fputc(int c, FILE *f) {
    if (auto *out = node_stream(f)) {
        const char ch = static_cast<char>(c);
        write_node(*out, std::string_view(&ch, 1));
        return static_cast<unsigned char>(c);
    }
    return meshwork::tools::real_fputc(c, f);
}

int mw_putc(int c, FILE *f) {
    return mw_fputc(c, f);
}

int mw_putchar(int c) {
    return mw_fputc(c, stdout);
}

size_t mw_fwrite(const void *p, size_t size, size_t n, FILE *f) {
    if (auto *out = node_stream(f)) {
        write_node(*out, std::string_view(static_cast<const char *>(p), size * n));
        return n;
    }
    return meshwork::tools::real_fwrite(p, size, n, f);
}

}  // extern "C"
