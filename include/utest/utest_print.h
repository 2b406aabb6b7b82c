// utest's output function: printf to the console, flushed, as the harness's own lines are.
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

int utest_printf(const char *format, ...) __attribute__((__format__(__printf__, 1, 2)));

#ifdef __cplusplus
}
#endif
