/*
 * meshwork: Mbed-compatible network socket API types.
 *
 * Every enum, constant and structure that Mbed OS applications and network drivers see through
 * "nsapi_types.h", with the values of the last 6.x release and the names that earlier releases
 * used (legacy aliases). The header is valid C and C++.
 */
#ifndef NSAPI_TYPES_H
#define NSAPI_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Error codes returned by the network socket API (0 or one of these negative values). */
enum nsapi_error {
    NSAPI_ERROR_OK = 0,                     /*!< no error */
    NSAPI_ERROR_WOULD_BLOCK = -3001,        /*!< no data is available but call is non-blocking */
    NSAPI_ERROR_UNSUPPORTED = -3002,        /*!< unsupported functionality */
    NSAPI_ERROR_PARAMETER = -3003,          /*!< invalid configuration */
    NSAPI_ERROR_NO_CONNECTION = -3004,      /*!< not connected to a network */
    NSAPI_ERROR_NO_SOCKET = -3005,          /*!< socket not available for use */
    NSAPI_ERROR_NO_ADDRESS = -3006,         /*!< IP address is not known */
    NSAPI_ERROR_NO_MEMORY = -3007,          /*!< memory resource not available */
    NSAPI_ERROR_NO_SSID = -3008,            /*!< ssid not found */
    NSAPI_ERROR_DNS_FAILURE = -3009,        /*!< DNS failed to complete successfully */
    NSAPI_ERROR_DHCP_FAILURE = -3010,       /*!< DHCP failed to complete successfully */
    NSAPI_ERROR_AUTH_FAILURE = -3011,       /*!< connection to access point failed */
    NSAPI_ERROR_DEVICE_ERROR = -3012,       /*!< failure interfacing with the network processor */
    NSAPI_ERROR_IN_PROGRESS = -3013,        /*!< operation (eg connect) in progress */
    NSAPI_ERROR_ALREADY = -3014,            /*!< operation (eg connect) already in progress */
    NSAPI_ERROR_IS_CONNECTED = -3015,       /*!< socket is already connected */
    NSAPI_ERROR_CONNECTION_LOST = -3016,    /*!< connection lost */
    NSAPI_ERROR_CONNECTION_TIMEOUT = -3017, /*!< connection timed out */
    NSAPI_ERROR_ADDRESS_IN_USE = -3018,     /*!< address already in use */
    NSAPI_ERROR_TIMEOUT = -3019,            /*!< operation timed out */
    NSAPI_ERROR_BUSY = -3020,               /*!< device is busy and cannot accept new operation */
};

/** 0 on success or a negative nsapi_error value. */
typedef signed int nsapi_error_t;

/** A size (always non-negative). */
typedef unsigned int nsapi_size_t;

/** A non-negative size or a negative nsapi_error value. */
typedef signed int nsapi_size_or_error_t;

/** A non-negative value or a negative nsapi_error value. */
typedef signed int nsapi_value_or_error_t;

/** Connection status of a network interface. */
typedef enum nsapi_connection_status {
    NSAPI_STATUS_LOCAL_UP = 0,     /*!< local IP address set */
    NSAPI_STATUS_GLOBAL_UP = 1,    /*!< global IP address set */
    NSAPI_STATUS_DISCONNECTED = 2, /*!< no connection to network */
    NSAPI_STATUS_CONNECTING = 3,   /*!< connecting to network */
    NSAPI_STATUS_ERROR_UNSUPPORTED = NSAPI_ERROR_UNSUPPORTED
} nsapi_connection_status_t;

/** Events reported to NetworkInterface::attach() listeners. */
typedef enum nsapi_event {
    NSAPI_EVENT_CONNECTION_STATUS_CHANGE = 0,  /*!< network connection status has changed; the
                                                  parameter is the new nsapi_connection_status_t */
    NSAPI_EVENT_CELLULAR_STATUS_BASE = 0x1000, /*!< first cellular-specific event */
    NSAPI_EVENT_CELLULAR_STATUS_END = 0x1FFF   /*!< last cellular-specific event */
} nsapi_event_t;

