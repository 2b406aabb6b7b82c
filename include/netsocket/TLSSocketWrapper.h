// TLSSocketWrapper: TLS 1.2 (RFC 5246) over any Socket, on the system's mbed TLS 2.28.
//
// The wrapper drives the transport in non-blocking mode and does every blocking wait itself, on
// its own event flags raised by the transport's sigio (which it takes over), so a blocked recv()
// never holds the TLS context and a DTLS retransmission timer can cut a wait short. Application
// timeouts (set_timeout / set_blocking) apply to each internal wait, as on the plain sockets.
//
// Results (see docs/tls.md for the full table): no transport: NO_SOCKET; send/recv before the
// handshake: NO_CONNECTION; failed handshake, bad certificate or wrong host name: AUTH_FAILURE;
// a pending handshake in non-blocking mode: IN_PROGRESS on the first connect(), ALREADY after;
// the connect() that completes it: OK, later ones IS_CONNECTED; WANT_READ/WANT_WRITE:
// WOULD_BLOCK; the peer's close_notify: recv() returns 0; certificate parse errors: PARAMETER;
// allocation failures: NO_MEMORY; after the handshake, transport errors pass through and other
// TLS errors are DEVICE_ERROR.
//
// A configuration installed with set_ssl_config() may also be a server one
// (MBEDTLS_SSL_IS_SERVER): the wrapper then answers a handshake over an accepted transport.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>

#include "mbedtls/ctr_drbg.h"
#include "mbedtls/entropy.h"
#include "mbedtls/pk.h"
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"
#include "netsocket/Socket.h"
#include "netsocket/SocketAddress.h"
#include "netsocket/nsapi_types.h"
#include "platform/Callback.h"
#include "rtos/EventFlags.h"
#include "rtos/Kernel.h"

class TLSSocketWrapper : public Socket {
  public:
    /// Whether connect() connects the transport first and close() closes it.
    enum control_transport {
        TRANSPORT_KEEP,               ///< neither: the transport is connected and closed by the app
        TRANSPORT_CONNECT_AND_CLOSE,  ///< both
        TRANSPORT_CONNECT,            ///< connect only
        TRANSPORT_CLOSE,              ///< close only
    };

    /// `transport` may be NULL (every call then answers NO_SOCKET). `hostname` is checked
    /// against the server certificate and sent as SNI.
    TLSSocketWrapper(Socket *transport, const char *hostname = NULL,
                     control_transport control = TRANSPORT_CONNECT_AND_CLOSE);
    ~TLSSocketWrapper() override;

    void set_hostname(const char *hostname);

    /// DER, or PEM (with or without the terminating NUL); appends to the trusted chain.
    nsapi_error_t set_root_ca_cert(const void *root_ca, size_t len);
    nsapi_error_t set_root_ca_cert(const char *root_ca_pem);
    /// A PEM/DER file, or a directory of them.
    nsapi_error_t set_root_ca_cert_path(const char *root_ca);

    nsapi_error_t set_client_cert_key(const void *client_cert, size_t client_cert_len,
                                      const void *client_private_key_pem,
                                      size_t client_private_key_len);
    nsapi_error_t set_client_cert_key(const char *client_cert_pem,
                                      const char *client_private_key_pem);

    /// Sends close_notify after a completed handshake, then closes the transport if the control
    /// mode says so (returning its result).
    nsapi_error_t close() override;

    /// Connects the transport (unless the control mode says not to), then runs the handshake.
    nsapi_error_t connect(const SocketAddress &address = SocketAddress()) override;

    nsapi_size_or_error_t send(const void *data, nsapi_size_t size) override;
    nsapi_size_or_error_t recv(void *data, nsapi_size_t size) override;
    /// The address is ignored: send().
    nsapi_size_or_error_t sendto(const SocketAddress &address, const void *data,
                                 nsapi_size_t size) override;
    /// Stores the transport's peer in `*address` (if given), then recv().
    nsapi_size_or_error_t recvfrom(SocketAddress *address, void *data, nsapi_size_t size) override;

    nsapi_error_t bind(const SocketAddress &address) override;
    void set_blocking(bool blocking) override;
    void set_timeout(int timeout) override;
    void sigio(mbed::Callback<void()> func) override;

    /// NSAPI_TLSSOCKET_LEVEL: SET_HOSTNAME and SET_CACERT are honoured, the other options are
    /// UNSUPPORTED. Every other level goes to the transport.
    nsapi_error_t setsockopt(int level, int optname, const void *optval, unsigned optlen) override;
    nsapi_error_t getsockopt(int level, int optname, void *optval, unsigned *optlen) override;

