// Packet buffers with headroom and the bounded per-node pool they come from (ARCHITECTURE
// rule 5). A buffer is one contiguous block: [headroom | data | tailroom]. The layer that
// creates a packet reserves headroom for every header below it, so each lower layer prepends
// its header in place instead of copying the payload; a receiving layer trims its header off
// the front. Buffers are move-only handles and go back to their pool when destroyed.
//
// A PacketPool belongs to one node (no global pool). Its capacity is a byte budget (the node's
// configured heap, e.g. mbed-mesh-api.heap-size) and a buffer count; a request beyond either
// fails with Error::kNoMemory and is counted, never thrown or crashed on. Not thread-safe: a
// node runs to completion on one thread (or fiber) at a time.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"

namespace meshwork {

class PacketPool;

class PacketBuffer {
  public:
    /// An empty handle (no block): size() 0, no headroom, nothing to return to a pool.
    PacketBuffer() = default;
    PacketBuffer(PacketBuffer &&o) noexcept;
    PacketBuffer &operator=(PacketBuffer &&o) noexcept;
    PacketBuffer(const PacketBuffer &) = delete;
    PacketBuffer &operator=(const PacketBuffer &) = delete;
    /// Returns the block to its pool.
    ~PacketBuffer();

    /// True if the handle holds a block (false once moved from).
    bool valid() const { return block_ != nullptr; }

    ByteSpan data() const { return ByteSpan(block_ + begin_, end_ - begin_); }
    MutableByteSpan mutable_data() { return MutableByteSpan(block_ + begin_, end_ - begin_); }
    std::size_t size() const { return end_ - begin_; }
    bool empty() const { return begin_ == end_; }
    /// Free bytes before / after the data.
    std::size_t headroom() const { return begin_; }
    std::size_t tailroom() const { return capacity_ - end_; }
    /// The whole block: headroom + data + tailroom.
    std::size_t capacity() const { return capacity_; }

    /// Grows the data by `n` bytes at the front, out of the headroom, and returns them for the
    /// caller to write its header into. kNoSpace (nothing changes) if the headroom is short.
    Result<MutableByteSpan> prepend(std::size_t n);
    /// Prepends a copy of `bytes`.
    Status prepend(ByteSpan bytes);
    /// Grows the data by `n` bytes at the back, out of the tailroom. kNoSpace if it is short.
    Result<MutableByteSpan> append(std::size_t n);
    /// Appends a copy of `bytes`.
    Status append(ByteSpan bytes);
    /// Removes `n` bytes from the front (a parsed header) / back (a trailer or padding); the
    /// front bytes become headroom again. kTruncated (nothing changes) if size() < n.
    Status trim_front(std::size_t n);
    Status trim_back(std::size_t n);

  private:
    friend class PacketPool;
    PacketBuffer(PacketPool *pool, std::uint8_t *block, std::size_t capacity, std::size_t headroom)
        : pool_(pool), block_(block), capacity_(capacity), begin_(headroom), end_(headroom) {}
    void release();

    PacketPool *pool_ = nullptr;
    std::uint8_t *block_ = nullptr;
    std::size_t capacity_ = 0;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
};

struct PacketPoolStats {
    std::size_t buffers_in_use = 0;
    std::size_t bytes_in_use = 0;  // block bytes (headroom + data room) held by live buffers
    std::size_t peak_buffers = 0;
    std::size_t peak_bytes = 0;
    std::uint64_t allocations = 0;  // successful
    std::uint64_t failures = 0;     // refused with kNoMemory
};

class PacketPool {
  public:
    /// At most `byte_budget` block bytes and `max_buffers` buffers live at once.
    PacketPool(std::size_t byte_budget, std::size_t max_buffers);
    /// Every buffer must have been returned (a buffer must not outlive its pool).
    ~PacketPool();
    PacketPool(const PacketPool &) = delete;
    PacketPool &operator=(const PacketPool &) = delete;

    /// A buffer with `headroom` bytes in front of an empty data area that can grow by `room`
    /// bytes at the back (so its capacity is headroom + room). kNoMemory when the budget, the
    /// buffer count or the heap is exhausted; the failure is counted.
    Result<PacketBuffer> allocate(std::size_t headroom, std::size_t room);

    const PacketPoolStats &stats() const { return stats_; }
    std::size_t byte_budget() const { return byte_budget_; }
    std::size_t max_buffers() const { return max_buffers_; }
    /// Bytes a new buffer could still take (ignoring the buffer count).
    std::size_t bytes_available() const {
        return stats_.bytes_in_use < byte_budget_ ? byte_budget_ - stats_.bytes_in_use : 0;
    }
    /// Changes the budget, for a node whose configured heap is known only after its pool was
    /// made; live buffers keep their bytes (a lower budget refuses new ones until they go).
    void set_byte_budget(std::size_t byte_budget) { byte_budget_ = byte_budget; }

  private:
    friend class PacketBuffer;
    void give_back(std::uint8_t *block, std::size_t capacity);

    std::size_t byte_budget_;
    std::size_t max_buffers_;
    PacketPoolStats stats_;
};

}  // namespace meshwork
