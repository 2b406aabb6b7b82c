/*
 * meshwork: the part of Nanostack's net_interface.h that mesh applications and configuration
 * name: the 6LoWPAN bootstrap modes, whose tokens mbed-mesh-api.6lowpan-nd-device-type takes
 * (reference mbed-api.md section 3.3, net_6lowpan_mode_e).
 */
#ifndef NET_INTERFACE_H_
#define NET_INTERFACE_H_

#ifdef __cplusplus
extern "C" {
#endif

/** 6LoWPAN bootstrap modes. */
typedef enum {
    NET_6LOWPAN_BORDER_ROUTER = 0, /* the 6LBR, RPL DODAG root */
    NET_6LOWPAN_ROUTER = 1,        /* a 6LR: routes for others (RPL router) */
    NET_6LOWPAN_HOST = 2,          /* a 6LN: never routes */
    NET_6LOWPAN_SLEEPY_HOST = 3,
    NET_6LOWPAN_NETWORK_DRIVER = 4,
    NET_6LOWPAN_SNIFFER = 5
} net_6lowpan_mode_e;

#ifdef __cplusplus
}
#endif

#endif /* NET_INTERFACE_H_ */
