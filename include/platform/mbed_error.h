// Fatal errors and error status codes. A status is a negative 32-bit value: bit 31 set, the
// type in bits 29-30, the module in bits 16-23 and the code in bits 0-15. mbed_error() and
// error() print a report to stderr and abort the process (a device would halt or reset);
// mbed_warning() only records the status.
#pragma once

#include <stdint.h>

#include "platform/mbed_toolchain.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int mbed_error_status_t;

#define MBED_ERROR_STATUS_CODE_MASK (0x0000FFFF)
#define MBED_ERROR_STATUS_CODE_POS (0)
#define MBED_ERROR_STATUS_MODULE_MASK (0x00FF0000)
#define MBED_ERROR_STATUS_MODULE_POS (16)
#define MBED_ERROR_STATUS_TYPE_MASK (0x60000000)
#define MBED_ERROR_STATUS_TYPE_POS (29)

#define MBED_GET_ERROR_TYPE(error_status) \
    (((error_status)&MBED_ERROR_STATUS_TYPE_MASK) >> MBED_ERROR_STATUS_TYPE_POS)
#define MBED_GET_ERROR_MODULE(error_status) \
    (((error_status)&MBED_ERROR_STATUS_MODULE_MASK) >> MBED_ERROR_STATUS_MODULE_POS)
#define MBED_GET_ERROR_CODE(error_status) \
    ((int)(((unsigned)(error_status)&MBED_ERROR_STATUS_CODE_MASK) >> MBED_ERROR_STATUS_CODE_POS))

#define MAKE_MBED_ERROR(type, module, error_code)                                  \
    ((mbed_error_status_t)(0x80000000u |                                           \
                           (((unsigned)(error_code)&MBED_ERROR_STATUS_CODE_MASK)   \
                            << MBED_ERROR_STATUS_CODE_POS) |                       \
                           (((unsigned)(module) << MBED_ERROR_STATUS_MODULE_POS) & \
                            MBED_ERROR_STATUS_MODULE_MASK) |                       \
                           (((unsigned)(type) << MBED_ERROR_STATUS_TYPE_POS) &     \
                            MBED_ERROR_STATUS_TYPE_MASK)))

#define MBED_MAKE_ERROR(module, error_code) \
    MAKE_MBED_ERROR(MBED_ERROR_TYPE_SYSTEM, module, error_code)
#define MBED_MAKE_SYSTEM_ERROR(module, error_code) \
    MAKE_MBED_ERROR(MBED_ERROR_TYPE_SYSTEM, module, error_code)
#define MBED_MAKE_CUSTOM_ERROR(module, error_code) \
    MAKE_MBED_ERROR(MBED_ERROR_TYPE_CUSTOM, module, error_code)

typedef enum _mbed_error_type_t {
    MBED_ERROR_TYPE_SYSTEM = 0,
    MBED_ERROR_TYPE_CUSTOM = 1,
    MBED_ERROR_TYPE_POSIX = 3
} mbed_error_type_t;

typedef enum _mbed_module_type {
    MBED_MODULE_APPLICATION = 0,
    MBED_MODULE_PLATFORM,
    MBED_MODULE_KERNEL,
    MBED_MODULE_NETWORK_STACK,
    MBED_MODULE_NETWORK_STACK_HIGH,
    MBED_MODULE_NETWORK_PROTOCOL,
    MBED_MODULE_NETWORK_DRIVER,
    MBED_MODULE_MEMORY_SUBSYSTEM,
    MBED_MODULE_FILESYSTEM,
    MBED_MODULE_BLOCK_DEVICE,
    MBED_MODULE_DRIVER,
    MBED_MODULE_DRIVER_SERIAL,
    MBED_MODULE_DRIVER_RTC,
    MBED_MODULE_DRIVER_I2C,
    MBED_MODULE_DRIVER_SPI,
    MBED_MODULE_DRIVER_GPIO,
    MBED_MODULE_DRIVER_ANALOG,
    MBED_MODULE_DRIVER_DIGITAL,
    MBED_MODULE_DRIVER_CAN,
    MBED_MODULE_DRIVER_ETHERNET,
    MBED_MODULE_DRIVER_CRC,
    MBED_MODULE_DRIVER_PWM,
    MBED_MODULE_DRIVER_QSPI,
    MBED_MODULE_DRIVER_USB,
    MBED_MODULE_DRIVER_WATCHDOG,
    MBED_MODULE_TARGET_SDK,
    MBED_MODULE_BLE,
    MBED_MODULE_NETWORK_STATS,
    MBED_MODULE_UNKNOWN = 255,
    MBED_MODULE_MAX = MBED_MODULE_UNKNOWN
} mbed_module_type_t;

