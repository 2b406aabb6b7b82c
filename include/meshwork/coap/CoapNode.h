// A CoAP client and server on one UDPSocket, for ordinary Mbed applications. It feeds the
// socket's datagrams to a CoapEndpoint and drives its timers from meshwork::current_runtime(), so
// it runs in real time on the host and in virtual time in a simulation.
//
// Blocking calls (get/put/post/del/request) run the endpoint until their response arrives, so
// resources on the same node are served meanwhile. A server-only node calls process() in a loop.
// The node is thread-safe: one thread may drive it while another calls respond(); resource and
// observation handlers run on the driving thread with the node locked and must not call the
// blocking methods.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "meshwork/coap/CoapEndpoint.h"
#include "netsocket/NetworkInterface.h"
#include "netsocket/UDPSocket.h"

namespace meshwork::coap {

class CoapNode {
  public:
    /// `net` NULL uses NetworkInterface::get_default_instance().
    explicit CoapNode(NetworkInterface *net = nullptr, Params params = {});
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
    /// One receive-and-dispatch step waiting at most until `until`.
    void step(Instant until);
    static nsapi_error_t to_nsapi(Status s);

    NetworkInterface *net_;
    UDPSocket socket_;
    bool open_ = false;
    uint16_t port_ = 0;
    std::recursive_mutex mutex_;
    CoapEndpoint endpoint_;
};

}  // namespace meshwork::coap