/** Link security of a WiFi (or PPP) connection. */
typedef enum nsapi_security {
    NSAPI_SECURITY_NONE = 0x0,      /*!< open access point */
    NSAPI_SECURITY_WEP = 0x1,       /*!< phrase conforms to WEP */
    NSAPI_SECURITY_WPA = 0x2,       /*!< phrase conforms to WPA */
    NSAPI_SECURITY_WPA2 = 0x3,      /*!< phrase conforms to WPA2 */
    NSAPI_SECURITY_WPA_WPA2 = 0x4,  /*!< phrase conforms to WPA/WPA2 */
    NSAPI_SECURITY_PAP = 0x5,       /*!< PAP security for cellular */
    NSAPI_SECURITY_CHAP = 0x6,      /*!< CHAP security for cellular */
    NSAPI_SECURITY_EAP_TLS = 0x7,   /*!< EAP-TLS security */
    NSAPI_SECURITY_PEAP = 0x8,      /*!< PEAP security */
    NSAPI_SECURITY_WPA2_ENT = 0x9,  /*!< WPA2-Enterprise */
    NSAPI_SECURITY_WPA3 = 0xA,      /*!< WPA3 */
    NSAPI_SECURITY_WPA3_WPA2 = 0xB, /*!< WPA3/WPA2 transition */
    NSAPI_SECURITY_UNKNOWN = 0xFF,  /*!< unknown or unsupported security */
} nsapi_security_t;

/** Size of the interface-name prefix ("en", "wl", ...). */
#define NSAPI_INTERFACE_PREFIX_SIZE 2
/** Maximum length of an interface name including its terminator. */
#define NSAPI_INTERFACE_NAME_MAX_SIZE 6

/** Maximum size of an IP address string, including the terminator. */
#define NSAPI_IP_SIZE NSAPI_IPv6_SIZE
/** Maximum number of bytes of an IP address. */
#define NSAPI_IP_BYTES NSAPI_IPv6_BYTES
/** Maximum size of a MAC address string ("xx:xx:xx:xx:xx:xx"), including the terminator. */
#define NSAPI_MAC_SIZE 18
/** Number of bytes of a MAC address. */
#define NSAPI_MAC_BYTES 6
/** Size of an IPv4 address string, including the terminator. */
#define NSAPI_IPv4_SIZE 16
/** Number of bytes of an IPv4 address. */
#define NSAPI_IPv4_BYTES 4
/** Size of an IPv6 address string, including the terminator. */
#define NSAPI_IPv6_SIZE 40
/** Number of bytes of an IPv6 address. */
#define NSAPI_IPv6_BYTES 16

/* Type-of-service field values for the NSAPI_IPTOS option (RFC 1349 section 3; RFC 791). */
#define NSAPI_IPTOS_TOS_MASK 0x1E
#define NSAPI_IPTOS_LOWDELAY 0x10
#define NSAPI_IPTOS_THROUGHPUT 0x08
#define NSAPI_IPTOS_RELIABILITY 0x04
#define NSAPI_IPTOS_LOWCOST 0x02
#define NSAPI_IPTOS_MINCOST NSAPI_IPTOS_LOWCOST
#define NSAPI_IPTOS_PREC_MASK 0xe0
#define NSAPI_IPTOS_PREC_NETCONTROL 0xe0
#define NSAPI_IPTOS_PREC_INTERNETCONTROL 0xc0
#define NSAPI_IPTOS_PREC_CRITIC_ECP 0xa0
#define NSAPI_IPTOS_PREC_FLASHOVERRIDE 0x80
#define NSAPI_IPTOS_PREC_FLASH 0x60
#define NSAPI_IPTOS_PREC_IMMEDIATE 0x40
#define NSAPI_IPTOS_PREC_PRIORITY 0x20
#define NSAPI_IPTOS_PREC_ROUTINE 0x00
#define NSAPI_IPTOS_TOS(tos) ((tos)&NSAPI_IPTOS_TOS_MASK)
#define NSAPI_IPTOS_PREC(tos) ((tos)&NSAPI_IPTOS_PREC_MASK)

