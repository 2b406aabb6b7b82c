// MqttClient (TCPSocket on the host stack) against mosquitto on 127.0.0.1: QoS 0/1/2 delivery,
// retained messages, last will on an abrupt close, reconnect after a broker restart.
#include <gtest/gtest.h>

#include <memory>

#include "ChildProcess.h"
#include "TCPSocket.h"
#include "TempDir.h"
#include "meshwork/HostStack.h"
#include "meshwork/mqtt/MqttClient.h"
#if MESHWORK_MQTT_TLS
#include "netsocket/TLSSocket.h"
#include "support/TestCerts.h"
#endif

using namespace meshwork::mqtt;
using meshwork::test::ChildProcess;

namespace {

class Broker {
  public:
    /// `tls_dir`: a folder with ca.crt, server.crt and server.key for a TLS listener.
    bool start(uint16_t port, const std::string &tls_dir = "") {
        port_ = port;
        if (!dir_.ok()) {
            return false;
        }
        const std::string &dir = dir_.path();
        const std::string conf = dir + "/mosquitto-" + std::to_string(port) + ".conf";
        std::ofstream(conf) << "listener " << port << " 127.0.0.1\n"
                            << "allow_anonymous true\n"
                            << "persistence false\n";
        if (!tls_dir.empty()) {
            // Run as root (as in a container), mosquitto drops to user "mosquitto" before
            // reading certificates; the test's temporary files are private, so stay root.
            if (::geteuid() == 0) {
                std::ofstream(conf, std::ios::app) << "user root\n";
            }
            std::ofstream(conf, std::ios::app) << "cafile " << tls_dir << "/ca.crt\n"
                                               << "certfile " << tls_dir << "/server.crt\n"
                                               << "keyfile " << tls_dir << "/server.key\n";
        }
        return process_.start({MESHWORK_MOSQUITTO, "-c", conf, "-v"},
                              dir + "/mosquitto-" + std::to_string(port) + ".log") &&
               meshwork::test::wait_for_listener(port);
    }
    void stop() { process_.stop(); }
    uint16_t port() const { return port_; }
    std::string log() const { return process_.log(); }

  private:
    meshwork::test::TempDir dir_{"meshwork-mosquitto"};  // configuration and log; outlives process_
    ChildProcess process_;
    uint16_t port_ = 0;
};

/// One client connection with the messages it has received.
struct Peer {
    explicit Peer(meshwork::HostStack &stack) : stack(stack) {
        client.set_command_timeout(10000);
        client.on_message([this](const Message &m) { messages.push_back(m); });
    }
    nsapi_error_t connect(uint16_t port, ConnectOptions options) {
        socket.close();
        nsapi_error_t e = socket.open(&stack);
        if (e != NSAPI_ERROR_OK) {
            return e;
        }
        socket.set_timeout(5000);
        e = socket.connect(SocketAddress("127.0.0.1", port));
        if (e != NSAPI_ERROR_OK) {
            return e;
        }
        return client.connect(socket, options);
    }
    /// Yields until `count` messages have arrived (guard: 10 s).
    bool wait_messages(size_t count) {
        for (int i = 0; i < 100 && messages.size() < count; ++i) {
            if (client.yield(100) != NSAPI_ERROR_OK) {
                return false;
            }
        }
        return messages.size() >= count;
    }
    meshwork::HostStack &stack;
    TCPSocket socket;
    MqttClient client;
    std::vector<Message> messages;
};

ConnectOptions options(const std::string &id) {
    ConnectOptions o;
    o.client_id = id;
    o.keep_alive_s = 10;
    return o;
}

std::string text(const Message &m) {
    return std::string(m.payload.begin(), m.payload.end());
}

class MqttMosquitto : public ::testing::Test {
  protected:
    void SetUp() override {
        if (std::string(MESHWORK_MOSQUITTO).empty()) {
            GTEST_SKIP() << "mosquitto is not installed (Debian package mosquitto)";
        }
        ASSERT_TRUE(broker_.start(meshwork::test::free_loopback_port())) << broker_.log();
    }
    void TearDown() override { broker_.stop(); }

    meshwork::HostStack stack_;
    Broker broker_;
};

}  // namespace

