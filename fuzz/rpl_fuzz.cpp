// Round trip for RplMessage: parse -> emit -> parse (checksum verified) yields an equal value.
#include "FuzzIpUtil.h"
#include "wire/Rpl.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    fuzzip::round_trip_icmp<meshwork::wire::RplMessage>(meshwork::ByteSpan(data, size));
    return 0;
}
