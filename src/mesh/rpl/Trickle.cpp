#include "Trickle.h"

namespace meshwork::rpl {

Duration Trickle::imax() const {
    Duration d = cfg_.imin;
    for (unsigned i = 0; i < cfg_.doublings && d < std::chrono::hours(24 * 365); ++i)
        d *= 2;
    return d;
}

void Trickle::start(Instant now) {
    running_ = true;
    i_ = cfg_.imin;
    begin_interval(now);
}

void Trickle::reset(Instant now) {
    if (!running_) {
        start(now);
        return;
    }
    if (i_ > cfg_.imin) {
        i_ = cfg_.imin;
        begin_interval(now);
    }
}

void Trickle::begin_interval(Instant start) {
    // Step 2: c = 0, t uniformly in [I/2, I).
    interval_start_ = start;
    c_ = 0;
    fired_ = false;
    const auto half = std::chrono::duration_cast<std::chrono::microseconds>(i_) / 2;
    const auto span = static_cast<std::uint64_t>(half.count());
    const auto off = span == 0 ? 0 : random_.next_u64() % span;
    t_ = start + half + std::chrono::microseconds(static_cast<std::int64_t>(off));
}

Instant Trickle::next_deadline() const {
    if (!running_)
        return kNever;
    return fired_ ? interval_start_ + i_ : t_;
}

bool Trickle::poll(Instant now) {
    if (!running_)
        return false;
    bool send = false;
    for (;;) {
        if (!fired_) {
            if (now < t_)
                break;
            fired_ = true;
            // Step 4: transmit unless k or more consistent messages were heard.
            if (cfg_.k == 0 || c_ < cfg_.k) {
                send = true;
                ++transmitted_;
            } else {
                ++suppressed_;
            }
            continue;
        }
        const Instant end = interval_start_ + i_;
        if (now < end)
            break;
        // Step 5: double, up to Imax, and start the next interval.
        const Duration mx = imax();
        i_ = i_ * 2 > mx ? mx : i_ * 2;
        begin_interval(end);
    }
    return send;
}

}  // namespace meshwork::rpl
