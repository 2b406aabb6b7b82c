// Small C-API pieces of the platform: singleton lock, thread helpers, sleep management, board
// interface.
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "meshwork/Executor.h"
#include "meshwork/sim/NodeContext.h"
#include "platform/SingletonPtr.h"
#include "platform/mbed_interface.h"
#include "platform/mbed_power_mgmt.h"
#include "platform/mbed_thread.h"
#include "rtos/Kernel.h"
#include "rtos/ThisThread.h"

namespace meshwork::platform {

std::mutex &singleton_mutex() {
    static auto *m = new std::mutex;  // leaked: usable during static destruction
    return *m;
}

}  // namespace meshwork::platform

namespace {
std::atomic<int> deep_sleep_locks{0};
}

extern "C" {

uint64_t get_ms_count(void) {
    return static_cast<uint64_t>(rtos::Kernel::Clock::now().time_since_epoch().count());
}

void thread_sleep_for(uint32_t millisec) {
    rtos::ThisThread::sleep_for(rtos::Kernel::Clock::duration_u32(millisec));
}

void thread_sleep_until(uint64_t millisec) {
    rtos::ThisThread::sleep_until(
        rtos::Kernel::Clock::time_point(rtos::Kernel::Clock::duration(millisec)));
}

void sleep_manager_lock_deep_sleep(void) {
    ++deep_sleep_locks;
}

void sleep_manager_unlock_deep_sleep(void) {
    --deep_sleep_locks;
}

bool sleep_manager_can_deep_sleep(void) {
    return deep_sleep_locks.load() <= 0;
}

void mbed_die(void) {
    std::abort();
}

void mbed_mac_address(char *mac) {
    // A simulated device's own MAC-48 (from its EUI-64: seed and node id); the host's otherwise.
    if (meshwork::sim::NodeContext *node = meshwork::current_node_context()) {
        const auto m = node->mac_address();
        std::memcpy(mac, m.data(), m.size());
        return;
    }
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    // FNV-1a over the host name: stable per host, different across hosts.
    uint64_t h = 1469598103934665603ull;
    for (const char *p = host; *p; ++p) {
        h = (h ^ static_cast<unsigned char>(*p)) * 1099511628211ull;
    }
    for (int i = 0; i < 6; ++i) {
        mac[i] = static_cast<char>((h >> (8 * i)) & 0xFF);
    }
    mac[0] = static_cast<char>((mac[0] & 0xFE) | 0x02);  // unicast, locally administered
}
}
