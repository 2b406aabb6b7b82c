#include "Reassembler.h"

#include <cstring>

#include "wire/Ip6.h"

namespace meshwork::stack {

void Reassembler::discard(Datagram &d) {
    bytes_ -= d.bytes;
    d.bytes = 0;
    d.pieces.clear();
}

bool Reassembler::complete(const Datagram &d) const {
    if (!d.have_last || d.pieces.empty())
        return false;
    std::size_t covered = 0;
    for (const auto &kv : d.pieces) {
        if (kv.first != covered)
            return false;
        covered += kv.second.length;
    }
    return covered == d.total;
}

Reassembler::Outcome Reassembler::add(const FragmentIn &f, const wire::Ip6Address &src,
                                      const wire::Ip6Address &dst, Instant now, PacketBuffer &out,
                                      StackDrop &reason) {
    const std::size_t data_start = f.frag_offset + wire::kIp6FragmentHeaderSize;
    const std::size_t length = f.packet.size - data_start;
    const std::size_t offset = f.header.byte_offset();
    const Key key{src, dst, f.header.identification};

    auto it = datagrams_.find(key);
    if (it == datagrams_.end()) {
        if (datagrams_.size() >= limits_.max_datagrams) {
            reason = StackDrop::kReassemblyLimit;
            return Outcome::kDropped;
        }
        it = datagrams_.emplace(key, Datagram{}).first;
        it->second.deadline = saturating_add(now, limits_.timeout);
    }
    Datagram &d = it->second;
    if (d.poisoned) {
        reason = StackDrop::kFragmentOverlap;
        return Outcome::kDropped;
    }
    const std::size_t end = offset + length;
    // The last fragment fixes the total; a disagreement is a malformed datagram.
    if (!f.header.more) {
        if ((d.have_last && d.total != end) ||
            (!d.pieces.empty() &&
             d.pieces.rbegin()->first + d.pieces.rbegin()->second.length > end)) {
            discard(d);
            datagrams_.erase(it);
            reason = StackDrop::kFragmentInvalid;
            return Outcome::kDropped;
        }
    } else if (d.have_last && end > d.total) {
        discard(d);
        datagrams_.erase(it);
        reason = StackDrop::kFragmentInvalid;
        return Outcome::kDropped;
    }
    // Overlap check against the neighbours (RFC 5722); an identical duplicate is harmless.
    for (const auto &kv : d.pieces) {
        const std::size_t o = kv.first, e = kv.first + kv.second.length;
        if (o == offset && e == end) {
            reason = StackDrop::kFragmentOverlap;  // counted, but the datagram lives on
            return Outcome::kPending;
        }
        if (offset < e && o < end) {
            discard(d);
            d.poisoned = true;
            reason = StackDrop::kFragmentOverlap;
            return Outcome::kDropped;
        }
    }
    if (bytes_ + f.packet.size > limits_.max_bytes) {
        reason = StackDrop::kReassemblyLimit;
        if (d.pieces.empty())
            datagrams_.erase(it);
        return Outcome::kDropped;
    }
    auto buf = pool_.allocate(0, f.packet.size);
    if (!buf) {
        reason = StackDrop::kNoMemory;
        if (d.pieces.empty())
            datagrams_.erase(it);
        return Outcome::kDropped;
    }
    (void)buf->append(f.packet);
    d.pieces.emplace(offset, Piece{length, data_start, std::move(*buf), f.frag_offset,
                                   f.prev_nh_offset, f.header.next_header});
    d.bytes += f.packet.size;
    bytes_ += f.packet.size;
    if (!f.header.more) {
        d.have_last = true;
        d.total = end;
    }
    if (!complete(d))
        return Outcome::kPending;
    return assemble(it, out, reason);
}

Reassembler::Outcome Reassembler::assemble(std::map<Key, Datagram>::iterator it, PacketBuffer &out,
                                           StackDrop &reason) {
    Datagram &d = it->second;
    const Piece &first = d.pieces.begin()->second;
    const std::size_t unfrag = first.frag_offset;
    const std::size_t total_payload = unfrag - wire::kIp6HeaderSize + d.total;
    if (total_payload > 0xffff) {
        discard(d);
        datagrams_.erase(it);
        reason = StackDrop::kFragmentInvalid;
        return Outcome::kDropped;
    }
    auto buf = pool_.allocate(headroom_, unfrag + d.total);
    if (!buf) {
        discard(d);
        datagrams_.erase(it);
        reason = StackDrop::kNoMemory;
        return Outcome::kDropped;
    }
    auto area = buf->append(unfrag + d.total);
    std::uint8_t *p = area->data;
    std::memcpy(p, first.packet.data().data, unfrag);
    p[4] = static_cast<std::uint8_t>(total_payload >> 8);
    p[5] = static_cast<std::uint8_t>(total_payload);
    p[first.prev_nh_offset] = first.next_header;
    for (const auto &kv : d.pieces)
        std::memcpy(p + unfrag + kv.first, kv.second.packet.data().data + kv.second.data_start,
                    kv.second.length);
    discard(d);
    datagrams_.erase(it);
    out = std::move(*buf);
    return Outcome::kComplete;
}

Instant Reassembler::next_deadline() const {
    Instant next = kNever;
    for (const auto &kv : datagrams_)
        if (kv.second.deadline < next)
            next = kv.second.deadline;
    return next;
}

std::size_t Reassembler::poll(Instant now,
                              const std::function<void(ByteSpan first_fragment)> &on_timeout) {
    std::size_t n = 0;
    for (auto it = datagrams_.begin(); it != datagrams_.end();) {
        Datagram &d = it->second;
        if (d.deadline > now) {
            ++it;
            continue;
        }
        if (!d.poisoned) {
            ++n;
            auto first = d.pieces.find(0);
            if (first != d.pieces.end() && on_timeout)
                on_timeout(first->second.packet.data());
        }
        discard(d);
        it = datagrams_.erase(it);
    }
    return n;
}

}  // namespace meshwork::stack
