// WebSocket client: opening handshake, message framing, close handshake (see WebSocketClient.h).
#include "meshwork/websocket/WebSocketClient.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/Random.h"

namespace meshwork::websocket {

namespace {

using Clock = rtos::Kernel::Clock;

constexpr size_t kMaxHandshake = 8192;
constexpr size_t kReadChunk = 16384;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trim(const std::string &s) {
    const size_t b = s.find_first_not_of(" \t");
    const size_t e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

/// True when the comma-separated header value contains `token` (case-insensitive).
bool has_token(const std::string &value, const std::string &token) {
    size_t start = 0;
    while (start <= value.size()) {
        const size_t comma = std::min(value.find(',', start), value.size());
        if (lower(trim(value.substr(start, comma - start))) == token) {
            return true;
        }
        start = comma + 1;
    }
    return false;
}

int remaining_ms(Clock::time_point deadline) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(ms, 0, 1000000));
}

}  // namespace

const char *to_string(WsError error) {
    switch (error) {
        case WsError::kNone:
            return "none";
        case WsError::kHandshakeStatus:
            return "server did not switch protocols (HTTP status other than 101)";
        case WsError::kHandshakeHeaders:
            return "missing Upgrade/Connection or wrong Sec-WebSocket-Accept";
        case WsError::kHandshakeTooLong:
            return "handshake response headers too long";
        case WsError::kProtocol:
            return "protocol error";
        case WsError::kInvalidUtf8:
            return "invalid UTF-8 in a text message or close reason";
        case WsError::kMessageTooBig:
            return "message larger than the receive limit";
        case WsError::kTransport:
            return "transport failed or closed";
    }
    return "unknown";
}

WebSocketClient::WebSocketClient(size_t max_message_size) : max_message_size_(max_message_size) {}

nsapi_error_t WebSocketClient::fill(Clock::time_point deadline) {
    if (rx_start_ > 0 && rx_start_ == rx_.size()) {
        rx_.clear();
        rx_start_ = 0;
    }
    const int ms = remaining_ms(deadline);
    if (ms <= 0) {
        return NSAPI_ERROR_TIMEOUT;
    }
    transport_->set_timeout(ms);
    const size_t old = rx_.size();
    rx_.resize(old + kReadChunk);
    const nsapi_size_or_error_t n = transport_->recv(rx_.data() + old, kReadChunk);
    rx_.resize(old + (n > 0 ? static_cast<size_t>(n) : 0));
    if (n == NSAPI_ERROR_WOULD_BLOCK) {
        return NSAPI_ERROR_TIMEOUT;
    }
    if (n <= 0) {
        error_ = WsError::kTransport;
        state_ = State::kClosed;
        return NSAPI_ERROR_CONNECTION_LOST;
    }
    return NSAPI_ERROR_OK;
}

