// An in-memory NetworkStack for tests: TCP-like streams (ordered bytes, bounded buffers, orderly
// close, refusal, backlog queue) and UDP-like datagrams (bounded queues, truncation) between
// sockets of the same stack, reachable at 127.0.0.1 and ::1. Every hook is non-blocking.
//
// Events are raised synchronously at the end of the hook that caused them (after the stack lock
// is released), or from a worker thread, which also completes connects asynchronously (so a
// non-blocking connect sees IN_PROGRESS, then ALREADY, then IS_CONNECTED as on POSIX).
// ICMP sockets are not modelled (socket_open answers UNSUPPORTED).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "netsocket/NetworkStack.h"
#include "netsocket/SocketAddress.h"
#include "netsocket/nsapi_types.h"

namespace meshwork::test {

class LoopbackStack : public NetworkStack {
  public:
    enum class Events { kSynchronous, kWorker };

    struct Options {
        Events events = Events::kSynchronous;
        size_t max_sockets = 16;
        size_t stream_buffer = 16 * 1024;  // bytes a receiver buffers before senders block
        size_t datagram_queue = 32;        // datagrams queued per socket before drops
        bool ipv6 = false;                 // the address get_ip_address() reports
    };

    LoopbackStack();
    explicit LoopbackStack(Options options);
    ~LoopbackStack() override;

    nsapi_error_t get_ip_address(SocketAddress *address) override;

    /// Sockets currently allocated (for leak checks in tests).
    size_t socket_count() const;

  protected:
    nsapi_error_t socket_open(nsapi_socket_t *handle, nsapi_protocol_t proto) override;
    nsapi_error_t socket_close(nsapi_socket_t handle) override;
    nsapi_error_t socket_bind(nsapi_socket_t handle, const SocketAddress &address) override;
    nsapi_error_t socket_listen(nsapi_socket_t handle, int backlog) override;
    nsapi_error_t socket_connect(nsapi_socket_t handle, const SocketAddress &address) override;
    nsapi_error_t socket_accept(nsapi_socket_t server, nsapi_socket_t *handle,
                                SocketAddress *address) override;
    nsapi_size_or_error_t socket_send(nsapi_socket_t handle, const void *data,
                                      nsapi_size_t size) override;
    nsapi_size_or_error_t socket_recv(nsapi_socket_t handle, void *data,
                                      nsapi_size_t size) override;
    nsapi_size_or_error_t socket_sendto(nsapi_socket_t handle, const SocketAddress &address,
                                        const void *data, nsapi_size_t size) override;
    nsapi_size_or_error_t socket_recvfrom(nsapi_socket_t handle, SocketAddress *address, void *data,
                                          nsapi_size_t size) override;
    void socket_attach(nsapi_socket_t handle, void (*callback)(void *), void *data) override;
    nsapi_error_t setsockopt(nsapi_socket_t handle, int level, int optname, const void *optval,
                             unsigned optlen) override;

  private:
    using Id = uintptr_t;
    using Notify = std::vector<Id>;

    enum class State { kIdle, kListening, kConnecting, kConnected };

    struct Datagram {
        SocketAddress source;
        std::vector<uint8_t> bytes;
    };

    struct Sock {
        nsapi_protocol_t proto = NSAPI_TCP;
        SocketAddress local;  // version UNSPEC: any local address
        bool bound = false;
        bool accepted_side = false;  // created by a connect to a listener
        State state = State::kIdle;
        Id peer = 0;           // the other end of a connection
        SocketAddress remote;  // the other end's address
        bool fin = false;      // the peer closed in order: recv gives 0 once drained
        bool reset = false;    // the connection failed: NO_CONNECTION
        std::deque<uint8_t> rx;
        std::deque<Id> accept_queue;
        int backlog = 1;
        std::deque<Datagram> datagrams;
    };

    struct Attachment {
        void (*callback)(void *) = nullptr;
        void *data = nullptr;
    };

    static Id id_of(nsapi_socket_t handle) { return reinterpret_cast<Id>(handle); }
    Sock *find(Id id);
    bool is_local(const SocketAddress &address) const;
    SocketAddress loopback_of(nsapi_version_t version) const;
    uint16_t ephemeral_port(nsapi_protocol_t proto);
    bool port_in_use(nsapi_protocol_t proto, uint16_t port) const;
    Id find_bound(nsapi_protocol_t proto, const SocketAddress &destination, bool listening) const;

    /// Under mutex_: completes the connect of `client` to `address`; returns who to notify.
    Notify establish(Id client, const SocketAddress &address);
    /// Raises the callbacks of `ids` (never called with mutex_ held).
    void raise(const Notify &ids);
    /// Synchronous mode: raise now. Worker mode: queue for the worker.
    void deliver(Notify ids);
    void post(std::function<void()> task);
    void worker_main();

    const Options options_;
    mutable std::mutex mutex_;
    std::map<Id, Sock> sockets_;
    Id next_id_ = 1;
    uint16_t next_port_ = 49152;

    std::recursive_mutex callback_mutex_;  // held while raising; detach waits for it
    std::map<Id, Attachment> attachments_;

    std::mutex worker_mutex_;
    std::condition_variable worker_cv_;
    std::deque<std::function<void()>> tasks_;
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace meshwork::test
