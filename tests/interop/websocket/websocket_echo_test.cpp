// WebSocketClient (TCPSocket on the host stack) against python3-websockets' server on
// 127.0.0.1: text and 1 MB binary echoes (whole and fragmented), pings both ways, the close
// handshake from either side, and the receive limit.
#include <gtest/gtest.h>

#include "ChildProcess.h"
#include "TCPSocket.h"
#include "TempDir.h"
#include "meshwork/HostStack.h"
#include "meshwork/websocket/WebSocketClient.h"
#if MESHWORK_WS_TLS
#include "netsocket/TLSSocket.h"
#include "support/TestCerts.h"
#endif

using namespace meshwork::websocket;
using meshwork::test::ChildProcess;

namespace {

class WebSocketEcho : public ::testing::Test {
  protected:
    void SetUp() override {
        if (std::string(MESHWORK_WS_PYTHON).empty()) {
            GTEST_SKIP() << "no Python with the websockets module (Debian python3-websockets)";
        }
        ASSERT_TRUE(tmp_.ok());
        port_ = meshwork::test::free_loopback_port();
        ASSERT_TRUE(
            server_.start({MESHWORK_WS_PYTHON, MESHWORK_WS_ECHO_SERVER, std::to_string(port_)},
                          tmp_.file("echo-server.log")));
        ASSERT_TRUE(meshwork::test::wait_for_listener(port_)) << server_.log();
    }
    void TearDown() override { server_.stop(); }

    nsapi_error_t open(WebSocketClient &ws, TCPSocket &socket) {
        nsapi_error_t e = socket.open(&stack_);
        if (e != NSAPI_ERROR_OK) {
            return e;
        }
        socket.set_timeout(10000);
        e = socket.connect(SocketAddress("127.0.0.1", port_));
        if (e != NSAPI_ERROR_OK) {
            return e;
        }
        ws.set_timeout(20000);
        return ws.connect(socket, "127.0.0.1:" + std::to_string(port_), "/echo");
    }

    meshwork::test::TempDir tmp_{"meshwork-ws-echo"};  // the server's log; outlives server_
    meshwork::HostStack stack_;
    ChildProcess server_;
    uint16_t port_ = 0;
};

std::vector<uint8_t> pattern(size_t n) {
    std::vector<uint8_t> v(n);
    for (size_t i = 0; i < n; ++i) {
        v[i] = static_cast<uint8_t>((i * 131) ^ (i >> 8));
    }
    return v;
}

}  // namespace

TEST_F(WebSocketEcho, TextAndMegabyteBinaryMessages) {
    TCPSocket socket;
    WebSocketClient ws;
    ASSERT_EQ(NSAPI_ERROR_OK, open(ws, socket)) << to_string(ws.error());
    WsMessage m;
    ASSERT_EQ(NSAPI_ERROR_OK, ws.send_text("hello \xE2\x82\xAC"));
    ASSERT_EQ(NSAPI_ERROR_OK, ws.receive(m));
    EXPECT_TRUE(m.text);
    EXPECT_EQ("hello \xE2\x82\xAC", m.as_string());

    const auto mb = pattern(1024 * 1024);
    ASSERT_EQ(NSAPI_ERROR_OK, ws.send_binary(mb.data(), mb.size()));
    ASSERT_EQ(NSAPI_ERROR_OK, ws.receive(m));
    EXPECT_FALSE(m.text);
    EXPECT_TRUE(m.data == mb) << m.data.size();

    ws.set_fragment_size(64 * 1024);  // 16 frames, reassembled by the server
    ASSERT_EQ(NSAPI_ERROR_OK, ws.send_binary(mb.data(), mb.size()));
    ASSERT_EQ(NSAPI_ERROR_OK, ws.receive(m));
    EXPECT_TRUE(m.data == mb);

    for (int i = 0; i < 20; ++i) {
        ASSERT_EQ(NSAPI_ERROR_OK, ws.send_text("n" + std::to_string(i)));
    }
    for (int i = 0; i < 20; ++i) {
        ASSERT_EQ(NSAPI_ERROR_OK, ws.receive(m));
        EXPECT_EQ("n" + std::to_string(i), m.as_string());
    }
    ASSERT_EQ(NSAPI_ERROR_OK, ws.close(1000, "done"));
    EXPECT_EQ(1000, ws.close_code());
    EXPECT_FALSE(ws.is_open());
}

