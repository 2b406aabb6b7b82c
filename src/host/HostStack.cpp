// HostStack: socket lifecycle and data hooks over non-blocking kernel sockets.
#include "meshwork/HostStack.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdint>

#include "ErrnoMap.h"
#include "HostAddress.h"
#include "HostStackImpl.h"

namespace meshwork {

using host::HostSocket;
using host::nsapi_error_from_errno;
using host::SocketOp;

namespace {

int probe_family() {
    // Dual-stack AF_INET6 sockets carry both families; hosts without IPv6 get AF_INET.
    const int fd = ::socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return AF_INET;
    }
    ::close(fd);
    return AF_INET6;
}

// poll() and epoll share the bit values of the conditions a registration reports.
static_assert(POLLIN == EPOLLIN && POLLOUT == EPOLLOUT && POLLPRI == EPOLLPRI &&
                  POLLERR == EPOLLERR && POLLHUP == EPOLLHUP && POLLRDHUP == EPOLLRDHUP,
              "poll and epoll event bits differ");
static_assert(host::kInputConditions == (EPOLLIN | EPOLLPRI) && host::kOutputConditions == EPOLLOUT,
              "HostStackImpl.h spells the epoll bits");

/// The conditions of `fd` that its epoll registration (EpollLoop::add) would report now.
std::uint32_t present_readiness(int fd, bool output) {
    pollfd p{};
    p.fd = fd;
    p.events = POLLIN | POLLPRI | POLLRDHUP | (output ? POLLOUT : 0);
    if (::poll(&p, 1, 0) != 1) {
        return 0;
    }
    return static_cast<std::uint16_t>(p.revents);
}

nsapi_size_t clamp_size(nsapi_size_t size) {
    return size > static_cast<nsapi_size_t>(INT_MAX) ? static_cast<nsapi_size_t>(INT_MAX) : size;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Impl

HostStack::Impl::Impl(const Options &options)
    : table(options.socket_max ? options.socket_max : HostStack::default_socket_max()),
      interface_name(options.interface_name),
      family(probe_family()),
      loop([this](std::uint64_t key, std::uint32_t events) { dispatch(key, events); }) {}

HostStack::Impl::~Impl() {
    loop.stop();
    // Sockets the application never closed: release their descriptors.
    for (std::uint32_t i = 0; i < host::SocketTable::kMaxSlots; ++i) {
        HostSocket *s = table.find(i);
        if (!s) {
            break;
        }
        const int fd = s->fd.exchange(-1);
        if (fd >= 0) {
            ::close(fd);
        }
    }
}

static_assert(sizeof(std::uintptr_t) >= 8, "a socket handle packs a slot and a generation");

nsapi_socket_t HostStack::Impl::handle_of(const HostSocket *s) {
    // Slot index + 1 (never NULL) in the low half, the generation of this open in the high half.
    const std::uint64_t value = (std::uint64_t{s->generation.load()} << 32) | (s->index + 1u);
    return reinterpret_cast<nsapi_socket_t>(static_cast<std::uintptr_t>(value));
}

void HostStack::Impl::dispatch(std::uint64_t key, std::uint32_t events) {
    HostSocket *s = table.find(static_cast<std::uint32_t>(key >> 32) & 0xffffu);
    if (!s) {
        return;
    }
    void (*callback)(void *);
    void *data;
    {
        std::lock_guard<std::mutex> lock(s->cb_mutex);
        if (s->generation.load(std::memory_order_relaxed) != static_cast<std::uint32_t>(key) ||
            !s->callback) {
            return;  // closed (maybe reopened) or detached since the event was queued
        }
        // Read under cb_mutex: attach bumps the epoch before it stores the callback.
        if (s->epoch.load(std::memory_order_relaxed) != static_cast<std::uint16_t>(key >> 48)) {
            return;  // fetched before the last quiet registration: what was already there
        }
        if (s->quiet.load(std::memory_order_relaxed) != 0) {
            const std::uint32_t quiet = s->quiet.exchange(0, std::memory_order_acquire);
            if ((events & ~quiet) == 0) {
                return;  // a quiet registration reporting what was already there
            }
        }
        callback = s->callback;
        data = s->callback_data;
        s->dispatching = true;
    }
    // Run without any lock of ours: the callback may call back into the stack.
    callback(data);
    {
        std::lock_guard<std::mutex> lock(s->cb_mutex);
        s->dispatching = false;
    }
    s->cb_cv.notify_all();
}

void HostStack::Impl::wait_callback_idle(HostSocket *s, std::unique_lock<std::mutex> &cb_lock) {
    if (loop.on_loop_thread()) {
        return;  // called from inside the callback itself
    }
    s->cb_cv.wait(cb_lock, [s] { return !s->dispatching; });
}

int HostStack::Impl::install(HostSocket *s, int fd, nsapi_protocol_t proto, bool accepted,
                             int fd_family) {
    const int one = 1;
    const int zero = 0;
    if (fd_family == AF_INET6 && !accepted) {
        ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    }
    if (proto == NSAPI_TCP) {
        // Small application writes go out at once, as they do on an embedded stack.
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    {
        std::lock_guard<std::mutex> lock(s->state_mutex);
        s->reset_state(proto, fd_family);
        s->bound = accepted;
        s->accepted = accepted;
        s->connected = accepted;
    }
    {
        std::lock_guard<std::mutex> lock(s->cb_mutex);
        s->callback = nullptr;
        s->callback_data = nullptr;
        s->generation.fetch_add(1, std::memory_order_relaxed);
    }
    s->closing.store(false);
    s->want_output.store(false);
    s->notify.store(true);
    s->quiet.store(0);
    s->fd.store(fd);
    const int err = loop.add(fd, s->key());
    std::lock_guard<std::mutex> lock(s->arm_mutex);
    s->registered = err == 0;
    return err;
}

bool HostStack::Impl::narrow_to_ipv4(HostSocket *s, int fd) {
    if (s->family != AF_INET6 || s->bound || s->connected || s->connecting || s->listening ||
        s->waiters.load() != 0 || s->users.load() != 1) {
        return false;
    }
    const int type = s->proto == NSAPI_TCP ? SOCK_STREAM : SOCK_DGRAM;
    const int nfd = ::socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (nfd < 0) {
        return false;
    }
    if (s->proto == NSAPI_TCP) {
        const int one = 1;
        ::setsockopt(nfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    // The options again, on the new descriptor as an IPv4 socket; one that only made sense on
    // the dual-stack socket (an IPv6 group, say) keeps the socket as it is.
    auto memberships = std::move(s->memberships);
    s->memberships.clear();
    const bool pktinfo = s->pktinfo;
    s->family = AF_INET;
    bool replayed = true;
    for (const auto &o : s->options) {
        const void *value = o.value.empty() ? nullptr : o.value.data();
        if (apply_option(s, nfd, o.optname, value, static_cast<unsigned>(o.value.size())) !=
            NSAPI_ERROR_OK) {
            replayed = false;
            break;
        }
    }
    bool swapped = false;
    if (replayed) {
        std::lock_guard<std::mutex> lock(s->arm_mutex);
        const bool was_registered = s->registered;
        if (was_registered) {
            loop.remove(fd);
            s->registered = false;
        }
        // Same descriptor number, new socket (the old one closes with it).
        swapped = ::dup2(nfd, fd) == fd;
        if (!swapped && was_registered) {
            s->registered = loop.add(fd, s->key(), s->want_output.load()) == 0;
        }
    }
    ::close(nfd);
    if (!swapped) {
        s->family = AF_INET6;
        s->memberships = std::move(memberships);
        s->pktinfo = pktinfo;
        return false;
    }
    s->want_output.store(false);
    arm(s, fd);  // registers the new socket if its callback is wanted
    return true;
}

void HostStack::Impl::want_output(HostSocket *s, int fd) {
    if (!s->want_output.exchange(true)) {
        arm(s, fd);
    }
}

void HostStack::Impl::arm(HostSocket *s, int fd, bool quiet) {
    std::lock_guard<std::mutex> lock(s->arm_mutex);
    if (!s->notify.load()) {
        // Out of the epoll set altogether: even a registration with no interest costs every
        // arriving packet a wake-up callback in the kernel (about 5% of a small datagram).
        if (s->registered) {
            loop.remove(fd);
            s->registered = false;
        }
        return;
    }
    if (quiet) {
        // An edge-triggered (re-)registration reports the readiness the socket has now (and
        // replaces an event still queued), which is no change. Note it before registering: the
        // event that reports it carries nothing more and is dropped; one that does (readiness
        // gained meanwhile) still goes through. A hook acting on a condition meanwhile forgets
        // it (HostSocket::acted_on), so the note never outlives that report.
        s->quiet.store(present_readiness(fd, s->want_output.load()), std::memory_order_release);
        s->epoch.fetch_add(1, std::memory_order_relaxed);
    }
    if (s->registered) {
        loop.rearm(fd, s->key(), s->want_output.load());
    } else if (loop.add(fd, s->key(), s->want_output.load()) == 0) {
        s->registered = true;  // adding reports present readiness, as a re-arm does
    }
}

std::string HostStack::Impl::chosen_interface() const {
    std::string configured;
    {
        std::lock_guard<std::mutex> lock(if_mutex);
        configured = interface_name;
    }
    return host::choose_host_interface(configured);
}

NetworkInterface *HostStack::Impl::user_interface_for(unsigned if_index) const {
    std::lock_guard<std::mutex> lock(if_mutex);
    for (const auto &iface : interfaces) {
        if (if_index != 0 && iface->if_index() == if_index) {
            return iface->user_network_interface();
        }
    }
    return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Construction and configuration

HostStack::Options HostStack::Options::from(const config::MeshworkConfig &meshwork) {
    Options o;
    o.socket_max = meshwork.host_socket_max;
    o.interface_name = meshwork.host_interface;
    return o;
}

HostStack::HostStack() : HostStack(Options{}) {}

namespace {

// OS entropy, read once per stack (ARCHITECTURE rule 2: only the host backend reads it). If
// getrandom() is unavailable the stream still differs per stack and per run.
std::uint64_t os_entropy_seed(const void *salt) {
    std::uint64_t seed = 0;
    auto *p = reinterpret_cast<unsigned char *>(&seed);
    std::size_t got = 0;
    while (got < sizeof seed) {
        const ssize_t n = getrandom(p + got, sizeof seed - got, 0);
        if (n > 0) {
            got += static_cast<std::size_t>(n);
        } else if (n < 0 && errno != EINTR) {
            break;
        }
    }
    if (got < sizeof seed) {
        seed ^= static_cast<std::uint64_t>(
                    std::chrono::steady_clock::now().time_since_epoch().count()) ^
                reinterpret_cast<std::uintptr_t>(salt) ^ static_cast<std::uint64_t>(getpid());
    }
    return seed;
}

}  // namespace

HostStack::HostStack(const Options &options) : impl_(std::make_unique<Impl>(options)) {
    seed_random(os_entropy_seed(this));
}

HostStack::~HostStack() = default;

void HostStack::set_socket_max(std::size_t max) {
    impl_->table.set_limit(max);
}

std::size_t HostStack::socket_max() const {
    return impl_->table.limit();
}

std::size_t HostStack::open_sockets() const {
    return impl_->table.open_count();
}

void HostStack::set_interface_name(const char *name) {
    std::lock_guard<std::mutex> lock(impl_->if_mutex);
    impl_->interface_name = name ? name : "";
}

// ---------------------------------------------------------------------------------------------
// Socket lifecycle

nsapi_error_t HostStack::socket_open(nsapi_socket_t *handle, nsapi_protocol_t proto) {
    if (!handle) {
        return NSAPI_ERROR_PARAMETER;
    }
    int type;
    switch (proto) {
        case NSAPI_TCP:
            type = SOCK_STREAM;
            break;
        case NSAPI_UDP:
            type = SOCK_DGRAM;
            break;
        default:
            return NSAPI_ERROR_UNSUPPORTED;  // ICMP needs raw or ping sockets: not offered
    }
    HostSocket *s = impl_->table.acquire();
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    const int fd = ::socket(impl_->family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        const int err = errno;
        impl_->table.release(s);
        return nsapi_error_from_errno(err, SocketOp::kOpen);
    }
    if (const int err = impl_->install(s, fd, proto, false, impl_->family)) {
        s->fd.store(-1);
        ::close(fd);
        impl_->table.release(s);
        return nsapi_error_from_errno(err, SocketOp::kOpen);
    }
    *handle = Impl::handle_of(s);
    return NSAPI_ERROR_OK;
}

nsapi_error_t HostStack::socket_close(nsapi_socket_t handle) {
    std::uint32_t generation = 0;
    HostSocket *s = impl_->slot_of(handle, &generation);
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    {
        std::unique_lock<std::mutex> lock(s->cb_mutex);
        // Only the first close of this open goes on (a second one, or one with a handle of an
        // earlier open of the slot, finds the generation moved on).
        std::uint32_t expected = generation;
        if (s->fd.load() < 0 || !s->generation.compare_exchange_strong(expected, generation + 1)) {
            return NSAPI_ERROR_NO_SOCKET;
        }
        // From here queued events are stale and hooks with this handle answer NO_SOCKET.
        s->callback = nullptr;
        s->callback_data = nullptr;
        impl_->wait_callback_idle(s, lock);
    }
    // Only this close changes the descriptor now (it won the generation above).
    int fd = s->fd.load();
    // Threads blocked in wait() are users too: wake them before waiting for the users to
    // leave. Shutting both directions down makes poll() return for readers and writers alike
    // (the orderly FIN below was going to be sent anyway).
    s->closing.store(true);  // a waiter arriving now sees it (or is counted below)
    if (s->waiters.load() > 0) {
        ::shutdown(fd, SHUT_RDWR);
    }
    {
        std::unique_lock<std::mutex> lock(s->drain_mutex);
        s->drain_cv.wait(lock, [s] { return s->users.load() == 0; });
    }
    fd = s->fd.exchange(-1);
    bool orderly = false;
    {
        std::lock_guard<std::mutex> state(s->state_mutex);
        orderly = s->proto == NSAPI_TCP && !s->listening;
    }
    {
        std::lock_guard<std::mutex> lock(s->arm_mutex);
        if (s->registered) {
            impl_->loop.remove(fd);
            s->registered = false;
        }
    }
    if (orderly) {
        sockaddr_storage peer;
        socklen_t len = sizeof peer;
        linger lg{};
        socklen_t lg_len = sizeof lg;
        const bool connected = ::getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &len) == 0;
        const bool abortive = ::getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &lg_len) == 0 &&
                              lg.l_onoff && lg.l_linger == 0;
        if (connected && !abortive) {
            // Unread input would make the kernel answer with RST instead of FIN: discard it,
            // then half-close; the kernel finishes the FIN handshake after close().
            char sink[4096];
            for (int i = 0; i < 256 && ::recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0; ++i) {
            }
            ::shutdown(fd, SHUT_WR);
        }
    }
    ::close(fd);
    impl_->table.release(s);
    return NSAPI_ERROR_OK;
}

void HostStack::socket_attach(nsapi_socket_t handle, void (*callback)(void *), void *data) {
    std::uint32_t generation = 0;
    HostSocket *s = impl_->slot_of(handle, &generation);
    if (!s) {
        return;
    }
    if (callback) {
        // Only stored, as on Mbed: readiness the socket already has (data queued on an accepted
        // socket, say) is not announced, even by an event still on its way; the next change
        // is. A quiet re-registration, before the callback is visible to the loop thread.
        Impl::Use u = impl_->use(handle);
        if (u) {
            s->notify.store(true);
            impl_->arm(s, u.fd, true);
        }
    }
    {
        std::unique_lock<std::mutex> lock(s->cb_mutex);
        if (s->generation.load() != generation) {
            return;  // closed: nothing to attach to, and no callback of it can run any more
        }
        s->callback = callback;
        s->callback_data = callback ? data : nullptr;
        if (!callback) {
            impl_->wait_callback_idle(s, lock);
        }
    }
    if (!callback) {
        // Nobody to call: the descriptor leaves the epoll set (the socket layer waits on the
        // descriptor itself, Executor::block_on), so neither the kernel nor the loop thread
        // does anything for its packets.
        Impl::Use u = impl_->use(handle);
        if (u && u.s->notify.exchange(false)) {
            impl_->arm(u.s, u.fd);
        }
    }
}

int HostStack::socket_kernel_fd(nsapi_socket_t handle) {
    std::uint32_t generation = 0;
    HostSocket *s = impl_->slot_of(handle, &generation);
    // A stale descriptor number (the socket closed meanwhile) costs the waiter at most a
    // spurious return: the close that made it stale also wakes the socket layer's waiters.
    return s && s->generation.load(std::memory_order_relaxed) == generation ? s->fd.load() : -1;
}

nsapi_error_t HostStack::socket_bind(nsapi_socket_t handle, const SocketAddress &address) {
    Impl::Use u = impl_->use(handle);
    if (!u) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    HostSocket *s = u.s;
    const int fd = u.fd;
    std::lock_guard<std::mutex> state(s->state_mutex);
    if (s->bound) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (address.get_ip_version() == NSAPI_IPv4) {
        impl_->narrow_to_ipv4(s, fd);  // bound to an IPv4 address, it can only speak IPv4
    }
    sockaddr_storage sa;
    socklen_t len;
    if (!host::to_sockaddr(address, s->family, &sa, &len)) {
        return NSAPI_ERROR_PARAMETER;  // an IPv6 address on an IPv4-only host
    }
    if (::bind(fd, reinterpret_cast<sockaddr *>(&sa), len) != 0) {
        return nsapi_error_from_errno(errno, SocketOp::kBind);
    }
    s->bound = true;
    return NSAPI_ERROR_OK;
}

nsapi_error_t HostStack::socket_listen(nsapi_socket_t handle, int backlog) {
    Impl::Use u = impl_->use(handle);
    if (!u) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    HostSocket *s = u.s;
    const int fd = u.fd;
    std::lock_guard<std::mutex> state(s->state_mutex);
    if (s->proto != NSAPI_TCP) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    if (!s->bound || s->accepted) {
        return NSAPI_ERROR_PARAMETER;  // the reference stack refuses to listen when unbound
    }
    if (::listen(fd, backlog > 0 ? backlog : 1) != 0) {
        return nsapi_error_from_errno(errno, SocketOp::kConnect);
    }
    s->listening = true;
    return NSAPI_ERROR_OK;
}

nsapi_error_t HostStack::socket_connect(nsapi_socket_t handle, const SocketAddress &address) {
    Impl::Use u = impl_->use(handle);
    if (!u) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    HostSocket *s = u.s;
    const int fd = u.fd;
    std::lock_guard<std::mutex> state(s->state_mutex);
    if (s->proto == NSAPI_TCP && s->connecting) {
        // A connect is pending: report its progress without starting another.
        pollfd p{fd, POLLOUT, 0};
        if (::poll(&p, 1, 0) == 0) {
            return NSAPI_ERROR_ALREADY;
        }
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        s->connecting = false;
        if (err != 0) {
            return nsapi_error_from_errno(err, SocketOp::kConnect);
        }
        s->connected = true;
        return NSAPI_ERROR_IS_CONNECTED;
    }
    if (s->proto == NSAPI_TCP && s->connected) {
        return NSAPI_ERROR_IS_CONNECTED;
    }
    if (s->proto == NSAPI_TCP && (host::is_unspecified(address.get_addr()) || s->listening)) {
        return NSAPI_ERROR_PARAMETER;
    }
    sockaddr_storage sa;
    socklen_t len;
    if (!host::to_sockaddr(address, s->family, &sa, &len)) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (s->proto == NSAPI_UDP && host::is_unspecified(address.get_addr())) {
        sa.ss_family = AF_UNSPEC;  // dissolves the association
    }
    if (::connect(fd, reinterpret_cast<sockaddr *>(&sa), len) == 0) {
        s->connected = s->proto == NSAPI_TCP;
        return NSAPI_ERROR_OK;
    }
    const int err = errno;
    if (err == EINPROGRESS && s->proto == NSAPI_TCP) {
        s->connecting = true;
        impl_->want_output(s, fd);  // completion is reported as writability (or an error)
        return NSAPI_ERROR_IN_PROGRESS;
    }
    if (err == EAFNOSUPPORT && s->proto == NSAPI_UDP && sa.ss_family == AF_UNSPEC) {
        return NSAPI_ERROR_OK;
    }
    return nsapi_error_from_errno(err, SocketOp::kConnect);
}

nsapi_error_t HostStack::socket_accept(nsapi_socket_t server, nsapi_socket_t *handle,
                                       SocketAddress *address) {
    Impl::Use u = impl_->use(server);
    if (!u) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (!handle) {
        return NSAPI_ERROR_PARAMETER;
    }
    HostSocket *s = u.s;
    const int fd = u.fd;
    s->acted_on(host::kInputConditions);
    int listener_family;  // an accepted connection has its listener's family
    {
        std::lock_guard<std::mutex> state(s->state_mutex);
        if (s->proto != NSAPI_TCP) {
            return NSAPI_ERROR_UNSUPPORTED;
        }
        if (!s->listening) {
            return NSAPI_ERROR_PARAMETER;
        }
        listener_family = s->family;
    }
    // Take a slot first: when the pool is exhausted the connection stays queued in the kernel.
    HostSocket *c = impl_->table.acquire();
    if (!c) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    sockaddr_storage peer;
    socklen_t len = sizeof peer;
    int cfd;
    do {
        cfd =
            ::accept4(fd, reinterpret_cast<sockaddr *>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    } while (cfd < 0 && errno == EINTR);
    if (cfd < 0) {
        const int err = errno;
        impl_->table.release(c);
        return err == ECONNABORTED ? NSAPI_ERROR_WOULD_BLOCK
                                   : nsapi_error_from_errno(err, SocketOp::kOpen);
    }
    if (const int err = impl_->install(c, cfd, NSAPI_TCP, true, listener_family)) {
        c->fd.store(-1);
        ::close(cfd);
        impl_->table.release(c);
        return nsapi_error_from_errno(err, SocketOp::kOpen);
    }
    if (address) {
        *address = host::from_sockaddr(reinterpret_cast<sockaddr *>(&peer), len);
    }
    *handle = Impl::handle_of(c);
    return NSAPI_ERROR_OK;
}

// ---------------------------------------------------------------------------------------------
// Data

nsapi_size_or_error_t HostStack::socket_send(nsapi_socket_t handle, const void *data,
                                             nsapi_size_t size) {
    Impl::Use u = impl_->use(handle);
    if (!u) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    HostSocket *s = u.s;
    const int fd = u.fd;
    s->acted_on(host::kOutputConditions);
    if (!data && size > 0) {
        return NSAPI_ERROR_PARAMETER;
    }
    ssize_t n;
    do {
        n = ::send(fd, data, clamp_size(size), MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    return impl_->sent_or_error(s, fd, n);
}

nsapi_size_or_error_t HostStack::socket_recv(nsapi_socket_t handle, void *data, nsapi_size_t size) {
    Impl::Use u = impl_->use(handle);
    if (!u) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    HostSocket *s = u.s;
    const int fd = u.fd;
    s->acted_on(host::kInputConditions);
    ssize_t n;
    if (!data || size == 0) {
        // A zero-length read on a stream returns 0 at once on Linux, which would read as an
        // orderly close: peek instead, so an empty queue gives WOULD_BLOCK and queued data
        // stays queued. On a datagram socket a zero-length read discards one datagram.
        char probe;
        const bool stream = s->proto == NSAPI_TCP;
        do {
            n = stream ? ::recv(fd, &probe, 1, MSG_PEEK | MSG_DONTWAIT)
                       : ::recv(fd, &probe, 0, MSG_DONTWAIT | MSG_TRUNC);
        } while (n < 0 && errno == EINTR);
        if (n < 0) {
            return nsapi_error_from_errno(errno, SocketOp::kIo);
        }
        return 0;
    }
    do {
        n = ::recv(fd, data, clamp_size(size), MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return nsapi_error_from_errno(errno, SocketOp::kIo);
    }
    return static_cast<nsapi_size_or_error_t>(n);
}

nsapi_size_or_error_t HostStack::socket_sendto(nsapi_socket_t handle, const SocketAddress &address,
                                               const void *data, nsapi_size_t size) {
    return socket_sendto_control(handle, address, data, size, nullptr, 0);
}

nsapi_size_or_error_t HostStack::socket_recvfrom(nsapi_socket_t handle, SocketAddress *address,
                                                 void *data, nsapi_size_t size) {
    return socket_recvfrom_control(handle, address, data, size, nullptr, 0);
}

nsapi_error_t HostStack::wait(nsapi_socket_t handle, bool read, bool write, int timeout_ms) {
    Impl::Use u = impl_->use(handle);
    if (!u) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    HostSocket *s = u.s;
    const int fd = u.fd;
    pollfd p{fd, static_cast<short>((read ? POLLIN | POLLRDHUP : 0) | (write ? POLLOUT : 0)), 0};
    s->waiters.fetch_add(1);
    if (s->closing.load()) {
        s->waiters.fetch_sub(1);
        return NSAPI_ERROR_NO_SOCKET;
    }
    int r;
    do {
        r = ::poll(&p, 1, timeout_ms < 0 ? -1 : timeout_ms);
    } while (r < 0 && errno == EINTR);
    s->waiters.fetch_sub(1);
    if (s->closing.load()) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    return r == 0 ? NSAPI_ERROR_WOULD_BLOCK : NSAPI_ERROR_OK;
}

// ---------------------------------------------------------------------------------------------
// Addresses

nsapi_error_t HostStack::get_ip_address(SocketAddress *address) {
    if (!address) {
        return NSAPI_ERROR_PARAMETER;
    }
    {
        std::lock_guard<std::mutex> lock(impl_->if_mutex);
        if (impl_->default_interface &&
            impl_->default_interface->get_connection_status() == NSAPI_STATUS_GLOBAL_UP) {
            return impl_->default_interface->get_ip_address(address);
        }
    }
    host::HostInterfaceInfo info;
    if (!host::read_host_interface(impl_->chosen_interface(), &info)) {
        return NSAPI_ERROR_NO_ADDRESS;
    }
    if (info.has_ipv4) {
        *address = SocketAddress(info.ipv4);
    } else if (info.has_ipv6) {
        *address = SocketAddress(info.ipv6);
    } else {
        return NSAPI_ERROR_NO_ADDRESS;
    }
    return NSAPI_ERROR_OK;
}

nsapi_error_t HostStack::get_ipv6_link_local_address(SocketAddress *address) {
    if (!address) {
        return NSAPI_ERROR_PARAMETER;
    }
    host::HostInterfaceInfo info;
    if (!host::read_host_interface(impl_->chosen_interface(), &info) || !info.has_link_local) {
        return NSAPI_ERROR_NO_ADDRESS;
    }
    *address = SocketAddress(info.link_local);
    return NSAPI_ERROR_OK;
}

nsapi_error_t HostStack::get_ip_address_if(SocketAddress *address, const char *interface_name) {
    if (!address) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (!interface_name || !*interface_name) {
        return get_ip_address(address);
    }
    host::HostInterfaceInfo info;
    if (!host::read_host_interface(interface_name, &info)) {
        return NSAPI_ERROR_NO_ADDRESS;
    }
    if (info.has_ipv4) {
        *address = SocketAddress(info.ipv4);
    } else if (info.has_ipv6) {
        *address = SocketAddress(info.ipv6);
    } else {
        return NSAPI_ERROR_NO_ADDRESS;
    }
    return NSAPI_ERROR_OK;
}

// ---------------------------------------------------------------------------------------------
// Interfaces

nsapi_error_t HostStack::add_ethernet_interface(EMAC &emac, bool default_if,
                                                Interface **interface_out,
                                                NetworkInterface *user_network_interface) {
    if (!interface_out) {
        return NSAPI_ERROR_PARAMETER;
    }
    std::lock_guard<std::mutex> lock(impl_->if_mutex);
    impl_->interfaces.push_back(std::make_unique<host::HostInterface>(
        impl_->loop, impl_->interface_name, user_network_interface));
    host::HostInterface *iface = impl_->interfaces.back().get();
    if (default_if || !impl_->default_interface) {
        impl_->default_interface = iface;
    }
    *interface_out = iface;
    return NSAPI_ERROR_OK;
}

nsapi_error_t HostStack::add_ethernet_interface(EMAC &emac, bool default_if,
                                                Interface **interface_out, const uint8_t *,
                                                NetworkInterface *user_network_interface) {
    // The host's MAC address cannot be changed from here; the interface reports the real one.
    return add_ethernet_interface(emac, default_if, interface_out, user_network_interface);
}

nsapi_error_t HostStack::remove_ethernet_interface(Interface **interface_out) {
    if (!interface_out || !*interface_out) {
        return NSAPI_ERROR_PARAMETER;
    }
    host::HostInterface *found = nullptr;
    {
        std::lock_guard<std::mutex> lock(impl_->if_mutex);
        for (const auto &iface : impl_->interfaces) {
            if (iface.get() == *interface_out) {
                found = iface.get();
            }
        }
        if (found && impl_->default_interface == found) {
            impl_->default_interface = nullptr;
        }
    }
    if (!found) {
        return NSAPI_ERROR_PARAMETER;
    }
    // Kept allocated until the stack goes (a posted completion may still refer to it). Brought
    // down outside our lock: the status callback may call back into the stack.
    found->bringdown();
    *interface_out = nullptr;
    return NSAPI_ERROR_OK;
}

void HostStack::set_default_interface(Interface *interface) {
    std::lock_guard<std::mutex> lock(impl_->if_mutex);
    for (const auto &iface : impl_->interfaces) {
        if (iface.get() == interface) {
            impl_->default_interface = iface.get();
        }
    }
}

}  // namespace meshwork
