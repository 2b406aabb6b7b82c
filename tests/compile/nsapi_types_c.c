/* nsapi_types.h compiled as C: every value of section 2 of the API reference, checked at compile
 * time (a wrong value fails the build), and the order of the legacy nsapi_stack_api table. */
#include <stddef.h>

#include "nsapi_types.h"

#define CHECK(expr) _Static_assert(expr, #expr)

/* 2.1 errors */
CHECK(NSAPI_ERROR_OK == 0);
CHECK(NSAPI_ERROR_WOULD_BLOCK == -3001);
CHECK(NSAPI_ERROR_UNSUPPORTED == -3002);
CHECK(NSAPI_ERROR_PARAMETER == -3003);
CHECK(NSAPI_ERROR_NO_CONNECTION == -3004);
CHECK(NSAPI_ERROR_NO_SOCKET == -3005);
CHECK(NSAPI_ERROR_NO_ADDRESS == -3006);
CHECK(NSAPI_ERROR_NO_MEMORY == -3007);
CHECK(NSAPI_ERROR_NO_SSID == -3008);
CHECK(NSAPI_ERROR_DNS_FAILURE == -3009);
CHECK(NSAPI_ERROR_DHCP_FAILURE == -3010);
CHECK(NSAPI_ERROR_AUTH_FAILURE == -3011);
CHECK(NSAPI_ERROR_DEVICE_ERROR == -3012);
CHECK(NSAPI_ERROR_IN_PROGRESS == -3013);
CHECK(NSAPI_ERROR_ALREADY == -3014);
CHECK(NSAPI_ERROR_IS_CONNECTED == -3015);
CHECK(NSAPI_ERROR_CONNECTION_LOST == -3016);
CHECK(NSAPI_ERROR_CONNECTION_TIMEOUT == -3017);
CHECK(NSAPI_ERROR_ADDRESS_IN_USE == -3018);
CHECK(NSAPI_ERROR_TIMEOUT == -3019);
CHECK(NSAPI_ERROR_BUSY == -3020);

/* 2.2 status and events */
CHECK(NSAPI_STATUS_LOCAL_UP == 0);
CHECK(NSAPI_STATUS_GLOBAL_UP == 1);
CHECK(NSAPI_STATUS_DISCONNECTED == 2);
CHECK(NSAPI_STATUS_CONNECTING == 3);
CHECK(NSAPI_STATUS_ERROR_UNSUPPORTED == -3002);
CHECK(NSAPI_EVENT_CONNECTION_STATUS_CHANGE == 0);
CHECK(NSAPI_EVENT_CELLULAR_STATUS_BASE == 0x1000);
CHECK(NSAPI_EVENT_CELLULAR_STATUS_END == 0x1FFF);

/* 2.3 security */
CHECK(NSAPI_SECURITY_NONE == 0x0);
CHECK(NSAPI_SECURITY_WEP == 0x1);
CHECK(NSAPI_SECURITY_WPA == 0x2);
CHECK(NSAPI_SECURITY_WPA2 == 0x3);
CHECK(NSAPI_SECURITY_WPA_WPA2 == 0x4);
CHECK(NSAPI_SECURITY_PAP == 0x5);
CHECK(NSAPI_SECURITY_CHAP == 0x6);
CHECK(NSAPI_SECURITY_EAP_TLS == 0x7);
CHECK(NSAPI_SECURITY_PEAP == 0x8);
CHECK(NSAPI_SECURITY_WPA2_ENT == 0x9);
CHECK(NSAPI_SECURITY_WPA3 == 0xA);
CHECK(NSAPI_SECURITY_WPA3_WPA2 == 0xB);
CHECK(NSAPI_SECURITY_UNKNOWN == 0xFF);

/* 2.4 sizes and TOS */
CHECK(NSAPI_INTERFACE_PREFIX_SIZE == 2);
CHECK(NSAPI_INTERFACE_NAME_MAX_SIZE == 6);
CHECK(NSAPI_IP_SIZE == 40 && NSAPI_IPv6_SIZE == 40);
CHECK(NSAPI_IP_BYTES == 16 && NSAPI_IPv6_BYTES == 16);
CHECK(NSAPI_MAC_SIZE == 18);
CHECK(NSAPI_MAC_BYTES == 6);
CHECK(NSAPI_IPv4_SIZE == 16);
CHECK(NSAPI_IPv4_BYTES == 4);
CHECK(NSAPI_IPTOS_TOS_MASK == 0x1E);
CHECK(NSAPI_IPTOS_LOWDELAY == 0x10);
CHECK(NSAPI_IPTOS_THROUGHPUT == 0x08);
CHECK(NSAPI_IPTOS_RELIABILITY == 0x04);
CHECK(NSAPI_IPTOS_LOWCOST == 0x02);
CHECK(NSAPI_IPTOS_PREC_MASK == 0xe0);
CHECK(NSAPI_IPTOS_PREC_NETCONTROL == 0xe0);
CHECK(NSAPI_IPTOS_PREC_INTERNETCONTROL == 0xc0);
CHECK(NSAPI_IPTOS_PREC_CRITIC_ECP == 0xa0);
CHECK(NSAPI_IPTOS_PREC_FLASHOVERRIDE == 0x80);
CHECK(NSAPI_IPTOS_PREC_FLASH == 0x60);
CHECK(NSAPI_IPTOS_PREC_IMMEDIATE == 0x40);
CHECK(NSAPI_IPTOS_PREC_PRIORITY == 0x20);
CHECK(NSAPI_IPTOS_PREC_ROUTINE == 0x00);

