// ND messages: parse (NdView) -> emit the fixed part and every option from its decoded value
// (NdWriter) -> parse again (checksum verified) must give the same fixed part and the same option
// values in the same order; emitting the second parse gives the same bytes again. Every known
// option must decode through its typed accessor once the message is accepted.
#include <vector>

#include "FuzzIpUtil.h"
#include "wire/Nd.h"

using namespace meshwork;
using namespace meshwork::wire;

namespace {

template <typename M>
std::vector<std::uint8_t> emit(const NdView &v, const M &m, const PseudoHeader &ph) {
    NdWriter sizer(MutableByteSpan(), m);
    for (NdOption o : v.options())
        sizer.add(o);
    std::vector<std::uint8_t> out(sizer.size());
    NdWriter w(MutableByteSpan(out.data(), out.size()), m);
    for (NdOption o : v.options())
        w.add(o);
    auto r = w.finish(ph);
    FUZZ_CHECK(r.ok() && r->size == out.size());
    if (!out.empty()) {
        std::vector<std::uint8_t> short_buffer(out.size() - 1);
        NdWriter small(MutableByteSpan(short_buffer.data(), short_buffer.size()), m);
        for (NdOption o : v.options())
            small.add(o);
        FUZZ_CHECK(small.finish(ph).error() == Error::kNoSpace);
    }
    return out;
}

std::vector<std::uint8_t> emit(const NdView &v, const PseudoHeader &ph) {
    if (auto m = v.rs())
        return emit(v, *m, ph);
    if (auto m = v.ra())
        return emit(v, *m, ph);
    if (auto m = v.ns())
        return emit(v, *m, ph);
    if (auto m = v.na())
        return emit(v, *m, ph);
    if (auto m = v.redirect())
        return emit(v, *m, ph);
    auto m = v.duplicate_address();
    FUZZ_CHECK(m.has_value());
    return emit(v, *m, ph);
}

bool decodes(const NdOption &o) {
    switch (o.type) {
        case NdOptionType::kSourceLinkLayerAddress:
            return o.sllao().has_value();
        case NdOptionType::kTargetLinkLayerAddress:
            return o.tllao().has_value();
        case NdOptionType::kPrefixInformation:
            return o.prefix_info().has_value();
        case NdOptionType::kRedirectedHeader:
            return o.redirected().has_value();
        case NdOptionType::kMtu:
            return o.mtu().has_value();
        case NdOptionType::kRouteInformation:
            return o.route_info().has_value();
        case NdOptionType::kAddressRegistration:
            return o.address_registration().has_value();
        case NdOptionType::kSixLowpanContext:
            return o.context().has_value();
        case NdOptionType::kAuthoritativeBorderRouter:
            return o.border_router().has_value();
        default:
            return !o.known();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    auto v = NdView::parse(ByteSpan(data, size));
    if (!v)
        return 0;
    for (NdOption o : v->options())
        FUZZ_CHECK(decodes(o));
    const PseudoHeader ph = fuzzip::pseudo_header();
    const std::vector<std::uint8_t> out = emit(*v, ph);
    auto again = NdView::parse(ByteSpan(out.data(), out.size()), &ph);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->type() == v->type());
    FUZZ_CHECK(again->rs() == v->rs() && again->ra() == v->ra() && again->ns() == v->ns() &&
               again->na() == v->na() && again->redirect() == v->redirect() &&
               again->duplicate_address() == v->duplicate_address());
    auto a = v->options().begin(), b = again->options().begin();
    for (; a != v->options().end() && b != again->options().end(); ++a, ++b)
        FUZZ_CHECK((*a).same_value(*b));
    FUZZ_CHECK(a == v->options().end() && b == again->options().end());
    FUZZ_CHECK(emit(*again, ph) == out);
    return 0;
}
