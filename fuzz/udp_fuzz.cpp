// Round trip for UdpHeader: parse -> emit (payload copied) -> parse with checksum verified.
#include <cstring>

#include "FuzzIpUtil.h"
#include "wire/Udp.h"

using namespace meshwork;
using namespace meshwork::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    auto v = UdpView::parse(ByteSpan(data, size));
    if (!v.ok())
        return 0;
    UdpHeader h = UdpHeader::parse(ByteSpan(data, size)).value();
    const auto ph = fuzzip::pseudo_header();
    std::vector<std::uint8_t> out(h.emitted_size());
    FUZZ_CHECK(h.emit(MutableByteSpan(out.data(), out.size()), v->payload(), ph).ok());
    FUZZ_CHECK(h.emit(MutableByteSpan(out.data(), out.size() - 1), ph).error() == Error::kNoSpace);
    auto again = UdpView::parse(ByteSpan(out.data(), out.size()), &ph);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(UdpHeader::parse(ByteSpan(out.data(), out.size())).value() == h);
    FUZZ_CHECK(again->payload().equals(v->payload()));
    return 0;
}
