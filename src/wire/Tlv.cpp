#include "wire/Tlv.h"

namespace meshwork::wire {

namespace {

// Header size and value length of the TLV at `pos`; false if it does not fit.
bool header_at(ByteSpan bytes, std::size_t pos, TlvFormat format, std::size_t *header,
               std::size_t *length) {
    if (bytes.size - pos < 2)
        return false;
    std::size_t h = 2;
    std::size_t len = bytes[pos + 1];
    if (format.extended_length && len == 0xff) {
        if (bytes.size - pos < 4)
            return false;
        len = static_cast<std::size_t>(bytes[pos + 2] << 8 | bytes[pos + 3]);
        h = 4;
    }
    if (bytes.size - pos - h < len)
        return false;
    *header = h;
    *length = len;
    return true;
}

}  // namespace

Result<TlvList> TlvList::parse(ByteSpan bytes, TlvFormat format) {
    std::size_t pos = 0;
    while (pos < bytes.size) {
        std::size_t h = 0, len = 0;
        if (!header_at(bytes, pos, format, &h, &len))
            return Error::kTruncated;
        pos += h + len;
    }
    TlvList list;
    list.bytes_ = bytes;
    list.format_ = format;
    return list;
}

Tlv TlvList::at(std::size_t pos) const {
    Tlv t;
    std::size_t h = 0, len = 0;
    header_at(bytes_, pos, format_, &h, &len);
    std::uint8_t b0 = bytes_[pos];
    if (format_.type_has_stable_bit) {
        t.type = static_cast<std::uint8_t>(b0 >> 1);
        t.stable = (b0 & 1) != 0;
    } else {
        t.type = b0;
    }
    t.value = bytes_.subspan(pos + h, len);
    t.offset = pos;
    return t;
}

std::size_t TlvList::next(std::size_t pos) const {
    std::size_t h = 0, len = 0;
    header_at(bytes_, pos, format_, &h, &len);
    return pos + h + len;
}

bool TlvList::find(std::uint8_t type, Tlv *out) const {
    for (Tlv t : *this) {
        if (t.type == type) {
            if (out)
                *out = t;
            return true;
        }
    }
    return false;
}

std::size_t TlvList::count() const {
    std::size_t n = 0;
    for (Iterator it = begin(); it != end(); ++it)
        ++n;
    return n;
}

void TlvWriter::put_type(std::uint8_t type, bool stable) {
    if (format_.type_has_stable_bit)
        w_.u8(static_cast<std::uint8_t>(type << 1 | (stable ? 1 : 0)));
    else
        w_.u8(type);
}

void TlvWriter::put(std::uint8_t type, ByteSpan value, bool stable) {
    put_type(type, stable);
    if (format_.extended_length && value.size >= 0xff) {
        if (value.size > 0xffff) {
            w_.need(SIZE_MAX);  // marks the writer failed
            return;
        }
        w_.u8(0xff);
        w_.u16(static_cast<std::uint16_t>(value.size));
    } else if (value.size > 0xff) {
        w_.need(SIZE_MAX);
        return;
    } else {
        w_.u8(static_cast<std::uint8_t>(value.size));
    }
    w_.bytes(value);
}

void TlvWriter::put_u8(std::uint8_t type, std::uint8_t v) {
    put(type, ByteSpan(&v, 1));
}

void TlvWriter::put_u16(std::uint8_t type, std::uint16_t v) {
    std::uint8_t b[2] = {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
    put(type, ByteSpan(b, 2));
}

void TlvWriter::put_u32(std::uint8_t type, std::uint32_t v) {
    std::uint8_t b[4] = {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                         static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
    put(type, ByteSpan(b, 4));
}

TlvWriter::Open TlvWriter::begin(std::uint8_t type, bool stable) {
    put_type(type, stable);
    Open o;
    o.length = w_.reserve(1);
    o.value_start = w_.offset();
    return o;
}

void TlvWriter::end(const Open &open) {
    if (!open.length || !w_.ok())
        return;
    std::size_t len = w_.offset() - open.value_start;
    if (len > 0xff) {
        w_.need(SIZE_MAX);
        return;
    }
    *open.length = static_cast<std::uint8_t>(len);
}

std::size_t TlvWriter::size_of(std::size_t value_len, TlvFormat format) {
    if (format.extended_length && value_len >= 0xff)
        return 4 + value_len;
    return 2 + value_len;
}

}  // namespace meshwork::wire
