#include "support/LoopbackStack.h"

#include <algorithm>
#include <cstring>

namespace meshwork::test {

LoopbackStack::LoopbackStack() : LoopbackStack(Options{}) {}

LoopbackStack::LoopbackStack(Options options) : options_(options) {
    if (options_.events == Events::kWorker) {
        worker_ = std::thread([this] { worker_main(); });
    }
}

LoopbackStack::~LoopbackStack() {
    if (worker_.joinable()) {
        {
            std::lock_guard<std::mutex> lock(worker_mutex_);
            stopping_ = true;
        }
        worker_cv_.notify_all();
        worker_.join();
    }
}

size_t LoopbackStack::socket_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sockets_.size();
}

nsapi_error_t LoopbackStack::get_ip_address(SocketAddress *address) {
    if (!address) {
        return NSAPI_ERROR_PARAMETER;
    }
    *address = loopback_of(options_.ipv6 ? NSAPI_IPv6 : NSAPI_IPv4);
    return NSAPI_ERROR_OK;
}

LoopbackStack::Sock *LoopbackStack::find(Id id) {
    auto it = sockets_.find(id);
    return it == sockets_.end() ? nullptr : &it->second;
}

SocketAddress LoopbackStack::loopback_of(nsapi_version_t version) const {
    return SocketAddress(version == NSAPI_IPv6 ? "::1" : "127.0.0.1");
}

bool LoopbackStack::is_local(const SocketAddress &address) const {
    // One family per stack, as get_ip_address() reports it: the other family's loopback is not
    // ours (a bind to it is the reference stack's "wrong family" PARAMETER).
    nsapi_version_t v = address.get_ip_version();
    return v == (options_.ipv6 ? NSAPI_IPv6 : NSAPI_IPv4) && address.get_addr().version == v &&
           SocketAddress(address.get_addr()) == loopback_of(v);
}

bool LoopbackStack::port_in_use(nsapi_protocol_t proto, uint16_t port) const {
    // Accepted connections share their listener's port and never block a bind.
    for (const auto &[id, s] : sockets_) {
        if (s.proto == proto && s.bound && !s.accepted_side && s.local.get_port() == port) {
            return true;
        }
    }
    return false;
}

uint16_t LoopbackStack::ephemeral_port(nsapi_protocol_t proto) {
    for (int tries = 0; tries < 16384; ++tries) {
        uint16_t p = next_port_;
        next_port_ = next_port_ == 65535 ? 49152 : static_cast<uint16_t>(next_port_ + 1);
        if (!port_in_use(proto, p)) {
            return p;
        }
    }
    return 0;
}

LoopbackStack::Id LoopbackStack::find_bound(nsapi_protocol_t proto,
                                            const SocketAddress &destination,
                                            bool listening) const {
    for (const auto &[id, s] : sockets_) {
        if (s.proto != proto || !s.bound || s.local.get_port() != destination.get_port()) {
            continue;
        }
        if (listening != (s.state == State::kListening)) {
            continue;
        }
        if (!listening && s.state == State::kConnected) {
            continue;
        }
        nsapi_version_t v = s.local.get_ip_version();
        bool any = v == NSAPI_UNSPEC || !s.local;
        if (any || SocketAddress(s.local.get_addr()) == SocketAddress(destination.get_addr())) {
            return id;
        }
    }
    return 0;
}

nsapi_error_t LoopbackStack::socket_open(nsapi_socket_t *handle, nsapi_protocol_t proto) {
    if (proto != NSAPI_TCP && proto != NSAPI_UDP) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (sockets_.size() >= options_.max_sockets) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    Id id = next_id_++;
    sockets_[id].proto = proto;
    *handle = reinterpret_cast<nsapi_socket_t>(id);
    return NSAPI_ERROR_OK;
}

nsapi_error_t LoopbackStack::socket_close(nsapi_socket_t handle) {
    Notify notify;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        Sock *s = find(id_of(handle));
        if (!s) {
            return NSAPI_ERROR_NO_SOCKET;
        }
        if (Sock *peer = s->peer ? find(s->peer) : nullptr) {
            peer->fin = true;  // orderly close: the peer drains, then reads 0
            peer->peer = 0;
            notify.push_back(s->peer);
        }
        for (Id queued : s->accept_queue) {
            // Connections never accepted are reset towards their clients.
            Sock *q = find(queued);
            if (q && q->peer) {
                if (Sock *client = find(q->peer)) {
                    client->reset = true;
                    client->peer = 0;
                    notify.push_back(q->peer);
                }
            }
            sockets_.erase(queued);
        }
        sockets_.erase(id_of(handle));
    }
    {
        std::lock_guard<std::recursive_mutex> lock(callback_mutex_);
        attachments_.erase(id_of(handle));
    }
    deliver(std::move(notify));
    return NSAPI_ERROR_OK;
}

