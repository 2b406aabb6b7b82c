// TLSSocketWrapper / TLSSocket / DTLSSocket over the in-memory loopback stack, against an
// in-process server built from the same wrappers in server mode. Certificates are generated
// with openssl at test time (support/TestCerts.h).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "netsocket/DTLSSocket.h"
#include "netsocket/TLSSocket.h"
#include "netsocket/TLSSocketWrapper.h"
#include "netsocket/UDPSocket.h"
#include "rtos/Semaphore.h"
#include "support/LoopbackStack.h"
#include "support/TestCerts.h"
#include "support/TlsTestServer.h"

namespace meshwork::test {
namespace {

constexpr uint16_t kPort = 4433;

class TlsSocketTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(certs().ok) << "openssl could not generate the test certificates";
    }

    static const TestCerts &certs() { return TestCerts::get(); }

    TlsTestServer::Options server_options(const std::string &cert) {
        TlsTestServer::Options o;
        o.cert = cert;
        o.key = certs().server_key;
        return o;
    }

    // A TLSSocket opened on the stack, trusting the test CA, verifying "localhost".
    void prepare_client(TLSSocket &client) {
        ASSERT_EQ(client.open(&stack_), NSAPI_ERROR_OK);
        ASSERT_EQ(client.set_root_ca_cert(certs().ca_pem.c_str()), NSAPI_ERROR_OK);
        client.set_hostname("localhost");
        client.set_timeout(10000);  // a guard against hangs only
    }

    SocketAddress server_address() const { return SocketAddress("127.0.0.1", kPort); }

    LoopbackStack stack_{[] {
        LoopbackStack::Options o;
        o.events = LoopbackStack::Events::kWorker;
        o.max_sockets = 32;
        return o;
    }()};
};

