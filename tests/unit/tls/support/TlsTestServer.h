// An in-process TLS or DTLS server for tests, built from the wrappers themselves in server mode
// (a server mbedtls_ssl_config set through get_ssl_config()), over any NetworkStack.
//
// TLS: listens on `port`, accepts one connection, handshakes, then echoes (or, in kSayByeAndClose
// mode, sends "bye" and closes with close_notify). DTLS: a UDP socket on `port` whose peer is set
// with expect_peer() before the client starts, then the same.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "mbedtls/ssl.h"
#include "netsocket/DTLSSocketWrapper.h"
#include "netsocket/NetworkStack.h"
#include "netsocket/TCPSocket.h"
#include "netsocket/TLSSocketWrapper.h"
#include "netsocket/UDPSocket.h"

namespace meshwork::test {

class TlsTestServer {
  public:
    enum class Mode { kEcho, kSayByeAndClose };

    struct Options {
        bool dtls = false;
        Mode mode = Mode::kEcho;
        std::string cert;
        std::string key;
        std::string client_ca;  // non-empty: require a client certificate from this CA
    };

    TlsTestServer(NetworkStack &stack, uint16_t port, Options options)
        : stack_(stack), port_(port), options_(std::move(options)) {
        if (options_.dtls) {
            udp_.open(&stack_);
            setup_ = udp_.bind(port_);
        } else {
            listener_.open(&stack_);
            setup_ = listener_.bind(port_);
            if (setup_ == NSAPI_ERROR_OK) {
                setup_ = listener_.listen(1);
            }
        }
    }

    ~TlsTestServer() {
        join();
        listener_.close();
        udp_.close();
    }

    nsapi_error_t setup_result() const { return setup_; }

    /// DTLS: the client's address (its UDP socket must be bound to it).
    void expect_peer(const SocketAddress &peer) { udp_.connect(peer); }

    void start() {
        thread_ = std::thread([this] { options_.dtls ? run_dtls() : run_tls(); });
    }

    void join() {
        if (thread_.joinable()) {
            thread_.join();
        }
    }

    /// The server's handshake result (after join()).
    nsapi_error_t handshake_result() const { return handshake_.load(); }
    /// Bytes echoed back (after join()).
    size_t echoed() const { return echoed_.load(); }

  private:
    void configure(TLSSocketWrapper &tls) {
        mbedtls_ssl_config *conf = tls.get_ssl_config();
        mbedtls_ssl_conf_endpoint(conf, MBEDTLS_SSL_IS_SERVER);
        mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);
        if (options_.dtls) {
            // No HelloVerifyRequest: the test peer is known (RFC 6347 4.2.1 makes it optional).
            mbedtls_ssl_conf_dtls_cookies(conf, nullptr, nullptr, nullptr);
        }
        if (!options_.client_ca.empty()) {
            tls.set_root_ca_cert(options_.client_ca.c_str());
            mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);
        }
        tls.set_client_cert_key(options_.cert.c_str(), options_.key.c_str());
        tls.set_timeout(10000);  // a guard against hangs only
    }

    void serve(TLSSocketWrapper &tls) {
        configure(tls);
        nsapi_error_t r = tls.connect();
        handshake_.store(r);
        if (r != NSAPI_ERROR_OK) {
            return;
        }
        if (options_.mode == Mode::kSayByeAndClose) {
            tls.send("bye", 3);
            return;  // the caller's close() sends close_notify
        }
        char buf[4096];
        for (;;) {
            nsapi_size_or_error_t n = tls.recv(buf, sizeof(buf));
            if (n <= 0) {
                return;
            }
            if (tls.send(buf, n) != n) {
                return;
            }
            echoed_ += static_cast<size_t>(n);
        }
    }

    void run_tls() {
        nsapi_error_t err = NSAPI_ERROR_OK;
        listener_.set_timeout(10000);
        TCPSocket *conn = listener_.accept(&err);
        if (!conn) {
            handshake_.store(err);
            return;
        }
        // TRANSPORT_CLOSE: the wrapper's close() closes (and so deletes) the accepted socket,
        // after which no event of it can reach the wrapper.
        TLSSocketWrapper tls(conn, nullptr, TLSSocketWrapper::TRANSPORT_CLOSE);
        serve(tls);
        tls.close();
    }

    void run_dtls() {
        // TRANSPORT_CLOSE: once closed, udp_ raises no event that could reach a dead wrapper.
        DTLSSocketWrapper tls(&udp_, nullptr, TLSSocketWrapper::TRANSPORT_CLOSE);
        serve(tls);
        tls.close();
    }

    NetworkStack &stack_;
    uint16_t port_;
    Options options_;
    TCPSocket listener_;
    UDPSocket udp_;
    nsapi_error_t setup_ = NSAPI_ERROR_OK;
    std::thread thread_;
    std::atomic<nsapi_error_t> handshake_{NSAPI_ERROR_WOULD_BLOCK};
    std::atomic<size_t> echoed_{0};
};

}  // namespace meshwork::test
