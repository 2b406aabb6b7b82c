// TLSSocket and DTLSSocket on the host stack against the openssl command-line tool on loopback:
// openssl s_server (TLS and DTLS) as the server for our clients, and openssl s_client against a
// TLSSocketWrapper in server mode. Certificates are generated with openssl at test time.
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <chrono>
#include <string>
#include <thread>

#include "meshwork/HostStack.h"
#include "netsocket/DTLSSocket.h"
#include "netsocket/TLSSocket.h"
#include "rtos/Semaphore.h"
#include "support/TestCerts.h"
#include "support/TlsTestServer.h"
#include "OpensslProcess.h"

namespace meshwork::test {
namespace {

class TlsOpensslTest : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_TRUE(certs().ok) << "openssl could not make certificates"; }

    static const TestCerts &certs() { return TestCerts::get(); }

    // openssl s_server on a free loopback port with `cert`; true once it accepts.
    bool start_server(const char *cert, std::vector<std::string> extra, int type = SOCK_STREAM) {
        port_ = OpensslProcess::free_port(type);
        std::vector<std::string> args = {
            "s_server", "-accept",   "127.0.0.1:" + std::to_string(port_), "-cert", cert,
            "-key",     "server.key"};
        args.insert(args.end(), extra.begin(), extra.end());
        return server_.start(args, certs().dir) && server_.wait_for("ACCEPT");
    }

    void prepare(TLSSocketWrapper &tls) {
        ASSERT_EQ(tls.set_root_ca_cert(certs().ca_pem.c_str()), NSAPI_ERROR_OK);
        tls.set_hostname("localhost");
        tls.set_timeout(15000);  // a guard against hangs only
    }

    SocketAddress server_address() const { return SocketAddress("127.0.0.1", port_); }

    HostStack stack_;
    OpensslProcess server_;
    uint16_t port_ = 0;
};

TEST_F(TlsOpensslTest, HttpsGetFromSServerEndsWithCloseNotify) {
    ASSERT_TRUE(start_server("server.crt", {"-www"}));
    TLSSocket tls;
    ASSERT_EQ(tls.open(&stack_), NSAPI_ERROR_OK);
    prepare(tls);
    ASSERT_EQ(tls.connect(server_address()), NSAPI_ERROR_OK);
    const std::string req = "GET / HTTP/1.0\r\n\r\n";
    ASSERT_EQ(tls.send(req.data(), req.size()), (nsapi_size_or_error_t)req.size());
    std::string response;
    char buf[2048];
    nsapi_size_or_error_t n;
    while ((n = tls.recv(buf, sizeof(buf))) > 0) {
        response.append(buf, static_cast<size_t>(n));
    }
    EXPECT_EQ(n, 0) << "s_server -www ends the session with close_notify";
    EXPECT_EQ(response.rfind("HTTP/1.0 200 ok", 0), 0u) << response.substr(0, 80);
    EXPECT_NE(response.find("TLSv1.2"), std::string::npos);
    EXPECT_EQ(tls.close(), NSAPI_ERROR_OK);
}

TEST_F(TlsOpensslTest, UntrustedServerIsAuthFailure) {
    ASSERT_TRUE(start_server("untrusted.crt", {"-www"}));
    TLSSocket tls;
    ASSERT_EQ(tls.open(&stack_), NSAPI_ERROR_OK);
    prepare(tls);
    EXPECT_EQ(tls.connect(server_address()), NSAPI_ERROR_AUTH_FAILURE);
    tls.close();
}

TEST_F(TlsOpensslTest, WrongHostNameIsAuthFailure) {
    ASSERT_TRUE(start_server("wronghost.crt", {"-www"}));
    TLSSocket tls;
    ASSERT_EQ(tls.open(&stack_), NSAPI_ERROR_OK);
    prepare(tls);
    EXPECT_EQ(tls.connect(server_address()), NSAPI_ERROR_AUTH_FAILURE);
    tls.close();
}

TEST_F(TlsOpensslTest, NonBlockingHandshakeAgainstSServer) {
    ASSERT_TRUE(start_server("server.crt", {"-www"}));
    TLSSocket tls;
    ASSERT_EQ(tls.open(&stack_), NSAPI_ERROR_OK);
    prepare(tls);
    rtos::Semaphore poke(0);
    tls.sigio([&poke] { poke.release(); });
    tls.set_blocking(false);
    nsapi_error_t r = tls.connect(server_address());
    EXPECT_EQ(r, NSAPI_ERROR_IN_PROGRESS);
    auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    int calls = 1;
    while ((r == NSAPI_ERROR_IN_PROGRESS || r == NSAPI_ERROR_ALREADY) &&
           std::chrono::steady_clock::now() < limit) {
        poke.try_acquire_for(std::chrono::milliseconds(100));
        r = tls.connect(server_address());
        if (r != NSAPI_ERROR_OK) {
            EXPECT_EQ(r, NSAPI_ERROR_ALREADY) << "call " << calls;
        }
        ++calls;
    }
    ASSERT_EQ(r, NSAPI_ERROR_OK);
    EXPECT_EQ(tls.connect(server_address()), NSAPI_ERROR_IS_CONNECTED);
    tls.set_blocking(true);
    tls.close();
}

TEST_F(TlsOpensslTest, DtlsHandshakeAndDatagramsWithSServer) {
    ASSERT_TRUE(start_server("server.crt", {"-dtls1_2"}, SOCK_DGRAM));
    DTLSSocket dtls;
    ASSERT_EQ(dtls.open(&stack_), NSAPI_ERROR_OK);
    prepare(dtls);
    ASSERT_EQ(dtls.connect(server_address()), NSAPI_ERROR_OK);
    // Our datagram reaches s_server's stdout; a line on its stdin comes back as a datagram.
    const std::string msg = "hello from DTLSSocket\n";
    ASSERT_EQ(dtls.send(msg.data(), msg.size()), (nsapi_size_or_error_t)msg.size());
    EXPECT_TRUE(server_.wait_for("hello from DTLSSocket")) << server_.output();
    server_.write("hello from s_server\n");
    char buf[256];
    nsapi_size_or_error_t n = dtls.recv(buf, sizeof(buf));
    ASSERT_GT(n, 0);
    EXPECT_EQ(std::string(buf, static_cast<size_t>(n)), "hello from s_server\n");
    EXPECT_EQ(dtls.close(), NSAPI_ERROR_OK);
}

TEST_F(TlsOpensslTest, SClientAgainstOurTlsServer) {
    uint16_t port = OpensslProcess::free_port(SOCK_STREAM);
    TlsTestServer::Options o;
    o.cert = certs().server_crt;
    o.key = certs().server_key;
    TlsTestServer server(stack_, port, o);
    ASSERT_EQ(server.setup_result(), NSAPI_ERROR_OK);
    server.start();
    OpensslProcess client;
    ASSERT_TRUE(client.start({"s_client", "-connect", "127.0.0.1:" + std::to_string(port),
                              "-CAfile", "ca.crt", "-servername", "localhost", "-verify_hostname",
                              "localhost", "-verify_return_error", "-quiet"},
                             certs().dir));
    client.write("echo me\n");
    EXPECT_TRUE(client.wait_for("echo me")) << client.output();
    client.stop();
    server.join();
    EXPECT_EQ(server.handshake_result(), NSAPI_ERROR_OK);
}

}  // namespace
}  // namespace meshwork::test
