// The finite socket pool of a HostStack. A socket handle is a pointer to a HostSocket slot;
// slots are allocated in chunks on demand and never freed before the table, so a late epoll
// event can always look its slot up and check the generation it carries (ABA-safe reuse).
// The limit (NO_SOCKET beyond it) can change at run time; lowering it below the number of open
// sockets only refuses new ones.
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "nsapi_types.h"

namespace meshwork::host {

/// Per-socket state. Every hook that uses the descriptor counts itself in `users` (see
/// HostStack::Impl::use), and close waits for them to leave before it closes the descriptor,
/// so a descriptor number is never used after it was closed (and perhaps reused by another
/// socket). A counter rather than a reader-writer lock: it is on every call's path. The
/// callback is guarded by `cb_mutex`, the rest by `state_mutex`.
struct HostSocket {
    explicit HostSocket(std::uint32_t slot_index) : index(slot_index) {}

    /// Ends one use; the last one out of a closing socket wakes the closer.
    void leave() {
        if (users.fetch_sub(1) == 1 && closing.load()) {
            std::lock_guard<std::mutex> lock(drain_mutex);
            drain_cv.notify_all();
        }
    }

    const std::uint32_t index;
    std::atomic<int> users{0};
    std::mutex drain_mutex;  // close waits on drain_cv for `users` to reach zero
    std::condition_variable drain_cv;
    std::atomic<int> fd{-1};
    // Readiness the socket already had when its callback was turned on (epoll bits; 0: none).
    // The registration reports it as an event, which is no change: dispatch drops that event
    // if it adds nothing to this (HostStack::Impl::arm). Beside `fd`: read on every I/O call.
    std::atomic<std::uint32_t> quiet{0};
    std::atomic<int> waiters{0};       // threads inside HostStack::wait (woken by close)
    std::atomic<bool> closing{false};  // set by close before it looks at `waiters`
    // Output readiness is registered only once a send or connect could not complete: a fresh
    // socket is writable at once, and that edge would be a meaningless sigio.
    std::atomic<bool> want_output{false};
    // Whether the callback is wanted (NetworkStack::socket_notify): without it the descriptor
    // leaves the epoll set, and neither the kernel nor the loop thread does anything for it.
    std::atomic<bool> notify{true};
    std::mutex arm_mutex;     // serialises (re-)registrations computed from the two flags above
    bool registered = false;  // in the epoll set (guarded by arm_mutex)
    std::atomic<std::uint32_t> generation{0};  // bumped at open and at close
    // Bumped by every quiet registration (under arm_mutex) and part of the epoll key: an event
    // the loop thread fetched before it carries the old value and reports readiness from
    // before the callback was attached, which is not announced.
    std::atomic<std::uint16_t> epoch{0};

    // Callback delivery (see HostStack::dispatch for the protocol).
    std::mutex cb_mutex;
    std::condition_variable cb_cv;
    void (*callback)(void *) = nullptr;
    void *callback_data = nullptr;
    bool dispatching = false;

    // Socket state.
    std::mutex state_mutex;
    nsapi_protocol_t proto = NSAPI_TCP;
    int family = 0;  // AF_INET6 (dual-stack) or AF_INET when the host has no IPv6
    bool bound = false;
    bool listening = false;
    bool connecting = false;  // a non-blocking TCP connect is pending
    bool connected = false;   // TCP: established (connect completed or accepted)
    bool pktinfo = false;
    bool accepted = false;  // created by accept(): already connected
    struct Membership {
        nsapi_addr_t group;
        nsapi_addr_t iface;
    };
    std::vector<Membership> memberships;
    // Every option set successfully, in order, so a descriptor that is replaced (see
    // HostStack::Impl::narrow_to_ipv4) can be given them again.
    struct AppliedOption {
        int optname;
        std::vector<unsigned char> value;
    };
    std::vector<AppliedOption> options;

    /// A hook acts on `conditions` (epoll bits: reads input, writes output), so what it leaves
    /// behind is news again, which the quiet note must not hide. Inline: on every I/O call.
    void acted_on(std::uint32_t conditions) {
        if (quiet.load(std::memory_order_relaxed) & conditions) {
            quiet.fetch_and(~conditions);
        }
    }

    /// Resets the socket state for a new open (callers hold state_mutex or own the slot).
    void reset_state(nsapi_protocol_t protocol, int address_family);

    /// Epoll key: registration epoch and slot index (16 bits each, kMaxSlots) in the high
    /// half, generation in the low half.
    std::uint64_t key() const {
        return (std::uint64_t{epoch.load(std::memory_order_relaxed)} << 48) |
               (std::uint64_t{index} << 32) | generation.load(std::memory_order_relaxed);
    }
};

class SocketTable {
  public:
    explicit SocketTable(std::size_t limit);
    ~SocketTable();
    SocketTable(const SocketTable &) = delete;
    SocketTable &operator=(const SocketTable &) = delete;

    /// A free slot, or nullptr when `limit` sockets are open (NO_SOCKET).
    HostSocket *acquire();
    /// Returns a slot to the pool.
    void release(HostSocket *socket);

    /// The slot with this index if it was ever allocated (for epoll keys), else nullptr.
    HostSocket *find(std::uint32_t index) const {  // inline: on every hook's path
        const std::size_t chunk = index / kChunkSize;
        if (chunk >= kMaxChunks) {
            return nullptr;
        }
        Chunk *c = chunks_[chunk].load(std::memory_order_acquire);
        return c ? c->slots[index % kChunkSize].get() : nullptr;
    }

    void set_limit(std::size_t limit);
    std::size_t limit() const;
    std::size_t open_count() const;

    /// The hard ceiling of slots one table can hold.
    static constexpr std::size_t kChunkSize = 64;
    static constexpr std::size_t kMaxChunks = 1024;
    static constexpr std::size_t kMaxSlots = kChunkSize * kMaxChunks;
    static_assert(kMaxSlots <= 0x10000, "HostSocket::key packs the slot index into 16 bits");

  private:
    struct Chunk {
        explicit Chunk(std::uint32_t first);
        std::array<std::unique_ptr<HostSocket>, kChunkSize> slots;
    };

    mutable std::mutex mutex_;
    std::size_t limit_;
    std::size_t open_ = 0;
    std::size_t allocated_ = 0;        // slots created so far (indices [0, allocated_))
    std::vector<std::uint32_t> free_;  // released indices, reused LIFO
    std::unique_ptr<std::atomic<Chunk *>[]> chunks_;
};

}  // namespace meshwork::host
