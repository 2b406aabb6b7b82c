// One generic walker for the type-length-value option families of the IPv6 layer, described by
// an OptionFormat instead of one loop per protocol:
//
//   family                      length field counts               Pad1   end marker
//   IPv6 HBH / Dest options     value bytes (RFC 8200 4.2)        0      -
//   RPL control options         value bytes (RFC 6550 6.7.1)      0      -
//   ND options                  whole option, 8-octet units,      -      -
//                               0 is invalid (RFC 4861 4.6)
//   TCP options                 whole option in bytes, >= 2       1 NOP  0 EOL (RFC 9293 3.1)
//
// The iterator yields (type, value) pairs; a single-byte option (Pad1, NOP) is yielded with an
// empty value. It stops with kTruncated when an option runs past the end, or kMalformed when
// the length field is impossible. The end marker (TCP EOL) ends the walk successfully; the
// bytes after it are padding.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"

namespace meshwork::wire {

enum class OptionLength : std::uint8_t {
    kValueBytes,    // length = value bytes, after the 2-byte type/length
    kTotalBytes,    // length = whole option in bytes (>= 2)
    kTotal8Octets,  // length = whole option in 8-octet units (>= 1)
};

struct OptionFormat {
    OptionLength length;
    int single_byte_type;  // a type that has no length byte (Pad1, NOP), or -1
    int end_type;          // a type that ends the list (EOL), or -1
};

constexpr OptionFormat kIp6OptionFormat{OptionLength::kValueBytes, 0, -1};
constexpr OptionFormat kRplOptionFormat{OptionLength::kValueBytes, 0, -1};
constexpr OptionFormat kNdOptionFormat{OptionLength::kTotal8Octets, -1, -1};
constexpr OptionFormat kTcpOptionFormat{OptionLength::kTotalBytes, 1, 0};

struct Option {
    std::uint8_t type = 0;
    ByteSpan value;  // excludes the type and length bytes
    ByteSpan whole;  // the option as it appears on the wire
};

class OptionIterator {
  public:
    OptionIterator(ByteSpan bytes, OptionFormat format) : bytes_(bytes), format_(format) {}

    /// Advances to the next option. Returns false at the end of the list or on error; check
    /// error() to tell them apart.
    bool next(Option &out);
    Error error() const { return error_; }
    /// Offset of the next unread byte (the offending option after an error).
    std::size_t offset() const { return pos_; }

    /// Walks the whole list and reports the first error (kOk if well-formed).
    static Error validate(ByteSpan bytes, OptionFormat format);

  private:
    ByteSpan bytes_;
    OptionFormat format_;
    std::size_t pos_ = 0;
    Error error_ = Error::kOk;
    bool done_ = false;
};

/// An option list that its owner has already validated (every option fits and every known
/// option is well-formed), iterated as `T`: a type derived from Option that adds typed
/// accessors (RplOption, NdOption). Iteration cannot fail; an empty range iterates nothing.
template <typename T>
class OptionRange {
  public:
    OptionRange() = default;
    OptionRange(ByteSpan validated, OptionFormat format) : bytes_(validated), format_(format) {}

    class Iterator {
      public:
        Iterator(ByteSpan bytes, OptionFormat format, bool at_end)
            : it_(bytes, format), at_end_(at_end) {
            if (!at_end_)
                at_end_ = !it_.next(cur_);
        }
        T operator*() const {
            T t;
            static_cast<Option &>(t) = cur_;
            return t;
        }
        Iterator &operator++() {
            at_end_ = !it_.next(cur_);
            return *this;
        }
        bool operator==(const Iterator &o) const {
            return at_end_ == o.at_end_ && (at_end_ || cur_.whole.data == o.cur_.whole.data);
        }
        bool operator!=(const Iterator &o) const { return !(*this == o); }

      private:
        OptionIterator it_;
        Option cur_;
        bool at_end_;
    };

    Iterator begin() const { return Iterator(bytes_, format_, false); }
    Iterator end() const { return Iterator(bytes_, format_, true); }
    ByteSpan bytes() const { return bytes_; }
    bool empty() const { return bytes_.empty(); }
    std::size_t count() const {
        std::size_t n = 0;
        for (Iterator i = begin(); i != end(); ++i)
            ++n;
        return n;
    }

  private:
    ByteSpan bytes_;
    OptionFormat format_{OptionLength::kValueBytes, -1, -1};
};

/// Writes PadN/Pad1 padding of `n` bytes in the IPv6/RPL option format (RFC 8200 4.2).
void write_ip6_padding(ByteWriter &w, std::size_t n);

}  // namespace meshwork::wire
