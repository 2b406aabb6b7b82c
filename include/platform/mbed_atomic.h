// Mbed's C atomic helpers (core_util_atomic_*), sequentially consistent, on the compiler's
// __atomic builtins. Increment/decrement return the new value; fetch_* return the old one.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct core_util_atomic_flag {
    uint8_t _flag;
} core_util_atomic_flag;

#define CORE_UTIL_ATOMIC_FLAG_INIT \
    { 0 }

static inline bool core_util_atomic_flag_test_and_set(volatile core_util_atomic_flag *flagPtr) {
    return __atomic_exchange_n(&flagPtr->_flag, (uint8_t)1, __ATOMIC_SEQ_CST) != 0;
}

static inline void core_util_atomic_flag_clear(volatile core_util_atomic_flag *flagPtr) {
    __atomic_store_n(&flagPtr->_flag, (uint8_t)0, __ATOMIC_SEQ_CST);
}

#define MESHWORK_ATOMIC_BASIC(T, S)                                                        \
    static inline T core_util_atomic_load_##S(const volatile T *valuePtr) {                \
        return __atomic_load_n(valuePtr, __ATOMIC_SEQ_CST);                                \
    }                                                                                      \
    static inline void core_util_atomic_store_##S(volatile T *valuePtr, T desiredValue) {  \
        __atomic_store_n(valuePtr, desiredValue, __ATOMIC_SEQ_CST);                        \
    }                                                                                      \
    static inline T core_util_atomic_exchange_##S(volatile T *valuePtr, T desiredValue) {  \
        return __atomic_exchange_n(valuePtr, desiredValue, __ATOMIC_SEQ_CST);              \
    }                                                                                      \
    static inline bool core_util_atomic_cas_##S(volatile T *ptr, T *expectedCurrentValue,  \
                                                T desiredValue) {                          \
        return __atomic_compare_exchange_n(ptr, expectedCurrentValue, desiredValue, false, \
                                           __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);            \
    }                                                                                      \
    static inline bool core_util_atomic_compare_exchange_weak_##S(                         \
        volatile T *ptr, T *expectedCurrentValue, T desiredValue) {                        \
        return __atomic_compare_exchange_n(ptr, expectedCurrentValue, desiredValue, true,  \
                                           __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);            \
    }

#define MESHWORK_ATOMIC_ARITH(T, S)                                               \
    MESHWORK_ATOMIC_BASIC(T, S)                                                   \
    static inline T core_util_atomic_incr_##S(volatile T *valuePtr, T delta) {    \
        return __atomic_add_fetch(valuePtr, delta, __ATOMIC_SEQ_CST);             \
    }                                                                             \
    static inline T core_util_atomic_decr_##S(volatile T *valuePtr, T delta) {    \
        return __atomic_sub_fetch(valuePtr, delta, __ATOMIC_SEQ_CST);             \
    }                                                                             \
    static inline T core_util_atomic_fetch_add_##S(volatile T *valuePtr, T arg) { \
        return __atomic_fetch_add(valuePtr, arg, __ATOMIC_SEQ_CST);               \
    }                                                                             \
    static inline T core_util_atomic_fetch_sub_##S(volatile T *valuePtr, T arg) { \
        return __atomic_fetch_sub(valuePtr, arg, __ATOMIC_SEQ_CST);               \
    }                                                                             \
    static inline T core_util_atomic_fetch_and_##S(volatile T *valuePtr, T arg) { \
        return __atomic_fetch_and(valuePtr, arg, __ATOMIC_SEQ_CST);               \
    }                                                                             \
    static inline T core_util_atomic_fetch_or_##S(volatile T *valuePtr, T arg) {  \
        return __atomic_fetch_or(valuePtr, arg, __ATOMIC_SEQ_CST);                \
    }                                                                             \
    static inline T core_util_atomic_fetch_xor_##S(volatile T *valuePtr, T arg) { \
        return __atomic_fetch_xor(valuePtr, arg, __ATOMIC_SEQ_CST);               \
    }

MESHWORK_ATOMIC_ARITH(uint8_t, u8)
MESHWORK_ATOMIC_ARITH(uint16_t, u16)
MESHWORK_ATOMIC_ARITH(uint32_t, u32)
MESHWORK_ATOMIC_ARITH(uint64_t, u64)
MESHWORK_ATOMIC_ARITH(int8_t, s8)
MESHWORK_ATOMIC_ARITH(int16_t, s16)
MESHWORK_ATOMIC_ARITH(int32_t, s32)
MESHWORK_ATOMIC_ARITH(int64_t, s64)
MESHWORK_ATOMIC_BASIC(bool, bool)
// A typedef so the macro's `const volatile T *` qualifies the pointer, not the pointee.
typedef void *meshwork_atomic_void_ptr;
MESHWORK_ATOMIC_BASIC(meshwork_atomic_void_ptr, ptr)

#undef MESHWORK_ATOMIC_ARITH
#undef MESHWORK_ATOMIC_BASIC

/// Pointer arithmetic in bytes, as Mbed's helpers do.
static inline void *core_util_atomic_incr_ptr(void *volatile *valuePtr, ptrdiff_t delta) {
    return __atomic_add_fetch((char *volatile *)valuePtr, delta, __ATOMIC_SEQ_CST);
}

static inline void *core_util_atomic_decr_ptr(void *volatile *valuePtr, ptrdiff_t delta) {
    return __atomic_sub_fetch((char *volatile *)valuePtr, delta, __ATOMIC_SEQ_CST);
}

#ifdef __cplusplus
}
#endif
