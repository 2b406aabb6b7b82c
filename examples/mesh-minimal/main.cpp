// A mesh application written as for Mbed OS, in the spirit of Mbed's mesh-minimal example: the
// default (mesh) interface from mbed_app.json, connect, print the address and the border
// router, then UDP on a multicast group with Nanostack's socket options (multicast hop limit,
// join group) and a few datagrams to and from the other nodes.
//
// On a simulated node the 6LoWPAN-ND backend of the node's composition joins the mesh; in a
// plain host process there is no mesh, so connect() reports NSAPI_ERROR_UNSUPPORTED and the
// program says so and stops (docs/mesh-api.md).
#include <stdio.h>
#include <string.h>

#include "mbed.h"
#include "LoWPANNDInterface.h"
#include "ip6string.h"
#include "nanostack/socket_api.h"

static const int16_t multicast_hops = MBED_CONF_APP_MULTICAST_HOPS;

static void print_event(nsapi_event_t event, intptr_t status) {
    if (event != NSAPI_EVENT_CONNECTION_STATUS_CHANGE) {
        return;
    }
    switch (status) {
        case NSAPI_STATUS_CONNECTING:
            printf("status: connecting\n");
            break;
        case NSAPI_STATUS_LOCAL_UP:
            printf("status: local up\n");
            break;
        case NSAPI_STATUS_GLOBAL_UP:
            printf("status: global up\n");
            break;
        case NSAPI_STATUS_DISCONNECTED:
            printf("status: disconnected\n");
            break;
        default:
            printf("status: %d\n", (int)status);
            break;
    }
}

int main() {
    printf("Mesh minimal (6LoWPAN-ND)\n");
    MeshInterface *mesh = MeshInterface::get_default_instance();
    NetworkInterface *net = NetworkInterface::get_default_instance();
    if (!mesh || net != mesh) {
        printf("No default mesh interface: check target.network-default-interface-type\n");
        return -1;
    }
    mesh->add_event_listener(print_event);
    printf("Connecting...\n");
    nsapi_error_t err = mesh->connect();
    if (err != NSAPI_ERROR_OK) {
        printf("Connection failed: %d%s\n", err,
               err == NSAPI_ERROR_UNSUPPORTED ? " (no mesh radio in this process)" : "");
        return err;
    }
    SocketAddress sa;
    while (mesh->get_ip_address(&sa) != NSAPI_ERROR_OK) {
        ThisThread::sleep_for(500ms);
    }
    printf("Connected. IP = %s\n", sa.get_ip_address());
    LoWPANNDInterface *lowpan = static_cast<LoWPANNDInterface *>(mesh);
    char router[40];
    if (lowpan->getRouterIpAddress(router, sizeof router)) {
        printf("Border router: %s\n", router);
    }

    UDPSocket sock;
    sock.open(mesh);
    sock.bind(MBED_CONF_APP_UDP_PORT);
    sock.setsockopt(SOCKET_IPPROTO_IPV6, SOCKET_IPV6_MULTICAST_HOPS, &multicast_hops,
                    sizeof(multicast_hops));
    const char *group_text = MBED_CONF_APP_MULTICAST_GROUP;
    ns_ipv6_mreq_t mreq;
    stoip6(group_text, strlen(group_text), mreq.ipv6mr_multiaddr);
    mreq.ipv6mr_interface = 0;
    sock.setsockopt(SOCKET_IPPROTO_IPV6, SOCKET_IPV6_JOIN_GROUP, &mreq, sizeof mreq);

    SocketAddress group(group_text, MBED_CONF_APP_UDP_PORT);
    sock.set_timeout(2000);
    for (int i = 0; i < MBED_CONF_APP_ROUNDS; ++i) {
        char message[80];
        int len = snprintf(message, sizeof message, "hello %d from %s", i, sa.get_ip_address());
        sock.sendto(group, message, len);
        char buf[128];
        SocketAddress from;
        nsapi_size_or_error_t n = sock.recvfrom(&from, buf, sizeof buf - 1);
        if (n > 0) {
            buf[n] = '\0';
            printf("from %s: %s\n", from.get_ip_address(), buf);
        }
    }
    sock.close();
    mesh->disconnect();
    printf("Done\n");
    return 0;
}
