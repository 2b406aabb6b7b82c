// Decodes one IEEE 802.15.4 frame, layer by layer, into JSON (the meshwork-decode output
// schema, documented in docs/wire-lowpan.md). Field names follow Wireshark's where one exists so
// that `--fields wpan.seq_no,ipv6.src` means the same as in `tshark -T fields`.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

#include "core/Bytes.h"
#include "wire/LowpanIphc.h"
#include "wire/Pcap.h"

namespace meshwork::decode {

/// A MAC key for decryption: matched by key index (frames in key id mode 1-3) or used for
/// every mode-0 frame when `index` is 0.
struct DecodeKey {
    std::uint8_t index = 0;
    std::uint8_t key[16] = {};
};

/// A short address's extended address (the nonce needs the sender's extended address).
struct DecodeAddress {
    std::uint16_t pan = 0xffff;  // 0xffff: any PAN
    std::uint16_t short_address = 0;
    std::uint64_t extended = 0;
};

struct DecodeOptions {
    wire::LowpanContextTable contexts;
    std::vector<DecodeKey> keys;  // empty: secured frames are shown, not decrypted
    std::vector<DecodeAddress> addresses;
    /// For an ack without a source address (a secured enh-ack): the extended address it comes
    /// from, the destination of the frame it acknowledges (0: unknown). Set per frame by
    /// ack tracking (track_ack_source).
    std::uint64_t ack_source = 0;
};

/// Ack tracking over a capture: call for every frame in order; returns the extended address
/// an ack without a source address comes from (the destination of the frame just before with
/// the same sequence number and an ack request, named by its extended address or through
/// `options.addresses`), or 0.
class AckTracker {
  public:
    std::uint64_t next(ByteSpan frame, bool has_fcs, const DecodeOptions &options);

  private:
    bool have_ = false;
    std::uint8_t seq_ = 0;
    std::uint64_t dst_ = 0;
};

/// `frame` is the MPDU, with a trailing FCS if `has_fcs`.
nlohmann::json decode_frame(ByteSpan frame, bool has_fcs, const DecodeOptions &options);

}  // namespace meshwork::decode
