// DnsResolver: server list, cache, blocking and asynchronous A/AAAA resolution.
#include "DnsResolver.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "UDPSocket.h"
#include "core/Random.h"
#include "meshwork/config/ApplicationConfiguration.h"
#include "DnsMessage.h"

namespace meshwork {
namespace {

constexpr size_t kMaxServers = 5;       // per list, as Mbed's server table
constexpr int kMaxIgnoredReplies = 16;  // stray datagrams tolerated per wait

// Mbed's default public resolvers. Tests never use them: they clear the list first.
const char *const kDefaultServers[] = {"8.8.8.8", "2001:4860:4860::8888", "209.244.0.3",
                                       "84.200.69.80", "2001:1608:10:25::1c04:b12f"};

std::string lowercase(const char *s) {
    std::string out(s);
    for (char &c : out) {
        c = char(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::vector<uint16_t> query_types(nsapi_version_t version) {
    if (version == NSAPI_IPv4) {
        return {dns::kTypeA};
    }
    if (version == NSAPI_IPv6) {
        return {dns::kTypeAaaa};
    }
    return {dns::kTypeA, dns::kTypeAaaa};  // no preference: IPv4 first, then IPv6
}

SocketAddress with_default_port(SocketAddress addr) {
    if (addr.get_port() == 0) {
        addr.set_port(dns::kDefaultPort);
    }
    return addr;
}

// What one received datagram means for the exchange in progress.
enum class Reply { kIgnore, kAnswer, kNoData, kNameError, kNextServer };

Reply classify(const uint8_t *buf, nsapi_size_or_error_t n, uint16_t message_id,
               const std::string &name, uint16_t qtype, dns::Record *records, size_t max,
               size_t *count) {
    dns::ParseStatus st =
        dns::parse_response(buf, size_t(n), message_id, name.c_str(), qtype, records, max, count);
    switch (st) {
        case dns::ParseStatus::kOk:
            return *count > 0 ? Reply::kAnswer : Reply::kNoData;
        case dns::ParseStatus::kNotResponse:
            return Reply::kIgnore;
        case dns::ParseStatus::kNameError:
            return Reply::kNameError;
        default:
            return Reply::kNextServer;
    }
}

}  // namespace

DnsConfig DnsConfig::from(const config::NsapiConfig &nsapi) {
    DnsConfig c;
    c.response_wait_ms = static_cast<int>(nsapi.dns_response_wait_time);
    c.total_attempts = static_cast<int>(nsapi.dns_total_attempts);
    c.retries = static_cast<int>(nsapi.dns_retries);
    c.cache_size = nsapi.dns_cache_size;
    c.max_pending = 5;
    c.addresses_limit = nsapi.dns_addresses_limit;
    c.default_servers = true;
    return c;
}

DnsConfig DnsConfig::from_build_config() {
    return from(config::application_configuration().nsapi);
}

struct DnsResolver::CacheEntry {
    NetworkStack *stack;
    std::string name;
    nsapi_version_t version;
    std::vector<SocketAddress> addresses;
    rtos::Kernel::Clock::time_point expires;
};

struct DnsResolver::Pending {
    int id = 0;
    NetworkStack *stack = nullptr;
    std::string name;
    nsapi_version_t version = NSAPI_UNSPEC;
    nsapi_size_t count = 1;
    hostbyname_cb_t callback;
    call_in_callback_cb_t call_in;
    std::unique_ptr<UDPSocket> socket;
    std::vector<SocketAddress> servers;
    std::vector<uint16_t> qtypes;
    size_t qtype_index = 0;
    size_t next_server = 0;  // index into servers of the next send
    int round = 0;
    int attempts = 0;
    uint16_t message_id = 0;
    SocketAddress server;     // where the outstanding query went
    unsigned generation = 0;  // bumps on every send, so stale timeouts are ignored
    bool answered = false;    // some server answered (even without records)
    bool cancelled = false;   // set under step_lock by cancel()/reset()
    std::vector<SocketAddress> found;
    std::mutex step_lock;
};

DnsResolver::DnsResolver(const DnsConfig &config) : config_(config) {
    if (config_.default_servers) {
        for (const char *s : kDefaultServers) {
            global_servers_.push_back(with_default_port(SocketAddress(s)));
        }
    }
}

DnsResolver::~DnsResolver() {
    reset();
}

nsapi_error_t DnsResolver::add_server(const SocketAddress &server, const char *interface_name) {
    if (server.get_ip_version() == NSAPI_UNSPEC || !server) {
        return NSAPI_ERROR_PARAMETER;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<SocketAddress> &list =
        interface_name ? interface_servers_[interface_name] : global_servers_;
    SocketAddress entry = with_default_port(server);
    list.erase(std::remove(list.begin(), list.end(), entry), list.end());
    list.insert(list.begin(), entry);
    if (list.size() > kMaxServers) {
        list.resize(kMaxServers);
    }
    return NSAPI_ERROR_OK;
}

nsapi_error_t DnsResolver::get_server(int index, SocketAddress *server,
                                      const char *interface_name) const {
    if (index < 0 || !server) {
        return NSAPI_ERROR_PARAMETER;
    }
    std::vector<SocketAddress> all = servers_for(nullptr, interface_name);
    if (size_t(index) >= all.size()) {
        return NSAPI_ERROR_NO_ADDRESS;
    }
    *server = all[size_t(index)];
    return NSAPI_ERROR_OK;
}

void DnsResolver::clear_servers() {
    std::lock_guard<std::mutex> lock(mutex_);
    global_servers_.clear();
    interface_servers_.clear();
}

void DnsResolver::reset() {
    std::map<int, std::shared_ptr<Pending>> dropped;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        cache_.clear();
        dropped.swap(pending_);
    }
    for (auto &entry : dropped) {
        abandon(entry.second);
    }
}

void DnsResolver::set_call_in(call_in_callback_cb_t call_in) {
    std::lock_guard<std::mutex> lock(mutex_);
    call_in_override_ = call_in;
}

size_t DnsResolver::pending() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return pending_.size();
}

nsapi_error_t DnsResolver::check_name(const char *host) {
    if (!host || host[0] == '\0' || strlen(host) > dns::kMaxNameLength) {
        return NSAPI_ERROR_PARAMETER;
    }
    return NSAPI_ERROR_OK;
}

bool DnsResolver::literal(const char *host, nsapi_version_t version, SocketAddress *out,
                          nsapi_size_or_error_t *result) const {
    SocketAddress parsed;
    if (!parsed.set_ip_address(host)) {
        return false;
    }
    if (version != NSAPI_UNSPEC && parsed.get_ip_version() != version) {
        *result = NSAPI_ERROR_DNS_FAILURE;
    } else {
        *out = parsed;
        *result = 1;
    }
    return true;
}

std::vector<SocketAddress> DnsResolver::servers_for(NetworkStack *stack,
                                                    const char *interface_name) const {
    std::vector<SocketAddress> out;
    auto add = [&out](const SocketAddress &a) {
        SocketAddress s = with_default_port(a);
        if (s && std::find(out.begin(), out.end(), s) == out.end()) {
            out.push_back(s);
        }
    };
    // Servers the stack learnt itself (DHCP, router advertisements) come first.
    if (stack) {
        for (int i = 0; i < int(kMaxServers); i++) {
            SocketAddress a;
            if (stack->get_dns_server(i, &a, interface_name) != NSAPI_ERROR_OK) {
                break;
            }
            add(a);
        }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (interface_name) {
        auto it = interface_servers_.find(interface_name);
        if (it != interface_servers_.end()) {
            for (const SocketAddress &a : it->second) {
                add(a);
            }
        }
    }
    for (const SocketAddress &a : global_servers_) {
        add(a);
    }
    return out;
}

nsapi_size_or_error_t DnsResolver::cache_lookup(NetworkStack *stack, const std::string &name,
                                                nsapi_version_t version, SocketAddress *addr,
                                                nsapi_size_t count) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto now = rtos::Kernel::Clock::now();
    cache_.erase(std::remove_if(cache_.begin(), cache_.end(),
                                [now](const CacheEntry &e) { return e.expires <= now; }),
                 cache_.end());
    for (const CacheEntry &e : cache_) {
        if (e.stack == stack && e.version == version && e.name == name) {
            nsapi_size_t n = std::min<nsapi_size_t>(count, nsapi_size_t(e.addresses.size()));
            for (nsapi_size_t i = 0; i < n; i++) {
                addr[i] = e.addresses[i];
            }
            return nsapi_size_or_error_t(n);
        }
    }
    return 0;
}

void DnsResolver::cache_store(NetworkStack *stack, const std::string &name, nsapi_version_t version,
                              const SocketAddress *addr, nsapi_size_t count, uint32_t ttl) {
    if (config_.cache_size == 0 || ttl == 0 || count == 0) {
        return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    cache_.erase(std::remove_if(cache_.begin(), cache_.end(),
                                [&](const CacheEntry &e) {
                                    return e.stack == stack && e.version == version &&
                                           e.name == name;
                                }),
                 cache_.end());
    if (cache_.size() >= config_.cache_size) {
        cache_.erase(cache_.begin());  // the oldest entry
    }
    CacheEntry e{stack, name, version, std::vector<SocketAddress>(addr, addr + count),
                 rtos::Kernel::Clock::now() + std::chrono::seconds(ttl)};
    cache_.push_back(std::move(e));
}

uint16_t DnsResolver::next_message_id(NetworkStack &stack) {
    // From the stream of the stack the query goes out on (RFC 5452 9.2: random ids); OS
    // entropy only where that stack is the host's.
    return stack.random().next_u16();
}

nsapi_size_or_error_t DnsResolver::query(NetworkStack *stack, const char *host, SocketAddress *addr,
                                         nsapi_size_t count, const char *interface_name,
                                         nsapi_version_t version) {
    if (!stack || !addr || count == 0) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (nsapi_error_t err = check_name(host)) {
        return err;
    }
    nsapi_size_or_error_t result;
    if (literal(host, version, addr, &result)) {
        return result;
    }
    std::string name = lowercase(host);
    nsapi_size_or_error_t cached = cache_lookup(stack, name, version, addr, count);
    if (cached > 0) {
        return cached;
    }
    std::vector<SocketAddress> servers = servers_for(stack, interface_name);
    if (servers.empty()) {
        return NSAPI_ERROR_DNS_FAILURE;
    }

    UDPSocket socket;
    nsapi_error_t err = socket.open(stack);
    if (err != NSAPI_ERROR_OK) {
        return err;
    }
    socket.set_timeout(config_.response_wait_ms);

    size_t max_records = std::min<size_t>(count, config_.addresses_limit);
    std::vector<dns::Record> records(max_records ? max_records : 1);
    uint8_t out[dns::kMaxUdpMessage];
    uint8_t in[dns::kMaxUdpMessage];
    bool answered = false;
    result = NSAPI_ERROR_TIMEOUT;

    for (uint16_t qtype : query_types(version)) {
        size_t len = 0;
        int attempts = 0;
        bool next_type = false;
        for (int round = 0; round <= config_.retries && !next_type; round++) {
            for (const SocketAddress &server : servers) {
                if (next_type || attempts >= config_.total_attempts) {
                    break;
                }
                attempts++;
                uint16_t message_id = next_message_id(*stack);
                if (dns::encode_query(message_id, name.c_str(), qtype, out, sizeof(out), &len) !=
                    dns::EncodeStatus::kOk) {
                    socket.close();
                    return NSAPI_ERROR_PARAMETER;
                }
                if (socket.sendto(server, out, nsapi_size_t(len)) < 0) {
                    continue;  // e.g. a server of a family the stack cannot reach
                }
                for (int ignored = 0; ignored < kMaxIgnoredReplies; ignored++) {
                    SocketAddress from;
                    nsapi_size_or_error_t n = socket.recvfrom(&from, in, sizeof(in));
                    if (n < 0) {
                        break;  // WOULD_BLOCK: this server's wait is over
                    }
                    if (from != server) {
                        continue;
                    }
                    size_t found = 0;
                    Reply reply = classify(in, n, message_id, name, qtype, records.data(),
                                           records.size(), &found);
                    if (reply == Reply::kIgnore) {
                        continue;
                    }
                    if (reply == Reply::kAnswer) {
                        uint32_t ttl = UINT32_MAX;
                        for (size_t i = 0; i < found; i++) {
                            addr[i] = SocketAddress(records[i].addr);
                            ttl = std::min(ttl, records[i].ttl);
                        }
                        socket.close();
                        cache_store(stack, name, version, addr, nsapi_size_t(found), ttl);
                        return nsapi_size_or_error_t(found);
                    }
                    if (reply == Reply::kNameError) {
                        socket.close();
                        return NSAPI_ERROR_DNS_FAILURE;
                    }
                    if (reply == Reply::kNoData) {
                        answered = true;
                        next_type = true;
                    }
                    break;  // kNoData or kNextServer
                }
            }
        }
    }
    socket.close();
    return answered ? NSAPI_ERROR_DNS_FAILURE : result;
}

nsapi_value_or_error_t DnsResolver::query_async(NetworkStack *stack, const char *host,
                                                hostbyname_cb_t callback, nsapi_size_t count,
                                                call_in_callback_cb_t call_in,
                                                const char *interface_name,
                                                nsapi_version_t version) {
    if (!stack || count == 0) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (nsapi_error_t err = check_name(host)) {
        return err;
    }
    SocketAddress one;
    nsapi_size_or_error_t result;
    if (literal(host, version, &one, &result)) {
        if (result < 0) {
            return result;
        }
        if (callback) {
            callback(1, &one);
        }
        return 0;
    }
    std::string name = lowercase(host);
    std::vector<SocketAddress> cached(count);
    nsapi_size_or_error_t hit = cache_lookup(stack, name, version, cached.data(), count);
    if (hit > 0) {
        if (callback) {
            callback(hit, cached.data());
        }
        return 0;
    }

    auto p = std::make_shared<Pending>();
    p->stack = stack;
    p->name = name;
    p->version = version;
    p->count = std::min<nsapi_size_t>(count, nsapi_size_t(config_.addresses_limit));
    p->callback = callback;
    p->servers = servers_for(stack, interface_name);
    p->qtypes = query_types(version);
    int id;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (pending_.size() >= config_.max_pending) {
            return NSAPI_ERROR_NO_MEMORY;
        }
        p->call_in = call_in_override_ ? call_in_override_ : call_in;
        if (!p->call_in) {
            return NSAPI_ERROR_UNSUPPORTED;  // nothing to run the state machine on
        }
        id = next_query_id_;
        next_query_id_ = next_query_id_ >= 0x7fff ? 1 : next_query_id_ + 1;
        p->id = id;
        pending_[id] = p;
    }
    nsapi_error_t err = p->call_in(0, [this, id]() { run_step(id, Step::kStart, 0); });
    if (err != NSAPI_ERROR_OK) {
        std::lock_guard<std::mutex> lock(mutex_);
        pending_.erase(id);
        return NSAPI_ERROR_NO_MEMORY;
    }
    return id;
}

void DnsResolver::abandon(const std::shared_ptr<Pending> &p) {
    std::lock_guard<std::mutex> step(p->step_lock);
    p->cancelled = true;
    if (p->socket) {
        p->socket->close();
    }
}

nsapi_error_t DnsResolver::cancel(int id) {
    std::shared_ptr<Pending> p;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = pending_.find(id);
        if (it == pending_.end()) {
            return NSAPI_ERROR_PARAMETER;
        }
        p = it->second;
        pending_.erase(it);
    }
    abandon(p);
    return NSAPI_ERROR_OK;
}

bool DnsResolver::send_next(Pending &p) {
    uint8_t out[dns::kMaxUdpMessage];
    while (p.qtype_index < p.qtypes.size()) {
        if (p.next_server >= p.servers.size()) {
            p.next_server = 0;
            p.round++;
        }
        if (p.servers.empty() || p.round > config_.retries ||
            p.attempts >= config_.total_attempts) {
            return false;
        }
        p.server = p.servers[p.next_server++];
        p.attempts++;
        p.message_id = next_message_id(*p.stack);
        p.generation++;
        size_t len = 0;
        if (dns::encode_query(p.message_id, p.name.c_str(), p.qtypes[p.qtype_index], out,
                              sizeof(out), &len) != dns::EncodeStatus::kOk) {
            return false;
        }
        nsapi_size_or_error_t sent = p.socket->sendto(p.server, out, nsapi_size_t(len));
        if (sent >= 0 || sent == NSAPI_ERROR_WOULD_BLOCK) {
            return true;  // a lost send simply times out
        }
    }
    return false;
}

void DnsResolver::run_step(int id, Step step, unsigned generation) {
    std::shared_ptr<Pending> holder;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = pending_.find(id);
        if (it == pending_.end()) {
            return;  // finished or cancelled meanwhile
        }
        holder = it->second;
    }
    // The step lock serialises steps of one query and keeps cancel() from closing the socket
    // half-way through a step. The resolver lock is not held: sigio may be raised from inside
    // the stack while the socket is used.
    std::lock_guard<std::mutex> step_guard(holder->step_lock);
    Pending &p = *holder;
    if (p.cancelled) {
        return;
    }
    nsapi_size_or_error_t result = 0;
    bool done = false;
    bool arm_timer = false;

