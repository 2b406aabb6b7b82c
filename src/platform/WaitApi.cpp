#include "platform/mbed_wait_api.h"

#include "meshwork/Executor.h"

namespace {
void sleep_us(long long us) {
    meshwork::Executor &rt = meshwork::current_executor();
    if (us > 0) {
        rt.sleep_until(meshwork::saturating_add(rt.now(), std::chrono::microseconds(us)));
    }
}
}  // namespace

extern "C" {

void wait_us(int us) {
    sleep_us(us);
}

void wait_ns(unsigned int ns) {
    sleep_us((static_cast<long long>(ns) + 999) / 1000);
}

void wait_ms(int ms) {
    sleep_us(static_cast<long long>(ms) * 1000);
}
}

void wait(float s) {
    sleep_us(static_cast<long long>(s * 1e6f));
}
