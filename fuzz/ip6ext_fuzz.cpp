// Round trips for the extension headers: options headers (hop-by-hop / destination, with the
// RPL option), the RPL source routing header (RFC 6554 compression against a reference
// address taken from the input) and the fragment header.
#include <cstring>
#include <utility>

#include "FuzzIpUtil.h"
#include "wire/Ip6Ext.h"

using namespace meshwork;
using namespace meshwork::wire;

namespace {

void options_header(ByteSpan in) {
    auto h = Ip6OptionsHeader::parse(in);
    if (!h.ok())
        return;
    std::vector<std::uint8_t> out(h->emitted_size());
    FUZZ_CHECK(out.size() % 8 == 0);
    FUZZ_CHECK(h->emit(MutableByteSpan(out.data(), out.size())).ok());
    FUZZ_CHECK(h->emit(MutableByteSpan(out.data(), out.size() - 1)).error() == Error::kNoSpace);
    auto again = Ip6OptionsHeader::parse(ByteSpan(out.data(), out.size()));
    FUZZ_CHECK(again.ok() && *again == *h);
    // An MPL option among them (RFC 7731 4): its value round-trips on its own.
    for (std::size_t i = 0; i < h->option_count; ++i) {
        if (h->options[i].type != Ip6OptionType::kMpl)
            continue;
        auto mpl = MplOption::parse(h->options[i].value);
        if (!mpl.ok())
            continue;
        std::uint8_t v[18];
        FUZZ_CHECK(mpl->value_size() == h->options[i].value.size);
        FUZZ_CHECK(mpl->emit(MutableByteSpan(v, sizeof v)).ok());
        auto back = MplOption::parse(ByteSpan(v, mpl->value_size()));
        FUZZ_CHECK(back.ok() && *back == *mpl);
    }
}

void source_route(ByteSpan in, const Ip6Address &reference) {
    auto h = RplSourceRouteHeader::parse(in, reference);
    if (!h.ok())
        return;
    std::vector<std::uint8_t> out(h->emitted_size());
    FUZZ_CHECK(out.size() % 8 == 0);
    FUZZ_CHECK(h->emit(MutableByteSpan(out.data(), out.size()), reference).ok());
    FUZZ_CHECK(h->emit(MutableByteSpan(out.data(), out.size() - 1), reference).error() ==
               Error::kNoSpace);
    auto again = RplSourceRouteHeader::parse(ByteSpan(out.data(), out.size()), reference);
    FUZZ_CHECK(again.ok() && *again == *h);
    // The compression chosen at a source must round-trip, and hold at every hop: each address
    // becomes the destination in turn (RFC 6554 4.2) and the header keeps its size.
    RplSourceRouteHeader tight = *h;
    tight.choose_compression(reference);
    std::vector<std::uint8_t> t(tight.emitted_size());
    FUZZ_CHECK(tight.emit(MutableByteSpan(t.data(), t.size()), reference).ok());
    auto t2 = RplSourceRouteHeader::parse(ByteSpan(t.data(), t.size()), reference);
    FUZZ_CHECK(t2.ok() && *t2 == tight);
    Ip6Address dst = reference;
    const std::size_t size = tight.emitted_size();
    const std::size_t n = tight.address_count > RplSourceRouteHeader::kMaxAddresses
                              ? RplSourceRouteHeader::kMaxAddresses
                              : tight.address_count;
    for (std::size_t i = 0; i < n; ++i) {
        std::swap(dst, tight.addresses[i]);
        FUZZ_CHECK(tight.emitted_size() == size);
        FUZZ_CHECK(tight.emit(MutableByteSpan(t.data(), t.size()), dst).ok());
    }
}

void fragment(ByteSpan in) {
    auto h = Ip6FragmentHeader::parse(in);
    if (!h.ok())
        return;
    std::uint8_t out[kIp6FragmentHeaderSize];
    FUZZ_CHECK(h->emit(MutableByteSpan(out, sizeof out)).ok());
    auto again = Ip6FragmentHeader::parse(ByteSpan(out, sizeof out));
    FUZZ_CHECK(again.ok() && *again == *h);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    // Byte 0 selects the reference address variant; the rest is the header.
    if (size < 1)
        return 0;
    Ip6Address reference;
    reference.bytes[0] = 0x20;
    reference.bytes[1] = 0x01;
    reference.bytes[15] = data[0];
    ByteSpan in(data + 1, size - 1);
    options_header(in);
    source_route(in, reference);
    fragment(in);
    return 0;
}
