// Shared pieces of the radio medium scenario tests: a listener that records what a radio
// reports, with the virtual time of each report, and a small frame builder.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/Radio.h"
#include "sim/RadioMedium.h"
#include "sim/Scheduler.h"
#include "sim/SimRadio.h"

namespace meshwork::sim::test {

struct Rx {
    std::vector<std::uint8_t> psdu;
    std::int8_t rssi;
    std::uint8_t lqi;
    RadioChannel channel;
    Instant sfd_time;
    Instant end_time;
    Instant at;  // when the callback ran
};

class Recorder : public RadioListener {
  public:
    explicit Recorder(const Scheduler &s) : sched_(s) {}
    void on_radio_tx_done(const RadioTxResult &r) override {
        tx.push_back(r);
        tx_at.push_back(sched_.now());
    }
    void on_radio_receive(const RadioRxFrame &f) override {
        rx.push_back({std::vector<std::uint8_t>(f.psdu.begin(), f.psdu.end()), f.rssi_dbm, f.lqi,
                      f.channel, f.sfd_time, f.end_time, sched_.now()});
    }
    void on_radio_cca_done(bool clear) override {
        cca.push_back(clear);
        cca_at.push_back(sched_.now());
    }
    void on_radio_energy_detect_done(std::int8_t dbm) override { ed.push_back(dbm); }

    std::vector<RadioTxResult> tx;
    std::vector<Instant> tx_at;
    std::vector<Rx> rx;
    std::vector<bool> cca;
    std::vector<Instant> cca_at;
    std::vector<std::int8_t> ed;

  private:
    const Scheduler &sched_;
};

/// A PSDU of `n` octets whose first octet is `tag` (the medium does not look inside).
inline std::vector<std::uint8_t> psdu(std::size_t n, std::uint8_t tag = 0x41) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<std::uint8_t>(tag + i);
    return v;
}

inline RadioTxRequest request(const std::vector<std::uint8_t> &p, bool cca = false,
                              CcaMode mode = CcaMode::kEnergy) {
    RadioTxRequest r;
    r.psdu = ByteSpan(p.data(), p.size());
    r.cca = cca;
    r.cca_mode = mode;
    return r;
}

inline Instant us(std::int64_t v) {
    return Instant(Duration(v));
}

/// A medium with one SimRadio and recorder per node.
struct Bench {
    Scheduler sched;
    RadioMedium medium;
    std::vector<std::unique_ptr<SimRadio>> radios;
    std::vector<std::unique_ptr<Recorder>> rec;

    explicit Bench(std::unique_ptr<Propagation> p, RadioMediumConfig c = {})
        : medium(sched, std::move(p), c) {}
    RadioNodeId add(Position pos, double power = 0) {
        RadioNodeId id = medium.add_node(pos, power);
        radios.push_back(std::make_unique<SimRadio>(medium, id));
        rec.push_back(std::make_unique<Recorder>(sched));
        radios.back()->set_listener(rec.back().get());
        return id;
    }
    SimRadio &radio(RadioNodeId id) { return *radios[id]; }
    Recorder &r(RadioNodeId id) { return *rec[id]; }
};

}  // namespace meshwork::sim::test
