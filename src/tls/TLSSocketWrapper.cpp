// TLSSocketWrapper: the mbed TLS session driven over a non-blocking transport, with the blocking
// rules of the socket layer implemented here on event flags raised by the transport's sigio.
#include "netsocket/TLSSocketWrapper.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <vector>

#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pem.h>
#include <mbedtls/x509.h>

namespace {

constexpr uint32_t kReadFlag = 0x1u;
constexpr uint32_t kWriteFlag = 0x2u;
constexpr char kPersonalisation[] = "meshwork-tls";
// close() waits at most this long per attempt to push close_notify out.
constexpr int kCloseNotifyWaitMs = 1000;
constexpr int kCloseNotifyAttempts = 3;

bool is_want(int ret) {
    return ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE;
}

uint32_t flag_for(int ret) {
    return ret == MBEDTLS_ERR_SSL_WANT_WRITE ? kWriteFlag : kReadFlag;
}

// mbed TLS takes PEM only with its terminating NUL counted; applications often pass
// strlen(pem). Returns the bytes to parse, NUL-terminated when they look like PEM.
std::vector<unsigned char> parse_input(const void *data, size_t len) {
    const auto *p = static_cast<const unsigned char *>(data);
    std::vector<unsigned char> out(p, p + len);
    static constexpr char kBegin[] = "-----BEGIN ";
    bool pem = len >= sizeof(kBegin) - 1 && std::search(out.begin(), out.end(), kBegin,
                                                        kBegin + sizeof(kBegin) - 1) != out.end();
    if (pem && (out.empty() || out.back() != '\0')) {
        out.push_back('\0');
    }
    return out;
}

bool is_alloc_error(int ret) {
    return ret == MBEDTLS_ERR_SSL_ALLOC_FAILED || ret == MBEDTLS_ERR_X509_ALLOC_FAILED ||
           ret == MBEDTLS_ERR_PK_ALLOC_FAILED || ret == MBEDTLS_ERR_PEM_ALLOC_FAILED;
}

}  // namespace

class TLSSocketWrapper::CallGuard {
  public:
    explicit CallGuard(TLSSocketWrapper &w) : w_(w), entered_(w.enter_call()) {}
    ~CallGuard() {
        if (entered_) {
            w_.leave_call();
        }
    }
    bool entered() const { return entered_; }

  private:
    TLSSocketWrapper &w_;
    bool entered_;
};

TLSSocketWrapper::TLSSocketWrapper(Socket *transport, const char *hostname,
                                   control_transport control)
    : _transport(transport),
      connect_transport_(control == TRANSPORT_CONNECT_AND_CLOSE || control == TRANSPORT_CONNECT),
      close_transport_(control == TRANSPORT_CONNECT_AND_CLOSE || control == TRANSPORT_CLOSE) {
    // The transport may not be constructed yet (an owning subclass's member): only store it.
    mbedtls_ssl_init(&ssl_);
    mbedtls_pk_init(&pk_);
    mbedtls_entropy_init(&entropy_);
    mbedtls_ctr_drbg_init(&drbg_);
    if (hostname) {
        hostname_ = hostname;
    }
}

TLSSocketWrapper::~TLSSocketWrapper() {
    // A transport this wrapper closed is never touched again: an accepted TCPSocket deletes
    // itself on close(), and a closed socket raises no more events.
    if (has_transport()) {
        close();
        if (!transport_closed_ && transport_attached_) {
            _transport->sigio(nullptr);
        }
    }
    mbedtls_ssl_free(&ssl_);
    if (ssl_conf_owned_) {
        mbedtls_ssl_config_free(ssl_conf_);
        delete ssl_conf_;
    }
    if (ca_chain_owned_) {
        mbedtls_x509_crt_free(ca_chain_);
        delete ca_chain_;
    }
    if (own_cert_owned_) {
        mbedtls_x509_crt_free(own_cert_);
        delete own_cert_;
    }
    mbedtls_pk_free(&pk_);
    mbedtls_ctr_drbg_free(&drbg_);
    mbedtls_entropy_free(&entropy_);
}

void TLSSocketWrapper::attach_transport() {
    if (!has_transport()) {
        return;
    }
    transport_attached_ = true;
    _transport->set_blocking(false);
    _transport->sigio(mbed::callback(this, &TLSSocketWrapper::event));
}

