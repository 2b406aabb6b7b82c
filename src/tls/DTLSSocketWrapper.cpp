// DTLSSocketWrapper: mbed TLS's DTLS timers on the runtime clock.
#include "netsocket/DTLSSocketWrapper.h"

#include <chrono>

DTLSSocketWrapper::DTLSSocketWrapper(Socket *transport, const char *hostname,
                                     control_transport control)
    : TLSSocketWrapper(transport, hostname, control) {}

DTLSSocketWrapper::~DTLSSocketWrapper() = default;

void DTLSSocketWrapper::on_ssl_setup() {
    timer_fin_ms_ = 0;
    mbedtls_ssl_set_timer_cb(get_ssl_context(), this, timer_set, timer_get);
}

void DTLSSocketWrapper::timer_set(void *ctx, uint32_t int_ms, uint32_t fin_ms) {
    auto *self = static_cast<DTLSSocketWrapper *>(ctx);
    self->timer_start_ = rtos::Kernel::Clock::now();
    self->timer_int_ms_ = int_ms;
    self->timer_fin_ms_ = fin_ms;
}

// mbed TLS's contract: -1 cancelled, 0 none expired, 1 intermediate expired, 2 final expired.
int DTLSSocketWrapper::timer_get(void *ctx) {
    auto *self = static_cast<DTLSSocketWrapper *>(ctx);
    if (self->timer_fin_ms_ == 0) {
        return -1;
    }
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                       rtos::Kernel::Clock::now() - self->timer_start_)
                       .count();
    if (elapsed >= self->timer_fin_ms_) {
        return 2;
    }
    return elapsed >= self->timer_int_ms_ ? 1 : 0;
}

int DTLSSocketWrapper::next_timer_ms() const {
    if (timer_fin_ms_ == 0) {
        return -1;
    }
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                       rtos::Kernel::Clock::now() - timer_start_)
                       .count();
    long left = static_cast<long>(timer_fin_ms_) - elapsed;
    return left > 0 ? static_cast<int>(left) : 0;
}
