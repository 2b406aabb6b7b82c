// A CoAP client and server on one UDPSocket, for ordinary Mbed applications: the socket adapter
// of CoapEndpoint. It converts SocketAddress to and from the endpoint's IpEndpoint, and drives
// the endpoint from the calling thread: it sleeps until the endpoint's next_deadline() or until
// the socket signals a datagram (sigio), never on a fixed tick. Time and waits go through
// meshwork::current_executor(), so it runs in real time on the host and in virtual time in a
// simulation.
//
// Blocking calls (get/put/post/del/request) run the endpoint until their response arrives, so
// resources on the same node are served meanwhile. A server-only node calls process() in a loop.
// The node is thread-safe: one thread may drive it while another calls respond(); resource and
// observation handlers run on the driving thread with the node locked and must not call the
// blocking methods. Calls from other threads (respond(), observe(), close()) wake the driver.
//
// Randomness: message IDs, tokens and the retransmission jitter come from a SeededRandom owned
// by the node and seeded from the constructor's `seed` (kDefaultSeed if none is given). The
// library reads no OS entropy; an application that wants IDs and tokens to differ across
// restarts or devices (RFC 7252 4.4, 5.3.1) passes its own seed (docs/coap.md).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "core/IpEndpoint.h"
#include "core/Random.h"

#include "meshwork/Executor.h"
#include "meshwork/coap/CoapEndpoint.h"
#include "netsocket/NetworkInterface.h"
#include "netsocket/UDPSocket.h"

namespace meshwork::coap {

/// The endpoint's address for a socket address (IPv4 as v4-mapped).
IpEndpoint to_ip_endpoint(const SocketAddress &address);
/// The socket address for an endpoint address (v4-mapped as IPv4).
SocketAddress to_socket_address(const IpEndpoint &endpoint);

class CoapNode {
  public:
    /// Seed of the node's random stream when the constructor is given none.
    static constexpr std::uint64_t kDefaultSeed = 0x636f61702d6e6f64ull;  // "coap-nod"

    /// `net` NULL uses NetworkInterface::get_default_instance(). `seed` seeds the node's
    /// random stream (message IDs, tokens, retransmission jitter): equal seeds, equal streams.
    explicit CoapNode(NetworkInterface *net = nullptr, Params params = {},
                      std::uint64_t seed = kDefaultSeed);
    ~CoapNode();
    CoapNode(const CoapNode &) = delete;
    CoapNode &operator=(const CoapNode &) = delete;

    /// Opens the socket and binds `port` (0: an ephemeral port, for a client).
    nsapi_error_t open(uint16_t port = 0);
    /// The port given to open() (0 for an ephemeral one: the socket API does not report it).
    uint16_t local_port() const { return port_; }
    void close();

    /// Sends `request` and waits for its complete response. NSAPI_ERROR_OK with *response set
    /// (any response code), NSAPI_ERROR_TIMEOUT (no ACK or response), NSAPI_ERROR_CONNECTION_LOST
    /// (RST), NSAPI_ERROR_NO_MEMORY (body too large), NSAPI_ERROR_DEVICE_ERROR (bad block
    /// sequence), NSAPI_ERROR_NO_SOCKET (not open).
    nsapi_error_t request(const SocketAddress &peer, Message request, Message *response,
                          bool confirmable = true);
    nsapi_error_t get(const SocketAddress &peer, const std::string &uri, Message *response);
    nsapi_error_t put(const SocketAddress &peer, const std::string &uri, const std::string &payload,
                      int content_format, Message *response);
    nsapi_error_t post(const SocketAddress &peer, const std::string &uri,
                       const std::string &payload, int content_format, Message *response);
    nsapi_error_t del(const SocketAddress &peer, const std::string &uri, Message *response);

    /// Registers an observation of `uri`; `on_notification` gets each notification (the first is
    /// the registration response) until cancel_observe(). Returns the id, or 0 if not open.
    std::uint64_t observe(const SocketAddress &peer, const std::string &uri,
                          ResponseHandler on_notification);
    void cancel_observe(std::uint64_t id);

    void add_resource(const std::string &path, ResourceHandler handler);
    /// Separate response to an exchange the resource handler deferred.
    bool respond(std::uint64_t exchange_id, Message response);

    /// Receives and handles datagrams and timers for `timeout_ms` milliseconds.
    void process(int timeout_ms);

    /// Runs a function with the endpoint locked (statistics, custom requests).
    template <typename F>
    auto with_endpoint(F f) {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        return f(endpoint_);
    }

  private:
    /// Sleeps until a wake-up (datagram, another thread's call) or until the earlier of `until`
    /// and the endpoint's next deadline, then services the socket and the endpoint's timers.
    void step(Instant until);
    /// Reads every pending datagram into the endpoint and runs its due timers. True if it did
    /// anything.
    bool service();
    /// Wakes the driving thread(s): called by sigio and by calls that change the deadlines.
    void wake();
    static nsapi_error_t to_nsapi(Status s);

    NetworkInterface *net_;
    UDPSocket socket_;
    std::atomic<bool> open_{false};
    uint16_t port_ = 0;
    std::recursive_mutex mutex_;  // guards endpoint_ and random_
    SeededRandom random_;
    CoapEndpoint endpoint_;
    // Wake-up of the driver: a sticky flag, set under wake_mutex_ and waited on through the
    // driver's executor.
    WaitLock wake_mutex_;
    WaitQueue wake_cv_;
    bool wake_ = false;
    unsigned waiters_ = 0;
};

}  // namespace meshwork::coap
