/*
 * meshwork: IPv4 text conversion helpers with the Nanostack libservice names.
 */
#ifndef IP4STRING_H
#define IP4STRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Prints the 4-byte address at `ip4addr` as a dotted quad into `p`, which must hold at least
 * 16 characters. Returns the string length (without the terminator).
 */
uint_fast8_t ip4tos(const void *ip4addr, char *p);

/**
 * Parses the first `len` characters of `ip4addr` as a dotted quad (four decimal numbers 0-255,
 * one to three digits each) into 4 bytes at `dest`. Returns false on anything else.
 */
bool stoip4(const char *ip4addr, size_t len, void *dest);

#ifdef __cplusplus
}
#endif

#endif /* IP4STRING_H */
