// An in-memory NetworkStack with a scripted DNS server behind it: datagrams sent to a server
// address are answered (or dropped) according to a table of names, so resolver tests never
// touch a real network. Socket events are raised only when the test calls raise_events().
#pragma once

#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "NetworkStack.h"
#include "DnsMessage.h"

namespace meshwork::test {

class FakeDnsStack : public NetworkStack {
  public:
    struct Zone {
        std::vector<SocketAddress> a, aaaa;
        uint32_t ttl = 300;
        uint16_t rcode = 0;
    };

    // Scripted server behaviour.
    std::map<std::string, Zone> zones;
    std::vector<SocketAddress> responding;     // servers that answer; others stay silent
    bool wrong_id_first = false;               // send a reply with a bad id before the real one
    SocketAddress spoof_source;                // if set, replies come from this address instead
    std::vector<SocketAddress> stack_servers;  // returned by get_dns_server
    nsapi_error_t open_result = NSAPI_ERROR_OK;

    // Observations.
    struct Sent {
        SocketAddress to;
        uint16_t qtype;
        std::string name;
        uint16_t id;
    };
    std::vector<Sent> sent;
    int opens = 0;
    int closes = 0;

    /// Raises the callback of every socket that has data queued. Callbacks run under
    /// callback_mutex_, which socket_attach also takes, so none runs after a detach returns
    /// (the NetworkStack contract).
    void raise_events() {
        std::lock_guard<std::mutex> callbacks(callback_mutex_);
        std::vector<std::pair<void (*)(void *), void *>> cbs;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            for (auto &s : sockets_) {
                if (!s.second.queue.empty() && s.second.cb) {
                    cbs.emplace_back(s.second.cb, s.second.data);
                }
            }
        }
        for (auto &c : cbs) {
            c.first(c.second);
        }
    }

    size_t open_sockets() {
        std::lock_guard<std::mutex> lock(mutex_);
        return sockets_.size();
    }

    nsapi_error_t get_dns_server(int index, SocketAddress *address, const char *) override {
        if (index < 0 || size_t(index) >= stack_servers.size()) {
            return NSAPI_ERROR_NO_ADDRESS;
        }
        *address = stack_servers[size_t(index)];
        return NSAPI_ERROR_OK;
    }

    nsapi_error_t get_ip_address(SocketAddress *address) override {
        address->set_ip_address("192.0.2.200");
        return NSAPI_ERROR_OK;
    }

  protected:
    struct Datagram {
        SocketAddress from;
        std::vector<uint8_t> bytes;
    };
    struct Sock {
        std::deque<Datagram> queue;
        void (*cb)(void *) = nullptr;
        void *data = nullptr;
    };

