// A FIFO of bytes in one contiguous ring: a TCP connection's send and receive queues. Bytes go
// in at the back, are read (copied out) at any offset from the front, and leave from the
// front; two memcpy calls at most per operation, no allocation per byte range.
//
// Storage is held only while bytes are queued: an empty queue hands its block back to a
// ByteQueue::Spares of its node, and the next append takes one from there (or allocates one of
// the capacity the caller names, normally the socket's buffer size). So an idle connection
// holds no buffer, and a busy one does not allocate each time its queue drains.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "wire/Checksum.h"

namespace meshwork::stack {

class ByteQueue {
  public:
    /// Blocks that emptied queues gave back, for the next one that needs storage. Holds at
    /// most kMax blocks; a block handed back to a full cache replaces a smaller one or is freed.
    /// A free block carries the list link and its size in its first bytes, so the cache itself
    /// is one pointer.
    class Spares {
      public:
        static constexpr std::size_t kMax = 2;
        Spares() = default;
        Spares(const Spares &) = delete;
        Spares &operator=(const Spares &) = delete;
        ~Spares() {
            while (head_)
                (void)pop(&head_);
        }
        std::size_t count() const {
            std::size_t n = 0;
            for (std::uint8_t *b = head_; b; b = link(b).next)
                ++n;
            return n;
        }
        std::size_t bytes() const {
            std::size_t n = 0;
            for (std::uint8_t *b = head_; b; b = link(b).next)
                n += link(b).capacity;
            return n;
        }

      private:
        friend class ByteQueue;
        struct Block {
            std::unique_ptr<std::uint8_t[]> data;
            std::size_t capacity = 0;
        };
        struct Link {
            std::uint8_t *next;
            std::size_t capacity;
        };
        static constexpr std::size_t kMinBlock = sizeof(Link);
        static Link link(const std::uint8_t *b) {
            Link l{};
            std::memcpy(&l, b, sizeof l);
            return l;
        }
        static void set_link(std::uint8_t *b, const Link &l) { std::memcpy(b, &l, sizeof l); }
        /// Unlinks the block `*at` points to.
        static Block pop(std::uint8_t **at) {
            std::uint8_t *b = *at;
            const Link l = link(b);
            *at = l.next;
            return Block{std::unique_ptr<std::uint8_t[]>(b), l.capacity};
        }
        void push(Block b) {
            std::uint8_t *raw = b.data.release();
            set_link(raw, Link{head_, b.capacity});
            head_ = raw;
        }
        /// All cached blocks, unlinked (at most kMax); returns how many.
        std::size_t pop_all(Block (&out)[kMax + 1]) {
            std::size_t n = 0;
            while (head_ && n < kMax + 1)
                out[n++] = pop(&head_);
            return n;
        }
        /// The smallest block of at least `capacity` bytes, or an empty one.
        Block take(std::size_t capacity) {
            Block all[kMax + 1];
            const std::size_t n = pop_all(all);
            std::size_t best = n;
            for (std::size_t i = 0; i < n; ++i)
                if (all[i].capacity >= capacity &&
                    (best == n || all[i].capacity < all[best].capacity))
                    best = i;
            for (std::size_t i = 0; i < n; ++i)
                if (i != best)
                    push(std::move(all[i]));
            return best == n ? Block{} : std::move(all[best]);
        }
        void give(Block b) {
            Block all[kMax + 1];
            std::size_t n = pop_all(all);
            all[n++] = std::move(b);
            std::size_t smallest = 0;
            for (std::size_t i = 1; i < n; ++i)
                if (all[i].capacity < all[smallest].capacity)
                    smallest = i;
            for (std::size_t i = 0; i < n; ++i)
                if (n <= kMax || i != smallest)
                    push(std::move(all[i]));  // the smallest of one too many is freed
        }
        std::uint8_t *head_ = nullptr;
    };

    ByteQueue() = default;
    ByteQueue(const ByteQueue &) = delete;
    ByteQueue &operator=(const ByteQueue &) = delete;

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::size_t capacity() const { return block_.capacity; }

    /// Appends `n` bytes. Storage comes from `spares` or is allocated with at least
    /// `capacity_hint` bytes; a queue that outgrows its block moves to a bigger one.
    void append(const std::uint8_t *p, std::size_t n, Spares &spares, std::size_t capacity_hint) {
        if (n == 0)
            return;
        if (size_ + n > block_.capacity)
            grow(size_ + n, spares, capacity_hint);
        std::size_t tail = head_ + size_;
        if (tail >= block_.capacity)
            tail -= block_.capacity;
        const std::size_t first = std::min(n, block_.capacity - tail);
        std::memcpy(block_.data.get() + tail, p, first);
        if (first < n)
            std::memcpy(block_.data.get(), p + first, n - first);
        size_ += n;
    }

    /// Copies `n` bytes from offset `off` (off + n <= size()) to `out`.
    void copy_out(std::size_t off, std::uint8_t *out, std::size_t n) const {
        if (n == 0)
            return;
        std::size_t at = head_ + off;
        if (at >= block_.capacity)
            at -= block_.capacity;
        const std::size_t first = std::min(n, block_.capacity - at);
        std::memcpy(out, block_.data.get() + at, first);
        if (first < n)
            std::memcpy(out + first, block_.data.get(), n - first);
    }

    /// copy_out, adding the bytes to `sum` in the same pass (wire::Checksum::add_copy).
    void copy_out_sum(std::size_t off, std::uint8_t *out, std::size_t n,
                      wire::Checksum &sum) const {
        if (n == 0)
            return;
        std::size_t at = head_ + off;
        if (at >= block_.capacity)
            at -= block_.capacity;
        const std::size_t first = std::min(n, block_.capacity - at);
        sum.add_copy(ByteSpan(block_.data.get() + at, first), out);
        if (first < n)
            sum.add_copy(ByteSpan(block_.data.get(), n - first), out + first);
    }

    /// Drops `n` bytes (at most size()) from the front; an emptied queue gives its block back.
    void consume(std::size_t n, Spares &spares) {
        n = std::min(n, size_);
        size_ -= n;
        head_ += n;
        if (head_ >= block_.capacity)
            head_ -= block_.capacity;
        if (size_ == 0)
            release(spares);
    }

    void clear(Spares &spares) {
        size_ = 0;
        release(spares);
    }

  private:
    void release(Spares &spares) {
        head_ = 0;
        if (block_.data)
            spares.give(std::move(block_));
        block_ = {};
    }
    void grow(std::size_t need, Spares &spares, std::size_t capacity_hint) {
        std::size_t want = std::max({need, capacity_hint, Spares::kMinBlock});
        if (block_.capacity != 0)
            want = std::max(want, 2 * block_.capacity);
        Spares::Block b = spares.take(need);
        if (!b.data) {
            b.data = std::make_unique<std::uint8_t[]>(want);
            b.capacity = want;
        }
        copy_out(0, b.data.get(), size_);
        Spares::Block old = std::exchange(block_, std::move(b));
        head_ = 0;
        if (old.data)
            spares.give(std::move(old));
    }

    Spares::Block block_;
    std::size_t head_ = 0, size_ = 0;
};

}  // namespace meshwork::stack
