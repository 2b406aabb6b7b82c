#include "EpollLoop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

namespace meshwork::host {

namespace {

// The loop whose thread is the calling thread, if any (set once by run()).
thread_local const EpollLoop *tls_loop = nullptr;

constexpr std::uint64_t kWakeKey = ~std::uint64_t{0};
constexpr int kMaxEvents = 64;
constexpr std::uint32_t kSocketEvents = EPOLLIN | EPOLLRDHUP | EPOLLPRI | EPOLLET;

}  // namespace

EpollLoop::EpollLoop(Dispatch dispatch) : dispatch_(std::move(dispatch)) {
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (epoll_fd_ >= 0 && wake_fd_ >= 0) {
        epoll_event ev{};
        ev.events = EPOLLIN;  // level-triggered: drained by the loop on every wake
        ev.data.u64 = kWakeKey;
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
    }
}

EpollLoop::~EpollLoop() {
    stop();
    if (wake_fd_ >= 0) {
        ::close(wake_fd_);
    }
    if (epoll_fd_ >= 0) {
        ::close(epoll_fd_);
    }
}

int EpollLoop::ensure_started() {
    if (epoll_fd_ < 0 || wake_fd_ < 0) {
        return ENOMEM;
    }
    if (stopping_) {
        return ESHUTDOWN;
    }
    if (!thread_.joinable()) {
        thread_ = std::thread([this] { run(); });
    }
    return 0;
}

int EpollLoop::add(int fd, std::uint64_t key, bool output) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (const int err = ensure_started()) {
            return err;
        }
    }
    epoll_event ev{};
    ev.events = kSocketEvents | (output ? EPOLLOUT : 0u);
    ev.data.u64 = key;
    return ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0 ? 0 : errno;
}

int EpollLoop::rearm(int fd, std::uint64_t key, bool output) {
    epoll_event ev{};
    ev.events = kSocketEvents | (output ? EPOLLOUT : 0u);
    ev.data.u64 = key;
    return ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev) == 0 ? 0 : errno;
}

int EpollLoop::remove(int fd) {
    return ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr) == 0 ? 0 : errno;
}

bool EpollLoop::post(std::function<void()> fn) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (ensure_started() != 0) {
            return false;
        }
        posted_.push_back(std::move(fn));
    }
    wake();
    return true;
}

bool EpollLoop::on_loop_thread() const {
    return tls_loop == this;
}

void EpollLoop::wake() {
    const std::uint64_t one = 1;
    // A full counter (impossible in practice) still leaves the fd readable, so the wake holds.
    [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
}

void EpollLoop::stop() {
    std::thread thread;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        thread = std::move(thread_);
    }
    if (thread.joinable()) {
        wake();
        if (thread.get_id() == std::this_thread::get_id()) {
            thread.detach();  // stopped from inside a callback: the loop exits after it
        } else {
            thread.join();
        }
    }
}

void EpollLoop::run() {
    tls_loop = this;
    epoll_event events[kMaxEvents];
    for (;;) {
        const int n = ::epoll_wait(epoll_fd_, events, kMaxEvents, -1);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        bool woken = false;
        for (int i = 0; i < n; ++i) {
            if (events[i].data.u64 == kWakeKey) {
                woken = true;
                continue;
            }
            dispatch_(events[i].data.u64, events[i].events);
        }
        if (!woken) {
            continue;
        }
        std::uint64_t count = 0;
        [[maybe_unused]] ssize_t r = ::read(wake_fd_, &count, sizeof count);
        std::vector<std::function<void()>> work;
        bool stopping = false;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            work.swap(posted_);
            stopping = stopping_;
        }
        for (auto &fn : work) {
            fn();
        }
        if (stopping) {
            break;
        }
    }
    tls_loop = nullptr;
}

}  // namespace meshwork::host
