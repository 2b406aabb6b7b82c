// Round trip for TcpHeader: parse -> emit (payload copied) -> parse with checksum verified.
#include "FuzzIpUtil.h"
#include "wire/Tcp.h"

using namespace meshwork;
using namespace meshwork::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    auto h = TcpHeader::parse(ByteSpan(data, size));
    if (!h.ok())
        return 0;
    auto v = TcpView::parse(ByteSpan(data, size)).value();
    const auto ph = fuzzip::pseudo_header();
    TcpHeader copy = *h;
    FUZZ_CHECK(copy.options_size() <= kTcpMaxOptionsSize);
    std::vector<std::uint8_t> out(copy.emitted_size());
    FUZZ_CHECK(copy.emit(MutableByteSpan(out.data(), out.size()), v.payload(), ph).ok());
    FUZZ_CHECK(copy.emit(MutableByteSpan(out.data(), out.size() - 1), ph).error() ==
               Error::kNoSpace);
    auto again = TcpHeader::parse(ByteSpan(out.data(), out.size()), &ph);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(*again == *h);
    FUZZ_CHECK(
        TcpView::parse(ByteSpan(out.data(), out.size())).value().payload().equals(v.payload()));
    return 0;
}