/** IP version of an address. */
typedef enum nsapi_version {
    NSAPI_UNSPEC = 0, /*!< address is unspecified */
    NSAPI_IPv4 = 1,   /*!< address is IPv4 */
    NSAPI_IPv6 = 2,   /*!< address is IPv6 */
} nsapi_version_t;

/** An IP address: version plus bytes in network order (IPv4 in bytes[0..3]). */
typedef struct nsapi_addr {
    nsapi_version_t version;
    uint8_t bytes[NSAPI_IP_BYTES];
} nsapi_addr_t;

/** Opaque per-stack socket handle. */
typedef void *nsapi_socket_t;

/** Transport protocol of a socket. */
typedef enum nsapi_protocol {
    NSAPI_TCP = 0,  /*!< socket is of TCP type */
    NSAPI_UDP = 1,  /*!< socket is of UDP type */
    NSAPI_ICMP = 2, /*!< socket is of ICMP type */
} nsapi_protocol_t;

/** IP stack selection for an interface bring-up. */
typedef enum nsapi_ip_stack {
    DEFAULT_STACK = 0,
    IPV4_STACK,
    IPV6_STACK,
    IPV4V6_STACK
} nsapi_ip_stack_t;

/** Level for stack-wide options (setstackopt/getstackopt). */
typedef enum nsapi_stack_level {
    NSAPI_STACK = 5000, /*!< stack option level */
} nsapi_stack_level_t;

/** Stack-wide options at NSAPI_STACK level. */
typedef enum nsapi_stack_option {
    NSAPI_IPV4_MRU = 0, /*!< IPv4 reassembly MRU (int) */
    NSAPI_IPV6_MRU = 1, /*!< IPv6 reassembly MRU (int) */
} nsapi_stack_option_t;

/** Level for socket options (setsockopt/getsockopt). */
typedef enum nsapi_socket_level {
    NSAPI_SOCKET = 7000, /*!< socket option level */
} nsapi_socket_level_t;

/** Socket options at NSAPI_SOCKET level. */
typedef enum nsapi_socket_option {
    NSAPI_REUSEADDR = 0,       /*!< allow bind to reuse local addresses (int) */
    NSAPI_KEEPALIVE = 1,       /*!< enable TCP keepalive (int) */
    NSAPI_KEEPIDLE = 2,        /*!< idle time before keepalive probes (int, ms) */
    NSAPI_KEEPINTVL = 3,       /*!< interval between keepalive probes (int, ms) */
    NSAPI_LINGER = 4,          /*!< linger on close */
    NSAPI_SNDBUF = 5,          /*!< send buffer size */
    NSAPI_RCVBUF = 6,          /*!< receive buffer size */
    NSAPI_ADD_MEMBERSHIP = 7,  /*!< join a multicast group (nsapi_ip_mreq_t) */
    NSAPI_DROP_MEMBERSHIP = 8, /*!< leave a multicast group (nsapi_ip_mreq_t) */
    NSAPI_BIND_TO_DEVICE = 9,  /*!< bind to an interface by name */
    NSAPI_LATENCY = 10,        /*!< read the latency estimate (nsapi_latency_req_t) */
    NSAPI_STAGGER = 11,        /*!< read the stagger estimate (nsapi_stagger_req_t) */
    NSAPI_IPTOS = 12,          /*!< IP type of service (1 byte) */
    NSAPI_BROADCAST = 13,      /*!< allow sending to broadcast addresses (int) */
    NSAPI_PKTINFO = 14,        /*!< deliver nsapi_pktinfo_t control messages (int) */
} nsapi_socket_option_t;