nsapi_error_t LoopbackStack::socket_bind(nsapi_socket_t handle, const SocketAddress &address) {
    std::lock_guard<std::mutex> lock(mutex_);
    Sock *s = find(id_of(handle));
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (s->bound || s->state != State::kIdle) {
        return NSAPI_ERROR_PARAMETER;
    }
    // Port only, the wildcard of a family, or one of our own addresses; anything else is not
    // local, which the reference stack reports as PARAMETER.
    if (address && !is_local(address)) {
        return NSAPI_ERROR_PARAMETER;
    }
    uint16_t port = address.get_port();
    if (port == 0) {
        port = ephemeral_port(s->proto);
    } else if (port_in_use(s->proto, port)) {
        return NSAPI_ERROR_PARAMETER;
    }
    s->local = address;
    s->local.set_port(port);
    s->bound = true;
    return NSAPI_ERROR_OK;
}

nsapi_error_t LoopbackStack::socket_listen(nsapi_socket_t handle, int backlog) {
    std::lock_guard<std::mutex> lock(mutex_);
    Sock *s = find(id_of(handle));
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (s->proto != NSAPI_TCP) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    if (!s->bound || (s->state != State::kIdle && s->state != State::kListening)) {
        return NSAPI_ERROR_PARAMETER;
    }
    s->state = State::kListening;
    s->backlog = std::max(backlog, 1);
    return NSAPI_ERROR_OK;
}

LoopbackStack::Notify LoopbackStack::establish(Id client_id, const SocketAddress &address) {
    Notify notify;
    Sock *client = find(client_id);
    if (!client || client->state != State::kConnecting) {
        return notify;
    }
    notify.push_back(client_id);
    Id listener_id = find_bound(NSAPI_TCP, address, true);
    Sock *listener = listener_id ? find(listener_id) : nullptr;
    if (!listener || sockets_.size() >= options_.max_sockets) {
        client->state = State::kIdle;  // refused
        client->reset = true;
        return notify;
    }
    Id server_id = next_id_++;
    Sock &server = sockets_[server_id];
    listener = find(listener_id);  // the map insertion keeps references, but be explicit
    client = find(client_id);
    server.proto = NSAPI_TCP;
    server.local = SocketAddress(address.get_addr(), address.get_port());
    server.bound = true;
    server.accepted_side = true;
    server.state = State::kConnected;
    server.peer = client_id;
    server.remote = client->local;
    if (!server.remote) {
        SocketAddress src = loopback_of(address.get_ip_version());
        src.set_port(client->local.get_port());
        server.remote = src;
    }
    client->state = State::kConnected;
    client->peer = server_id;
    client->remote = address;
    listener->accept_queue.push_back(server_id);
    notify.push_back(listener_id);
    return notify;
}

nsapi_error_t LoopbackStack::socket_connect(nsapi_socket_t handle, const SocketAddress &address) {
    Id id = id_of(handle);
    Notify notify;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        Sock *s = find(id);
        if (!s) {
            return NSAPI_ERROR_NO_SOCKET;
        }
        if (s->proto != NSAPI_TCP) {
            return NSAPI_ERROR_UNSUPPORTED;
        }
        switch (s->state) {
            case State::kConnected:
                return NSAPI_ERROR_IS_CONNECTED;
            case State::kConnecting:
                return NSAPI_ERROR_ALREADY;
            case State::kListening:
                return NSAPI_ERROR_PARAMETER;
            case State::kIdle:
                break;
        }
        if (s->reset) {
            s->reset = false;  // a refused attempt is reported once
            return NSAPI_ERROR_NO_CONNECTION;
        }
        if (!address || address.get_port() == 0) {
            return NSAPI_ERROR_PARAMETER;
        }
        if (!is_local(address)) {
            return NSAPI_ERROR_NO_CONNECTION;  // nothing is reachable beyond this host
        }
        if (!s->bound) {
            uint16_t port = ephemeral_port(NSAPI_TCP);
            if (port == 0) {
                return NSAPI_ERROR_NO_MEMORY;
            }
            s->local = SocketAddress();
            s->local.set_port(port);
            s->bound = true;
        }
        s->state = State::kConnecting;
        if (options_.events == Events::kSynchronous) {
            notify = establish(id, address);
        }
    }
    if (options_.events == Events::kWorker) {
        post([this, id, address] {
            Notify n;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                n = establish(id, address);
            }
            raise(n);
        });
    } else {
        deliver(std::move(notify));
    }
    return NSAPI_ERROR_IN_PROGRESS;
}

