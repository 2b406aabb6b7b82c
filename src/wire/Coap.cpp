#include "wire/Coap.h"

#include <cstring>

namespace meshwork::wire {

namespace {

// Reads an extended delta/length nibble (RFC 7252 3.1); false for the reserved value 15.
bool read_ext(ByteReader &r, std::uint8_t nibble, std::uint32_t *v) {
    if (nibble < 13) {
        *v = nibble;
    } else if (nibble == 13) {
        *v = 13u + r.u8();
    } else if (nibble == 14) {
        *v = 269u + r.u16();
    } else {
        return false;
    }
    return true;
}

std::uint8_t nibble_for(std::uint32_t v) {
    return v < 13 ? static_cast<std::uint8_t>(v) : v < 269 ? 13 : 14;
}

void write_ext(ByteWriter &w, std::uint32_t v) {
    if (v >= 269)
        w.u16(static_cast<std::uint16_t>(v - 269));
    else if (v >= 13)
        w.u8(static_cast<std::uint8_t>(v - 13));
}

}  // namespace

std::size_t coap_encode_uint(std::uint32_t value, std::uint8_t (&out)[4]) {
    std::size_t n = 0;
    for (int shift = 24; shift >= 0; shift -= 8) {
        const auto byte = static_cast<std::uint8_t>(value >> shift);
        if (n == 0 && byte == 0)
            continue;  // minimal length; 0 is the empty value
        out[n++] = byte;
    }
    return n;
}

std::uint32_t coap_decode_uint(ByteSpan value) {
    if (value.size > 4)
        return UINT32_MAX;
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < value.size; ++i)
        v = v << 8 | value[i];
    return v;
}

Result<CoapBlock> CoapBlock::from_uint(std::uint32_t v) {
    CoapBlock b;
    b.szx = v & 7;
    if (b.szx == 7)
        return Error::kMalformed;  // reserved
    b.more = (v & 8) != 0;
    b.num = v >> 4;
    if (b.num > 0xfffff)
        return Error::kMalformed;
    return b;
}

Result<CoapBlock> CoapBlock::parse(ByteSpan value) {
    if (value.size > 3)
        return Error::kMalformed;
    return from_uint(coap_decode_uint(value));
}

Error CoapMessage::read_option(ByteReader &r, std::uint16_t *number, CoapOptionValue *o) {
    std::uint8_t b = r.u8();
    std::uint32_t delta = 0, len = 0;
    if (!read_ext(r, b >> 4, &delta) || !read_ext(r, b & 0x0f, &len))
        return Error::kMalformed;
    if (!r.ok())
        return Error::kTruncated;
    std::uint32_t n = *number + delta;
    if (n > 0xffff)
        return Error::kMalformed;
    *number = static_cast<std::uint16_t>(n);
    o->number = *number;
    o->value = r.take(len);
    return r.ok() ? Error::kOk : Error::kTruncated;
}

Result<CoapMessage> CoapMessage::parse(ByteSpan b) {
    if (b.size < 4)
        return Error::kTruncated;
    if (b[0] >> 6 != 1)
        return Error::kUnsupported;  // version
    const std::size_t tkl = b[0] & 0x0f;
    if (tkl > 8)
        return Error::kMalformed;
    const std::uint8_t cls = b[1] >> 5;
    if (cls == 1 || cls == 6 || cls == 7)
        return Error::kMalformed;  // reserved classes
    if (b[1] == CoapCode::kEmpty && (b.size != 4 || tkl != 0))
        return Error::kMalformed;
    if (b.size < 4 + tkl)
        return Error::kTruncated;
    ByteReader r(b.subspan(4 + tkl));
    std::uint16_t number = 0;
    CoapMessage m;
    m.b_ = b;
    while (!r.at_end()) {
        if (r.rest()[0] == 0xff) {
            std::size_t opt_end = r.offset();
            r.skip(1);
            if (r.at_end())
                return Error::kMalformed;  // marker without payload
            m.options_len_ = opt_end;
            m.payload_ = r.rest();
            return m;
        }
        CoapOptionValue o;
        Error e = read_option(r, &number, &o);
        if (e != Error::kOk)
            return e;
    }
    m.options_len_ = r.offset();
    return m;
}

