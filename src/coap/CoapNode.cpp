#include "meshwork/coap/CoapNode.h"

#include <random>

#include "meshwork/Runtime.h"

namespace meshwork::coap {

namespace {

std::uint64_t seed_from_device() {
    // Compatibility edge: a real node draws its seed from the host; tests use CoapEndpoint
    // directly with a fixed seed.
    std::random_device rd;
    return (std::uint64_t{rd()} << 32) | rd();
}

constexpr std::size_t kMaxDatagram = 2048;

}  // namespace

CoapNode::CoapNode(NetworkInterface *net, Params params)
    : net_(net ? net : NetworkInterface::get_default_instance()),
      endpoint_(
          [this](const SocketAddress &peer, const std::uint8_t *data, std::size_t size) {
              socket_.sendto(peer, data, static_cast<nsapi_size_t>(size));
          },
          seed_from_device(), params) {}

CoapNode::~CoapNode() {
    close();
}

nsapi_error_t CoapNode::open(uint16_t port) {
    if (open_)
        return NSAPI_ERROR_PARAMETER;
    if (!net_)
        return NSAPI_ERROR_NO_CONNECTION;
    nsapi_error_t err = socket_.open(net_);
    if (err != NSAPI_ERROR_OK)
        return err;
    err = socket_.bind(port);
    if (err != NSAPI_ERROR_OK) {
        socket_.close();
        return err;
    }
    port_ = port;
    open_ = true;
    return NSAPI_ERROR_OK;
}

void CoapNode::close() {
    if (open_) {
        socket_.close();
        open_ = false;
    }
}

nsapi_error_t CoapNode::to_nsapi(Status s) {
    switch (s) {
        case Status::kOk:
            return NSAPI_ERROR_OK;
        case Status::kTimeout:
            return NSAPI_ERROR_TIMEOUT;
        case Status::kReset:
            return NSAPI_ERROR_CONNECTION_LOST;
        case Status::kTooLarge:
            return NSAPI_ERROR_NO_MEMORY;
        case Status::kBadResponse:
            return NSAPI_ERROR_DEVICE_ERROR;
        case Status::kCancelled:
            return NSAPI_ERROR_ALREADY;
    }
    return NSAPI_ERROR_DEVICE_ERROR;
}

void CoapNode::step(Instant until) {
    Instant deadline;
    {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        deadline = std::min(until, endpoint_.next_deadline());
    }
    const Instant now = current_runtime().now();
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    if (wait < 0)
        wait = 0;
    if (wait > 100)
        wait =
            100;  // bounded, so respond() from another thread is sent promptly and close() is seen
    socket_.set_timeout(static_cast<int>(wait));
    std::uint8_t buf[kMaxDatagram];
    SocketAddress from;
    nsapi_size_or_error_t n = socket_.recvfrom(&from, buf, sizeof buf);
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    if (n >= 0)
        endpoint_.on_datagram(from, buf, static_cast<std::size_t>(n), current_runtime().now());
    endpoint_.poll(current_runtime().now());
}

void CoapNode::process(int timeout_ms) {
    if (!open_)
        return;
    const Instant until =
        saturating_add(current_runtime().now(), std::chrono::milliseconds(timeout_ms));
    do {
        step(until);
    } while (current_runtime().now() < until);
}

nsapi_error_t CoapNode::request(const SocketAddress &peer, Message req, Message *response,
                                bool confirmable) {
    if (!open_)
        return NSAPI_ERROR_NO_SOCKET;
    bool done = false;
    Status status = Status::kOk;
    {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        endpoint_.request(
            peer, std::move(req),
            [&](Status s, const Message &m) {
                done = true;
                status = s;
                if (response)
                    *response = m;
            },
            current_runtime().now(), confirmable);
    }
    while (true) {
        {
            std::lock_guard<std::recursive_mutex> lock(mutex_);
            if (done)
                break;
        }
        step(kNever);
    }
    return to_nsapi(status);
}

nsapi_error_t CoapNode::get(const SocketAddress &peer, const std::string &uri, Message *response) {
    Message m;
    m.code = Code::kGet;
    m.set_uri(uri);
    return request(peer, std::move(m), response);
}

nsapi_error_t CoapNode::put(const SocketAddress &peer, const std::string &uri,
                            const std::string &payload, int content_format, Message *response) {
    Message m;
    m.code = Code::kPut;
    m.set_uri(uri);
    if (content_format >= 0)
        m.set_content_format(static_cast<std::uint16_t>(content_format));
    m.set_payload(payload);
    return request(peer, std::move(m), response);
}

nsapi_error_t CoapNode::post(const SocketAddress &peer, const std::string &uri,
                             const std::string &payload, int content_format, Message *response) {
    Message m;
    m.code = Code::kPost;
    m.set_uri(uri);
    if (content_format >= 0)
        m.set_content_format(static_cast<std::uint16_t>(content_format));
    m.set_payload(payload);
    return request(peer, std::move(m), response);
}

nsapi_error_t CoapNode::del(const SocketAddress &peer, const std::string &uri, Message *response) {
    Message m;
    m.code = Code::kDelete;
    m.set_uri(uri);
    return request(peer, std::move(m), response);
}

std::uint64_t CoapNode::observe(const SocketAddress &peer, const std::string &uri,
                                ResponseHandler on_notification) {
    if (!open_)
        return 0;
    Message m;
    m.code = Code::kGet;
    m.set_uri(uri);
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return endpoint_.observe(peer, std::move(m), std::move(on_notification),
                             current_runtime().now());
}

void CoapNode::cancel_observe(std::uint64_t id) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    endpoint_.cancel_observe(id, current_runtime().now());
}

void CoapNode::add_resource(const std::string &path, ResourceHandler handler) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    endpoint_.add_resource(path, std::move(handler));
}

bool CoapNode::respond(std::uint64_t exchange_id, Message response) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return endpoint_.respond(exchange_id, std::move(response), current_runtime().now());
}

}  // namespace meshwork::coap
