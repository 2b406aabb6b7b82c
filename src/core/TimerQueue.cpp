#include "core/TimerQueue.h"

namespace meshwork {

TimerQueue::Id TimerQueue::schedule(Instant deadline, Callback cb) {
    const Id id = next_id_++;
    const Key key{deadline, next_order_++};
    if (!spare_entries_.empty() && !spare_index_.empty()) {
        Entries::node_type entry = std::move(spare_entries_.back());
        spare_entries_.pop_back();
        Index::node_type index = std::move(spare_index_.back());
        spare_index_.pop_back();
        entry.key() = key;
        entry.mapped().id = id;
        entry.mapped().cb = std::move(cb);
        index.key() = id;
        index.mapped() = key;
        entries_.insert(std::move(entry));
        index_.insert(std::move(index));
        return id;
    }
    entries_.emplace(key, Entry{id, std::move(cb)});
    index_.emplace(id, key);
    return id;
}

void TimerQueue::recycle(Entries::node_type entry, Index::node_type index) {
    entry.mapped().cb = nullptr;  // release what the callback captured now, not on reuse
    if (spare_entries_.size() < kSpareNodes) {
        spare_entries_.push_back(std::move(entry));
        spare_index_.push_back(std::move(index));
    }
}

bool TimerQueue::cancel(Id id) {
    auto it = index_.find(id);
    if (it == index_.end())
        return false;
    Entries::node_type entry = entries_.extract(it->second);
    recycle(std::move(entry), index_.extract(it));
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

bool TimerQueue::run_one_due(Instant now, std::uint64_t mark) {
    auto it = entries_.begin();
    // Timers scheduled after the mark (usually by callbacks of this run) are skipped, not run.
    while (it != entries_.end() && it->first.deadline <= now && it->first.order >= mark)
        ++it;
    if (it == entries_.end() || it->first.deadline > now)
        return false;
    Entries::node_type entry = entries_.extract(it);
    Callback cb = std::move(entry.mapped().cb);
    Index::node_type index = index_.extract(entry.mapped().id);
    recycle(std::move(entry), std::move(index));
    if (cb)
        cb();  // last: the callback may schedule, cancel or clear
    return true;
}

std::size_t TimerQueue::run_due(Instant now) {
    const std::uint64_t mark = order_mark();
    std::size_t fired = 0;
    while (run_one_due(now, mark))
        ++fired;
    return fired;
}

void TimerQueue::clear() {
    entries_.clear();
    index_.clear();
}

}  // namespace meshwork