/* 2.5 versions, protocols, levels, options */
CHECK(NSAPI_UNSPEC == 0 && NSAPI_IPv4 == 1 && NSAPI_IPv6 == 2);
CHECK(NSAPI_TCP == 0 && NSAPI_UDP == 1 && NSAPI_ICMP == 2);
CHECK(NSAPI_STACK == 5000);
CHECK(NSAPI_IPV4_MRU == 0 && NSAPI_IPV6_MRU == 1);
CHECK(NSAPI_SOCKET == 7000);
CHECK(NSAPI_REUSEADDR == 0);
CHECK(NSAPI_KEEPALIVE == 1);
CHECK(NSAPI_KEEPIDLE == 2);
CHECK(NSAPI_KEEPINTVL == 3);
CHECK(NSAPI_LINGER == 4);
CHECK(NSAPI_SNDBUF == 5);
CHECK(NSAPI_RCVBUF == 6);
CHECK(NSAPI_ADD_MEMBERSHIP == 7);
CHECK(NSAPI_DROP_MEMBERSHIP == 8);
CHECK(NSAPI_BIND_TO_DEVICE == 9);
CHECK(NSAPI_LATENCY == 10);
CHECK(NSAPI_STAGGER == 11);
CHECK(NSAPI_IPTOS == 12);
CHECK(NSAPI_BROADCAST == 13);
CHECK(NSAPI_PKTINFO == 14);
CHECK(NSAPI_TLSSOCKET_LEVEL == 7099);
CHECK(NSAPI_TLSSOCKET_SET_HOSTNAME == 0);
CHECK(NSAPI_TLSSOCKET_SET_CACERT == 1);
CHECK(NSAPI_TLSSOCKET_SET_CLCERT == 2);
CHECK(NSAPI_TLSSOCKET_SET_CLKEY == 3);
CHECK(NSAPI_TLSSOCKET_ENABLE == 4);
CHECK(DEFAULT_STACK == 0 && IPV4_STACK == 1 && IPV6_STACK == 2 && IPV4V6_STACK == 3);

/* legacy aliases and 2.6 structures */
static nsapi_level_t legacy_level = NSAPI_SOCKET;
static nsapi_option_t legacy_option = NSAPI_REUSEADDR;
CHECK(sizeof(((nsapi_addr_t *)0)->bytes) == 16);
CHECK(offsetof(nsapi_addr_t, version) == 0);
CHECK(sizeof(((nsapi_wifi_ap_t *)0)->ssid) == 33);
CHECK(sizeof(((nsapi_wifi_ap_t *)0)->bssid) == 6);
CHECK(sizeof(((nsapi_stack_t *)0)->_stack_buffer) == 16 * sizeof(unsigned));
CHECK(offsetof(nsapi_ip_mreq_t, imr_multiaddr) < offsetof(nsapi_ip_mreq_t, imr_interface));
CHECK(sizeof(((nsapi_latency_req_t *)0)->addr) == 16);
CHECK(offsetof(nsapi_stagger_req_t, stagger_min) < offsetof(nsapi_stagger_req_t, stagger_max));
CHECK(offsetof(nsapi_stagger_req_t, stagger_max) < offsetof(nsapi_stagger_req_t, stagger_rand));
CHECK(offsetof(nsapi_msghdr_t, len) == 0);
CHECK(offsetof(nsapi_pktinfo_t, hdr) == 0);

/* 2.7 the legacy table, in order */
#define BEFORE(a, b) CHECK(offsetof(nsapi_stack_api_t, a) < offsetof(nsapi_stack_api_t, b))
BEFORE(get_ip_address, gethostbyname);
BEFORE(gethostbyname, add_dns_server);
BEFORE(add_dns_server, setstackopt);
BEFORE(setstackopt, getstackopt);
BEFORE(getstackopt, socket_open);
BEFORE(socket_open, socket_close);
BEFORE(socket_close, socket_bind);
BEFORE(socket_bind, socket_listen);
BEFORE(socket_listen, socket_connect);
BEFORE(socket_connect, socket_accept);
BEFORE(socket_accept, socket_send);
BEFORE(socket_send, socket_recv);
BEFORE(socket_recv, socket_sendto);
BEFORE(socket_sendto, socket_recvfrom);
BEFORE(socket_recvfrom, socket_sendto_control);
BEFORE(socket_sendto_control, socket_recvfrom_control);
BEFORE(socket_recvfrom_control, socket_attach);
BEFORE(socket_attach, setsockopt);
BEFORE(setsockopt, getsockopt);

int main(void) {
    nsapi_addr_t zero = {NSAPI_UNSPEC, {0}};
    return (zero.version == NSAPI_UNSPEC && legacy_level == NSAPI_SOCKET &&
            legacy_option == NSAPI_REUSEADDR)
               ? 0
               : 1;
}
