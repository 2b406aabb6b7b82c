// IEEE 802.15.4 MAC frames: parse -> emit -> parse must give the same frame (ARCHITECTURE 4).
// The auxiliary security header alone, and the MAC's AES-CCM* on secured frames: unsecuring
// arbitrary bytes fails cleanly, and secure -> unsecure restores the frame.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "mesh/mac/MacSecurity.h"
#include "wire/Ieee802154.h"

using namespace meshwork;
using namespace meshwork::wire;

namespace {

void aux_header(const std::uint8_t *data, std::size_t size) {
    ByteReader r(ByteSpan(data, size));
    Result<AuxSecurityHeader> h = AuxSecurityHeader::parse(r);
    if (!h)
        return;
    const std::size_t used = size - r.remaining();
    if (h->emitted_size() != used)
        __builtin_trap();
    std::vector<std::uint8_t> out(used);
    ByteWriter w(MutableByteSpan(out.data(), out.size()));
    if (!h->emit(w) || std::memcmp(out.data(), data, used) != 0)
        __builtin_trap();
    ByteReader r2(ByteSpan(out.data(), out.size()));
    Result<AuxSecurityHeader> g = AuxSecurityHeader::parse(r2);
    if (!g || !(*g == *h))
        __builtin_trap();
}

void ccm(const MacFrame &f, ByteSpan mpdu) {
    static const std::uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    const std::uint8_t level = f.security.security_level;
    if (level == 0)
        return;
    const std::size_t a_len =
        static_cast<std::size_t>(f.payload.data - mpdu.data) + mac::mac_open_payload_size(f);
    std::uint8_t nonce[13];
    mac::mac_ccm_nonce(0x0123456789abcdefull, f.security.frame_counter, level, nonce);
    std::vector<std::uint8_t> buf(mpdu.begin(), mpdu.end());
    if (mpdu.size > MacFrame::kMaxPsduSize) {  // no 802.15.4 frame: refused, never overrun
        if (mac::mac_ccm_unsecure(key, nonce, level, MutableByteSpan(buf.data(), buf.size()), a_len)
                .error() != Error::kInvalidArgument)
            __builtin_trap();
        return;
    }
    Status s =
        mac::mac_ccm_unsecure(key, nonce, level, MutableByteSpan(buf.data(), buf.size()), a_len);
    if (!s && s.error() != Error::kChecksum)
        __builtin_trap();
    // Round trip: what secure() writes, unsecure() accepts and undoes.
    buf.assign(mpdu.begin(), mpdu.end());
    if (!mac::mac_ccm_secure(key, nonce, level, MutableByteSpan(buf.data(), buf.size()), a_len))
        __builtin_trap();
    if (!mac::mac_ccm_unsecure(key, nonce, level, MutableByteSpan(buf.data(), buf.size()), a_len))
        __builtin_trap();
    const std::size_t body = mpdu.size - f.security.mic_size();
    if (std::memcmp(buf.data(), mpdu.data, body) != 0)
        __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    aux_header(data, size);
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
    if (f->security_enabled && !f->payload_ies_encrypted)
        ccm(*f, ByteSpan(data, size));
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
