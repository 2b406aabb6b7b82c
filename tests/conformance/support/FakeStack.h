// A scripted NetworkStack for white-box tests of the socket facade: every hook answers from a
// programmed sequence of steps (then a per-hook default), every call is recorded, and the
// socket_attach callback can be raised by a step, by the test, or from another thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "netsocket/NetworkStack.h"
#include "netsocket/SocketAddress.h"
#include "netsocket/nsapi_types.h"

namespace meshwork::test {

enum class Hook {
    kOpen,
    kClose,
    kBind,
    kListen,
    kConnect,
    kAccept,
    kSend,
    kRecv,
    kSendto,
    kRecvfrom,
    kAttach,
    kSetsockopt,
    kGetsockopt,
    kGethostbyname,
    kCount,
};

/// A result meaning "the whole size" (send/sendto) or "the payload, truncated" (recv/recvfrom).
inline constexpr int kAll = 1 << 30;

/// One programmed answer of a hook.
struct Step {
    int result = NSAPI_ERROR_OK;
    std::string payload;              // recv/recvfrom: bytes copied into the caller's buffer
    SocketAddress address;            // recvfrom: source; accept: peer; gethostbyname: answer
    bool raise_event = false;         // raise the socket's callback before returning
    nsapi_socket_t handle = nullptr;  // open/accept: the handle handed out (0: next free)
};

/// One recorded call.
struct Call {
    Hook hook;
    nsapi_socket_t handle = nullptr;
    SocketAddress address;
    std::string data;  // send/sendto bytes; setsockopt optval; gethostbyname host
    nsapi_size_t size = 0;
    int level = 0;
    int optname = 0;
    int version = 0;
    std::string interface_name;
    bool callback_set = false;  // attach: true when attaching, false when detaching
};

class FakeStack : public NetworkStack {
  public:
    FakeStack();
    ~FakeStack() override;

    /// Appends programmed answers for `hook`; consumed in order.
    void script(Hook hook, std::vector<Step> steps);
    void script_results(Hook hook, std::vector<int> results);
    /// The answer once the script of `hook` is used up.
    void set_default(Hook hook, int result);

    std::vector<Call> calls() const;
    std::vector<Call> calls(Hook hook) const;
    size_t count(Hook hook) const;

    /// Blocks until `hook` has been called at least `n` times (false after `limit`).
    bool wait_for_calls(Hook hook, size_t n,
                        std::chrono::milliseconds limit = std::chrono::seconds(10)) const;

    /// Raises the attached callback of `handle` (or of every attached handle when null).
    void raise_event(nsapi_socket_t handle = nullptr);
    bool attached(nsapi_socket_t handle) const;

    /// The handle the next socket_open / socket_accept hands out.
    nsapi_socket_t next_handle() const;

    // Public answers used by the defaults of NetworkStack.
    nsapi_error_t get_ip_address(SocketAddress *address) override;
    nsapi_error_t gethostbyname(const char *host, SocketAddress *address,
                                nsapi_version_t version = NSAPI_UNSPEC,
                                const char *interface_name = NULL) override;
    /// When true, gethostbyname goes to the scripted hook instead of NetworkStack's default.
    void script_dns(bool scripted) { script_dns_ = scripted; }

  protected:
    nsapi_error_t socket_open(nsapi_socket_t *handle, nsapi_protocol_t proto) override;
    nsapi_error_t socket_close(nsapi_socket_t handle) override;
    nsapi_error_t socket_bind(nsapi_socket_t handle, const SocketAddress &address) override;
    nsapi_error_t socket_listen(nsapi_socket_t handle, int backlog) override;
    nsapi_error_t socket_connect(nsapi_socket_t handle, const SocketAddress &address) override;
    nsapi_error_t socket_accept(nsapi_socket_t server, nsapi_socket_t *handle,
                                SocketAddress *address) override;
    nsapi_size_or_error_t socket_send(nsapi_socket_t handle, const void *data,
                                      nsapi_size_t size) override;
    nsapi_size_or_error_t socket_recv(nsapi_socket_t handle, void *data,
                                      nsapi_size_t size) override;
    nsapi_size_or_error_t socket_sendto(nsapi_socket_t handle, const SocketAddress &address,
                                        const void *data, nsapi_size_t size) override;
    nsapi_size_or_error_t socket_recvfrom(nsapi_socket_t handle, SocketAddress *address, void *data,
                                          nsapi_size_t size) override;
    void socket_attach(nsapi_socket_t handle, void (*callback)(void *), void *data) override;
    nsapi_error_t setsockopt(nsapi_socket_t handle, int level, int optname, const void *optval,
                             unsigned optlen) override;
    nsapi_error_t getsockopt(nsapi_socket_t handle, int level, int optname, void *optval,
                             unsigned *optlen) override;

  private:
    struct Attachment {
        void (*callback)(void *) = nullptr;
        void *data = nullptr;
    };

    /// Records `call` and pops the next step of its hook (or the default).
    Step take(Call call);
    nsapi_socket_t allocate_handle(const Step &step);
    void finish(const Step &step, nsapi_socket_t handle);

    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::deque<Step> scripts_[static_cast<int>(Hook::kCount)];
    int defaults_[static_cast<int>(Hook::kCount)];
    std::vector<Call> calls_;
    uintptr_t next_handle_ = 0x100;
    bool script_dns_ = false;

    // Callbacks are raised under this lock (never under mutex_), so that detaching waits for a
    // callback in flight, as the NetworkStack contract requires.
    mutable std::recursive_mutex callback_mutex_;
    std::map<nsapi_socket_t, Attachment> attachments_;
};

}  // namespace meshwork::test
