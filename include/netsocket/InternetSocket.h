// InternetSocket: the state and the blocking machinery shared by every IP socket.
//
// Every blocking wait of the socket layer happens here, in one way: the calling task waits on
// the socket's meshwork::WaitQueue through its own executor (meshwork/Executor.h), woken by the
// stack's callback, so host threads and simulated fibers (in virtual time) block alike. A stack
// whose sockets are kernel descriptors names the descriptor (NetworkStack::socket_kernel_fd);
// the wait passes it to the executor, and one that blocks on the OS (the host) waits on the
// descriptor itself, so the kernel wakes the task without a hand-off through the stack's event
// thread, and the socket then needs the stack's callback only for sigio. The stack's hooks
// only ever see non-blocking calls. The per-socket lock is held while calling into the stack
// and released while waiting; the stack's event callback never takes it.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

#include "netsocket/NetworkStack.h"
#include "netsocket/Socket.h"
#include "netsocket/SocketAddress.h"
#include "netsocket/nsapi_types.h"
#include "platform/Callback.h"
#include "platform/mbed_toolchain.h"
#include "meshwork/Executor.h"
#include "rtos/Mutex.h"

class InternetSocket : public Socket {
  public:
    /// Closes the socket if it is still open.
    ~InternetSocket() override;

    /// PARAMETER when already open or `stack` is NULL; otherwise the stack's socket_open
    /// result (NO_SOCKET when it has no free socket). A closed socket may be opened again.
    nsapi_error_t open(NetworkStack *stack);

    /// Accepts a NetworkInterface* or a NetworkStack* (or any subclass).
    template <typename S>
    nsapi_error_t open(S *stack) {
        return open(nsapi_create_stack(stack));
    }

    /// NO_SOCKET when not open. Detaches from the stack, releases the handle, wakes every
    /// blocked call on this socket, calls sigio once and waits until those calls have left.
    nsapi_error_t close() override;

    /// setsockopt(NSAPI_SOCKET, NSAPI_ADD_MEMBERSHIP / NSAPI_DROP_MEMBERSHIP).
    int join_multicast_group(const SocketAddress &address);
    int leave_multicast_group(const SocketAddress &address);

    /// Twice the stack's NSAPI_LATENCY estimate; PARAMETER for a NULL pointer.
    int get_rtt_estimate_to_address(const SocketAddress &address, uint32_t *rtt_estimate);
    /// The stack's NSAPI_STAGGER estimate; PARAMETER for a NULL pointer.
    int get_stagger_estimate_to_address(const SocketAddress &address, uint16_t data_amount,
                                        uint16_t *stagger_min, uint16_t *stagger_max,
                                        uint16_t *stagger_rand);

    /// Binds the port on every local address.
    nsapi_error_t bind(uint16_t port);
    MBED_DEPRECATED_SINCE("mbed-os-5.15", "String-based APIs are deprecated")
    nsapi_error_t bind(const char *address, uint16_t port);
    nsapi_error_t bind(const SocketAddress &address) override;

    void set_blocking(bool blocking) override;
    void set_timeout(int timeout) override;

    /// NO_SOCKET when not open. NSAPI_BIND_TO_DEVICE is also remembered by the socket (used for
    /// name resolution on that interface).
    nsapi_error_t setsockopt(int level, int optname, const void *optval, unsigned optlen) override;
    nsapi_error_t getsockopt(int level, int optname, void *optval, unsigned *optlen) override;

    void sigio(mbed::Callback<void()> func) override;

    MBED_DEPRECATED_SINCE("mbed-os-5.4",
                          "The behaviour of attach differs from other attach "
                          "functions in mbed OS and has been known to cause "
                          "confusion. Replaced by sigio.")
    void attach(mbed::Callback<void()> func);

    template <typename T, typename M>
    MBED_DEPRECATED_SINCE("mbed-os-5.1",
                          "The attach function does not support cv-qualifiers. "
                          "Replaced by attach(callback(obj, method)).")
    void attach(T *obj, M method) {
        sigio(mbed::callback(obj, method));
    }

    nsapi_error_t getpeername(SocketAddress *address) override;
    NetworkStack *network_stack() override;

  protected:
    InternetSocket();

    virtual nsapi_protocol_t get_proto() = 0;

    /// The stack's state-change callback: wakes waiters, then calls sigio unless one is
    /// already pending since the last I/O attempt. Takes no socket lock.
    void event();

    /// Starts one I/O attempt: re-arms sigio and forgets a stale wake-up for `flag`. Inline:
    /// it is on every call's path.
    void begin_attempt(uint32_t flag) {
        // No ordering is needed against event() (either way the next event reaches the
        // application); a plain store, and none at all when clear, keeps this off the bus.
        if (_pending.load(std::memory_order_relaxed)) {
            _pending.store(false, std::memory_order_relaxed);
        }
        if (_flags.load(std::memory_order_relaxed) & flag) {
            _flags.fetch_and(~flag, std::memory_order_relaxed);
        }
    }

