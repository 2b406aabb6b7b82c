// WebSocketClient over TCPSocket on the host stack against an in-process scripted server on
// loopback: the test thread checks the client's request and frames and plays the server.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <thread>

#include "TCPSocket.h"
#include "core/Random.h"
#include "meshwork/HostStack.h"
#include "meshwork/websocket/WebSocketClient.h"

using namespace meshwork::websocket;
using Bytes = std::vector<uint8_t>;

namespace {

struct Frame {
    FrameHeader header;
    Bytes payload;
    std::string text() const { return std::string(payload.begin(), payload.end()); }
};

class ScriptedServer {
  public:
    ScriptedServer() {
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
    ~ScriptedServer() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        ::close(listen_fd_);
    }
    uint16_t port() const { return port_; }
    bool accept() {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 10000) != 1) {
            return false;
        }
        fd_ = ::accept(listen_fd_, nullptr, nullptr);
        return fd_ >= 0;
    }
    void drop() {
        ::close(fd_);
        fd_ = -1;
    }
    bool more() {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 10000) != 1) {
            return false;
        }
        uint8_t buf[65536];
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) {
            return false;
        }
        rx_.insert(rx_.end(), buf, buf + n);
        return true;
    }
    /// The client's request head (up to the blank line).
    std::string request() {
        while (true) {
            const std::string s(rx_.begin(), rx_.end());
            const size_t end = s.find("\r\n\r\n");
            if (end != std::string::npos) {
                rx_.erase(rx_.begin(), rx_.begin() + static_cast<std::ptrdiff_t>(end + 4));
                return s.substr(0, end + 2);
            }
            if (!more()) {
                return {};
            }
        }
    }
    static std::string header(const std::string &req, const std::string &name) {
        const size_t at = req.find("\r\n" + name + ": ");
        if (at == std::string::npos) {
            return {};
        }
        const size_t start = at + name.size() + 4;
        return req.substr(start, req.find("\r\n", start) - start);
    }
    void send_raw(const std::string &s) {
        ASSERT_EQ(ssize_t(s.size()), ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL));
    }
    void send_raw(const Bytes &b) {
        ASSERT_EQ(ssize_t(b.size()), ::send(fd_, b.data(), b.size(), MSG_NOSIGNAL));
    }
    void send_frame(Opcode op, bool fin, const Bytes &payload) {
        Bytes out;
        encode_frame(op, fin, payload.data(), payload.size(), nullptr, out);
        send_raw(out);
    }
    /// Accepts the upgrade correctly; returns the request.
    std::string handshake(const std::string &extra = "") {
        const std::string req = request();
        send_raw(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
            accept_for(header(req, "Sec-WebSocket-Key")) + "\r\n" + extra + "\r\n");
        return req;
    }
    /// The next client frame, unmasked; all client frames must be masked.
    bool read(Frame &f) {
        while (true) {
            const FrameError e = parse_header(rx_.data(), rx_.size(), true, f.header);
            if (e == FrameError::kOk &&
                rx_.size() >= f.header.header_length + f.header.payload_length) {
                const auto begin =
                    rx_.begin() + static_cast<std::ptrdiff_t>(f.header.header_length);
                const auto end = begin + static_cast<std::ptrdiff_t>(f.header.payload_length);
                f.payload.assign(begin, end);
                apply_mask(f.payload.data(), f.payload.size(), f.header.mask);
                rx_.erase(rx_.begin(), end);
                return true;
            }
            if (e != FrameError::kOk && e != FrameError::kIncomplete) {
                ADD_FAILURE() << "client frame: " << to_string(e);
                return false;
            }
            if (!more()) {
                return false;
            }
        }
    }
    Frame expect(Opcode op) {
        Frame f;
        EXPECT_TRUE(read(f));
        EXPECT_EQ(op, f.header.opcode);
        return f;
    }

  private:
    int listen_fd_ = -1;
    int fd_ = -1;
    uint16_t port_ = 0;
    Bytes rx_;
};

uint16_t close_code_of(const Frame &f) {
    return f.payload.size() >= 2 ? static_cast<uint16_t>(f.payload[0] << 8 | f.payload[1]) : 0;
}

