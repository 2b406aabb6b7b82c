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
};

/// `frame` is the MPDU, with a trailing FCS if `has_fcs`.
nlohmann::json decode_frame(ByteSpan frame, bool has_fcs, const DecodeOptions &options);

}  // namespace meshwork::decode
