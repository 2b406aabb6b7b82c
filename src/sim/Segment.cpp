#include "sim/Segment.h"

#include <algorithm>

namespace meshwork::sim {

namespace {

std::int64_t to_ns(Instant t) {
    return t.time_since_epoch().count() * 1000;
}

// The first whole microsecond at or after `ns`.
Instant ceil_us(std::int64_t ns) {
    return Instant(Duration((ns + 999) / 1000));
}

}  // namespace

const char *drop_reason_name(PortDrop r) {
    switch (r) {
        case PortDrop::kDown:
            return "down";
        case PortDrop::kTooShort:
            return "too-short";
        case PortDrop::kTooLong:
            return "too-long";
        case PortDrop::kQueueFull:
            return "queue-full";
        case PortDrop::kCount:
            break;
    }
    return "?";
}

Status SegmentPort::send(ByteSpan frame) {
    return segment_.transmit(*this, frame);
}

std::size_t SegmentPort::mtu() const {
    return segment_.config().mtu;
}

void SegmentPort::set_up(bool up) {
    if (up == up_)
        return;
    up_ = up;
    if (!up) {
        // Frames queued or on the wire are counted as lost when their arrival comes.
        ++epoch_;
        waiting_starts_ns_.clear();
        busy_until_ns_ = to_ns(segment_.scheduler().now());
    }
    notify_state(up);
}

std::size_t SegmentPort::queued() const {
    const std::int64_t now = to_ns(segment_.scheduler().now());
    while (!waiting_starts_ns_.empty() && waiting_starts_ns_.front() <= now)
        waiting_starts_ns_.pop_front();
    return waiting_starts_ns_.size();
}

Instant SegmentPort::busy_until() const {
    return std::max(segment_.scheduler().now(), ceil_us(busy_until_ns_));
}

bool SegmentPort::accepts(ByteSpan frame) const {
    if (promiscuous_)
        return true;
    const EthernetAddress dst = EthernetAddress::from(frame);
    return dst.is_group() || dst == address_;
}

Segment::Segment(Scheduler &scheduler, SegmentConfig config)
    : scheduler_(scheduler), config_(config) {}

Segment::~Segment() = default;

SegmentPort &Segment::attach(EthernetAddress address) {
    ports_.push_back(std::unique_ptr<SegmentPort>(new SegmentPort(*this, ports_.size(), address)));
    return *ports_.back();
}

std::int64_t Segment::serialization_ns(std::size_t bytes) const {
    if (config_.bit_rate == 0)
        return 0;
    const std::uint64_t bits = (static_cast<std::uint64_t>(bytes) + config_.per_frame_overhead) * 8;
    // Rounded up: a frame never takes less than its bits need.
    return static_cast<std::int64_t>((bits * 1000000000u + config_.bit_rate - 1) /
                                     config_.bit_rate);
}

Status Segment::transmit(SegmentPort &from, ByteSpan frame) {
    if (!from.up_) {
        from.stats_.drops.count(PortDrop::kDown);
        return Error::kBadState;
    }
    if (frame.size < kEthernetHeaderSize) {
        from.stats_.drops.count(PortDrop::kTooShort);
        return Error::kInvalidArgument;
    }
    if (frame.size > config_.mtu + kEthernetHeaderSize) {
        from.stats_.drops.count(PortDrop::kTooLong);
        return Error::kInvalidArgument;
    }
    const std::int64_t now = to_ns(scheduler_.now());
    const std::int64_t start = std::max(now, from.busy_until_ns_);
    if (start > now) {
        if (config_.queue_limit != 0 && from.queued() >= config_.queue_limit) {
            from.stats_.drops.count(PortDrop::kQueueFull);
            return Error::kNoSpace;
        }
        from.waiting_starts_ns_.push_back(start);
    }
    from.busy_until_ns_ = start + serialization_ns(frame.size);
    ++from.stats_.tx_frames;
    from.stats_.tx_bytes += frame.size;

    const Instant arrival = saturating_add(ceil_us(from.busy_until_ns_), config_.latency);
    std::weak_ptr<char> alive = alive_;
    std::vector<std::uint8_t> bytes(frame.begin(), frame.end());
    scheduler_.at(
        arrival, [this, alive, index = from.index_, epoch = from.epoch_, bytes = std::move(bytes)] {
            if (alive.expired())
                return;
            arrive(index, epoch, ByteSpan(bytes.data(), bytes.size()));
        });
    return Status();
}

void Segment::arrive(std::size_t from, std::uint64_t epoch, ByteSpan frame) {
    SegmentPort &sender = *ports_[from];
    if (sender.epoch_ != epoch) {
        sender.stats_.drops.count(PortDrop::kDown);
        return;
    }
    if (tap_ != nullptr)
        tap_->record_frame(scheduler_.now(), LinkDirection::kTransmit, frame);
    // Ports attached by a receiver during delivery do not hear this frame.
    const std::size_t n = ports_.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i == from)
            continue;
        SegmentPort &port = *ports_[i];
        if (!port.up_) {
            port.stats_.drops.count(PortDrop::kDown);
            continue;
        }
        if (!port.accepts(frame)) {
            ++port.stats_.filtered;
            continue;
        }
        ++port.stats_.rx_frames;
        port.stats_.rx_bytes += frame.size;
        port.deliver(frame);
    }
}

}  // namespace meshwork::sim
