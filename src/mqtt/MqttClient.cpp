// MQTT 3.1.1 client state machine (see MqttClient.h).
#include "meshwork/mqtt/MqttClient.h"

#include <algorithm>

#include "meshwork/mqtt/MqttTopic.h"

namespace meshwork::mqtt {

namespace {
constexpr size_t kReadChunk = 4096;
}

MqttClient::MqttClient(size_t max_packet_size) : max_packet_size_(max_packet_size) {}

MqttClient::Clock::time_point MqttClient::deadline_in(int ms) const {
    return Clock::now() + std::chrono::milliseconds(std::max(ms, 0));
}

uint16_t MqttClient::next_packet_id() {
    // Identifiers in use by an unfinished outgoing flow are skipped (section 2.3.1).
    do {
        last_id_ = static_cast<uint16_t>(last_id_ == 0xFFFF ? 1 : last_id_ + 1);
    } while (outbound_.count(last_id_) != 0);
    return last_id_;
}

nsapi_error_t MqttClient::lose(CodecError why) {
    if (why != CodecError::kOk) {
        codec_error_ = why;
    }
    connected_ = false;
    ping_outstanding_ = false;
    rx_.clear();
    return NSAPI_ERROR_CONNECTION_LOST;
}

nsapi_error_t MqttClient::send_packet(const Packet &packet) {
    if (transport_ == nullptr) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    std::vector<uint8_t> bytes;
    if (encode(packet, bytes) != CodecError::kOk) {
        return NSAPI_ERROR_PARAMETER;
    }
    transport_->set_timeout(command_timeout_ms_);
    size_t sent = 0;
    while (sent < bytes.size()) {
        const nsapi_size_or_error_t n = transport_->send(bytes.data() + sent, bytes.size() - sent);
        if (n <= 0) {
            return lose();
        }
        sent += static_cast<size_t>(n);
    }
    last_sent_ = Clock::now();
    return NSAPI_ERROR_OK;
}

nsapi_error_t MqttClient::service_keep_alive(Clock::time_point now) {
    if (keep_alive_s_ == 0) {
        return NSAPI_ERROR_OK;
    }
    const auto period = std::chrono::seconds(keep_alive_s_);
    if (ping_outstanding_) {
        // No PINGRESP within a keep-alive period (or the command timeout): the broker is gone
        // (section 3.1.2.10 leaves the wait to the client).
        const auto limit =
            std::min<Clock::duration>(period, std::chrono::milliseconds(command_timeout_ms_));
        if (now - ping_sent_ >= limit) {
            return lose();
        }
        return NSAPI_ERROR_OK;
    }
    if (now - last_sent_ >= period) {
        Packet ping;
        ping.type = PacketType::kPingreq;
        const nsapi_error_t e = send_packet(ping);
        if (e != NSAPI_ERROR_OK) {
            return e;
        }
        ping_outstanding_ = true;
        ping_sent_ = Clock::now();
    }
    return NSAPI_ERROR_OK;
}

nsapi_error_t MqttClient::send_ack(PacketType type, uint16_t packet_id) {
    Packet ack;
    ack.type = type;
    ack.packet_id = packet_id;
    return send_packet(ack);
}

void MqttClient::finish_outbound(uint16_t packet_id, uint8_t qos) {
    auto it = outbound_.find(packet_id);
    if (it != outbound_.end() && it->second.publish.qos == qos) {
        outbound_.erase(it);
    }
}

bool MqttClient::handle(Packet &p) {
    switch (p.type) {
        case PacketType::kPublish: {
            if (p.qos == 2) {
                // Deliver once: a resent PUBLISH whose PUBREL has not arrived is a duplicate.
                const bool fresh = inbound_qos2_.insert(p.packet_id).second;
                if (send_ack(PacketType::kPubrec, p.packet_id) != NSAPI_ERROR_OK) {
                    return true;
                }
                if (!fresh) {
                    return true;
                }
            } else if (p.qos == 1) {
                if (send_ack(PacketType::kPuback, p.packet_id) != NSAPI_ERROR_OK) {
                    return true;
                }
            }
            if (on_message_) {
                Message m;
                m.topic = std::move(p.topic);
                m.payload = std::move(p.payload);
                m.qos = p.qos;
                m.retain = p.retain;
                m.dup = p.dup;
                on_message_(m);
            }
            return true;
        }
        case PacketType::kPubrel: {
            inbound_qos2_.erase(p.packet_id);
            send_ack(PacketType::kPubcomp, p.packet_id);
            return true;
        }
        case PacketType::kPuback:
            finish_outbound(p.packet_id, 1);
            return true;
        case PacketType::kPubrec: {
            auto it = outbound_.find(p.packet_id);
            if (it != outbound_.end() && it->second.publish.qos == 2) {
                it->second.released = true;
            }
            // PUBREL is sent even for an unknown id so the broker can finish (section 4.3.3).
            send_ack(PacketType::kPubrel, p.packet_id);
            return true;
        }
        case PacketType::kPubcomp:
            finish_outbound(p.packet_id, 2);
            return true;
        case PacketType::kPingresp:
            ping_outstanding_ = false;
            return true;
        case PacketType::kConnack:
        case PacketType::kSuback:
        case PacketType::kUnsuback: {
            const PacketType type = p.type;  // p may be moved from below
            if (type == awaited_type_ &&
                (type == PacketType::kConnack || p.packet_id == awaited_id_)) {
                awaited_ = std::move(p);
                awaited_arrived_ = true;
            }
            return type != PacketType::kConnack || awaited_type_ == PacketType::kConnack;
        }
        default:
            return false;  // a client-to-server packet from the server
    }
}

template <typename Done>
nsapi_error_t MqttClient::run_until(Clock::time_point deadline, Done done) {
    uint8_t chunk[kReadChunk];
    bool polled = false;
    while (true) {
        // Handle every complete packet already buffered.
        while (true) {
            size_t total = 0;
            CodecError e = frame_length(rx_.data(), rx_.size(), &total);
            if (e == CodecError::kIncomplete) {
                break;
            }
            if (e != CodecError::kOk) {
                return lose(e);
            }
            if (total > max_packet_size_) {
                return lose(CodecError::kTooLarge);
            }
            if (rx_.size() < total) {
                break;
            }
            Packet p;
            size_t used = 0;
            e = decode(rx_.data(), rx_.size(), p, &used);
            if (e != CodecError::kOk) {
                return lose(e);
            }
            rx_.erase(rx_.begin(), rx_.begin() + static_cast<std::ptrdiff_t>(used));
            if (!handle(p)) {
                return lose(CodecError::kBadType);
            }
            if (!connected_ && awaited_type_ != PacketType::kConnack) {
                return NSAPI_ERROR_CONNECTION_LOST;
            }
            if (done()) {
                return NSAPI_ERROR_OK;
            }
        }
        if (done()) {
            return NSAPI_ERROR_OK;
        }
        const auto now = Clock::now();
        if (connected_) {
            const nsapi_error_t e = service_keep_alive(now);
            if (e != NSAPI_ERROR_OK) {
                return e;
            }
        }
        long long wait_ms = 0;
        if (now >= deadline) {
            // Past the deadline: one non-blocking read still picks up what has arrived, so
            // yield(0) works as a poll.
            if (polled) {
                return NSAPI_ERROR_TIMEOUT;
            }
            polled = true;
        } else {
            // Wake up for the deadline or the next keep-alive duty, whichever comes first.
            auto wake = deadline;
            if (connected_ && keep_alive_s_ != 0) {
                const auto period = std::chrono::seconds(keep_alive_s_);
                wake =
                    std::min(wake, ping_outstanding_ ? ping_sent_ + period : last_sent_ + period);
            }
            wait_ms = std::clamp<long long>(
                std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count(), 1, 1000);
        }
        transport_->set_timeout(static_cast<int>(wait_ms));
        const nsapi_size_or_error_t n = transport_->recv(chunk, sizeof(chunk));
        if (n == NSAPI_ERROR_WOULD_BLOCK) {
            continue;
        }
        if (n <= 0) {
            return lose();  // 0: the broker closed the connection
        }
        rx_.insert(rx_.end(), chunk, chunk + n);
    }
}

nsapi_error_t MqttClient::connect(Socket &transport, const ConnectOptions &options) {
    if (options.client_id.empty() && !options.clean_session) {
        return NSAPI_ERROR_PARAMETER;  // section 3.1.3.1
    }
    if (options.has_will && (!valid_topic_name(options.will.topic) || options.will.qos > 2)) {
        return NSAPI_ERROR_PARAMETER;
    }
    transport_ = &transport;
    connected_ = false;
    ping_outstanding_ = false;
    codec_error_ = CodecError::kOk;
    rx_.clear();
    keep_alive_s_ = options.keep_alive_s;
    Packet c;
    c.type = PacketType::kConnect;
    c.client_id = options.client_id;
    c.clean_session = options.clean_session;
    c.keep_alive_s = options.keep_alive_s;
    c.has_will = options.has_will;
    c.will = options.will;
    c.has_username = options.has_username;
    c.username = options.username;
    c.has_password = options.has_password;
    c.password.assign(options.password.begin(), options.password.end());
    awaited_type_ = PacketType::kConnack;
    awaited_arrived_ = false;
    nsapi_error_t e = send_packet(c);
    if (e != NSAPI_ERROR_OK) {
        awaited_type_ = PacketType::kPingreq;
        return e;
    }
    // The first packet from the broker must be CONNACK (section 3.2).
    e = run_until(deadline_in(command_timeout_ms_), [this] { return awaited_arrived_; });
    awaited_type_ = PacketType::kPingreq;
    if (e != NSAPI_ERROR_OK) {
        return e;
    }
    return_code_ = awaited_.return_code;
    if (return_code_ != ConnectReturnCode::kAccepted) {
        lose();
        return NSAPI_ERROR_AUTH_FAILURE;
    }
    connected_ = true;
    session_present_ = awaited_.session_present;
    if (options.clean_session || !session_present_) {
        outbound_.clear();
        inbound_qos2_.clear();
        return NSAPI_ERROR_OK;
    }
    // Resume the session: resend unacknowledged PUBLISH (DUP set) and PUBREL (section 4.4).
    for (auto &[id, out] : outbound_) {
        Packet p;
        if (out.released) {
            p.type = PacketType::kPubrel;
            p.packet_id = id;
        } else {
            out.publish.dup = true;
            p = out.publish;
        }
        e = send_packet(p);
        if (e != NSAPI_ERROR_OK) {
            return e;
        }
    }
    return NSAPI_ERROR_OK;
}

nsapi_error_t MqttClient::publish(const std::string &topic, const void *payload, size_t size,
                                  uint8_t qos, bool retain) {
    if (!valid_topic_name(topic) || qos > 2 || (size > 0 && payload == nullptr) ||
        !valid_utf8(reinterpret_cast<const uint8_t *>(topic.data()), topic.size())) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (!connected_) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    Packet p;
    p.type = PacketType::kPublish;
    p.topic = topic;
    p.qos = qos;
    p.retain = retain;
    const auto *bytes = static_cast<const uint8_t *>(payload);
    p.payload.assign(bytes, bytes + size);
    if (qos == 0) {
        return send_packet(p);
    }
    const uint16_t id = next_packet_id();
    p.packet_id = id;
    outbound_[id] = Outbound{p, false};
    const nsapi_error_t e = send_packet(p);
    if (e != NSAPI_ERROR_OK) {
        return e;
    }
    return run_until(deadline_in(command_timeout_ms_),
                     [this, id] { return outbound_.count(id) == 0; });
}

nsapi_error_t MqttClient::subscribe(const std::vector<Subscription> &subscriptions,
                                    std::vector<uint8_t> *granted) {
    if (subscriptions.empty()) {
        return NSAPI_ERROR_PARAMETER;
    }
    for (const auto &s : subscriptions) {
        if (!valid_topic_filter(s.filter) || s.qos > 2 ||
            !valid_utf8(reinterpret_cast<const uint8_t *>(s.filter.data()), s.filter.size())) {
            return NSAPI_ERROR_PARAMETER;
        }
    }
    if (!connected_) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    Packet p;
    p.type = PacketType::kSubscribe;
    p.packet_id = next_packet_id();
    p.subscriptions = subscriptions;
    awaited_type_ = PacketType::kSuback;
    awaited_id_ = p.packet_id;
    awaited_arrived_ = false;
    nsapi_error_t e = send_packet(p);
    if (e == NSAPI_ERROR_OK) {
        e = run_until(deadline_in(command_timeout_ms_), [this] { return awaited_arrived_; });
    }
    awaited_type_ = PacketType::kPingreq;
    if (e != NSAPI_ERROR_OK) {
        return e;
    }
    if (awaited_.return_codes.size() != subscriptions.size()) {
        return lose(CodecError::kEmptyPayload);  // SUBACK must answer every filter (3.9.3)
    }
    if (granted != nullptr) {
        *granted = awaited_.return_codes;
    }
    const bool all_refused = std::all_of(awaited_.return_codes.begin(), awaited_.return_codes.end(),
                                         [](uint8_t rc) { return rc == kSubackFailure; });
    return all_refused ? NSAPI_ERROR_AUTH_FAILURE : NSAPI_ERROR_OK;
}

nsapi_error_t MqttClient::subscribe(const std::string &filter, uint8_t qos, uint8_t *granted) {
    std::vector<uint8_t> codes;
    const nsapi_error_t e = subscribe({Subscription{filter, qos}}, &codes);
    if (granted != nullptr && !codes.empty()) {
        *granted = codes[0];
    }
    return e;
}

nsapi_error_t MqttClient::unsubscribe(const std::vector<std::string> &filters) {
    if (filters.empty()) {
        return NSAPI_ERROR_PARAMETER;
    }
    Packet p;
    p.type = PacketType::kUnsubscribe;
    for (const auto &f : filters) {
        if (!valid_topic_filter(f) ||
            !valid_utf8(reinterpret_cast<const uint8_t *>(f.data()), f.size())) {
            return NSAPI_ERROR_PARAMETER;
        }
        p.subscriptions.push_back(Subscription{f, 0});
    }
    if (!connected_) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    p.packet_id = next_packet_id();
    awaited_type_ = PacketType::kUnsuback;
    awaited_id_ = p.packet_id;
    awaited_arrived_ = false;
    nsapi_error_t e = send_packet(p);
    if (e == NSAPI_ERROR_OK) {
        e = run_until(deadline_in(command_timeout_ms_), [this] { return awaited_arrived_; });
    }
    awaited_type_ = PacketType::kPingreq;
    return e;
}

nsapi_error_t MqttClient::yield(int ms) {
    if (!connected_) {
        return transport_ == nullptr ? NSAPI_ERROR_NO_CONNECTION : NSAPI_ERROR_CONNECTION_LOST;
    }
    const nsapi_error_t e = run_until(deadline_in(ms), [] { return false; });
    return e == NSAPI_ERROR_TIMEOUT ? NSAPI_ERROR_OK : e;
}

nsapi_error_t MqttClient::disconnect() {
    if (!connected_) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    Packet p;
    p.type = PacketType::kDisconnect;
    const nsapi_error_t e = send_packet(p);
    connected_ = false;
    transport_ = nullptr;
    return e;
}

}  // namespace meshwork::mqtt