    /// Waits for `flag` with the lock released (caller holds `_lock` once). False on timeout.
    bool wait_for(uint32_t flag);

    /// Called by blocking operations on their way out (lock held): lets close() proceed.
    void leave_blocking_call() {
        if (!_socket) {
            raise(FINISHED_FLAG);
        }
    }

    /// The blocking pattern shared by recv, recvfrom, sendto and accept, run under `_lock`:
    /// make an attempt; while the stack answers WOULD_BLOCK and the socket blocks, wait for
    /// `flag` (READ_FLAG counts the caller as a reader, WRITE_FLAG as a writer, so close() waits
    /// for it) and try again. An expired wait is WOULD_BLOCK; a closed socket is NO_SOCKET.
    template <typename Attempt>
    nsapi_size_or_error_t retry_while_would_block(uint32_t flag, Attempt &&attempt) {
        _lock.lock();
        uint8_t &callers = flag == READ_FLAG ? _readers : _writers;
        nsapi_size_or_error_t ret;
        callers++;
        // A fiber cancelled while it waits (its simulation torn down) unwinds out of wait_for()
        // without the lock; the count is released on that way out too, so the socket's close()
        // (its destructor, further up the same fiber) does not wait for a caller that is gone.
        // Only a fiber executor cancels like this, and one simulation's fibers share one OS
        // thread, so nothing else touches the count meanwhile.
        struct Unwind {
            InternetSocket &socket;
            uint8_t &callers;
            bool done = false;
            ~Unwind() {
                if (!done) {
                    callers--;
                    socket.leave_blocking_call();
                }
            }
        } unwind{*this, callers};
        while (true) {
            if (!_socket) {
                ret = NSAPI_ERROR_NO_SOCKET;
                break;
            }
            begin_attempt(flag);
            ret = attempt();
            if (_timeout == 0 || ret != NSAPI_ERROR_WOULD_BLOCK) {
                break;
            }
            if (!wait_for(flag)) {
                ret = NSAPI_ERROR_WOULD_BLOCK;
                break;
            }
        }
        unwind.done = true;
        callers--;
        leave_blocking_call();
        _lock.unlock();
        return ret;
    }

    /// Sets `flags` and wakes every waiter.
    void raise(uint32_t flags);

    /// Takes `handle` of `stack` and attaches this socket's event callback if it is wanted
    /// (lock held).
    void adopt(NetworkStack *stack, nsapi_socket_t handle);

    int modify_multicast_group(const SocketAddress &address, nsapi_socket_option_t socketopt);

    /// The stack callback trampoline: `data` is the InternetSocket.
    static void event_thunk(void *data);

    static constexpr uint32_t READ_FLAG = 0x1u;
    static constexpr uint32_t WRITE_FLAG = 0x2u;
    static constexpr uint32_t FINISHED_FLAG = 0x4u;

    NetworkStack *_stack = NULL;
    nsapi_socket_t _socket = NULL;
    uint32_t _timeout;  // ms; osWaitForever when blocking
    // Wake-ups: READ/WRITE set by the stack's callback (and close), FINISHED by the last call
    // leaving a closed socket; cleared by each attempt. Waiters wait on _waiters.
    std::atomic<uint32_t> _flags{0};
    meshwork::WaitLock _wait_lock;
    meshwork::WaitQueue _waiters;
    rtos::Mutex _lock;
    SocketAddress _remote_peer;
    uint8_t _readers = 0;
    uint8_t _writers = 0;
    std::atomic<bool> _pending{false};
    bool _factory_allocated = false;
    char _interface_name[NSAPI_INTERFACE_NAME_MAX_SIZE + 1] = {};

  private:
    /// Attaches or detaches the stack's callback if whether it is wanted changed, or in any
    /// case with `tell` (attach_mutex_ held).
    void refresh_attach(bool tell = false);

    // callback_mutex_ guards _callback against concurrent sigio()/event(); _stack and _socket
    // are written under it too (and _lock, and attach_mutex_), so sigio() can reach the stack
    // without _lock. attach_mutex_ serialises socket_attach calls and guards the state below;
    // event() never takes it.
    std::mutex callback_mutex_;
    mbed::Callback<void()> _callback;
    std::mutex attach_mutex_;
    bool _kernel_waits = false;  // the stack names a kernel descriptor (socket_kernel_fd)
    bool _attached = false;      // the stack's callback is attached
    // A task whose executor cannot wait on the descriptor waited: the callback stays attached.
    std::atomic<bool> _callback_forced{false};
};
