#include "wire/Mld.h"

#include "wire/Icmp6.h"

namespace meshwork::wire {

bool MldRecord::operator==(const MldRecord &o) const {
    if (type != o.type || group != o.group || source_count != o.source_count)
        return false;
    for (std::size_t i = 0; i < source_count && i < kMaxRecordSources; ++i) {
        if (sources[i] != o.sources[i])
            return false;
    }
    return true;
}

std::uint32_t MldMessage::max_response_delay_ms() const {
    if (v1 || max_response_code < 0x8000)
        return max_response_code;
    const std::uint32_t mant = max_response_code & 0x0fff;
    const std::uint32_t exp = (max_response_code >> 12) & 0x7;
    return (mant | 0x1000) << (exp + 3);
}

Result<MldMessage> MldMessage::parse(ByteSpan bytes, const PseudoHeader *verify) {
    auto v = Icmp6View::parse(bytes, verify);
    if (!v)
        return v.error();
    MldMessage m;
    m.type = v->type();
    ByteReader r(v->body());
    switch (m.type) {
        case MldType::kQuery:
        case MldType::kV1Report:
        case MldType::kV1Done: {
            m.max_response_code = r.u16();
            r.skip(2);
            r.copy(m.group.bytes, 16);
            if (!r.ok())
                return Error::kTruncated;
            if (m.type != MldType::kQuery || bytes.size == 24) {
                m.v1 = true;
                return m;
            }
            // RFC 3810 8.1: 24 bytes is MLDv1, >= 28 is MLDv2, anything else is ignored.
            if (bytes.size < 28)
                return Error::kMalformed;
            m.flags = static_cast<std::uint8_t>(r.u8() & 0x0f);
            m.qqic = r.u8();
            const std::uint16_t n = r.u16();
            if (n > kMaxSources)
                return r.remaining() < n * 16u ? Error::kTruncated : Error::kUnsupported;
            m.source_count = static_cast<std::uint8_t>(n);
            for (std::size_t i = 0; i < n; ++i)
                r.copy(m.sources[i].bytes, 16);
            if (!r.ok())
                return Error::kTruncated;
            return m;
        }
        case MldType::kV2Report: {
            r.skip(2);
            const std::uint16_t n = r.u16();
            if (!r.ok())
                return Error::kTruncated;
            if (n > kMaxRecords)
                return Error::kUnsupported;
            m.record_count = static_cast<std::uint8_t>(n);
            for (std::size_t i = 0; i < n; ++i) {
                MldRecord &rec = m.records[i];
                rec.type = r.u8();
                const std::size_t aux = r.u8() * 4u;
                const std::uint16_t ns = r.u16();
                r.copy(rec.group.bytes, 16);
                if (!r.ok())
                    return Error::kTruncated;
                if (ns > MldRecord::kMaxRecordSources) {
                    return r.remaining() < ns * 16u + aux ? Error::kTruncated : Error::kUnsupported;
                }
                rec.source_count = static_cast<std::uint8_t>(ns);
                for (std::size_t s = 0; s < ns; ++s)
                    r.copy(rec.sources[s].bytes, 16);
                r.skip(aux);
                if (!r.ok())
                    return Error::kTruncated;
            }
            return m;
        }
        default:
            return Error::kUnsupported;
    }
}

std::size_t MldMessage::emitted_size() const {
    switch (type) {
        case MldType::kQuery:
            return v1 ? 24 : 28 + 16u * source_count;
        case MldType::kV1Report:
        case MldType::kV1Done:
            return 24;
        case MldType::kV2Report: {
            std::size_t n = 8;
            for (std::size_t i = 0; i < record_count && i < kMaxRecords; ++i) {
                n += 20 + 16u * records[i].source_count;
            }
            return n;
        }
        default:
            return 0;
    }
}

Status MldMessage::emit(MutableByteSpan out, const PseudoHeader &ph) const {
    if (source_count > kMaxSources || record_count > kMaxRecords)
        return Error::kInvalidArgument;
    if (type != MldType::kQuery && type != MldType::kV1Report && type != MldType::kV1Done &&
        type != MldType::kV2Report) {
        return Error::kInvalidArgument;
    }
    for (std::size_t i = 0; i < record_count; ++i) {
        if (records[i].source_count > MldRecord::kMaxRecordSources)
            return Error::kInvalidArgument;
    }
    const std::size_t size = emitted_size();
    if (out.size < size)
        return Error::kNoSpace;
    MutableByteSpan msg = out.subspan(0, size);
    ByteWriter w(msg);
    w.u8(type);
    w.u8(0);
    w.u16(0);
    if (type == MldType::kV2Report) {
        w.u16(0);
        w.u16(record_count);
        for (std::size_t i = 0; i < record_count; ++i) {
            const MldRecord &rec = records[i];
            w.u8(rec.type);
            w.u8(0);
            w.u16(rec.source_count);
            w.bytes(rec.group.span());
            for (std::size_t s = 0; s < rec.source_count; ++s)
                w.bytes(rec.sources[s].span());
        }
    } else {
        w.u16(max_response_code);
        w.u16(0);
        w.bytes(group.span());
        if (type == MldType::kQuery && !v1) {
            w.u8(static_cast<std::uint8_t>(flags & 0x0f));
            w.u8(qqic);
            w.u16(source_count);
            for (std::size_t i = 0; i < source_count; ++i)
                w.bytes(sources[i].span());
        }
    }
    if (!w.ok() || w.offset() != size)
        return Error::kNoSpace;
    icmp6_finish_checksum(msg, ph);
    return Status();
}

bool MldMessage::operator==(const MldMessage &o) const {
    if (type != o.type || v1 != o.v1 || max_response_code != o.max_response_code ||
        group != o.group || flags != o.flags || qqic != o.qqic || source_count != o.source_count ||
        record_count != o.record_count) {
        return false;
    }
    for (std::size_t i = 0; i < source_count && i < kMaxSources; ++i) {
        if (sources[i] != o.sources[i])
            return false;
    }
    for (std::size_t i = 0; i < record_count && i < kMaxRecords; ++i) {
        if (!(records[i] == o.records[i]))
            return false;
    }
    return true;
}

}  // namespace meshwork::wire