class WebSocketClientTest : public ::testing::Test {
  protected:
    explicit WebSocketClientTest(size_t limit = 16 * 1024 * 1024) : client_(limit) {}
    void SetUp() override {
        ASSERT_EQ(NSAPI_ERROR_OK, socket_.open(&stack_));
        socket_.set_timeout(10000);
        ASSERT_EQ(NSAPI_ERROR_OK, socket_.connect(SocketAddress("127.0.0.1", server_.port())));
        ASSERT_TRUE(server_.accept());
        client_.set_timeout(10000);
    }
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
    nsapi_error_t open() { return client_.connect(socket_, "example.test:80", "/chat", "chat"); }

    meshwork::HostStack stack_;
    ScriptedServer server_;
    TCPSocket socket_;
    WebSocketClient client_;
    std::thread worker_;
};

}  // namespace

// The key and the masks come from the transport's stack's stream: with the stack seeded, they
// are exactly the stream's next bytes, so a seeded test stack makes them reproducible.
TEST_F(WebSocketClientTest, KeyAndMasksComeFromTheStacksStream) {
    stack_.seed_random(1234);
    meshwork::HostStack reference;
    reference.seed_random(1234);
    uint8_t nonce[16];
    reference.random().fill(nonce, sizeof nonce);
    uint8_t mask[4];
    reference.random().fill(mask, sizeof mask);

    client_thread([&] {
        if (open() == NSAPI_ERROR_OK) {
            client_.send_text("hi");
        }
    });
    const std::string req = server_.handshake();
    EXPECT_EQ(make_key(nonce), ScriptedServer::header(req, "Sec-WebSocket-Key"));
    Frame t = server_.expect(Opcode::kText);
    ASSERT_TRUE(t.header.masked);
    EXPECT_EQ(0, std::memcmp(mask, t.header.mask, sizeof mask));
    EXPECT_EQ("hi", t.text());
}

TEST_F(WebSocketClientTest, AnInjectedStreamIsUsedInsteadOfTheStacks) {
    meshwork::SeededRandom injected(77);
    meshwork::SeededRandom reference(77);
    uint8_t nonce[16];
    reference.fill(nonce, sizeof nonce);
    client_.set_random(&injected);
    client_thread([&] { open(); });
    const std::string req = server_.handshake();
    EXPECT_EQ(make_key(nonce), ScriptedServer::header(req, "Sec-WebSocket-Key"));
}

TEST(WebSocketClientParams, InjectedStreamOrAStackIsRequired) {
    WebSocketClient client;
    TCPSocket unopened;  // no stack: no stream to draw the key from
    EXPECT_EQ(NSAPI_ERROR_NO_SOCKET, client.connect(unopened, "h", "/"));
}

TEST_F(WebSocketClientTest, HandshakeRequestAndAcceptCheck) {
    nsapi_error_t result = 1;
    client_thread([&] { result = open(); });
    const std::string req = server_.handshake("Sec-WebSocket-Protocol: chat\r\n");
    join();
    EXPECT_EQ(NSAPI_ERROR_OK, result);
    EXPECT_TRUE(client_.is_open());
    EXPECT_EQ("chat", client_.protocol());
    EXPECT_EQ(0u, req.find("GET /chat HTTP/1.1\r\n"));
    EXPECT_EQ("example.test:80", ScriptedServer::header(req, "Host"));
    EXPECT_EQ("websocket", ScriptedServer::header(req, "Upgrade"));
    EXPECT_EQ("Upgrade", ScriptedServer::header(req, "Connection"));
    EXPECT_EQ("13", ScriptedServer::header(req, "Sec-WebSocket-Version"));
    EXPECT_EQ(24u, ScriptedServer::header(req, "Sec-WebSocket-Key").size());  // 16 bytes base64
}

