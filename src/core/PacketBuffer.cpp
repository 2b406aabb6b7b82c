#include "core/PacketBuffer.h"

#include <cassert>
#include <cstring>
#include <new>

namespace meshwork {

PacketBuffer::PacketBuffer(PacketBuffer &&o) noexcept
    : pool_(o.pool_), block_(o.block_), capacity_(o.capacity_), begin_(o.begin_), end_(o.end_) {
    o.pool_ = nullptr;
    o.block_ = nullptr;
    o.capacity_ = o.begin_ = o.end_ = 0;
}

PacketBuffer &PacketBuffer::operator=(PacketBuffer &&o) noexcept {
    if (this != &o) {
        release();
        pool_ = o.pool_;
        block_ = o.block_;
        capacity_ = o.capacity_;
        begin_ = o.begin_;
        end_ = o.end_;
        o.pool_ = nullptr;
        o.block_ = nullptr;
        o.capacity_ = o.begin_ = o.end_ = 0;
    }
    return *this;
}

PacketBuffer::~PacketBuffer() {
    release();
}

void PacketBuffer::release() {
    if (block_) {
        pool_->give_back(block_, capacity_);
        pool_ = nullptr;
        block_ = nullptr;
        capacity_ = begin_ = end_ = 0;
    }
}

Result<MutableByteSpan> PacketBuffer::prepend(std::size_t n) {
    if (n > headroom())
        return Error::kNoSpace;
    begin_ -= n;
    return MutableByteSpan(block_ + begin_, n);
}

Status PacketBuffer::prepend(ByteSpan bytes) {
    auto room = prepend(bytes.size);
    if (!room)
        return room.error();
    if (bytes.size != 0)
        std::memcpy(room->data, bytes.data, bytes.size);
    return Status();
}

Result<MutableByteSpan> PacketBuffer::append(std::size_t n) {
    if (n > tailroom())
        return Error::kNoSpace;
    const std::size_t at = end_;
    end_ += n;
    return MutableByteSpan(block_ + at, n);
}

Status PacketBuffer::append(ByteSpan bytes) {
    auto room = append(bytes.size);
    if (!room)
        return room.error();
    if (bytes.size != 0)
        std::memcpy(room->data, bytes.data, bytes.size);
    return Status();
}

Status PacketBuffer::trim_front(std::size_t n) {
    if (n > size())
        return Error::kTruncated;
    begin_ += n;
    return Status();
}

Status PacketBuffer::trim_back(std::size_t n) {
    if (n > size())
        return Error::kTruncated;
    end_ -= n;
    return Status();
}

PacketPool::PacketPool(std::size_t byte_budget, std::size_t max_buffers)
    : byte_budget_(byte_budget), max_buffers_(max_buffers) {}

PacketPool::~PacketPool() {
    assert(stats_.buffers_in_use == 0 && "a PacketBuffer outlived its PacketPool");
}

Result<PacketBuffer> PacketPool::allocate(std::size_t headroom, std::size_t room) {
    const std::size_t capacity = headroom + room;
    if (capacity < headroom || stats_.buffers_in_use >= max_buffers_ ||
        capacity > bytes_available()) {
        ++stats_.failures;
        return Error::kNoMemory;
    }
    // One heap block per buffer, charged to the budget; at least one byte so a zero-capacity
    // buffer is still a valid (returnable) handle.
    auto *block = new (std::nothrow) std::uint8_t[capacity == 0 ? 1 : capacity];
    if (!block) {
        ++stats_.failures;
        return Error::kNoMemory;
    }
    ++stats_.allocations;
    ++stats_.buffers_in_use;
    stats_.bytes_in_use += capacity;
    if (stats_.buffers_in_use > stats_.peak_buffers)
        stats_.peak_buffers = stats_.buffers_in_use;
    if (stats_.bytes_in_use > stats_.peak_bytes)
        stats_.peak_bytes = stats_.bytes_in_use;
    return PacketBuffer(this, block, capacity, headroom);
}

void PacketPool::give_back(std::uint8_t *block, std::size_t capacity) {
    delete[] block;
    --stats_.buffers_in_use;
    stats_.bytes_in_use -= capacity;
}

}  // namespace meshwork
