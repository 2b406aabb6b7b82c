// MqttClient over TCPSocket on the host stack against an in-process scripted broker on
// loopback: the test thread plays the broker's part packet by packet with kernel sockets.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "TCPSocket.h"
#include "meshwork/HostStack.h"
#include "meshwork/mqtt/MqttClient.h"

using namespace meshwork::mqtt;
using Bytes = std::vector<uint8_t>;

namespace {

/// The broker side: a listening kernel socket on 127.0.0.1 and one accepted connection.
class ScriptedBroker {
  public:
    ScriptedBroker() {
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(listen_fd_, reinterpret_cast<sockaddr *>(&a), sizeof a);
        ::listen(listen_fd_, 4);
        socklen_t len = sizeof a;
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr *>(&a), &len);
        port_ = ntohs(a.sin_port);
    }
    ~ScriptedBroker() {
        drop();
        ::close(listen_fd_);
    }
    uint16_t port() const { return port_; }

    bool accept() {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 10000) != 1) {
            return false;
        }
        fd_ = ::accept(listen_fd_, nullptr, nullptr);
        rx_.clear();
        return fd_ >= 0;
    }
    void drop() {
        if (fd_ >= 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }
    void send(const Packet &p) {
        Bytes b;
        ASSERT_EQ(CodecError::kOk, encode(p, b));
        send_raw(b);
    }
    void send_raw(const Bytes &b) {
        ASSERT_EQ(ssize_t(b.size()), ::send(fd_, b.data(), b.size(), MSG_NOSIGNAL));
    }
    /// The next packet from the client; type kPingreq with packet_id 0xFFFF on timeout/EOF.
    bool read(Packet &out, int timeout_ms = 10000) {
        while (true) {
            size_t used = 0;
            const CodecError e = decode(rx_.data(), rx_.size(), out, &used);
            if (e == CodecError::kOk) {
                rx_.erase(rx_.begin(), rx_.begin() + static_cast<std::ptrdiff_t>(used));
                return true;
            }
            if (e != CodecError::kIncomplete) {
                return false;
            }
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, timeout_ms) != 1) {
                return false;
            }
            uint8_t buf[4096];
            const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) {
                return false;
            }
            rx_.insert(rx_.end(), buf, buf + n);
        }
    }
    Packet expect(PacketType type) {
        Packet p;
        EXPECT_TRUE(read(p)) << "no packet of type " << int(type);
        EXPECT_EQ(type, p.type);
        return p;
    }
    /// Reads CONNECT and answers CONNACK.
    Packet handshake(bool session_present = false,
                     ConnectReturnCode rc = ConnectReturnCode::kAccepted) {
        Packet c = expect(PacketType::kConnect);
        Packet a;
        a.type = PacketType::kConnack;
        a.session_present = session_present;
        a.return_code = rc;
        send(a);
        return c;
    }

  private:
    int listen_fd_ = -1;
    int fd_ = -1;
    uint16_t port_ = 0;
    Bytes rx_;
};

Packet ack(PacketType t, uint16_t id) {
    Packet p;
    p.type = t;
    p.packet_id = id;
    return p;
}

class MqttClientTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(NSAPI_ERROR_OK, socket_.open(&stack_));
        socket_.set_timeout(10000);
        ASSERT_EQ(NSAPI_ERROR_OK, socket_.connect(SocketAddress("127.0.0.1", broker_.port())));
        ASSERT_TRUE(broker_.accept());
        client_.set_command_timeout(10000);
        client_.on_message([this](const Message &m) { messages_.push_back(m); });
    }
    /// Runs `client_side` on a thread while the test thread plays the broker.
    template <typename F>
    void client_thread(F f) {
        worker_ = std::thread(f);
    }
    void join() {
        if (worker_.joinable()) {
            worker_.join();
        }
    }
    void TearDown() override { join(); }

    meshwork::HostStack stack_;
    ScriptedBroker broker_;
    TCPSocket socket_;
    MqttClient client_;
    std::vector<Message> messages_;
    std::thread worker_;
};

}  // namespace

