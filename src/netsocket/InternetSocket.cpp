// InternetSocket: open/close, options and the shared blocking machinery.
#include "netsocket/InternetSocket.h"

#include <chrono>
#include <cstring>

#include "meshwork/Executor.h"

InternetSocket::InternetSocket() : _timeout(osWaitForever) {}

InternetSocket::~InternetSocket() {
    // A socket from accept() deletes itself in close(); here it is already being destroyed.
    _factory_allocated = false;
    close();
}

void InternetSocket::event_thunk(void *data) {
    static_cast<InternetSocket *>(data)->event();
}

NetworkStack *InternetSocket::network_stack() {
    std::lock_guard<std::mutex> guard(callback_mutex_);
    return _stack;
}

void InternetSocket::adopt(NetworkStack *stack, nsapi_socket_t handle) {
    const bool kernel = stack->socket_kernel_fd(handle) >= 0;
    {
        std::lock_guard<std::mutex> guard(callback_mutex_);
        _stack = stack;
        _socket = handle;
    }
    std::lock_guard<std::mutex> attach(attach_mutex_);
    _kernel_waits = kernel;
    _attached = false;
    _callback_forced = false;
    // A kernel stack may watch a new socket for a callback to come: an explicit detach tells
    // it nobody needs one (HostStack then leaves it out of its epoll set).
    refresh_attach(kernel);
}

void InternetSocket::refresh_attach(bool tell) {
    // A stack without a kernel descriptor is waited for through its callback alone; with one,
    // waits on the host go to the descriptor, and the callback matters only to the
    // application's sigio or to waits of an executor that cannot use the descriptor.
    NetworkStack *stack;
    nsapi_socket_t handle;
    bool wanted;
    {
        std::lock_guard<std::mutex> guard(callback_mutex_);
        stack = _stack;
        handle = _socket;
        wanted = !_kernel_waits || _callback_forced.load() || static_cast<bool>(_callback);
    }
    if (!handle || (wanted == _attached && !tell)) {
        return;
    }
    _attached = wanted;
    // Held across the call, so close() (which takes attach_mutex_ before detaching) never
    // races with it. A detach waits until a running callback returns: a sigio callback that
    // calls sigio() on its own socket while another thread detaches it would wait forever.
    stack->socket_attach(handle, wanted ? &InternetSocket::event_thunk : NULL,
                         wanted ? this : NULL);
}

nsapi_error_t InternetSocket::open(NetworkStack *stack) {
    _lock.lock();
    if (_stack != NULL || stack == NULL) {
        _lock.unlock();
        return NSAPI_ERROR_PARAMETER;
    }
    nsapi_socket_t handle = NULL;
    nsapi_error_t err = stack->socket_open(&handle, get_proto());
    if (err != NSAPI_ERROR_OK) {
        _lock.unlock();
        return err;
    }
    _pending = false;
    _flags = 0;
    adopt(stack, handle);
    _lock.unlock();
    return NSAPI_ERROR_OK;
}

nsapi_error_t InternetSocket::close() {
    _lock.lock();
    if (_stack == NULL) {
        _lock.unlock();
        return NSAPI_ERROR_NO_SOCKET;
    }
    nsapi_error_t ret = NSAPI_ERROR_OK;
    NetworkStack *stack = _stack;
    nsapi_socket_t handle = _socket;
    {
        // After this no refresh_attach() is inside socket_attach, and none will start one.
        std::lock_guard<std::mutex> attach(attach_mutex_);
        std::lock_guard<std::mutex> guard(callback_mutex_);
        _socket = NULL;
        _stack = NULL;
        _attached = false;
    }
    if (handle) {
        // Detach first: after this no stack callback for the handle is running or will run.
        stack->socket_attach(handle, NULL, NULL);
        ret = stack->socket_close(handle);
    }
    _remote_peer = SocketAddress();

    // Wake every blocked call, and tell the application once (even if a sigio is pending).
    _pending = false;
    event();

    while (_readers || _writers) {
        _lock.unlock();
        {
            meshwork::WaitGuard guard(_wait_lock);
            _waiters.wait_until(guard, meshwork::kNever,
                                [this] { return (_flags.load() & FINISHED_FLAG) != 0; });
            _flags.fetch_and(~FINISHED_FLAG);
        }
        _lock.lock();
    }
    _interface_name[0] = '\0';
    bool self_delete = _factory_allocated;
    _lock.unlock();

    if (self_delete) {
        delete this;
    }
    return ret;
}

