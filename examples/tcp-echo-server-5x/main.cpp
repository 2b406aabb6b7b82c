// TCP echo server, Mbed OS 5 style: TCPServer::accept(TCPSocket*, SocketAddress*) and the
// const char* address getters (deprecated in 5.15, removed in 6.0, still compiled here).
#include "mbed.h"

#include "../common/example_config.h"

#ifndef MBED_CONF_APP_PORT
#define MBED_CONF_APP_PORT 7007
#endif
#ifndef MBED_CONF_APP_CONNECTIONS
#define MBED_CONF_APP_CONNECTIONS 0
#endif

int main() {
    printf("TCP echo server example (TCPServer, Mbed OS 5 API)\n");
    const int port = APP_CONFIG_INT(MBED_CONF_APP_PORT);
    const int connections = APP_CONFIG_INT(MBED_CONF_APP_CONNECTIONS);

    NetworkInterface *net = NetworkInterface::get_default_instance();
    if (!net || net->connect() != 0) {
        printf("Error: network connect failed\n");
        return 1;
    }
    const char *ip = net->get_ip_address();
    printf("IP address: %s\n", ip ? ip : "None");

    TCPServer srv;
    TCPSocket client_sock;
    SocketAddress client_addr;
    char buffer[512];

    srv.open(net);
    if (srv.bind(port) != 0) {
        printf("Error: cannot bind port %d\n", port);
        return 1;
    }
    srv.listen(5);
    printf("Echo server listening on port %d\n", port);
    fflush(stdout);

    for (int served = 0; connections == 0 || served < connections; ++served) {
        if (srv.accept(&client_sock, &client_addr) != 0) {
            printf("Error: accept failed\n");
            return 1;
        }
        printf("Accepted connection from %s:%d\n", client_addr.get_ip_address(),
               client_addr.get_port());
        size_t echoed = 0;
        int n;
        while ((n = client_sock.recv(buffer, sizeof(buffer))) > 0) {
            if (client_sock.send(buffer, n) != n) {
                break;
            }
            echoed += n;
        }
        printf("Connection closed, %u bytes echoed\n", (unsigned)echoed);
        fflush(stdout);
        client_sock.close();
    }
    srv.close();
    printf("Done\n");
    return 0;
}
