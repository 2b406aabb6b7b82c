// Generic type-length-value lists, described once and iterated generically (ARCHITECTURE rule 4).
// Thread MLE TLVs (one-byte type and length), Thread Network Data TLVs (type in the upper seven
// bits, a stable flag in bit 0) and MeshCoP TLVs (length 0xff escapes to a two-byte length) all
// share this code; only the TlvFormat differs.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"

namespace meshwork::wire {

struct TlvFormat {
    /// Network Data: the type is byte0 >> 1 and bit 0 is the "stable" flag.
    bool type_has_stable_bit = false;
    /// MeshCoP: a length byte of 0xff is followed by a 16-bit big-endian length.
    bool extended_length = false;
};

inline constexpr TlvFormat kMleTlvFormat{false, false};
inline constexpr TlvFormat kNetDataTlvFormat{true, false};
inline constexpr TlvFormat kMeshCopTlvFormat{false, true};

struct Tlv {
    std::uint8_t type = 0;
    bool stable = false;  // only meaningful for formats with a stable bit
    ByteSpan value;
    std::size_t offset = 0;  // of the TLV's first byte within the list
};

/// A validated sequence of TLVs: parse() checks that every TLV fits, so iteration cannot fail.
class TlvList {
  public:
    TlvList() = default;
    static Result<TlvList> parse(ByteSpan bytes, TlvFormat format = kMleTlvFormat);

    class Iterator {
      public:
        Iterator(const TlvList *list, std::size_t pos) : list_(list), pos_(pos) {}
        Tlv operator*() const { return list_->at(pos_); }
        Iterator &operator++() {
            pos_ = list_->next(pos_);
            return *this;
        }
        bool operator!=(const Iterator &o) const { return pos_ != o.pos_; }

      private:
        const TlvList *list_;
        std::size_t pos_;
    };
    Iterator begin() const { return Iterator(this, 0); }
    Iterator end() const { return Iterator(this, bytes_.size); }

    /// The first TLV of `type`, or an empty-valued TLV and false.
    bool find(std::uint8_t type, Tlv *out) const;
    std::size_t count() const;
    ByteSpan bytes() const { return bytes_; }
    TlvFormat format() const { return format_; }

  private:
    Tlv at(std::size_t pos) const;
    std::size_t next(std::size_t pos) const;

    ByteSpan bytes_;
    TlvFormat format_{};
};

/// Appends TLVs to a ByteWriter in the given format.
class TlvWriter {
  public:
    TlvWriter(ByteWriter &w, TlvFormat format = kMleTlvFormat) : w_(w), format_(format) {}
    void put(std::uint8_t type, ByteSpan value, bool stable = false);
    void put_u8(std::uint8_t type, std::uint8_t v);
    void put_u16(std::uint8_t type, std::uint16_t v);
    void put_u32(std::uint8_t type, std::uint32_t v);
    /// An open TLV whose value is being written (one-byte length only).
    struct Open {
        std::uint8_t *length = nullptr;
        std::size_t value_start = 0;
    };
    /// Starts a TLV whose value is written next; end() patches its length (nesting allowed).
    Open begin(std::uint8_t type, bool stable = false);
    void end(const Open &open);
    static std::size_t size_of(std::size_t value_len, TlvFormat format);

  private:
    void put_type(std::uint8_t type, bool stable);

    ByteWriter &w_;
    TlvFormat format_;
};

}  // namespace meshwork::wire