nsapi_error_t WebSocketClient::connect(Socket &transport, const std::string &host,
                                       const std::string &path, const std::string &protocol) {
    if (host.empty() || path.empty() || path[0] != '/' ||
        host.find_first_of("\r\n") != std::string::npos ||
        path.find_first_of("\r\n ") != std::string::npos ||
        protocol.find_first_of("\r\n") != std::string::npos) {
        return NSAPI_ERROR_PARAMETER;
    }
    // The key and the masks come from an injected stream, else the transport's stack's (the
    // host stack's is seeded from OS entropy; a test or simulated stack's is deterministic).
    random_ = random_override_;
    if (!random_) {
        NetworkStack *stack = transport.network_stack();
        if (!stack) {
            return NSAPI_ERROR_NO_SOCKET;
        }
        random_ = &stack->random();
    }
    transport_ = &transport;
    state_ = State::kIdle;
    error_ = WsError::kNone;
    close_code_ = 0;
    close_reason_.clear();
    protocol_.clear();
    rx_.clear();
    rx_start_ = 0;
    in_message_ = false;
    partial_ = WsMessage();
    uint8_t nonce[16];
    random_->fill(nonce, sizeof nonce);
    const std::string key = make_key(nonce);
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host +
                          "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: " +
                          key + "\r\nSec-WebSocket-Version: 13\r\n";
    if (!protocol.empty()) {
        request += "Sec-WebSocket-Protocol: " + protocol + "\r\n";
    }
    request += "\r\n";
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms_);
    transport.set_timeout(timeout_ms_);
    size_t sent = 0;
    while (sent < request.size()) {
        const nsapi_size_or_error_t n =
            transport.send(request.data() + sent, request.size() - sent);
        if (n <= 0) {
            error_ = WsError::kTransport;
            return NSAPI_ERROR_CONNECTION_LOST;
        }
        sent += static_cast<size_t>(n);
    }
    // Read the response headers; bytes after the blank line are already frames.
    size_t end = std::string::npos;
    while (true) {
        const std::string_view view(reinterpret_cast<const char *>(rx_.data()), rx_.size());
        end = view.find("\r\n\r\n");
        if (end != std::string::npos) {
            break;
        }
        if (rx_.size() > kMaxHandshake) {
            error_ = WsError::kHandshakeTooLong;
            return NSAPI_ERROR_PARAMETER;
        }
        const nsapi_error_t e = fill(deadline);
        if (e != NSAPI_ERROR_OK) {
            return e;
        }
    }
    const std::string head(reinterpret_cast<const char *>(rx_.data()), end);
    rx_start_ = end + 4;
    size_t line_end = head.find("\r\n");
    const std::string status = head.substr(0, line_end);
    if (status.compare(0, 9, "HTTP/1.1 ") != 0 || status.compare(9, 3, "101") != 0) {
        error_ = WsError::kHandshakeStatus;
        return NSAPI_ERROR_PARAMETER;
    }
    bool upgrade = false, connection = false, accept = false;
    while (line_end != std::string::npos) {
        const size_t start = line_end + 2;
        line_end = head.find("\r\n", start);
        const std::string line = head.substr(
            start, line_end == std::string::npos ? std::string::npos : line_end - start);
        const size_t colon = line.find(':');
        if (colon == std::string::npos) {
            continue;
        }
        const std::string name = lower(trim(line.substr(0, colon)));
        const std::string value = trim(line.substr(colon + 1));
        if (name == "upgrade") {
            upgrade = lower(value) == "websocket";
        } else if (name == "connection") {
            connection = has_token(value, "upgrade");
        } else if (name == "sec-websocket-accept") {
            accept = value == accept_for(key);
        } else if (name == "sec-websocket-protocol") {
            protocol_ = value;
        }
    }
    // 4.1: a subprotocol we did not offer fails the connection.
    const bool protocol_ok = protocol_.empty() || has_token(protocol, lower(protocol_));
    if (!upgrade || !connection || !accept || !protocol_ok) {
        error_ = WsError::kHandshakeHeaders;
        return NSAPI_ERROR_PARAMETER;
    }
    state_ = State::kOpen;
    return NSAPI_ERROR_OK;
}

nsapi_error_t WebSocketClient::send_frame(Opcode op, bool fin, const uint8_t *data, size_t size) {
    uint8_t mask[4];
    random_->fill(mask, sizeof mask);
    std::vector<uint8_t> frame;
    frame.reserve(size + 14);
    encode_frame(op, fin, data, size, mask, frame);
    transport_->set_timeout(timeout_ms_);
    size_t sent = 0;
    while (sent < frame.size()) {
        const nsapi_size_or_error_t n = transport_->send(frame.data() + sent, frame.size() - sent);
        if (n <= 0) {
            error_ = WsError::kTransport;
            state_ = State::kClosed;
            return NSAPI_ERROR_CONNECTION_LOST;
        }
        sent += static_cast<size_t>(n);
    }
    return NSAPI_ERROR_OK;
}