void InternetSocket::raise(uint32_t flags) {
    _flags.fetch_or(flags);
    meshwork::WaitGuard guard(_wait_lock);  // a waiter checks the flags under it
    _waiters.notify_all();
}

void InternetSocket::event() {
    raise(READ_FLAG | WRITE_FLAG);
    if (_pending.exchange(true)) {
        return;
    }
    mbed::Callback<void()> callback;
    {
        std::lock_guard<std::mutex> guard(callback_mutex_);
        callback = _callback;
    }
    if (callback) {
        callback();
    }
}

bool InternetSocket::wait_for(uint32_t flag) {
    const uint32_t timeout = _timeout;
    meshwork::Executor &executor = meshwork::current_executor();
    meshwork::KernelWait kernel;
    if (_kernel_waits) {
        if (executor.waits_on_kernel()) {
            kernel.fd = _stack->socket_kernel_fd(_socket);
            kernel.readable = flag == READ_FLAG;
            kernel.writable = flag == WRITE_FLAG;
        } else if (!_callback_forced.load()) {
            std::lock_guard<std::mutex> attach(attach_mutex_);
            _callback_forced = true;  // this executor needs the callback from now on
            refresh_attach();
            return true;  // nothing was raised while it was off: attempt again first
        }
    }
    const meshwork::Instant deadline = timeout == osWaitForever
                                           ? meshwork::kNever
                                           : executor.now() + std::chrono::milliseconds(timeout);
    _lock.unlock();
    bool in_time;
    {
        meshwork::WaitGuard guard(_wait_lock);
        if (kernel.fd >= 0) {
            // Ends when the descriptor may be ready, or on a raise (close, or sigio's callback).
            in_time = (_flags.load() & flag) != 0 || _waiters.wait_until(guard, deadline, kernel);
        } else {
            in_time =
                _waiters.wait_until(guard, deadline, [&] { return (_flags.load() & flag) != 0; });
        }
        if (in_time && (_flags.load(std::memory_order_relaxed) & flag)) {
            _flags.fetch_and(~flag);
        }
    }
    _lock.lock();
    return in_time;
}

nsapi_error_t InternetSocket::bind(uint16_t port) {
    return bind(SocketAddress(static_cast<const char *>(NULL), port));
}

nsapi_error_t InternetSocket::bind(const char *address, uint16_t port) {
    return bind(SocketAddress(address, port));
}

nsapi_error_t InternetSocket::bind(const SocketAddress &address) {
    _lock.lock();
    nsapi_error_t ret = _socket ? _stack->socket_bind(_socket, address) : NSAPI_ERROR_NO_SOCKET;
    _lock.unlock();
    return ret;
}

void InternetSocket::set_blocking(bool blocking) {
    set_timeout(blocking ? -1 : 0);
}

void InternetSocket::set_timeout(int timeout) {
    _lock.lock();
    _timeout = timeout >= 0 ? static_cast<uint32_t>(timeout) : osWaitForever;
    _lock.unlock();
}

