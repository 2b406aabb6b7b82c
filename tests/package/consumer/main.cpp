// An application outside the meshwork tree, built against the installed package.
#include "mbed.h"
#include "netsocket/SocketAddress.h"

int main() {
    SocketAddress addr("fe80:0:0::1", 5683);
    UDPSocket sock;  // constructible without a stack, as on Mbed
    printf("consumer: %s port %u %s %s\n", addr.get_ip_address(), addr.get_port(),
           addr.get_ip_version() == NSAPI_IPv6 ? "v6" : "v4",
           sock.send("x", 1) == NSAPI_ERROR_NO_ADDRESS ? "ok" : "bad");
    return 0;
}
