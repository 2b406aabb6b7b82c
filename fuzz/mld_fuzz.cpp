// Round trip for MldMessage: parse -> emit -> parse (checksum verified) yields an equal value.
#include "FuzzIpUtil.h"
#include "wire/Mld.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    fuzzip::round_trip_icmp<meshwork::wire::MldMessage>(meshwork::ByteSpan(data, size));
    return 0;
}
