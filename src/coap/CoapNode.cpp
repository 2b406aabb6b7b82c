#include "meshwork/coap/CoapNode.h"

#include "meshwork/Executor.h"

namespace meshwork::coap {

namespace {

constexpr std::size_t kMaxDatagram = 2048;

}  // namespace

IpEndpoint to_ip_endpoint(const SocketAddress &address) {
    const auto *bytes = static_cast<const std::uint8_t *>(address.get_ip_bytes());
    switch (address.get_ip_version()) {
        case NSAPI_IPv4:
            return IpEndpoint::v4(bytes, address.get_port());
        case NSAPI_IPv6:
            return IpEndpoint::v6(bytes, address.get_port());
        default: {
            IpEndpoint e;  // unspecified
            e.port = address.get_port();
            return e;
        }
    }
}

SocketAddress to_socket_address(const IpEndpoint &endpoint) {
    SocketAddress a;
    if (endpoint.is_v4())
        a.set_ip_bytes(endpoint.v4_bytes(), NSAPI_IPv4);
    else
        a.set_ip_bytes(endpoint.address.data(), NSAPI_IPv6);
    a.set_port(endpoint.port);
    return a;
}

CoapNode::CoapNode(NetworkInterface *net, Params params, std::uint64_t seed)
    : net_(net ? net : NetworkInterface::get_default_instance()),
      random_(seed),
      endpoint_(
          [this](const IpEndpoint &peer, const std::uint8_t *data, std::size_t size) {
              // Non-blocking: a datagram the kernel cannot take now is lost, as on the wire;
              // confirmable messages are retransmitted.
              socket_.sendto(to_socket_address(peer), data, static_cast<nsapi_size_t>(size));
          },
          random_, params) {}

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
    // The node never blocks in the socket: it waits for sigio or the endpoint's next deadline.
    socket_.set_blocking(false);
    socket_.sigio(mbed::callback(this, &CoapNode::wake));
    err = socket_.bind(port);
    if (err != NSAPI_ERROR_OK) {
        socket_.sigio(nullptr);
        socket_.close();
        return err;
    }
    port_ = port;
    open_ = true;
    return NSAPI_ERROR_OK;
}

void CoapNode::close() {
    if (open_.exchange(false)) {
        socket_.sigio(nullptr);
        socket_.close();
    }
    wake();
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

void CoapNode::wake() {
    std::lock_guard<WaitLock> lock(wake_mutex_);
    wake_ = true;
    wake_cv_.notify_all();
}

bool CoapNode::service() {
    bool worked = false;
    std::uint8_t buf[kMaxDatagram];
    while (open_) {
        SocketAddress from;
        const nsapi_size_or_error_t n = socket_.recvfrom(&from, buf, sizeof buf);
        if (n < 0)
            break;  // drained (WOULD_BLOCK: sigio fires for the next one), or closed
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        endpoint_.on_datagram(to_ip_endpoint(from), buf, static_cast<std::size_t>(n),
                              current_executor().now());
        worked = true;
    }
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    const Instant now = current_executor().now();
    if (endpoint_.next_deadline() <= now) {
        endpoint_.poll(now);
        worked = true;
    }
    return worked;
}

void CoapNode::step(Instant until) {
    Executor &runtime = current_executor();
    Instant deadline;
    {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        deadline = std::min(until, endpoint_.next_deadline());
    }
    {
        // A wake-up that came after the deadline was read is still seen: the flag is sticky.
        WaitGuard lock(wake_mutex_);
        ++waiters_;
        while (!wake_ && runtime.now() < deadline)
            wake_cv_.wait_until(lock, deadline);
        --waiters_;
        wake_ = false;  // consumed before servicing: a datagram arriving meanwhile sets it again
    }
    if (service()) {
        // Another thread driving the same node may be waiting on state this step changed.
        std::lock_guard<WaitLock> lock(wake_mutex_);
        if (waiters_ > 0) {
            wake_ = true;
            wake_cv_.notify_all();
        }
    }
}

void CoapNode::process(int timeout_ms) {
    if (!open_)
        return;
    const Instant until =
        saturating_add(current_executor().now(), std::chrono::milliseconds(timeout_ms));
    do {
        step(until);
    } while (open_ && current_executor().now() < until);
}

nsapi_error_t CoapNode::request(const SocketAddress &peer, Message req, Message *response,
                                bool confirmable) {
    if (!open_)
        return NSAPI_ERROR_NO_SOCKET;
    bool done = false;
    Status status = Status::kOk;
    std::uint64_t id = 0;
    {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        id = endpoint_.request(
            to_ip_endpoint(peer), std::move(req),
            [&](Status s, const Message &m) {
                done = true;
                status = s;
                if (response)
                    *response = m;
            },
            current_executor().now(), confirmable);
    }
    wake();  // another driver, if any, must see the new deadline
    while (true) {
        {
            std::lock_guard<std::recursive_mutex> lock(mutex_);
            if (done)
                break;
            if (!open_) {  // closed by another thread: the exchange cannot complete
                endpoint_.cancel(id);
                return NSAPI_ERROR_NO_SOCKET;
            }
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
    std::uint64_t id;
    {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        id = endpoint_.observe(to_ip_endpoint(peer), std::move(m), std::move(on_notification),
                               current_executor().now());
    }
    wake();
    return id;
}

void CoapNode::cancel_observe(std::uint64_t id) {
    {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        endpoint_.cancel_observe(id, current_executor().now());
    }
    wake();
}

void CoapNode::add_resource(const std::string &path, ResourceHandler handler) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    endpoint_.add_resource(path, std::move(handler));
}

bool CoapNode::respond(std::uint64_t exchange_id, Message response) {
    bool ok;
    {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        ok = endpoint_.respond(exchange_id, std::move(response), current_executor().now());
    }
    if (ok)
        wake();
    return ok;
}

}  // namespace meshwork::coap