TEST_F(TlsSocketTest, EveryCallWithoutTransportIsNoSocket) {
    TLSSocketWrapper tls(nullptr);
    char buf[4];
    EXPECT_EQ(tls.connect(SocketAddress("127.0.0.1", kPort)), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(tls.send("x", 1), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(tls.recv(buf, sizeof(buf)), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(tls.bind(SocketAddress(nullptr, 1234)), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(tls.getpeername(nullptr), NSAPI_ERROR_NO_SOCKET);
    EXPECT_EQ(tls.close(), NSAPI_ERROR_NO_SOCKET);
}

TEST_F(TlsSocketTest, SendAndRecvBeforeHandshakeAreNoConnection) {
    TLSSocket client;
    prepare_client(client);
    char buf[4];
    EXPECT_EQ(client.send("x", 1), NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(client.recv(buf, sizeof(buf)), NSAPI_ERROR_NO_CONNECTION);
}

TEST_F(TlsSocketTest, AcceptAndListenAreUnsupported) {
    TLSSocket client;
    nsapi_error_t err = NSAPI_ERROR_OK;
    EXPECT_EQ(client.accept(&err), nullptr);
    EXPECT_EQ(err, NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(client.listen(), NSAPI_ERROR_UNSUPPORTED);
}

TEST_F(TlsSocketTest, CertificateParsing) {
    TLSSocket client;
    EXPECT_EQ(client.set_root_ca_cert("not a certificate"), NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(client.set_root_ca_cert(nullptr), NSAPI_ERROR_PARAMETER);
    // PEM with and without the terminating NUL, and DER.
    EXPECT_EQ(client.set_root_ca_cert(certs().ca_pem.c_str()), NSAPI_ERROR_OK);
    EXPECT_EQ(client.set_root_ca_cert(certs().ca_pem.data(), certs().ca_pem.size()),
              NSAPI_ERROR_OK);
    EXPECT_EQ(client.set_root_ca_cert(certs().ca_der.data(), certs().ca_der.size()),
              NSAPI_ERROR_OK);
    ASSERT_NE(client.get_ca_chain(), nullptr);
    EXPECT_EQ(client.set_root_ca_cert_path(certs().path("ca.crt").c_str()), NSAPI_ERROR_OK);
    EXPECT_EQ(client.set_root_ca_cert_path("/nonexistent/ca.pem"), NSAPI_ERROR_PARAMETER);

    EXPECT_EQ(client.set_client_cert_key(certs().client_crt.c_str(), "garbage"),
              NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(client.set_client_cert_key("garbage", certs().client_key.c_str()),
              NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(client.get_own_cert(), nullptr);
    EXPECT_EQ(client.set_client_cert_key(certs().client_crt.c_str(), certs().client_key.c_str()),
              NSAPI_ERROR_OK);
    EXPECT_NE(client.get_own_cert(), nullptr);
    EXPECT_NE(client.get_ssl_config(), nullptr);
    EXPECT_NE(client.get_ssl_context(), nullptr);
}

TEST_F(TlsSocketTest, HandshakeAndEcho) {
    TlsTestServer server(stack_, kPort, server_options(certs().server_crt));
    ASSERT_EQ(server.setup_result(), NSAPI_ERROR_OK);
    server.start();

    TLSSocket client;
    prepare_client(client);
    ASSERT_EQ(client.connect(server_address()), NSAPI_ERROR_OK);
    EXPECT_EQ(client.connect(server_address()), NSAPI_ERROR_IS_CONNECTED);

    const char msg[] = "hello over TLS";
    EXPECT_EQ(client.send(msg, sizeof(msg)), (nsapi_size_or_error_t)sizeof(msg));
    char buf[64] = {};
    size_t got = 0;
    while (got < sizeof(msg)) {
        nsapi_size_or_error_t n = client.recv(buf + got, sizeof(buf) - got);
        ASSERT_GT(n, 0);
        got += static_cast<size_t>(n);
    }
    EXPECT_STREQ(buf, msg);

    SocketAddress peer;
    EXPECT_EQ(client.getpeername(&peer), NSAPI_ERROR_OK);
    EXPECT_EQ(peer.get_port(), kPort);

    EXPECT_EQ(client.close(), NSAPI_ERROR_OK);
    server.join();
    EXPECT_EQ(server.handshake_result(), NSAPI_ERROR_OK);
    EXPECT_EQ(server.echoed(), sizeof(msg));
}

TEST_F(TlsSocketTest, BulkEchoLargerThanTransportBuffers) {
    TlsTestServer server(stack_, kPort, server_options(certs().server_crt));
    server.start();
    TLSSocket client;
    prepare_client(client);
    ASSERT_EQ(client.connect(server_address()), NSAPI_ERROR_OK);

    // 100 kB is several TLS records and more than the stack buffers: the sender must wait for
    // WANT_WRITE while the echo comes back, so receive on another thread.
    std::vector<unsigned char> out(100 * 1024);
    for (size_t i = 0; i < out.size(); ++i) {
        out[i] = static_cast<unsigned char>(i * 7 + (i >> 9));
    }
    std::vector<unsigned char> in;
    std::thread reader([&] {
        unsigned char buf[3000];
        while (in.size() < out.size()) {
            nsapi_size_or_error_t n = client.recv(buf, sizeof(buf));
            if (n <= 0) {
                break;
            }
            in.insert(in.end(), buf, buf + n);
        }
    });
    EXPECT_EQ(client.send(out.data(), out.size()), (nsapi_size_or_error_t)out.size());
    reader.join();
    EXPECT_EQ(in, out);
    client.close();
}

TEST_F(TlsSocketTest, UntrustedCertificateIsAuthFailure) {
    TlsTestServer server(stack_, kPort, server_options(certs().untrusted_crt));
    server.start();
    TLSSocket client;
    prepare_client(client);
    EXPECT_EQ(client.connect(server_address()), NSAPI_ERROR_AUTH_FAILURE);
    char buf[4];
    EXPECT_EQ(client.send("x", 1), NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(client.recv(buf, sizeof(buf)), NSAPI_ERROR_NO_CONNECTION);
    client.close();
    server.join();
    EXPECT_NE(server.handshake_result(), NSAPI_ERROR_OK);
}

TEST_F(TlsSocketTest, WrongHostNameIsAuthFailure) {
    TlsTestServer server(stack_, kPort, server_options(certs().wronghost_crt));
    server.start();
    TLSSocket client;
    prepare_client(client);
    EXPECT_EQ(client.connect(server_address()), NSAPI_ERROR_AUTH_FAILURE);
    client.close();
    server.join();
}

TEST_F(TlsSocketTest, HostNameNotInCertificateIsAuthFailure) {
    TlsTestServer server(stack_, kPort, server_options(certs().server_crt));
    server.start();
    TLSSocket client;
    prepare_client(client);
    client.set_hostname("other.example");
    EXPECT_EQ(client.connect(server_address()), NSAPI_ERROR_AUTH_FAILURE);
    client.close();
    server.join();
}

TEST_F(TlsSocketTest, ExpiredCertificateIsAuthFailure) {
    TlsTestServer server(stack_, kPort, server_options(certs().expired_crt));
    server.start();
    TLSSocket client;
    prepare_client(client);
    EXPECT_EQ(client.connect(server_address()), NSAPI_ERROR_AUTH_FAILURE);
    client.close();
    server.join();
}

TEST_F(TlsSocketTest, NonBlockingHandshakeIsInProgressThenAlready) {
    TlsTestServer server(stack_, kPort, server_options(certs().server_crt));
    server.start();
    TLSSocket client;
    prepare_client(client);
    rtos::Semaphore poke(0);
    client.sigio([&poke] { poke.release(); });
    client.set_blocking(false);

    std::vector<nsapi_error_t> results;
    nsapi_error_t r = client.connect(server_address());
    results.push_back(r);
    auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while ((r == NSAPI_ERROR_IN_PROGRESS || r == NSAPI_ERROR_ALREADY) &&
           std::chrono::steady_clock::now() < limit) {
        poke.try_acquire_for(std::chrono::milliseconds(100));
        r = client.connect(server_address());
        results.push_back(r);
    }
    ASSERT_EQ(r, NSAPI_ERROR_OK);
    ASSERT_GE(results.size(), 2u);
    EXPECT_EQ(results.front(), NSAPI_ERROR_IN_PROGRESS);
    for (size_t i = 1; i + 1 < results.size(); ++i) {
        EXPECT_EQ(results[i], NSAPI_ERROR_ALREADY) << "call " << i;
    }
    EXPECT_EQ(client.connect(server_address()), NSAPI_ERROR_IS_CONNECTED);

    // Non-blocking data: WOULD_BLOCK until the echo arrives.
    char buf[16];
    EXPECT_EQ(client.recv(buf, sizeof(buf)), NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(client.send("ping", 4), 4);
    nsapi_size_or_error_t n = NSAPI_ERROR_WOULD_BLOCK;
    while (n == NSAPI_ERROR_WOULD_BLOCK && std::chrono::steady_clock::now() < limit) {
        poke.try_acquire_for(std::chrono::milliseconds(100));
        n = client.recv(buf, sizeof(buf));
    }
    ASSERT_EQ(n, 4);
    EXPECT_EQ(std::string(buf, 4), "ping");
    client.set_blocking(true);
    client.close();
    server.join();
}

TEST_F(TlsSocketTest, PeerCloseNotifyMakesRecvReturnZero) {
    TlsTestServer::Options o = server_options(certs().server_crt);
    o.mode = TlsTestServer::Mode::kSayByeAndClose;
    TlsTestServer server(stack_, kPort, o);
    server.start();
    TLSSocket client;
    prepare_client(client);
    ASSERT_EQ(client.connect(server_address()), NSAPI_ERROR_OK);
    char buf[16];
    std::string got;
    nsapi_size_or_error_t n;
    while ((n = client.recv(buf, sizeof(buf))) > 0) {
        got.append(buf, static_cast<size_t>(n));
    }
    EXPECT_EQ(n, 0);
    EXPECT_EQ(got, "bye");
    client.close();
    server.join();
}

TEST_F(TlsSocketTest, RecvTimeoutIsWouldBlock) {
    TlsTestServer server(stack_, kPort, server_options(certs().server_crt));
    server.start();
    TLSSocket client;
    prepare_client(client);
    ASSERT_EQ(client.connect(server_address()), NSAPI_ERROR_OK);
    client.set_timeout(50);
    char buf[16];
    EXPECT_EQ(client.recv(buf, sizeof(buf)), NSAPI_ERROR_WOULD_BLOCK);
    client.close();
    server.join();
}

TEST_F(TlsSocketTest, CloseWakesABlockedRecv) {
    TlsTestServer server(stack_, kPort, server_options(certs().server_crt));
    server.start();
    TLSSocket client;
    prepare_client(client);
    ASSERT_EQ(client.connect(server_address()), NSAPI_ERROR_OK);
    client.set_blocking(true);
    std::atomic<bool> entered{false};
    std::atomic<nsapi_size_or_error_t> result{1};
    std::thread reader([&] {
        char buf[16];
        entered = true;
        result = client.recv(buf, sizeof(buf));
    });
    while (!entered) {
        std::this_thread::yield();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    client.close();
    reader.join();
    EXPECT_LE(result.load(), 0);
    server.join();
}

TEST_F(TlsSocketTest, ClientCertificateAcceptedByServer) {
    TlsTestServer::Options o = server_options(certs().server_crt);
    o.client_ca = certs().ca_pem;
    TlsTestServer server(stack_, kPort, o);
    server.start();
    TLSSocket client;
    prepare_client(client);
    ASSERT_EQ(client.set_client_cert_key(certs().client_crt.c_str(), certs().client_key.c_str()),
              NSAPI_ERROR_OK);
    ASSERT_EQ(client.connect(server_address()), NSAPI_ERROR_OK);
    EXPECT_EQ(client.send("abc", 3), 3);
    char buf[8];
    EXPECT_EQ(client.recv(buf, sizeof(buf)), 3);
    client.close();
    server.join();
    EXPECT_EQ(server.handshake_result(), NSAPI_ERROR_OK);
}

TEST_F(TlsSocketTest, MissingClientCertificateFailsOnBothSides) {
    TlsTestServer::Options o = server_options(certs().server_crt);
    o.client_ca = certs().ca_pem;
    TlsTestServer server(stack_, kPort, o);
    server.start();
    TLSSocket client;
    prepare_client(client);
    EXPECT_EQ(client.connect(server_address()), NSAPI_ERROR_AUTH_FAILURE);
    client.close();
    server.join();
    EXPECT_EQ(server.handshake_result(), NSAPI_ERROR_AUTH_FAILURE);
}

TEST_F(TlsSocketTest, SocketCanBeReopenedAfterClose) {
    TLSSocket client;  // one object: open, handshake, close, then all over again
    for (int round = 0; round < 2; ++round) {
        TlsTestServer server(stack_, kPort, server_options(certs().server_crt));
        server.start();
        prepare_client(client);
        ASSERT_EQ(client.connect(server_address()), NSAPI_ERROR_OK) << "round " << round;
        EXPECT_EQ(client.send("r", 1), 1);
        char c;
        EXPECT_EQ(client.recv(&c, 1), 1);
        EXPECT_EQ(client.close(), NSAPI_ERROR_OK);
        EXPECT_EQ(client.send("r", 1), NSAPI_ERROR_NO_SOCKET) << "closed";
        server.join();
    }
}

TEST_F(TlsSocketTest, DtlsHandshakeAndDatagramEcho) {
    TlsTestServer::Options o = server_options(certs().server_crt);
    o.dtls = true;
    TlsTestServer server(stack_, kPort, o);
    ASSERT_EQ(server.setup_result(), NSAPI_ERROR_OK);

    DTLSSocket client;
    ASSERT_EQ(client.open(&stack_), NSAPI_ERROR_OK);
    const uint16_t client_port = 5684;
    ASSERT_EQ(client.bind(SocketAddress(nullptr, client_port)), NSAPI_ERROR_OK);
    server.expect_peer(SocketAddress("127.0.0.1", client_port));
    server.start();

    ASSERT_EQ(client.set_root_ca_cert(certs().ca_pem.c_str()), NSAPI_ERROR_OK);
    client.set_hostname("localhost");
    client.set_timeout(10000);
    ASSERT_EQ(client.connect(server_address()), NSAPI_ERROR_OK);
    for (int i = 0; i < 5; ++i) {
        std::string msg = "datagram " + std::to_string(i);
        EXPECT_EQ(client.send(msg.data(), msg.size()), (nsapi_size_or_error_t)msg.size());
        char buf[64];
        nsapi_size_or_error_t n = client.recv(buf, sizeof(buf));
        ASSERT_EQ(n, (nsapi_size_or_error_t)msg.size());
        EXPECT_EQ(std::string(buf, static_cast<size_t>(n)), msg);
    }
    client.close();
    server.join();
    EXPECT_EQ(server.handshake_result(), NSAPI_ERROR_OK);
}

// A datagram transport that silently drops its first `drops` sends, as a lossy link would.
class LossyTransport : public Socket {
  public:
    LossyTransport(UDPSocket &inner, int drops) : inner_(inner), drops_(drops) {}
    int dropped() const { return dropped_; }

    nsapi_error_t close() override { return inner_.close(); }
    nsapi_error_t connect(const SocketAddress &a) override { return inner_.connect(a); }
    nsapi_size_or_error_t send(const void *data, nsapi_size_t size) override {
        if (dropped_ < drops_) {
            ++dropped_;
            return static_cast<nsapi_size_or_error_t>(size);
        }
        return inner_.send(data, size);
    }
    nsapi_size_or_error_t recv(void *data, nsapi_size_t size) override {
        return inner_.recv(data, size);
    }
    nsapi_size_or_error_t sendto(const SocketAddress &, const void *data,
                                 nsapi_size_t size) override {
        return send(data, size);
    }
    nsapi_size_or_error_t recvfrom(SocketAddress *a, void *data, nsapi_size_t size) override {
        return inner_.recvfrom(a, data, size);
    }
    nsapi_error_t bind(const SocketAddress &a) override { return inner_.bind(a); }
    void set_blocking(bool b) override { inner_.set_blocking(b); }
    void set_timeout(int t) override { inner_.set_timeout(t); }
    void sigio(mbed::Callback<void()> f) override { inner_.sigio(f); }
    nsapi_error_t setsockopt(int l, int o, const void *v, unsigned n) override {
        return inner_.setsockopt(l, o, v, n);
    }
    nsapi_error_t getsockopt(int l, int o, void *v, unsigned *n) override {
        return inner_.getsockopt(l, o, v, n);
    }
    Socket *accept(nsapi_error_t *error) override { return inner_.accept(error); }
    nsapi_error_t listen(int backlog) override { return inner_.listen(backlog); }
    nsapi_error_t getpeername(SocketAddress *a) override { return inner_.getpeername(a); }

  private:
    UDPSocket &inner_;
    int drops_;
    int dropped_ = 0;
};

TEST_F(TlsSocketTest, DtlsRetransmitsALostFlight) {
    TlsTestServer::Options o = server_options(certs().server_crt);
    o.dtls = true;
    TlsTestServer server(stack_, kPort, o);
    UDPSocket udp;
    ASSERT_EQ(udp.open(&stack_), NSAPI_ERROR_OK);
    ASSERT_EQ(udp.bind(SocketAddress(nullptr, 5686)), NSAPI_ERROR_OK);
    server.expect_peer(SocketAddress("127.0.0.1", 5686));
    server.start();
    LossyTransport lossy(udp, 1);  // the first ClientHello never arrives
    {
        DTLSSocketWrapper dtls(&lossy, "localhost", TLSSocketWrapper::TRANSPORT_CONNECT_AND_CLOSE);
        ASSERT_EQ(dtls.set_root_ca_cert(certs().ca_pem.c_str()), NSAPI_ERROR_OK);
        // Short retransmission timers keep the test quick (RFC 6347 4.2.4.1 leaves them open).
        mbedtls_ssl_conf_handshake_timeout(dtls.get_ssl_config(), 50, 5000);
        dtls.set_timeout(20000);  // a guard against hangs only
        ASSERT_EQ(dtls.connect(server_address()), NSAPI_ERROR_OK);
        EXPECT_EQ(lossy.dropped(), 1);
        EXPECT_EQ(dtls.send("after loss", 10), 10);
        char buf[16];
        EXPECT_EQ(dtls.recv(buf, sizeof(buf)), 10);
        EXPECT_EQ(dtls.close(), NSAPI_ERROR_OK);  // closes udp through the lossy transport
    }
    server.join();
}

TEST_F(TlsSocketTest, DtlsUntrustedServerIsAuthFailure) {
    TlsTestServer::Options o = server_options(certs().untrusted_crt);
    o.dtls = true;
    TlsTestServer server(stack_, kPort, o);
    DTLSSocket client;
    ASSERT_EQ(client.open(&stack_), NSAPI_ERROR_OK);
    ASSERT_EQ(client.bind(SocketAddress(nullptr, 5685)), NSAPI_ERROR_OK);
    server.expect_peer(SocketAddress("127.0.0.1", 5685));
    server.start();
    ASSERT_EQ(client.set_root_ca_cert(certs().ca_pem.c_str()), NSAPI_ERROR_OK);
    client.set_hostname("localhost");
    client.set_timeout(10000);
    EXPECT_EQ(client.connect(server_address()), NSAPI_ERROR_AUTH_FAILURE);
    client.close();
    server.join();
}

TEST_F(TlsSocketTest, WrapperOverCallerConnectedTransportKeepsIt) {
    TlsTestServer server(stack_, kPort, server_options(certs().server_crt));
    server.start();
    TCPSocket tcp;
    ASSERT_EQ(tcp.open(&stack_), NSAPI_ERROR_OK);
    ASSERT_EQ(tcp.connect(server_address()), NSAPI_ERROR_OK);
    {
        TLSSocketWrapper tls(&tcp, "localhost", TLSSocketWrapper::TRANSPORT_KEEP);
        ASSERT_EQ(tls.set_root_ca_cert(certs().ca_pem.c_str()), NSAPI_ERROR_OK);
        tls.set_timeout(10000);
        ASSERT_EQ(tls.connect(), NSAPI_ERROR_OK);
        EXPECT_EQ(tls.send("k", 1), 1);
        char c;
        EXPECT_EQ(tls.recv(&c, 1), 1);
        EXPECT_EQ(tls.close(), NSAPI_ERROR_OK);
        // TRANSPORT_KEEP: the TCP socket is still open, ours to close (before the wrapper goes,
        // so that no event of it can be in flight towards the wrapper).
        EXPECT_EQ(tcp.close(), NSAPI_ERROR_OK);
    }
    server.join();
}

}  // namespace
}  // namespace meshwork::test