nsapi_error_t WebSocketClient::send_message(Opcode op, const uint8_t *data, size_t size) {
    if (state_ != State::kOpen) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    if (fragment_size_ == 0 || size <= fragment_size_) {
        return send_frame(op, true, data, size);
    }
    // 5.4: the first frame carries the opcode, the rest are continuations; FIN on the last.
    size_t offset = 0;
    while (offset < size) {
        const size_t n = std::min(fragment_size_, size - offset);
        const nsapi_error_t e = send_frame(offset == 0 ? op : Opcode::kContinuation,
                                           offset + n == size, data + offset, n);
        if (e != NSAPI_ERROR_OK) {
            return e;
        }
        offset += n;
    }
    return NSAPI_ERROR_OK;
}

nsapi_error_t WebSocketClient::send_text(const std::string &text) {
    if (!valid_utf8(reinterpret_cast<const uint8_t *>(text.data()), text.size())) {
        return NSAPI_ERROR_PARAMETER;
    }
    return send_message(Opcode::kText, reinterpret_cast<const uint8_t *>(text.data()), text.size());
}

nsapi_error_t WebSocketClient::send_binary(const void *data, size_t size) {
    if (size > 0 && data == nullptr) {
        return NSAPI_ERROR_PARAMETER;
    }
    return send_message(Opcode::kBinary, static_cast<const uint8_t *>(data), size);
}

nsapi_error_t WebSocketClient::ping(const std::string &payload) {
    if (payload.size() > 125) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (state_ != State::kOpen) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    return send_frame(Opcode::kPing, true, reinterpret_cast<const uint8_t *>(payload.data()),
                      payload.size());
}

nsapi_error_t WebSocketClient::fail(WsError error, uint16_t code) {
    error_ = error;
    if (state_ == State::kOpen) {
        const uint8_t body[2] = {static_cast<uint8_t>(code >> 8), static_cast<uint8_t>(code)};
        send_frame(Opcode::kClose, true, body, sizeof body);
    }
    state_ = State::kClosed;
    return error == WsError::kMessageTooBig ? NSAPI_ERROR_NO_MEMORY : NSAPI_ERROR_CONNECTION_LOST;
}

nsapi_error_t WebSocketClient::read_frame(Clock::time_point deadline, FrameHeader &header,
                                          std::vector<uint8_t> &payload) {
    while (true) {
        const uint8_t *at = rx_.data() + rx_start_;
        const size_t avail = rx_.size() - rx_start_;
        const FrameError fe = parse_header(at, avail, false, header);
        if (fe == FrameError::kOk) {
            const uint64_t pending = in_message_ ? partial_.data.size() : 0;
            if (!is_control(header.opcode) &&
                header.payload_length >
                    max_message_size_ - std::min<uint64_t>(pending, max_message_size_)) {
                return fail(WsError::kMessageTooBig, 1009);
            }
            if (avail - header.header_length >= header.payload_length) {
                const uint8_t *p = at + header.header_length;
                payload.assign(p, p + header.payload_length);
                rx_start_ += header.header_length + static_cast<size_t>(header.payload_length);
                return NSAPI_ERROR_OK;
            }
        } else if (fe != FrameError::kIncomplete) {
            return fail(WsError::kProtocol, 1002);
        }
        // Compact before reading more so the buffer does not grow without bound.
        if (rx_start_ > 0) {
            rx_.erase(rx_.begin(), rx_.begin() + static_cast<std::ptrdiff_t>(rx_start_));
            rx_start_ = 0;
        }
        const nsapi_error_t e = fill(deadline);
        if (e != NSAPI_ERROR_OK) {
            return e;
        }
    }
}

