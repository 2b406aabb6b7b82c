#include "support/FakeStack.h"

#include <algorithm>
#include <cstring>

namespace meshwork::test {

FakeStack::FakeStack() {
    for (int &d : defaults_) {
        d = NSAPI_ERROR_OK;
    }
    set_default(Hook::kAccept, NSAPI_ERROR_WOULD_BLOCK);
    set_default(Hook::kRecv, NSAPI_ERROR_WOULD_BLOCK);
    set_default(Hook::kRecvfrom, NSAPI_ERROR_WOULD_BLOCK);
    set_default(Hook::kSend, kAll);
    set_default(Hook::kSendto, kAll);
    set_default(Hook::kSetsockopt, NSAPI_ERROR_UNSUPPORTED);
    set_default(Hook::kGetsockopt, NSAPI_ERROR_UNSUPPORTED);
    set_default(Hook::kGethostbyname, NSAPI_ERROR_DNS_FAILURE);
}

FakeStack::~FakeStack() = default;

void FakeStack::script(Hook hook, std::vector<Step> steps) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (Step &s : steps) {
        scripts_[static_cast<int>(hook)].push_back(std::move(s));
    }
}

void FakeStack::script_results(Hook hook, std::vector<int> results) {
    std::vector<Step> steps;
    for (int r : results) {
        Step s;
        s.result = r;
        steps.push_back(s);
    }
    script(hook, std::move(steps));
}

void FakeStack::set_default(Hook hook, int result) {
    std::lock_guard<std::mutex> lock(mutex_);
    defaults_[static_cast<int>(hook)] = result;
}

std::vector<Call> FakeStack::calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
}

std::vector<Call> FakeStack::calls(Hook hook) const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Call> out;
    std::copy_if(calls_.begin(), calls_.end(), std::back_inserter(out),
                 [hook](const Call &c) { return c.hook == hook; });
    return out;
}

size_t FakeStack::count(Hook hook) const {
    return calls(hook).size();
}

bool FakeStack::wait_for_calls(Hook hook, size_t n, std::chrono::milliseconds limit) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, limit, [&] {
        return static_cast<size_t>(
                   std::count_if(calls_.begin(), calls_.end(),
                                 [hook](const Call &c) { return c.hook == hook; })) >= n;
    });
}

void FakeStack::raise_event(nsapi_socket_t handle) {
    std::lock_guard<std::recursive_mutex> lock(callback_mutex_);
    // Copy first: a callback may (legally) not detach, but keep iteration safe anyway.
    std::map<nsapi_socket_t, Attachment> targets = attachments_;
    for (const auto &[h, a] : targets) {
        if ((handle == nullptr || h == handle) && a.callback) {
            a.callback(a.data);
        }
    }
}

bool FakeStack::attached(nsapi_socket_t handle) const {
    std::lock_guard<std::recursive_mutex> lock(callback_mutex_);
    auto it = attachments_.find(handle);
    return it != attachments_.end() && it->second.callback != nullptr;
}

nsapi_socket_t FakeStack::next_handle() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return reinterpret_cast<nsapi_socket_t>(next_handle_);
}

Step FakeStack::take(Call call) {
    std::lock_guard<std::mutex> lock(mutex_);
    calls_.push_back(std::move(call));
    std::deque<Step> &queue = scripts_[static_cast<int>(calls_.back().hook)];
    Step step;
    if (!queue.empty()) {
        step = std::move(queue.front());
        queue.pop_front();
    } else {
        step.result = defaults_[static_cast<int>(calls_.back().hook)];
    }
    changed_.notify_all();
    return step;
}

nsapi_socket_t FakeStack::allocate_handle(const Step &step) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (step.handle) {
        return step.handle;
    }
    nsapi_socket_t h = reinterpret_cast<nsapi_socket_t>(next_handle_);
    next_handle_ += 0x10;
    return h;
}

void FakeStack::finish(const Step &step, nsapi_socket_t handle) {
    if (step.raise_event) {
        raise_event(handle);
    }
}

nsapi_error_t FakeStack::get_ip_address(SocketAddress *address) {
    if (address) {
        address->set_ip_address("192.0.2.10");
    }
    return NSAPI_ERROR_OK;
}

nsapi_error_t FakeStack::gethostbyname(const char *host, SocketAddress *address,
                                       nsapi_version_t version, const char *interface_name) {
    if (!script_dns_) {
        return NetworkStack::gethostbyname(host, address, version, interface_name);
    }
    Call c{Hook::kGethostbyname};
    c.data = host ? host : "";
    c.version = version;
    c.interface_name = interface_name ? interface_name : "";
    Step s = take(c);
    if (s.result == NSAPI_ERROR_OK && address) {
        *address = s.address;
    }
    return s.result;
}

nsapi_error_t FakeStack::socket_open(nsapi_socket_t *handle, nsapi_protocol_t proto) {
    Call c{Hook::kOpen};
    c.level = proto;
    Step s = take(c);
    if (s.result == NSAPI_ERROR_OK) {
        *handle = allocate_handle(s);
    }
    return s.result;
}

