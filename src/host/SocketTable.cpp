#include "SocketTable.h"

namespace meshwork::host {

void HostSocket::reset_state(nsapi_protocol_t protocol, int address_family) {
    proto = protocol;
    family = address_family;
    bound = false;
    listening = false;
    connecting = false;
    connected = false;
    pktinfo = false;
    accepted = false;
    memberships.clear();
    options.clear();
}

SocketTable::Chunk::Chunk(std::uint32_t first) {
    for (std::size_t i = 0; i < kChunkSize; ++i) {
        slots[i] = std::make_unique<HostSocket>(first + static_cast<std::uint32_t>(i));
    }
}

SocketTable::SocketTable(std::size_t limit)
    : limit_(limit < kMaxSlots ? limit : kMaxSlots),
      chunks_(std::make_unique<std::atomic<Chunk *>[]>(kMaxChunks)) {
    for (std::size_t i = 0; i < kMaxChunks; ++i) {
        chunks_[i].store(nullptr, std::memory_order_relaxed);
    }
}

SocketTable::~SocketTable() {
    for (std::size_t i = 0; i < kMaxChunks; ++i) {
        delete chunks_[i].load(std::memory_order_relaxed);
    }
}

HostSocket *SocketTable::acquire() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (open_ >= limit_) {
        return nullptr;
    }
    std::uint32_t index;
    if (!free_.empty()) {
        index = free_.back();
        free_.pop_back();
    } else {
        if (allocated_ >= kMaxSlots) {
            return nullptr;
        }
        index = static_cast<std::uint32_t>(allocated_);
        const std::size_t chunk = index / kChunkSize;
        if (index % kChunkSize == 0) {
            // Published with release so the epoll thread's acquire load sees whole slots.
            chunks_[chunk].store(new Chunk(index), std::memory_order_release);
        }
        ++allocated_;
    }
    ++open_;
    return find(index);
}

void SocketTable::release(HostSocket *socket) {
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(socket->index);
    --open_;
}

void SocketTable::set_limit(std::size_t limit) {
    std::lock_guard<std::mutex> lock(mutex_);
    limit_ = limit < kMaxSlots ? limit : kMaxSlots;
}

std::size_t SocketTable::limit() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return limit_;
}

std::size_t SocketTable::open_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return open_;
}

}  // namespace meshwork::host