void TLSSocketWrapper::reopen_transport() {
    transport_closed_ = false;
    attach_transport();
}

void TLSSocketWrapper::release_transport() {
    if (has_transport()) {
        close();
        if (!transport_closed_ && transport_attached_) {
            _transport->sigio(nullptr);
        }
    }
    transport_attached_ = false;
    _transport = nullptr;
}

void TLSSocketWrapper::event() {
    event_flags_.set(kReadFlag | kWriteFlag);
    mbed::Callback<void()> cb;
    {
        std::lock_guard<std::mutex> lock(callback_mutex_);
        cb = callback_;
    }
    if (cb) {
        cb();
    }
}

bool TLSSocketWrapper::enter_call() {
    std::lock_guard<std::mutex> lock(calls_mutex_);
    if (closing_) {
        return false;
    }
    ++active_calls_;
    return true;
}

void TLSSocketWrapper::leave_call() {
    std::lock_guard<std::mutex> lock(calls_mutex_);
    if (--active_calls_ == 0) {
        calls_cv_.notify_all();
    }
}

// ---- configuration --------------------------------------------------------------------------

void TLSSocketWrapper::set_hostname(const char *hostname) {
    hostname_ = hostname ? hostname : "";
    std::lock_guard<std::mutex> lock(ssl_mutex_);
    if (ssl_setup_done_) {
        mbedtls_ssl_set_hostname(&ssl_, hostname_.empty() ? nullptr : hostname_.c_str());
    }
}

void TLSSocketWrapper::set_default_hostname(const char *hostname) {
    if (hostname_.empty()) {
        set_hostname(hostname);
    }
}

nsapi_error_t TLSSocketWrapper::ensure_rng() {
    if (rng_ready_) {
        return NSAPI_ERROR_OK;
    }
    // Entropy comes from the OS through mbed TLS's default sources (getrandom / /dev/urandom).
    int ret = mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_,
                                    reinterpret_cast<const unsigned char *>(kPersonalisation),
                                    sizeof(kPersonalisation) - 1);
    if (ret != 0) {
        return NSAPI_ERROR_DEVICE_ERROR;
    }
    rng_ready_ = true;
    return NSAPI_ERROR_OK;
}

nsapi_error_t TLSSocketWrapper::ensure_ssl_config() {
    if (ssl_conf_) {
        return NSAPI_ERROR_OK;
    }
    nsapi_error_t err = ensure_rng();
    if (err != NSAPI_ERROR_OK) {
        return err;
    }
    auto *conf = new (std::nothrow) mbedtls_ssl_config;
    if (!conf) {
        return NSAPI_ERROR_NO_MEMORY;
    }
    mbedtls_ssl_config_init(conf);
    int ret = mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, ssl_transport(),
                                          MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) {
        mbedtls_ssl_config_free(conf);
        delete conf;
        return is_alloc_error(ret) ? NSAPI_ERROR_NO_MEMORY : NSAPI_ERROR_DEVICE_ERROR;
    }
    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_rng(conf, mbedtls_ctr_drbg_random, &drbg_);
    if (ca_chain_) {
        mbedtls_ssl_conf_ca_chain(conf, ca_chain_, nullptr);
    }
    if (own_cert_) {
        mbedtls_ssl_conf_own_cert(conf, own_cert_, &pk_);
    }
    ssl_conf_ = conf;
    ssl_conf_owned_ = true;
    return NSAPI_ERROR_OK;
}

nsapi_error_t TLSSocketWrapper::set_root_ca_cert(const void *root_ca, size_t len) {
    if (!root_ca || len == 0) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (!ca_chain_owned_) {
        auto *crt = new (std::nothrow) mbedtls_x509_crt;
        if (!crt) {
            return NSAPI_ERROR_NO_MEMORY;
        }
        mbedtls_x509_crt_init(crt);
        ca_chain_ = crt;
        ca_chain_owned_ = true;
    }
    std::vector<unsigned char> input = parse_input(root_ca, len);
    int ret = mbedtls_x509_crt_parse(ca_chain_, input.data(), input.size());
    if (ret < 0) {
        return is_alloc_error(ret) ? NSAPI_ERROR_NO_MEMORY : NSAPI_ERROR_PARAMETER;
    }
    if (ca_chain_->version == 0) {  // a bundle in which nothing parsed
        return NSAPI_ERROR_PARAMETER;
    }
    nsapi_error_t err = ensure_ssl_config();
    if (err != NSAPI_ERROR_OK) {
        return err;
    }
    mbedtls_ssl_conf_ca_chain(ssl_conf_, ca_chain_, nullptr);
    return NSAPI_ERROR_OK;
}

