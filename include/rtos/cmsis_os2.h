// The CMSIS-RTOS2 names Mbed applications use directly (status codes, priorities, flag options
// and error values, opaque ids), with the numeric values of the CMSIS-RTOS2 API, and the few
// CMSIS-RTOS2 calls applications make. Ids are opaque pointers to the shim's objects.
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    osOK = 0,
    osError = -1,
    osErrorTimeout = -2,
    osErrorResource = -3,
    osErrorParameter = -4,
    osErrorNoMemory = -5,
    osErrorISR = -6,
    osStatusReserved = 0x7FFFFFFF
} osStatus_t;

typedef enum {
    osThreadInactive = 0,
    osThreadReady = 1,
    osThreadRunning = 2,
    osThreadBlocked = 3,
    osThreadTerminated = 4,
    osThreadError = -1,
    osThreadReserved = 0x7FFFFFFF
} osThreadState_t;

typedef enum {
    osPriorityNone = 0,
    osPriorityIdle = 1,
    osPriorityLow = 8,
    osPriorityLow1 = 8 + 1,
    osPriorityLow2 = 8 + 2,
    osPriorityLow3 = 8 + 3,
    osPriorityLow4 = 8 + 4,
    osPriorityLow5 = 8 + 5,
    osPriorityLow6 = 8 + 6,
    osPriorityLow7 = 8 + 7,
    osPriorityBelowNormal = 16,
    osPriorityBelowNormal1 = 16 + 1,
    osPriorityBelowNormal2 = 16 + 2,
    osPriorityBelowNormal3 = 16 + 3,
    osPriorityBelowNormal4 = 16 + 4,
    osPriorityBelowNormal5 = 16 + 5,
    osPriorityBelowNormal6 = 16 + 6,
    osPriorityBelowNormal7 = 16 + 7,
    osPriorityNormal = 24,
    osPriorityNormal1 = 24 + 1,
    osPriorityNormal2 = 24 + 2,
    osPriorityNormal3 = 24 + 3,
    osPriorityNormal4 = 24 + 4,
    osPriorityNormal5 = 24 + 5,
    osPriorityNormal6 = 24 + 6,
    osPriorityNormal7 = 24 + 7,
    osPriorityAboveNormal = 32,
    osPriorityAboveNormal1 = 32 + 1,
    osPriorityAboveNormal2 = 32 + 2,
    osPriorityAboveNormal3 = 32 + 3,
    osPriorityAboveNormal4 = 32 + 4,
    osPriorityAboveNormal5 = 32 + 5,
    osPriorityAboveNormal6 = 32 + 6,
    osPriorityAboveNormal7 = 32 + 7,
    osPriorityHigh = 40,
    osPriorityHigh1 = 40 + 1,
    osPriorityHigh2 = 40 + 2,
    osPriorityHigh3 = 40 + 3,
    osPriorityHigh4 = 40 + 4,
    osPriorityHigh5 = 40 + 5,
    osPriorityHigh6 = 40 + 6,
    osPriorityHigh7 = 40 + 7,
    osPriorityRealtime = 48,
    osPriorityRealtime1 = 48 + 1,
    osPriorityRealtime2 = 48 + 2,
    osPriorityRealtime3 = 48 + 3,
    osPriorityRealtime4 = 48 + 4,
    osPriorityRealtime5 = 48 + 5,
    osPriorityRealtime6 = 48 + 6,
    osPriorityRealtime7 = 48 + 7,
    osPriorityISR = 56,
    osPriorityError = -1,
    osPriorityReserved = 0x7FFFFFFF
} osPriority_t;

#define osWaitForever 0xFFFFFFFFU

// Flag wait options.
#define osFlagsWaitAny 0x00000000U
#define osFlagsWaitAll 0x00000001U
#define osFlagsNoClear 0x00000002U

// Flag functions return a value with the top bit set on error.
#define osFlagsError 0x80000000U
#define osFlagsErrorUnknown 0xFFFFFFFFU
#define osFlagsErrorTimeout 0xFFFFFFFEU
#define osFlagsErrorResource 0xFFFFFFFDU
#define osFlagsErrorParameter 0xFFFFFFFCU
#define osFlagsErrorISR 0xFFFFFFFAU

typedef void *osThreadId_t;
typedef void *osTimerId_t;
typedef void *osEventFlagsId_t;
typedef void *osMutexId_t;
typedef void *osSemaphoreId_t;
typedef void *osMemoryPoolId_t;
typedef void *osMessageQueueId_t;

/// Id of the calling thread (any thread, including ones the shim did not start).
osThreadId_t osThreadGetId(void);
/// Thread flags of `thread_id`: set returns the flags after setting, clear the flags before.
uint32_t osThreadFlagsSet(osThreadId_t thread_id, uint32_t flags);
uint32_t osThreadFlagsClear(uint32_t flags);
uint32_t osThreadFlagsGet(void);
/// Waits on the calling thread's flags; returns the flags before clearing or an osFlagsError*.
uint32_t osThreadFlagsWait(uint32_t flags, uint32_t options, uint32_t timeout);
osStatus_t osThreadYield(void);
/// Sleeps for `ticks` milliseconds (the kernel tick is 1 ms, as in Mbed's default config).
osStatus_t osDelay(uint32_t ticks);
uint32_t osKernelGetTickCount(void);
uint32_t osKernelGetTickFreq(void);

#ifdef __cplusplus
}
#endif
