/*
 * meshwork: IPv6 text conversion helpers with the Nanostack libservice names.
 *
 * Parsing follows RFC 4291 section 2.2 (including the trailing dotted-quad form) and rejects
 * anything else; printing follows RFC 5952 section 4 (lower case, no leading zeros, the first
 * longest run of two or more zero groups shortened to "::"), always in hexadecimal.
 */
#ifndef IP6STRING_H
#define IP6STRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Prints the 16-byte address at `ip6addr` into `p`, which must hold at least 40 characters.
 * Returns the string length (without the terminator).
 */
uint_fast8_t ip6tos(const void *ip6addr, char *p);

/**
 * Prints a prefix as "addr/len" with only the first `prefixlen` bits kept. `p` must hold at
 * least 44 characters. Returns the string length, or 0 if prefixlen > 128.
 */
uint_fast8_t ip6_prefix_tos(const void *prefix, uint_fast8_t prefixlen, char *p);

/**
 * Parses the first `len` characters of `ip6addr` as IPv6 text into 16 bytes at `dest`.
 * Returns false (and zeroes `dest`) if the text is not a valid address.
 */
bool stoip6(const char *ip6addr, size_t len, void *dest);

/**
 * Parses "addr" or "addr/len" (NUL-terminated) into `dest`. `*prefix_len_out` receives the
 * prefix length, or -1 when none was given. Returns 0 on success, -1 on invalid text.
 */
int stoip6_prefix(const char *ip6addr, void *dest, int_fast16_t *prefix_len_out);

/** Length of the address part of "addr/len" text (the index of '/', or the string length). */
unsigned char sipv6_prefixlength(const char *ip6addr);

#ifdef __cplusplus
}
#endif

#endif /* IP6STRING_H */
