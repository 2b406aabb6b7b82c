// Decodes one IEEE 802.15.4 frame, layer by layer, into JSON (the meshwork-decode output
// schema, documented in docs/wire-lowpan.md). Field names follow Wireshark's where one exists so
// that `--fields wpan.seq_no,ipv6.src` means the same as in `tshark -T fields`.
#pragma once

#include <nlohmann/json.hpp>

#include "core/Bytes.h"
#include "wire/LowpanIphc.h"
#include "wire/Pcap.h"

namespace meshwork::decode {

struct DecodeOptions {
    wire::LowpanContextTable contexts;
};

/// `frame` is the MPDU, with a trailing FCS if `has_fcs`.
nlohmann::json decode_frame(ByteSpan frame, bool has_fcs, const DecodeOptions &options);

}  // namespace meshwork::decode
