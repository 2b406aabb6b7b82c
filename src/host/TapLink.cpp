// TapLink: a Linux TAP device as a Link.
#include "TapLink.h"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace meshwork::host {

namespace {

// Restores the calling thread's network namespace when it goes out of scope.
class NetnsGuard {
  public:
    NetnsGuard() = default;
    NetnsGuard(const NetnsGuard &) = delete;
    NetnsGuard &operator=(const NetnsGuard &) = delete;
    ~NetnsGuard() {
        if (home_ >= 0) {
            (void)::setns(home_, CLONE_NEWNET);
            ::close(home_);
        }
    }
    /// Enters `path`'s namespace; false (errno set) on failure, the thread unchanged.
    bool enter(const std::string &path) {
        const int target = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (target < 0) {
            return false;
        }
        home_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        if (home_ < 0 || ::setns(target, CLONE_NEWNET) != 0) {
            const int e = errno;
            ::close(target);
            if (home_ >= 0) {
                ::close(home_);
                home_ = -1;
            }
            errno = e;
            return false;
        }
        ::close(target);
        return true;
    }

  private:
    int home_ = -1;
};

// Opens /dev/net/tun and attaches a TAP device named `name` (empty: the kernel's choice);
// returns the fd or -errno, with the name given in `out_name`.
int open_tap(const std::string &name, std::string *out_name) {
    const int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    ifreq req{};
    req.ifr_flags = IFF_TAP | IFF_NO_PI;
    std::memcpy(req.ifr_name, name.data(), name.size());  // size checked by the caller
    if (::ioctl(fd, TUNSETIFF, &req) != 0) {
        const int e = errno;
        ::close(fd);
        return -e;
    }
    req.ifr_name[IFNAMSIZ - 1] = '\0';
    *out_name = req.ifr_name;
    return fd;
}

}  // namespace

Result<std::unique_ptr<TapLink>> TapLink::open(const TapLinkConfig &config) {
    if (config.name.size() >= IFNAMSIZ || config.mtu == 0) {
        return Error::kInvalidArgument;
    }
    NetnsGuard ns;
    if (!config.netns.empty()) {
        const std::string path = config.netns.find('/') == std::string::npos
                                     ? "/var/run/netns/" + config.netns
                                     : config.netns;
        if (!ns.enter(path)) {
            return errno == ENOENT ? Error::kNotFound : Error::kUnsupported;
        }
    }
    std::string name;
    const int fd = open_tap(config.name, &name);
    if (fd < 0) {
        return -fd == EBUSY || -fd == EINVAL ? Error::kBadState : Error::kUnsupported;
    }
    return std::unique_ptr<TapLink>(new TapLink(fd, std::move(name), config));
}

TapLink::TapLink(int fd, std::string name, const TapLinkConfig &config)
    : fd_(fd),
      name_(std::move(name)),
      address_(config.address),
      mtu_(config.mtu),
      // Room for a frame larger than the MTU allows, so such a frame is seen (and counted)
      // whole instead of truncated into something that looks valid.
      rx_(config.mtu + kEthernetHeaderSize + 64) {}

TapLink::~TapLink() {
    close();
}

void TapLink::close() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

Status TapLink::send(ByteSpan frame) {
    if (fd_ < 0) {
        return Error::kBadState;
    }
    if (frame.size < kEthernetHeaderSize || frame.size > mtu_ + kEthernetHeaderSize) {
        return Error::kInvalidArgument;
    }
    const ssize_t n = ::write(fd_, frame.data, frame.size);
    if (n != static_cast<ssize_t>(frame.size)) {
        ++stats_.send_errors;
        return n < 0 && errno == EIO ? Error::kBadState : Error::kNoSpace;
    }
    ++stats_.sent;
    return Status();
}

std::size_t TapLink::poll(std::size_t max_frames) {
    std::size_t count = 0;
    while (fd_ >= 0 && count < max_frames) {
        const ssize_t n = ::read(fd_, rx_.data(), rx_.size());
        if (n <= 0) {
            break;  // EAGAIN: nothing more now; EIO: the device is down (nothing to read)
        }
        ++count;
        const auto len = static_cast<std::size_t>(n);
        if (len < kEthernetHeaderSize) {
            continue;
        }
        if (len > mtu_ + kEthernetHeaderSize) {
            ++stats_.oversize;
            continue;
        }
        ++stats_.received;
        deliver(ByteSpan(rx_.data(), len));
    }
    return count;
}

bool tap_available(std::string *why) {
    const int fd = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        if (why != nullptr) {
            *why = std::string("/dev/net/tun: ") + std::strerror(errno);
        }
        return false;
    }
    ifreq req{};
    req.ifr_flags = IFF_TAP | IFF_NO_PI;
    const bool ok = ::ioctl(fd, TUNSETIFF, &req) == 0;
    if (!ok && why != nullptr) {
        *why = std::string("TUNSETIFF: ") + std::strerror(errno) + " (needs CAP_NET_ADMIN)";
    }
    ::close(fd);
    return ok;
}

}  // namespace meshwork::host
