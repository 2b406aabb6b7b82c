/*
 * meshwork: Nanostack libservice byte-order and bit helpers (common_functions.h names).
 *
 * Network byte order is big-endian; the "_inverse" forms are little-endian. The write helpers
 * return the pointer just past the bytes written, so calls can be chained.
 */
#ifndef COMMON_FUNCTIONS_H_
#define COMMON_FUNCTIONS_H_

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

static inline uint8_t *common_write_64_bit(uint64_t value, uint8_t ptr[8]) {
    for (int i = 7; i >= 0; i--) {
        *ptr++ = (uint8_t)(value >> (8 * i));
    }
    return ptr;
}

static inline uint64_t common_read_64_bit(const uint8_t data_buf[8]) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        v = (v << 8) | data_buf[i];
    }
    return v;
}

static inline uint8_t *common_write_32_bit(uint32_t value, uint8_t ptr[4]) {
    *ptr++ = (uint8_t)(value >> 24);
    *ptr++ = (uint8_t)(value >> 16);
    *ptr++ = (uint8_t)(value >> 8);
    *ptr++ = (uint8_t)value;
    return ptr;
}

static inline uint32_t common_read_32_bit(const uint8_t data_buf[4]) {
    return ((uint32_t)data_buf[0] << 24) | ((uint32_t)data_buf[1] << 16) |
           ((uint32_t)data_buf[2] << 8) | (uint32_t)data_buf[3];
}

static inline uint8_t *common_write_32_bit_inverse(uint32_t value, uint8_t ptr[4]) {
    *ptr++ = (uint8_t)value;
    *ptr++ = (uint8_t)(value >> 8);
    *ptr++ = (uint8_t)(value >> 16);
    *ptr++ = (uint8_t)(value >> 24);
    return ptr;
}

static inline uint32_t common_read_32_bit_inverse(const uint8_t data_buf[4]) {
    return ((uint32_t)data_buf[3] << 24) | ((uint32_t)data_buf[2] << 16) |
           ((uint32_t)data_buf[1] << 8) | (uint32_t)data_buf[0];
}

static inline uint8_t *common_write_24_bit(uint_fast32_t value, uint8_t ptr[3]) {
    *ptr++ = (uint8_t)(value >> 16);
    *ptr++ = (uint8_t)(value >> 8);
    *ptr++ = (uint8_t)value;
    return ptr;
}

static inline uint_fast32_t common_read_24_bit(const uint8_t data_buf[3]) {
    return ((uint_fast32_t)data_buf[0] << 16) | ((uint_fast32_t)data_buf[1] << 8) |
           (uint_fast32_t)data_buf[2];
}

static inline uint8_t *common_write_24_bit_inverse(uint_fast32_t value, uint8_t ptr[3]) {
    *ptr++ = (uint8_t)value;
    *ptr++ = (uint8_t)(value >> 8);
    *ptr++ = (uint8_t)(value >> 16);
    return ptr;
}

static inline uint_fast32_t common_read_24_bit_inverse(const uint8_t data_buf[3]) {
    return ((uint_fast32_t)data_buf[2] << 16) | ((uint_fast32_t)data_buf[1] << 8) |
           (uint_fast32_t)data_buf[0];
}

static inline uint8_t *common_write_16_bit(uint16_t value, uint8_t ptr[2]) {
    *ptr++ = (uint8_t)(value >> 8);
    *ptr++ = (uint8_t)value;
    return ptr;
}

static inline uint16_t common_read_16_bit(const uint8_t data_buf[2]) {
    return (uint16_t)(((uint16_t)data_buf[0] << 8) | data_buf[1]);
}

static inline uint8_t *common_write_16_bit_inverse(uint16_t value, uint8_t ptr[2]) {
    *ptr++ = (uint8_t)value;
    *ptr++ = (uint8_t)(value >> 8);
    return ptr;
}

static inline uint16_t common_read_16_bit_inverse(const uint8_t data_buf[2]) {
    return (uint16_t)(((uint16_t)data_buf[1] << 8) | data_buf[0]);
}

/** Number of set bits in a byte. */
static inline uint_fast8_t common_count_bits(uint8_t value) {
    uint_fast8_t count = 0;
    for (; value; value &= (uint8_t)(value - 1)) {
        count++;
    }
    return count;
}

/** Leading zero bits of a 32-bit value (32 for zero). */
static inline uint_fast8_t common_count_leading_zeros_32(uint_fast32_t value) {
    uint_fast8_t n = 0;
    for (uint_fast32_t bit = 0x80000000u; bit && !(value & bit); bit >>= 1) {
        n++;
    }
    return n;
}

/** Leading zero bits of a byte (8 for zero). */
static inline uint_fast8_t common_count_leading_zeros_8(uint_fast8_t value) {
    return (uint_fast8_t)(common_count_leading_zeros_32((uint_fast32_t)value & 0xffu) - 24);
}

/* Serial number arithmetic (RFC 1982 section 3.2): is a "after" b? */
static inline bool common_serial_number_greater_8(uint8_t a, uint8_t b) {
    return a != b && (uint8_t)(a - b) < 0x80;
}

static inline bool common_serial_number_greater_16(uint16_t a, uint16_t b) {
    return a != b && (uint16_t)(a - b) < 0x8000;
}

static inline bool common_serial_number_greater_32(uint32_t a, uint32_t b) {
    return a != b && (uint32_t)(a - b) < 0x80000000u;
}

/** True when the first `bits` bits of a and b are equal. */
static inline bool bitsequal(const void *a, const void *b, uint_fast8_t bits) {
    const uint8_t *pa = (const uint8_t *)a;
    const uint8_t *pb = (const uint8_t *)b;
    uint_fast8_t bytes = (uint_fast8_t)(bits / 8);
    if (memcmp(pa, pb, bytes) != 0) {
        return false;
    }
    uint_fast8_t rest = (uint_fast8_t)(bits % 8);
    if (rest) {
        uint8_t mask = (uint8_t)(0xff00u >> rest);
        return ((pa[bytes] ^ pb[bytes]) & mask) == 0;
    }
    return true;
}

/** Copies the first `bits` bits of src into dst; the rest of dst's last byte is kept. */
static inline uint8_t *bitcopy(uint8_t *dst, const uint8_t *src, uint_fast8_t bits) {
    uint_fast8_t bytes = (uint_fast8_t)(bits / 8);
    memcpy(dst, src, bytes);
    uint_fast8_t rest = (uint_fast8_t)(bits % 8);
    if (rest) {
        uint8_t mask = (uint8_t)(0xff00u >> rest);
        dst[bytes] = (uint8_t)((dst[bytes] & ~mask) | (src[bytes] & mask));
    }
    return dst;
}

/** As bitcopy, but the rest of dst's last byte is cleared. */
static inline uint8_t *bitcopy0(uint8_t *dst, const uint8_t *src, uint_fast8_t bits) {
    uint_fast8_t bytes = (uint_fast8_t)(bits / 8);
    memcpy(dst, src, bytes);
    uint_fast8_t rest = (uint_fast8_t)(bits % 8);
    if (rest) {
        dst[bytes] = (uint8_t)(src[bytes] & (0xff00u >> rest));
    }
    return dst;
}

#ifdef __cplusplus
}
#endif

#endif /* COMMON_FUNCTIONS_H_ */
