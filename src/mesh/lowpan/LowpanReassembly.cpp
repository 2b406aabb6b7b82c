#include "LowpanReassembly.h"

#include <algorithm>
#include <cstring>

#include "wire/Checksum.h"
#include "wire/Ip6Address.h"

namespace meshwork::lowpan {

const char *drop_reason_name(LowpanDrop r) {
    switch (r) {
        case LowpanDrop::kFrameInvalid:
            return "frame-invalid";
        case LowpanDrop::kUnsupportedDispatch:
            return "unsupported-dispatch";
        case LowpanDrop::kNotForUs:
            return "not-for-us";
        case LowpanDrop::kDecompress:
            return "decompress";
        case LowpanDrop::kFragmentInvalid:
            return "fragment-invalid";
        case LowpanDrop::kFragmentOverlap:
            return "fragment-overlap";
        case LowpanDrop::kReassemblyTimeout:
            return "reassembly-timeout";
        case LowpanDrop::kReassemblyLimit:
            return "reassembly-limit";
        case LowpanDrop::kTxQueueFull:
            return "tx-queue-full";
        case LowpanDrop::kNoLinkAddress:
            return "no-link-address";
        case LowpanDrop::kTooBig:
            return "too-big";
        case LowpanDrop::kCompress:
            return "compress";
        case LowpanDrop::kTxFailed:
            return "tx-failed";
        case LowpanDrop::kNoStack:
            return "no-stack";
        case LowpanDrop::kCount:
            break;
    }
    return "?";
}

LowpanReassembler::AddResult LowpanReassembler::add(const wire::MacAddress &src,
                                                    const wire::LowpanFragHeader &h, ByteSpan a,
                                                    ByteSpan b, Instant now, ChecksumFixup fixup) {
    AddResult res;
    auto fail = [&](LowpanDrop r) {
        res.dropped = true;
        res.reason = r;
        return std::move(res);
    };
    const std::size_t size = h.datagram_size;
    const std::size_t offset = h.offset_bytes();
    const std::size_t len = a.size + b.size;
    // Every fragment but the last ends on an 8-byte boundary (RFC 4944 5.3).
    if (size < 40 || len == 0 || offset + len > size ||
        ((offset + len) % 8 != 0 && offset + len != size))
        return fail(LowpanDrop::kFragmentInvalid);

    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry &e) {
        return e.size == h.datagram_size && e.tag == h.datagram_tag && e.src == src;
    });
    if (it == entries_.end()) {
        if (entries_.size() >= limits_.max_datagrams || bytes_ + size > limits_.max_bytes)
            return fail(LowpanDrop::kReassemblyLimit);
        Entry e;
        e.src = src;
        e.size = h.datagram_size;
        e.tag = h.datagram_tag;
        e.data.assign(size, 0);
        e.deadline = saturating_add(now, limits_.timeout);
        entries_.push_back(std::move(e));
        bytes_ += size;
        it = entries_.end() - 1;
    }
    Entry &e = *it;
    const std::size_t first = offset / 8, last = (offset + len + 7) / 8;  // [first, last)
    for (std::size_t u = first; u < last; ++u)
        if (e.units.test(u))
            return fail(LowpanDrop::kFragmentOverlap);
    for (std::size_t u = first; u < last; ++u)
        e.units.set(u);
    e.units_held += last - first;
    if (a.size != 0)
        std::memcpy(e.data.data() + offset, a.data, a.size);
    if (b.size != 0)
        std::memcpy(e.data.data() + offset + a.size, b.data, b.size);
    if (h.first)
        e.fixup = fixup;
    if (e.units_held == (size + 7) / 8) {
        finish_checksum(e.data, e.fixup);
        res.datagram = std::move(e.data);
        bytes_ -= size;
        entries_.erase(it);
    }
    return res;
}

void LowpanReassembler::finish_checksum(std::vector<std::uint8_t> &d, const ChecksumFixup &f) {
    if (!f.pending || f.udp_offset + 8 > d.size() || d.size() < 40)
        return;
    wire::PseudoHeader ph;
    ph.src = wire::Ip6Address::from_bytes(d.data() + 8);
    ph.dst = wire::Ip6Address::from_bytes(d.data() + 24);
    const ByteSpan segment(d.data() + f.udp_offset, d.size() - f.udp_offset);
    std::uint16_t c = wire::Checksum::compute_upper(ph, 17, segment, 6);
    if (c == 0)
        c = 0xffff;
    d[f.udp_offset + 6] = static_cast<std::uint8_t>(c >> 8);
    d[f.udp_offset + 7] = static_cast<std::uint8_t>(c & 0xff);
}

std::size_t LowpanReassembler::expire(Instant now) {
    std::size_t n = 0;
    for (auto it = entries_.begin(); it != entries_.end();) {
        if (it->deadline <= now) {
            bytes_ -= it->size;
            it = entries_.erase(it);
            ++n;
        } else {
            ++it;
        }
    }
    return n;
}

Instant LowpanReassembler::next_deadline() const {
    Instant d = kNever;
    for (const Entry &e : entries_)
        d = std::min(d, e.deadline);
    return d;
}

}  // namespace meshwork::lowpan
