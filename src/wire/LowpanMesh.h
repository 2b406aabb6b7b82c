// 6LoWPAN mesh addressing header (RFC 4944 section 5.2, with the "deep hops left" escape of
// RFC 8138 / Thread when HopsLeft = 0xF) and the broadcast header LOWPAN_BC0 (RFC 4944 11.1).
// Addresses in the mesh header are in network (big-endian) order, unlike the 802.15.4 header.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Ieee802154.h"

namespace meshwork::wire {

struct LowpanMeshHeader {
    std::uint8_t hops_left = 0;  // 0..255; >= 15 is sent with the extra byte
    MacAddress originator;       // short or extended
    MacAddress final_destination;

    static Result<LowpanMeshHeader> parse(ByteReader &r);
    std::size_t emitted_size() const;
    Status emit(ByteWriter &w) const;
    bool operator==(const LowpanMeshHeader &o) const {
        return hops_left == o.hops_left && originator == o.originator &&
               final_destination == o.final_destination;
    }
};

struct LowpanBroadcastHeader {
    static constexpr std::uint8_t kDispatch = 0x50;
    std::uint8_t sequence = 0;
    static Result<LowpanBroadcastHeader> parse(ByteReader &r);
    std::size_t emitted_size() const { return 2; }
    Status emit(ByteWriter &w) const;
};

}  // namespace meshwork::wire
