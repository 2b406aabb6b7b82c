// What Mbed sources take from the target and the platform before anything else (issue 15):
// the DEVICE_* capabilities the LINUX pseudo-target really has, seen before any include, as an
// Mbed build has them on the command line, and none it lacks; TRACE_GROUP defined after
// mbed_trace.h without a redefinition (built with -Werror); and the headers suites include that
// Linux has no use for, by their Mbed names, the 5.x features/netsocket path among them.
#if !DEVICE_TRNG || !DEVICE_SERIAL || !DEVICE_STDIO_MESSAGES || !DEVICE_USTICKER || \
    !DEVICE_LPTICKER || !DEVICE_EMAC
#error "a DEVICE_* capability of the LINUX pseudo-target is missing"
#endif
#if defined(DEVICE_INTERRUPTIN) || defined(DEVICE_SLEEP) || defined(DEVICE_I2C) || \
    defined(DEVICE_SPI) || defined(DEVICE_ANALOGIN) || defined(DEVICE_PWMOUT) ||   \
    defined(DEVICE_FLASH) || defined(DEVICE_802_15_4_PHY) || defined(DEVICE_WATCHDOG)
#error "a DEVICE_* capability the shim does not provide is declared"
#endif

#include "mbed.h"
#include "mbed-trace/mbed_trace.h"
#define TRACE_GROUP "app"

#include "CellularDevice.h"
#include "features/netsocket/NetworkInterface.h"
#include "features/netsocket/TCPSocket.h"
#include "features/netsocket/UDPSocket.h"
#include "hal/lp_ticker_api.h"
#include "hal/ticker_api.h"
#include "hal/trng_api.h"
#include "hal/us_ticker_api.h"
#include "platform/mbed_retarget.h"
#include "ticker_api.h"
#include "trng_api.h"

int main() {
    tr_info("compiled with TRACE_GROUP %s", TRACE_GROUP);
    trng_t trng;
    trng_init(&trng);
    uint8_t bytes[16];
    size_t got = 0;
    const int r = trng_get_bytes(&trng, bytes, sizeof bytes, &got);
    trng_free(&trng);
    const us_timestamp_t t = ticker_read_us(get_us_ticker_data());
    CellularDevice *modem = CellularDevice::get_default_instance();
    TCPSocket tcp;
    return (r == 0 && got == sizeof bytes && t > 0 && modem == nullptr) ? 0 : 1;
}
