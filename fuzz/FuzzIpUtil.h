// Shared by the IPv6-layer fuzz targets: a hard check and the parse -> emit -> parse round
// trip every parser must survive.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/Bytes.h"
#include "wire/Checksum.h"

#define FUZZ_CHECK(cond)  \
    do {                  \
        if (!(cond))      \
            std::abort(); \
    } while (0)

namespace fuzzip {

inline meshwork::wire::PseudoHeader pseudo_header() {
    meshwork::wire::PseudoHeader ph;
    ph.src.bytes[0] = 0xfe;
    ph.src.bytes[1] = 0x80;
    ph.src.bytes[15] = 1;
    ph.dst.bytes[0] = 0xff;
    ph.dst.bytes[1] = 0x02;
    ph.dst.bytes[15] = 0x1a;
    return ph;
}

/// For a Message with parse(ByteSpan, const PseudoHeader*), emitted_size() and
/// emit(MutableByteSpan, PseudoHeader): a parsed message must emit into exactly
/// emitted_size() bytes, refuse a buffer one byte short, and parse back (checksum verified)
/// to an equal value.
template <typename M>
void round_trip_icmp(meshwork::ByteSpan in) {
    auto m = M::parse(in);
    if (!m.ok())
        return;
    const auto ph = pseudo_header();
    const std::size_t size = m->emitted_size();
    std::vector<std::uint8_t> out(size);
    auto st = m->emit(meshwork::MutableByteSpan(out.data(), out.size()), ph);
    if (!st.ok()) {
        // Only a value that cannot be represented again may fail; never for lack of space.
        FUZZ_CHECK(st.error() != meshwork::Error::kNoSpace);
        return;
    }
    if (size > 0) {
        std::vector<std::uint8_t> small(size - 1);
        FUZZ_CHECK(m->emit(meshwork::MutableByteSpan(small.data(), small.size()), ph).error() ==
                   meshwork::Error::kNoSpace);
    }
    auto again = M::parse(meshwork::ByteSpan(out.data(), out.size()), &ph);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(*again == *m);
}

}  // namespace fuzzip
