#include "testbed/OtRadioBridge.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <limits>

namespace meshwork::testbed {

namespace {

constexpr char kGroup[] = "224.0.0.116";
constexpr std::uint16_t kMaxId = 999;
// A foreign frame arrives at -20 dBm from a 0 dBm proxy (the level the peer reports).
constexpr double kProxyLossDb = 20;

// The meshwork model for meshwork pairs; a fixed loss to and from every proxy.
class BridgedPropagation final : public sim::Propagation {
  public:
    BridgedPropagation(std::unique_ptr<sim::Propagation> inner,
                       std::shared_ptr<std::vector<bool>> is_proxy)
        : inner_(std::move(inner)), is_proxy_(std::move(is_proxy)) {}
    double path_loss_db(sim::RadioNodeId tx, sim::RadioNodeId rx, const sim::Position &a,
                        const sim::Position &b) const override {
        if (proxy(tx) || proxy(rx))
            return kProxyLossDb;
        return inner_->path_loss_db(tx, rx, a, b);
    }
    // Proxies are everywhere, so positions bound nothing: every node is a candidate.
    double max_range_m(double) const override { return std::numeric_limits<double>::infinity(); }
    double frame_loss(sim::RadioNodeId tx, sim::RadioNodeId rx) const override {
        return proxy(tx) || proxy(rx) ? 0.0 : inner_->frame_loss(tx, rx);
    }

  private:
    bool proxy(sim::RadioNodeId id) const { return id < is_proxy_->size() && (*is_proxy_)[id]; }
    std::unique_ptr<sim::Propagation> inner_;
    std::shared_ptr<std::vector<bool>> is_proxy_;
};

sockaddr_in inet(const char *addr, std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    ::inet_pton(AF_INET, addr, &a.sin_addr);
    return a;
}

bool set_int(int fd, int level, int name, int value) {
    return ::setsockopt(fd, level, name, &value, sizeof value) == 0;
}

}  // namespace

// One foreign id's radio on the medium: it only transmits.
struct OtRadioBridge::Proxy final : sim::RadioMediumClient {
    OtRadioBridge *bridge = nullptr;
    sim::RadioNodeId node = sim::kNoRadioNode;
    std::deque<std::vector<std::uint8_t>> queue;  // channel byte + PSDU, oldest first
    bool on_air = false;
    sim::Scheduler::EventId next = 0;  // the pending proxy_next (cancelled with the bridge)

    void medium_tx_done(const RadioTxResult &) override {
        on_air = false;
        next = bridge->medium_.scheduler().post([this] { bridge->proxy_next(*this); });
    }
    void medium_receive(const RadioRxFrame &) override {}
    void medium_cca_done(bool) override {}
    void medium_energy_detect_done(std::int8_t) override {}
};

OtRadioBridge::OtRadioBridge(sim::RadioMedium &medium, std::unique_ptr<sim::Propagation> model,
                             const OtRadioBridgeConfig &config)
    : medium_(medium),
      cfg_(config),
      is_proxy_(std::make_shared<std::vector<bool>>()),
      next_id_(config.first_node_id) {
    medium_.set_propagation(std::make_unique<BridgedPropagation>(std::move(model), is_proxy_));
    medium_.add_tap(this);
}

OtRadioBridge::~OtRadioBridge() {
    close();
    medium_.remove_tap(this);
    for (auto &[id, p] : proxies_) {
        medium_.scheduler().cancel(p->next);
        medium_.attach(p->node, nullptr);
    }
}

std::uint16_t OtRadioBridge::group_port() const {
    return static_cast<std::uint16_t>(cfg_.port_base + 1000u * cfg_.port_offset);
}

Status OtRadioBridge::open() {
    if (rx_fd_ >= 0)
        return Status(Error::kBadState);
    if (std::uint32_t(cfg_.port_base) + 1000u * cfg_.port_offset + kMaxId > 65535u)
        return Status(Error::kInvalidArgument);
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return Status(Error::kUnsupported);
    sockaddr_in group = inet(kGroup, group_port());
    ip_mreq mreq{};
    mreq.imr_multiaddr = group.sin_addr;
    ::inet_pton(AF_INET, "127.0.0.1", &mreq.imr_interface);
    if (!set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1) || !set_int(fd, SOL_SOCKET, SO_REUSEPORT, 1) ||
        ::bind(fd, reinterpret_cast<const sockaddr *>(&group), sizeof group) != 0 ||
        ::setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof mreq) != 0) {
        ::close(fd);
        return Status(Error::kUnsupported);
    }
    rx_fd_ = fd;
    poll_event_ = medium_.scheduler().every(cfg_.poll_period, [this] { poll(); });
    return Status();
}

void OtRadioBridge::close() {
    if (poll_event_ != 0)
        medium_.scheduler().cancel(poll_event_);
    poll_event_ = 0;
    if (rx_fd_ >= 0)
        ::close(rx_fd_);
    rx_fd_ = -1;
    for (auto &[node, l] : locals_)
        ::close(l.fd);
    locals_.clear();
}