TEST_F(MqttClientTest, ConnectSendsOptionsAndAcceptsConnack) {
    nsapi_error_t result = 1;
    ConnectOptions o;
    o.client_id = "dev-1";
    o.keep_alive_s = 30;
    o.clean_session = false;
    o.has_will = true;
    o.will.topic = "dev/1/status";
    o.will.payload = {'o', 'f', 'f'};
    o.will.qos = 1;
    o.will.retain = true;
    o.has_username = true;
    o.username = "user";
    o.has_password = true;
    o.password = "secret";
    client_thread([&] { result = client_.connect(socket_, o); });
    const Packet c = broker_.handshake(true);
    join();
    EXPECT_EQ(NSAPI_ERROR_OK, result);
    EXPECT_TRUE(client_.is_connected());
    EXPECT_TRUE(client_.session_present());
    EXPECT_EQ("dev-1", c.client_id);
    EXPECT_EQ(30, c.keep_alive_s);
    EXPECT_FALSE(c.clean_session);
    EXPECT_TRUE(c.has_will);
    EXPECT_EQ("dev/1/status", c.will.topic);
    EXPECT_EQ(1, c.will.qos);
    EXPECT_TRUE(c.will.retain);
    EXPECT_EQ("user", c.username);
    EXPECT_EQ((Bytes{'s', 'e', 'c', 'r', 'e', 't'}), c.password);

    client_thread([&] { result = client_.disconnect(); });
    broker_.expect(PacketType::kDisconnect);
    join();
    EXPECT_EQ(NSAPI_ERROR_OK, result);
    EXPECT_FALSE(client_.is_connected());
}

TEST_F(MqttClientTest, RefusedConnectionIsAuthFailure) {
    nsapi_error_t result = 1;
    ConnectOptions o;
    o.client_id = "x";
    client_thread([&] { result = client_.connect(socket_, o); });
    broker_.handshake(false, ConnectReturnCode::kBadUsernameOrPassword);
    join();
    EXPECT_EQ(NSAPI_ERROR_AUTH_FAILURE, result);
    EXPECT_EQ(ConnectReturnCode::kBadUsernameOrPassword, client_.connect_return_code());
    EXPECT_FALSE(client_.is_connected());
    EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION, client_.publish("t", "x"));
}

TEST_F(MqttClientTest, PublishQos0Qos1Qos2Flows) {
    nsapi_error_t r0 = 1, r1 = 1, r2 = 1;
    client_thread([&] {
        ConnectOptions o;
        o.client_id = "p";
        if (client_.connect(socket_, o) != NSAPI_ERROR_OK) {
            return;
        }
        r0 = client_.publish("a/0", "zero", 0);
        r1 = client_.publish("a/1", "one", 1, true);
        r2 = client_.publish("a/2", "two", 2);
    });
    broker_.handshake();
    Packet p0 = broker_.expect(PacketType::kPublish);
    EXPECT_EQ("a/0", p0.topic);
    EXPECT_EQ(0, p0.qos);
    Packet p1 = broker_.expect(PacketType::kPublish);
    EXPECT_EQ(1, p1.qos);
    EXPECT_TRUE(p1.retain);
    EXPECT_NE(0, p1.packet_id);
    EXPECT_EQ((Bytes{'o', 'n', 'e'}), p1.payload);
    broker_.send(ack(PacketType::kPuback, p1.packet_id));
    Packet p2 = broker_.expect(PacketType::kPublish);
    EXPECT_EQ(2, p2.qos);
    EXPECT_NE(p1.packet_id, p2.packet_id);
    broker_.send(ack(PacketType::kPubrec, p2.packet_id));
    Packet rel = broker_.expect(PacketType::kPubrel);
    EXPECT_EQ(p2.packet_id, rel.packet_id);
    broker_.send(ack(PacketType::kPubcomp, p2.packet_id));
    join();
    EXPECT_EQ(NSAPI_ERROR_OK, r0);
    EXPECT_EQ(NSAPI_ERROR_OK, r1);
    EXPECT_EQ(NSAPI_ERROR_OK, r2);
    EXPECT_EQ(0u, client_.in_flight());
}

