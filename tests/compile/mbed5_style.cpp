// An application written against the Mbed OS 5.7-5.15 API: TCPServer, string hosts, const char*
// getters, stack-taking socket constructors, Socket::attach, Thread::wait and wait_ms. It only
// has to compile and link; main() does not touch the network.
#if __has_include("mbed.h")
#include "mbed.h"
#else
#include "events/mbed_events.h"
#include "platform/mbed_wait_api.h"
#include "rtos.h"
// What mbed.h adds.
using namespace mbed;
using namespace events;
#endif
#include <stdio.h>

#include "EthernetInterface.h"
#include "TCPServer.h"
#include "TCPSocket.h"
#include "UDPSocket.h"
#include "common_functions.h"
#include "ip4string.h"
#include "ip6string.h"
#include "nsapi_dns.h"
#include "nsapi_types.h"

namespace {

EthernetInterface net;
volatile bool data_ready = false;

void on_status(nsapi_event_t event, intptr_t status) {
    if (event == NSAPI_EVENT_CONNECTION_STATUS_CHANGE && status == NSAPI_STATUS_GLOBAL_UP) {
        printf("up\n");
    }
}

void on_sigio() {
    data_ready = true;
}

class Handler {
  public:
    void readable() { count++; }
    int count = 0;
};

void blinker() {
    for (int i = 0; i < 3; i++) {
        Thread::wait(100);
        wait_ms(10);
    }
}

int run_application() {
    net.attach(&on_status);
    net.set_dhcp(true);
    net.set_network("192.168.1.2", "255.255.255.0", "192.168.1.1");
    if (net.connect() != 0) {
        printf("connect failed\n");
        return -1;
    }
    const char *ip = net.get_ip_address();
    const char *mac = net.get_mac_address();
    printf("IP %s MAC %s mask %s gw %s\n", ip ? ip : "None", mac ? mac : "None",
           net.get_netmask() ? net.get_netmask() : "None",
           net.get_gateway() ? net.get_gateway() : "None");

    // Docs-era HTTP server.
    TCPServer srv;
    TCPSocket client;
    SocketAddress client_addr;
    srv.open(&net);
    srv.bind(net.get_ip_address(), 80);
    srv.listen(5);
    srv.set_timeout(5000);
    if (srv.accept(&client, &client_addr) == NSAPI_ERROR_OK) {
        printf("client %s:%u\n", client_addr.get_ip_address(), client_addr.get_port());
        char buf[256];
        int n = client.recv(buf, sizeof(buf));
        client.send(buf, n > 0 ? n : 0);
        client.close();
    }
    srv.close();
    TCPServer opened_server(&net);
    opened_server.listen();

    // Client with a host name, stack-taking constructor and the old attach.
    TCPSocket sock(&net);
    Handler handler;
    sock.attach(&on_sigio);
    sock.attach(&handler, &Handler::readable);
    sock.sigio(callback(&handler, &Handler::readable));
    sock.set_blocking(false);
    if (sock.connect("os.mbed.com", 80) == NSAPI_ERROR_OK) {
        const char req[] = "GET / HTTP/1.1\r\nHost: os.mbed.com\r\n\r\n";
        sock.send(req, sizeof(req) - 1);
    }
    sock.close();

    // UDP with string hosts.
    UDPSocket udp(&net);
    udp.bind(7000);
    udp.sendto("time.nist.gov", 37, "", 0);
    char rx[64];
    SocketAddress from;
    nsapi_size_or_error_t got = udp.recvfrom(&from, rx, sizeof(rx));
    if (got > 0 && from) {
        printf("from %s\n", from.get_ip_address());
    }
    udp.close();

    // Name resolution, 5.x forms.
    SocketAddress resolved(&net, "os.mbed.com", 443);
    if (resolved) {
        printf("resolved %s\n", resolved.get_ip_address());
    }
    SocketAddress addr;
    net.gethostbyname("os.mbed.com", &addr);
    net.add_dns_server(addr);
    nsapi_dns_query(&net, "os.mbed.com", &addr);
    nsapi_dns_query(&net, "os.mbed.com", &addr, NSAPI_IPv6);
    nsapi_addr_t raw = addr.get_addr();
    nsapi_dns_add_server(raw);
    NetworkStack *stack = nsapi_create_stack(&net);
    printf("stack ip %s\n", stack->get_ip_address() ? stack->get_ip_address() : "None");

    // libservice helpers.
    uint8_t bytes[16];
    char text[40];
    if (stoip6("fe80::1", 7, bytes)) {
        ip6tos(bytes, text);
    }
    uint8_t be[2];
    common_write_16_bit(80, be);

    Thread thread;
    thread.start(callback(blinker));
    thread.join();

    NetworkInterface *def = NetworkInterface::get_default_instance();
    if (def && def->ethInterface()) {
        def->ethInterface()->get_connection_status();
    }
    return net.disconnect();
}

}  // namespace

int main(int argc, char **argv) {
    // Linked but never run: running it would need a network backend.
    if (argc > 1 && argv[1][0] == 'r') {
        return run_application();
    }
    return 0;
}