#define MBED_SYSTEM_ERROR_BASE 256
#define MBED_CUSTOM_ERROR_BASE 4096

// System error codes: MBED_ERROR_CODE_<name> is the code, MBED_ERROR_<name> the status of an
// unknown module.
#define MESHWORK_SYSTEM_ERRORS(X)      \
    X(UNKNOWN, 0)                      \
    X(INVALID_ARGUMENT, 1)             \
    X(INVALID_DATA_DETECTED, 2)        \
    X(INVALID_FORMAT, 3)               \
    X(INVALID_INDEX, 4)                \
    X(INVALID_SIZE, 5)                 \
    X(INVALID_OPERATION, 6)            \
    X(ITEM_NOT_FOUND, 7)               \
    X(ACCESS_DENIED, 8)                \
    X(UNSUPPORTED, 9)                  \
    X(BUFFER_FULL, 10)                 \
    X(MEDIA_FULL, 11)                  \
    X(ALREADY_IN_USE, 12)              \
    X(TIME_OUT, 13)                    \
    X(NOT_READY, 14)                   \
    X(FAILED_OPERATION, 15)            \
    X(OPERATION_PROHIBITED, 16)        \
    X(OPERATION_ABORTED, 17)           \
    X(WRITE_PROTECTED, 18)             \
    X(NO_RESPONSE, 19)                 \
    X(SEMAPHORE_LOCK_FAILED, 20)       \
    X(MUTEX_LOCK_FAILED, 21)           \
    X(SEMAPHORE_UNLOCK_FAILED, 22)     \
    X(MUTEX_UNLOCK_FAILED, 23)         \
    X(CRC_ERROR, 24)                   \
    X(OPEN_FAILED, 25)                 \
    X(CLOSE_FAILED, 26)                \
    X(READ_FAILED, 27)                 \
    X(WRITE_FAILED, 28)                \
    X(INITIALIZATION_FAILED, 29)       \
    X(BOOT_FAILURE, 30)                \
    X(OUT_OF_MEMORY, 31)               \
    X(OUT_OF_RESOURCES, 32)            \
    X(ALLOC_FAILED, 33)                \
    X(FREE_FAILED, 34)                 \
    X(OVERFLOW, 35)                    \
    X(UNDERFLOW, 36)                   \
    X(STACK_OVERFLOW, 37)              \
    X(ISR_QUEUE_OVERFLOW, 38)          \
    X(TIMER_QUEUE_OVERFLOW, 39)        \
    X(CLIB_SPACE_UNAVAILABLE, 40)      \
    X(CLIB_EXCEPTION, 41)              \
    X(CLIB_MUTEX_INIT_FAILURE, 42)     \
    X(CREATE_FAILED, 43)               \
    X(DELETE_FAILED, 44)               \
    X(THREAD_CREATE_FAILED, 45)        \
    X(THREAD_DELETE_FAILED, 46)        \
    X(PROHIBITED_IN_ISR_CONTEXT, 47)   \
    X(PINMAP_INVALID, 48)              \
    X(RTOS_EVENT, 49)                  \
    X(RTOS_THREAD_EVENT, 50)           \
    X(RTOS_MUTEX_EVENT, 51)            \
    X(RTOS_SEMAPHORE_EVENT, 52)        \
    X(RTOS_MEMORY_POOL_EVENT, 53)      \
    X(RTOS_TIMER_EVENT, 54)            \
    X(RTOS_EVENT_FLAGS_EVENT, 55)      \
    X(RTOS_MESSAGE_QUEUE_EVENT, 56)    \
    X(DEVICE_BUSY, 57)                 \
    X(CONFIG_UNSUPPORTED, 58)          \
    X(CONFIG_MISMATCH, 59)             \
    X(ALREADY_INITIALIZED, 60)         \
    X(HARDFAULT_EXCEPTION, 61)         \
    X(MEMMANAGE_EXCEPTION, 62)         \
    X(BUSFAULT_EXCEPTION, 63)          \
    X(USAGEFAULT_EXCEPTION, 64)        \
    X(BLE_NO_FRAME_INITIALIZED, 65)    \
    X(BLE_BACKEND_CREATION_FAILED, 66) \
    X(BLE_BACKEND_NOT_INITIALIZED, 67) \
    X(ASSERTION_FAILED, 68)            \
    X(AUTHENTICATION_FAILED, 69)       \
    X(RBP_AUTHENTICATION_FAILED, 70)   \
    X(BLOCKDEVICE_EVENT, 71)           \
    X(STORAGE_BLOCKDEVICE_ERROR, 72)