TEST_F(MqttMosquitto, PublishAndSubscribeAtEveryQos) {
    Peer sub(stack_), pub(stack_);
    ASSERT_EQ(NSAPI_ERROR_OK, sub.connect(broker_.port(), options("sub")));
    ASSERT_EQ(NSAPI_ERROR_OK, pub.connect(broker_.port(), options("pub")));
    std::vector<uint8_t> granted;
    ASSERT_EQ(NSAPI_ERROR_OK, sub.client.subscribe({{"qos/+", 2}, {"other/#", 1}}, &granted));
    EXPECT_EQ((std::vector<uint8_t>{2, 1}), granted);
    for (uint8_t qos = 0; qos <= 2; ++qos) {
        EXPECT_EQ(NSAPI_ERROR_OK,
                  pub.client.publish("qos/" + std::to_string(qos), "m" + std::to_string(qos), qos));
    }
    EXPECT_EQ(0u, pub.client.in_flight());
    ASSERT_TRUE(sub.wait_messages(3)) << broker_.log();
    for (uint8_t qos = 0; qos <= 2; ++qos) {
        EXPECT_EQ("qos/" + std::to_string(qos), sub.messages[qos].topic);
        EXPECT_EQ("m" + std::to_string(qos), text(sub.messages[qos]));
        EXPECT_EQ(qos, sub.messages[qos].qos);
        EXPECT_FALSE(sub.messages[qos].retain);
    }
    // A large QoS 1 message, and nothing more after unsubscribing.
    const std::string big(200000, 'z');
    EXPECT_EQ(NSAPI_ERROR_OK, pub.client.publish("qos/big", big, 1));
    ASSERT_TRUE(sub.wait_messages(4));
    EXPECT_EQ(big, text(sub.messages[3]));
    ASSERT_EQ(NSAPI_ERROR_OK, sub.client.unsubscribe("qos/+"));
    EXPECT_EQ(NSAPI_ERROR_OK, pub.client.publish("qos/late", "x", 1));
    EXPECT_EQ(NSAPI_ERROR_OK, pub.client.publish("other/a/b", "y", 1));
    ASSERT_TRUE(sub.wait_messages(5));
    EXPECT_EQ("other/a/b", sub.messages[4].topic);
    EXPECT_EQ(1, sub.messages[4].qos);
    sub.client.yield(300);
    EXPECT_EQ(5u, sub.messages.size());
    EXPECT_EQ(NSAPI_ERROR_OK, sub.client.disconnect());
    EXPECT_EQ(NSAPI_ERROR_OK, pub.client.disconnect());
}

TEST_F(MqttMosquitto, RetainedMessageReachesALateSubscriber) {
    Peer pub(stack_), late(stack_);
    ASSERT_EQ(NSAPI_ERROR_OK, pub.connect(broker_.port(), options("retainer")));
    ASSERT_EQ(NSAPI_ERROR_OK, pub.client.publish("state/lamp", "on", 1, true));
    ASSERT_EQ(NSAPI_ERROR_OK, late.connect(broker_.port(), options("late")));
    ASSERT_EQ(NSAPI_ERROR_OK, late.client.subscribe("state/#", 1));
    ASSERT_TRUE(late.wait_messages(1));
    EXPECT_EQ("state/lamp", late.messages[0].topic);
    EXPECT_EQ("on", text(late.messages[0]));
    EXPECT_TRUE(late.messages[0].retain);
}

TEST_F(MqttMosquitto, LastWillIsDeliveredWhenAClientVanishes) {
    Peer watcher(stack_), doomed(stack_);
    ASSERT_EQ(NSAPI_ERROR_OK, watcher.connect(broker_.port(), options("watcher")));
    ASSERT_EQ(NSAPI_ERROR_OK, watcher.client.subscribe("status/#", 1));
    ConnectOptions o = options("doomed");
    o.has_will = true;
    o.will.topic = "status/doomed";
    o.will.payload = {'g', 'o', 'n', 'e'};
    o.will.qos = 1;
    ASSERT_EQ(NSAPI_ERROR_OK, doomed.connect(broker_.port(), o));
    doomed.socket.close();  // no DISCONNECT: the broker must publish the will
    ASSERT_TRUE(watcher.wait_messages(1)) << broker_.log();
    EXPECT_EQ("status/doomed", watcher.messages[0].topic);
    EXPECT_EQ("gone", text(watcher.messages[0]));
    EXPECT_EQ(1, watcher.messages[0].qos);
}

TEST_F(MqttMosquitto, OrderlyDisconnectSuppressesTheWill) {
    Peer watcher(stack_), polite(stack_);
    ASSERT_EQ(NSAPI_ERROR_OK, watcher.connect(broker_.port(), options("watcher2")));
    ASSERT_EQ(NSAPI_ERROR_OK, watcher.client.subscribe("status/#", 0));
    ConnectOptions o = options("polite");
    o.has_will = true;
    o.will.topic = "status/polite";
    o.will.payload = {'x'};
    ASSERT_EQ(NSAPI_ERROR_OK, polite.connect(broker_.port(), o));
    ASSERT_EQ(NSAPI_ERROR_OK, polite.client.disconnect());
    polite.socket.close();
    EXPECT_EQ(NSAPI_ERROR_OK, watcher.client.publish("status/marker", "m", 1));
    ASSERT_TRUE(watcher.wait_messages(1));
    watcher.client.yield(300);
    ASSERT_EQ(1u, watcher.messages.size());
    EXPECT_EQ("status/marker", watcher.messages[0].topic);
}