nsapi_error_t WebSocketClient::handle_close(const std::vector<uint8_t> &payload) {
    // 5.5.1: an optional 2-byte code then a UTF-8 reason; 1005 stands for "no code".
    if (payload.size() == 1) {
        return fail(WsError::kProtocol, 1002);
    }
    close_code_ = 1005;
    close_reason_.clear();
    if (payload.size() >= 2) {
        close_code_ = static_cast<uint16_t>(payload[0] << 8 | payload[1]);
        if (!valid_close_code(close_code_)) {
            return fail(WsError::kProtocol, 1002);
        }
        if (!valid_utf8(payload.data() + 2, payload.size() - 2)) {
            return fail(WsError::kInvalidUtf8, 1007);
        }
        close_reason_.assign(payload.begin() + 2, payload.end());
    }
    if (state_ == State::kOpen) {
        // Echo the status code back (5.5.1) and consider the connection closed.
        const uint8_t body[2] = {payload.size() >= 2 ? payload[0] : uint8_t(0x03),
                                 payload.size() >= 2 ? payload[1] : uint8_t(0xE8)};
        send_frame(Opcode::kClose, true, body, sizeof body);
    }
    state_ = State::kClosed;
    return NSAPI_ERROR_NO_CONNECTION;
}

nsapi_error_t WebSocketClient::receive(WsMessage &out) {
    if (state_ != State::kOpen) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms_);
    FrameHeader h;
    std::vector<uint8_t> payload;
    while (true) {
        nsapi_error_t e = read_frame(deadline, h, payload);
        if (e != NSAPI_ERROR_OK) {
            return e;
        }
        switch (h.opcode) {
            case Opcode::kPing:
                e = send_frame(Opcode::kPong, true, payload.data(), payload.size());
                if (e != NSAPI_ERROR_OK) {
                    return e;
                }
                continue;
            case Opcode::kPong:
                ++pongs_;
                continue;
            case Opcode::kClose:
                return handle_close(payload);
            case Opcode::kText:
            case Opcode::kBinary:
                if (in_message_) {
                    return fail(WsError::kProtocol, 1002);  // a new message inside another
                }
                partial_.text = h.opcode == Opcode::kText;
                partial_.data = std::move(payload);
                in_message_ = true;
                break;
            case Opcode::kContinuation:
                if (!in_message_) {
                    return fail(WsError::kProtocol, 1002);
                }
                partial_.data.insert(partial_.data.end(), payload.begin(), payload.end());
                break;
        }
        if (!h.fin) {
            continue;
        }
        in_message_ = false;
        if (partial_.text && !valid_utf8(partial_.data.data(), partial_.data.size())) {
            return fail(WsError::kInvalidUtf8, 1007);
        }
        out = std::move(partial_);
        partial_ = WsMessage();
        return NSAPI_ERROR_OK;
    }
}

nsapi_error_t WebSocketClient::close(uint16_t code, const std::string &reason) {
    if (state_ != State::kOpen) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    if (!valid_close_code(code) || reason.size() > 123 ||
        !valid_utf8(reinterpret_cast<const uint8_t *>(reason.data()), reason.size())) {
        return NSAPI_ERROR_PARAMETER;
    }
    std::vector<uint8_t> body = {static_cast<uint8_t>(code >> 8), static_cast<uint8_t>(code)};
    body.insert(body.end(), reason.begin(), reason.end());
    nsapi_error_t e = send_frame(Opcode::kClose, true, body.data(), body.size());
    if (e != NSAPI_ERROR_OK) {
        return e;
    }
    state_ = State::kClosing;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms_);
    FrameHeader h;
    std::vector<uint8_t> payload;
    while (true) {
        e = read_frame(deadline, h, payload);
        if (e != NSAPI_ERROR_OK) {
            state_ = State::kClosed;
            return e;
        }
        if (h.opcode == Opcode::kClose) {
            e = handle_close(payload);
            return e == NSAPI_ERROR_NO_CONNECTION ? NSAPI_ERROR_OK : e;
        }
    }
}

}  // namespace meshwork::websocket
