// An application written against the Mbed OS 6 API: TCPSocket::listen/accept, UDPSocket
// connect/send/recv, SocketAddress out-parameters, chrono sleeps and EventQueue::call_in with
// chrono durations. It only has to compile and link; main() does not touch the network.
#if __has_include("mbed.h")
#include "mbed.h"
#else
#include "events/mbed_events.h"
#include "events/mbed_shared_queues.h"
#include "rtos.h"
// What mbed.h adds.
using namespace mbed;
using namespace events;
#endif
#include <stdio.h>

#include <chrono>

#include "EthernetInterface.h"
#include "MsgHeader.h"
#include "TCPSocket.h"
#include "UDPSocket.h"
#include "nsapi.h"
#include "nsapi_dns.h"

using namespace std::chrono_literals;

namespace {

events::EventQueue queue(32 * EVENTS_EVENT_SIZE);

void on_status(nsapi_event_t event, intptr_t status) {
    printf("status %d\n", int(status));
}

void echo_server(NetworkInterface *net) {
    TCPSocket server;
    server.open(net);
    server.bind(7);
    server.listen(2);
    nsapi_error_t err = NSAPI_ERROR_OK;
    TCPSocket *client = server.accept(&err);
    if (client) {
        SocketAddress peer;
        client->getpeername(&peer);
        char buf[128];
        nsapi_size_or_error_t n = client->recv(buf, sizeof(buf));
        if (n > 0) {
            client->send(buf, n);
        }
        client->close();  // deletes the accepted socket
    }
    server.close();
}

int run_application() {
    NetworkInterface *net = NetworkInterface::get_default_instance();
    if (!net) {
        return -1;
    }
    net->add_event_listener(mbed::callback(&on_status));
    net->set_blocking(true);
    if (net->connect() != NSAPI_ERROR_OK) {
        return -1;
    }
    SocketAddress ip, mask, gw;
    net->get_ip_address(&ip);
    net->get_netmask(&mask);
    net->get_gateway(&gw);
    printf("IP %s\n", ip.get_ip_address() ? ip.get_ip_address() : "None");

    SocketAddress host;
    if (net->gethostbyname("ifconfig.io", &host, NSAPI_IPv4) == NSAPI_ERROR_OK) {
        host.set_port(80);
        TCPSocket sock;
        sock.open(net);
        sock.set_timeout(3000);
        if (sock.connect(host) == NSAPI_ERROR_OK) {
            sock.send("GET / HTTP/1.0\r\n\r\n", 18);
            char buf[256];
            sock.recv(buf, sizeof(buf));
        }
        sock.close();
    }
    SocketAddress *results = nullptr;
    SocketAddress hints;
    hints.set_ip_address("0.0.0.0");
    nsapi_value_or_error_t count = net->getaddrinfo("ifconfig.io", &hints, &results);
    if (count > 0) {
        delete[] results;
    }
    net->gethostbyname_async("ifconfig.io",
                             [](nsapi_value_or_error_t result, SocketAddress *address) {
                                 if (result > 0) {
                                     printf("async %s\n", address->get_ip_address());
                                 }
                             });
    net->add_dns_server(SocketAddress("192.0.2.53"), nullptr);

    UDPSocket udp;
    udp.open(net);
    SocketAddress echo("192.0.2.7", 7);
    udp.connect(echo);
    udp.send("ping", 4);
    char rx[16];
    udp.recv(rx, sizeof(rx));
    SocketAddress from;
    alignas(nsapi_pktinfo_t) uint8_t control[sizeof(nsapi_pktinfo_t)];
    udp.recvfrom_control(&from, rx, sizeof(rx), reinterpret_cast<nsapi_msghdr_t *>(control),
                         sizeof(control));
    MsgHeaderIterator it(reinterpret_cast<nsapi_msghdr_t *>(control), sizeof(control));
    while (it.has_next()) {
        nsapi_msghdr_t *hdr = it.next();
        if (hdr->type == NSAPI_PKTINFO) {
            printf("pktinfo\n");
        }
    }
    udp.close();

    queue.call_in(500ms, [] { printf("later\n"); });
    queue.call_every(1s, [] { printf("tick\n"); });
    queue.dispatch_for(2s);
    ThisThread::sleep_for(100ms);

    Thread worker;
    worker.start([net] { echo_server(net); });
    worker.join();

    if (net->ethInterface()) {
        printf("ethernet\n");
    }
    if (EMACInterface *emac = net->emacInterface()) {
        emac->get_emac().get_mtu_size();
    }
    return net->disconnect();
}

}  // namespace

int main(int argc, char **argv) {
    // Linked but never run: running it would need a network backend.
    if (argc > 1 && argv[1][0] == 'r') {
        return run_application();
    }
    return 0;
}
