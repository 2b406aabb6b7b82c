#include "PmtuCache.h"

#include "wire/Ip6.h"

namespace meshwork::stack {

bool PmtuCache::on_packet_too_big(const wire::Ip6Address &dst, std::uint32_t mtu, Instant now) {
    if (mtu < wire::kIp6MinMtu)
        mtu = wire::kIp6MinMtu;
    auto it = entries_.find(dst);
    if (it != entries_.end()) {
        if (mtu >= it->second.mtu)
            return false;  // RFC 8201 4: a PTB never raises the estimate
        it->second = Entry{mtu, saturating_add(now, lifetime_)};
        return true;
    }
    if (max_entries_ == 0)
        return false;
    if (entries_.size() >= max_entries_) {
        auto oldest = entries_.begin();
        for (auto i = entries_.begin(); i != entries_.end(); ++i)
            if (i->second.expires < oldest->second.expires)
                oldest = i;
        entries_.erase(oldest);
    }
    entries_.emplace(dst, Entry{mtu, saturating_add(now, lifetime_)});
    return true;
}

std::size_t PmtuCache::mtu(const wire::Ip6Address &dst, std::size_t link_mtu) const {
    auto it = entries_.find(dst);
    if (it == entries_.end() || it->second.mtu >= link_mtu)
        return link_mtu;
    return it->second.mtu;
}

Instant PmtuCache::next_deadline() const {
    Instant next = kNever;
    for (const auto &kv : entries_)
        if (kv.second.expires < next)
            next = kv.second.expires;
    return next;
}

void PmtuCache::poll(Instant now) {
    for (auto it = entries_.begin(); it != entries_.end();) {
        if (it->second.expires <= now)
            it = entries_.erase(it);
        else
            ++it;
    }
}

}  // namespace meshwork::stack