bool CoapMessage::find(std::uint16_t number, CoapOptionValue *out) const {
    bool found = false;
    for_each_option([&](const CoapOptionValue &o) {
        if (!found && o.number == number) {
            found = true;
            if (out)
                *out = o;
        }
    });
    return found;
}

std::size_t CoapMessage::option_count() const {
    std::size_t n = 0;
    for_each_option([&](const CoapOptionValue &) { ++n; });
    return n;
}

std::size_t CoapMessage::uri_path(char *out, std::size_t size) const {
    std::size_t len = 0;
    bool any = false, fits = true;
    for_each_option([&](const CoapOptionValue &o) {
        if (o.number != CoapOption::kUriPath || !fits)
            return;
        std::size_t need = (any ? 1 : 0) + o.value.size;
        if (len + need + 1 > size) {
            fits = false;
            return;
        }
        if (any)
            out[len++] = '/';
        if (o.value.size)
            std::memcpy(out + len, o.value.data, o.value.size);
        len += o.value.size;
        any = true;
    });
    if (!any || !fits) {
        if (size)
            out[0] = '\0';
        return 0;
    }
    out[len] = '\0';
    return len;
}

CoapBuilder::CoapBuilder(MutableByteSpan out, CoapType type, std::uint8_t code,
                         std::uint16_t message_id, ByteSpan token)
    : w_(out) {
    const auto t = static_cast<std::uint8_t>(type);
    if (token.size > 8 || t > 3) {
        error_ = Error::kInvalidArgument;
        return;
    }
    w_.u8(static_cast<std::uint8_t>(0x40 | t << 4 | token.size));
    w_.u8(code);
    w_.u16(message_id);
    w_.bytes(token);
}

CoapBuilder &CoapBuilder::option(std::uint16_t number, ByteSpan value) {
    if (error_ != Error::kOk)
        return *this;
    if (number < last_number_ || payload_written_ || value.size > kCoapMaxOptionLength) {
        error_ = Error::kInvalidArgument;
        return *this;
    }
    std::uint32_t delta = number - last_number_;
    last_number_ = number;
    w_.u8(static_cast<std::uint8_t>(nibble_for(delta) << 4 |
                                    nibble_for(static_cast<std::uint32_t>(value.size))));
    write_ext(w_, delta);
    write_ext(w_, static_cast<std::uint32_t>(value.size));
    w_.bytes(value);
    return *this;
}

CoapBuilder &CoapBuilder::option_uint(std::uint16_t number, std::uint32_t value) {
    std::uint8_t b[4];
    return option(number, ByteSpan(b, coap_encode_uint(value, b)));
}

CoapBuilder &CoapBuilder::uri_path(const char *path) {
    if (*path == '/')
        ++path;
    while (*path) {
        const char *end = std::strchr(path, '/');
        std::size_t n = end ? static_cast<std::size_t>(end - path) : std::strlen(path);
        option(CoapOption::kUriPath, ByteSpan(reinterpret_cast<const std::uint8_t *>(path), n));
        path += n;
        if (*path == '/')
            ++path;
    }
    return *this;
}

CoapBuilder &CoapBuilder::payload(ByteSpan p) {
    if (error_ != Error::kOk || p.empty())
        return *this;
    if (payload_written_) {
        error_ = Error::kInvalidArgument;
        return *this;
    }
    payload_written_ = true;
    w_.u8(0xff);
    w_.bytes(p);
    return *this;
}

Result<std::size_t> CoapBuilder::finish() const {
    if (error_ != Error::kOk)
        return error_;
    if (!w_.ok())
        return Error::kNoSpace;
    return w_.offset();
}

}  // namespace meshwork::wire
