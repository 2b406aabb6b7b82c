// Byte spans and bounded cursors for wire formats (ARCHITECTURE rule 4). A ByteReader never
// reads past its end: a short read sets a sticky failure and yields zeros, so a parser checks
// ok() once after a group of reads. A ByteWriter likewise never writes past its end. Network
// byte order (big-endian) unless the name says _le (IEEE 802.15.4 is little-endian).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace meshwork {

/// A read-only view of bytes (C++17 has no std::span).
struct ByteSpan {
    const std::uint8_t *data = nullptr;
    std::size_t size = 0;

    constexpr ByteSpan() = default;
    constexpr ByteSpan(const std::uint8_t *d, std::size_t n) : data(d), size(n) {}
    template <std::size_t N>
    constexpr ByteSpan(const std::uint8_t (&a)[N]) : data(a), size(N) {}  // NOLINT

    bool empty() const { return size == 0; }
    const std::uint8_t *begin() const { return data; }
    const std::uint8_t *end() const { return data + size; }
    std::uint8_t operator[](std::size_t i) const { return data[i]; }
    /// Bytes [offset, offset+count), clamped to the span.
    ByteSpan subspan(std::size_t offset, std::size_t count = SIZE_MAX) const {
        if (offset > size)
            offset = size;
        if (count > size - offset)
            count = size - offset;
        return ByteSpan(data + offset, count);
    }
    bool equals(ByteSpan o) const {
        return size == o.size && (size == 0 || std::memcmp(data, o.data, size) == 0);
    }
};

/// A writable view of bytes.
struct MutableByteSpan {
    std::uint8_t *data = nullptr;
    std::size_t size = 0;

    constexpr MutableByteSpan() = default;
    constexpr MutableByteSpan(std::uint8_t *d, std::size_t n) : data(d), size(n) {}
    template <std::size_t N>
    constexpr MutableByteSpan(std::uint8_t (&a)[N]) : data(a), size(N) {}  // NOLINT
    operator ByteSpan() const { return ByteSpan(data, size); }             // NOLINT
    MutableByteSpan subspan(std::size_t offset, std::size_t count = SIZE_MAX) const {
        if (offset > size)
            offset = size;
        if (count > size - offset)
            count = size - offset;
        return MutableByteSpan(data + offset, count);
    }
};

class ByteReader {
  public:
    explicit ByteReader(ByteSpan bytes) : bytes_(bytes) {}

    bool ok() const { return ok_; }
    std::size_t offset() const { return pos_; }
    std::size_t remaining() const { return bytes_.size - pos_; }
    bool at_end() const { return pos_ == bytes_.size; }
    /// The unread bytes.
    ByteSpan rest() const { return bytes_.subspan(pos_); }

    /// True if `n` more bytes can be read; otherwise marks failure.
    bool need(std::size_t n) {
        if (!ok_ || n > remaining()) {
            ok_ = false;
            return false;
        }
        return true;
    }

    std::uint8_t u8() { return need(1) ? bytes_.data[pos_++] : 0; }
    std::uint16_t u16() {
        if (!need(2))
            return 0;
        const std::uint8_t *p = bytes_.data + pos_;
        pos_ += 2;
        return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
    }
    std::uint16_t u16_le() {
        if (!need(2))
            return 0;
        const std::uint8_t *p = bytes_.data + pos_;
        pos_ += 2;
        return static_cast<std::uint16_t>(p[1] << 8 | p[0]);
    }
    std::uint32_t u24() { return uint_be(3); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(uint_be(4)); }
    std::uint32_t u32_le() { return static_cast<std::uint32_t>(uint_le(4)); }
    std::uint64_t u64() { return uint_be(8); }
    std::uint64_t u64_le() { return uint_le(8); }

