// Private state of a HostStack, shared by its .cpp files (sockets, options, interfaces).
#pragma once

#include <sys/socket.h>
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "EpollLoop.h"
#include "HostInterface.h"
#include "SocketTable.h"
#include "meshwork/HostStack.h"

namespace meshwork {

namespace host {
// The conditions the input and the output hooks act on (HostSocket::acted_on).
constexpr std::uint32_t kInputConditions = 0x001 | 0x002;  // EPOLLIN | EPOLLPRI
constexpr std::uint32_t kOutputConditions = 0x004;         // EPOLLOUT
}  // namespace host

struct HostStack::Impl {
    explicit Impl(const Options &options);
    ~Impl();

    // A handle names a slot and the generation of one open of it (see handle_of), so a handle
    // kept after close never reaches the socket that reuses its slot.
    /// The handle of the socket now open in `s`.
    static nsapi_socket_t handle_of(const host::HostSocket *s);
    /// The slot a handle names and the generation it was issued with; nullptr if malformed.
    host::HostSocket *slot_of(nsapi_socket_t handle, std::uint32_t *generation) const {
        const auto value = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(handle));
        const auto low = static_cast<std::uint32_t>(value);
        if (low == 0) {
            return nullptr;
        }
        *generation = static_cast<std::uint32_t>(value >> 32);
        return table.find(low - 1u);
    }

    /// A handle in use by a hook: the slot and the descriptor, counted in the slot's `users`
    /// until the Use goes. Empty (NO_SOCKET) when the handle is malformed, closed, or from an
    /// earlier open of a reused slot.
    class Use {
      public:
        Use() = default;
        Use(host::HostSocket *slot, int descriptor) : s(slot), fd(descriptor) {}
        Use(Use &&other) noexcept : s(other.s), fd(other.fd) { other.s = nullptr; }
        Use &operator=(Use &&other) noexcept {
            if (this != &other) {
                release();
                s = other.s;
                fd = other.fd;
                other.s = nullptr;
            }
            return *this;
        }
        Use(const Use &) = delete;
        Use &operator=(const Use &) = delete;
        ~Use() { release(); }

        explicit operator bool() const { return s != nullptr; }
        void release() {
            if (s) {
                s->leave();
                s = nullptr;
            }
        }

        host::HostSocket *s = nullptr;
        int fd = -1;
    };
    Use use(nsapi_socket_t handle) const {  // inline: on every hook's path
        std::uint32_t generation = 0;
        host::HostSocket *s = slot_of(handle, &generation);
        if (!s) {
            return Use();
        }
        s->users.fetch_add(1);
        // Open bumps the generation before it publishes the descriptor, and close bumps it
        // before it waits for the users to leave, so a match here means the descriptor is
        // this handle's until we leave.
        const int fd = s->fd.load();
        if (fd < 0 || s->generation.load() != generation) {
            s->leave();
            return Use();
        }
        return Use(s, fd);
    }

    /// Epoll dispatch: runs the socket's callback unless the key's generation is stale or the
    /// event only repeats the readiness of a quiet registration.
    void dispatch(std::uint64_t key, std::uint32_t events);
    /// Registers a fresh descriptor of `fd_family` in slot `s` (open and accept). Returns 0 or
    /// an errno.
    int install(host::HostSocket *s, int fd, nsapi_protocol_t proto, bool accepted, int fd_family);
    /// Applies one NSAPI_SOCKET option to `s`'s descriptor `fd` (state_mutex held).
    nsapi_error_t apply_option(host::HostSocket *s, int fd, int optname, const void *optval,
                               unsigned optlen);
    /// Replaces the dual-stack descriptor of a fresh socket that a bind has just tied to IPv4
    /// with an AF_INET one (same descriptor number, options replayed), whose
    /// kernel path is shorter. Best effort: false leaves the socket as it was (state_mutex
    /// held, the caller is the socket's only user).
    bool narrow_to_ipv4(host::HostSocket *s, int fd);
    /// Adds output interest to `s`'s registration (once); reports writability if it is now.
    void want_output(host::HostSocket *s, int fd);
    /// The result of a send call that returned `n` (errno set when negative); a full buffer
    /// adds output interest.
    nsapi_size_or_error_t sent_or_error(host::HostSocket *s, int fd, ssize_t n);
    /// The datagram paths with control messages (IP_PKTINFO), out of line.
    nsapi_size_or_error_t send_with_control(host::HostSocket *s, int fd, sockaddr *to,
                                            socklen_t to_len, const void *data, size_t length,
                                            const SocketAddress &address, nsapi_msghdr_t *control,
                                            nsapi_size_t control_size);
    nsapi_size_or_error_t recv_with_pktinfo(int fd, SocketAddress *address, void *data,
                                            size_t length, nsapi_msghdr_t *control,
                                            nsapi_size_t control_size);
    /// Brings `s`'s epoll registration in line with its `notify` and `want_output` flags and
    /// re-evaluates readiness (callers hold the shared I/O lock). `quiet`: readiness present
    /// now is not reported (the callback is being turned on, and Mbed's stacks only store it).
    void arm(host::HostSocket *s, int fd, bool quiet = false);
    /// Waits until no callback of `s` runs on the loop thread (no-op on the loop thread).
    void wait_callback_idle(host::HostSocket *s, std::unique_lock<std::mutex> &cb_lock);

    /// The host interface reported by get_ip_address and new interfaces.
    std::string chosen_interface() const;
    /// The user NetworkInterface of the interface with this kernel index, else nullptr.
    NetworkInterface *user_interface_for(unsigned if_index) const;

    // Declaration order is destruction order reversed: interfaces and the table outlive the
    // loop, whose thread dispatches into both until it is joined.
    host::SocketTable table;
    mutable std::mutex if_mutex;
    std::string interface_name;                                    // configured; empty: automatic
    std::vector<std::unique_ptr<host::HostInterface>> interfaces;  // never shrinks
    host::HostInterface *default_interface = nullptr;
    int family;  // AF_INET6 (dual-stack) or AF_INET
    host::EpollLoop loop;
};

}  // namespace meshwork
