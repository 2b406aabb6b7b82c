#include "testbed/PcapWriter.h"

#include <cstdio>

namespace meshwork::testbed {

PcapWriter::PcapWriter(wire::PcapLinkType link_type, bool nanosecond)
    : link_type_(link_type), nanosecond_(nanosecond), file_(wire::PcapFileHeader::kSize) {
    wire::PcapFileHeader h;
    h.link_type = static_cast<std::uint32_t>(link_type);
    h.nanosecond = nanosecond;
    (void)h.emit(MutableByteSpan(file_.data(), file_.size()));
}

void PcapWriter::record_frame(Instant at, sim::LinkDirection direction, ByteSpan frame) {
    (void)direction;  // classic pcap has no direction field
    const std::size_t size = wire::pcap_record_size(link_type_, frame.size, nullptr);
    const std::size_t offset = file_.size();
    file_.resize(offset + size);
    const std::int64_t us = at.time_since_epoch().count();
    const std::uint64_t ns = us > 0 ? static_cast<std::uint64_t>(us) * 1000u : 0;
    std::size_t written = 0;
    Status s =
        wire::pcap_emit_record(link_type_, ns, frame, nullptr,
                               MutableByteSpan(file_.data() + offset, size), &written, nanosecond_);
    if (!s.ok()) {
        file_.resize(offset);
        ++failures_;
        return;
    }
    file_.resize(offset + written);
    ++frames_;
}

Status PcapWriter::save(const std::string &path) const {
    std::FILE *f = std::fopen(path.c_str(), "wb");
    if (f == nullptr)
        return Error::kInvalidArgument;
    const bool ok = std::fwrite(file_.data(), 1, file_.size(), f) == file_.size();
    return std::fclose(f) == 0 && ok ? Status() : Status(Error::kInvalidArgument);
}

}  // namespace meshwork::testbed
