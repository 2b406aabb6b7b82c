// Shared by the link tests (tests/unit/sim, tests/scenario/links, tests/interop/links): frames
// with a sequence number, and a receiver that records what arrives and when.
#pragma once

#include <cstdint>
#include <vector>

#include "core/Link.h"
#include "sim/Scheduler.h"

namespace meshwork::sim::testkit {

inline EthernetAddress mac(std::uint8_t last) {
    return EthernetAddress{{0x02, 0x00, 0x00, 0x00, 0x00, last}};
}

inline Instant at_us(std::int64_t us) {
    return Instant(Duration(us));
}

inline std::int64_t us_of(Instant t) {
    return t.time_since_epoch().count();
}

/// An Ethernet II frame of `size` bytes (at least 18) from `src` to `dst`, EtherType 0x88b5
/// (local experimental), carrying `seq` in its first four payload bytes and a pattern after.
inline std::vector<std::uint8_t> frame(EthernetAddress dst, EthernetAddress src, std::uint32_t seq,
                                       std::size_t size = 64) {
    std::vector<std::uint8_t> f(size < 18 ? 18 : size);
    for (std::size_t i = 0; i < 6; ++i) {
        f[i] = dst.bytes[i];
        f[6 + i] = src.bytes[i];
    }
    f[12] = 0x88;
    f[13] = 0xb5;
    f[14] = static_cast<std::uint8_t>(seq >> 24);
    f[15] = static_cast<std::uint8_t>(seq >> 16);
    f[16] = static_cast<std::uint8_t>(seq >> 8);
    f[17] = static_cast<std::uint8_t>(seq);
    for (std::size_t i = 18; i < f.size(); ++i)
        f[i] = static_cast<std::uint8_t>(i * 7 + seq);
    return f;
}

inline std::uint32_t seq_of(const std::vector<std::uint8_t> &f) {
    return static_cast<std::uint32_t>(f[14]) << 24 | static_cast<std::uint32_t>(f[15]) << 16 |
           static_cast<std::uint32_t>(f[16]) << 8 | f[17];
}

inline ByteSpan span(const std::vector<std::uint8_t> &v) {
    return ByteSpan(v.data(), v.size());
}

struct Arrival {
    std::int64_t us;
    std::vector<std::uint8_t> bytes;
};

/// Records every frame (with the scheduler's time) and every state change.
class Recorder final : public LinkReceiver {
  public:
    explicit Recorder(const Scheduler &s, int id = 0, std::vector<int> *order = nullptr)
        : scheduler_(s), id_(id), order_(order) {}
    void link_receive(ByteSpan f) override {
        frames.push_back(
            Arrival{us_of(scheduler_.now()), std::vector<std::uint8_t>(f.begin(), f.end())});
        if (order_ != nullptr)
            order_->push_back(id_);
    }
    void link_state_changed(bool up) override { states.push_back(up); }

    std::vector<Arrival> frames;
    std::vector<bool> states;

  private:
    const Scheduler &scheduler_;
    int id_;
    std::vector<int> *order_;
};

}  // namespace meshwork::sim::testkit
