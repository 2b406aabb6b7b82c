// HTTPS client (Mbed OS 6 style): the HTTP client over a TLSSocket that verifies the server.
//
// An Mbed application embeds its root CA certificate; on a PC, where the test server's CA is made
// at run time, the CA is read from the file named by $MESHWORK_CA_FILE when it is set.
#include "mbed.h"

#include <string>

#include "TLSSocket.h"
#include "../common/example_config.h"

#ifndef MBED_CONF_APP_HOST
#define MBED_CONF_APP_HOST "127.0.0.1"
#endif
#ifndef MBED_CONF_APP_HOSTNAME
#define MBED_CONF_APP_HOSTNAME "localhost"
#endif
#ifndef MBED_CONF_APP_PORT
#define MBED_CONF_APP_PORT 4443
#endif
#ifndef MBED_CONF_APP_PATH
#define MBED_CONF_APP_PATH "/"
#endif

// The embedded root CA of a real deployment goes here (PEM). Empty: $MESHWORK_CA_FILE is needed.
static const char embedded_root_ca_pem[] = "";

static std::string load_root_ca() {
    const char *file = getenv("MESHWORK_CA_FILE");
    if (!file || !*file) {
        return embedded_root_ca_pem;
    }
    std::string pem;
    FILE *f = fopen(file, "rb");
    if (!f) {
        printf("Error: cannot open %s\n", file);
        return pem;
    }
    char chunk[1024];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        pem.append(chunk, n);
    }
    fclose(f);
    printf("Root CA read from %s\n", file);
    return pem;
}

int main() {
    printf("HTTPS client example\n");
    const char *host = APP_CONFIG_STR(MBED_CONF_APP_HOST);
    const char *hostname = APP_CONFIG_STR(MBED_CONF_APP_HOSTNAME);
    const int port = APP_CONFIG_INT(MBED_CONF_APP_PORT);
    const char *path = APP_CONFIG_STR(MBED_CONF_APP_PATH);

    std::string root_ca = load_root_ca();
    if (root_ca.empty()) {
        printf("Error: no root CA (set MESHWORK_CA_FILE to a PEM file)\n");
        return 1;
    }

    NetworkInterface *net = NetworkInterface::get_default_instance();
    if (!net || net->connect() != NSAPI_ERROR_OK) {
        printf("Error: network connect failed\n");
        return 1;
    }

    SocketAddress server;
    nsapi_error_t err = net->gethostbyname(host, &server);
    if (err != NSAPI_ERROR_OK) {
        printf("Error: cannot resolve %s (%d)\n", host, err);
        return 1;
    }
    server.set_port(port);

    TLSSocket socket;
    err = socket.open(net);
    if (err != NSAPI_ERROR_OK) {
        printf("Error: open failed (%d)\n", err);
        return 1;
    }
    err = socket.set_root_ca_cert(root_ca.c_str());
    if (err != NSAPI_ERROR_OK) {
        printf("Error: root CA rejected (%d)\n", err);
        return 1;
    }
    socket.set_hostname(hostname);
    socket.set_timeout(10000);
    printf("Connecting to %s:%d, expecting a certificate for \"%s\"\n", server.get_ip_address(),
           port, hostname);
    err = socket.connect(server);
    if (err != NSAPI_ERROR_OK) {
        printf("Error: TLS connect failed (%d%s)\n", err,
               err == NSAPI_ERROR_AUTH_FAILURE ? ", certificate not accepted" : "");
        return 1;
    }
    const mbedtls_ssl_context *ssl = socket.get_ssl_context();
    printf("TLS handshake done: %s, %s\n", mbedtls_ssl_get_version(ssl),
           mbedtls_ssl_get_ciphersuite(ssl));

    char request[256];
    int len = snprintf(request, sizeof(request),
                       "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, hostname);
    nsapi_size_or_error_t sent = socket.send(request, len);
    if (sent != len) {
        printf("Error: send failed (%d)\n", sent);
        return 1;
    }
    printf("Sent %d bytes: GET %s\n", len, path);

    // Read until the server ends the session (recv returns 0 on close_notify).
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
    if (n < 0 && first) {
        printf("Error: recv failed (%d)\n", n);
        return 1;
    }
    printf("Received %u bytes in total\n", (unsigned)total);
    net->disconnect();
    printf("Done\n");
    return first ? 1 : 0;
}
