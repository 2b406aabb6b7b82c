// unity: the assertions of Mbed's Greentea suites (TEST_ASSERT and its family), written for
// meshwork on top of utest.
//
// A failed assertion prints "<file>:<line>::FAIL: <what>" and fails the running utest case: on
// the thread that runs the case it ends the case at once (the harness catches it), on another
// thread the case fails when it finishes. TEST_IGNORE ends the case as ignored. C++ only (the
// harness is C++); the integer families compare as the named type, so TEST_ASSERT_EQUAL_UINT8
// compares the low eight bits.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace meshwork {
namespace unity {

enum class Style { kSigned, kUnsigned, kHex, kChar };
enum class Compare { kEqual, kNotEqual, kGreater, kLess, kGreaterOrEqual, kLessOrEqual };

/// Fails the running case (see the file comment); `message` may be null.
void fail(const char *file, int line, const char *what, const char *message);
/// Ends the running case as ignored.
void ignore(const char *file, int line, const char *message);
/// Prints a line attributed to the running case (TEST_MESSAGE).
void note(const char *file, int line, const char *message);

/// `actual` against `expected` (or a threshold), both already converted to the named type and
/// widened; `bits` is the type's width (for hex digits and masks).
void compare_signed(int64_t expected, int64_t actual, Compare op, Style style, unsigned bits,
                    const char *file, int line, const char *message);
void compare_unsigned(uint64_t expected, uint64_t actual, Compare op, Style style, unsigned bits,
                      const char *file, int line, const char *message);
void within_signed(uint64_t delta, int64_t expected, int64_t actual, Style style, unsigned bits,
                   const char *file, int line, const char *message);
void within_unsigned(uint64_t delta, uint64_t expected, uint64_t actual, Style style, unsigned bits,
                     const char *file, int line, const char *message);
void within_double(double delta, double expected, double actual, const char *file, int line,
                   const char *message);
void equal_double(double expected, double actual, bool single, const char *file, int line,
                  const char *message);
void equal_ptr(const void *expected, const void *actual, const char *file, int line,
               const char *message);
/// Strings: `length` SIZE_MAX compares whole strings (null pointers are equal only to null).
void equal_string(const char *expected, const char *actual, size_t length, const char *file,
                  int line, const char *message);
void equal_memory(const void *expected, const void *actual, size_t length, size_t count,
                  const char *file, int line, const char *message);
/// Arrays of `count` integers of `size` bytes.
void equal_int_array(const void *expected, const void *actual, size_t count, size_t size,
                     Style style, const char *file, int line, const char *message);
void equal_string_array(const char *const *expected, const char *const *actual, size_t count,
                        const char *file, int line, const char *message);
void bits(uint64_t mask, uint64_t expected, uint64_t actual, const char *file, int line,
          const char *message);

}  // namespace unity
}  // namespace meshwork

// Basic assertions.
#define TEST_FAIL_MESSAGE(message) ::meshwork::unity::fail(__FILE__, __LINE__, "", (message))
#define TEST_FAIL() TEST_FAIL_MESSAGE(nullptr)
#define TEST_IGNORE_MESSAGE(message) ::meshwork::unity::ignore(__FILE__, __LINE__, (message))
#define TEST_IGNORE() TEST_IGNORE_MESSAGE(nullptr)
#define TEST_MESSAGE(message) ::meshwork::unity::note(__FILE__, __LINE__, (message))
#define TEST_PASS() ((void)0)
#define TEST_PASS_MESSAGE(message) TEST_MESSAGE(message)

#define TEST_ASSERT_MESSAGE(condition, message)                                          \
    do {                                                                                 \
        if (!(condition)) {                                                              \
            ::meshwork::unity::fail(__FILE__, __LINE__, "Expression Evaluated To FALSE", \
                                    (message));                                          \
        }                                                                                \
    } while (0)
#define TEST_ASSERT(condition) TEST_ASSERT_MESSAGE(condition, nullptr)
#define TEST_ASSERT_TRUE_MESSAGE(condition, message) TEST_ASSERT_MESSAGE(condition, message)
#define TEST_ASSERT_TRUE(condition) TEST_ASSERT_MESSAGE(condition, nullptr)
#define TEST_ASSERT_UNLESS_MESSAGE(condition, message)                                  \
    do {                                                                                \
        if ((condition)) {                                                              \
            ::meshwork::unity::fail(__FILE__, __LINE__, "Expression Evaluated To TRUE", \
                                    (message));                                         \
        }                                                                               \
    } while (0)
#define TEST_ASSERT_UNLESS(condition) TEST_ASSERT_UNLESS_MESSAGE(condition, nullptr)
#define TEST_ASSERT_FALSE_MESSAGE(condition, message) TEST_ASSERT_UNLESS_MESSAGE(condition, message)
#define TEST_ASSERT_FALSE(condition) TEST_ASSERT_UNLESS_MESSAGE(condition, nullptr)
#define TEST_ASSERT_NULL_MESSAGE(pointer, message)                                   \
    do {                                                                             \
        if ((pointer) != nullptr) {                                                  \
            ::meshwork::unity::fail(__FILE__, __LINE__, "Expected NULL", (message)); \
        }                                                                            \
    } while (0)
#define TEST_ASSERT_NULL(pointer) TEST_ASSERT_NULL_MESSAGE(pointer, nullptr)
#define TEST_ASSERT_NOT_NULL_MESSAGE(pointer, message)                                   \
    do {                                                                                 \
        if ((pointer) == nullptr) {                                                      \
            ::meshwork::unity::fail(__FILE__, __LINE__, "Expected Non-NULL", (message)); \
        }                                                                                \
    } while (0)