nsapi_error_t LoopbackStack::socket_accept(nsapi_socket_t server, nsapi_socket_t *handle,
                                           SocketAddress *address) {
    std::lock_guard<std::mutex> lock(mutex_);
    Sock *s = find(id_of(server));
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (s->proto != NSAPI_TCP) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    if (s->state != State::kListening) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (s->accept_queue.empty()) {
        return NSAPI_ERROR_WOULD_BLOCK;
    }
    Id id = s->accept_queue.front();
    s->accept_queue.pop_front();
    *handle = reinterpret_cast<nsapi_socket_t>(id);
    if (address) {
        *address = find(id)->remote;
    }
    return NSAPI_ERROR_OK;
}

nsapi_size_or_error_t LoopbackStack::socket_send(nsapi_socket_t handle, const void *data,
                                                 nsapi_size_t size) {
    Notify notify;
    nsapi_size_or_error_t ret;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        Sock *s = find(id_of(handle));
        if (!s) {
            return NSAPI_ERROR_NO_SOCKET;
        }
        if (s->proto != NSAPI_TCP) {
            return NSAPI_ERROR_UNSUPPORTED;
        }
        if (s->state == State::kConnecting) {
            return NSAPI_ERROR_WOULD_BLOCK;
        }
        Sock *peer = s->state == State::kConnected && s->peer ? find(s->peer) : nullptr;
        if (!peer) {
            return NSAPI_ERROR_NO_CONNECTION;
        }
        if (size == 0) {
            return 0;
        }
        if (!data) {
            return NSAPI_ERROR_PARAMETER;
        }
        size_t room = options_.stream_buffer - std::min(options_.stream_buffer, peer->rx.size());
        if (room == 0) {
            return NSAPI_ERROR_WOULD_BLOCK;
        }
        size_t n = std::min<size_t>(room, size);
        const uint8_t *bytes = static_cast<const uint8_t *>(data);
        peer->rx.insert(peer->rx.end(), bytes, bytes + n);
        notify.push_back(s->peer);
        ret = static_cast<nsapi_size_or_error_t>(n);
    }
    deliver(std::move(notify));
    return ret;
}

nsapi_size_or_error_t LoopbackStack::socket_recv(nsapi_socket_t handle, void *data,
                                                 nsapi_size_t size) {
    Notify notify;
    nsapi_size_or_error_t ret;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        Sock *s = find(id_of(handle));
        if (!s) {
            return NSAPI_ERROR_NO_SOCKET;
        }
        if (s->proto != NSAPI_TCP) {
            return NSAPI_ERROR_UNSUPPORTED;
        }
        if (s->rx.empty()) {
            if (s->fin) {
                return 0;
            }
            if (s->reset) {
                return NSAPI_ERROR_NO_CONNECTION;
            }
            if (s->state == State::kConnecting) {
                return NSAPI_ERROR_WOULD_BLOCK;
            }
            return s->state == State::kConnected ? NSAPI_ERROR_WOULD_BLOCK
                                                 : NSAPI_ERROR_NO_CONNECTION;
        }
        size_t n = std::min<size_t>(size, s->rx.size());
        if (n > 0 && !data) {
            return NSAPI_ERROR_PARAMETER;
        }
        std::copy(s->rx.begin(), s->rx.begin() + static_cast<std::ptrdiff_t>(n),
                  static_cast<uint8_t *>(data));
        s->rx.erase(s->rx.begin(), s->rx.begin() + static_cast<std::ptrdiff_t>(n));
        if (n > 0 && s->peer) {
            notify.push_back(s->peer);  // room for the sender again
        }
        ret = static_cast<nsapi_size_or_error_t>(n);
    }
    deliver(std::move(notify));
    return ret;
}