nsapi_error_t TLSSocketWrapper::set_root_ca_cert(const char *root_ca_pem) {
    if (!root_ca_pem) {
        return NSAPI_ERROR_PARAMETER;
    }
    return set_root_ca_cert(root_ca_pem, std::strlen(root_ca_pem) + 1);
}

nsapi_error_t TLSSocketWrapper::set_root_ca_cert_path(const char *root_ca) {
    if (!root_ca) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (!ca_chain_owned_) {
        auto *crt = new (std::nothrow) mbedtls_x509_crt;
        if (!crt) {
            return NSAPI_ERROR_NO_MEMORY;
        }
        mbedtls_x509_crt_init(crt);
        ca_chain_ = crt;
        ca_chain_owned_ = true;
    }
    int ret = mbedtls_x509_crt_parse_file(ca_chain_, root_ca);
    if (ret == MBEDTLS_ERR_PK_FILE_IO_ERROR || ret == MBEDTLS_ERR_X509_FILE_IO_ERROR) {
        ret = mbedtls_x509_crt_parse_path(ca_chain_, root_ca);
    }
    if (ret < 0 || ca_chain_->version == 0) {
        return is_alloc_error(ret) ? NSAPI_ERROR_NO_MEMORY : NSAPI_ERROR_PARAMETER;
    }
    nsapi_error_t err = ensure_ssl_config();
    if (err != NSAPI_ERROR_OK) {
        return err;
    }
    mbedtls_ssl_conf_ca_chain(ssl_conf_, ca_chain_, nullptr);
    return NSAPI_ERROR_OK;
}

nsapi_error_t TLSSocketWrapper::set_client_cert_key(const void *client_cert, size_t client_cert_len,
                                                    const void *client_private_key_pem,
                                                    size_t client_private_key_len) {
    if (!client_cert || client_cert_len == 0 || !client_private_key_pem ||
        client_private_key_len == 0) {
        return NSAPI_ERROR_PARAMETER;
    }
    auto *crt = new (std::nothrow) mbedtls_x509_crt;
    if (!crt) {
        return NSAPI_ERROR_NO_MEMORY;
    }
    mbedtls_x509_crt_init(crt);
    std::vector<unsigned char> cert = parse_input(client_cert, client_cert_len);
    int ret = mbedtls_x509_crt_parse(crt, cert.data(), cert.size());
    if (ret != 0) {
        mbedtls_x509_crt_free(crt);
        delete crt;
        return is_alloc_error(ret) ? NSAPI_ERROR_NO_MEMORY : NSAPI_ERROR_PARAMETER;
    }
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    std::vector<unsigned char> key = parse_input(client_private_key_pem, client_private_key_len);
    ret = mbedtls_pk_parse_key(&pk, key.data(), key.size(), nullptr, 0);
    if (ret != 0) {
        mbedtls_pk_free(&pk);
        mbedtls_x509_crt_free(crt);
        delete crt;
        return is_alloc_error(ret) ? NSAPI_ERROR_NO_MEMORY : NSAPI_ERROR_PARAMETER;
    }
    nsapi_error_t err = ensure_ssl_config();
    if (err != NSAPI_ERROR_OK) {
        mbedtls_pk_free(&pk);
        mbedtls_x509_crt_free(crt);
        delete crt;
        return err;
    }
    if (own_cert_owned_) {
        mbedtls_x509_crt_free(own_cert_);
        delete own_cert_;
    }
    mbedtls_pk_free(&pk_);
    pk_ = pk;  // moves ownership of the key; pk is not freed
    own_cert_ = crt;
    own_cert_owned_ = true;
    ret = mbedtls_ssl_conf_own_cert(ssl_conf_, own_cert_, &pk_);
    if (ret != 0) {
        return is_alloc_error(ret) ? NSAPI_ERROR_NO_MEMORY : NSAPI_ERROR_PARAMETER;
    }
    return NSAPI_ERROR_OK;
}

