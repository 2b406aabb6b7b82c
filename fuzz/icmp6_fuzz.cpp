// Round trip for Icmp6Message: parse -> emit -> parse (checksum verified) yields an equal value.
#include "FuzzIpUtil.h"
#include "wire/Icmp6.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    fuzzip::round_trip_icmp<meshwork::wire::Icmp6Message>(meshwork::ByteSpan(data, size));
    return 0;
}
