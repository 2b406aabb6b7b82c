// PHY timing of the IEEE 802.15.4 O-QPSK PHYs the medium simulates (IEEE 802.15.4-2006 6.1,
// 6.4.1, 6.5, 6.6): every duration is a whole number of microseconds derived from the symbol
// period, so a run's timings are exact. SHR = 4 octets of preamble + 1 of SFD, PHR = 1 octet.
//   page 0, channels 11-26: 2.4 GHz, 62.5 ksymbol/s, 4 bits/symbol = 250 kbit/s (16 us/symbol)
//   page 2, channels 1-10:  915 MHz, 62.5 ksymbol/s, 4 bits/symbol = 250 kbit/s (16 us/symbol)
//   page 2, channel 0:      868 MHz, 25 ksymbol/s,   4 bits/symbol = 100 kbit/s (40 us/symbol)
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Radio.h"
#include "core/Time.h"

namespace meshwork::sim {

struct PhyTiming {
    std::int64_t symbol_us = 16;
    std::uint32_t bit_rate = 250000;

    static constexpr std::size_t kShrPhrOctets = 6;
    static constexpr std::size_t kSymbolsPerOctet = 2;
    static constexpr std::size_t kTurnaroundSymbols = 12;   // aTurnaroundTime
    static constexpr std::size_t kCcaSymbols = 8;           // CCA detection time
    static constexpr std::size_t kUnitBackoffSymbols = 20;  // aUnitBackoffPeriod
    static constexpr std::size_t kMaxPsdu = 127;            // aMaxPhyPacketSize

    Duration octet() const { return Duration(symbol_us * std::int64_t{kSymbolsPerOctet}); }
    Duration symbols(std::size_t n) const { return Duration(symbol_us * std::int64_t(n)); }
    /// SHR + PHR + PSDU on air.
    Duration ppdu(std::size_t psdu_octets) const {
        return octet() * std::int64_t(kShrPhrOctets + psdu_octets);
    }
    /// From the first preamble symbol to the end of the SFD (the frame's timestamp point).
    Duration shr() const { return octet() * std::int64_t{kShrPhrOctets - 1}; }
    Duration turnaround() const { return symbols(kTurnaroundSymbols); }
    Duration cca() const { return symbols(kCcaSymbols); }
    Duration unit_backoff() const { return symbols(kUnitBackoffSymbols); }
};

/// The timing of a page/channel, or false for one the medium does not simulate.
bool phy_timing(RadioChannel channel, PhyTiming *out);

}  // namespace meshwork::sim