nsapi_error_t TLSSocketWrapper::set_client_cert_key(const char *client_cert_pem,
                                                    const char *client_private_key_pem) {
    if (!client_cert_pem || !client_private_key_pem) {
        return NSAPI_ERROR_PARAMETER;
    }
    return set_client_cert_key(client_cert_pem, std::strlen(client_cert_pem) + 1,
                               client_private_key_pem, std::strlen(client_private_key_pem) + 1);
}

mbedtls_x509_crt *TLSSocketWrapper::get_own_cert() {
    return own_cert_;
}

int TLSSocketWrapper::set_own_cert(mbedtls_x509_crt *crt) {
    if (ensure_ssl_config() != NSAPI_ERROR_OK) {
        return MBEDTLS_ERR_SSL_ALLOC_FAILED;
    }
    if (own_cert_owned_) {
        mbedtls_x509_crt_free(own_cert_);
        delete own_cert_;
        own_cert_owned_ = false;
    }
    own_cert_ = crt;
    return crt ? mbedtls_ssl_conf_own_cert(ssl_conf_, own_cert_, &pk_) : 0;
}

mbedtls_x509_crt *TLSSocketWrapper::get_ca_chain() {
    return ca_chain_;
}

void TLSSocketWrapper::set_ca_chain(mbedtls_x509_crt *crt) {
    if (ca_chain_owned_) {
        mbedtls_x509_crt_free(ca_chain_);
        delete ca_chain_;
        ca_chain_owned_ = false;
    }
    ca_chain_ = crt;
    if (ensure_ssl_config() == NSAPI_ERROR_OK) {
        mbedtls_ssl_conf_ca_chain(ssl_conf_, ca_chain_, nullptr);
    }
}

mbedtls_ssl_config *TLSSocketWrapper::get_ssl_config() {
    return ensure_ssl_config() == NSAPI_ERROR_OK ? ssl_conf_ : nullptr;
}

void TLSSocketWrapper::set_ssl_config(mbedtls_ssl_config *conf) {
    if (ssl_conf_owned_) {
        mbedtls_ssl_config_free(ssl_conf_);
        delete ssl_conf_;
        ssl_conf_owned_ = false;
    }
    ssl_conf_ = conf;
}

mbedtls_ssl_context *TLSSocketWrapper::get_ssl_context() {
    return &ssl_;
}

// ---- BIO over the transport -----------------------------------------------------------------

int TLSSocketWrapper::bio_send(void *ctx, const unsigned char *buf, size_t len) {
    auto *self = static_cast<TLSSocketWrapper *>(ctx);
    nsapi_size_or_error_t n = self->_transport->send(buf, static_cast<nsapi_size_t>(len));
    if (n == NSAPI_ERROR_WOULD_BLOCK) {
        return MBEDTLS_ERR_SSL_WANT_WRITE;
    }
    if (n < 0) {
        self->transport_error_ = n;
        return MBEDTLS_ERR_NET_SEND_FAILED;
    }
    return n;
}

int TLSSocketWrapper::bio_recv(void *ctx, unsigned char *buf, size_t len) {
    auto *self = static_cast<TLSSocketWrapper *>(ctx);
    nsapi_size_or_error_t n = self->_transport->recv(buf, static_cast<nsapi_size_t>(len));
    if (n == NSAPI_ERROR_WOULD_BLOCK) {
        return MBEDTLS_ERR_SSL_WANT_READ;
    }
    if (n < 0) {
        self->transport_error_ = n;
        return MBEDTLS_ERR_NET_RECV_FAILED;
    }
    return n;  // 0: the transport reached end of stream (mbed TLS reports CONN_EOF)
}

