#include "wire/LowpanMesh.h"

namespace meshwork::wire {

namespace {

MacAddress read_be(ByteReader &r, bool is_short) {
    if (is_short)
        return MacAddress::from_short(r.u16());
    return MacAddress::from_extended(r.u64());
}

void write_be(ByteWriter &w, const MacAddress &a) {
    if (a.mode == MacAddrMode::kShort)
        w.u16(a.short_address);
    else
        w.u64(a.extended);
}

}  // namespace

Result<LowpanMeshHeader> LowpanMeshHeader::parse(ByteReader &r) {
    std::uint8_t b = r.u8();
    if (!r.ok())
        return Error::kTruncated;
    if ((b & 0xc0) != 0x80)
        return Error::kMalformed;
    LowpanMeshHeader h;
    const bool v_short = (b & 0x20) != 0;
    const bool f_short = (b & 0x10) != 0;
    h.hops_left = b & 0x0f;
    if (h.hops_left == 0x0f)
        h.hops_left = r.u8();
    h.originator = read_be(r, v_short);
    h.final_destination = read_be(r, f_short);
    if (!r.ok())
        return Error::kTruncated;
    return h;
}

std::size_t LowpanMeshHeader::emitted_size() const {
    return 1 + (hops_left >= 0x0f ? 1 : 0) + originator.size() + final_destination.size();
}

Status LowpanMeshHeader::emit(ByteWriter &w) const {
    if (originator.is_none() || final_destination.is_none())
        return Error::kInvalidArgument;
    std::uint8_t b =
        static_cast<std::uint8_t>(0x80 | (originator.mode == MacAddrMode::kShort ? 0x20 : 0) |
                                  (final_destination.mode == MacAddrMode::kShort ? 0x10 : 0));
    if (hops_left >= 0x0f) {
        w.u8(b | 0x0f);
        w.u8(hops_left);
    } else {
        w.u8(b | hops_left);
    }
    write_be(w, originator);
    write_be(w, final_destination);
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

Result<LowpanBroadcastHeader> LowpanBroadcastHeader::parse(ByteReader &r) {
    std::uint8_t d = r.u8();
    LowpanBroadcastHeader h;
    h.sequence = r.u8();
    if (!r.ok())
        return Error::kTruncated;
    if (d != kDispatch)
        return Error::kMalformed;
    return h;
}

Status LowpanBroadcastHeader::emit(ByteWriter &w) const {
    w.u8(kDispatch);
    w.u8(sequence);
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

}  // namespace meshwork::wire