Result<std::uint16_t> OtRadioBridge::bridge_node(sim::RadioNodeId node, std::uint16_t id) {
    if (rx_fd_ < 0)
        return Error::kBadState;
    if (locals_.count(node) != 0)
        return Error::kInvalidArgument;
    if (id == 0) {
        for (;;) {
            if (next_id_ == 0)
                return Error::kNoSpace;
            bool used = false;
            for (const auto &[n, l] : locals_)
                used = used || l.id == next_id_;
            if (!used)
                break;
            --next_id_;
        }
        id = next_id_--;
    }
    if (id > kMaxId || proxies_.count(id) != 0)
        return Error::kInvalidArgument;
    for (const auto &[n, l] : locals_)
        if (l.id == id)
            return Error::kInvalidArgument;
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return Error::kUnsupported;
    const sockaddr_in self = inet("127.0.0.1", static_cast<std::uint16_t>(group_port() + id));
    in_addr lo{};
    ::inet_pton(AF_INET, "127.0.0.1", &lo);
    if (!set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1) ||
        ::bind(fd, reinterpret_cast<const sockaddr *>(&self), sizeof self) != 0 ||
        ::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &lo, sizeof lo) != 0 ||
        !set_int(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 1)) {
        ::close(fd);
        return Error::kUnsupported;
    }
    locals_[node] = Local{id, fd};
    return id;
}

sim::RadioNodeId OtRadioBridge::proxy(std::uint16_t id) const {
    auto it = proxies_.find(id);
    return it == proxies_.end() ? sim::kNoRadioNode : it->second->node;
}

void OtRadioBridge::on_air_end(const sim::AirFrame &frame, bool aborted) {
    auto it = locals_.find(frame.sender);
    if (aborted || it == locals_.end())
        return;
    // The channel byte carries 2.4 GHz channels only.
    if (frame.channel.page != 0 || frame.channel.number < 11 || frame.channel.number > 26 ||
        frame.psdu.size == 0 || frame.psdu.size > 127) {
        ++stats_.unsendable;
        return;
    }
    std::uint8_t buf[128];
    buf[0] = frame.channel.number;
    std::memcpy(buf + 1, frame.psdu.data, frame.psdu.size);
    const sockaddr_in group = inet(kGroup, group_port());
    const ssize_t n = ::sendto(it->second.fd, buf, frame.psdu.size + 1, 0,
                               reinterpret_cast<const sockaddr *>(&group), sizeof group);
    if (n == static_cast<ssize_t>(frame.psdu.size + 1))
        ++stats_.sent;
    else
        ++stats_.send_errors;
}

void OtRadioBridge::poll() {
    if (rx_fd_ < 0)
        return;
    for (;;) {
        std::uint8_t buf[256];
        sockaddr_in from{};
        socklen_t flen = sizeof from;
        const ssize_t n =
            ::recvfrom(rx_fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr *>(&from), &flen);
        if (n < 0)
            return;  // EAGAIN: nothing more now
        ++stats_.received;
        const int id = int(ntohs(from.sin_port)) - int(group_port());
        bool own = false;
        for (const auto &[node, l] : locals_)
            own = own || l.id == id;
        if (own) {
            ++stats_.own;
            continue;
        }
        if (id < 1 || id > kMaxId || n < 2 || n > 128 || buf[0] < 11 || buf[0] > 26) {
            ++stats_.malformed;
            continue;
        }
        inject(static_cast<std::uint16_t>(id), buf[0], buf + 1, static_cast<std::size_t>(n - 1));
    }
}

void OtRadioBridge::inject(std::uint16_t id, std::uint8_t channel, const std::uint8_t *psdu,
                           std::size_t len) {
    auto &slot = proxies_[id];
    if (!slot) {
        slot = std::make_unique<Proxy>();
        slot->bridge = this;
        slot->node = medium_.add_node({0, 0, 0}, 0);
        if (is_proxy_->size() <= slot->node)
            is_proxy_->resize(slot->node + 1, false);
        (*is_proxy_)[slot->node] = true;
        medium_.attach(slot->node, slot.get());
    }
    std::vector<std::uint8_t> frame(len + 1);
    frame[0] = channel;
    std::memcpy(frame.data() + 1, psdu, len);
    slot->queue.push_back(std::move(frame));
    if (!slot->on_air)
        proxy_next(*slot);
}

void OtRadioBridge::proxy_next(Proxy &p) {
    while (!p.on_air && !p.queue.empty()) {
        std::vector<std::uint8_t> f = std::move(p.queue.front());
        p.queue.pop_front();
        if (!medium_.set_channel(p.node, RadioChannel{0, f[0]}) ||
            !medium_.transmit(p.node, ByteSpan(f.data() + 1, f.size() - 1), false,
                              CcaMode::kEnergy)) {
            ++stats_.inject_errors;
            continue;
        }
        p.on_air = true;
        ++stats_.injected;
    }
}

}  // namespace meshwork::testbed