TEST_F(WebSocketClientTest, WrongAcceptIsRefused) {
    nsapi_error_t result = 1;
    client_thread([&] { result = open(); });
    server_.request();
    server_.send_raw(
        std::string("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                    "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"));
    join();
    EXPECT_EQ(NSAPI_ERROR_PARAMETER, result);
    EXPECT_EQ(WsError::kHandshakeHeaders, client_.error());
    EXPECT_FALSE(client_.is_open());
    EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION, client_.send_text("x"));
}

TEST_F(WebSocketClientTest, UnofferedSubprotocolIsRefused) {
    nsapi_error_t result = 1;
    client_thread([&] { result = open(); });
    server_.handshake("Sec-WebSocket-Protocol: superchat\r\n");
    join();
    EXPECT_EQ(NSAPI_ERROR_PARAMETER, result);
    EXPECT_EQ(WsError::kHandshakeHeaders, client_.error());
}

TEST_F(WebSocketClientTest, NonSwitchingStatusIsRefused) {
    nsapi_error_t result = 1;
    client_thread([&] { result = open(); });
    server_.request();
    server_.send_raw(std::string("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
    join();
    EXPECT_EQ(NSAPI_ERROR_PARAMETER, result);
    EXPECT_EQ(WsError::kHandshakeStatus, client_.error());
}

TEST_F(WebSocketClientTest, SendsMaskedAndFragmentedMessages) {
    client_thread([&] {
        if (open() != NSAPI_ERROR_OK) {
            return;
        }
        client_.send_text("hi");
        client_.set_fragment_size(4);
        client_.send_binary("0123456789", 10);
        client_.ping("p");
    });
    server_.handshake();
    Frame t = server_.expect(Opcode::kText);
    EXPECT_TRUE(t.header.masked);
    EXPECT_TRUE(t.header.fin);
    EXPECT_EQ("hi", t.text());
    Frame a = server_.expect(Opcode::kBinary);
    EXPECT_FALSE(a.header.fin);
    EXPECT_EQ("0123", a.text());
    Frame b = server_.expect(Opcode::kContinuation);
    EXPECT_FALSE(b.header.fin);
    EXPECT_EQ("4567", b.text());
    Frame c = server_.expect(Opcode::kContinuation);
    EXPECT_TRUE(c.header.fin);
    EXPECT_EQ("89", c.text());
    EXPECT_EQ("p", server_.expect(Opcode::kPing).text());
}

TEST_F(WebSocketClientTest, ReassemblesAndAnswersPingsBetweenFragments) {
    WsMessage first, second;
    nsapi_error_t r1 = 1, r2 = 1;
    client_thread([&] {
        if (open() != NSAPI_ERROR_OK) {
            return;
        }
        r1 = client_.receive(first);
        r2 = client_.receive(second);
    });
    server_.handshake();
    server_.send_frame(Opcode::kText, false, {'H', 'e', 'l'});
    server_.send_frame(Opcode::kPing, true, {'?'});  // control frames may interleave (5.4)
    server_.send_frame(Opcode::kContinuation, true, {'l', 'o'});
    server_.send_frame(Opcode::kPong, true, {});
    server_.send_frame(Opcode::kBinary, true, {0, 1, 2});
    Frame pong = server_.expect(Opcode::kPong);
    EXPECT_EQ("?", pong.text());
    join();
    EXPECT_EQ(NSAPI_ERROR_OK, r1);
    EXPECT_TRUE(first.text);
    EXPECT_EQ("Hello", first.as_string());
    EXPECT_EQ(NSAPI_ERROR_OK, r2);
    EXPECT_FALSE(second.text);
    EXPECT_EQ((Bytes{0, 1, 2}), second.data);
    EXPECT_EQ(1u, client_.pongs());
}

TEST_F(WebSocketClientTest, ServerInitiatedCloseIsEchoed) {
    nsapi_error_t result = 1;
    WsMessage m;
    client_thread([&] {
        if (open() != NSAPI_ERROR_OK) {
            return;
        }
        result = client_.receive(m);
    });
    server_.handshake();
    server_.send_frame(Opcode::kClose, true, {0x0F, 0xA0, 'b', 'y', 'e'});  // 4000 "bye"
    Frame echo = server_.expect(Opcode::kClose);
    EXPECT_EQ(4000, close_code_of(echo));
    join();
    EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION, result);
    EXPECT_EQ(4000, client_.close_code());
    EXPECT_EQ("bye", client_.close_reason());
    EXPECT_FALSE(client_.is_open());
}

TEST_F(WebSocketClientTest, ClientInitiatedCloseWaitsForTheReply) {
    nsapi_error_t result = 1;
    client_thread([&] {
        if (open() != NSAPI_ERROR_OK) {
            return;
        }
        result = client_.close(1001, "going away");
    });
    server_.handshake();
    Frame c = server_.expect(Opcode::kClose);
    EXPECT_EQ(1001, close_code_of(c));
    EXPECT_EQ("going away", std::string(c.payload.begin() + 2, c.payload.end()));
    server_.send_frame(Opcode::kText, true, {'l', 'a', 't', 'e'});  // dropped while closing
    server_.send_frame(Opcode::kClose, true, {0x03, 0xE9});
    join();
    EXPECT_EQ(NSAPI_ERROR_OK, result);
    EXPECT_EQ(1001, client_.close_code());
}

TEST_F(WebSocketClientTest, ProtocolErrorsCloseWith1002) {
    nsapi_error_t result = 1;
    WsMessage m;
    client_thread([&] {
        if (open() != NSAPI_ERROR_OK) {
            return;
        }
        result = client_.receive(m);
    });
    server_.handshake();
    server_.send_frame(Opcode::kContinuation, true, {'x'});  // no message to continue
    EXPECT_EQ(1002, close_code_of(server_.expect(Opcode::kClose)));
    join();
    EXPECT_EQ(NSAPI_ERROR_CONNECTION_LOST, result);
    EXPECT_EQ(WsError::kProtocol, client_.error());
}

TEST_F(WebSocketClientTest, MaskedServerFrameIsAProtocolError) {
    nsapi_error_t result = 1;
    WsMessage m;
    client_thread([&] {
        if (open() != NSAPI_ERROR_OK) {
            return;
        }
        result = client_.receive(m);
    });
    server_.handshake();
    server_.send_raw(Bytes{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
    EXPECT_EQ(1002, close_code_of(server_.expect(Opcode::kClose)));
    join();
    EXPECT_EQ(NSAPI_ERROR_CONNECTION_LOST, result);
}

TEST_F(WebSocketClientTest, InvalidUtf8TextClosesWith1007) {
    nsapi_error_t result = 1;
    WsMessage m;
    client_thread([&] {
        if (open() != NSAPI_ERROR_OK) {
            return;
        }
        result = client_.receive(m);
    });
    server_.handshake();
    server_.send_frame(Opcode::kText, true, {0xC0, 0xAF});
    EXPECT_EQ(1007, close_code_of(server_.expect(Opcode::kClose)));
    join();
    EXPECT_EQ(NSAPI_ERROR_CONNECTION_LOST, result);
    EXPECT_EQ(WsError::kInvalidUtf8, client_.error());
}

TEST_F(WebSocketClientTest, TransportCloseWithoutHandshakeIsConnectionLost) {
    nsapi_error_t result = 1;
    WsMessage m;
    client_thread([&] {
        if (open() != NSAPI_ERROR_OK) {
            return;
        }
        result = client_.receive(m);
    });
    server_.handshake();
    server_.drop();
    join();
    EXPECT_EQ(NSAPI_ERROR_CONNECTION_LOST, result);
    EXPECT_EQ(WsError::kTransport, client_.error());
}

namespace {
class WebSocketLimitTest : public WebSocketClientTest {
  protected:
    WebSocketLimitTest() : WebSocketClientTest(1000) {}
};
}  // namespace

TEST_F(WebSocketLimitTest, OversizedMessageClosesWith1009) {
    nsapi_error_t result = 1;
    WsMessage m;
    client_thread([&] {
        if (open() != NSAPI_ERROR_OK) {
            return;
        }
        result = client_.receive(m);
    });
    server_.handshake();
    // Two fragments that fit alone but not together.
    server_.send_frame(Opcode::kBinary, false, Bytes(600, 1));
    server_.send_frame(Opcode::kContinuation, true, Bytes(600, 2));
    EXPECT_EQ(1009, close_code_of(server_.expect(Opcode::kClose)));
    join();
    EXPECT_EQ(NSAPI_ERROR_NO_MEMORY, result);
    EXPECT_EQ(WsError::kMessageTooBig, client_.error());
}

TEST(WebSocketClientParams, InvalidArgumentsAreRejected) {
    WebSocketClient client;
    meshwork::HostStack stack;
    TCPSocket socket;
    EXPECT_EQ(NSAPI_ERROR_PARAMETER, client.connect(socket, "", "/"));
    EXPECT_EQ(NSAPI_ERROR_PARAMETER, client.connect(socket, "h", "no-slash"));
    EXPECT_EQ(NSAPI_ERROR_PARAMETER, client.connect(socket, "h\r\nX: y", "/"));
    EXPECT_EQ(NSAPI_ERROR_PARAMETER, client.send_text("\xFF"));
    EXPECT_EQ(NSAPI_ERROR_PARAMETER, client.ping(std::string(126, 'x')));
    EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION, client.send_binary("x", 1));
    EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION, client.close());
}
