// Shared helpers of the HostStack tests: a HostStack whose hooks are public, a callback
// recorder, and a bounded poll for conditions (never a timing assertion).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "meshwork/HostStack.h"

namespace meshwork::host::test {

class TestStack : public HostStack {
  public:
    using HostStack::getsockopt;
    using HostStack::HostStack;
    using HostStack::setsockopt;
    using HostStack::socket_accept;
    using HostStack::socket_attach;
    using HostStack::socket_bind;
    using HostStack::socket_close;
    using HostStack::socket_connect;
    using HostStack::socket_kernel_fd;
    using HostStack::socket_listen;
    using HostStack::socket_open;
    using HostStack::socket_recv;
    using HostStack::socket_recvfrom;
    using HostStack::socket_recvfrom_control;
    using HostStack::socket_send;
    using HostStack::socket_sendto;
    using HostStack::socket_sendto_control;
};

/// Polls `pred` until it holds or a generous limit (meant only to catch hangs) passes.
inline bool eventually(const std::function<bool()> &pred,
                       std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > end) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

/// Counts callbacks; attach with `stack.socket_attach(h, &Events::thunk, &events)`.
struct Events {
    std::atomic<int> count{0};
    static void thunk(void *self) { static_cast<Events *>(self)->count.fetch_add(1); }
};

}  // namespace meshwork::host::test