/** Level of the TLS socket options used by offloaded TLS sockets. */
typedef enum nsapi_tlssocket_level {
    NSAPI_TLSSOCKET_LEVEL = 7099,
} nsapi_tlssocket_level_t;

/** TLS socket options at NSAPI_TLSSOCKET_LEVEL. */
typedef enum nsapi_tlssocket_option {
    NSAPI_TLSSOCKET_SET_HOSTNAME = 0, /*!< server host name (string) */
    NSAPI_TLSSOCKET_SET_CACERT = 1,   /*!< CA certificate (PEM) */
    NSAPI_TLSSOCKET_SET_CLCERT = 2,   /*!< client certificate (PEM) */
    NSAPI_TLSSOCKET_SET_CLKEY = 3,    /*!< client key (PEM) */
    NSAPI_TLSSOCKET_ENABLE = 4,       /*!< enable TLS on the socket (bool) */
} nsapi_tlssocket_option_t;

/* Names used before the socket level/option enums were split from the stack ones. */
typedef enum nsapi_socket_level nsapi_level_t;
typedef enum nsapi_socket_option nsapi_option_t;

/** One access point reported by a WiFi scan. */
typedef struct nsapi_wifi_ap {
    char ssid[33]; /* 32 characters plus the terminator */
    uint8_t bssid[6];
    nsapi_security_t security;
    int8_t rssi;
    uint8_t channel;
} nsapi_wifi_ap_t;

/** A network stack described by the legacy C function table. */
typedef struct nsapi_stack {
    const struct nsapi_stack_api *stack_api; /*!< function table */
    void *stack;                             /*!< stack-specific state */
    unsigned _stack_buffer[16];              /*!< storage for the C++ wrapper object */
} nsapi_stack_t;

/** Argument of NSAPI_ADD_MEMBERSHIP / NSAPI_DROP_MEMBERSHIP. */
typedef struct nsapi_ip_mreq {
    nsapi_addr_t imr_multiaddr; /*!< multicast group address */
    nsapi_addr_t imr_interface; /*!< local interface (UNSPEC = default) */
} nsapi_ip_mreq_t;

/** Argument of getsockopt(NSAPI_LATENCY). */
typedef struct nsapi_latency_req {
    uint8_t addr[16]; /*!< destination address (in) */
    uint32_t latency; /*!< one-way latency estimate in ms (out) */
} nsapi_latency_req_t;

/** Argument of getsockopt(NSAPI_STAGGER). */
typedef struct nsapi_stagger_req {
    uint8_t addr[16];      /*!< destination address (in) */
    uint16_t data_amount;  /*!< amount of data in kilobytes (in) */
    uint16_t stagger_min;  /*!< minimum stagger in seconds (out) */
    uint16_t stagger_max;  /*!< maximum stagger in seconds (out) */
    uint16_t stagger_rand; /*!< suggested random stagger in seconds (out) */
} nsapi_stagger_req_t;

/* Control messages are aligned like malloc'd memory so that headers can be walked in place. */
#if defined(__cplusplus)
#define NSAPI_MSGHDR_ALIGN_ alignas(max_align_t)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define NSAPI_MSGHDR_ALIGN_ _Alignas(max_align_t)
#else
#define NSAPI_MSGHDR_ALIGN_
#endif

/** Header of one control message in a sendto_control/recvfrom_control buffer. */
typedef struct nsapi_msghdr {
    NSAPI_MSGHDR_ALIGN_ nsapi_size_t len; /*!< length of the whole message, header included */
    int level;                            /*!< originating level (NSAPI_SOCKET) */
    int type;                             /*!< option (NSAPI_PKTINFO) */
} nsapi_msghdr_t;

/** NSAPI_PKTINFO control message: the local address and interface of a datagram. */
typedef struct nsapi_pktinfo {
    nsapi_msghdr_t hdr;      /*!< header, type NSAPI_PKTINFO */
    nsapi_addr_t ipi_addr;   /*!< local address (destination of a received datagram) */
    int ipi_ifindex;         /*!< interface index */
    void *network_interface; /*!< the NetworkInterface, when known */
} nsapi_pktinfo_t;

