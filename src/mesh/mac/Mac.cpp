#include "mesh/mac/Mac.h"

namespace meshwork::mac {

const char *mac_tx_status_name(MacTxStatus s) {
    switch (s) {
        case MacTxStatus::kSuccess:
            return "success";
        case MacTxStatus::kChannelAccessFailure:
            return "channel-access-failure";
        case MacTxStatus::kNoAck:
            return "no-ack";
        case MacTxStatus::kAborted:
            return "aborted";
    }
    return "?";
}

const char *drop_reason_name(MacRxDrop r) {
    switch (r) {
        case MacRxDrop::kBadFrame:
            return "bad-frame";
        case MacRxDrop::kFiltered:
            return "filtered";
        case MacRxDrop::kUnexpectedAck:
            return "unexpected-ack";
        case MacRxDrop::kAckNotSent:
            return "ack-not-sent";
        case MacRxDrop::kDuplicate:
            return "duplicate";
        case MacRxDrop::kCount:
            break;
    }
    return "?";
}

MacTiming MacTiming::for_channel(RadioChannel channel) {
    MacTiming t;
    // 868 MHz O-QPSK (page 2 channel 0) has 40 us symbols; the other O-QPSK PHYs 16 us.
    t.symbol_us = channel.page == 2 && channel.number == 0 ? 40 : 16;
    return t;
}

Mac::Mac(Radio &radio, const Clock &clock, Random &random, MacTimer &timer, const MacConfig &config)
    : radio_(radio), clock_(clock), random_(random), timer_(timer), cfg_(config) {
    radio_.set_listener(this);
    radio_.set_promiscuous(cfg_.promiscuous);
    dsn_ = static_cast<std::uint8_t>(random_.next_u32());  // macDSN starts random (7.4.2)
}

void Mac::set_pan_id(std::uint16_t pan) {
    pan_id_ = pan;
    radio_.set_pan_id(pan);
}

void Mac::set_short_address(std::uint16_t address) {
    short_address_ = address;
    radio_.set_short_address(address);
}

void Mac::set_extended_address(std::uint64_t address) {
    extended_address_ = address;
    radio_.set_extended_address(address);
}

Status Mac::data_request(const wire::MacFrame &frame, std::uint8_t handle) {
    if (state_ != State::kIdle)
        return Status(Error::kBadState);
    wire::MacFrame f = frame;
    f.seq = dsn_;
    if (f.emitted_size() > sizeof tx_buf_)
        return Status(Error::kInvalidArgument);
    Status s = f.emit(MutableByteSpan(tx_buf_, sizeof tx_buf_));
    if (!s)
        return Status(Error::kInvalidArgument);
    ++dsn_;
    ++counters_.requests;
    tx_len_ = f.emitted_size();
    tx_seq_ = f.seq;
    handle_ = handle;
    ack_requested_ = f.ack_request && !f.dst.is_broadcast() && !f.dst.is_none();
    nb_ = 0;
    be_ = cfg_.min_be;
    retries_ = 0;
    busy_ccas_ = 0;
    start_backoff(ifs_until_ > clock_.now() ? ifs_until_ : clock_.now());
    return Status();
}

void Mac::start_backoff(Instant base) {
    // Unslotted CSMA-CA: a random number of unit backoff periods in [0, 2^BE - 1].
    const auto periods = random_.uniform(1u << be_);
    const MacTiming t = MacTiming::for_channel(radio_.channel());
    state_ = State::kBackoff;
    timer_.arm(base + t.unit_backoff() * std::int64_t{periods});
}

void Mac::on_timer() {
    if (state_ == State::kBackoff) {
        RadioTxRequest r;
        r.psdu = ByteSpan(tx_buf_, tx_len_);
        r.cca = true;
        r.cca_mode = cfg_.cca_mode;
        Status s = radio_.transmit(r);
        if (!s) {
            // The radio is sending an ack or is off: as good as a busy channel.
            if (radio_.state() == RadioState::kDisabled) {
                finish(MacTxStatus::kAborted);
                return;
            }
            channel_busy();
            return;
        }
        state_ = State::kTransmitting;
    } else if (state_ == State::kWaitAck) {
        retry();
    }
}

void Mac::channel_busy() {
    ++busy_ccas_;
    ++counters_.busy_ccas;
    ++nb_;
    if (be_ < cfg_.max_be)
        ++be_;
    if (nb_ > cfg_.max_csma_backoffs) {
        ++counters_.channel_access_failures;
        finish(MacTxStatus::kChannelAccessFailure);
        return;
    }
    start_backoff(clock_.now());
}

void Mac::retry() {
    if (retries_ >= cfg_.max_frame_retries) {
        ++counters_.no_ack;
        ifs_until_ = clock_.now();
        finish(MacTxStatus::kNoAck);
        return;
    }
    ++retries_;
    ++counters_.retries;
    nb_ = 0;
    be_ = cfg_.min_be;
    start_backoff(clock_.now());
}

void Mac::finish(MacTxStatus status, bool frame_pending) {
    state_ = State::kIdle;
    timer_.disarm();
    MacTxConfirm c;
    c.handle = handle_;
    c.status = status;
    c.retries = retries_;
    c.busy_ccas = busy_ccas_;
    c.frame_pending = frame_pending;
    c.time = clock_.now();
    if (listener_)
        listener_->mcps_data_confirm(c);
}

void Mac::on_radio_tx_done(const RadioTxResult &result) {
    if (ack_in_flight_) {
        ack_in_flight_ = false;
        return;
    }
    if (state_ != State::kTransmitting)
        return;
    switch (result.status) {
        case RadioTxStatus::kChannelBusy:
            channel_busy();
            return;
        case RadioTxStatus::kOk:
            break;
        case RadioTxStatus::kAborted:
        case RadioTxStatus::kNoAck:
            finish(MacTxStatus::kAborted);
            return;
    }
    ++counters_.transmissions;
    const MacTiming t = MacTiming::for_channel(radio_.channel());
    if (ack_requested_) {
        state_ = State::kWaitAck;
        timer_.arm(result.end_time + t.ack_wait());
        return;
    }
    ++counters_.success;
    ifs_until_ = result.end_time + t.ifs(tx_len_);
    finish(MacTxStatus::kSuccess);
}

bool Mac::accept(const wire::MacFrame &f) const {
    if (cfg_.promiscuous)
        return true;
    if (f.type == wire::MacFrameType::kBeacon)
        return pan_id_ == 0xffff || !f.has_src_pan || f.src_pan == pan_id_;
    if (f.has_dst_pan && f.dst_pan != 0xffff && f.dst_pan != pan_id_)
        return false;
    switch (f.dst.mode) {
        case wire::MacAddrMode::kShort:
            return f.dst.short_address == wire::MacAddress::kBroadcastShort ||
                   f.dst.short_address == short_address_;
        case wire::MacAddrMode::kExtended:
            return f.dst.extended == extended_address_;
        case wire::MacAddrMode::kNone:
            return false;  // only a PAN coordinator takes frames without a destination
    }
    return false;
}

void Mac::send_ack(const wire::MacFrame &f) {
    const wire::MacFrame ack = wire::MacFrame::imm_ack(f.seq, false);
    if (radio_.state() != RadioState::kReceive || ack_in_flight_ ||
        !ack.emit(MutableByteSpan(ack_buf_, sizeof ack_buf_))) {
        counters_.drops.count(MacRxDrop::kAckNotSent);
        return;
    }
    RadioTxRequest r;
    r.psdu = ByteSpan(ack_buf_, sizeof ack_buf_);
    r.cca = false;  // aTurnaroundTime after the frame, without CCA (7.5.6.4.2)
    if (!radio_.transmit(r)) {
        counters_.drops.count(MacRxDrop::kAckNotSent);
        return;
    }
    ack_in_flight_ = true;
    ++counters_.acks_sent;
}

bool Mac::duplicate(const wire::MacFrame &f) {
    if (f.src.is_none() || f.seq_suppressed || f.type == wire::MacFrameType::kBeacon)
        return false;
    for (RecentSource &r : recent_) {
        if (r.used && r.src == f.src) {
            const bool dup = r.seq == f.seq;
            r.seq = f.seq;
            return dup;
        }
    }
    recent_[recent_next_] = RecentSource{true, f.src, f.seq};
    recent_next_ = (recent_next_ + 1) % recent_.size();
    return false;
}

void Mac::on_radio_receive(const RadioRxFrame &rx) {
    Result<wire::MacFrame> parsed = wire::MacFrame::parse(rx.psdu);
    if (!parsed) {
        counters_.drops.count(MacRxDrop::kBadFrame);
        return;
    }
    const wire::MacFrame &f = *parsed;
    if (f.type == wire::MacFrameType::kAck) {
        if (state_ != State::kWaitAck || f.seq != tx_seq_) {
            counters_.drops.count(MacRxDrop::kUnexpectedAck);
            return;
        }
        ++counters_.success;
        const MacTiming t = MacTiming::for_channel(radio_.channel());
        // With an ack, the IFS follows the ack (7.5.1.3).
        ifs_until_ = clock_.now() + t.ifs(tx_len_);
        finish(MacTxStatus::kSuccess, f.frame_pending);
        return;
    }
    if (!accept(f)) {
        counters_.drops.count(MacRxDrop::kFiltered);
        return;
    }
    if (!cfg_.promiscuous && f.ack_request && !f.dst.is_broadcast())
        send_ack(f);
    if (!cfg_.promiscuous && duplicate(f)) {
        counters_.drops.count(MacRxDrop::kDuplicate);
        return;
    }
    ++counters_.indications;
    if (listener_)
        listener_->mcps_data_indication(f, rx);
}

}  // namespace meshwork::mac