nsapi_error_t InternetSocket::setsockopt(int level, int optname, const void *optval,
                                         unsigned optlen) {
    _lock.lock();
    nsapi_error_t ret = NSAPI_ERROR_NO_SOCKET;
    if (_socket) {
        if (level == NSAPI_SOCKET && optname == NSAPI_BIND_TO_DEVICE) {
            if (optlen > NSAPI_INTERFACE_NAME_MAX_SIZE || (optlen > 0 && !optval)) {
                _lock.unlock();
                return NSAPI_ERROR_PARAMETER;
            }
            std::memset(_interface_name, 0, sizeof _interface_name);
            if (optlen > 0) {
                std::memcpy(_interface_name, optval, optlen);
            }
        }
        ret = _stack->setsockopt(_socket, level, optname, optval, optlen);
    }
    _lock.unlock();
    return ret;
}

nsapi_error_t InternetSocket::getsockopt(int level, int optname, void *optval, unsigned *optlen) {
    _lock.lock();
    nsapi_error_t ret = _socket ? _stack->getsockopt(_socket, level, optname, optval, optlen)
                                : NSAPI_ERROR_NO_SOCKET;
    _lock.unlock();
    return ret;
}

int InternetSocket::modify_multicast_group(const SocketAddress &address,
                                           nsapi_socket_option_t socketopt) {
    nsapi_ip_mreq_t mreq = {};
    mreq.imr_multiaddr = address.get_addr();
    mreq.imr_interface.version = NSAPI_UNSPEC;  // the stack's default interface
    return setsockopt(NSAPI_SOCKET, socketopt, &mreq, sizeof mreq);
}

int InternetSocket::join_multicast_group(const SocketAddress &address) {
    return modify_multicast_group(address, NSAPI_ADD_MEMBERSHIP);
}

int InternetSocket::leave_multicast_group(const SocketAddress &address) {
    return modify_multicast_group(address, NSAPI_DROP_MEMBERSHIP);
}

int InternetSocket::get_rtt_estimate_to_address(const SocketAddress &address,
                                                uint32_t *rtt_estimate) {
    if (!rtt_estimate) {
        return NSAPI_ERROR_PARAMETER;
    }
    nsapi_latency_req_t req = {};
    std::memcpy(req.addr, address.get_addr().bytes, sizeof req.addr);
    unsigned len = sizeof req;
    nsapi_error_t ret = getsockopt(NSAPI_SOCKET, NSAPI_LATENCY, &req, &len);
    if (ret == NSAPI_ERROR_OK) {
        *rtt_estimate = req.latency * 2;  // the stack reports one-way latency
    }
    return ret;
}

int InternetSocket::get_stagger_estimate_to_address(const SocketAddress &address,
                                                    uint16_t data_amount, uint16_t *stagger_min,
                                                    uint16_t *stagger_max, uint16_t *stagger_rand) {
    if (!stagger_min || !stagger_max || !stagger_rand) {
        return NSAPI_ERROR_PARAMETER;
    }
    nsapi_stagger_req_t req = {};
    std::memcpy(req.addr, address.get_addr().bytes, sizeof req.addr);
    req.data_amount = data_amount;
    unsigned len = sizeof req;
    nsapi_error_t ret = getsockopt(NSAPI_SOCKET, NSAPI_STAGGER, &req, &len);
    if (ret == NSAPI_ERROR_OK) {
        *stagger_min = req.stagger_min;
        *stagger_max = req.stagger_max;
        *stagger_rand = req.stagger_rand;
    }
    return ret;
}

void InternetSocket::sigio(mbed::Callback<void()> func) {
    {
        std::lock_guard<std::mutex> guard(callback_mutex_);
        _callback = func;
    }
    std::lock_guard<std::mutex> attach(attach_mutex_);
    refresh_attach();
}

void InternetSocket::attach(mbed::Callback<void()> func) {
    sigio(func);
}

nsapi_error_t InternetSocket::getpeername(SocketAddress *address) {
    _lock.lock();
    nsapi_error_t ret = NSAPI_ERROR_OK;
    if (!_socket) {
        ret = NSAPI_ERROR_NO_SOCKET;
    } else if (!_remote_peer) {
        ret = NSAPI_ERROR_NO_CONNECTION;
    } else if (address) {
        *address = _remote_peer;
    }
    _lock.unlock();
    return ret;
}