nsapi_error_t TLSSocketWrapper::map_error(int ret, bool handshake) {
    if (is_want(ret)) {
        return NSAPI_ERROR_WOULD_BLOCK;
    }
    if (is_alloc_error(ret)) {
        return NSAPI_ERROR_NO_MEMORY;
    }
    if (ret == MBEDTLS_ERR_SSL_TIMEOUT) {
        return NSAPI_ERROR_TIMEOUT;
    }
    if (handshake) {
        // As on Mbed OS, a handshake that fails for any reason is AUTH_FAILURE: that includes
        // the peer closing or resetting the connection mid-handshake (CONN_EOF or a transport
        // error), which is how many servers reject a client.
        return NSAPI_ERROR_AUTH_FAILURE;
    }
    if ((ret == MBEDTLS_ERR_NET_SEND_FAILED || ret == MBEDTLS_ERR_NET_RECV_FAILED) &&
        transport_error_.load() < 0) {
        return transport_error_.load();
    }
    if (ret == MBEDTLS_ERR_SSL_BAD_INPUT_DATA) {
        return NSAPI_ERROR_PARAMETER;
    }
    return NSAPI_ERROR_DEVICE_ERROR;
}

// ---- waiting --------------------------------------------------------------------------------

rtos::Kernel::Clock::time_point TLSSocketWrapper::deadline_from_now(bool *has_deadline) const {
    int t = timeout_ms_.load();
    *has_deadline = t >= 0;
    return rtos::Kernel::Clock::now() + std::chrono::milliseconds(t >= 0 ? t : 0);
}

TLSSocketWrapper::Wait TLSSocketWrapper::wait_for(uint32_t flag, bool has_deadline,
                                                  rtos::Kernel::Clock::time_point deadline) {
    using Clock = rtos::Kernel::Clock;
    auto now = Clock::now();
    bool by_timer = false;
    Clock::time_point until = deadline;
    int timer = next_timer_ms();
    if (timer >= 0) {
        auto timer_at = now + std::chrono::milliseconds(timer);
        if (!has_deadline || timer_at < deadline) {
            until = timer_at;
            by_timer = true;
        }
    }
    uint32_t got;
    if (!has_deadline && !by_timer) {
        got = event_flags_.wait_any(flag, osWaitForever, true);
    } else if (until <= now) {
        got = event_flags_.wait_any(flag, 0, true);
    } else {
        got = event_flags_.wait_any_until(flag, until, true);
    }
    {
        std::lock_guard<std::mutex> lock(calls_mutex_);
        if (closing_) {
            return Wait::kClosed;
        }
    }
    if ((got & osFlagsError) == 0) {
        return Wait::kEvent;
    }
    return by_timer ? Wait::kTimer : Wait::kTimeout;
}

// ---- handshake ------------------------------------------------------------------------------

nsapi_error_t TLSSocketWrapper::start_handshake() {
    nsapi_error_t err = ensure_ssl_config();
    if (err != NSAPI_ERROR_OK) {
        return err;
    }
    std::lock_guard<std::mutex> lock(ssl_mutex_);
    if (ssl_setup_done_) {  // a second session on this socket: start from a clean context
        mbedtls_ssl_free(&ssl_);
        mbedtls_ssl_init(&ssl_);
        ssl_setup_done_ = false;
    }
    int ret = mbedtls_ssl_setup(&ssl_, ssl_conf_);
    if (ret != 0) {
        return is_alloc_error(ret) ? NSAPI_ERROR_NO_MEMORY : NSAPI_ERROR_DEVICE_ERROR;
    }
    ssl_setup_done_ = true;
    if (!hostname_.empty() && ssl_conf_->endpoint == MBEDTLS_SSL_IS_CLIENT) {
        ret = mbedtls_ssl_set_hostname(&ssl_, hostname_.c_str());
        if (ret != 0) {
            return is_alloc_error(ret) ? NSAPI_ERROR_NO_MEMORY : NSAPI_ERROR_PARAMETER;
        }
    }
    mbedtls_ssl_set_bio(&ssl_, this, bio_send, bio_recv, nullptr);
    on_ssl_setup();
    transport_error_ = NSAPI_ERROR_OK;
    return NSAPI_ERROR_OK;
}

