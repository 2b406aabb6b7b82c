// A table of entries keyed by K, each with an expiry time, for protocol state that grows with
// the network (a 6LBR's registry, an RPL root's DAO routes): lookup, update and the next expiry
// in O(log n), so a table of thousands of entries costs per event what a small one does.
// V is a struct with a member `Instant expires`; the table keeps its expiry index in step, so
// entries are changed only through upsert() / set_expires().
#pragma once

#include <cstddef>
#include <iterator>
#include <map>
#include <set>
#include <utility>

#include "core/Time.h"

namespace meshwork {

template <class K, class V>
class ExpiringTable {
    using Map = std::map<K, V>;

  public:
    /// Iterates the entries (values) in key order.
    class const_iterator {
      public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = V;
        using difference_type = std::ptrdiff_t;
        using pointer = const V *;
        using reference = const V &;
        const_iterator() = default;
        explicit const_iterator(typename Map::const_iterator it) : it_(it) {}
        reference operator*() const { return it_->second; }
        pointer operator->() const { return &it_->second; }
        const_iterator &operator++() {
            ++it_;
            return *this;
        }
        const_iterator operator++(int) {
            const_iterator t = *this;
            ++it_;
            return t;
        }
        bool operator==(const const_iterator &o) const { return it_ == o.it_; }
        bool operator!=(const const_iterator &o) const { return it_ != o.it_; }

      private:
        typename Map::const_iterator it_;
    };

    const_iterator begin() const { return const_iterator(items_.begin()); }
    const_iterator end() const { return const_iterator(items_.end()); }
    std::size_t size() const { return items_.size(); }
    bool empty() const { return items_.empty(); }

    const V *find(const K &k) const {
        auto it = items_.find(k);
        return it == items_.end() ? nullptr : &it->second;
    }

    /// Inserts or replaces the entry of `k`.
    void upsert(const K &k, V v) {
        auto it = items_.find(k);
        if (it != items_.end()) {
            unindex(k, it->second.expires);
            it->second = std::move(v);
        } else {
            it = items_.emplace(k, std::move(v)).first;
        }
        index(k, it->second.expires);
    }

    /// Moves the expiry of an existing entry; false if there is none.
    bool set_expires(const K &k, Instant expires) {
        auto it = items_.find(k);
        if (it == items_.end())
            return false;
        unindex(k, it->second.expires);
        it->second.expires = expires;
        index(k, expires);
        return true;
    }

    bool erase(const K &k) {
        auto it = items_.find(k);
        if (it == items_.end())
            return false;
        unindex(k, it->second.expires);
        items_.erase(it);
        return true;
    }

    void clear() {
        items_.clear();
        by_expiry_.clear();
    }

    /// The earliest expiry (kNever if none expires).
    Instant next_expiry() const { return by_expiry_.empty() ? kNever : by_expiry_.begin()->first; }

    /// Removes every entry expired at `now` (expires <= now), earliest first, calling
    /// `on_expired(const V &)` for each after its removal.
    template <class F>
    void expire(Instant now, F &&on_expired) {
        while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
            const K k = by_expiry_.begin()->second;
            by_expiry_.erase(by_expiry_.begin());
            auto it = items_.find(k);
            if (it == items_.end())
                continue;
            V v = std::move(it->second);
            items_.erase(it);
            on_expired(v);
        }
    }
    void expire(Instant now) {
        expire(now, [](const V &) {});
    }

  private:
    void index(const K &k, Instant t) {
        if (t != kNever)
            by_expiry_.emplace(t, k);
    }
    void unindex(const K &k, Instant t) {
        if (t != kNever)
            by_expiry_.erase({t, k});
    }

    Map items_;
    std::set<std::pair<Instant, K>> by_expiry_;  // entries that expire, earliest first
};

}  // namespace meshwork
