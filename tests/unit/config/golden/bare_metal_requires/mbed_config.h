// Automatically generated configuration file: meshwork-config, from the application's
// mbed_app.json and the libraries' mbed_lib.json files. Do not edit.

#ifndef __MBED_CONFIG_DATA__
#define __MBED_CONFIG_DATA__

// Configuration parameters
#define MBED_CONF_APP_BLINK_INTERVAL_MS                                   500                                      // set by application
#define MBED_CONF_EVENTS_PRESENT                                          1                                        // set by library:events
#define MBED_CONF_EVENTS_SHARED_DISPATCH_FROM_APPLICATION                 0                                        // set by library:events
#define MBED_CONF_EVENTS_SHARED_EVENTSIZE                                 512                                      // set by application[*]
#define MBED_CONF_EVENTS_SHARED_HIGHPRIO_EVENTSIZE                        256                                      // set by library:events
#define MBED_CONF_EVENTS_SHARED_HIGHPRIO_STACKSIZE                        1024                                     // set by library:events
#define MBED_CONF_EVENTS_SHARED_STACKSIZE                                 2048                                     // set by library:events
#define MBED_CONF_EVENTS_USE_LOWPOWER_TIMER_TICKER                        0                                        // set by library:events
#define MBED_CONF_MESHWORK_HOST_SOCKET_MAX                                1024                                     // set by library:meshwork
#define MBED_CONF_PLATFORM_CALLBACK_COMPARABLE                            1                                        // set by library:platform
#define MBED_CONF_PLATFORM_CALLBACK_NONTRIVIAL                            0                                        // set by library:platform
#define MBED_CONF_PLATFORM_CPU_STATS_ENABLED                              0                                        // set by library:platform
#define MBED_CONF_PLATFORM_CRASH_CAPTURE_ENABLED                          0                                        // set by library:platform
#define MBED_CONF_PLATFORM_CTHUNK_COUNT_MAX                               8                                        // set by library:platform
#define MBED_CONF_PLATFORM_DEEPSLEEP_STATS_VERBOSE                        0                                        // set by library:platform
#define MBED_CONF_PLATFORM_DEFAULT_SERIAL_BAUD_RATE                       9600                                     // set by library:platform
#define MBED_CONF_PLATFORM_ERROR_ALL_THREADS_INFO                         0                                        // set by library:platform
#define MBED_CONF_PLATFORM_ERROR_DECODE_HTTP_URL_STR                      "\nFor more info, visit: https://mbed.com/s/error?error=%s" // set by library:platform
#define MBED_CONF_PLATFORM_ERROR_FILENAME_CAPTURE_ENABLED                 0                                        // set by library:platform
#define MBED_CONF_PLATFORM_ERROR_HIST_ENABLED                             0                                        // set by library:platform
#define MBED_CONF_PLATFORM_ERROR_HIST_SIZE                                4                                        // set by library:platform
#define MBED_CONF_PLATFORM_ERROR_REBOOT_MAX                               1                                        // set by library:platform
#define MBED_CONF_PLATFORM_FATAL_ERROR_AUTO_REBOOT_ENABLED                0                                        // set by library:platform
#define MBED_CONF_PLATFORM_HEAP_STATS_ENABLED                             0                                        // set by library:platform
#define MBED_CONF_PLATFORM_MAX_ERROR_FILENAME_LEN                         16                                       // set by library:platform
#define MBED_CONF_PLATFORM_MEMORY_TRACING_ENABLED                         0                                        // set by library:platform
#define MBED_CONF_PLATFORM_MINIMAL_PRINTF_ENABLE_64_BIT                   1                                        // set by library:platform
#define MBED_CONF_PLATFORM_MINIMAL_PRINTF_ENABLE_FLOATING_POINT           0                                        // set by library:platform
#define MBED_CONF_PLATFORM_MINIMAL_PRINTF_SET_FLOATING_POINT_MAX_DECIMALS 6                                        // set by library:platform
#define MBED_CONF_PLATFORM_POLL_USE_LOWPOWER_TIMER                        0                                        // set by library:platform
#define MBED_CONF_PLATFORM_STACK_STATS_ENABLED                            0                                        // set by library:platform
#define MBED_CONF_PLATFORM_STDIO_BAUD_RATE                                115200                                   // set by application[*]
#define MBED_CONF_PLATFORM_STDIO_BUFFERED_SERIAL                          0                                        // set by library:platform
#define MBED_CONF_PLATFORM_STDIO_CONVERT_NEWLINES                         1                                        // set by library:platform
#define MBED_CONF_PLATFORM_STDIO_CONVERT_TTY_NEWLINES                     1                                        // set by library:platform
#define MBED_CONF_PLATFORM_STDIO_FLUSH_AT_EXIT                            1                                        // set by library:platform
#define MBED_CONF_PLATFORM_SYS_STATS_ENABLED                              0                                        // set by library:platform
#define MBED_CONF_PLATFORM_THREAD_STATS_ENABLED                           0                                        // set by library:platform
#define MBED_CONF_PLATFORM_USE_MPU                                        1                                        // set by library:platform
#define MBED_CONF_TARGET_BOOT_STACK_SIZE                                  0x400                                    // set by target:LINUX
#define MBED_CONF_TARGET_CONSOLE_UART                                     1                                        // set by target:LINUX
#define MBED_CONF_TARGET_DEEP_SLEEP_LATENCY                               0                                        // set by target:LINUX
#define MBED_CONF_TARGET_NETWORK_DEFAULT_INTERFACE_TYPE                   ETHERNET                                 // set by target:LINUX

// Target labels, features, peripherals and components
#define DEVICE_EMAC           1
#define DEVICE_LPTICKER       1
#define DEVICE_SERIAL         1
#define DEVICE_STDIO_MESSAGES 1
#define DEVICE_TRNG           1
#define DEVICE_USTICKER       1
#define TARGET_LINUX          1

#endif
