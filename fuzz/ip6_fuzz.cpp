// IPv6 fixed header round trip, the extension-header chain walk, and address text: any
// 16 bytes format to RFC 5952 text that parses back to the same address; any text that
// parses formats to text that parses to the same address.
#include <cstring>
#include <string>

#include "FuzzIpUtil.h"
#include "wire/Ip6.h"
#include "wire/Ip6Ext.h"

using namespace meshwork;
using namespace meshwork::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size >= 16) {
        Ip6Address a = Ip6Address::from_bytes(data);
        char text[Ip6Address::kTextMax];
        std::size_t n = a.to_text(text, sizeof text);
        FUZZ_CHECK(n > 0 && n < sizeof text && std::strlen(text) == n);
        auto back = Ip6Address::from_text(text);
        FUZZ_CHECK(back.ok() && *back == a);
        char shortbuf[8];
        FUZZ_CHECK(a.to_text(shortbuf, sizeof shortbuf) == 0 || n < sizeof shortbuf);
    }
    {
        std::string s(reinterpret_cast<const char *>(data), size > 64 ? 64 : size);
        s = s.c_str();  // stop at an embedded NUL
        auto a = Ip6Address::from_text(s.c_str());
        if (a.ok()) {
            char text[Ip6Address::kTextMax];
            FUZZ_CHECK(a->to_text(text, sizeof text) > 0);
            FUZZ_CHECK(Ip6Address::from_text(text).value() == *a);
        }
    }

    auto v = Ip6View::parse(ByteSpan(data, size));
    if (!v.ok())
        return 0;
    Ip6Header h = Ip6Header::from_view(*v);
    std::uint8_t out[kIp6HeaderSize];
    FUZZ_CHECK(h.emit(MutableByteSpan(out, sizeof out)).ok());
    FUZZ_CHECK(std::memcmp(out, data, kIp6HeaderSize) == 0);
    FUZZ_CHECK(h.emit(MutableByteSpan(out, sizeof out - 1)).error() == Error::kNoSpace);

    Ip6ExtChain chain(v->payload(), v->next_header());
    Ip6ExtHeader e;
    std::size_t total = 0;
    while (chain.next(e)) {
        FUZZ_CHECK(e.bytes.size >= 8);
        total += e.bytes.size;
    }
    FUZZ_CHECK(chain.error() != Error::kOk || chain.upper_offset() == total);
    FUZZ_CHECK(chain.upper_offset() <= v->payload().size);
    return 0;
}
