// CoAP client example: an ordinary Mbed application. It brings up the default network interface,
// GETs the server's root resource, PUTs a value and reads it back, then observes a resource for a
// few notifications and deregisters. Run it against any CoAP server, e.g. libcoap's coap-server.
#include "mbed.h"

#include <atomic>
#include <cstdio>

#include "example_config.h"
#include "meshwork/coap/CoapNode.h"

#ifndef MBED_CONF_APP_HOST
#define MBED_CONF_APP_HOST "127.0.0.1"
#endif
#ifndef MBED_CONF_APP_PORT
#define MBED_CONF_APP_PORT 5683
#endif
#ifndef MBED_CONF_APP_RESOURCE
#define MBED_CONF_APP_RESOURCE "example_data"
#endif
#ifndef MBED_CONF_APP_OBSERVE
#define MBED_CONF_APP_OBSERVE "time"
#endif
#ifndef MBED_CONF_APP_NOTIFICATIONS
#define MBED_CONF_APP_NOTIFICATIONS 3
#endif

using meshwork::coap::CoapNode;
using meshwork::coap::code_string;
using meshwork::coap::Message;
using meshwork::coap::Status;

int main() {
    printf("CoAP client example\n");
    NetworkInterface *net = NetworkInterface::get_default_instance();
    if (!net || net->connect() != NSAPI_ERROR_OK) {
        printf("Error: network connect failed\n");
        return 1;
    }
    SocketAddress server;
    if (net->gethostbyname(APP_CONFIG_STR(MBED_CONF_APP_HOST), &server) != NSAPI_ERROR_OK) {
        printf("Error: cannot resolve %s\n", APP_CONFIG_STR(MBED_CONF_APP_HOST));
        return 1;
    }
    server.set_port(static_cast<uint16_t>(APP_CONFIG_INT(MBED_CONF_APP_PORT)));
    printf("Server %s port %u\n", server.get_ip_address(), server.get_port());

    CoapNode coap(net);
    if (coap.open() != NSAPI_ERROR_OK) {
        printf("Error: cannot open the UDP socket\n");
        return 1;
    }

    Message response;
    nsapi_error_t err = coap.get(server, "/", &response);
    if (err != NSAPI_ERROR_OK) {
        printf("Error: GET / failed: %d\n", err);
        return 1;
    }
    printf("GET / -> %s (%u bytes)\n", code_string(response.code).c_str(),
           (unsigned)response.payload.size());

    const char *resource = APP_CONFIG_STR(MBED_CONF_APP_RESOURCE);
    err = coap.put(server, resource, "hello from meshwork",
                   meshwork::coap::ContentFormat::kTextPlain, &response);
    if (err != NSAPI_ERROR_OK) {
        printf("Error: PUT failed: %d\n", err);
        return 1;
    }
    printf("PUT /%s -> %s\n", resource, code_string(response.code).c_str());
    err = coap.get(server, resource, &response);
    if (err != NSAPI_ERROR_OK) {
        printf("Error: GET failed: %d\n", err);
        return 1;
    }
    printf("GET /%s -> %s: %s\n", resource, code_string(response.code).c_str(),
           response.payload_string().c_str());

    const char *observed = APP_CONFIG_STR(MBED_CONF_APP_OBSERVE);
    const int wanted = APP_CONFIG_INT(MBED_CONF_APP_NOTIFICATIONS);
    std::atomic<int> received{0};
    std::uint64_t id = coap.observe(server, observed, [&](Status status, const Message &m) {
        if (status != Status::kOk) {
            printf("Observation ended: %s\n", meshwork::coap::status_name(status));
            return;
        }
        int n = ++received;
        printf("Notification %d (seq %lld): %s\n", n, (long long)m.observe(),
               m.payload_string().c_str());
    });
    for (int i = 0; i < 300 && received < wanted; ++i) {
        coap.process(100);
    }
    coap.cancel_observe(id);
    coap.process(300);
    printf("Observation of /%s cancelled after %d notifications\n", observed, received.load());

    coap.close();
    net->disconnect();
    printf("Done\n");
    return received >= wanted ? 0 : 1;
}
