// DTLSSocketWrapper: DTLS 1.2 (RFC 6347) over a datagram Socket, on the system's mbed TLS.
//
// Everything of TLSSocketWrapper applies; in addition the handshake runs mbed TLS's
// retransmission timers (RFC 6347 section 4.2.4) on the runtime clock (rtos::Kernel::Clock), so
// a blocking connect() retransmits lost flights by itself, and a non-blocking one does so each
// time the application calls connect() again. The transport is typically a UDPSocket whose
// connect() sets the peer.
#pragma once

#include "netsocket/TLSSocketWrapper.h"
#include "rtos/Kernel.h"

class DTLSSocketWrapper : public TLSSocketWrapper {
  public:
    DTLSSocketWrapper(Socket *transport, const char *hostname = NULL,
                      control_transport control = TRANSPORT_CONNECT_AND_CLOSE);
    ~DTLSSocketWrapper() override;

  protected:
    int ssl_transport() const override { return MBEDTLS_SSL_TRANSPORT_DATAGRAM; }
    void on_ssl_setup() override;
    int next_timer_ms() const override;

  private:
    // mbed TLS timer callbacks (mbedtls_ssl_set_timer_cb).
    static void timer_set(void *ctx, uint32_t int_ms, uint32_t fin_ms);
    static int timer_get(void *ctx);

    rtos::Kernel::Clock::time_point timer_start_{};
    uint32_t timer_int_ms_ = 0;
    uint32_t timer_fin_ms_ = 0;  // 0: cancelled
};
