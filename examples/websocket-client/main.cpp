// WebSocket example: an ordinary Mbed application that opens a WebSocket to an echo server,
// exchanges a text and a (fragmented) binary message, pings, and closes with status 1000.
#include "mbed.h"

#include "../common/example_config.h"
#include "meshwork/websocket/WebSocketClient.h"

#ifndef MBED_CONF_APP_SERVER_HOST
#define MBED_CONF_APP_SERVER_HOST "127.0.0.1"
#endif
#ifndef MBED_CONF_APP_SERVER_PORT
#define MBED_CONF_APP_SERVER_PORT 8765
#endif

using meshwork::websocket::WebSocketClient;
using meshwork::websocket::WsMessage;

int main() {
    printf("WebSocket example\n");
    NetworkInterface *net = NetworkInterface::get_default_instance();
    if (!net || net->connect() != NSAPI_ERROR_OK) {
        printf("Error: network connect failed\n");
        return 1;
    }
    const char *host = APP_CONFIG_STR(MBED_CONF_APP_SERVER_HOST);
    const int port = APP_CONFIG_INT(MBED_CONF_APP_SERVER_PORT);
    SocketAddress server;
    if (net->gethostbyname(host, &server) != NSAPI_ERROR_OK) {
        printf("Error: cannot resolve %s\n", host);
        return 1;
    }
    server.set_port(port);

    TCPSocket socket;
    socket.open(net);
    socket.set_timeout(5000);
    if (socket.connect(server) != NSAPI_ERROR_OK) {
        printf("Error: TCP connect failed\n");
        return 1;
    }
    WebSocketClient ws;
    ws.set_fragment_size(16 * 1024);
    char host_header[64];
    snprintf(host_header, sizeof host_header, "%s:%d", host, port);
    nsapi_error_t e = ws.connect(socket, host_header, "/");
    if (e != NSAPI_ERROR_OK) {
        printf("Error: WebSocket handshake failed: %d (%s)\n", e, to_string(ws.error()));
        return 1;
    }
    printf("connected to ws://%s/\n", host_header);

    WsMessage reply;
    ws.send_text("hello, websocket");
    if (ws.receive(reply) != NSAPI_ERROR_OK || !reply.text) {
        printf("Error: no text echo\n");
        return 1;
    }
    printf("echo text: \"%s\"\n", reply.as_string().c_str());

    std::vector<uint8_t> blob(65536);
    for (size_t i = 0; i < blob.size(); ++i) {
        blob[i] = static_cast<uint8_t>(i * 7 + 3);
    }
    ws.send_binary(blob.data(), blob.size());
    if (ws.receive(reply) != NSAPI_ERROR_OK || reply.text) {
        printf("Error: no binary echo\n");
        return 1;
    }
    printf("echo binary: %u bytes, %s\n", static_cast<unsigned>(reply.data.size()),
           reply.data == blob ? "intact" : "CORRUPTED");

    ws.ping("are you there?");
    ws.send_text("after ping");
    if (ws.receive(reply) == NSAPI_ERROR_OK) {
        printf("echo text: \"%s\" (pongs so far: %u)\n", reply.as_string().c_str(), ws.pongs());
    }

    e = ws.close(1000, "done");
    printf("closed with status %d: %d\n", ws.close_code(), e);
    socket.close();
    return e == NSAPI_ERROR_OK && reply.as_string() == "after ping" ? 0 : 1;
}
