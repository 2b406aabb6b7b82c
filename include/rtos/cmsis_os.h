// The CMSIS-RTOS1 compatibility names still used by Mbed applications and tests: osStatus,
// osEvent, osThreadId and the signal calls, mapped onto thread flags as in CMSIS-RTOS2's
// compatibility layer.
#pragma once

#include "cmsis_os2.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t osStatus;
typedef osThreadId_t osThreadId;
typedef osPriority_t osPriority;
typedef void *osMailQId;
typedef void *osMessageQId;

#define osEventSignal (0x08)
#define osEventMessage (0x10)
#define osEventMail (0x20)
#define osEventTimeout (0x40)
#define osErrorOS osError
#define osErrorTimeoutResource osErrorTimeout
#define osErrorISRRecursive (-126)
#define osErrorValue (-127)
#define osErrorPriority (-128)

typedef struct {
    osStatus status;
    union {
        uint32_t v;
        void *p;
        int32_t signals;
    } value;
    union {
        osMailQId mail_id;
        osMessageQId message_id;
    } def;
} osEvent;

/// Sets signals of a thread; returns the signals before setting, 0x80000000 on a bad id.
int32_t osSignalSet(osThreadId thread_id, int32_t signals);
/// Clears signals of a thread; returns the signals before clearing.
int32_t osSignalClear(osThreadId thread_id, int32_t signals);
/// Waits for all of `signals` (any signal when 0). status is osEventSignal with the signals,
/// osEventTimeout after a timeout, or osOK when millisec is 0 and nothing is set.
osEvent osSignalWait(int32_t signals, uint32_t millisec);

#ifdef __cplusplus
}
#endif