TEST_F(MqttClientTest, SubscribeReceiveAllQosAndUnsubscribe) {
    std::vector<uint8_t> granted;
    nsapi_error_t sub = 1, unsub = 1;
    std::atomic<bool> stop{false};
    client_thread([&] {
        ConnectOptions o;
        o.client_id = "s";
        if (client_.connect(socket_, o) != NSAPI_ERROR_OK) {
            return;
        }
        sub = client_.subscribe({{"a/+", 2}, {"b/#", 0}, {"denied", 1}}, &granted);
        while (!stop && messages_.size() < 3) {
            if (client_.yield(100) != NSAPI_ERROR_OK) {
                return;
            }
        }
        unsub = client_.unsubscribe("a/+");
    });
    broker_.handshake();
    Packet s = broker_.expect(PacketType::kSubscribe);
    ASSERT_EQ(3u, s.subscriptions.size());
    EXPECT_EQ("a/+", s.subscriptions[0].filter);
    EXPECT_EQ(2, s.subscriptions[0].qos);
    Packet sa = ack(PacketType::kSuback, s.packet_id);
    sa.return_codes = {2, 0, kSubackFailure};
    broker_.send(sa);

    Packet m;
    m.type = PacketType::kPublish;
    m.topic = "a/x";
    m.payload = {'0'};
    broker_.send(m);
    m.qos = 1;
    m.packet_id = 10;
    m.payload = {'1'};
    m.retain = true;
    broker_.send(m);
    EXPECT_EQ(10, broker_.expect(PacketType::kPuback).packet_id);
    m.qos = 2;
    m.packet_id = 11;
    m.payload = {'2'};
    m.retain = false;
    broker_.send(m);
    EXPECT_EQ(11, broker_.expect(PacketType::kPubrec).packet_id);
    m.dup = true;
    broker_.send(m);  // a resend before PUBREL: acknowledged again, delivered once
    EXPECT_EQ(11, broker_.expect(PacketType::kPubrec).packet_id);
    broker_.send(ack(PacketType::kPubrel, 11));
    EXPECT_EQ(11, broker_.expect(PacketType::kPubcomp).packet_id);
    Packet u = broker_.expect(PacketType::kUnsubscribe);
    EXPECT_EQ("a/+", u.subscriptions.at(0).filter);
    broker_.send(ack(PacketType::kUnsuback, u.packet_id));
    stop = true;
    join();
    EXPECT_EQ(NSAPI_ERROR_OK, sub);
    EXPECT_EQ((std::vector<uint8_t>{2, 0, kSubackFailure}), granted);
    EXPECT_EQ(NSAPI_ERROR_OK, unsub);
    ASSERT_EQ(3u, messages_.size());
    EXPECT_EQ("a/x", messages_[0].topic);
    EXPECT_EQ((Bytes{'0'}), messages_[0].payload);
    EXPECT_EQ(1, messages_[1].qos);
    EXPECT_TRUE(messages_[1].retain);
    EXPECT_EQ(2, messages_[2].qos);
}

TEST_F(MqttClientTest, YieldZeroPollsWithoutWaiting) {
    std::atomic<bool> sent{false};
    client_thread([&] {
        ConnectOptions o;
        o.client_id = "poll";
        if (client_.connect(socket_, o) != NSAPI_ERROR_OK) {
            return;
        }
        while (!sent) {
            std::this_thread::yield();
        }
        // Bounded only to end a broken run: each yield(0) returns without waiting.
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (messages_.empty() && std::chrono::steady_clock::now() < give_up) {
            if (client_.yield(0) != NSAPI_ERROR_OK) {
                return;
            }
        }
    });
    broker_.handshake();
    Packet m;
    m.type = PacketType::kPublish;
    m.topic = "polled";
    broker_.send(m);
    sent = true;
    join();
    ASSERT_EQ(1u, messages_.size());
    EXPECT_EQ("polled", messages_[0].topic);
}

TEST_F(MqttClientTest, KeepAlivePingsAndDetectsASilentBroker) {
    nsapi_error_t first = 1, second = 1;
    client_thread([&] {
        ConnectOptions o;
        o.client_id = "k";
        o.keep_alive_s = 1;
        client_.set_command_timeout(1500);
        if (client_.connect(socket_, o) != NSAPI_ERROR_OK) {
            return;
        }
        first = client_.yield(1500);  // one PINGREQ, answered
        // The broker now stays silent: the next ping goes unanswered.
        for (int i = 0; i < 100 && second != NSAPI_ERROR_CONNECTION_LOST; ++i) {
            second = client_.yield(200);
        }
    });
    broker_.handshake();
    broker_.expect(PacketType::kPingreq);
    broker_.send(ack(PacketType::kPingresp, 0));
    broker_.expect(PacketType::kPingreq);
    join();
    EXPECT_EQ(NSAPI_ERROR_OK, first);
    EXPECT_EQ(NSAPI_ERROR_CONNECTION_LOST, second);
    EXPECT_FALSE(client_.is_connected());
}

