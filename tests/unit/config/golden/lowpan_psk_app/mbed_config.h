// Automatically generated configuration file: meshwork-config, from the application's
// mbed_app.json and the libraries' mbed_lib.json files. Do not edit.

#ifndef __MBED_CONFIG_DATA__
#define __MBED_CONFIG_DATA__

// Configuration parameters
#define MBED_CONF_APP_SENSOR_PERIOD_MS                                        5000                                     // set by application
#define MBED_CONF_DRIVERS_UART_SERIAL_RXBUF_SIZE                              256                                      // set by library:drivers
#define MBED_CONF_DRIVERS_UART_SERIAL_TXBUF_SIZE                              256                                      // set by library:drivers
#define MBED_CONF_EVENTS_PRESENT                                              1                                        // set by library:events
#define MBED_CONF_EVENTS_SHARED_DISPATCH_FROM_APPLICATION                     0                                        // set by library:events
#define MBED_CONF_EVENTS_SHARED_EVENTSIZE                                     768                                      // set by library:events
#define MBED_CONF_EVENTS_SHARED_HIGHPRIO_EVENTSIZE                            256                                      // set by library:events
#define MBED_CONF_EVENTS_SHARED_HIGHPRIO_STACKSIZE                            1024                                     // set by library:events
#define MBED_CONF_EVENTS_SHARED_STACKSIZE                                     2048                                     // set by library:events
#define MBED_CONF_EVENTS_USE_LOWPOWER_TIMER_TICKER                            0                                        // set by library:events
#define MBED_CONF_LWIP_DEBUG_ENABLED                                          0                                        // set by library:lwip
#define MBED_CONF_LWIP_DEFAULT_THREAD_STACKSIZE                               512                                      // set by library:lwip
#define MBED_CONF_LWIP_ETHERNET_ENABLED                                       1                                        // set by library:lwip
#define MBED_CONF_LWIP_IPV4_ENABLED                                           1                                        // set by library:lwip
#define MBED_CONF_LWIP_IPV6_ENABLED                                           0                                        // set by library:lwip
#define MBED_CONF_LWIP_IP_VER_PREF                                            4                                        // set by library:lwip
#define MBED_CONF_LWIP_MEM_SIZE                                               2310                                     // set by library:lwip
#define MBED_CONF_LWIP_PBUF_POOL_SIZE                                         5                                        // set by library:lwip
#define MBED_CONF_LWIP_PPP_ENABLED                                            0                                        // set by library:lwip
#define MBED_CONF_LWIP_PRESENT                                                1                                        // set by library:lwip
#define MBED_CONF_LWIP_SOCKET_MAX                                             4                                        // set by library:lwip
#define MBED_CONF_LWIP_TCPIP_THREAD_STACKSIZE                                 1200                                     // set by library:lwip
#define MBED_CONF_LWIP_TCP_ENABLED                                            1                                        // set by library:lwip
#define MBED_CONF_LWIP_TCP_SERVER_MAX                                         4                                        // set by library:lwip
#define MBED_CONF_LWIP_TCP_SOCKET_MAX                                         4                                        // set by library:lwip
#define MBED_CONF_LWIP_UDP_SOCKET_MAX                                         4                                        // set by library:lwip
#define MBED_CONF_MBED_MESH_API_6LOWPAN_ND_CHANNEL                            1                                        // set by application[*]
#define MBED_CONF_MBED_MESH_API_6LOWPAN_ND_CHANNEL_MASK                       (1<<1)|(1<<2)                            // set by application[*]
#define MBED_CONF_MBED_MESH_API_6LOWPAN_ND_CHANNEL_PAGE                       2                                        // set by application[*]
#define MBED_CONF_MBED_MESH_API_6LOWPAN_ND_DEVICE_TYPE                        NET_6LOWPAN_HOST                         // set by application[*]
#define MBED_CONF_MBED_MESH_API_6LOWPAN_ND_PANID_FILTER                       0xABCD                                   // set by application[*]
#define MBED_CONF_MBED_MESH_API_6LOWPAN_ND_PSK_KEY                            {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10} // set by application[*]
#define MBED_CONF_MBED_MESH_API_6LOWPAN_ND_PSK_KEY_ID                         2                                        // set by application[*]
#define MBED_CONF_MBED_MESH_API_6LOWPAN_ND_SECURITY_MODE                      PSK                                      // set by application[*]
#define MBED_CONF_MBED_MESH_API_6LOWPAN_ND_SEC_LEVEL                          6                                        // set by application[*]
#define MBED_CONF_MBED_MESH_API_HEAP_SIZE                                     14000                                    // set by application[*]
#define MBED_CONF_MBED_MESH_API_HEAP_STAT_INFO                                NULL                                     // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_MAC_NEIGH_TABLE_SIZE                          16                                       // set by application[*]
#define MBED_CONF_MBED_MESH_API_RADIUS_RETRY_COUNT                            3                                        // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_RADIUS_RETRY_IMAX                             30                                       // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_RADIUS_RETRY_IMIN                             20                                       // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_SYSTEM_TIME_UPDATE_FROM_NANOSTACK             1                                        // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_THREAD_CONFIG_CHANNEL                         22                                       // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_THREAD_CONFIG_CHANNEL_MASK                    0x7fff800                                // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_THREAD_CONFIG_CHANNEL_PAGE                    0                                        // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_THREAD_CONFIG_COMMISSIONING_DATASET_TIMESTAMP 0x10000                                  // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_THREAD_CONFIG_EXTENDED_PANID                  {0xf1, 0xb5, 0xa1, 0xb2,0xc4, 0xd5, 0xa1, 0xbd } // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_THREAD_CONFIG_ML_PREFIX                       {0xfd, 0x0, 0x0d, 0xb8, 0x0, 0x0, 0x0, 0x0} // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_THREAD_CONFIG_NETWORK_NAME                    "Thread Network"                         // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_THREAD_CONFIG_PANID                           0x0700                                   // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_THREAD_CONFIG_PSKC                            {0xc8, 0xa6, 0x2e, 0xae, 0xf3, 0x68, 0xf3, 0x46, 0xa9, 0x9e, 0x57, 0x85, 0x98, 0x9d, 0x1c, 0xd0} // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_THREAD_DEVICE_TYPE                            MESH_DEVICE_TYPE_THREAD_ROUTER           // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_THREAD_MASTER_KEY                             {0x10, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff} // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_THREAD_PSKD                                   "ABCDEFGH"                               // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_THREAD_SECURITY_POLICY                        255                                      // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_THREAD_USE_STATIC_LINK_CONFIG                 1                                        // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_USE_MALLOC_FOR_HEAP                           0                                        // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_WISUN_BC_CHANNEL_FUNCTION                     255                                      // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_WISUN_BC_DWELL_INTERVAL                       0                                        // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_WISUN_BC_FIXED_CHANNEL                        65535                                    // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_WISUN_BC_INTERVAL                             0                                        // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_WISUN_CHANNEL_PLAN_ID                         255                                      // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_WISUN_DEVICE_TYPE                             MESH_DEVICE_TYPE_WISUN_ROUTER            // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_WISUN_NETWORK_NAME                            "Wi-SUN Network"                         // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_WISUN_OPERATING_CLASS                         255                                      // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_WISUN_OPERATING_MODE                          255                                      // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_WISUN_PHY_MODE_ID                             255                                      // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_WISUN_REGULATORY_DOMAIN                       3                                        // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_WISUN_UC_CHANNEL_FUNCTION                     255                                      // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_WISUN_UC_DWELL_INTERVAL                       255                                      // set by library:mbed-mesh-api
#define MBED_CONF_MBED_MESH_API_WISUN_UC_FIXED_CHANNEL                        65535                                    // set by library:mbed-mesh-api
#define MBED_CONF_MBED_TRACE_ENABLE                                           0                                        // set by library:mbed-trace
#define MBED_CONF_MBED_TRACE_FEA_IPV6                                         1                                        // set by library:mbed-trace
#define MBED_CONF_MESHWORK_HOST_SOCKET_MAX                                    1024                                     // set by library:meshwork
#define MBED_CONF_NANOSTACK_CONFIGURATION                                     lowpan_host                              // set by application[*]
#define MBED_CONF_NANOSTACK_HAL_CRITICAL_SECTION_USABLE_FROM_INTERRUPT        0                                        // set by library:nanostack-hal
#define MBED_CONF_NANOSTACK_HAL_EVENT_LOOP_DISPATCH_FROM_APPLICATION          0                                        // set by library:nanostack-hal
#define MBED_CONF_NANOSTACK_HAL_EVENT_LOOP_THREAD_STACK_SIZE                  8192                                     // set by application[*]
#define MBED_CONF_NANOSTACK_HAL_KVSTORE_PATH                                  "/kv/"                                   // set by library:nanostack-hal
#define MBED_CONF_NANOSTACK_HAL_USE_KVSTORE                                   0                                        // set by library:nanostack-hal
#define MBED_CONF_NSAPI_ADD_EVENT_LISTENER_RETURN_CHANGE                      0                                        // set by library:nsapi
#define MBED_CONF_NSAPI_DEFAULT_MESH_TYPE                                     LOWPAN                                   // set by application[*]
#define MBED_CONF_NSAPI_DEFAULT_STACK                                         LWIP                                     // set by library:nsapi
#define MBED_CONF_NSAPI_DEFAULT_WIFI_SECURITY                                 NONE                                     // set by library:nsapi
#define MBED_CONF_NSAPI_DNS_ADDRESSES_LIMIT                                   10                                       // set by library:nsapi
#define MBED_CONF_NSAPI_DNS_CACHE_SIZE                                        3                                        // set by library:nsapi
#define MBED_CONF_NSAPI_DNS_RESPONSE_WAIT_TIME                                10000                                    // set by library:nsapi
#define MBED_CONF_NSAPI_DNS_RETRIES                                           1                                        // set by library:nsapi
#define MBED_CONF_NSAPI_DNS_TOTAL_ATTEMPTS                                    10                                       // set by library:nsapi
#define MBED_CONF_NSAPI_PRESENT                                               1                                        // set by library:nsapi
#define MBED_CONF_NSAPI_SOCKET_STATS_ENABLED                                  0                                        // set by library:nsapi
#define MBED_CONF_NSAPI_SOCKET_STATS_MAX_COUNT                                10                                       // set by library:nsapi
#define MBED_CONF_PLATFORM_CALLBACK_COMPARABLE                                1                                        // set by library:platform
#define MBED_CONF_PLATFORM_CALLBACK_NONTRIVIAL                                0                                        // set by library:platform
#define MBED_CONF_PLATFORM_CPU_STATS_ENABLED                                  0                                        // set by library:platform
#define MBED_CONF_PLATFORM_CRASH_CAPTURE_ENABLED                              0                                        // set by library:platform
#define MBED_CONF_PLATFORM_CTHUNK_COUNT_MAX                                   8                                        // set by library:platform
#define MBED_CONF_PLATFORM_DEEPSLEEP_STATS_VERBOSE                            0                                        // set by library:platform
#define MBED_CONF_PLATFORM_DEFAULT_SERIAL_BAUD_RATE                           9600                                     // set by library:platform
#define MBED_CONF_PLATFORM_ERROR_ALL_THREADS_INFO                             0                                        // set by library:platform
#define MBED_CONF_PLATFORM_ERROR_DECODE_HTTP_URL_STR                          "\nFor more info, visit: https://mbed.com/s/error?error=%s" // set by library:platform
#define MBED_CONF_PLATFORM_ERROR_FILENAME_CAPTURE_ENABLED                     0                                        // set by library:platform
#define MBED_CONF_PLATFORM_ERROR_HIST_ENABLED                                 0                                        // set by library:platform
#define MBED_CONF_PLATFORM_ERROR_HIST_SIZE                                    4                                        // set by library:platform
#define MBED_CONF_PLATFORM_ERROR_REBOOT_MAX                                   1                                        // set by library:platform
#define MBED_CONF_PLATFORM_FATAL_ERROR_AUTO_REBOOT_ENABLED                    0                                        // set by library:platform
#define MBED_CONF_PLATFORM_HEAP_STATS_ENABLED                                 0                                        // set by library:platform
#define MBED_CONF_PLATFORM_MAX_ERROR_FILENAME_LEN                             16                                       // set by library:platform
#define MBED_CONF_PLATFORM_MEMORY_TRACING_ENABLED                             0                                        // set by library:platform
#define MBED_CONF_PLATFORM_MINIMAL_PRINTF_ENABLE_64_BIT                       1                                        // set by library:platform
#define MBED_CONF_PLATFORM_MINIMAL_PRINTF_ENABLE_FLOATING_POINT               0                                        // set by library:platform
#define MBED_CONF_PLATFORM_MINIMAL_PRINTF_SET_FLOATING_POINT_MAX_DECIMALS     6                                        // set by library:platform
#define MBED_CONF_PLATFORM_POLL_USE_LOWPOWER_TIMER                            0                                        // set by library:platform
#define MBED_CONF_PLATFORM_STACK_STATS_ENABLED                                0                                        // set by library:platform
#define MBED_CONF_PLATFORM_STDIO_BAUD_RATE                                    9600                                     // set by library:platform
#define MBED_CONF_PLATFORM_STDIO_BUFFERED_SERIAL                              0                                        // set by library:platform
#define MBED_CONF_PLATFORM_STDIO_CONVERT_NEWLINES                             1                                        // set by library:platform
#define MBED_CONF_PLATFORM_STDIO_CONVERT_TTY_NEWLINES                         1                                        // set by library:platform
#define MBED_CONF_PLATFORM_STDIO_FLUSH_AT_EXIT                                1                                        // set by library:platform
#define MBED_CONF_PLATFORM_SYS_STATS_ENABLED                                  0                                        // set by library:platform
#define MBED_CONF_PLATFORM_THREAD_STATS_ENABLED                               0                                        // set by library:platform
#define MBED_CONF_PLATFORM_USE_MPU                                            1                                        // set by library:platform
#define MBED_CONF_RTOS_EVFLAGS_NUM                                            0                                        // set by library:rtos
#define MBED_CONF_RTOS_IDLE_THREAD_STACK_SIZE                                 512                                      // set by library:rtos
#define MBED_CONF_RTOS_IDLE_THREAD_STACK_SIZE_DEBUG_EXTRA                     0                                        // set by library:rtos
#define MBED_CONF_RTOS_IDLE_THREAD_STACK_SIZE_TICKLESS_EXTRA                  256                                      // set by library:rtos
#define MBED_CONF_RTOS_MAIN_THREAD_STACK_SIZE                                 4096                                     // set by library:rtos
#define MBED_CONF_RTOS_MSGQUEUE_DATA_SIZE                                     0                                        // set by library:rtos
#define MBED_CONF_RTOS_MSGQUEUE_NUM                                           0                                        // set by library:rtos
#define MBED_CONF_RTOS_MUTEX_NUM                                              0                                        // set by library:rtos
#define MBED_CONF_RTOS_PRESENT                                                1                                        // set by library:rtos
#define MBED_CONF_RTOS_SEMAPHORE_NUM                                          0                                        // set by library:rtos
#define MBED_CONF_RTOS_THREAD_NUM                                             0                                        // set by library:rtos
#define MBED_CONF_RTOS_THREAD_STACK_SIZE                                      4096                                     // set by library:rtos
#define MBED_CONF_RTOS_THREAD_USER_STACK_SIZE                                 0                                        // set by library:rtos
#define MBED_CONF_RTOS_TIMER_NUM                                              0                                        // set by library:rtos
#define MBED_CONF_RTOS_TIMER_THREAD_STACK_SIZE                                768                                      // set by library:rtos
#define MBED_CONF_TARGET_BOOT_STACK_SIZE                                      0x400                                    // set by target:LINUX
#define MBED_CONF_TARGET_CONSOLE_UART                                         1                                        // set by target:LINUX
#define MBED_CONF_TARGET_DEEP_SLEEP_LATENCY                                   0                                        // set by target:LINUX
#define MBED_CONF_TARGET_NETWORK_DEFAULT_INTERFACE_TYPE                       MESH                                     // set by application[*]

// Target labels, features, peripherals and components
#define DEVICE_802_15_4_PHY   1
#define DEVICE_EMAC           1
#define DEVICE_LPTICKER       1
#define DEVICE_SERIAL         1
#define DEVICE_STDIO_MESSAGES 1
#define DEVICE_TRNG           1
#define DEVICE_USTICKER       1
#define TARGET_LINUX          1

#endif
