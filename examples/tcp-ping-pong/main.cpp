// TCP ping-pong with a computer: the board connects to the peer program
// (examples/peers/tcp_ping_pong_peer.py), sends "ping <n>" lines and expects "pong <n>" back.
#include "mbed.h"

#include "../common/example_config.h"

#ifndef MBED_CONF_APP_HOST
#define MBED_CONF_APP_HOST "127.0.0.1"
#endif
#ifndef MBED_CONF_APP_PORT
#define MBED_CONF_APP_PORT 7100
#endif
#ifndef MBED_CONF_APP_ROUNDS
#define MBED_CONF_APP_ROUNDS 10
#endif

// Reads one '\n'-terminated line (without the '\n'); false on error or close.
static bool read_line(TCPSocket &socket, char *line, size_t size) {
    size_t len = 0;
    while (len + 1 < size) {
        char c;
        nsapi_size_or_error_t n = socket.recv(&c, 1);
        if (n <= 0) {
            return false;
        }
        if (c == '\n') {
            break;
        }
        line[len++] = c;
    }
    line[len] = '\0';
    return true;
}

int main() {
    printf("TCP ping-pong example\n");
    const char *host = APP_CONFIG_STR(MBED_CONF_APP_HOST);
    const int port = APP_CONFIG_INT(MBED_CONF_APP_PORT);
    const int rounds = APP_CONFIG_INT(MBED_CONF_APP_ROUNDS);

    NetworkInterface *net = NetworkInterface::get_default_instance();
    if (!net || net->connect() != NSAPI_ERROR_OK) {
        printf("Error: network connect failed\n");
        return 1;
    }
    SocketAddress peer;
    if (net->gethostbyname(host, &peer) != NSAPI_ERROR_OK) {
        printf("Error: cannot resolve %s\n", host);
        return 1;
    }
    peer.set_port(port);

    TCPSocket socket;
    socket.open(net);
    socket.set_timeout(5000);
    nsapi_error_t err = socket.connect(peer);
    if (err != NSAPI_ERROR_OK) {
        printf("Error: cannot connect to %s:%d (%d)\n", peer.get_ip_address(), port, err);
        return 1;
    }
    printf("Connected to %s:%d\n", peer.get_ip_address(), port);

    Timer timer;
    timer.start();
    int ok = 0;
    for (int i = 1; i <= rounds; ++i) {
        char msg[32];
        int len = snprintf(msg, sizeof(msg), "ping %d\n", i);
        if (socket.send(msg, len) != len) {
            printf("Error: send failed\n");
            break;
        }
        char line[64];
        if (!read_line(socket, line, sizeof(line))) {
            printf("Error: no answer to ping %d\n", i);
            break;
        }
        char expected[32];
        snprintf(expected, sizeof(expected), "pong %d", i);
        bool match = strcmp(line, expected) == 0;
        printf("Sent \"ping %d\", received \"%s\"%s\n", i, line, match ? "" : " (unexpected)");
        ok += match ? 1 : 0;
    }
    timer.stop();
    socket.close();
    printf(
        "%d/%d pongs in %d ms\n", ok, rounds,
        (int)std::chrono::duration_cast<std::chrono::milliseconds>(timer.elapsed_time()).count());
    net->disconnect();
    printf(ok == rounds ? "Done\n" : "Failed\n");
    return ok == rounds ? 0 : 1;
}
