#include "NeighborCache.h"

#include <vector>

namespace meshwork::stack {

const char *neighbor_state_name(NeighborState s) {
    switch (s) {
        case NeighborState::kIncomplete:
            return "INCOMPLETE";
        case NeighborState::kReachable:
            return "REACHABLE";
        case NeighborState::kStale:
            return "STALE";
        case NeighborState::kDelay:
            return "DELAY";
        case NeighborState::kProbe:
            return "PROBE";
    }
    return "?";
}

const NeighborCache::Entry *NeighborCache::find(const wire::Ip6Address &ip) const {
    auto it = entries_.find(ip);
    return it == entries_.end() ? nullptr : &it->second;
}

void NeighborCache::remove(const wire::Ip6Address &ip) {
    auto it = entries_.find(ip);
    if (it == entries_.end())
        return;
    const bool router = it->second.is_router;
    entries_.erase(it);
    if (router)
        hooks_.router_lost(ip);
}

NeighborCache::Entry *NeighborCache::create(const wire::Ip6Address &ip, Instant now) {
    if (entries_.size() >= params_.max_entries) {
        // Make room: prefer a STALE entry that is not a router and has nothing queued.
        auto victim = entries_.end();
        for (auto it = entries_.begin(); it != entries_.end(); ++it) {
            if (it->second.state == NeighborState::kStale && !it->second.is_router) {
                victim = it;
                break;
            }
        }
        if (victim == entries_.end())
            return nullptr;
        entries_.erase(victim);
    }
    return &entries_[ip];
}

void NeighborCache::flush(const wire::Ip6Address &ip, Entry &e) {
    // Send what waited for resolution, in order (7.2.2).
    std::deque<PacketBuffer> q;
    q.swap(e.queue);
    for (auto &p : q)
        hooks_.transmit(e.lladdr, std::move(p));
}

void NeighborCache::set_router(const wire::Ip6Address &ip, Entry &e, bool router) {
    const bool was = e.is_router;
    e.is_router = router;
    if (was && !router)
        hooks_.router_lost(ip);
}

void NeighborCache::output(const wire::Ip6Address &next_hop, PacketBuffer packet, Instant now) {
    auto it = entries_.find(next_hop);
    if (it == entries_.end()) {
        Entry *e = create(next_hop, now);
        if (!e) {
            hooks_.dropped(StackDrop::kNdQueueFull);
            return;
        }
        e->state = NeighborState::kIncomplete;
        e->probes = 1;
        e->deadline = saturating_add(now, params_.retrans_timer);
        e->queue.push_back(std::move(packet));
        hooks_.send_solicitation(next_hop, nullptr);
        return;
    }
    Entry &e = it->second;
    switch (e.state) {
        case NeighborState::kIncomplete:
            if (e.queue.size() >= params_.max_queue) {
                e.queue.pop_front();  // 7.2.2: replace the oldest
                hooks_.dropped(StackDrop::kNdQueueFull);
            }
            e.queue.push_back(std::move(packet));
            return;
        case NeighborState::kStale:
            // 7.3.3: the first send to a STALE neighbour starts the DELAY timer.
            e.state = NeighborState::kDelay;
            e.deadline = saturating_add(now, params_.delay_first_probe);
            break;
        case NeighborState::kReachable:
        case NeighborState::kDelay:
        case NeighborState::kProbe:
            break;
    }
    hooks_.transmit(e.lladdr, std::move(packet));
}

void NeighborCache::on_advertisement(const wire::Ip6Address &target, const LinkAddress *tllao,
                                     bool solicited, bool override_flag, bool router, Instant now) {
    auto it = entries_.find(target);
    if (it == entries_.end())
        return;  // 7.2.5: no entry, silently discard (no unsolicited entries from NAs)
    Entry &e = it->second;
    if (e.state == NeighborState::kIncomplete) {
        if (!tllao || tllao->empty())
            return;
        e.lladdr = *tllao;
        if (solicited)
            set_reachable(e, now);
        else
            set_stale(e);
        set_router(target, e, router);
        flush(target, e);
        return;
    }
    const bool differs = tllao && !tllao->empty() && *tllao != e.lladdr;
    if (!override_flag && differs) {
        // A different address without Override: only demote a REACHABLE entry.
        if (e.state == NeighborState::kReachable)
            set_stale(e);
        return;
    }
    if (tllao && !tllao->empty())
        e.lladdr = *tllao;
    if (solicited)
        set_reachable(e, now);
    else if (differs)
        set_stale(e);
    set_router(target, e, router);
}

void NeighborCache::on_link_address(const wire::Ip6Address &ip, const LinkAddress &lladdr,
                                    Instant now, std::optional<bool> router) {
    if (lladdr.empty())
        return;
    auto it = entries_.find(ip);
    if (it == entries_.end()) {
        Entry *e = create(ip, now);
        if (!e)
            return;
        e->lladdr = lladdr;
        set_stale(*e);
        if (router)
            e->is_router = *router;
        return;
    }
    Entry &e = it->second;
    if (router)
        set_router(ip, e, *router);
    if (e.state == NeighborState::kIncomplete) {
        e.lladdr = lladdr;
        set_stale(e);
        flush(ip, e);
        return;
    }
    if (lladdr != e.lladdr) {
        e.lladdr = lladdr;
        set_stale(e);
    }
}

void NeighborCache::confirm_reachable(const wire::Ip6Address &ip, Instant now) {
    auto it = entries_.find(ip);
    if (it != entries_.end() && it->second.state != NeighborState::kIncomplete)
        set_reachable(it->second, now);
}

Instant NeighborCache::next_deadline() const {
    Instant next = kNever;
    for (const auto &kv : entries_)
        if (kv.second.deadline < next)
            next = kv.second.deadline;
    return next;
}

void NeighborCache::poll(Instant now) {
    std::vector<wire::Ip6Address> dead;
    for (auto &kv : entries_) {
        Entry &e = kv.second;
        if (e.deadline > now)
            continue;
        switch (e.state) {
            case NeighborState::kIncomplete:
                if (e.probes >= params_.max_multicast_solicit) {
                    dead.push_back(kv.first);
                } else {
                    ++e.probes;
                    e.deadline = saturating_add(now, params_.retrans_timer);
                    hooks_.send_solicitation(kv.first, nullptr);
                }
                break;
            case NeighborState::kReachable:
                set_stale(e);
                break;
            case NeighborState::kDelay:
                e.state = NeighborState::kProbe;
                e.probes = 1;
                e.deadline = saturating_add(now, params_.retrans_timer);
                hooks_.send_solicitation(kv.first, &e.lladdr);
                break;
            case NeighborState::kProbe:
                if (e.probes >= params_.max_unicast_solicit) {
                    dead.push_back(kv.first);
                } else {
                    ++e.probes;
                    e.deadline = saturating_add(now, params_.retrans_timer);
                    hooks_.send_solicitation(kv.first, &e.lladdr);
                }
                break;
            case NeighborState::kStale:
                e.deadline = kNever;
                break;
        }
    }
    for (const auto &ip : dead) {
        auto it = entries_.find(ip);
        std::deque<PacketBuffer> q;
        q.swap(it->second.queue);
        remove(ip);
        for (auto &p : q)
            hooks_.unreachable(ip, std::move(p));
    }
}

}  // namespace meshwork::stack