nsapi_error_t FakeStack::socket_close(nsapi_socket_t handle) {
    Call c{Hook::kClose, handle};
    Step s = take(c);
    {
        std::lock_guard<std::recursive_mutex> lock(callback_mutex_);
        attachments_.erase(handle);
    }
    return s.result;
}

nsapi_error_t FakeStack::socket_bind(nsapi_socket_t handle, const SocketAddress &address) {
    Call c{Hook::kBind, handle, address};
    Step s = take(c);
    finish(s, handle);
    return s.result;
}

nsapi_error_t FakeStack::socket_listen(nsapi_socket_t handle, int backlog) {
    Call c{Hook::kListen, handle};
    c.level = backlog;
    Step s = take(c);
    finish(s, handle);
    return s.result;
}

nsapi_error_t FakeStack::socket_connect(nsapi_socket_t handle, const SocketAddress &address) {
    Call c{Hook::kConnect, handle, address};
    Step s = take(c);
    finish(s, handle);
    return s.result;
}

nsapi_error_t FakeStack::socket_accept(nsapi_socket_t server, nsapi_socket_t *handle,
                                       SocketAddress *address) {
    Call c{Hook::kAccept, server};
    Step s = take(c);
    if (s.result == NSAPI_ERROR_OK) {
        *handle = allocate_handle(s);
        if (address) {
            *address = s.address;
        }
    }
    finish(s, server);
    return s.result;
}

nsapi_size_or_error_t FakeStack::socket_send(nsapi_socket_t handle, const void *data,
                                             nsapi_size_t size) {
    Call c{Hook::kSend, handle};
    c.size = size;
    if (data) {
        c.data.assign(static_cast<const char *>(data), size);
    }
    Step s = take(c);
    finish(s, handle);
    if (s.result == kAll) {
        return static_cast<nsapi_size_or_error_t>(size);
    }
    if (s.result > 0) {
        return std::min<nsapi_size_or_error_t>(s.result, static_cast<int>(size));
    }
    return s.result;
}

nsapi_size_or_error_t FakeStack::socket_recv(nsapi_socket_t handle, void *data, nsapi_size_t size) {
    Call c{Hook::kRecv, handle};
    c.size = size;
    Step s = take(c);
    size_t n = std::min<size_t>(size, s.payload.size());
    if (data && n) {
        std::memcpy(data, s.payload.data(), n);
    }
    finish(s, handle);
    return s.result == kAll ? static_cast<nsapi_size_or_error_t>(n) : s.result;
}

nsapi_size_or_error_t FakeStack::socket_sendto(nsapi_socket_t handle, const SocketAddress &address,
                                               const void *data, nsapi_size_t size) {
    Call c{Hook::kSendto, handle, address};
    c.size = size;
    if (data) {
        c.data.assign(static_cast<const char *>(data), size);
    }
    Step s = take(c);
    finish(s, handle);
    return s.result == kAll ? static_cast<nsapi_size_or_error_t>(size) : s.result;
}

nsapi_size_or_error_t FakeStack::socket_recvfrom(nsapi_socket_t handle, SocketAddress *address,
                                                 void *data, nsapi_size_t size) {
    Call c{Hook::kRecvfrom, handle};
    c.size = size;
    Step s = take(c);
    size_t n = std::min<size_t>(size, s.payload.size());
    if (data && n) {
        std::memcpy(data, s.payload.data(), n);
    }
    if (s.result >= 0 && address) {
        *address = s.address;
    }
    finish(s, handle);
    return s.result == kAll ? static_cast<nsapi_size_or_error_t>(n) : s.result;
}

void FakeStack::socket_attach(nsapi_socket_t handle, void (*callback)(void *), void *data) {
    Call c{Hook::kAttach, handle};
    c.callback_set = callback != nullptr;
    take(c);
    std::lock_guard<std::recursive_mutex> lock(callback_mutex_);
    if (callback) {
        attachments_[handle] = Attachment{callback, data};
    } else {
        attachments_.erase(handle);
    }
}

nsapi_error_t FakeStack::setsockopt(nsapi_socket_t handle, int level, int optname,
                                    const void *optval, unsigned optlen) {
    Call c{Hook::kSetsockopt, handle};
    c.level = level;
    c.optname = optname;
    c.size = optlen;
    if (optval) {
        c.data.assign(static_cast<const char *>(optval), optlen);
    }
    return take(c).result;
}

nsapi_error_t FakeStack::getsockopt(nsapi_socket_t handle, int level, int optname, void *optval,
                                    unsigned *optlen) {
    Call c{Hook::kGetsockopt, handle};
    c.level = level;
    c.optname = optname;
    if (optval && optlen) {
        c.data.assign(static_cast<const char *>(optval), *optlen);
    }
    Step s = take(c);
    // A step's payload is written back into optval (for NSAPI_LATENCY / NSAPI_STAGGER tests).
    if (s.result == NSAPI_ERROR_OK && optval && optlen && !s.payload.empty()) {
        std::memcpy(optval, s.payload.data(), std::min<size_t>(*optlen, s.payload.size()));
    }
    return s.result;
}

}  // namespace meshwork::test
