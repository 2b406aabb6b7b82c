// A WebSocket (RFC 6455) client for Mbed applications over any connected stream `Socket`
// (TCPSocket for ws://, TLSSocket for wss://): the HTTP/1.1 upgrade with the key check (4.1),
// text and binary messages with client masking (5.3), fragmentation on send and reassembly on
// receive (5.4), automatic pong replies (5.5.2), and the close handshake (7). Blocking calls
// with a timeout; not thread-safe (one client, one thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "meshwork/websocket/WebSocketFrame.h"
#include "netsocket/NetworkStack.h"
#include "netsocket/Socket.h"
#include "netsocket/nsapi_types.h"
#include "rtos/Kernel.h"

namespace meshwork::websocket {

/// What went wrong, beyond the nsapi_error_t a call returned.
enum class WsError : uint8_t {
    kNone,
    kHandshakeStatus,   // the server did not answer 101
    kHandshakeHeaders,  // Upgrade/Connection missing or Sec-WebSocket-Accept wrong
    kHandshakeTooLong,  // response headers over the limit
    kProtocol,          // a malformed frame or an illegal sequence (closed with 1002)
    kInvalidUtf8,       // a text message or close reason not UTF-8 (closed with 1007)
    kMessageTooBig,     // over the receive limit (closed with 1009)
    kTransport,         // the socket failed or closed without a close handshake
};

const char *to_string(WsError error);

struct WsMessage {
    bool text = false;
    std::vector<uint8_t> data;
    std::string as_string() const { return std::string(data.begin(), data.end()); }
};

class WebSocketClient {
  public:
    /// `max_message_size` bounds a reassembled incoming message.
    explicit WebSocketClient(size_t max_message_size = 16 * 1024 * 1024);
    WebSocketClient(const WebSocketClient &) = delete;
    WebSocketClient &operator=(const WebSocketClient &) = delete;

    /// Timeout for each blocking call (default 10 s).
    void set_timeout(int ms) { timeout_ms_ = ms; }
    /// Outgoing messages longer than this are sent as several frames (0: never fragment).
    void set_fragment_size(size_t bytes) { fragment_size_ = bytes; }
    /// The stream for the handshake key and the masking keys of later connects (nullptr: the
    /// transport's NetworkStack::random(), the default).
    void set_random(meshwork::Random *random) { random_override_ = random; }

    /// Performs the opening handshake over `transport` (already connected) for `host` (the
    /// Host header, e.g. "example.org:8080") and `path` ("/chat"). `protocol`, if not empty, is
    /// offered as Sec-WebSocket-Protocol. OK, or CONNECTION_LOST/TIMEOUT (transport) or
    /// PARAMETER (a bad answer; see error()); NO_SOCKET if the transport has no stack (not
    /// open) and no stream was set.
    nsapi_error_t connect(Socket &transport, const std::string &host, const std::string &path,
                          const std::string &protocol = "");

    nsapi_error_t send_text(const std::string &text);
    nsapi_error_t send_binary(const void *data, size_t size);
    nsapi_error_t ping(const std::string &payload = "");

    /// Waits for the next complete data message, answering pings on the way. OK; TIMEOUT;
    /// NO_CONNECTION once the server closed the connection (see close_code()); NO_MEMORY for a
    /// message over the limit; CONNECTION_LOST on a transport failure or protocol error.
    nsapi_error_t receive(WsMessage &out);

    /// Starts the close handshake with `code` and waits for the server's close (data that
    /// arrives meanwhile is dropped). The transport stays open: close it afterwards.
    nsapi_error_t close(uint16_t code = 1000, const std::string &reason = "");

    bool is_open() const { return state_ == State::kOpen; }
    /// The status code of the server's close frame (1005 when it carried none, 0 before).
    uint16_t close_code() const { return close_code_; }
    const std::string &close_reason() const { return close_reason_; }
    WsError error() const { return error_; }
    /// Pongs received so far (answers to ping()).
    unsigned pongs() const { return pongs_; }
    const std::string &protocol() const { return protocol_; }

  private:
    enum class State { kIdle, kOpen, kClosing, kClosed };

    nsapi_error_t send_frame(Opcode op, bool fin, const uint8_t *data, size_t size);
    nsapi_error_t send_message(Opcode op, const uint8_t *data, size_t size);
    /// Reads until the buffer holds one whole frame; returns its header.
    nsapi_error_t read_frame(rtos::Kernel::Clock::time_point deadline, FrameHeader &header,
                             std::vector<uint8_t> &payload);
    nsapi_error_t fill(rtos::Kernel::Clock::time_point deadline);
    nsapi_error_t fail(WsError error, uint16_t close_code);
    nsapi_error_t handle_close(const std::vector<uint8_t> &payload);

    Socket *transport_ = nullptr;
    meshwork::Random *random_override_ = nullptr;
    meshwork::Random *random_ = nullptr;  // the stream of the current connection
    size_t max_message_size_;
    size_t fragment_size_ = 0;
    int timeout_ms_ = 10000;
    State state_ = State::kIdle;
    WsError error_ = WsError::kNone;
    uint16_t close_code_ = 0;
    std::string close_reason_;
    std::string protocol_;
    unsigned pongs_ = 0;
    std::vector<uint8_t> rx_;
    size_t rx_start_ = 0;  // consumed prefix of rx_
    // A fragmented message being reassembled.
    bool in_message_ = false;
    WsMessage partial_;
};

}  // namespace meshwork::websocket
