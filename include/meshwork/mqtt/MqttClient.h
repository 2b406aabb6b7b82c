// An MQTT 3.1.1 client for Mbed applications over any connected stream `Socket` (TCPSocket or
// TLSSocket). Blocking calls with a command timeout; yield(ms) processes incoming packets,
// answers the broker, keeps the connection alive (section 3.1.2.10) and calls the message
// callback. QoS 1 and 2 flows follow section 4.3; unacknowledged outgoing messages survive a
// reconnect with clean_session = false and are resent with DUP set (section 4.4).
// Not thread-safe: use one client from one thread (callbacks run on the calling thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "meshwork/mqtt/MqttCodec.h"
#include "netsocket/Socket.h"
#include "netsocket/nsapi_types.h"
#include "platform/Callback.h"
#include "rtos/Kernel.h"

namespace meshwork::mqtt {

struct ConnectOptions {
    std::string client_id;  // empty: the broker assigns one (needs clean_session)
    uint16_t keep_alive_s = 60;
    bool clean_session = true;
    bool has_will = false;
    Will will;
    bool has_username = false;
    std::string username;
    bool has_password = false;
    std::string password;
};

struct Message {
    std::string topic;
    std::vector<uint8_t> payload;
    uint8_t qos = 0;
    bool retain = false;
    bool dup = false;
};

class MqttClient {
  public:
    /// `max_packet_size` bounds incoming packets (larger ones drop the connection).
    explicit MqttClient(size_t max_packet_size = 1024 * 1024);
    MqttClient(const MqttClient &) = delete;
    MqttClient &operator=(const MqttClient &) = delete;

    /// Time each blocking call waits for its acknowledgement (default 10 s).
    void set_command_timeout(int ms) { command_timeout_ms_ = ms; }

    /// Called for every application message received (from connect(), publish(), subscribe(),
    /// unsubscribe() and yield()).
    void on_message(mbed::Callback<void(const Message &)> callback) { on_message_ = callback; }

    /// Sends CONNECT over `transport`, which must already be connected, and waits for CONNACK.
    /// OK; AUTH_FAILURE when the broker refuses (see connect_return_code()); TIMEOUT;
    /// CONNECTION_LOST when the transport fails or the broker breaks the protocol; PARAMETER
    /// for invalid options. The client keeps a reference to `transport` until disconnect()
    /// or the next connect().
    nsapi_error_t connect(Socket &transport, const ConnectOptions &options);

    /// QoS 0: sent. QoS 1/2: waits until the flow completes (TIMEOUT leaves it in flight, to
    /// be resent after a reconnect of a persistent session). PARAMETER for an invalid topic.
    nsapi_error_t publish(const std::string &topic, const void *payload, size_t size,
                          uint8_t qos = 0, bool retain = false);
    nsapi_error_t publish(const std::string &topic, const std::string &payload, uint8_t qos = 0,
                          bool retain = false) {
        return publish(topic, payload.data(), payload.size(), qos, retain);
    }
    /// A NUL-terminated text payload (the terminator is not sent).
    nsapi_error_t publish(const std::string &topic, const char *payload, uint8_t qos = 0,
                          bool retain = false) {
        return publish(topic, std::string(payload ? payload : ""), qos, retain);
    }

    /// Subscribes and waits for SUBACK. `granted` receives the broker's return code per filter
    /// (0..2 or kSubackFailure). A refusal of every filter returns NSAPI_ERROR_AUTH_FAILURE.
    nsapi_error_t subscribe(const std::vector<Subscription> &subscriptions,
                            std::vector<uint8_t> *granted = nullptr);
    nsapi_error_t subscribe(const std::string &filter, uint8_t qos = 0, uint8_t *granted = nullptr);

    nsapi_error_t unsubscribe(const std::vector<std::string> &filters);
    nsapi_error_t unsubscribe(const std::string &filter) {
        return unsubscribe(std::vector<std::string>{filter});
    }

    /// Processes incoming packets for `ms` milliseconds (0: only what is already there).
    /// OK, or CONNECTION_LOST / NO_CONNECTION once the connection is gone.
    nsapi_error_t yield(int ms);

    /// Sends DISCONNECT (the broker discards the will). The transport stays open: close it.
    nsapi_error_t disconnect();

    bool is_connected() const { return connected_; }
    bool session_present() const { return session_present_; }
    ConnectReturnCode connect_return_code() const { return return_code_; }
    /// The decode error that made the client drop the connection, kOk if none.
    CodecError last_codec_error() const { return codec_error_; }
    /// Outgoing QoS 1/2 messages not yet acknowledged.
    size_t in_flight() const { return outbound_.size(); }

  private:
    // Kernel::Clock reads the calling task's executor, so the client follows virtual time too.
    using Clock = rtos::Kernel::Clock;

    struct Outbound {
        Packet publish;
        bool released = false;  // QoS 2: PUBREC received, PUBREL sent, waiting for PUBCOMP
    };

    nsapi_error_t send_packet(const Packet &packet);
    /// Sends an acknowledgement packet (PUBACK, PUBREC, PUBREL, PUBCOMP) for `packet_id`.
    nsapi_error_t send_ack(PacketType type, uint16_t packet_id);
    /// Forgets an outbound publication of `qos` whose last acknowledgement has come.
    void finish_outbound(uint16_t packet_id, uint8_t qos);
    /// Reads and handles packets until `done()` or `deadline`. The connection's fate wins.
    template <typename Done>
    nsapi_error_t run_until(Clock::time_point deadline, Done done);
    /// Handles one packet; false on a protocol violation.
    bool handle(Packet &packet);
    nsapi_error_t service_keep_alive(Clock::time_point now);
    nsapi_error_t lose(CodecError why = CodecError::kOk);
    uint16_t next_packet_id();
    Clock::time_point deadline_in(int ms) const;

    Socket *transport_ = nullptr;
    size_t max_packet_size_;
    int command_timeout_ms_ = 10000;
    mbed::Callback<void(const Message &)> on_message_;
    bool connected_ = false;
    bool session_present_ = false;
    ConnectReturnCode return_code_ = ConnectReturnCode::kAccepted;
    CodecError codec_error_ = CodecError::kOk;
    uint16_t keep_alive_s_ = 0;
    uint16_t last_id_ = 0;
    Clock::time_point last_sent_{};
    bool ping_outstanding_ = false;
    Clock::time_point ping_sent_{};
    std::vector<uint8_t> rx_;
    std::map<uint16_t, Outbound> outbound_;
    std::set<uint16_t> inbound_qos2_;  // PUBREC sent, waiting for PUBREL (section 4.3.3)
    // The acknowledgement a blocking call waits for (CONNACK, SUBACK, UNSUBACK).
    PacketType awaited_type_ = PacketType::kPingreq;
    uint16_t awaited_id_ = 0;
    bool awaited_arrived_ = false;
    Packet awaited_;
};

}  // namespace meshwork::mqtt
