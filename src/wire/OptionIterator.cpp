#include "wire/OptionIterator.h"

namespace meshwork::wire {

bool OptionIterator::next(Option &out) {
    if (done_ || error_ != Error::kOk)
        return false;
    if (pos_ >= bytes_.size) {
        done_ = true;
        return false;
    }
    const std::uint8_t type = bytes_[pos_];
    if (format_.end_type >= 0 && type == format_.end_type) {
        done_ = true;
        return false;
    }
    if (format_.single_byte_type >= 0 && type == format_.single_byte_type) {
        out.type = type;
        out.value = ByteSpan();
        out.whole = bytes_.subspan(pos_, 1);
        ++pos_;
        return true;
    }
    if (bytes_.size - pos_ < 2) {
        error_ = Error::kTruncated;
        return false;
    }
    const std::size_t len_field = bytes_[pos_ + 1];
    std::size_t total = 0;
    switch (format_.length) {
        case OptionLength::kValueBytes:
            total = 2 + len_field;
            break;
        case OptionLength::kTotalBytes:
            total = len_field;
            break;
        case OptionLength::kTotal8Octets:
            total = len_field * 8;
            break;
    }
    if (total < 2) {
        error_ = Error::kMalformed;
        return false;
    }
    if (total > bytes_.size - pos_) {
        error_ = Error::kTruncated;
        return false;
    }
    out.type = type;
    out.whole = bytes_.subspan(pos_, total);
    out.value = bytes_.subspan(pos_ + 2, total - 2);
    pos_ += total;
    return true;
}

Error OptionIterator::validate(ByteSpan bytes, OptionFormat format) {
    OptionIterator it(bytes, format);
    Option o;
    while (it.next(o)) {
    }
    return it.error();
}

void write_ip6_padding(ByteWriter &w, std::size_t n) {
    while (n > 0) {
        if (n == 1) {
            w.u8(0);  // Pad1
            return;
        }
        // A PadN carries at most 255 data bytes; a 1-byte remainder becomes Pad1.
        std::size_t chunk = n > 257 ? 257 : n;
        w.u8(1);  // PadN
        w.u8(static_cast<std::uint8_t>(chunk - 2));
        w.zeros(chunk - 2);
        n -= chunk;
    }
}

}  // namespace meshwork::wire
