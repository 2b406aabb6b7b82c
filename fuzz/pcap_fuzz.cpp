// pcap reader (either byte order, micro- or nanosecond) and the 802.15.4 record extraction
// (LINKTYPE 195, 230, 283 with the TAP pseudo-header): every record that reads is written again
// with pcap_emit_record into a fresh capture, which must read back to the same frames and fields.
#include <cstdint>
#include <cstring>
#include <vector>

#include "wire/Pcap.h"

using namespace meshwork;
using namespace meshwork::wire;

namespace {

bool same_tap(const TapHeader &a, const TapHeader &b) {
    return a.has_fcs_type == b.has_fcs_type && (!a.has_fcs_type || a.fcs_type == b.fcs_type) &&
           a.has_rss == b.has_rss &&
           (!a.has_rss || std::memcmp(&a.rss_dbm, &b.rss_dbm, sizeof a.rss_dbm) == 0) &&
           a.has_channel == b.has_channel &&
           (!a.has_channel || (a.channel == b.channel && a.page == b.page)) &&
           a.has_lqi == b.has_lqi && (!a.has_lqi || a.lqi == b.lqi);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    Result<PcapReader> reader = PcapReader::parse(ByteSpan(data, size));
    if (!reader)
        return 0;
    const std::uint32_t lt = reader->header().link_type;
    if (lt != 195 && lt != 230 && lt != 283)
        return 0;
    const bool nano = reader->header().nanosecond;
    PcapFileHeader fh;
    fh.link_type = lt;
    fh.nanosecond = nano;
    std::vector<std::uint8_t> out(PcapFileHeader::kSize);
    if (!fh.emit(MutableByteSpan(out.data(), out.size())).ok())
        __builtin_trap();
    std::vector<PcapMacFrame> frames;
    std::vector<std::uint64_t> stamps;
    PcapRecord rec;
    for (int guard = 0; guard < 64; ++guard) {
        Result<bool> more = reader->next(&rec);
        if (!more || !*more)
            break;
        if (rec.data.size > size)
            __builtin_trap();
        Result<PcapMacFrame> f = pcap_mac_frame(lt, rec.data);
        if (!f)
            continue;
        if ((lt == 283) != f->has_tap || f->frame.size > rec.data.size)
            __builtin_trap();
        // pcap_emit_record takes the PSDU with its FCS and drops it itself when the link type
        // carries none; give it two filler bytes there.
        std::vector<std::uint8_t> psdu(f->frame.data, f->frame.data + f->frame.size);
        if (!f->has_fcs)
            psdu.insert(psdu.end(), {0, 0});
        if (psdu.size() < 2)
            continue;  // a 195 record too short to hold an FCS cannot be written
        const std::uint64_t ts = nano ? rec.timestamp_ns : rec.timestamp_ns / 1000u * 1000u;
        const std::size_t at = out.size();
        const std::size_t n = pcap_record_size(static_cast<PcapLinkType>(lt), psdu.size(),
                                               f->has_tap ? &f->tap : nullptr);
        out.resize(at + n);
        std::size_t written = 0;
        if (!pcap_emit_record(static_cast<PcapLinkType>(lt), ts, ByteSpan(psdu.data(), psdu.size()),
                              f->has_tap ? &f->tap : nullptr, MutableByteSpan(out.data() + at, n),
                              &written, nano)
                 .ok() ||
            written != n)
            __builtin_trap();
        frames.push_back(*f);
        stamps.push_back(ts);
    }
    Result<PcapReader> again = PcapReader::parse(ByteSpan(out.data(), out.size()));
    if (!again || again->header().link_type != lt || again->header().swapped ||
        again->header().nanosecond != nano)
        __builtin_trap();
    for (std::size_t i = 0; i < frames.size(); ++i) {
        Result<bool> more = again->next(&rec);
        if (!more || !*more)
            __builtin_trap();
        Result<PcapMacFrame> f = pcap_mac_frame(lt, rec.data);
        if (!f || !f->frame.equals(frames[i].frame) || f->has_fcs != frames[i].has_fcs ||
            f->has_tap != frames[i].has_tap || (f->has_tap && !same_tap(f->tap, frames[i].tap)))
            __builtin_trap();
        // Seconds beyond 32 bits cannot be written back; compare only what the format holds.
        if (stamps[i] / 1000000000u <= 0xffffffffu && rec.timestamp_ns != stamps[i])
            __builtin_trap();
    }
    Result<bool> end = again->next(&rec);
    if (!end || *end)
        __builtin_trap();
    return 0;
}
