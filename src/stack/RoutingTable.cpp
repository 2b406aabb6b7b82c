#include "RoutingTable.h"

namespace meshwork::stack {

void RoutingTable::add(Route r) {
    r.prefix = r.prefix.masked(r.prefix_length);
    for (auto &e : routes_) {
        if (e.same_key(r)) {
            e = r;
            return;
        }
    }
    routes_.push_back(r);
}

bool RoutingTable::remove(const Route &key) {
    Route k = key;
    k.prefix = k.prefix.masked(k.prefix_length);
    for (auto it = routes_.begin(); it != routes_.end(); ++it) {
        if (it->same_key(k)) {
            routes_.erase(it);
            return true;
        }
    }
    return false;
}

std::size_t RoutingTable::remove_if(const std::function<bool(const Route &)> &pred) {
    std::size_t n = 0;
    for (auto it = routes_.begin(); it != routes_.end();) {
        if (pred(*it)) {
            it = routes_.erase(it);
            ++n;
        } else {
            ++it;
        }
    }
    return n;
}

const Route *RoutingTable::lookup(const wire::Ip6Address &dst,
                                  const std::function<bool(const Route &)> &preferred) const {
    const Route *best = nullptr;
    bool best_pref = false;
    for (const auto &r : routes_) {
        if (!dst.matches_prefix(r.prefix, r.prefix_length))
            continue;
        const bool pref = preferred ? preferred(r) : true;
        if (!best || r.prefix_length > best->prefix_length) {
            best = &r;
            best_pref = pref;
            continue;
        }
        if (r.prefix_length < best->prefix_length)
            continue;
        if (pref != best_pref) {
            if (pref) {
                best = &r;
                best_pref = pref;
            }
            continue;
        }
        if (r.metric < best->metric) {
            best = &r;
            best_pref = pref;
        }
    }
    return best;
}

Instant RoutingTable::next_deadline() const {
    Instant next = kNever;
    for (const auto &r : routes_)
        if (r.expires < next)
            next = r.expires;
    return next;
}

std::size_t RoutingTable::poll(Instant now) {
    return remove_if([now](const Route &r) { return r.expires <= now; });
}

}  // namespace meshwork::stack