/**
 * The legacy C stack interface. Every call is non-blocking and returns NSAPI_ERROR_WOULD_BLOCK
 * instead of waiting; members a stack does not support may be NULL.
 */
typedef struct nsapi_stack_api {
    nsapi_addr_t (*get_ip_address)(nsapi_stack_t *stack);
    nsapi_error_t (*gethostbyname)(nsapi_stack_t *stack, const char *host, nsapi_addr_t *addr,
                                   nsapi_version_t version);
    nsapi_error_t (*add_dns_server)(nsapi_stack_t *stack, nsapi_addr_t addr);
    nsapi_error_t (*setstackopt)(nsapi_stack_t *stack, int level, int optname, const void *optval,
                                 unsigned optlen);
    nsapi_error_t (*getstackopt)(nsapi_stack_t *stack, int level, int optname, void *optval,
                                 unsigned *optlen);
    nsapi_error_t (*socket_open)(nsapi_stack_t *stack, nsapi_socket_t *socket,
                                 nsapi_protocol_t proto);
    nsapi_error_t (*socket_close)(nsapi_stack_t *stack, nsapi_socket_t socket);
    nsapi_error_t (*socket_bind)(nsapi_stack_t *stack, nsapi_socket_t socket, nsapi_addr_t addr,
                                 uint16_t port);
    nsapi_error_t (*socket_listen)(nsapi_stack_t *stack, nsapi_socket_t socket, int backlog);
    nsapi_error_t (*socket_connect)(nsapi_stack_t *stack, nsapi_socket_t socket, nsapi_addr_t addr,
                                    uint16_t port);
    nsapi_error_t (*socket_accept)(nsapi_stack_t *stack, nsapi_socket_t server,
                                   nsapi_socket_t *socket, nsapi_addr_t *addr, uint16_t *port);
    nsapi_size_or_error_t (*socket_send)(nsapi_stack_t *stack, nsapi_socket_t socket,
                                         const void *data, nsapi_size_t size);
    nsapi_size_or_error_t (*socket_recv)(nsapi_stack_t *stack, nsapi_socket_t socket, void *data,
                                         nsapi_size_t size);
    nsapi_size_or_error_t (*socket_sendto)(nsapi_stack_t *stack, nsapi_socket_t socket,
                                           nsapi_addr_t addr, uint16_t port, const void *data,
                                           nsapi_size_t size);
    nsapi_size_or_error_t (*socket_recvfrom)(nsapi_stack_t *stack, nsapi_socket_t socket,
                                             nsapi_addr_t *addr, uint16_t *port, void *buffer,
                                             nsapi_size_t size);
    nsapi_size_or_error_t (*socket_sendto_control)(nsapi_stack_t *stack, nsapi_socket_t socket,
                                                   nsapi_addr_t addr, uint16_t port,
                                                   const void *data, nsapi_size_t size,
                                                   const nsapi_msghdr_t *control,
                                                   nsapi_size_t control_size);
    nsapi_size_or_error_t (*socket_recvfrom_control)(nsapi_stack_t *stack, nsapi_socket_t socket,
                                                     nsapi_addr_t *addr, uint16_t *port, void *data,
                                                     nsapi_size_t size, nsapi_msghdr_t *control,
                                                     nsapi_size_t control_size);
    void (*socket_attach)(nsapi_stack_t *stack, nsapi_socket_t socket, void (*callback)(void *),
                          void *data);
    nsapi_error_t (*setsockopt)(nsapi_stack_t *stack, nsapi_socket_t socket, int level, int optname,
                                const void *optval, unsigned optlen);
    nsapi_error_t (*getsockopt)(nsapi_stack_t *stack, nsapi_socket_t socket, int level, int optname,
                                void *optval, unsigned *optlen);
} nsapi_stack_api_t;

#ifdef __cplusplus
}
#endif

#endif /* NSAPI_TYPES_H */
