// A mesh application written as for Mbed OS, in the spirit of Mbed's mesh-minimal example: the
// default (mesh) interface from mbed_app.json, connect, print the address and the border
// router; every node answers UDP datagrams on the echo port (a thread of its own), pings the
// border router's echo port a few times across the mesh and prints the round trips, and
// joins a multicast group with Nanostack's socket options (multicast hop limit, join group).
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

// Every node echoes what arrives on the echo port, so any node can check the path to it.
static UDPSocket echo_socket;

static void echo_loop() {
    char buf[128];
    SocketAddress from;
    for (;;) {
        nsapi_size_or_error_t n = echo_socket.recvfrom(&from, buf, sizeof buf);
        if (n < 0) {
            printf("echo socket: %d\n", n);
            return;
        }
        echo_socket.sendto(from, buf, n);
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
    char router[40] = "";
    if (lowpan->getRouterIpAddress(router, sizeof router)) {
        printf("Border router: %s\n", router);
    }

    echo_socket.open(mesh);
    echo_socket.bind(MBED_CONF_APP_ECHO_PORT);
    static Thread echo_thread(osPriorityNormal, 4096, nullptr, "echo");
    echo_thread.start(echo_loop);

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
    char message[80];
    int len = snprintf(message, sizeof message, "hello from %s", sa.get_ip_address());
    sock.sendto(SocketAddress(group_text, MBED_CONF_APP_UDP_PORT), message, len);

    if (strcmp(router, sa.get_ip_address()) == 0) {
        printf("This node is the border router: echoing\n");
    } else if (router[0] != '\0') {
        // Round trips to the border router's echo port, across however many hops it is.
        SocketAddress br(router, MBED_CONF_APP_ECHO_PORT);
        sock.set_timeout(MBED_CONF_APP_ECHO_TIMEOUT_MS);
        int answered = 0;
        for (int i = 0; i < MBED_CONF_APP_ROUNDS; ++i) {
            len = snprintf(message, sizeof message, "ping %d from %s", i, sa.get_ip_address());
            Timer t;
            t.start();
            sock.sendto(br, message, len);
            char buf[128];
            SocketAddress from;
            nsapi_size_or_error_t n;
            // Group messages may arrive on the same socket meanwhile: wait for the echo.
            do {
                n = sock.recvfrom(&from, buf, sizeof buf - 1);
            } while (n > 0 && (from != br || n != len || memcmp(buf, message, len) != 0));
            if (n > 0) {
                ++answered;
                printf("echo %d from the border router in %lld ms\n", i,
                       (long long)std::chrono::duration_cast<std::chrono::milliseconds>(
                           t.elapsed_time())
                           .count());
            } else {
                printf("echo %d: no answer (%d)\n", i, n);
            }
            ThisThread::sleep_for(1s);
        }
        printf("UDP: %d of %d echoes from the border router\n", answered, MBED_CONF_APP_ROUNDS);
    }
    // Whatever the group brings, until the simulation ends.
    sock.set_timeout(-1);
    for (;;) {
        char buf[128];
        SocketAddress from;
        nsapi_size_or_error_t n = sock.recvfrom(&from, buf, sizeof buf - 1);
        if (n <= 0) {
            break;
        }
        buf[n] = '\0';
        printf("group message from %s: %s\n", from.get_ip_address(), buf);
    }
    return 0;
}