TEST_F(MqttMosquitto, PersistentSessionQueuesWhileOffline) {
    Peer sleeper(stack_), pub(stack_);
    ConnectOptions o = options("sleeper");
    o.clean_session = false;
    ASSERT_EQ(NSAPI_ERROR_OK, sleeper.connect(broker_.port(), o));
    EXPECT_FALSE(sleeper.client.session_present());
    ASSERT_EQ(NSAPI_ERROR_OK, sleeper.client.subscribe("inbox/#", 1));
    ASSERT_EQ(NSAPI_ERROR_OK, sleeper.client.disconnect());
    sleeper.socket.close();

    ASSERT_EQ(NSAPI_ERROR_OK, pub.connect(broker_.port(), options("sender")));
    ASSERT_EQ(NSAPI_ERROR_OK, pub.client.publish("inbox/1", "while you were out", 1));

    // The broker kept the subscription and queued the QoS 1 message for the session.
    ASSERT_EQ(NSAPI_ERROR_OK, sleeper.connect(broker_.port(), o));
    EXPECT_TRUE(sleeper.client.session_present());
    ASSERT_TRUE(sleeper.wait_messages(1)) << broker_.log();
    EXPECT_EQ("inbox/1", sleeper.messages[0].topic);
    EXPECT_EQ("while you were out", text(sleeper.messages[0]));
}

TEST_F(MqttMosquitto, ReconnectsAfterTheBrokerRestarts) {
    Peer peer(stack_);
    ConnectOptions o = options("phoenix");
    o.keep_alive_s = 2;
    peer.client.set_command_timeout(2000);
    ASSERT_EQ(NSAPI_ERROR_OK, peer.connect(broker_.port(), o));
    ASSERT_EQ(NSAPI_ERROR_OK, peer.client.subscribe("echo", 1));

    broker_.stop();
    nsapi_error_t e = NSAPI_ERROR_OK;
    for (int i = 0; i < 100 && e == NSAPI_ERROR_OK; ++i) {
        e = peer.client.yield(100);
    }
    EXPECT_EQ(NSAPI_ERROR_CONNECTION_LOST, e);
    EXPECT_FALSE(peer.client.is_connected());

    ASSERT_TRUE(broker_.start(broker_.port())) << broker_.log();
    e = NSAPI_ERROR_NO_CONNECTION;
    for (int attempt = 0; attempt < 20 && e != NSAPI_ERROR_OK; ++attempt) {
        e = peer.connect(broker_.port(), o);
    }
    ASSERT_EQ(NSAPI_ERROR_OK, e);
    // A fresh broker has no session: subscribe again, then hear our own message.
    ASSERT_EQ(NSAPI_ERROR_OK, peer.client.subscribe("echo", 1));
    ASSERT_EQ(NSAPI_ERROR_OK, peer.client.publish("echo", "back", 1));
    ASSERT_TRUE(peer.wait_messages(1));
    EXPECT_EQ("back", text(peer.messages[0]));
}

#if MESHWORK_MQTT_TLS
// MQTT over TLS: the same client on a TLSSocket (through Socket&), against a mosquitto TLS
// listener whose certificate chains to a CA generated at test time.
TEST(MqttMosquittoTls, PublishAndSubscribeOverTls) {
    if (std::string(MESHWORK_MOSQUITTO).empty()) {
        GTEST_SKIP() << "mosquitto is not installed (Debian package mosquitto)";
    }
    const auto &certs = meshwork::test::TestCerts::get();
    ASSERT_TRUE(certs.ok) << "openssl could not make certificates";
    Broker broker;
    ASSERT_TRUE(broker.start(meshwork::test::free_loopback_port(), certs.dir)) << broker.log();
    meshwork::HostStack stack;
    TLSSocket tls;
    ASSERT_EQ(NSAPI_ERROR_OK, tls.open(&stack));
    ASSERT_EQ(NSAPI_ERROR_OK, tls.set_root_ca_cert(certs.ca_pem.c_str()));
    tls.set_hostname("localhost");
    tls.set_timeout(15000);
    ASSERT_EQ(NSAPI_ERROR_OK, tls.connect(SocketAddress("127.0.0.1", broker.port())))
        << broker.log();
    MqttClient client;
    std::vector<Message> received;
    client.on_message([&](const Message &m) { received.push_back(m); });
    ASSERT_EQ(NSAPI_ERROR_OK, client.connect(tls, options("tls-client")));
    ASSERT_EQ(NSAPI_ERROR_OK, client.subscribe("secure/#", 2));
    ASSERT_EQ(NSAPI_ERROR_OK, client.publish("secure/a", "over tls", 2));
    for (int i = 0; i < 100 && received.empty(); ++i) {
        ASSERT_EQ(NSAPI_ERROR_OK, client.yield(100));
    }
    ASSERT_EQ(1u, received.size());
    EXPECT_EQ("over tls", text(received[0]));
    EXPECT_EQ(2, received[0].qos);
    EXPECT_EQ(NSAPI_ERROR_OK, client.disconnect());
    tls.close();
}
#endif
