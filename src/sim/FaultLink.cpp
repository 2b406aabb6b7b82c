#include "sim/FaultLink.h"

#include <algorithm>

namespace meshwork::sim {

namespace {

std::size_t slot(LinkDirection d) {
    return d == LinkDirection::kTransmit ? 0 : 1;
}

}  // namespace

bool draw_chance(Random &rng, double p) {
    // 53 random bits as a double in [0, 1): exact, and p = 1 always holds, p = 0 never.
    const double u = static_cast<double>(rng.next_u64() >> 11) * 0x1.0p-53;
    return u < p;
}

Status FaultLink::handle(LinkDirection d, ByteSpan frame) {
    if (!includes(directions_, d))
        return forward(d, frame);
    ++stats_.frames;
    return apply(d, frame);
}

Scheduler::EventId FaultLink::forward_at(Scheduler &scheduler, Instant at, LinkDirection d,
                                         ByteSpan frame) {
    std::weak_ptr<char> alive = alive_;
    std::vector<std::uint8_t> bytes(frame.begin(), frame.end());
    return scheduler.at(at, [this, alive, d, bytes = std::move(bytes)] {
        if (alive.expired())
            return;
        if (!forward(d, ByteSpan(bytes.data(), bytes.size())).ok())
            ++stats_.forward_failures;
    });
}

Status LossLink::apply(LinkDirection d, ByteSpan frame) {
    if (draw_chance(rng_, config_.probability)) {
        ++stats_.affected;
        return Status();  // lost on the way: not an error of send()
    }
    return forward(d, frame);
}

Status DelayLink::apply(LinkDirection d, ByteSpan frame) {
    if (config_.delay.count() <= 0)
        return forward(d, frame);
    ++stats_.affected;
    forward_at(scheduler_, saturating_add(scheduler_.now(), config_.delay), d, frame);
    return Status();
}

Status JitterLink::apply(LinkDirection d, ByteSpan frame) {
    const auto max =
        static_cast<std::uint64_t>(std::max<std::int64_t>(config_.max_jitter.count(), 0));
    // Uniform in [0, max]: one draw, unbiased for bounds below 2^32.
    const Duration jitter(max < UINT32_MAX ? rng_.uniform(static_cast<std::uint32_t>(max + 1))
                                           : rng_.next_u64() % (max + 1));
    total_ += jitter;
    Instant release = saturating_add(scheduler_.now(), jitter);
    Instant &last = last_release_[slot(d)];
    if (config_.keep_order)
        release = std::max(release, last);
    last = std::max(last, release);
    if (release == scheduler_.now() && !config_.keep_order)
        return forward(d, frame);
    // Kept in order, even a frame without jitter waits for the held ones before it: an event at
    // the same instant runs after those already scheduled.
    if (release > scheduler_.now())
        ++stats_.affected;
    forward_at(scheduler_, release, d, frame);
    return Status();
}

Status DuplicateLink::apply(LinkDirection d, ByteSpan frame) {
    const bool twice = draw_chance(rng_, config_.probability);
    Status s = forward(d, frame);
    if (twice && s.ok()) {
        ++stats_.affected;
        (void)forward(d, frame);
    }
    return s;
}

ReorderLink::~ReorderLink() {
    for (Held &h : held_) {
        if (h.present)
            scheduler_.cancel(h.timeout);
    }
}

Status ReorderLink::apply(LinkDirection d, ByteSpan frame) {
    Held &h = held_[slot(d)];
    if (h.present) {
        // The next frame overtakes the held one.
        Status s = forward(d, frame);
        scheduler_.cancel(h.timeout);
        ++reordered_;
        release(d);
        return s;
    }
    if (!draw_chance(rng_, config_.probability))
        return forward(d, frame);
    ++stats_.affected;
    h.present = true;
    h.bytes.assign(frame.begin(), frame.end());
    h.timeout = scheduler_.after(config_.max_hold, [this, d] {
        ++timeouts_;
        release(d);
    });
    return Status();
}

void ReorderLink::release(LinkDirection d) {
    Held &h = held_[slot(d)];
    h.present = false;
    // Moved out first: forwarding may re-enter (a receiver that answers at once).
    std::vector<std::uint8_t> bytes = std::move(h.bytes);
    h.bytes.clear();
    if (!forward(d, ByteSpan(bytes.data(), bytes.size())).ok())
        ++stats_.forward_failures;
}

Status CorruptLink::apply(LinkDirection d, ByteSpan frame) {
    if (!draw_chance(rng_, config_.probability))
        return forward(d, frame);
    const std::size_t first = std::min(config_.protected_bytes, frame.size);
    const std::uint64_t bits = static_cast<std::uint64_t>(frame.size - first) * 8;
    const std::uint32_t flips =
        static_cast<std::uint32_t>(std::min<std::uint64_t>(config_.bit_flips, bits));
    if (flips == 0 || bits > UINT32_MAX)
        return forward(d, frame);
    scratch_.assign(frame.begin(), frame.end());
    positions_.clear();
    while (positions_.size() < flips) {
        const std::uint32_t bit = rng_.uniform(static_cast<std::uint32_t>(bits));
        if (std::find(positions_.begin(), positions_.end(), bit) != positions_.end())
            continue;  // distinct bits: flipping one twice would undo it
        positions_.push_back(bit);
        scratch_[first + bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    }
    ++stats_.affected;
    bits_flipped_ += flips;
    // The copy is forwarded synchronously; a re-entrant frame would reuse scratch_ only after.
    std::vector<std::uint8_t> out;
    out.swap(scratch_);
    Status s = forward(d, ByteSpan(out.data(), out.size()));
    out.swap(scratch_);
    return s;
}

}  // namespace meshwork::sim
