// MLE messages, their TLVs and the Thread Network Data inside: parse -> emit -> parse.
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
    // Re-emit the TLVs generically and compare.
    std::vector<std::uint8_t> tl(m->plaintext.size);
    ByteWriter w(MutableByteSpan(tl.data(), tl.size()));
    w.u8(p->command);
    TlvWriter tw(w);
    for (Tlv t : p->tlvs) {
        tw.put(t.type, t.value);
        switch (t.type) {
            case MleTlvType::kLeaderData:
                (void)MleLeaderData::parse(t.value);
                break;
            case MleTlvType::kRoute64:
                (void)MleRoute64::parse(t.value);
                break;
            case MleTlvType::kConnectivity:
                (void)MleConnectivity::parse(t.value);
                break;
            case MleTlvType::kAddressRegistration:
                (void)mle_for_each_address(t.value, [](const MleAddressEntry &) {});
                break;
            case MleTlvType::kNetworkData:
                walk_netdata(t.value, 0);
                break;
            default:
                break;
        }
    }
    if (!w.ok() || !w.written().equals(m->plaintext))
        __builtin_trap();
    return 0;
}