TEST_F(WebSocketEcho, PingsInBothDirections) {
    TCPSocket socket;
    WebSocketClient ws;
    ASSERT_EQ(NSAPI_ERROR_OK, open(ws, socket));
    WsMessage m;
    ASSERT_EQ(NSAPI_ERROR_OK, ws.ping("hi"));
    ASSERT_EQ(NSAPI_ERROR_OK, ws.send_text("after ping"));
    ASSERT_EQ(NSAPI_ERROR_OK, ws.receive(m));
    EXPECT_EQ("after ping", m.as_string());
    EXPECT_EQ(1u, ws.pongs());
    // The server pings us and reports our automatic pong.
    ASSERT_EQ(NSAPI_ERROR_OK, ws.send_text("ping-me"));
    ASSERT_EQ(NSAPI_ERROR_OK, ws.receive(m));
    EXPECT_EQ("pong received", m.as_string());
    EXPECT_EQ(NSAPI_ERROR_OK, ws.close());
}

TEST_F(WebSocketEcho, ServerInitiatedClose) {
    TCPSocket socket;
    WebSocketClient ws;
    ASSERT_EQ(NSAPI_ERROR_OK, open(ws, socket));
    ASSERT_EQ(NSAPI_ERROR_OK, ws.send_text("close-me"));
    WsMessage m;
    EXPECT_EQ(NSAPI_ERROR_NO_CONNECTION, ws.receive(m));
    EXPECT_EQ(4000, ws.close_code());
    EXPECT_EQ("bye", ws.close_reason());
    EXPECT_FALSE(ws.is_open());
    // After the close handshake the server closes the TCP connection.
    char byte;
    socket.set_timeout(5000);
    EXPECT_EQ(0, socket.recv(&byte, 1));
}

TEST_F(WebSocketEcho, MessageOverTheLimitIsRefusedWith1009) {
    TCPSocket socket;
    WebSocketClient ws(1000);
    ASSERT_EQ(NSAPI_ERROR_OK, open(ws, socket));
    const auto big = pattern(5000);
    ASSERT_EQ(NSAPI_ERROR_OK, ws.send_binary(big.data(), big.size()));
    WsMessage m;
    EXPECT_EQ(NSAPI_ERROR_NO_MEMORY, ws.receive(m));
    EXPECT_EQ(WsError::kMessageTooBig, ws.error());
    EXPECT_FALSE(ws.is_open());
}

#if MESHWORK_WS_TLS
// wss://: the same client on a TLSSocket against the echo server with a certificate for
// "localhost" from a CA generated at test time.
TEST(WebSocketEchoTls, MegabyteOverTls) {
    if (std::string(MESHWORK_WS_PYTHON).empty()) {
        GTEST_SKIP() << "no Python with the websockets module (Debian python3-websockets)";
    }
    const auto &certs = meshwork::test::TestCerts::get();
    ASSERT_TRUE(certs.ok) << "openssl could not make certificates";
    const uint16_t port = meshwork::test::free_loopback_port();
    meshwork::test::TempDir tmp("meshwork-wss-echo");
    ASSERT_TRUE(tmp.ok());
    ChildProcess server;
    ASSERT_TRUE(server.start({MESHWORK_WS_PYTHON, MESHWORK_WS_ECHO_SERVER, std::to_string(port),
                              certs.path("server.crt"), certs.path("server.key")},
                             tmp.file("echo-server-tls.log")));
    ASSERT_TRUE(meshwork::test::wait_for_listener(port)) << server.log();
    meshwork::HostStack stack;
    TLSSocket tls;
    ASSERT_EQ(NSAPI_ERROR_OK, tls.open(&stack));
    ASSERT_EQ(NSAPI_ERROR_OK, tls.set_root_ca_cert(certs.ca_pem.c_str()));
    tls.set_hostname("localhost");
    tls.set_timeout(15000);
    ASSERT_EQ(NSAPI_ERROR_OK, tls.connect(SocketAddress("127.0.0.1", port))) << server.log();
    WebSocketClient ws;
    ws.set_timeout(20000);
    ASSERT_EQ(NSAPI_ERROR_OK, ws.connect(tls, "localhost:" + std::to_string(port), "/"))
        << to_string(ws.error());
    const auto mb = pattern(1024 * 1024);
    ASSERT_EQ(NSAPI_ERROR_OK, ws.send_binary(mb.data(), mb.size()));
    WsMessage m;
    ASSERT_EQ(NSAPI_ERROR_OK, ws.receive(m));
    EXPECT_TRUE(m.data == mb);
    EXPECT_EQ(NSAPI_ERROR_OK, ws.close());
    tls.close();
}
#endif