TEST_F(MqttClientTest, ClosedConnectionIsReported) {
    nsapi_error_t result = 1;
    client_thread([&] {
        ConnectOptions o;
        o.client_id = "c";
        if (client_.connect(socket_, o) != NSAPI_ERROR_OK) {
            return;
        }
        result = client_.yield(10000);
    });
    broker_.handshake();
    broker_.drop();
    join();
    EXPECT_EQ(NSAPI_ERROR_CONNECTION_LOST, result);
    EXPECT_EQ(NSAPI_ERROR_CONNECTION_LOST, client_.yield(0));
}

TEST_F(MqttClientTest, MalformedPacketDropsTheConnection) {
    nsapi_error_t result = 1;
    client_thread([&] {
        ConnectOptions o;
        o.client_id = "m";
        if (client_.connect(socket_, o) != NSAPI_ERROR_OK) {
            return;
        }
        result = client_.yield(10000);
    });
    broker_.handshake();
    broker_.send_raw({0x30, 3, 0, 1, '#'});  // PUBLISH to a wildcard topic name
    join();
    EXPECT_EQ(NSAPI_ERROR_CONNECTION_LOST, result);
    EXPECT_EQ(CodecError::kBadTopic, client_.last_codec_error());
}

TEST_F(MqttClientTest, PersistentSessionResendsUnacknowledgedMessages) {
    nsapi_error_t timed_out = 1, reconnected = 1;
    TCPSocket second;
    client_thread([&] {
        ConnectOptions o;
        o.client_id = "persist";
        o.clean_session = false;
        client_.set_command_timeout(300);
        if (client_.connect(socket_, o) != NSAPI_ERROR_OK) {
            return;
        }
        timed_out = client_.publish("q/1", "m", 1);  // the broker never acknowledges
        socket_.close();
        client_.set_command_timeout(10000);
        if (second.open(&stack_) != NSAPI_ERROR_OK ||
            second.connect(SocketAddress("127.0.0.1", broker_.port())) != NSAPI_ERROR_OK) {
            return;
        }
        reconnected = client_.connect(second, o);
        if (reconnected == NSAPI_ERROR_OK) {
            client_.yield(2000);  // processes the PUBACK for the resent message
        }
    });
    broker_.handshake();
    Packet first = broker_.expect(PacketType::kPublish);
    EXPECT_FALSE(first.dup);
    ASSERT_TRUE(broker_.accept());
    broker_.handshake(true);
    Packet again = broker_.expect(PacketType::kPublish);
    EXPECT_TRUE(again.dup);
    EXPECT_EQ(first.packet_id, again.packet_id);
    broker_.send(ack(PacketType::kPuback, again.packet_id));
    join();
    EXPECT_EQ(NSAPI_ERROR_TIMEOUT, timed_out);
    EXPECT_EQ(NSAPI_ERROR_OK, reconnected);
    EXPECT_EQ(0u, client_.in_flight());
}

TEST(MqttClientParams, InvalidArgumentsAreRejectedBeforeSending) {
    MqttClient client;
    EXPECT_EQ(NSAPI_ERROR_PARAMETER, client.publish("a/#", "x"));
    EXPECT_EQ(NSAPI_ERROR_PARAMETER, client.publish("a", "x", 3));
    EXPECT_EQ(NSAPI_ERROR_PARAMETER, client.subscribe("a/#/b"));
    EXPECT_EQ(NSAPI_ERROR_PARAMETER, client.unsubscribe("a+"));
    EXPECT_EQ(NSAPI_ERROR_PARAMETER, client.publish("bad\xFF", "x", 1));
    EXPECT_EQ(NSAPI_ERROR_PARAMETER, client.subscribe("bad\xFF/#"));
    EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION, client.publish("a", "x"));
    EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION, client.yield(0));
    EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION, client.disconnect());
}
