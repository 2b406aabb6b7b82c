// The one readiness thread of a HostStack: an epoll set (edge-triggered registrations) plus an
// eventfd used to post work and to stop the thread. Registrations carry a 64-bit key chosen by
// the owner (slot index and generation), so a late event for a closed and reused slot can be
// recognised and dropped by the owner's dispatch function.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace meshwork::host {

class EpollLoop {
  public:
    /// Called on the loop thread for every readiness event: (key, epoll event mask).
    using Dispatch = std::function<void(std::uint64_t key, std::uint32_t events)>;

    explicit EpollLoop(Dispatch dispatch);
    ~EpollLoop();
    EpollLoop(const EpollLoop &) = delete;
    EpollLoop &operator=(const EpollLoop &) = delete;

    /// Registers `fd` edge-triggered for input, peer half-close, hang-up, errors and, with
    /// `output`, for output; starts the thread on first use. Returns 0 or an errno value.
    int add(int fd, std::uint64_t key, bool output = false);
    /// Re-registers `fd` (with or without output interest) and re-evaluates its readiness: an
    /// edge-triggered registration reports it again if it is ready now. 0 or an errno value.
    int rearm(int fd, std::uint64_t key, bool output = false);
    /// Removes `fd` (before it is closed). Returns 0 or an errno value.
    int remove(int fd);

    /// Runs `fn` on the loop thread, in posting order. Returns false if the loop cannot start.
    bool post(std::function<void()> fn);

    /// True on the loop thread (inside a dispatch or a posted function).
    bool on_loop_thread() const;

    /// Stops and joins the thread; pending posted functions run first. Idempotent.
    void stop();

  private:
    int ensure_started();  // 0 or errno; callers hold mutex_
    void run();
    void wake();

    Dispatch dispatch_;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    std::mutex mutex_;  // guards thread start/stop and posted_
    std::thread thread_;
    bool stopping_ = false;
    std::vector<std::function<void()>> posted_;
};

}  // namespace meshwork::host
