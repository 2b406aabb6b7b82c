// RPL control messages: parse (RplView) -> emit every base and option from its decoded value
// (RplWriter) -> parse again (checksum verified) must give the same base and the same option
// values in the same order; emitting the second parse gives the same bytes again. Every known
// option must decode through its typed accessor once the message is accepted.
#include <vector>

#include "FuzzIpUtil.h"
#include "wire/Rpl.h"

using namespace meshwork;
using namespace meshwork::wire;

namespace {

template <typename Base>
std::vector<std::uint8_t> emit(const RplView &v, const Base &base, const PseudoHeader &ph) {
    RplWriter sizer(MutableByteSpan(), base);
    for (RplOption o : v.options())
        sizer.add(o);
    std::vector<std::uint8_t> out(sizer.size());
    RplWriter w(MutableByteSpan(out.data(), out.size()), base);
    for (RplOption o : v.options())
        w.add(o);
    auto r = w.finish(ph);
    FUZZ_CHECK(r.ok() && r->size == out.size());
    if (!out.empty()) {
        std::vector<std::uint8_t> short_buffer(out.size() - 1);
        RplWriter small(MutableByteSpan(short_buffer.data(), short_buffer.size()), base);
        for (RplOption o : v.options())
            small.add(o);
        FUZZ_CHECK(small.finish(ph).error() == Error::kNoSpace);
    }
    return out;
}

std::vector<std::uint8_t> emit(const RplView &v, const PseudoHeader &ph) {
    if (auto b = v.dis())
        return emit(v, *b, ph);
    if (auto b = v.dio())
        return emit(v, *b, ph);
    if (auto b = v.dao())
        return emit(v, *b, ph);
    auto b = v.dao_ack();
    FUZZ_CHECK(b.has_value());
    return emit(v, *b, ph);
}

bool decodes(const RplOption &o) {
    switch (o.type) {
        case RplOptionType::kRouteInformation:
            return o.route_info().has_value();
        case RplOptionType::kDodagConfiguration:
            return o.dodag_config().has_value();
        case RplOptionType::kTarget:
            return o.target().has_value();
        case RplOptionType::kTransitInformation:
            return o.transit().has_value();
        case RplOptionType::kSolicitedInformation:
            return o.solicited_info().has_value();
        case RplOptionType::kPrefixInformation:
            return o.prefix_info().has_value();
        case RplOptionType::kTargetDescriptor:
            return o.target_descriptor().has_value();
        case RplOptionType::kDagMetricContainer:
            return o.metric_container().has_value();
        default:
            return true;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    auto v = RplView::parse(ByteSpan(data, size));
    if (!v)
        return 0;
    for (RplOption o : v->options())
        FUZZ_CHECK(decodes(o));
    const PseudoHeader ph = fuzzip::pseudo_header();
    const std::vector<std::uint8_t> out = emit(*v, ph);
    auto again = RplView::parse(ByteSpan(out.data(), out.size()), &ph);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->code() == v->code());
    FUZZ_CHECK(again->dis() == v->dis() && again->dio() == v->dio() && again->dao() == v->dao() &&
               again->dao_ack() == v->dao_ack());
    auto a = v->options().begin(), b = again->options().begin();
    for (; a != v->options().end() && b != again->options().end(); ++a, ++b)
        FUZZ_CHECK((*a).same_value(*b));
    FUZZ_CHECK(a == v->options().end() && b == again->options().end());
    FUZZ_CHECK(emit(*again, ph) == out);
    return 0;
}
