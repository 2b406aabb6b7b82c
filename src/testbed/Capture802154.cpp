#include "testbed/Capture802154.h"

namespace meshwork::testbed {

Capture802154::Capture802154(sim::RadioMedium &medium, wire::PcapLinkType link_type, Mode mode)
    : medium_(medium), link_type_(link_type), mode_(mode) {
    wire::PcapFileHeader h;
    h.link_type = static_cast<std::uint32_t>(link_type);
    h.nanosecond = true;
    bytes_.resize(wire::PcapFileHeader::kSize);
    (void)h.emit(MutableByteSpan(bytes_.data(), bytes_.size()));
    medium_.add_tap(this);
}

Capture802154::~Capture802154() {
    medium_.remove_tap(this);
    close();
}

Status Capture802154::open(const std::string &path) {
    close();
    file_ = std::fopen(path.c_str(), "wb");
    if (!file_)
        return Status(Error::kNotFound);
    if (std::fwrite(bytes_.data(), 1, bytes_.size(), file_) != bytes_.size() ||
        std::fflush(file_) != 0) {
        close();
        return Status(Error::kNoSpace);
    }
    return Status();
}

void Capture802154::close() {
    if (file_ && std::fclose(file_) != 0)
        ++write_errors_;
    file_ = nullptr;
}

void Capture802154::on_air_start(const sim::AirFrame &frame) {
    if (mode_ == Mode::kAir)
        record(frame.start, frame, frame.tx_power_dbm, 255);
}

void Capture802154::on_reception(const sim::AirReception &r) {
    if (mode_ == Mode::kReceptions)
        record(r.frame->sfd_time, *r.frame, r.rssi_dbm, r.lqi);
}

void Capture802154::record(Instant t, const sim::AirFrame &frame, double rss_dbm,
                           std::uint8_t lqi) {
    wire::TapHeader tap;
    tap.has_fcs_type = true;
    tap.fcs_type = 1;  // the PSDU ends in its 16-bit FCS (core/Radio.h)
    tap.has_rss = true;
    tap.rss_dbm = static_cast<float>(rss_dbm);
    tap.has_channel = true;
    tap.channel = frame.channel.number;
    tap.page = frame.channel.page;
    tap.has_lqi = true;
    tap.lqi = lqi;
    const wire::TapHeader *tp = link_type_ == wire::PcapLinkType::kIeee802154Tap ? &tap : nullptr;
    const std::size_t n = wire::pcap_record_size(link_type_, frame.psdu.size, tp);
    const std::size_t at = bytes_.size();
    bytes_.resize(at + n);
    std::size_t written = 0;
    const auto ns = static_cast<std::uint64_t>(t.time_since_epoch().count()) * 1000u;
    if (!wire::pcap_emit_record(link_type_, ns, frame.psdu, tp,
                                MutableByteSpan(bytes_.data() + at, n), &written, true)) {
        bytes_.resize(at);
        ++write_errors_;
        return;
    }
    bytes_.resize(at + written);
    ++records_;
    if (file_ && std::fwrite(bytes_.data() + at, 1, written, file_) != written)
        ++write_errors_;
}

}  // namespace meshwork::testbed
