// Small helpers shared by the conformance tests.
#pragma once

#include <atomic>
#include <chrono>
#include <thread>

#include "netsocket/SocketAddress.h"
#include "platform/Callback.h"

namespace meshwork::test {

/// Counts sigio calls; usable from any thread.
struct SigioCounter {
    std::atomic<int> count{0};
    void bump() { count.fetch_add(1); }
    mbed::Callback<void()> callback() { return mbed::Callback<void()>(this, &SigioCounter::bump); }
    int value() const { return count.load(); }
};

/// Polls `pred` until it holds or `limit` passes (a guard against hangs, not a timing check).
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > end) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

inline SocketAddress addr(const char *ip, uint16_t port) {
    return SocketAddress(ip, port);
}

}  // namespace meshwork::test
