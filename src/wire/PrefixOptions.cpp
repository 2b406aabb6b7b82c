#include "wire/PrefixOptions.h"

namespace meshwork::wire {

bool PrefixInfo::operator==(const PrefixInfo &o) const {
    return prefix_length == o.prefix_length && flags == o.flags &&
           valid_lifetime == o.valid_lifetime && preferred_lifetime == o.preferred_lifetime &&
           prefix == o.prefix;
}

Result<PrefixInfo> PrefixInfo::read(ByteReader &r) {
    PrefixInfo p;
    p.prefix_length = r.u8();
    p.flags = r.u8();
    p.valid_lifetime = r.u32();
    p.preferred_lifetime = r.u32();
    r.skip(4);
    r.copy(p.prefix.bytes, 16);
    if (!r.ok())
        return Error::kTruncated;
    if (p.prefix_length > 128)
        return Error::kMalformed;
    return p;
}

Status PrefixInfo::write(ByteWriter &w) const {
    if (prefix_length > 128)
        return Error::kInvalidArgument;
    w.u8(prefix_length);
    w.u8(flags);
    w.u32(valid_lifetime);
    w.u32(preferred_lifetime);
    w.u32(0);
    w.bytes(prefix.span());
    return Status();
}

bool RouteInfo::operator==(const RouteInfo &o) const {
    return prefix_length == o.prefix_length && preference == o.preference &&
           route_lifetime == o.route_lifetime && prefix == o.prefix;
}

Status RouteInfo::write(ByteWriter &w, std::size_t prefix_field) const {
    if (prefix_length > 128 || preference > 3 || prefix_field > 16)
        return Error::kInvalidArgument;
    Ip6Address p = prefix.masked(prefix_length);
    w.u8(prefix_length);
    w.u8(static_cast<std::uint8_t>(preference << 3));
    w.u32(route_lifetime);
    w.bytes(p.bytes, prefix_field);
    return Status();
}

}  // namespace meshwork::wire
