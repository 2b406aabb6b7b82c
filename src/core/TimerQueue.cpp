#include "core/TimerQueue.h"

namespace meshwork {

namespace {
// An id is (generation << 32) | (slot + 1), so 0 is never valid.
TimerQueue::Id make_id(std::uint32_t slot, std::uint32_t generation) {
    return static_cast<TimerQueue::Id>(generation) << 32 | (static_cast<TimerQueue::Id>(slot) + 1);
}
}  // namespace

const TimerQueue::Slot *TimerQueue::find(Id id) const {
    const auto low = static_cast<std::uint32_t>(id);
    if (low == 0 || low > slots_.size())
        return nullptr;
    const Slot &s = slots_[low - 1];
    return s.live && s.generation == static_cast<std::uint32_t>(id >> 32) ? &s : nullptr;
}

TimerQueue::Id TimerQueue::schedule(Instant deadline, Callback cb) {
    std::uint32_t slot;
    if (!free_slots_.empty()) {
        slot = free_slots_.back();
        free_slots_.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(slots_.size());
        slots_.emplace_back();
    }
    const Key key{deadline, next_order_++};
    Entries::iterator it;
    if (!spare_nodes_.empty()) {
        Entries::node_type node = std::move(spare_nodes_.back());
        spare_nodes_.pop_back();
        node.key() = key;
        node.mapped().slot = slot;
        node.mapped().cb = std::move(cb);
        it = entries_.insert(std::move(node)).position;
    } else {
        it = entries_.emplace(key, Entry{slot, std::move(cb)}).first;
    }
    Slot &s = slots_[slot];
    s.it = it;
    s.live = true;
    return make_id(slot, s.generation);
}

void TimerQueue::release(Entries::node_type node) {
    Slot &s = slots_[node.mapped().slot];
    s.live = false;
    ++s.generation;  // the old id never matches again
    free_slots_.push_back(node.mapped().slot);
    node.mapped().cb = nullptr;  // release what the callback captured now, not on reuse
    if (spare_nodes_.size() < kSpareNodes)
        spare_nodes_.push_back(std::move(node));
}

bool TimerQueue::cancel(Id id) {
    Slot *s = find(id);
    if (!s)
        return false;
    release(entries_.extract(s->it));
    return true;
}

bool TimerQueue::reschedule(Id id, Instant deadline) {
    Slot *s = find(id);
    if (!s)
        return false;
    Entries::node_type node = entries_.extract(s->it);
    node.key() = Key{deadline, next_order_++};
    s->it = entries_.insert(std::move(node)).position;
    return true;
}

Instant TimerQueue::deadline_of(Id id) const {
    const Slot *s = find(id);
    return s ? s->it->first.deadline : kNever;
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
    Entries::node_type node = entries_.extract(it);
    Callback cb = std::move(node.mapped().cb);
    release(std::move(node));
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
    while (!entries_.empty())
        release(entries_.extract(entries_.begin()));
}

}  // namespace meshwork