    nsapi_error_t socket_open(nsapi_socket_t *handle, nsapi_protocol_t proto) override {
        if (open_result != NSAPI_ERROR_OK) {
            return open_result;
        }
        std::lock_guard<std::mutex> lock(mutex_);
        opens++;
        *handle = reinterpret_cast<nsapi_socket_t>(intptr_t(++next_handle_));
        sockets_[*handle];
        return NSAPI_ERROR_OK;
    }
    nsapi_error_t socket_close(nsapi_socket_t handle) override {
        std::lock_guard<std::mutex> lock(mutex_);
        closes++;
        sockets_.erase(handle);
        return NSAPI_ERROR_OK;
    }
    nsapi_error_t socket_bind(nsapi_socket_t, const SocketAddress &) override {
        return NSAPI_ERROR_OK;
    }
    nsapi_error_t socket_listen(nsapi_socket_t, int) override { return NSAPI_ERROR_UNSUPPORTED; }
    nsapi_error_t socket_connect(nsapi_socket_t, const SocketAddress &) override {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    nsapi_error_t socket_accept(nsapi_socket_t, nsapi_socket_t *, SocketAddress *) override {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    nsapi_size_or_error_t socket_send(nsapi_socket_t, const void *, nsapi_size_t) override {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    nsapi_size_or_error_t socket_recv(nsapi_socket_t, void *, nsapi_size_t) override {
        return NSAPI_ERROR_UNSUPPORTED;
    }

    nsapi_size_or_error_t socket_sendto(nsapi_socket_t handle, const SocketAddress &to,
                                        const void *data, nsapi_size_t size) override {
        const uint8_t *q = static_cast<const uint8_t *>(data);
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = sockets_.find(handle);
        if (it == sockets_.end()) {
            return NSAPI_ERROR_NO_SOCKET;
        }
        // Decode the question: labels from offset 12, then QTYPE.
        std::string name;
        size_t pos = 12;
        while (pos < size && q[pos] != 0) {
            if (!name.empty()) {
                name += '.';
            }
            name.append(reinterpret_cast<const char *>(q + pos + 1), q[pos]);
            pos += q[pos] + 1;
        }
        uint16_t qtype = uint16_t((q[pos + 1] << 8) | q[pos + 2]);
        sent.push_back({to, qtype, name, uint16_t((q[0] << 8) | q[1])});
        bool answers = false;
        for (const SocketAddress &r : responding) {
            answers = answers || r == to;
        }
        if (!answers) {
            return nsapi_size_or_error_t(size);  // silently lost
        }
        SocketAddress from = spoof_source ? spoof_source : to;
        uint16_t id = uint16_t((q[0] << 8) | q[1]);
        if (wrong_id_first) {
            it->second.queue.push_back({from, reply(uint16_t(id + 1), q, pos + 5, qtype, name)});
        }
        it->second.queue.push_back({from, reply(id, q, pos + 5, qtype, name)});
        return nsapi_size_or_error_t(size);
    }

    nsapi_size_or_error_t socket_recvfrom(nsapi_socket_t handle, SocketAddress *address, void *data,
                                          nsapi_size_t size) override {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = sockets_.find(handle);
        if (it == sockets_.end()) {
            return NSAPI_ERROR_NO_SOCKET;
        }
        if (it->second.queue.empty()) {
            return NSAPI_ERROR_WOULD_BLOCK;
        }
        Datagram d = it->second.queue.front();
        it->second.queue.pop_front();
        if (address) {
            *address = d.from;
        }
        size_t n = std::min<size_t>(size, d.bytes.size());
        memcpy(data, d.bytes.data(), n);
        return nsapi_size_or_error_t(n);
    }

    void socket_attach(nsapi_socket_t handle, void (*cb)(void *), void *data) override {
        std::lock_guard<std::mutex> callbacks(callback_mutex_);
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = sockets_.find(handle);
        if (it != sockets_.end()) {
            it->second.cb = cb;
            it->second.data = data;
        }
    }

  private:
    std::vector<uint8_t> reply(uint16_t id, const uint8_t *q, size_t qend, uint16_t qtype,
                               const std::string &name) {
        std::vector<uint8_t> r(q, q + qend);
        r[0] = uint8_t(id >> 8);
        r[1] = uint8_t(id);
        auto zone = zones.find(name);
        uint16_t rcode = zone == zones.end() ? 3 : zone->second.rcode;
        r[2] = 0x81;
        r[3] = uint8_t(0x80 | rcode);
        std::vector<SocketAddress> addrs;
        if (zone != zones.end() && rcode == 0) {
            addrs = qtype == dns::kTypeA ? zone->second.a : zone->second.aaaa;
        }
        r[6] = 0;
        r[7] = uint8_t(addrs.size());
        for (const SocketAddress &a : addrs) {
            size_t len = a.get_ip_version() == NSAPI_IPv4 ? 4 : 16;
            const uint8_t rr[] = {0xC0,
                                  0x0C,
                                  uint8_t(qtype >> 8),
                                  uint8_t(qtype),
                                  0,
                                  1,
                                  uint8_t(zone->second.ttl >> 24),
                                  uint8_t(zone->second.ttl >> 16),
                                  uint8_t(zone->second.ttl >> 8),
                                  uint8_t(zone->second.ttl),
                                  0,
                                  uint8_t(len)};
            r.insert(r.end(), rr, rr + sizeof(rr));
            const uint8_t *b = static_cast<const uint8_t *>(a.get_ip_bytes());
            r.insert(r.end(), b, b + len);
        }
        return r;
    }

    std::mutex callback_mutex_;
    std::mutex mutex_;
    std::map<nsapi_socket_t, Sock> sockets_;
    int next_handle_ = 0;
};

}  // namespace meshwork::test
