// Trace facility with the mbed-trace API: levels, groups (TRACE_GROUP), a replaceable print
// function and mutex hooks, include/exclude group filters, and helpers that format byte
// arrays and IPv6 addresses into a per-thread scratch area valid until the end of the trace
// call that uses them.
//
// Lines look like "[INFO][main]: text" (plus ANSI colours with TRACE_MODE_COLOR). Nothing is
// printed before mbed_trace_init(). MBED_CONF_MBED_TRACE_ENABLE=0 compiles every call out, as
// on Mbed; when it is not defined at all, tracing is available.
//
// TRACE_GROUP belongs to the source that traces: the tr_* macros read it where they are used,
// so it may be defined before or after this include. As on Mbed, this header defines none.
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Mode bits of the configuration byte.
#define TRACE_MODE_COLOR 0x80
#define TRACE_MODE_PLAIN 0x00
#define TRACE_CARRIAGE_RETURN 0x40

// Active-level masks of the configuration byte (each includes the levels above it).
#define TRACE_ACTIVE_LEVEL_ALL 0x1F
#define TRACE_ACTIVE_LEVEL_DEBUG 0x1F
#define TRACE_ACTIVE_LEVEL_INFO 0x0F
#define TRACE_ACTIVE_LEVEL_WARN 0x07
#define TRACE_ACTIVE_LEVEL_ERROR 0x03
#define TRACE_ACTIVE_LEVEL_CMD 0x01
#define TRACE_ACTIVE_LEVEL_NONE 0x00

// Levels of a single trace call.
#define TRACE_LEVEL_DEBUG 0x10
#define TRACE_LEVEL_INFO 0x08
#define TRACE_LEVEL_WARN 0x04
#define TRACE_LEVEL_ERROR 0x02
#define TRACE_LEVEL_CMD 0x01

#define TRACE_MASK_LEVEL 0x1F
#define TRACE_MASK_CONFIG 0xE0

#ifndef MBED_TRACE_MAX_LEVEL
#ifdef MBED_CONF_MBED_TRACE_MAX_LEVEL
#define MBED_TRACE_MAX_LEVEL MBED_CONF_MBED_TRACE_MAX_LEVEL
#else
#define MBED_TRACE_MAX_LEVEL TRACE_LEVEL_DEBUG
#endif
#endif

#if defined(MBED_CONF_MBED_TRACE_ENABLE) && !MBED_CONF_MBED_TRACE_ENABLE && \
    !defined(MESHWORK_MBED_TRACE_IMPLEMENTATION)
#define MESHWORK_MBED_TRACE_DISABLED 1
#endif

#ifndef MESHWORK_MBED_TRACE_DISABLED

/// Allocates the buffers and enables printing. Returns 0 (-1 on allocation failure).
int mbed_trace_init(void);
void mbed_trace_free(void);
/// Line length (longer lines are truncated) and scratch size for the helpers.
void mbed_trace_buffer_sizes(int lineLength, int tmpLength);
/// Sets the configuration byte: an active-level mask ORed with mode bits.
void mbed_trace_config_set(uint8_t config);
uint8_t mbed_trace_config_get(void);
void mbed_trace_prefix_function_set(char *(*pref_f)(size_t));
void mbed_trace_suffix_function_set(char *(*suffix_f)(void));
/// Receives each complete line, without a newline. nullptr silences output.
void mbed_trace_print_function_set(void (*print_f)(const char *));
void mbed_trace_cmdprint_function_set(void (*printf)(const char *));
/// Called around each line's formatting and printing, for applications sharing one console.
void mbed_trace_mutex_wait_function_set(void (*mutex_wait_f)(void));
void mbed_trace_mutex_release_function_set(void (*mutex_release_f)(void));
/// Comma-separated group lists; a group is filtered when it occurs in the list.
int mbed_trace_exclude_filters_set(char *filters);
const char *mbed_trace_exclude_filters_get(void);
int mbed_trace_include_filters_set(char *filters);
const char *mbed_trace_include_filters_get(void);

void mbed_tracef(uint8_t dlevel, const char *grp, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));
void mbed_vtracef(uint8_t dlevel, const char *grp, const char *fmt, va_list ap)
    __attribute__((__format__(__printf__, 3, 0)));
/// The last line printed (empty before the first).
const char *mbed_trace_last(void);

/// Helpers returning text in the calling thread's scratch area.
char *mbed_trace_ipv6(const void *addr_ptr);
char *mbed_trace_ipv6_prefix(const uint8_t *prefix, uint8_t prefix_len);
char *mbed_trace_array(const uint8_t *buf, uint16_t len);

