// 6LoWPAN reassembly (RFC 4944 5.3) for one interface: datagrams keyed on (link-layer source,
// datagram size, datagram tag), fragments placed by their offset in the uncompressed datagram
// (so they may come in any order), with a timeout and limits on the datagrams and bytes held.
// Also the vocabulary of the adaptation layer's drop reasons.
#pragma once

#include <bitset>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/Bytes.h"
#include "core/Time.h"
#include "wire/Ieee802154.h"
#include "wire/LowpanFrag.h"

namespace meshwork::lowpan {

/// Why the adaptation layer dropped a frame or packet. Each drop counts under one reason.
enum class LowpanDrop : std::uint8_t {
    kFrameInvalid,         // not a data frame, no source address, a header that does not parse
    kUnsupportedDispatch,  // NALP, HC1, reserved dispatch values
    kNotForUs,             // a mesh header for another final destination (no mesh-under routing)
    kDecompress,           // IPHC/NHC does not decompress (an unknown context included)
    kFragmentInvalid,      // a size, offset or length that does not fit the datagram
    kFragmentOverlap,      // a fragment overlapping one already held (the fragment is dropped)
    kReassemblyTimeout,    // a datagram not complete within the timeout
    kReassemblyLimit,      // too many datagrams or bytes in reassembly
    kTxQueueFull,          // the transmit queue was full
    kNoLinkAddress,        // no link-layer address for the next hop
    kTooBig,               // larger than the MTU or what FRAG1 can express
    kCompress,             // compression failed (a header that cannot be expressed)
    kTxFailed,             // the MAC did not deliver a frame (the rest of the datagram goes too)
    kNoStack,              // a packet received with nowhere to deliver it
    kCount
};
const char *drop_reason_name(LowpanDrop r);

struct ReassemblyLimits {
    Duration timeout = std::chrono::seconds(60);  // RFC 4944 5.3: at most 60 s
    std::size_t max_datagrams = 4;                // datagrams in reassembly at once
    std::size_t max_bytes = 4 * 1280;             // sum of their datagram sizes
};

/// Where a UDP checksum elided by the sender is still to be computed (FRAG1 only).
struct ChecksumFixup {
    bool pending = false;
    std::size_t udp_offset = 0;
};

class LowpanReassembler {
  public:
    explicit LowpanReassembler(ReassemblyLimits limits = {}) : limits_(limits) {}

    struct AddResult {
        bool dropped = false;
        LowpanDrop reason = LowpanDrop::kFragmentInvalid;
        /// The whole datagram when this fragment completed it.
        std::optional<std::vector<std::uint8_t>> datagram;
    };

    /// One fragment: its uncompressed bytes are `a` then `b` (a FRAG1's decompressed headers
    /// and the rest of its payload; a FRAGN's payload in `a`).
    AddResult add(const wire::MacAddress &src, const wire::LowpanFragHeader &h, ByteSpan a,
                  ByteSpan b, Instant now, ChecksumFixup fixup = {});

    /// Drops every datagram whose timeout passed; returns how many.
    std::size_t expire(Instant now);
    Instant next_deadline() const;

    std::size_t datagrams() const { return entries_.size(); }
    std::size_t bytes() const { return bytes_; }
    const ReassemblyLimits &limits() const { return limits_; }
    void set_limits(const ReassemblyLimits &l) { limits_ = l; }

  private:
    static constexpr std::size_t kUnits = (wire::LowpanFragHeader::kMaxDatagramSize + 8) / 8;
    struct Entry {
        wire::MacAddress src;
        std::uint16_t size = 0;
        std::uint16_t tag = 0;
        std::vector<std::uint8_t> data;
        std::bitset<kUnits> units;
        std::size_t units_held = 0;
        Instant deadline{};
        ChecksumFixup fixup;
    };
    static void finish_checksum(std::vector<std::uint8_t> &d, const ChecksumFixup &f);

    ReassemblyLimits limits_;
    std::vector<Entry> entries_;  // few: a linear search in arrival order
    std::size_t bytes_ = 0;
};

}  // namespace meshwork::lowpan
