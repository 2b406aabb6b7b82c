// MQTT example: an ordinary Mbed application. It connects to a broker with a last will,
// publishes a retained "online" status, subscribes to its own topics, publishes at QoS 0, 1 and
// 2 and prints what comes back, waits for one command from another client, then disconnects.
#include "mbed.h"

#include "../common/example_config.h"
#include "meshwork/mqtt/MqttClient.h"

#ifndef MBED_CONF_APP_BROKER_HOST
#define MBED_CONF_APP_BROKER_HOST "127.0.0.1"
#endif
#ifndef MBED_CONF_APP_BROKER_PORT
#define MBED_CONF_APP_BROKER_PORT 1883
#endif
#ifndef MBED_CONF_APP_COMMAND_WAIT_S
#define MBED_CONF_APP_COMMAND_WAIT_S 0
#endif

using meshwork::mqtt::ConnectOptions;
using meshwork::mqtt::Message;
using meshwork::mqtt::MqttClient;

static int received = 0;
static bool command_seen = false;

static void on_message(const Message &m) {
    std::string text(m.payload.begin(), m.payload.end());
    printf("received %s \"%s\" qos=%d%s\n", m.topic.c_str(), text.c_str(), m.qos,
           m.retain ? " retained" : "");
    if (m.topic == "meshwork/example/command") {
        command_seen = true;
    } else {
        ++received;
    }
}

int main() {
    printf("MQTT example\n");
    NetworkInterface *net = NetworkInterface::get_default_instance();
    if (!net || net->connect() != NSAPI_ERROR_OK) {
        printf("Error: network connect failed\n");
        return 1;
    }
    SocketAddress broker;
    if (net->gethostbyname(APP_CONFIG_STR(MBED_CONF_APP_BROKER_HOST), &broker) != NSAPI_ERROR_OK) {
        printf("Error: cannot resolve the broker\n");
        return 1;
    }
    broker.set_port(APP_CONFIG_INT(MBED_CONF_APP_BROKER_PORT));

    TCPSocket socket;
    socket.open(net);
    socket.set_timeout(5000);
    nsapi_error_t e = socket.connect(broker);
    if (e != NSAPI_ERROR_OK) {
        printf("Error: TCP connect failed: %d\n", e);
        return 1;
    }

    MqttClient client;
    client.on_message(on_message);
    ConnectOptions options;
    options.client_id = "meshwork-mqtt-example";
    options.keep_alive_s = 20;
    options.has_will = true;
    options.will.topic = "meshwork/example/status";
    options.will.payload = {'o', 'f', 'f', 'l', 'i', 'n', 'e'};
    options.will.retain = true;
    e = client.connect(socket, options);
    if (e != NSAPI_ERROR_OK) {
        printf("Error: MQTT connect failed: %d\n", e);
        return 1;
    }
    printf("connected to %s:%d\n", broker.get_ip_address(), broker.get_port());

    client.publish("meshwork/example/status", "online", 1, true);
    e = client.subscribe("meshwork/example/#", 2);
    if (e != NSAPI_ERROR_OK) {
        printf("Error: subscribe failed: %d\n", e);
        return 1;
    }
    printf("subscribed to meshwork/example/#\n");
    for (int qos = 0; qos <= 2; ++qos) {
        char payload[32];
        snprintf(payload, sizeof payload, "hello at qos %d", qos);
        e = client.publish("meshwork/example/counter", payload, static_cast<uint8_t>(qos));
        printf("published qos=%d: %d\n", qos, e);
    }
    // The retained status plus three messages.
    for (int i = 0; i < 100 && received < 4; ++i) {
        client.yield(100);
    }
    const int wait_s = APP_CONFIG_INT(MBED_CONF_APP_COMMAND_WAIT_S);
    if (wait_s > 0) {
        printf("waiting for a command on meshwork/example/command\n");
        fflush(stdout);  // the test harness reads this line through a pipe
        for (int i = 0; i < wait_s * 10 && !command_seen && client.is_connected(); ++i) {
            client.yield(100);
        }
    }
    client.unsubscribe("meshwork/example/#");
    client.disconnect();
    socket.close();
    printf("MQTT example done: %d messages%s\n", received,
           command_seen ? ", command received" : "");
    return received == 4 && (wait_s == 0 || command_seen) ? 0 : 1;
}