    auto advance = [&]() {
        if (send_next(p)) {
            arm_timer = true;
        } else {
            result = p.servers.empty() ? NSAPI_ERROR_DNS_FAILURE
                     : p.answered      ? NSAPI_ERROR_DNS_FAILURE
                                       : NSAPI_ERROR_TIMEOUT;
            done = true;
        }
    };

    if (step == Step::kStart) {
        p.socket = std::make_unique<UDPSocket>();
        nsapi_error_t err = p.socket->open(p.stack);
        if (err != NSAPI_ERROR_OK) {
            p.socket.reset();
            result = err;
            done = true;
        } else {
            p.socket->set_blocking(false);
            call_in_callback_cb_t scheduler = p.call_in;
            p.socket->sigio([this, id, scheduler]() {
                scheduler(0, [this, id]() { run_step(id, Step::kReadable, 0); });
            });
            advance();
        }
    } else if (step == Step::kTimeout) {
        if (generation != p.generation) {
            return;  // an answer or a later send superseded this timer
        }
        advance();
    } else if (p.socket) {
        uint8_t in[dns::kMaxUdpMessage];
        std::vector<dns::Record> records(p.count);
        for (int i = 0; i < kMaxIgnoredReplies && !done && !arm_timer; i++) {
            SocketAddress from;
            nsapi_size_or_error_t n = p.socket->recvfrom(&from, in, sizeof(in));
            if (n < 0) {
                break;
            }
            if (from != p.server) {
                continue;
            }
            size_t found = 0;
            Reply reply = classify(in, n, p.message_id, p.name, p.qtypes[p.qtype_index],
                                   records.data(), records.size(), &found);
            if (reply == Reply::kAnswer) {
                uint32_t ttl = UINT32_MAX;
                for (size_t k = 0; k < found; k++) {
                    p.found.emplace_back(records[k].addr);
                    ttl = std::min(ttl, records[k].ttl);
                }
                cache_store(p.stack, p.name, p.version, p.found.data(), nsapi_size_t(found), ttl);
                result = nsapi_size_or_error_t(found);
                done = true;
            } else if (reply == Reply::kNameError) {
                result = NSAPI_ERROR_DNS_FAILURE;
                done = true;
            } else if (reply != Reply::kIgnore) {
                if (reply == Reply::kNoData) {
                    p.answered = true;
                    p.qtype_index++;  // try the other family, from the first server
                    p.next_server = 0;
                    p.round = 0;
                    p.attempts = 0;
                }
                advance();
            }
        }
    }

    if (done) {
        bool still_pending;
        {
            // cancel() and reset() remove the entry before they wait for this step; if it is
            // gone, the query was cancelled and its callback must not run.
            std::lock_guard<std::mutex> lock(mutex_);
            auto it = pending_.find(id);
            still_pending = it != pending_.end() && it->second == holder;
            if (still_pending) {
                pending_.erase(it);
            }
        }
        if (p.socket) {
            p.socket->close();
        }
        if (still_pending && p.callback) {
            p.callback(result, p.found.empty() ? nullptr : p.found.data());
        }
        return;
    }
    if (arm_timer) {
        unsigned gen = p.generation;
        p.call_in(config_.response_wait_ms,
                  [this, id, gen]() { run_step(id, Step::kTimeout, gen); });
    }
}

}  // namespace meshwork