#define TEST_ASSERT_NOT_NULL(pointer) TEST_ASSERT_NOT_NULL_MESSAGE(pointer, nullptr)

// Generic equality: compared as int, as Unity does.
#define TEST_ASSERT_EQUAL_MESSAGE(expected, actual, message) \
    TEST_ASSERT_EQUAL_INT_MESSAGE(expected, actual, message)
#define TEST_ASSERT_EQUAL(expected, actual) TEST_ASSERT_EQUAL_INT(expected, actual)
#define TEST_ASSERT_NOT_EQUAL_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_INT(expected, actual, kNotEqual, message)
#define TEST_ASSERT_NOT_EQUAL(expected, actual) \
    TEST_ASSERT_NOT_EQUAL_MESSAGE(expected, actual, nullptr)

// Integer families: the values are converted to the named type first.
#define MESHWORK_UNITY_CMP_INT(e, a, op, m)                                                    \
    ::meshwork::unity::compare_signed(                                                         \
        static_cast<int64_t>(static_cast<int>(e)), static_cast<int64_t>(static_cast<int>(a)),  \
        ::meshwork::unity::Compare::op, ::meshwork::unity::Style::kSigned, (8u * sizeof(int)), \
        __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_INT_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_INT(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_INT(expected, actual) \
    MESHWORK_UNITY_CMP_INT(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_INT_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_INT(threshold, actual) \
    MESHWORK_UNITY_CMP_INT(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_INT_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_INT(threshold, actual) \
    MESHWORK_UNITY_CMP_INT(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_INT_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_INT(threshold, actual) \
    MESHWORK_UNITY_CMP_INT(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_INT_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_INT(threshold, actual) \
    MESHWORK_UNITY_CMP_INT(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_INT_WITHIN_MESSAGE(delta, expected, actual, message)                   \
    ::meshwork::unity::within_signed(                                                      \
        static_cast<uint64_t>(delta), static_cast<int64_t>(static_cast<int>(expected)),    \
        static_cast<int64_t>(static_cast<int>(actual)), ::meshwork::unity::Style::kSigned, \
        (8u * sizeof(int)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_INT_WITHIN(delta, expected, actual) \
    TEST_ASSERT_INT_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_INT_ARRAY_MESSAGE(expected, actual, count, message)                 \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(int),            \
                                       ::meshwork::unity::Style::kSigned, __FILE__, __LINE__, \
                                       (message))
#define TEST_ASSERT_EQUAL_INT_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_INT_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define MESHWORK_UNITY_CMP_INT8(e, a, op, m)                                          \
    ::meshwork::unity::compare_signed(                                                \
        static_cast<int64_t>(static_cast<int8_t>(e)),                                 \
        static_cast<int64_t>(static_cast<int8_t>(a)), ::meshwork::unity::Compare::op, \
        ::meshwork::unity::Style::kSigned, (8u * sizeof(int8_t)), __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_INT8_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_INT8(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_INT8(expected, actual) \
    MESHWORK_UNITY_CMP_INT8(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_INT8_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT8(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_INT8(threshold, actual) \
    MESHWORK_UNITY_CMP_INT8(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_INT8_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT8(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_INT8(threshold, actual) \
    MESHWORK_UNITY_CMP_INT8(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_INT8_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT8(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_INT8(threshold, actual) \
    MESHWORK_UNITY_CMP_INT8(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_INT8_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT8(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_INT8(threshold, actual) \
    MESHWORK_UNITY_CMP_INT8(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_INT8_WITHIN_MESSAGE(delta, expected, actual, message)                     \
    ::meshwork::unity::within_signed(                                                         \
        static_cast<uint64_t>(delta), static_cast<int64_t>(static_cast<int8_t>(expected)),    \
        static_cast<int64_t>(static_cast<int8_t>(actual)), ::meshwork::unity::Style::kSigned, \
        (8u * sizeof(int8_t)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_INT8_WITHIN(delta, expected, actual) \
    TEST_ASSERT_INT8_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_INT8_ARRAY_MESSAGE(expected, actual, count, message)                \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(int8_t),         \
                                       ::meshwork::unity::Style::kSigned, __FILE__, __LINE__, \
                                       (message))
#define TEST_ASSERT_EQUAL_INT8_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_INT8_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define MESHWORK_UNITY_CMP_INT16(e, a, op, m)                                          \
    ::meshwork::unity::compare_signed(                                                 \
        static_cast<int64_t>(static_cast<int16_t>(e)),                                 \
        static_cast<int64_t>(static_cast<int16_t>(a)), ::meshwork::unity::Compare::op, \
        ::meshwork::unity::Style::kSigned, (8u * sizeof(int16_t)), __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_INT16_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_INT16(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_INT16(expected, actual) \
    MESHWORK_UNITY_CMP_INT16(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_INT16_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT16(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_INT16(threshold, actual) \
    MESHWORK_UNITY_CMP_INT16(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_INT16_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT16(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_INT16(threshold, actual) \
    MESHWORK_UNITY_CMP_INT16(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_INT16_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT16(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_INT16(threshold, actual) \
    MESHWORK_UNITY_CMP_INT16(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_INT16_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT16(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_INT16(threshold, actual) \
    MESHWORK_UNITY_CMP_INT16(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_INT16_WITHIN_MESSAGE(delta, expected, actual, message)                     \
    ::meshwork::unity::within_signed(                                                          \
        static_cast<uint64_t>(delta), static_cast<int64_t>(static_cast<int16_t>(expected)),    \
        static_cast<int64_t>(static_cast<int16_t>(actual)), ::meshwork::unity::Style::kSigned, \
        (8u * sizeof(int16_t)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_INT16_WITHIN(delta, expected, actual) \
    TEST_ASSERT_INT16_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_INT16_ARRAY_MESSAGE(expected, actual, count, message)               \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(int16_t),        \
                                       ::meshwork::unity::Style::kSigned, __FILE__, __LINE__, \
                                       (message))
#define TEST_ASSERT_EQUAL_INT16_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_INT16_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define MESHWORK_UNITY_CMP_INT32(e, a, op, m)                                          \
    ::meshwork::unity::compare_signed(                                                 \
        static_cast<int64_t>(static_cast<int32_t>(e)),                                 \
        static_cast<int64_t>(static_cast<int32_t>(a)), ::meshwork::unity::Compare::op, \
        ::meshwork::unity::Style::kSigned, (8u * sizeof(int32_t)), __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_INT32_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_INT32(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_INT32(expected, actual) \
    MESHWORK_UNITY_CMP_INT32(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_INT32_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT32(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_INT32(threshold, actual) \
    MESHWORK_UNITY_CMP_INT32(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_INT32_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT32(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_INT32(threshold, actual) \
    MESHWORK_UNITY_CMP_INT32(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_INT32_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT32(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_INT32(threshold, actual) \
    MESHWORK_UNITY_CMP_INT32(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_INT32_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT32(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_INT32(threshold, actual) \
    MESHWORK_UNITY_CMP_INT32(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_INT32_WITHIN_MESSAGE(delta, expected, actual, message)                     \
    ::meshwork::unity::within_signed(                                                          \
        static_cast<uint64_t>(delta), static_cast<int64_t>(static_cast<int32_t>(expected)),    \
        static_cast<int64_t>(static_cast<int32_t>(actual)), ::meshwork::unity::Style::kSigned, \
        (8u * sizeof(int32_t)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_INT32_WITHIN(delta, expected, actual) \
    TEST_ASSERT_INT32_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_INT32_ARRAY_MESSAGE(expected, actual, count, message)               \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(int32_t),        \
                                       ::meshwork::unity::Style::kSigned, __FILE__, __LINE__, \
                                       (message))
#define TEST_ASSERT_EQUAL_INT32_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_INT32_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define MESHWORK_UNITY_CMP_INT64(e, a, op, m)                                          \
    ::meshwork::unity::compare_signed(                                                 \
        static_cast<int64_t>(static_cast<int64_t>(e)),                                 \
        static_cast<int64_t>(static_cast<int64_t>(a)), ::meshwork::unity::Compare::op, \
        ::meshwork::unity::Style::kSigned, (8u * sizeof(int64_t)), __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_INT64_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_INT64(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_INT64(expected, actual) \
    MESHWORK_UNITY_CMP_INT64(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_INT64_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT64(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_INT64(threshold, actual) \
    MESHWORK_UNITY_CMP_INT64(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_INT64_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT64(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_INT64(threshold, actual) \
    MESHWORK_UNITY_CMP_INT64(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_INT64_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT64(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_INT64(threshold, actual) \
    MESHWORK_UNITY_CMP_INT64(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_INT64_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_INT64(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_INT64(threshold, actual) \
    MESHWORK_UNITY_CMP_INT64(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_INT64_WITHIN_MESSAGE(delta, expected, actual, message)                     \
    ::meshwork::unity::within_signed(                                                          \
        static_cast<uint64_t>(delta), static_cast<int64_t>(static_cast<int64_t>(expected)),    \
        static_cast<int64_t>(static_cast<int64_t>(actual)), ::meshwork::unity::Style::kSigned, \
        (8u * sizeof(int64_t)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_INT64_WITHIN(delta, expected, actual) \
    TEST_ASSERT_INT64_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_INT64_ARRAY_MESSAGE(expected, actual, count, message)               \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(int64_t),        \
                                       ::meshwork::unity::Style::kSigned, __FILE__, __LINE__, \
                                       (message))
#define TEST_ASSERT_EQUAL_INT64_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_INT64_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define MESHWORK_UNITY_CMP_UINT(e, a, op, m)                                                 \
    ::meshwork::unity::compare_unsigned(                                                     \
        static_cast<uint64_t>(static_cast<unsigned int>(e)),                                 \
        static_cast<uint64_t>(static_cast<unsigned int>(a)), ::meshwork::unity::Compare::op, \
        ::meshwork::unity::Style::kUnsigned, (8u * sizeof(unsigned int)), __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_UINT_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_UINT(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_UINT(expected, actual) \
    MESHWORK_UNITY_CMP_UINT(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_UINT_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_UINT(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_UINT_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_UINT(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_UINT_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_UINT(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_UINT_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_UINT(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_UINT_WITHIN_MESSAGE(delta, expected, actual, message)                          \
    ::meshwork::unity::within_unsigned(static_cast<uint64_t>(delta),                               \
                                       static_cast<uint64_t>(static_cast<unsigned int>(expected)), \
                                       static_cast<uint64_t>(static_cast<unsigned int>(actual)),   \
                                       ::meshwork::unity::Style::kUnsigned,                        \
                                       (8u * sizeof(unsigned int)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_UINT_WITHIN(delta, expected, actual) \
    TEST_ASSERT_UINT_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_UINT_ARRAY_MESSAGE(expected, actual, count, message)                  \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(unsigned int),     \
                                       ::meshwork::unity::Style::kUnsigned, __FILE__, __LINE__, \
                                       (message))
#define TEST_ASSERT_EQUAL_UINT_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_UINT_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define MESHWORK_UNITY_CMP_UINT8(e, a, op, m)                                           \
    ::meshwork::unity::compare_unsigned(                                                \
        static_cast<uint64_t>(static_cast<uint8_t>(e)),                                 \
        static_cast<uint64_t>(static_cast<uint8_t>(a)), ::meshwork::unity::Compare::op, \
        ::meshwork::unity::Style::kUnsigned, (8u * sizeof(uint8_t)), __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_UINT8_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_UINT8(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_UINT8(expected, actual) \
    MESHWORK_UNITY_CMP_UINT8(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_UINT8_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT8(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_UINT8(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT8(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_UINT8_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT8(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_UINT8(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT8(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_UINT8_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT8(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_UINT8(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT8(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_UINT8_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT8(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_UINT8(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT8(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_UINT8_WITHIN_MESSAGE(delta, expected, actual, message)                        \
    ::meshwork::unity::within_unsigned(                                                           \
        static_cast<uint64_t>(delta), static_cast<uint64_t>(static_cast<uint8_t>(expected)),      \
        static_cast<uint64_t>(static_cast<uint8_t>(actual)), ::meshwork::unity::Style::kUnsigned, \
        (8u * sizeof(uint8_t)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_UINT8_WITHIN(delta, expected, actual) \
    TEST_ASSERT_UINT8_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_UINT8_ARRAY_MESSAGE(expected, actual, count, message)                 \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(uint8_t),          \
                                       ::meshwork::unity::Style::kUnsigned, __FILE__, __LINE__, \
                                       (message))
#define TEST_ASSERT_EQUAL_UINT8_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_UINT8_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define MESHWORK_UNITY_CMP_UINT16(e, a, op, m)                                           \
    ::meshwork::unity::compare_unsigned(                                                 \
        static_cast<uint64_t>(static_cast<uint16_t>(e)),                                 \
        static_cast<uint64_t>(static_cast<uint16_t>(a)), ::meshwork::unity::Compare::op, \
        ::meshwork::unity::Style::kUnsigned, (8u * sizeof(uint16_t)), __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_UINT16_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_UINT16(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_UINT16(expected, actual) \
    MESHWORK_UNITY_CMP_UINT16(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_UINT16_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT16(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_UINT16(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT16(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_UINT16_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT16(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_UINT16(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT16(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_UINT16_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT16(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_UINT16(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT16(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_UINT16_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT16(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_UINT16(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT16(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_UINT16_WITHIN_MESSAGE(delta, expected, actual, message)                        \
    ::meshwork::unity::within_unsigned(                                                            \
        static_cast<uint64_t>(delta), static_cast<uint64_t>(static_cast<uint16_t>(expected)),      \
        static_cast<uint64_t>(static_cast<uint16_t>(actual)), ::meshwork::unity::Style::kUnsigned, \
        (8u * sizeof(uint16_t)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_UINT16_WITHIN(delta, expected, actual) \
    TEST_ASSERT_UINT16_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_UINT16_ARRAY_MESSAGE(expected, actual, count, message)                \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(uint16_t),         \
                                       ::meshwork::unity::Style::kUnsigned, __FILE__, __LINE__, \
                                       (message))
#define TEST_ASSERT_EQUAL_UINT16_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_UINT16_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define MESHWORK_UNITY_CMP_UINT32(e, a, op, m)                                           \
    ::meshwork::unity::compare_unsigned(                                                 \
        static_cast<uint64_t>(static_cast<uint32_t>(e)),                                 \
        static_cast<uint64_t>(static_cast<uint32_t>(a)), ::meshwork::unity::Compare::op, \
        ::meshwork::unity::Style::kUnsigned, (8u * sizeof(uint32_t)), __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_UINT32_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_UINT32(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_UINT32(expected, actual) \
    MESHWORK_UNITY_CMP_UINT32(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_UINT32_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT32(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_UINT32(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT32(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_UINT32_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT32(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_UINT32(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT32(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_UINT32_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT32(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_UINT32(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT32(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_UINT32_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT32(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_UINT32(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT32(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_UINT32_WITHIN_MESSAGE(delta, expected, actual, message)                        \
    ::meshwork::unity::within_unsigned(                                                            \
        static_cast<uint64_t>(delta), static_cast<uint64_t>(static_cast<uint32_t>(expected)),      \
        static_cast<uint64_t>(static_cast<uint32_t>(actual)), ::meshwork::unity::Style::kUnsigned, \
        (8u * sizeof(uint32_t)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_UINT32_WITHIN(delta, expected, actual) \
    TEST_ASSERT_UINT32_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_UINT32_ARRAY_MESSAGE(expected, actual, count, message)                \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(uint32_t),         \
                                       ::meshwork::unity::Style::kUnsigned, __FILE__, __LINE__, \
                                       (message))
#define TEST_ASSERT_EQUAL_UINT32_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_UINT32_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define MESHWORK_UNITY_CMP_UINT64(e, a, op, m)                                           \
    ::meshwork::unity::compare_unsigned(                                                 \
        static_cast<uint64_t>(static_cast<uint64_t>(e)),                                 \
        static_cast<uint64_t>(static_cast<uint64_t>(a)), ::meshwork::unity::Compare::op, \
        ::meshwork::unity::Style::kUnsigned, (8u * sizeof(uint64_t)), __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_UINT64_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_UINT64(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_UINT64(expected, actual) \
    MESHWORK_UNITY_CMP_UINT64(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_UINT64_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT64(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_UINT64(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT64(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_UINT64_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT64(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_UINT64(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT64(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_UINT64_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT64(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_UINT64(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT64(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_UINT64_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_UINT64(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_UINT64(threshold, actual) \
    MESHWORK_UNITY_CMP_UINT64(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_UINT64_WITHIN_MESSAGE(delta, expected, actual, message)                        \
    ::meshwork::unity::within_unsigned(                                                            \
        static_cast<uint64_t>(delta), static_cast<uint64_t>(static_cast<uint64_t>(expected)),      \
        static_cast<uint64_t>(static_cast<uint64_t>(actual)), ::meshwork::unity::Style::kUnsigned, \
        (8u * sizeof(uint64_t)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_UINT64_WITHIN(delta, expected, actual) \
    TEST_ASSERT_UINT64_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_UINT64_ARRAY_MESSAGE(expected, actual, count, message)                \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(uint64_t),         \
                                       ::meshwork::unity::Style::kUnsigned, __FILE__, __LINE__, \
                                       (message))
#define TEST_ASSERT_EQUAL_UINT64_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_UINT64_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define MESHWORK_UNITY_CMP_size_t(e, a, op, m)                                         \
    ::meshwork::unity::compare_unsigned(                                               \
        static_cast<uint64_t>(static_cast<size_t>(e)),                                 \
        static_cast<uint64_t>(static_cast<size_t>(a)), ::meshwork::unity::Compare::op, \
        ::meshwork::unity::Style::kUnsigned, (8u * sizeof(size_t)), __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_size_t_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_size_t(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_size_t(expected, actual) \
    MESHWORK_UNITY_CMP_size_t(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_size_t_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_size_t(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_size_t(threshold, actual) \
    MESHWORK_UNITY_CMP_size_t(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_size_t_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_size_t(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_size_t(threshold, actual) \
    MESHWORK_UNITY_CMP_size_t(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_size_t_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_size_t(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_size_t(threshold, actual) \
    MESHWORK_UNITY_CMP_size_t(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_size_t_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_size_t(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_size_t(threshold, actual) \
    MESHWORK_UNITY_CMP_size_t(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_size_t_WITHIN_MESSAGE(delta, expected, actual, message)                      \
    ::meshwork::unity::within_unsigned(                                                          \
        static_cast<uint64_t>(delta), static_cast<uint64_t>(static_cast<size_t>(expected)),      \
        static_cast<uint64_t>(static_cast<size_t>(actual)), ::meshwork::unity::Style::kUnsigned, \
        (8u * sizeof(size_t)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_size_t_WITHIN(delta, expected, actual) \
    TEST_ASSERT_size_t_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_size_t_ARRAY_MESSAGE(expected, actual, count, message)                \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(size_t),           \
                                       ::meshwork::unity::Style::kUnsigned, __FILE__, __LINE__, \
                                       (message))
#define TEST_ASSERT_EQUAL_size_t_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_size_t_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define MESHWORK_UNITY_CMP_HEX(e, a, op, m)                                                  \
    ::meshwork::unity::compare_unsigned(                                                     \
        static_cast<uint64_t>(static_cast<unsigned int>(e)),                                 \
        static_cast<uint64_t>(static_cast<unsigned int>(a)), ::meshwork::unity::Compare::op, \
        ::meshwork::unity::Style::kHex, (8u * sizeof(unsigned int)), __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_HEX_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_HEX(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_HEX(expected, actual) \
    MESHWORK_UNITY_CMP_HEX(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_HEX_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_HEX(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_HEX_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_HEX(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_HEX_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_HEX(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_HEX_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_HEX(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_HEX_WITHIN_MESSAGE(delta, expected, actual, message)                          \
    ::meshwork::unity::within_unsigned(                                                           \
        static_cast<uint64_t>(delta), static_cast<uint64_t>(static_cast<unsigned int>(expected)), \
        static_cast<uint64_t>(static_cast<unsigned int>(actual)), ::meshwork::unity::Style::kHex, \
        (8u * sizeof(unsigned int)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_HEX_WITHIN(delta, expected, actual) \
    TEST_ASSERT_HEX_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_HEX_ARRAY_MESSAGE(expected, actual, count, message)               \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(unsigned int), \
                                       ::meshwork::unity::Style::kHex, __FILE__, __LINE__,  \
                                       (message))
#define TEST_ASSERT_EQUAL_HEX_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_HEX_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define MESHWORK_UNITY_CMP_HEX8(e, a, op, m)                                            \
    ::meshwork::unity::compare_unsigned(                                                \
        static_cast<uint64_t>(static_cast<uint8_t>(e)),                                 \
        static_cast<uint64_t>(static_cast<uint8_t>(a)), ::meshwork::unity::Compare::op, \
        ::meshwork::unity::Style::kHex, (8u * sizeof(uint8_t)), __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_HEX8_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_HEX8(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_HEX8(expected, actual) \
    MESHWORK_UNITY_CMP_HEX8(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_HEX8_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX8(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_HEX8(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX8(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_HEX8_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX8(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_HEX8(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX8(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_HEX8_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX8(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_HEX8(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX8(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_HEX8_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX8(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_HEX8(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX8(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_HEX8_WITHIN_MESSAGE(delta, expected, actual, message)                    \
    ::meshwork::unity::within_unsigned(                                                      \
        static_cast<uint64_t>(delta), static_cast<uint64_t>(static_cast<uint8_t>(expected)), \
        static_cast<uint64_t>(static_cast<uint8_t>(actual)), ::meshwork::unity::Style::kHex, \
        (8u * sizeof(uint8_t)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_HEX8_WITHIN(delta, expected, actual) \
    TEST_ASSERT_HEX8_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_HEX8_ARRAY_MESSAGE(expected, actual, count, message)             \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(uint8_t),     \
                                       ::meshwork::unity::Style::kHex, __FILE__, __LINE__, \
                                       (message))
#define TEST_ASSERT_EQUAL_HEX8_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_HEX8_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define MESHWORK_UNITY_CMP_HEX16(e, a, op, m)                                            \
    ::meshwork::unity::compare_unsigned(                                                 \
        static_cast<uint64_t>(static_cast<uint16_t>(e)),                                 \
        static_cast<uint64_t>(static_cast<uint16_t>(a)), ::meshwork::unity::Compare::op, \
        ::meshwork::unity::Style::kHex, (8u * sizeof(uint16_t)), __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_HEX16_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_HEX16(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_HEX16(expected, actual) \
    MESHWORK_UNITY_CMP_HEX16(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_HEX16_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX16(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_HEX16(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX16(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_HEX16_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX16(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_HEX16(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX16(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_HEX16_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX16(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_HEX16(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX16(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_HEX16_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX16(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_HEX16(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX16(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_HEX16_WITHIN_MESSAGE(delta, expected, actual, message)                    \
    ::meshwork::unity::within_unsigned(                                                       \
        static_cast<uint64_t>(delta), static_cast<uint64_t>(static_cast<uint16_t>(expected)), \
        static_cast<uint64_t>(static_cast<uint16_t>(actual)), ::meshwork::unity::Style::kHex, \
        (8u * sizeof(uint16_t)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_HEX16_WITHIN(delta, expected, actual) \
    TEST_ASSERT_HEX16_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_HEX16_ARRAY_MESSAGE(expected, actual, count, message)            \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(uint16_t),    \
                                       ::meshwork::unity::Style::kHex, __FILE__, __LINE__, \
                                       (message))
#define TEST_ASSERT_EQUAL_HEX16_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_HEX16_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define MESHWORK_UNITY_CMP_HEX32(e, a, op, m)                                            \
    ::meshwork::unity::compare_unsigned(                                                 \
        static_cast<uint64_t>(static_cast<uint32_t>(e)),                                 \
        static_cast<uint64_t>(static_cast<uint32_t>(a)), ::meshwork::unity::Compare::op, \
        ::meshwork::unity::Style::kHex, (8u * sizeof(uint32_t)), __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_HEX32_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_HEX32(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_HEX32(expected, actual) \
    MESHWORK_UNITY_CMP_HEX32(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_HEX32_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX32(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_HEX32(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX32(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_HEX32_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX32(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_HEX32(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX32(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_HEX32_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX32(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_HEX32(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX32(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_HEX32_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX32(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_HEX32(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX32(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_HEX32_WITHIN_MESSAGE(delta, expected, actual, message)                    \
    ::meshwork::unity::within_unsigned(                                                       \
        static_cast<uint64_t>(delta), static_cast<uint64_t>(static_cast<uint32_t>(expected)), \
        static_cast<uint64_t>(static_cast<uint32_t>(actual)), ::meshwork::unity::Style::kHex, \
        (8u * sizeof(uint32_t)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_HEX32_WITHIN(delta, expected, actual) \
    TEST_ASSERT_HEX32_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_HEX32_ARRAY_MESSAGE(expected, actual, count, message)            \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(uint32_t),    \
                                       ::meshwork::unity::Style::kHex, __FILE__, __LINE__, \
                                       (message))
#define TEST_ASSERT_EQUAL_HEX32_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_HEX32_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define MESHWORK_UNITY_CMP_HEX64(e, a, op, m)                                            \
    ::meshwork::unity::compare_unsigned(                                                 \
        static_cast<uint64_t>(static_cast<uint64_t>(e)),                                 \
        static_cast<uint64_t>(static_cast<uint64_t>(a)), ::meshwork::unity::Compare::op, \
        ::meshwork::unity::Style::kHex, (8u * sizeof(uint64_t)), __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_HEX64_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_HEX64(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_HEX64(expected, actual) \
    MESHWORK_UNITY_CMP_HEX64(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_HEX64_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX64(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_HEX64(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX64(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_HEX64_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX64(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_HEX64(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX64(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_HEX64_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX64(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_HEX64(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX64(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_HEX64_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_HEX64(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_HEX64(threshold, actual) \
    MESHWORK_UNITY_CMP_HEX64(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_HEX64_WITHIN_MESSAGE(delta, expected, actual, message)                    \
    ::meshwork::unity::within_unsigned(                                                       \
        static_cast<uint64_t>(delta), static_cast<uint64_t>(static_cast<uint64_t>(expected)), \
        static_cast<uint64_t>(static_cast<uint64_t>(actual)), ::meshwork::unity::Style::kHex, \
        (8u * sizeof(uint64_t)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_HEX64_WITHIN(delta, expected, actual) \
    TEST_ASSERT_HEX64_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_HEX64_ARRAY_MESSAGE(expected, actual, count, message)            \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(uint64_t),    \
                                       ::meshwork::unity::Style::kHex, __FILE__, __LINE__, \
                                       (message))
#define TEST_ASSERT_EQUAL_HEX64_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_HEX64_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define MESHWORK_UNITY_CMP_CHAR(e, a, op, m)                                                    \
    ::meshwork::unity::compare_signed(                                                          \
        static_cast<int64_t>(static_cast<char>(e)), static_cast<int64_t>(static_cast<char>(a)), \
        ::meshwork::unity::Compare::op, ::meshwork::unity::Style::kChar, (8u * sizeof(char)),   \
        __FILE__, __LINE__, (m))
#define TEST_ASSERT_EQUAL_CHAR_MESSAGE(expected, actual, message) \
    MESHWORK_UNITY_CMP_CHAR(expected, actual, kEqual, message)
#define TEST_ASSERT_EQUAL_CHAR(expected, actual) \
    MESHWORK_UNITY_CMP_CHAR(expected, actual, kEqual, nullptr)
#define TEST_ASSERT_GREATER_THAN_CHAR_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_CHAR(threshold, actual, kGreater, message)
#define TEST_ASSERT_GREATER_THAN_CHAR(threshold, actual) \
    MESHWORK_UNITY_CMP_CHAR(threshold, actual, kGreater, nullptr)
#define TEST_ASSERT_LESS_THAN_CHAR_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_CHAR(threshold, actual, kLess, message)
#define TEST_ASSERT_LESS_THAN_CHAR(threshold, actual) \
    MESHWORK_UNITY_CMP_CHAR(threshold, actual, kLess, nullptr)
#define TEST_ASSERT_GREATER_OR_EQUAL_CHAR_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_CHAR(threshold, actual, kGreaterOrEqual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL_CHAR(threshold, actual) \
    MESHWORK_UNITY_CMP_CHAR(threshold, actual, kGreaterOrEqual, nullptr)
#define TEST_ASSERT_LESS_OR_EQUAL_CHAR_MESSAGE(threshold, actual, message) \
    MESHWORK_UNITY_CMP_CHAR(threshold, actual, kLessOrEqual, message)
#define TEST_ASSERT_LESS_OR_EQUAL_CHAR(threshold, actual) \
    MESHWORK_UNITY_CMP_CHAR(threshold, actual, kLessOrEqual, nullptr)
#define TEST_ASSERT_CHAR_WITHIN_MESSAGE(delta, expected, actual, message)                 \
    ::meshwork::unity::within_signed(                                                     \
        static_cast<uint64_t>(delta), static_cast<int64_t>(static_cast<char>(expected)),  \
        static_cast<int64_t>(static_cast<char>(actual)), ::meshwork::unity::Style::kChar, \
        (8u * sizeof(char)), __FILE__, __LINE__, (message))
#define TEST_ASSERT_CHAR_WITHIN(delta, expected, actual) \
    TEST_ASSERT_CHAR_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_CHAR_ARRAY_MESSAGE(expected, actual, count, message)              \
    ::meshwork::unity::equal_int_array((expected), (actual), (count), sizeof(char),         \
                                       ::meshwork::unity::Style::kChar, __FILE__, __LINE__, \
                                       (message))
#define TEST_ASSERT_EQUAL_CHAR_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_CHAR_ARRAY_MESSAGE(expected, actual, count, nullptr)

// Generic ordering and WITHIN: as int.
#define TEST_ASSERT_GREATER_THAN(threshold, actual) TEST_ASSERT_GREATER_THAN_INT(threshold, actual)
#define TEST_ASSERT_GREATER_THAN_MESSAGE(threshold, actual, message) \
    TEST_ASSERT_GREATER_THAN_INT_MESSAGE(threshold, actual, message)
#define TEST_ASSERT_LESS_THAN(threshold, actual) TEST_ASSERT_LESS_THAN_INT(threshold, actual)
#define TEST_ASSERT_LESS_THAN_MESSAGE(threshold, actual, message) \
    TEST_ASSERT_LESS_THAN_INT_MESSAGE(threshold, actual, message)
#define TEST_ASSERT_GREATER_OR_EQUAL(threshold, actual) \
    TEST_ASSERT_GREATER_OR_EQUAL_INT(threshold, actual)
#define TEST_ASSERT_GREATER_OR_EQUAL_MESSAGE(threshold, actual, message) \
    TEST_ASSERT_GREATER_OR_EQUAL_INT_MESSAGE(threshold, actual, message)
#define TEST_ASSERT_LESS_OR_EQUAL(threshold, actual) \
    TEST_ASSERT_LESS_OR_EQUAL_INT(threshold, actual)
#define TEST_ASSERT_LESS_OR_EQUAL_MESSAGE(threshold, actual, message) \
    TEST_ASSERT_LESS_OR_EQUAL_INT_MESSAGE(threshold, actual, message)
#define TEST_ASSERT_WITHIN(delta, expected, actual) TEST_ASSERT_INT_WITHIN(delta, expected, actual)

// Bits.
#define TEST_ASSERT_BITS_MESSAGE(mask, expected, actual, message)                         \
    ::meshwork::unity::bits(static_cast<uint64_t>(mask), static_cast<uint64_t>(expected), \
                            static_cast<uint64_t>(actual), __FILE__, __LINE__, (message))
#define TEST_ASSERT_BITS(mask, expected, actual) \
    TEST_ASSERT_BITS_MESSAGE(mask, expected, actual, nullptr)
#define TEST_ASSERT_BITS_HIGH(mask, actual) TEST_ASSERT_BITS(mask, ~0ull, actual)
#define TEST_ASSERT_BITS_LOW(mask, actual) TEST_ASSERT_BITS(mask, 0ull, actual)
#define TEST_ASSERT_BIT_HIGH(bit, actual) TEST_ASSERT_BITS(1ull << (bit), ~0ull, actual)
#define TEST_ASSERT_BIT_LOW(bit, actual) TEST_ASSERT_BITS(1ull << (bit), 0ull, actual)
#define TEST_ASSERT_BITS_HIGH_MESSAGE(mask, actual, message) \
    TEST_ASSERT_BITS_MESSAGE(mask, ~0ull, actual, message)
#define TEST_ASSERT_BITS_LOW_MESSAGE(mask, actual, message) \
    TEST_ASSERT_BITS_MESSAGE(mask, 0ull, actual, message)

// Pointers, strings, memory.
#define TEST_ASSERT_EQUAL_PTR_MESSAGE(expected, actual, message)      \
    ::meshwork::unity::equal_ptr(static_cast<const void *>(expected), \
                                 static_cast<const void *>(actual), __FILE__, __LINE__, (message))
#define TEST_ASSERT_EQUAL_PTR(expected, actual) \
    TEST_ASSERT_EQUAL_PTR_MESSAGE(expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_STRING_MESSAGE(expected, actual, message) \
    ::meshwork::unity::equal_string((expected), (actual), SIZE_MAX, __FILE__, __LINE__, (message))
#define TEST_ASSERT_EQUAL_STRING(expected, actual) \
    TEST_ASSERT_EQUAL_STRING_MESSAGE(expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_STRING_LEN_MESSAGE(expected, actual, len, message) \
    ::meshwork::unity::equal_string((expected), (actual), (len), __FILE__, __LINE__, (message))
#define TEST_ASSERT_EQUAL_STRING_LEN(expected, actual, len) \
    TEST_ASSERT_EQUAL_STRING_LEN_MESSAGE(expected, actual, len, nullptr)
#define TEST_ASSERT_EQUAL_STRING_ARRAY_MESSAGE(expected, actual, count, message)             \
    ::meshwork::unity::equal_string_array((expected), (actual), (count), __FILE__, __LINE__, \
                                          (message))
#define TEST_ASSERT_EQUAL_STRING_ARRAY(expected, actual, count) \
    TEST_ASSERT_EQUAL_STRING_ARRAY_MESSAGE(expected, actual, count, nullptr)
#define TEST_ASSERT_EQUAL_MEMORY_MESSAGE(expected, actual, len, message) \
    ::meshwork::unity::equal_memory((expected), (actual), (len), 1, __FILE__, __LINE__, (message))
#define TEST_ASSERT_EQUAL_MEMORY(expected, actual, len) \
    TEST_ASSERT_EQUAL_MEMORY_MESSAGE(expected, actual, len, nullptr)
#define TEST_ASSERT_EQUAL_MEMORY_ARRAY_MESSAGE(expected, actual, len, count, message)         \
    ::meshwork::unity::equal_memory((expected), (actual), (len), (count), __FILE__, __LINE__, \
                                    (message))
#define TEST_ASSERT_EQUAL_MEMORY_ARRAY(expected, actual, len, count) \
    TEST_ASSERT_EQUAL_MEMORY_ARRAY_MESSAGE(expected, actual, len, count, nullptr)

// Floating point.
#define TEST_ASSERT_FLOAT_WITHIN_MESSAGE(delta, expected, actual, message)                      \
    ::meshwork::unity::within_double(static_cast<double>(delta), static_cast<double>(expected), \
                                     static_cast<double>(actual), __FILE__, __LINE__, (message))
#define TEST_ASSERT_FLOAT_WITHIN(delta, expected, actual) \
    TEST_ASSERT_FLOAT_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_DOUBLE_WITHIN_MESSAGE(delta, expected, actual, message) \
    TEST_ASSERT_FLOAT_WITHIN_MESSAGE(delta, expected, actual, message)
#define TEST_ASSERT_DOUBLE_WITHIN(delta, expected, actual) \
    TEST_ASSERT_FLOAT_WITHIN_MESSAGE(delta, expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_FLOAT_MESSAGE(expected, actual, message)                              \
    ::meshwork::unity::equal_double(static_cast<double>(expected), static_cast<double>(actual), \
                                    true, __FILE__, __LINE__, (message))
#define TEST_ASSERT_EQUAL_FLOAT(expected, actual) \
    TEST_ASSERT_EQUAL_FLOAT_MESSAGE(expected, actual, nullptr)
#define TEST_ASSERT_EQUAL_DOUBLE_MESSAGE(expected, actual, message)                             \
    ::meshwork::unity::equal_double(static_cast<double>(expected), static_cast<double>(actual), \
                                    false, __FILE__, __LINE__, (message))
#define TEST_ASSERT_EQUAL_DOUBLE(expected, actual) \
    TEST_ASSERT_EQUAL_DOUBLE_MESSAGE(expected, actual, nullptr)
