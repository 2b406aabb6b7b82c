#include "core/TimerQueue.h"

#include <vector>

namespace meshwork {

TimerQueue::Id TimerQueue::schedule(Instant deadline, Callback cb) {
    const Id id = next_id_++;
    const Key key{deadline, next_order_++};
    entries_.emplace(key, Entry{id, std::move(cb)});
    index_.emplace(id, key);
    return id;
}

bool TimerQueue::cancel(Id id) {
    auto it = index_.find(id);
    if (it == index_.end())
        return false;
    entries_.erase(it->second);
    index_.erase(it);
    return true;
}

bool TimerQueue::reschedule(Id id, Instant deadline) {
    auto it = index_.find(id);
    if (it == index_.end())
        return false;
    auto node = entries_.extract(it->second);
    const Key key{deadline, next_order_++};
    node.key() = key;
    entries_.insert(std::move(node));
    it->second = key;
    return true;
}

Instant TimerQueue::deadline_of(Id id) const {
    auto it = index_.find(id);
    return it == index_.end() ? kNever : it->second.deadline;
}

Instant TimerQueue::next_deadline() const {
    return entries_.empty() ? kNever : entries_.begin()->first.deadline;
}

std::size_t TimerQueue::run_due(Instant now) {
    if (entries_.empty() || entries_.begin()->first.deadline > now)
        return 0;
    // Snapshot the due ids first: callbacks may cancel, reschedule or add timers.
    std::vector<Id> due;
    for (auto it = entries_.begin(); it != entries_.end() && it->first.deadline <= now; ++it) {
        due.push_back(it->second.id);
    }
    std::size_t fired = 0;
    for (Id id : due) {
        auto it = index_.find(id);
        if (it == index_.end() || it->second.deadline > now)
            continue;  // cancelled or moved
        auto node = entries_.extract(it->second);
        index_.erase(it);
        Callback cb = std::move(node.mapped().cb);
        ++fired;
        if (cb)
            cb();
    }
    return fired;
}

void TimerQueue::clear() {
    entries_.clear();
    index_.clear();
}

}  // namespace meshwork
