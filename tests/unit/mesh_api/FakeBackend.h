// A MeshBackend that reports what a test tells it to, for the Mesh API state machine tests.
#pragma once

#include <array>
#include <condition_variable>
#include <mutex>
#include <optional>

#include "SocketAddress.h"
#include "mesh/api/MeshBackend.h"

namespace meshwork::meshapi::test {

class FakeBackend : public MeshBackend {
  public:
    mesh_error_t start(const MeshStartRequest &request, MeshStatusCallback status) override {
        std::lock_guard<std::mutex> lock(m_);
        ++starts;
        last_request = request;
        if (start_result != MESH_ERROR_NONE) {
            return start_result;
        }
        status_ = std::move(status);
        running_ = true;
        changed_.notify_all();
        return MESH_ERROR_NONE;
    }
    void stop() override {
        std::lock_guard<std::mutex> lock(m_);
        ++stops;
        status_ = nullptr;
        running_ = false;
        global.reset();
        local.reset();
        router.reset();
    }
    bool global_address(SocketAddress *a) const override { return copy(global, a); }
    bool link_local_address(SocketAddress *a) const override { return copy(local, a); }
    bool border_router_address(SocketAddress *a) const override { return copy(router, a); }
    std::array<std::uint8_t, 8> eui64() const override { return eui; }
    NetworkStack *network_stack() override { return nullptr; }

    /// Reports `s` as the mesh stack would (from the caller's context).
    void report(mesh_connection_status_t s) {
        MeshStatusCallback cb;
        {
            std::lock_guard<std::mutex> lock(m_);
            cb = status_;
        }
        if (cb) {
            cb(s);
        }
    }
    /// The callback of the current start (to replay it after a stop: it must be ignored).
    MeshStatusCallback callback() {
        std::lock_guard<std::mutex> lock(m_);
        return status_;
    }
    bool running() {
        std::lock_guard<std::mutex> lock(m_);
        return running_;
    }
    /// Waits (real time) until started `n` times in all.
    void wait_started(int n) {
        std::unique_lock<std::mutex> lock(m_);
        changed_.wait(lock, [&] { return starts >= n && running_; });
    }
    /// Joins with a global address, a link-local one and a border router.
    void join(mesh_connection_status_t how = MESH_CONNECTED) {
        {
            std::lock_guard<std::mutex> lock(m_);
            global = SocketAddress("2001:db8::ff:fe00:1");
            local = SocketAddress("fe80::ff:fe00:1");
            router = SocketAddress("2001:db8::1");
        }
        report(how);
    }

    mesh_error_t start_result = MESH_ERROR_NONE;
    int starts = 0;
    int stops = 0;
    std::optional<MeshStartRequest> last_request;
    std::optional<SocketAddress> global, local, router;
    std::array<std::uint8_t, 8> eui{0x02, 0x11, 0x22, 0x33, 0x00, 0x00, 0x00, 0x07};

  private:
    bool copy(const std::optional<SocketAddress> &from, SocketAddress *to) const {
        std::lock_guard<std::mutex> lock(m_);
        if (!from) {
            return false;
        }
        *to = *from;
        return true;
    }
    mutable std::mutex m_;
    std::condition_variable changed_;
    MeshStatusCallback status_;
    bool running_ = false;
};

}  // namespace meshwork::meshapi::test