nsapi_error_t TLSSocketWrapper::connect(const SocketAddress &address) {
    if (!has_transport()) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    CallGuard guard(*this);
    if (!guard.entered()) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    attach_transport();
    if (state_ == Handshake::kDone) {
        return NSAPI_ERROR_IS_CONNECTED;
    }
    if (state_ == Handshake::kFailed) {
        return failure_;
    }
    const bool first = state_ == Handshake::kIdle;
    const nsapi_error_t pending = first ? NSAPI_ERROR_IN_PROGRESS : NSAPI_ERROR_ALREADY;
    if (first) {
        if (connect_transport_) {
            connect_address_ = address;
            state_ = Handshake::kTransportConnecting;
        } else {
            nsapi_error_t err = start_handshake();
            if (err != NSAPI_ERROR_OK) {
                return err;
            }
            state_ = Handshake::kRunning;
        }
    }
    bool has_deadline;
    auto deadline = deadline_from_now(&has_deadline);
    for (;;) {
        uint32_t flag = kWriteFlag;
        if (state_ == Handshake::kTransportConnecting) {
            nsapi_error_t r = _transport->connect(connect_address_);
            if (r == NSAPI_ERROR_OK || r == NSAPI_ERROR_IS_CONNECTED) {
                nsapi_error_t err = start_handshake();
                if (err != NSAPI_ERROR_OK) {
                    state_ = Handshake::kIdle;
                    return err;
                }
                state_ = Handshake::kRunning;
                continue;
            }
            if (r != NSAPI_ERROR_IN_PROGRESS && r != NSAPI_ERROR_ALREADY &&
                r != NSAPI_ERROR_WOULD_BLOCK) {
                state_ = Handshake::kIdle;  // the transport refused: the app may retry
                return r;
            }
        } else {
            int ret;
            {
                std::lock_guard<std::mutex> lock(ssl_mutex_);
                ret = mbedtls_ssl_handshake(&ssl_);
            }
            if (ret == 0) {
                state_ = Handshake::kDone;
                return NSAPI_ERROR_OK;
            }
            if (!is_want(ret)) {
                state_ = Handshake::kFailed;
                failure_ = map_error(ret, true);
                return failure_;
            }
            flag = flag_for(ret);
        }
        switch (wait_for(flag, has_deadline, deadline)) {
            case Wait::kEvent:
                deadline = deadline_from_now(&has_deadline);
                break;
            case Wait::kTimer:
                break;
            case Wait::kTimeout:
                return pending;
            case Wait::kClosed:
                return NSAPI_ERROR_NO_SOCKET;
        }
    }
}

// ---- data -----------------------------------------------------------------------------------

nsapi_size_or_error_t TLSSocketWrapper::send(const void *data, nsapi_size_t size) {
    if (!has_transport()) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (state_ != Handshake::kDone) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    CallGuard guard(*this);
    if (!guard.entered()) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    const auto *p = static_cast<const unsigned char *>(data);
    nsapi_size_t sent = 0;
    bool has_deadline;
    auto deadline = deadline_from_now(&has_deadline);
    for (;;) {
        int ret;
        {
            std::lock_guard<std::mutex> lock(ssl_mutex_);
            ret = mbedtls_ssl_write(&ssl_, p + sent, size - sent);
        }
        if (ret >= 0) {
            sent += static_cast<nsapi_size_t>(ret);
            if (sent >= size || timeout_ms_.load() == 0) {
                return static_cast<nsapi_size_or_error_t>(sent);
            }
            continue;
        }
        if (!is_want(ret)) {
            return map_error(ret, false);
        }
        Wait w = wait_for(flag_for(ret), has_deadline, deadline);
        if (w == Wait::kClosed) {
            return NSAPI_ERROR_NO_SOCKET;
        }
        if (w == Wait::kTimeout) {
            return sent > 0 ? static_cast<nsapi_size_or_error_t>(sent) : NSAPI_ERROR_WOULD_BLOCK;
        }
        if (w == Wait::kEvent) {
            deadline = deadline_from_now(&has_deadline);
        }
    }
}

nsapi_size_or_error_t TLSSocketWrapper::recv(void *data, nsapi_size_t size) {
    if (!has_transport()) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (state_ != Handshake::kDone) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    CallGuard guard(*this);
    if (!guard.entered()) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    bool has_deadline;
    auto deadline = deadline_from_now(&has_deadline);
    for (;;) {
        int ret;
        {
            std::lock_guard<std::mutex> lock(ssl_mutex_);
            ret = mbedtls_ssl_read(&ssl_, static_cast<unsigned char *>(data), size);
        }
        if (ret >= 0) {
            return ret;
        }
        if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
            return 0;
        }
        if (!is_want(ret)) {
            return map_error(ret, false);
        }
        Wait w = wait_for(flag_for(ret), has_deadline, deadline);
        if (w == Wait::kClosed) {
            return NSAPI_ERROR_NO_SOCKET;
        }
        if (w == Wait::kTimeout) {
            return NSAPI_ERROR_WOULD_BLOCK;
        }
        if (w == Wait::kEvent) {
            deadline = deadline_from_now(&has_deadline);
        }
    }
}