#define tracef(dlevel, grp, ...) mbed_tracef(dlevel, grp, __VA_ARGS__)

#if MBED_TRACE_MAX_LEVEL >= TRACE_LEVEL_DEBUG
#define tr_debug(...) mbed_tracef(TRACE_LEVEL_DEBUG, TRACE_GROUP, __VA_ARGS__)
#else
#define tr_debug(...) ((void)0)
#endif

#if MBED_TRACE_MAX_LEVEL >= TRACE_LEVEL_INFO
#define tr_info(...) mbed_tracef(TRACE_LEVEL_INFO, TRACE_GROUP, __VA_ARGS__)
#else
#define tr_info(...) ((void)0)
#endif

#if MBED_TRACE_MAX_LEVEL >= TRACE_LEVEL_WARN
#define tr_warning(...) mbed_tracef(TRACE_LEVEL_WARN, TRACE_GROUP, __VA_ARGS__)
#define tr_warn(...) mbed_tracef(TRACE_LEVEL_WARN, TRACE_GROUP, __VA_ARGS__)
#else
#define tr_warning(...) ((void)0)
#define tr_warn(...) ((void)0)
#endif

#if MBED_TRACE_MAX_LEVEL >= TRACE_LEVEL_ERROR
#define tr_error(...) mbed_tracef(TRACE_LEVEL_ERROR, TRACE_GROUP, __VA_ARGS__)
#define tr_err(...) mbed_tracef(TRACE_LEVEL_ERROR, TRACE_GROUP, __VA_ARGS__)
#else
#define tr_error(...) ((void)0)
#define tr_err(...) ((void)0)
#endif

#define tr_cmdline(...) mbed_tracef(TRACE_LEVEL_CMD, TRACE_GROUP, __VA_ARGS__)

#define trace_ipv6(addr_ptr) mbed_trace_ipv6(addr_ptr)
#define trace_ipv6_prefix(prefix, prefix_len) mbed_trace_ipv6_prefix(prefix, prefix_len)
#define trace_array(buf, len) mbed_trace_array(buf, len)
#define tr_ipv6(addr_ptr) mbed_trace_ipv6(addr_ptr)
#define tr_ipv6_prefix(prefix, prefix_len) mbed_trace_ipv6_prefix(prefix, prefix_len)
#define tr_array(buf, len) mbed_trace_array(buf, len)

#else  // tracing compiled out

#define mbed_trace_init(...) ((int)0)
#define mbed_trace_free(...) ((void)0)
#define mbed_trace_buffer_sizes(...) ((void)0)
#define mbed_trace_config_set(...) ((void)0)
#define mbed_trace_config_get(...) ((uint8_t)0)
#define mbed_trace_prefix_function_set(...) ((void)0)
#define mbed_trace_suffix_function_set(...) ((void)0)
#define mbed_trace_print_function_set(...) ((void)0)
#define mbed_trace_cmdprint_function_set(...) ((void)0)
#define mbed_trace_mutex_wait_function_set(...) ((void)0)
#define mbed_trace_mutex_release_function_set(...) ((void)0)
#define mbed_trace_exclude_filters_set(...) ((int)0)
#define mbed_trace_exclude_filters_get(...) ((const char *)0)
#define mbed_trace_include_filters_set(...) ((int)0)
#define mbed_trace_include_filters_get(...) ((const char *)0)
#define mbed_trace_last(...) ((const char *)0)
#define mbed_tracef(...) ((void)0)
#define mbed_vtracef(...) ((void)0)
#define mbed_trace_ipv6(...) ((char *)0)
#define mbed_trace_ipv6_prefix(...) ((char *)0)
#define mbed_trace_array(...) ((char *)0)
#define tracef(...) ((void)0)
#define tr_debug(...) ((void)0)
#define tr_info(...) ((void)0)
#define tr_warning(...) ((void)0)
#define tr_warn(...) ((void)0)
#define tr_error(...) ((void)0)
#define tr_err(...) ((void)0)
#define tr_cmdline(...) ((void)0)
#define trace_ipv6(...) ((char *)0)
#define trace_ipv6_prefix(...) ((char *)0)
#define trace_array(...) ((char *)0)
#define tr_ipv6(...) ((char *)0)
#define tr_ipv6_prefix(...) ((char *)0)
#define tr_array(...) ((char *)0)

#endif

#ifdef __cplusplus
}
#endif
