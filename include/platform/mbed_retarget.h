// Mbed's retarget layer maps the C library's files and errno onto its own drivers; on Linux the
// C library is the real one, so this header only brings in the POSIX declarations Mbed sources
// expect from it (errno values, ssize_t and off_t, file modes and flags).
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#ifdef __cplusplus
namespace mbed {
/// stdio is the process's own: buffered as the C library chooses, nothing to retarget.
inline void mbed_set_unbuffered_stdio(bool) {}
}  // namespace mbed
#endif
