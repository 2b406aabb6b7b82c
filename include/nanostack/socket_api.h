/*
 * meshwork: the socket option levels, names and structures of Nanostack's socket_api.h that
 * Mbed mesh applications pass to Socket::setsockopt() (reference mbed-api.md section 3.2). The
 * Nanostack C socket calls (socket_open, socket_sendto, ...) are not provided: applications use
 * the Mbed socket classes, whose stack on a mesh node accepts these levels.
 *
 * Option semantics follow RFC 3493 section 5 (hop limits, groups) with Nanostack's value types:
 * hop limits are int16_t (0..255, or -1 for the stack's default), groups an ns_ipv6_mreq_t.
 */
#ifndef _NS_SOCKET_API_H
#define _NS_SOCKET_API_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Protocol levels (distinct from NSAPI_SOCKET = 7000 and NSAPI_STACK = 5000). */
#define SOCKET_SOL_SOCKET 0
#define SOCKET_IPPROTO_IPV6 41

/* Option names of level SOCKET_IPPROTO_IPV6. */
#define SOCKET_IPV6_TCLASS 1           /* int16_t */
#define SOCKET_IPV6_UNICAST_HOPS 2     /* int16_t, -1: default */
#define SOCKET_IPV6_MULTICAST_HOPS 3   /* int16_t, -1: default */
#define SOCKET_IPV6_ADDR_PREFERENCES 4 /* uint32_t */
#define SOCKET_IPV6_USE_MIN_MTU 5      /* int8_t */
#define SOCKET_IPV6_DONTFRAG 6         /* int8_t */
#define SOCKET_IPV6_FLOW_LABEL 7       /* int32_t */
#define SOCKET_IPV6_HOPLIMIT 8         /* int16_t (ancillary data) */
#define SOCKET_IPV6_PKTINFO 9          /* ancillary data */
#define SOCKET_IPV6_RECVPKTINFO 10     /* bool */
#define SOCKET_IPV6_RECVHOPLIMIT 11    /* bool */
#define SOCKET_IPV6_RECVTCLASS 12      /* bool */
#define SOCKET_IPV6_MULTICAST_IF 13    /* int8_t interface id, 0: by route */
#define SOCKET_IPV6_MULTICAST_LOOP 14  /* bool */
#define SOCKET_IPV6_JOIN_GROUP 15      /* ns_ipv6_mreq_t */
#define SOCKET_IPV6_LEAVE_GROUP 16     /* ns_ipv6_mreq_t */

/** A multicast group membership request (SOCKET_IPV6_JOIN_GROUP / _LEAVE_GROUP). */
typedef struct ns_ipv6_mreq {
    uint8_t ipv6mr_multiaddr[16]; /* the group, network byte order */
    int8_t ipv6mr_interface;      /* interface id; 0: the socket's stack's interface */
} ns_ipv6_mreq_t;

#ifdef __cplusplus
}
#endif

#endif /* _NS_SOCKET_API_H */
