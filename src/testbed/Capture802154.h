// A pcap capture of the simulated 802.15.4 medium: a tap on sim::RadioMedium that writes every
// frame through wire's pcap emitter (sim itself knows no file format, so the writer lives here).
//
//   LINKTYPE 283 (IEEE802_15_4_TAP): FCS type, channel and page, RSS and LQI TLVs, then the PSDU.
//   LINKTYPE 195 (IEEE802_15_4_WITHFCS): the PSDU only.
// Modes:
//   kAir:        one record per frame put on the air, at its first preamble symbol, whatever
//                became of it; RSS is the transmit power (a sniffer at the sender), LQI 255.
//   kReceptions: one record per frame delivered to a receiver, at its SFD time at that receiver,
//                with that receiver's RSSI and LQI (the same frame once per receiver).
// Timestamps are virtual time (microseconds since the simulation's epoch), written in
// nanosecond pcap format.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "core/Error.h"
#include "sim/RadioMedium.h"
#include "wire/Pcap.h"

namespace meshwork::testbed {

class Capture802154 final : public sim::RadioMediumTap {
  public:
    enum class Mode : std::uint8_t { kAir, kReceptions };

    /// Taps `medium` until destroyed. Records are kept in memory (bytes()) and, after open(),
    /// also written to the file as they come.
    explicit Capture802154(sim::RadioMedium &medium,
                           wire::PcapLinkType link_type = wire::PcapLinkType::kIeee802154Tap,
                           Mode mode = Mode::kAir);
    ~Capture802154() override;
    Capture802154(const Capture802154 &) = delete;
    Capture802154 &operator=(const Capture802154 &) = delete;

    /// Writes the capture so far to `path` and every later record as it comes.
    Status open(const std::string &path);
    void close();

    /// The whole capture (file header and records).
    const std::vector<std::uint8_t> &bytes() const { return bytes_; }
    std::uint64_t records() const { return records_; }
    std::uint64_t write_errors() const { return write_errors_; }

    void on_air_start(const sim::AirFrame &frame) override;
    void on_reception(const sim::AirReception &reception) override;

  private:
    void record(Instant t, const sim::AirFrame &frame, double rss_dbm, std::uint8_t lqi);

    sim::RadioMedium &medium_;
    wire::PcapLinkType link_type_;
    Mode mode_;
    std::vector<std::uint8_t> bytes_;
    std::FILE *file_ = nullptr;
    std::uint64_t records_ = 0;
    std::uint64_t write_errors_ = 0;
};

}  // namespace meshwork::testbed