#define MESHWORK_ERROR_CODE_ENUM(name, offset) \
    MBED_ERROR_CODE_##name = MBED_SYSTEM_ERROR_BASE + (offset),
#define MESHWORK_ERROR_STATUS_ENUM(name, offset)                                     \
    MBED_ERROR_##name = MAKE_MBED_ERROR(MBED_ERROR_TYPE_SYSTEM, MBED_MODULE_UNKNOWN, \
                                        MBED_SYSTEM_ERROR_BASE + (offset)),

typedef enum _mbed_error_code {
    MBED_SUCCESS = 0,
    MBED_ERROR_CODE_SUCCESS = 0,
    MESHWORK_SYSTEM_ERRORS(MESHWORK_ERROR_CODE_ENUM)
        MESHWORK_SYSTEM_ERRORS(MESHWORK_ERROR_STATUS_ENUM)
} mbed_error_code_t;

#undef MESHWORK_ERROR_CODE_ENUM
#undef MESHWORK_ERROR_STATUS_ENUM

/// Reports a fatal error and aborts. Declared with a status return as on Mbed; never returns.
MBED_NORETURN mbed_error_status_t mbed_error(mbed_error_status_t error_status,
                                             const char *error_msg, unsigned int error_value,
                                             const char *filename, int line_number);

/// Records a non-fatal error (see mbed_get_last_error()); returns MBED_SUCCESS.
mbed_error_status_t mbed_warning(mbed_error_status_t error_status, const char *error_msg,
                                 unsigned int error_value, const char *filename, int line_number);

mbed_error_status_t mbed_get_first_error(void);
mbed_error_status_t mbed_get_last_error(void);
int mbed_get_error_count(void);
mbed_error_status_t mbed_clear_all_errors(void);

#ifdef __cplusplus
}
#endif

#define MBED_FILENAME __FILE__

#define MBED_ERROR1(error_status, error_msg, error_value)                                         \
    mbed_error(error_status, (const char *)error_msg, (unsigned int)(error_value), MBED_FILENAME, \
               __LINE__)
#define MBED_ERROR(error_status, error_msg) \
    mbed_error(error_status, (const char *)error_msg, (unsigned int)0, MBED_FILENAME, __LINE__)
#define MBED_WARNING1(error_status, error_msg, error_value)                          \
    mbed_warning(error_status, (const char *)error_msg, (unsigned int)(error_value), \
                 MBED_FILENAME, __LINE__)
#define MBED_WARNING(error_status, error_msg) \
    mbed_warning(error_status, (const char *)error_msg, (unsigned int)0, MBED_FILENAME, __LINE__)

#ifdef __cplusplus
/// Prints the printf-style message to stderr and aborts. C++ linkage, so it coexists with
/// glibc's error(int, int, const char *, ...).
MBED_NORETURN void error(const char *format, ...) MBED_PRINTF(1, 2);
#endif
