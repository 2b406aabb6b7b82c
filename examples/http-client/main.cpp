// HTTP client (Mbed OS 6 style): GET one page over a TCPSocket and print the response.
#include "mbed.h"

#include "../common/example_config.h"

#ifndef MBED_CONF_APP_HOST
#define MBED_CONF_APP_HOST "127.0.0.1"
#endif
#ifndef MBED_CONF_APP_PORT
#define MBED_CONF_APP_PORT 8080
#endif
#ifndef MBED_CONF_APP_PATH
#define MBED_CONF_APP_PATH "/"
#endif

int main() {
    printf("HTTP client example\n");
    const char *host = APP_CONFIG_STR(MBED_CONF_APP_HOST);
    const int port = APP_CONFIG_INT(MBED_CONF_APP_PORT);
    const char *path = APP_CONFIG_STR(MBED_CONF_APP_PATH);

    NetworkInterface *net = NetworkInterface::get_default_instance();
    if (!net) {
        printf("Error: no default network interface\n");
        return 1;
    }
    nsapi_error_t err = net->connect();
    if (err != NSAPI_ERROR_OK) {
        printf("Error: network connect failed (%d)\n", err);
        return 1;
    }
    SocketAddress local;
    net->get_ip_address(&local);
    printf("Network up, IP address: %s\n",
           local.get_ip_address() ? local.get_ip_address() : "None");

    SocketAddress server;
    err = net->gethostbyname(host, &server);
    if (err != NSAPI_ERROR_OK) {
        printf("Error: cannot resolve %s (%d)\n", host, err);
        return 1;
    }
    server.set_port(port);
    printf("Connecting to %s:%d\n", server.get_ip_address(), port);

    TCPSocket socket;
    socket.open(net);
    socket.set_timeout(10000);
    err = socket.connect(server);
    if (err != NSAPI_ERROR_OK) {
        printf("Error: connect failed (%d)\n", err);
        return 1;
    }

    char request[256];
    int len = snprintf(request, sizeof(request),
                       "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host);
    nsapi_size_or_error_t sent = socket.send(request, len);
    if (sent != len) {
        printf("Error: send failed (%d)\n", sent);
        return 1;
    }
    printf("Sent %d bytes: GET %s\n", len, path);

    // Read until the server closes the connection (recv returns 0).
    static char buffer[4096];
    size_t total = 0;
    bool first = true;
    nsapi_size_or_error_t n;
    while ((n = socket.recv(buffer, sizeof(buffer) - 1)) > 0) {
        buffer[n] = '\0';
        if (first) {
            char *eol = strstr(buffer, "\r\n");
            if (eol) {
                *eol = '\0';
            }
            printf("Response status: %s\n", buffer);
            first = false;
        }
        total += n;
    }
    socket.close();
    if (n < 0) {
        printf("Error: recv failed (%d)\n", n);
        return 1;
    }
    printf("Received %u bytes in total\n", (unsigned)total);
    net->disconnect();
    printf("Done\n");
    return first ? 1 : 0;
}
