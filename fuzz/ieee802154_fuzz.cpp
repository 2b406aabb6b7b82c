// IEEE 802.15.4 MAC frames: parse -> emit -> parse must give the same frame (ARCHITECTURE 4).
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "wire/Ieee802154.h"

using namespace meshwork;
using namespace meshwork::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    Result<MacFrame> f = MacFrame::parse_without_fcs(ByteSpan(data, size));
    if (!f)
        return 0;
    std::vector<std::uint8_t> out(f->emitted_size());
    if (!f->emit(MutableByteSpan(out.data(), out.size())).ok())
        __builtin_trap();
    // A buffer one byte short must be refused, never overrun.
    if (!out.empty() && f->emit(MutableByteSpan(out.data(), out.size() - 1)).ok())
        __builtin_trap();
    Result<MacFrame> g = MacFrame::parse(ByteSpan(out.data(), out.size()));
    if (!g || !(*g == *f))
        __builtin_trap();
    if (f->type == MacFrameType::kBeacon && !f->security_enabled) {
        Result<BeaconPayload> b = BeaconPayload::parse(f->payload);
        if (b) {
            std::vector<std::uint8_t> bo(b->emitted_size());
            if (!b->emit(MutableByteSpan(bo.data(), bo.size())).ok())
                __builtin_trap();
            if (!ByteSpan(bo.data(), bo.size()).equals(f->payload))
                __builtin_trap();
            (void)ThreadBeacon::parse(b->beacon_payload);
        }
    }
    Result<HeaderIeList> hl = HeaderIeList::parse(f->header_ies);
    if (!hl)
        __builtin_trap();  // parse() only accepts well-formed IE lists
    hl->for_each([](const HeaderIe &ie) {
        if (ie.id == static_cast<std::uint8_t>(HeaderIeId::kCsl))
            (void)CslIe::parse(ie.content);
    });
    if (!f->payload_ies.empty() && !PayloadIeList::parse(f->payload_ies))
        __builtin_trap();  // likewise for the payload IEs of an unsecured frame
    return 0;
}
