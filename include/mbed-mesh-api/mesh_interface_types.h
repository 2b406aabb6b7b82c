/*
 * meshwork: the Mbed Mesh API's enumerations (mbed-mesh-api's mesh_interface_types.h), with
 * Mbed's names and values (reference mbed-api.md section 3.3).
 */
#ifndef __MESH_INTERFACE_TYPES_H__
#define __MESH_INTERFACE_TYPES_H__

#include <stdint.h>

#include "nanostack/net_interface.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Which mesh a mesh interface joins. */
typedef enum { MESH_TYPE_6LOWPAN_ND = 0, MESH_TYPE_THREAD = 1 } mesh_network_type_t;

/** Result codes of the mesh tasklet calls. */
typedef enum {
    MESH_ERROR_NONE = 0,
    MESH_ERROR_UNKNOWN = 1,
    MESH_ERROR_MEMORY = 2,
    MESH_ERROR_STATE = 3,
    MESH_ERROR_PARAM = 4
} mesh_error_t;

/** What the mesh stack reports about joining the network. */
typedef enum {
    MESH_CONNECTED = 0,              /* up: link-local, and global if one exists */
    MESH_CONNECTED_LOCAL = 1,        /* up with a link-local address only */
    MESH_CONNECTED_GLOBAL = 2,       /* up with a global address */
    MESH_DISCONNECTED = 3,           /* stopped */
    MESH_BOOTSTRAP_START_FAILED = 4, /* could not start: connect() may be called again */
    MESH_BOOTSTRAP_FAILED = 5,       /* an attempt failed; the stack retries */
    MESH_BOOTSTRAP_STARTED = 6       /* joining */
} mesh_connection_status_t;

/** Thread and Wi-SUN device roles (mbed-mesh-api.thread-device-type / wisun-device-type). */
typedef enum {
    MESH_DEVICE_TYPE_THREAD_ROUTER = 0,
    MESH_DEVICE_TYPE_THREAD_SLEEPY_END_DEVICE = 1,
    MESH_DEVICE_TYPE_THREAD_MINIMAL_END_DEVICE = 2,
    MESH_DEVICE_TYPE_WISUN_ROUTER = 3,
    MESH_DEVICE_TYPE_WISUN_BORDER_ROUTER = 4
} mesh_device_type_t;

/** Wi-SUN channel functions. */
typedef enum {
    MESH_CHANNEL_FUNCTION_FIXED = 0,
    MESH_CHANNEL_FUNCTION_TR51CF = 1,
    MESH_CHANNEL_FUNCTION_DH1CF = 2,
    MESH_CHANNEL_FUNCTION_VENDOR_DEFINED = 3
} mesh_channel_function_t;

#ifdef __cplusplus
}
#endif

#endif /* __MESH_INTERFACE_TYPES_H__ */
