// TCP echo server, Mbed OS 6 style: TCPSocket::listen() and TCPSocket::accept().
#include "mbed.h"

#include "../common/example_config.h"

#ifndef MBED_CONF_APP_PORT
#define MBED_CONF_APP_PORT 7007
#endif
#ifndef MBED_CONF_APP_CONNECTIONS
#define MBED_CONF_APP_CONNECTIONS 0
#endif

int main() {
    printf("TCP echo server example (TCPSocket::accept, Mbed OS 6 API)\n");
    const int port = APP_CONFIG_INT(MBED_CONF_APP_PORT);
    const int connections = APP_CONFIG_INT(MBED_CONF_APP_CONNECTIONS);

    NetworkInterface *net = NetworkInterface::get_default_instance();
    if (!net || net->connect() != NSAPI_ERROR_OK) {
        printf("Error: network connect failed\n");
        return 1;
    }
    SocketAddress ip;
    net->get_ip_address(&ip);
    printf("IP address: %s\n", ip.get_ip_address() ? ip.get_ip_address() : "None");

    TCPSocket listener;
    listener.open(net);
    nsapi_error_t err = listener.bind(port);
    if (err != NSAPI_ERROR_OK) {
        printf("Error: cannot bind port %d (%d)\n", port, err);
        return 1;
    }
    listener.listen(5);
    printf("Echo server listening on port %d\n", port);
    fflush(stdout);

    char buffer[512];
    for (int served = 0; connections == 0 || served < connections; ++served) {
        TCPSocket *client = listener.accept(&err);
        if (!client) {
            printf("Error: accept failed (%d)\n", err);
            return 1;
        }
        SocketAddress peer;
        client->getpeername(&peer);
        printf("Accepted connection from %s:%d\n", peer.get_ip_address(), peer.get_port());
        size_t echoed = 0;
        nsapi_size_or_error_t n;
        while ((n = client->recv(buffer, sizeof(buffer))) > 0) {
            if (client->send(buffer, n) != n) {
                break;
            }
            echoed += n;
        }
        printf("Connection closed, %u bytes echoed\n", (unsigned)echoed);
        fflush(stdout);
        client->close();  // accepted sockets free themselves
    }
    listener.close();
    printf("Done\n");
    return 0;
}