    /// Always NULL with UNSUPPORTED: a TLS socket does not listen.
    Socket *accept(nsapi_error_t *error = NULL) override;
    nsapi_error_t listen(int backlog = 1) override;
    nsapi_error_t getpeername(SocketAddress *address) override;
    NetworkStack *network_stack() override {
        return _transport ? _transport->network_stack() : NULL;
    }

    // Direct access to the mbed TLS objects. Objects passed to the setters stay owned by the
    // caller and must outlive the socket.
    mbedtls_x509_crt *get_own_cert();
    int set_own_cert(mbedtls_x509_crt *crt);
    mbedtls_x509_crt *get_ca_chain();
    void set_ca_chain(mbedtls_x509_crt *crt);
    /// Created on first use (client, the wrapper's transport kind, verification required).
    mbedtls_ssl_config *get_ssl_config();
    void set_ssl_config(mbedtls_ssl_config *conf);
    mbedtls_ssl_context *get_ssl_context();

  protected:
    /// MBEDTLS_SSL_TRANSPORT_STREAM here, DATAGRAM for DTLS.
    virtual int ssl_transport() const { return MBEDTLS_SSL_TRANSPORT_STREAM; }
    /// Called after mbedtls_ssl_setup(): DTLS installs its timers here.
    virtual void on_ssl_setup() {}
    /// Milliseconds until the protocol needs to run again without any input (DTLS
    /// retransmission), or -1 when no timer runs.
    virtual int next_timer_ms() const { return -1; }

    /// Takes over the transport's sigio and makes it non-blocking (idempotent).
    void attach_transport();
    /// For owning subclasses: the transport was opened (again) after close() closed it.
    void reopen_transport();
    /// connect(host, port): the host name to verify unless set_hostname() gave one.
    void set_default_hostname(const char *hostname);
    /// For owning subclasses' destructors: closes, then forgets the transport before the member
    /// that holds it is destroyed.
    void release_transport();

    /// The transport's sigio: wakes blocked calls and forwards to the application.
    void event();

    Socket *_transport;

  private:
    enum class Handshake { kIdle, kTransportConnecting, kRunning, kDone, kFailed };
    enum class Wait { kEvent, kTimer, kTimeout, kClosed };

    nsapi_error_t start_handshake();
    /// Waits for `flag` (or a protocol timer, or close()); `deadline` is the application's.
    Wait wait_for(uint32_t flag, bool has_deadline, rtos::Kernel::Clock::time_point deadline);
    rtos::Kernel::Clock::time_point deadline_from_now(bool *has_deadline) const;
    nsapi_error_t map_error(int ret, bool handshake);
    nsapi_error_t ensure_ssl_config();
    nsapi_error_t ensure_rng();

    static int bio_send(void *ctx, const unsigned char *buf, size_t len);
    static int bio_recv(void *ctx, unsigned char *buf, size_t len);

    // Blocking calls in progress; close() waits for them after waking them.
    class CallGuard;
    bool enter_call();
    void leave_call();

    std::string hostname_;
    bool connect_transport_;
    bool close_transport_;
    bool transport_attached_ = false;
    bool transport_closed_ = false;  // close() closed it: never touched again until reopened
    bool has_transport() const { return _transport && !transport_closed_; }

    mbedtls_ssl_context ssl_;
    bool ssl_setup_done_ = false;
    mbedtls_ssl_config *ssl_conf_ = nullptr;
    bool ssl_conf_owned_ = false;
    mbedtls_entropy_context entropy_;
    mbedtls_ctr_drbg_context drbg_;
    bool rng_ready_ = false;
    mbedtls_x509_crt *ca_chain_ = nullptr;
    bool ca_chain_owned_ = false;
    mbedtls_x509_crt *own_cert_ = nullptr;
    bool own_cert_owned_ = false;
    mbedtls_pk_context pk_;

    std::mutex ssl_mutex_;  // held around every mbed TLS call on ssl_, never while waiting
    std::atomic<Handshake> state_{Handshake::kIdle};
    nsapi_error_t failure_ = NSAPI_ERROR_OK;
    SocketAddress connect_address_;
    std::atomic<nsapi_error_t> transport_error_{NSAPI_ERROR_OK};  // last error the BIO saw

    std::atomic<int> timeout_ms_{-1};
    rtos::EventFlags event_flags_;

    std::mutex callback_mutex_;
    mbed::Callback<void()> callback_;

    std::mutex calls_mutex_;
    std::condition_variable calls_cv_;
    int active_calls_ = 0;
    bool closing_ = false;
};
