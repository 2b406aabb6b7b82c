// UDP ping-pong with a computer: the board sends "ping <n>" datagrams to the peer program
// (examples/peers/udp_ping_pong_peer.py) and expects "pong <n>" back, retrying on a timeout
// because UDP may lose datagrams.
#include "mbed.h"

#include "../common/example_config.h"

#ifndef MBED_CONF_APP_HOST
#define MBED_CONF_APP_HOST "127.0.0.1"
#endif
#ifndef MBED_CONF_APP_PORT
#define MBED_CONF_APP_PORT 7101
#endif
#ifndef MBED_CONF_APP_ROUNDS
#define MBED_CONF_APP_ROUNDS 10
#endif

static const int kAttempts = 3;

int main() {
    printf("UDP ping-pong example\n");
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

    UDPSocket socket;
    socket.open(net);
    socket.set_timeout(1000);
    printf("Sending to %s:%d\n", peer.get_ip_address(), port);

    int ok = 0;
    for (int i = 1; i <= rounds; ++i) {
        char msg[32];
        int len = snprintf(msg, sizeof(msg), "ping %d", i);
        char expected[32];
        snprintf(expected, sizeof(expected), "pong %d", i);
        bool answered = false;
        for (int attempt = 0; attempt < kAttempts && !answered; ++attempt) {
            if (socket.sendto(peer, msg, len) != len) {
                printf("Error: sendto failed\n");
                break;
            }
            // Skip stale answers to earlier attempts until this round's pong or a timeout.
            for (;;) {
                char buf[64];
                SocketAddress from;
                nsapi_size_or_error_t n = socket.recvfrom(&from, buf, sizeof(buf) - 1);
                if (n < 0) {
                    printf("No answer to \"%s\" (%d), retrying\n", msg, n);
                    break;
                }
                buf[n] = '\0';
                if (strcmp(buf, expected) == 0) {
                    printf("Sent \"%s\", received \"%s\" from %s:%d\n", msg, buf,
                           from.get_ip_address(), from.get_port());
                    answered = true;
                    break;
                }
            }
        }
        ok += answered ? 1 : 0;
    }
    socket.close();
    printf("%d/%d pongs\n", ok, rounds);
    net->disconnect();
    printf(ok == rounds ? "Done\n" : "Failed\n");
    return ok == rounds ? 0 : 1;
}
