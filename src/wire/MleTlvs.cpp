#include "wire/MleTlvs.h"

namespace meshwork::wire {

namespace {

Status written(const ByteWriter &w) {
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

Result<std::uint8_t> one_byte(ByteSpan v) {
    if (v.size < 1)
        return Error::kTruncated;
    if (v.size > 1)
        return Error::kMalformed;
    return v[0];
}

}  // namespace

// ---- Mode, Scan Mask, TLV Request, Channel -----------------------------------------------------

Result<MleMode> MleMode::parse(ByteSpan v) {
    Result<std::uint8_t> b = one_byte(v);
    if (!b)
        return b.error();
    MleMode m;
    m.mode = *b;
    return m;
}

Status MleMode::write_value(ByteWriter &w) const {
    w.u8(mode);
    return written(w);
}

Result<MleScanMask> MleScanMask::parse(ByteSpan v) {
    Result<std::uint8_t> b = one_byte(v);
    if (!b)
        return b.error();
    MleScanMask m;
    m.mask = *b;
    return m;
}

Status MleScanMask::write_value(ByteWriter &w) const {
    w.u8(mask);
    return written(w);
}

Result<MleTlvRequest> MleTlvRequest::parse(ByteSpan v) {
    MleTlvRequest r;
    r.types = v;
    return r;
}

bool MleTlvRequest::requests(std::uint8_t type) const {
    for (std::uint8_t t : types) {
        if (t == type)
            return true;
    }
    return false;
}

Status MleTlvRequest::write_value(ByteWriter &w) const {
    w.bytes(types);
    return written(w);
}

Result<MleChannel> MleChannel::parse(ByteSpan v) {
    if (v.size < 3)
        return Error::kTruncated;
    if (v.size > 3)
        return Error::kMalformed;
    ByteReader r(v);
    MleChannel c;
    c.page = r.u8();
    c.channel = r.u16();
    return c;
}

Status MleChannel::write_value(ByteWriter &w) const {
    w.u8(page);
    w.u16(channel);
    return written(w);
}

// ---- Leader Data, Route64, Connectivity ------------------------------------------------------

Result<MleLeaderData> MleLeaderData::parse(ByteSpan v) {
    if (v.size < 8)
        return Error::kTruncated;
    if (v.size > 8)
        return Error::kMalformed;
    ByteReader r(v);
    MleLeaderData d;
    d.partition_id = r.u32();
    d.weighting = r.u8();
    d.data_version = r.u8();
    d.stable_data_version = r.u8();
    d.leader_router_id = r.u8();
    return d;
}

Status MleLeaderData::write_value(ByteWriter &w) const {
    w.u32(partition_id);
    w.u8(weighting);
    w.u8(data_version);
    w.u8(stable_data_version);
    w.u8(leader_router_id);
    return written(w);
}

bool MleLeaderData::operator==(const MleLeaderData &o) const {
    return partition_id == o.partition_id && weighting == o.weighting &&
           data_version == o.data_version && stable_data_version == o.stable_data_version &&
           leader_router_id == o.leader_router_id;
}

std::size_t MleRoute64::router_count() const {
    std::size_t n = 0;
    for (std::uint8_t b : router_mask)
        for (int i = 0; i < 8; ++i)
            n += (b >> i) & 1;
    return n;
}

Result<MleRoute64> MleRoute64::parse(ByteSpan v) {
    if (v.size < 9)
        return Error::kTruncated;
    MleRoute64 r;
    r.id_sequence = v[0];
    for (int i = 0; i < 8; ++i)
        r.router_mask[i] = v[1 + i];
    r.route_data = v.subspan(9);
    if (r.route_data.size != r.router_count())
        return Error::kMalformed;
    return r;
}

Status MleRoute64::write_value(ByteWriter &w) const {
    if (route_data.size != router_count())
        return Error::kInvalidArgument;
    w.u8(id_sequence);
    w.bytes(router_mask, sizeof router_mask);
    w.bytes(route_data);
    return written(w);
}

bool MleRoute64::operator==(const MleRoute64 &o) const {
    return id_sequence == o.id_sequence &&
           std::memcmp(router_mask, o.router_mask, sizeof router_mask) == 0 &&
           route_data.equals(o.route_data);
}

Result<MleConnectivity> MleConnectivity::parse(ByteSpan v) {
    if (v.size < 7)
        return Error::kTruncated;
    if (v.size != 7 && v.size != 10)
        return Error::kMalformed;
    ByteReader r(v);
    MleConnectivity c;
    c.flags = r.u8();
    c.link_quality_3 = r.u8();
    c.link_quality_2 = r.u8();
    c.link_quality_1 = r.u8();
    c.leader_cost = r.u8();
    c.id_sequence = r.u8();
    c.active_routers = r.u8();
    if (v.size == 10) {
        c.has_sed_info = true;
        c.sed_buffer_size = r.u16();
        c.sed_datagram_count = r.u8();
    }
    return c;
}

Status MleConnectivity::write_value(ByteWriter &w) const {
    w.u8(flags);
    w.u8(link_quality_3);
    w.u8(link_quality_2);
    w.u8(link_quality_1);
    w.u8(leader_cost);
    w.u8(id_sequence);
    w.u8(active_routers);
    if (has_sed_info) {
        w.u16(sed_buffer_size);
        w.u8(sed_datagram_count);
    }
    return written(w);
}

bool MleConnectivity::operator==(const MleConnectivity &o) const {
    return flags == o.flags && link_quality_3 == o.link_quality_3 &&
           link_quality_2 == o.link_quality_2 && link_quality_1 == o.link_quality_1 &&
           leader_cost == o.leader_cost && id_sequence == o.id_sequence &&
           active_routers == o.active_routers && has_sed_info == o.has_sed_info &&
           (!has_sed_info ||
            (sed_buffer_size == o.sed_buffer_size && sed_datagram_count == o.sed_datagram_count));
}

// ---- Address Registration ----------------------------------------------------------------------

MleAddressEntry MleAddressEntry::make_compressed(std::uint8_t context_id,
                                                 const std::uint8_t iid[8]) {
    MleAddressEntry e;
    e.compressed = true;
    e.context_id = context_id;
    std::memcpy(e.iid, iid, 8);
    return e;
}

MleAddressEntry MleAddressEntry::make_full(const std::uint8_t address[16]) {
    MleAddressEntry e;
    std::memcpy(e.address, address, 16);
    return e;
}

Status MleAddressEntry::emit(ByteWriter &w) const {
    if (context_id > 0x0f)
        return Error::kInvalidArgument;
    w.u8(static_cast<std::uint8_t>((compressed ? kCompressed : 0) | context_id));
    if (compressed)
        w.bytes(iid, 8);
    else
        w.bytes(address, 16);
    return written(w);
}

bool MleAddressEntry::operator==(const MleAddressEntry &o) const {
    if (compressed != o.compressed || context_id != o.context_id)
        return false;
    return compressed ? std::memcmp(iid, o.iid, 8) == 0 : std::memcmp(address, o.address, 16) == 0;
}

Result<MleAddressRegistration> MleAddressRegistration::parse(ByteSpan value) {
    for (std::size_t pos = 0; pos < value.size;) {
        const std::size_t need = (value[pos] & MleAddressEntry::kCompressed) ? 9 : 17;
        if (value.size - pos < need)
            return Error::kTruncated;
        pos += need;
    }
    MleAddressRegistration a;
    a.entries = value;
    return a;
}

std::size_t MleAddressRegistration::Iterator::entry_size() const {
    return (b_[pos_] & MleAddressEntry::kCompressed) ? 9 : 17;
}

MleAddressEntry MleAddressRegistration::Iterator::operator*() const {
    MleAddressEntry e;
    if (pos_ >= b_.size || b_.size - pos_ < entry_size())
        return e;  // only for entries not checked by parse()
    const std::uint8_t c = b_[pos_];
    e.compressed = (c & MleAddressEntry::kCompressed) != 0;
    e.context_id = c & 0x0f;
    if (e.compressed)
        std::memcpy(e.iid, b_.data + pos_ + 1, 8);
    else
        std::memcpy(e.address, b_.data + pos_ + 1, 16);
    return e;
}

MleAddressRegistration::Iterator &MleAddressRegistration::Iterator::operator++() {
    const std::size_t n = entry_size();
    pos_ = b_.size - pos_ < n ? b_.size : pos_ + n;
    return *this;
}

std::size_t MleAddressRegistration::end_pos() const {
    // The offset the iteration stops at: the end, or the first entry that does not fit.
    std::size_t pos = 0;
    while (pos < entries.size) {
        const std::size_t n = (entries[pos] & MleAddressEntry::kCompressed) ? 9 : 17;
        if (entries.size - pos < n)
            return entries.size;
        pos += n;
    }
    return pos;
}

std::size_t MleAddressRegistration::count() const {
    std::size_t n = 0;
    for (Iterator i = begin(); i != end(); ++i)
        ++n;
    return n;
}

Status MleAddressRegistration::write_value(ByteWriter &w) const {
    if (!parse(entries))
        return Error::kInvalidArgument;
    w.bytes(entries);
    return written(w);
}

}  // namespace meshwork::wire