    /// Big-/little-endian unsigned integer of `n` (<= 8) bytes.
    std::uint64_t uint_be(std::size_t n) {
        if (n > 8 || !need(n))
            return 0;
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < n; ++i)
            v = v << 8 | bytes_.data[pos_ + i];
        pos_ += n;
        return v;
    }
    std::uint64_t uint_le(std::size_t n) {
        if (n > 8 || !need(n))
            return 0;
        std::uint64_t v = 0;
        for (std::size_t i = n; i-- > 0;)
            v = v << 8 | bytes_.data[pos_ + i];
        pos_ += n;
        return v;
    }

    /// Copies `n` bytes out (zeros on failure).
    void copy(void *out, std::size_t n) {
        if (!need(n)) {
            std::memset(out, 0, n);
            return;
        }
        std::memcpy(out, bytes_.data + pos_, n);
        pos_ += n;
    }
    /// A view of the next `n` bytes (empty on failure).
    ByteSpan take(std::size_t n) {
        if (!need(n))
            return ByteSpan();
        ByteSpan s(bytes_.data + pos_, n);
        pos_ += n;
        return s;
    }
    void skip(std::size_t n) {
        if (need(n))
            pos_ += n;
    }
    /// Marks the read as failed (a field held a forbidden value).
    void fail() { ok_ = false; }

  private:
    ByteSpan bytes_;
    std::size_t pos_ = 0;
    bool ok_ = true;
};

class ByteWriter {
  public:
    explicit ByteWriter(MutableByteSpan out) : out_(out) {}

    bool ok() const { return ok_; }
    std::size_t offset() const { return pos_; }
    std::size_t remaining() const { return out_.size - pos_; }
    /// The bytes written so far.
    ByteSpan written() const { return ByteSpan(out_.data, pos_); }

    bool need(std::size_t n) {
        if (!ok_ || n > remaining()) {
            ok_ = false;
            return false;
        }
        return true;
    }
    void u8(std::uint8_t v) {
        if (need(1))
            out_.data[pos_++] = v;
    }
    void u16(std::uint16_t v) { uint_be(v, 2); }
    void u16_le(std::uint16_t v) { uint_le(v, 2); }
    void u24(std::uint32_t v) { uint_be(v, 3); }
    void u32(std::uint32_t v) { uint_be(v, 4); }
    void u32_le(std::uint32_t v) { uint_le(v, 4); }
    void u64(std::uint64_t v) { uint_be(v, 8); }
    void u64_le(std::uint64_t v) { uint_le(v, 8); }
    void uint_be(std::uint64_t v, std::size_t n) {
        if (n > 8 || !need(n))
            return;
        for (std::size_t i = n; i-- > 0;) {
            out_.data[pos_ + i] = static_cast<std::uint8_t>(v);
            v >>= 8;
        }
        pos_ += n;
    }
    void uint_le(std::uint64_t v, std::size_t n) {
        if (n > 8 || !need(n))
            return;
        for (std::size_t i = 0; i < n; ++i) {
            out_.data[pos_ + i] = static_cast<std::uint8_t>(v);
            v >>= 8;
        }
        pos_ += n;
    }
    void bytes(ByteSpan s) {
        if (s.size == 0 || !need(s.size))
            return;
        std::memcpy(out_.data + pos_, s.data, s.size);
        pos_ += s.size;
    }
    void bytes(const void *p, std::size_t n) {
        bytes(ByteSpan(static_cast<const std::uint8_t *>(p), n));
    }
    void zeros(std::size_t n) {
        if (!need(n))
            return;
        std::memset(out_.data + pos_, 0, n);
        pos_ += n;
    }
    /// Reserves `n` bytes to fill in later (lengths, checksums); nullptr on failure.
    std::uint8_t *reserve(std::size_t n) {
        if (!need(n))
            return nullptr;
        std::uint8_t *p = out_.data + pos_;
        std::memset(p, 0, n);
        pos_ += n;
        return p;
    }

  private:
    MutableByteSpan out_;
    std::size_t pos_ = 0;
    bool ok_ = true;
};

}  // namespace meshwork
