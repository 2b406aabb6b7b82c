// Private state of a HostStack, shared by its .cpp files (sockets, options, interfaces).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "host/EpollLoop.h"
#include "host/HostInterface.h"
#include "host/SocketTable.h"
#include "meshwork/HostStack.h"

namespace meshwork {

struct HostStack::Impl {
    explicit Impl(const Options &options);
    ~Impl();

    static host::HostSocket *socket(nsapi_socket_t handle) {
        return static_cast<host::HostSocket *>(handle);
    }

    /// Epoll dispatch: runs the socket's callback unless the key's generation is stale.
    void dispatch(std::uint64_t key);
    /// Registers a fresh descriptor in slot `s` (open and accept). Returns 0 or an errno.
    int install(host::HostSocket *s, int fd, nsapi_protocol_t proto, bool accepted);
    /// Adds output interest to `s`'s registration (once); reports writability if it is now.
    void want_output(host::HostSocket *s, int fd);
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