nsapi_size_or_error_t LoopbackStack::socket_sendto(nsapi_socket_t handle,
                                                   const SocketAddress &address, const void *data,
                                                   nsapi_size_t size) {
    Notify notify;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        Sock *s = find(id_of(handle));
        if (!s) {
            return NSAPI_ERROR_NO_SOCKET;
        }
        if (s->proto != NSAPI_UDP) {
            return NSAPI_ERROR_UNSUPPORTED;
        }
        nsapi_version_t v = address.get_ip_version();
        if (v != NSAPI_IPv4 && v != NSAPI_IPv6) {
            return size == 0 ? 0 : NSAPI_ERROR_PARAMETER;
        }
        if (address.get_port() == 0 || (size > 0 && !data)) {
            return NSAPI_ERROR_PARAMETER;
        }
        if (!s->bound) {
            uint16_t port = ephemeral_port(NSAPI_UDP);
            if (port == 0) {
                return NSAPI_ERROR_NO_MEMORY;
            }
            s->local = SocketAddress();
            s->local.set_port(port);
            s->bound = true;
        }
        if (is_local(address)) {
            Id dest_id = find_bound(NSAPI_UDP, address, false);
            Sock *dest = dest_id ? find(dest_id) : nullptr;
            if (dest && dest->datagrams.size() < options_.datagram_queue) {
                Datagram d;
                d.source = s->local && s->local.get_ip_version() == v ? s->local : loopback_of(v);
                d.source.set_port(s->local.get_port());
                const uint8_t *bytes = static_cast<const uint8_t *>(data);
                d.bytes.assign(bytes, bytes + size);
                dest->datagrams.push_back(std::move(d));
                notify.push_back(dest_id);
            }
        }
        // Datagrams to nobody, to full queues or beyond this host are lost, silently.
    }
    deliver(std::move(notify));
    return static_cast<nsapi_size_or_error_t>(size);
}

nsapi_size_or_error_t LoopbackStack::socket_recvfrom(nsapi_socket_t handle, SocketAddress *address,
                                                     void *data, nsapi_size_t size) {
    std::lock_guard<std::mutex> lock(mutex_);
    Sock *s = find(id_of(handle));
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (s->proto != NSAPI_UDP) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    if (s->datagrams.empty()) {
        return NSAPI_ERROR_WOULD_BLOCK;
    }
    Datagram d = std::move(s->datagrams.front());
    s->datagrams.pop_front();
    size_t n = std::min<size_t>(size, d.bytes.size());  // the rest is discarded
    if (n > 0 && data) {
        std::memcpy(data, d.bytes.data(), n);
    }
    if (address) {
        *address = d.source;
    }
    return static_cast<nsapi_size_or_error_t>(n);
}

void LoopbackStack::socket_attach(nsapi_socket_t handle, void (*callback)(void *), void *data) {
    std::lock_guard<std::recursive_mutex> lock(callback_mutex_);
    if (callback) {
        attachments_[id_of(handle)] = Attachment{callback, data};
    } else {
        attachments_.erase(id_of(handle));
    }
}

nsapi_error_t LoopbackStack::setsockopt(nsapi_socket_t handle, int level, int optname,
                                        const void *optval, unsigned optlen) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!find(id_of(handle))) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (level == NSAPI_SOCKET && optname == NSAPI_REUSEADDR) {
        return optval && optlen == sizeof(int) ? NSAPI_ERROR_OK : NSAPI_ERROR_UNSUPPORTED;
    }
    return NSAPI_ERROR_UNSUPPORTED;
}

void LoopbackStack::raise(const Notify &ids) {
    for (Id id : ids) {
        std::lock_guard<std::recursive_mutex> lock(callback_mutex_);
        auto it = attachments_.find(id);
        if (it != attachments_.end() && it->second.callback) {
            it->second.callback(it->second.data);
        }
    }
}

void LoopbackStack::deliver(Notify ids) {
    if (ids.empty()) {
        return;
    }
    if (options_.events == Events::kSynchronous) {
        raise(ids);
    } else {
        post([this, ids = std::move(ids)] { raise(ids); });
    }
}

void LoopbackStack::post(std::function<void()> task) {
    {
        std::lock_guard<std::mutex> lock(worker_mutex_);
        tasks_.push_back(std::move(task));
    }
    worker_cv_.notify_one();
}

void LoopbackStack::worker_main() {
    std::unique_lock<std::mutex> lock(worker_mutex_);
    while (true) {
        worker_cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) {
            return;  // stopping, and everything queued has run
        }
        std::function<void()> task = std::move(tasks_.front());
        tasks_.pop_front();
        lock.unlock();
        task();
        lock.lock();
    }
}

}  // namespace meshwork::test
