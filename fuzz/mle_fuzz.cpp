// MLE messages, their TLVs and the Thread Network Data inside: parse -> emit -> parse. Every TLV
// with a typed value in MleTlvs.h is parsed, emitted with mle_emit() and parsed again: the value
// must come back equal and the bytes must be those of the input TLV.
#include <cstdint>
#include <vector>

#include "wire/Mle.h"
#include "wire/ThreadNetData.h"

using namespace meshwork;
using namespace meshwork::wire;

namespace {

void walk_netdata(ByteSpan bytes, int depth) {
    Result<TlvList> l = netdata_parse(bytes);
    if (!l || depth > 3)
        return;
    for (Tlv t : *l) {
        switch (t.type) {
            case NetDataTlvType::kPrefix: {
                Result<NetDataPrefix> p = NetDataPrefix::parse(t.value);
                if (p)
                    walk_netdata(p->sub_tlvs.bytes(), depth + 1);
                break;
            }
            case NetDataTlvType::kHasRoute:
                (void)netdata_for_each_has_route(t.value, [](const auto &) {});
                break;
            case NetDataTlvType::kBorderRouter:
                (void)netdata_for_each_border_router(t.value, [](const auto &) {});
                break;
            case NetDataTlvType::kContext:
                (void)NetDataContext::parse(t.value);
                break;
            case NetDataTlvType::kService: {
                Result<NetDataService> s = NetDataService::parse(t.value);
                if (s)
                    walk_netdata(s->sub_tlvs.bytes(), depth + 1);
                break;
            }
            case NetDataTlvType::kServer:
                (void)NetDataServer::parse(t.value);
                break;
            default:
                break;
        }
    }
}

// A typed TLV that parses must emit to the same TLV bytes and parse back to an equal value.
template <typename T>
void round_trip(const Tlv &t) {
    Result<T> v = T::parse(t.value);
    if (!v)
        return;
    std::uint8_t buf[2 + 255];
    ByteWriter w{MutableByteSpan(buf)};
    if (!mle_emit(w, *v).ok() || w.offset() != mle_emitted_size(*v))
        __builtin_trap();
    if (buf[0] != t.type || !w.written().subspan(2).equals(t.value))
        __builtin_trap();
    Result<T> again = T::parse(w.written().subspan(2));
    if (!again || !(*again == *v))
        __builtin_trap();
}

void typed(const Tlv &t) {
    switch (t.type) {
        case MleTlvType::kSourceAddress:
            return round_trip<MleSourceAddress>(t);
        case MleTlvType::kMode:
            return round_trip<MleMode>(t);
        case MleTlvType::kTimeout:
            return round_trip<MleTimeout>(t);
        case MleTlvType::kChallenge:
            return round_trip<MleChallenge>(t);
        case MleTlvType::kResponse:
            return round_trip<MleResponse>(t);
        case MleTlvType::kLinkLayerFrameCounter:
            return round_trip<MleLinkLayerFrameCounter>(t);
        case MleTlvType::kMleFrameCounter:
            return round_trip<MleFrameCounter>(t);
        case MleTlvType::kRoute64:
            return round_trip<MleRoute64>(t);
        case MleTlvType::kAddress16:
            return round_trip<MleAddress16>(t);
        case MleTlvType::kLeaderData:
            return round_trip<MleLeaderData>(t);
        case MleTlvType::kNetworkData:
            walk_netdata(t.value, 0);
            return round_trip<MleNetworkData>(t);
        case MleTlvType::kTlvRequest:
            return round_trip<MleTlvRequest>(t);
        case MleTlvType::kScanMask:
            return round_trip<MleScanMask>(t);
        case MleTlvType::kConnectivity:
            return round_trip<MleConnectivity>(t);
        case MleTlvType::kLinkMargin:
            return round_trip<MleLinkMargin>(t);
        case MleTlvType::kStatus:
            return round_trip<MleStatus>(t);
        case MleTlvType::kVersion:
            return round_trip<MleVersion>(t);
        case MleTlvType::kAddressRegistration: {
            round_trip<MleAddressRegistration>(t);
            // Each entry re-encodes (reserved control bits as zero) to an equal entry.
            Result<MleAddressRegistration> a = MleAddressRegistration::parse(t.value);
            if (!a)
                return;
            std::size_t n = 0;
            for (MleAddressEntry e : *a) {
                std::uint8_t buf[17];
                ByteWriter w{MutableByteSpan(buf)};
                if (!e.emit(w).ok() || w.offset() != e.encoded_size())
                    __builtin_trap();
                Result<MleAddressRegistration> b = MleAddressRegistration::parse(w.written());
                if (!b || b->count() != 1 || !(*b->begin() == e))
                    __builtin_trap();
                ++n;
            }
            if (n != a->count())
                __builtin_trap();
            return;
        }
        case MleTlvType::kChannel:
            return round_trip<MleChannel>(t);
        case MleTlvType::kPanId:
            return round_trip<MlePanId>(t);
        case MleTlvType::kActiveTimestamp:
            return round_trip<MleActiveTimestamp>(t);
        case MleTlvType::kPendingTimestamp:
            return round_trip<MlePendingTimestamp>(t);
        case MleTlvType::kActiveDataset:
            return round_trip<MleActiveDataset>(t);
        case MleTlvType::kPendingDataset:
            return round_trip<MlePendingDataset>(t);
        case MleTlvType::kDiscovery:
            return round_trip<MleDiscovery>(t);
        default:
            return;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    Result<MleMessage> m = MleMessage::parse(ByteSpan(data, size));
    if (!m)
        return 0;
    std::vector<std::uint8_t> out(m->emitted_size());
    if (!m->emit(MutableByteSpan(out.data(), out.size())).ok())
        __builtin_trap();
    if (!ByteSpan(out.data(), out.size()).equals(ByteSpan(data, size)))
        __builtin_trap();
    Result<MleMessage> m2 = MleMessage::parse(ByteSpan(out.data(), out.size()));
    if (!m2 || !(*m2 == *m))
        __builtin_trap();
    if (m->security_suite != MleMessage::kSuiteUnsecured)
        return 0;
    Result<MlePlaintext> p = MlePlaintext::parse(m->plaintext);
    if (!p)
        return 0;
    std::vector<std::uint8_t> pt(p->emitted_size());
    if (!p->emit(MutableByteSpan(pt.data(), pt.size())).ok() ||
        !ByteSpan(pt.data(), pt.size()).equals(m->plaintext))
        __builtin_trap();
    // Re-emit the TLVs generically and compare.
    std::vector<std::uint8_t> tl(m->plaintext.size);
    ByteWriter w(MutableByteSpan(tl.data(), tl.size()));
    w.u8(p->command);
    TlvWriter tw(w);
    for (Tlv t : p->tlvs) {
        tw.put(t.type, t.value);
        typed(t);
    }
    if (!w.ok() || !w.written().equals(m->plaintext))
        __builtin_trap();
    return 0;
}