nsapi_size_or_error_t TLSSocketWrapper::sendto(const SocketAddress &, const void *data,
                                               nsapi_size_t size) {
    return send(data, size);
}

nsapi_size_or_error_t TLSSocketWrapper::recvfrom(SocketAddress *address, void *data,
                                                 nsapi_size_t size) {
    if (address && has_transport()) {
        _transport->getpeername(address);
    }
    return recv(data, size);
}

// ---- close ----------------------------------------------------------------------------------

nsapi_error_t TLSSocketWrapper::close() {
    if (!has_transport()) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    {
        std::unique_lock<std::mutex> lock(calls_mutex_);
        closing_ = true;
        event_flags_.set(kReadFlag | kWriteFlag);
        calls_cv_.wait(lock, [this] { return active_calls_ == 0; });
    }
    if (state_ == Handshake::kDone) {
        for (int attempt = 0; attempt < kCloseNotifyAttempts; ++attempt) {
            int ret;
            {
                std::lock_guard<std::mutex> lock(ssl_mutex_);
                ret = mbedtls_ssl_close_notify(&ssl_);
            }
            if (!is_want(ret)) {
                break;
            }
            event_flags_.wait_any(kWriteFlag, kCloseNotifyWaitMs, true);
        }
    }
    state_ = Handshake::kIdle;
    failure_ = NSAPI_ERROR_OK;
    nsapi_error_t result = NSAPI_ERROR_OK;
    if (close_transport_) {
        result = _transport->close();
        transport_closed_ = true;
    }
    {
        std::lock_guard<std::mutex> lock(calls_mutex_);
        closing_ = false;
    }
    event_flags_.clear(kReadFlag | kWriteFlag);
    return result;
}

// ---- the rest of Socket ---------------------------------------------------------------------

nsapi_error_t TLSSocketWrapper::bind(const SocketAddress &address) {
    if (!has_transport()) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    return _transport->bind(address);
}

void TLSSocketWrapper::set_blocking(bool blocking) {
    set_timeout(blocking ? -1 : 0);
}

void TLSSocketWrapper::set_timeout(int timeout) {
    timeout_ms_.store(timeout < 0 ? -1 : timeout);
}

void TLSSocketWrapper::sigio(mbed::Callback<void()> func) {
    {
        std::lock_guard<std::mutex> lock(callback_mutex_);
        callback_ = func;
    }
    attach_transport();
}

nsapi_error_t TLSSocketWrapper::setsockopt(int level, int optname, const void *optval,
                                           unsigned optlen) {
    if (!has_transport()) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (level != NSAPI_TLSSOCKET_LEVEL) {
        return _transport->setsockopt(level, optname, optval, optlen);
    }
    switch (optname) {
        case NSAPI_TLSSOCKET_SET_HOSTNAME:
            if (!optval) {
                return NSAPI_ERROR_PARAMETER;
            }
            hostname_.assign(static_cast<const char *>(optval),
                             strnlen(static_cast<const char *>(optval), optlen));
            return NSAPI_ERROR_OK;
        case NSAPI_TLSSOCKET_SET_CACERT:
            return set_root_ca_cert(optval, optlen);
        default:
            return NSAPI_ERROR_UNSUPPORTED;
    }
}

nsapi_error_t TLSSocketWrapper::getsockopt(int level, int optname, void *optval, unsigned *optlen) {
    if (!has_transport()) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (level == NSAPI_TLSSOCKET_LEVEL) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    return _transport->getsockopt(level, optname, optval, optlen);
}

Socket *TLSSocketWrapper::accept(nsapi_error_t *error) {
    if (error) {
        *error = NSAPI_ERROR_UNSUPPORTED;
    }
    return nullptr;
}

nsapi_error_t TLSSocketWrapper::listen(int) {
    return NSAPI_ERROR_UNSUPPORTED;
}

nsapi_error_t TLSSocketWrapper::getpeername(SocketAddress *address) {
    if (!has_transport()) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    return _transport->getpeername(address);
}
