#include "mesh/mac/Mac.h"

#include <algorithm>
#include <cstring>

namespace meshwork::mac {

namespace {

// BO = SO = 15, final CAP slot 0, no PAN coordinator bit, association not permitted.
constexpr std::uint16_t kBareBeaconSuperframe = 0x00ff;

constexpr std::uint8_t kCmdDataRequest =
    static_cast<std::uint8_t>(wire::MacCommandId::kDataRequest);
constexpr std::uint8_t kCmdBeaconRequest =
    static_cast<std::uint8_t>(wire::MacCommandId::kBeaconRequest);
constexpr std::uint8_t kCmdAssociationRequest =
    static_cast<std::uint8_t>(wire::MacCommandId::kAssociationRequest);
constexpr std::uint8_t kCmdAssociationResponse =
    static_cast<std::uint8_t>(wire::MacCommandId::kAssociationResponse);
constexpr std::uint8_t kCmdDisassociation =
    static_cast<std::uint8_t>(wire::MacCommandId::kDisassociationNotification);
constexpr std::uint8_t kCmdOrphanNotification =
    static_cast<std::uint8_t>(wire::MacCommandId::kOrphanNotification);
constexpr std::uint8_t kCmdCoordinatorRealignment =
    static_cast<std::uint8_t>(wire::MacCommandId::kCoordinatorRealignment);
constexpr std::size_t kMaxBeaconPayload = 52;  // aMaxBeaconPayloadLength
constexpr int kResponseWaitTime = 32;          // macResponseWaitTime, in aBaseSuperframeDuration

std::uint8_t command_of(const wire::MacFrame &f) {
    return f.type == wire::MacFrameType::kMacCommand && !f.payload.empty() ? f.payload[0] : 0;
}

void put_fcs(std::uint8_t *psdu, std::size_t len) {
    const std::uint16_t fcs = wire::mac_fcs(ByteSpan(psdu, len - 2));
    psdu[len - 2] = static_cast<std::uint8_t>(fcs);
    psdu[len - 1] = static_cast<std::uint8_t>(fcs >> 8);
}

}  // namespace

const char *mac_associate_status_name(MacAssociateStatus s) {
    switch (s) {
        case MacAssociateStatus::kSuccess:
            return "success";
        case MacAssociateStatus::kPanAtCapacity:
            return "pan-at-capacity";
        case MacAssociateStatus::kPanAccessDenied:
            return "pan-access-denied";
        case MacAssociateStatus::kNoAck:
            return "no-ack";
        case MacAssociateStatus::kNoData:
            return "no-data";
        case MacAssociateStatus::kChannelAccessFailure:
            return "channel-access-failure";
        case MacAssociateStatus::kAborted:
            return "aborted";
    }
    return "?";
}

const char *mac_poll_status_name(MacPollStatus s) {
    switch (s) {
        case MacPollStatus::kSuccess:
            return "success";
        case MacPollStatus::kNoData:
            return "no-data";
        case MacPollStatus::kNoAck:
            return "no-ack";
        case MacPollStatus::kChannelAccessFailure:
            return "channel-access-failure";
        case MacPollStatus::kAborted:
            return "aborted";
    }
    return "?";
}

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
        case MacTxStatus::kTransactionExpired:
            return "transaction-expired";
        case MacTxStatus::kSecurityError:
            return "security-error";
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
        case MacRxDrop::kUnsecured:
            return "unsecured";
        case MacRxDrop::kSecurityMalformed:
            return "security-malformed";
        case MacRxDrop::kUnknownDevice:
            return "unknown-device";
        case MacRxDrop::kUnknownKey:
            return "unknown-key";
        case MacRxDrop::kReplay:
            return "replay";
        case MacRxDrop::kCounterError:
            return "counter-error";
        case MacRxDrop::kMicFailure:
            return "mic-failure";
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
    bsn_ = static_cast<std::uint8_t>(dsn_ ^ 0xa5);         // macBSN: no second draw, same stream
    radio_idle();  // macRxOnWhenIdle false: asleep until there is something to do
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

wire::MacAddress Mac::own_source() const {
    return short_address_ < wire::MacAddress::kNoShortAddress
               ? wire::MacAddress::from_short(short_address_)
               : wire::MacAddress::from_extended(extended_address_);
}

MacKeyDescriptor *Mac::tx_key(const wire::MacFrame &f) {
    std::uint64_t peer = f.dst.mode == wire::MacAddrMode::kExtended ? f.dst.extended : 0;
    if (f.dst.mode == wire::MacAddrMode::kShort) {
        const int d = security_.find_device_by_short(pan_id_, f.dst.short_address);
        if (d >= 0)
            peer = security_.device(d)->extended_address;
    }
    return security_.key(security_.find_key(f.security, peer));
}

Status Mac::build(wire::MacFrame f, std::uint8_t *out, std::size_t *len, bool dry_run, bool ack) {
    static const std::uint8_t kZeroMic[16] = {};
    MacKeyDescriptor *key = nullptr;
    if (f.security_enabled) {
        wire::AuxSecurityHeader &h = f.security;
        if (h.security_level == 0 || h.security_level > 7 || h.key_id_mode > 3 ||
            f.version == wire::MacFrameVersion::k2003)
            return Status(Error::kInvalidArgument);
        if (!f.payload_ies.empty() || f.payload_ies_encrypted)
            return Status(Error::kUnsupported);
        h.frame_counter_suppressed = false;
        h.asn_in_nonce = false;
        key = tx_key(f);
        if (!key) {
            counters_.tx_unavailable_key += !ack;
            return Status(Error::kNotFound);
        }
        if (key->frame_counter == 0xffffffffu) {
            counters_.tx_counter_exhausted += !ack;
            return Status(Error::kNoSpace);
        }
        h.frame_counter = key->frame_counter;
        f.mic = ByteSpan(kZeroMic, h.mic_size());
    } else {
        f.mic = ByteSpan();
    }
    const std::size_t size = f.emitted_size();
    if (size > wire::MacFrame::kMaxPsduSize)
        return Status(Error::kInvalidArgument);
    if (!f.emit(MutableByteSpan(out, size)))
        return Status(Error::kInvalidArgument);
    if (key && !dry_run) {
        Result<wire::MacFrame> e = wire::MacFrame::parse_without_fcs(ByteSpan(out, size - 2));
        if (!e)
            return Status(Error::kInvalidArgument);
        const std::size_t a_len =
            static_cast<std::size_t>(e->payload.data - out) + mac_open_payload_size(*e);
        std::uint8_t nonce[13];
        mac_ccm_nonce(extended_address_, f.security.frame_counter, f.security.security_level,
                      nonce);
        if (Status s = mac_ccm_secure(key->key, nonce, f.security.security_level,
                                      MutableByteSpan(out, size - 2), a_len);
            !s)
            return s;
        put_fcs(out, size);
        ++key->frame_counter;
        if (ack)
            ++counters_.secured_acks_sent;
        else
            ++counters_.secured_tx;
    }
    *len = size;
    return Status();
}

Status Mac::data_request(const wire::MacFrame &frame, std::uint8_t handle) {
    return data_request(frame, handle, MacTxOptions{});
}

Status Mac::data_request(const wire::MacFrame &frame, std::uint8_t handle,
                         const MacTxOptions &options) {
    if (options.indirect) {
        if (frame.dst.is_none() || frame.dst.is_broadcast())
            return Status(Error::kInvalidArgument);
        if (indirect_.size() >= kMaxIndirect)
            return Status(Error::kNoSpace);
        std::uint8_t scratch[wire::MacFrame::kMaxPsduSize];
        std::size_t len = 0;
        wire::MacFrame f = frame;
        f.frame_pending = true;  // the largest form it can take
        if (Status s = build(f, scratch, &len, true); !s)
            return s;
        indirect_.emplace_back();
        Indirect &e = indirect_.back();
        e.frame = frame;
        e.payload.assign(frame.payload.begin(), frame.payload.end());
        e.header_ies.assign(frame.header_ies.begin(), frame.header_ies.end());
        e.frame.payload = ByteSpan(e.payload.data(), e.payload.size());
        e.frame.header_ies = ByteSpan(e.header_ies.data(), e.header_ies.size());
        e.handle = handle;
        e.expiry = clock_.now() + transaction_persistence();
        ++counters_.requests;
        ++counters_.indirect_queued;
        rearm();
        return Status();
    }
    if (user_pending_ || (state_ != State::kIdle && tx_kind_ == TxKind::kUser))
        return Status(Error::kBadState);
    wire::MacFrame f = frame;
    f.seq = dsn_;
    if (Status s = build(f, user_buf_, &user_len_); !s)
        return s;
    ++dsn_;
    ++counters_.requests;
    user_handle_ = handle;
    user_ack_ = f.ack_request && !f.dst.is_broadcast() && !f.dst.is_none();
    user_pending_ = true;
    kick();
    return Status();
}

std::size_t Mac::indirect_pending(const wire::MacAddress &dst) const {
    return static_cast<std::size_t>(std::count_if(
        indirect_.begin(), indirect_.end(), [&](const Indirect &e) { return e.frame.dst == dst; }));
}

bool Mac::pending_for(const wire::MacAddress &a) const {
    for (const Indirect &e : indirect_)
        if (!e.in_flight && !e.direct && e.frame.dst == a)
            return true;
    return false;
}

void Mac::start_tx(TxKind kind, const std::uint8_t *psdu, std::size_t len, bool ack,
                   std::uint8_t handle) {
    if (psdu != tx_buf_)
        std::memcpy(tx_buf_, psdu, len);
    tx_len_ = len;
    tx_seq_ = (tx_buf_[1] & 0x01) ? 0 : tx_buf_[2];  // no sequence number if suppressed
    tx_kind_ = kind;
    handle_ = handle;
    ack_requested_ = ack;
    expect_secured_ack();
    nb_ = 0;
    be_ = cfg_.min_be;
    retries_ = 0;
    busy_ccas_ = 0;
    radio_wake();
    start_backoff(ifs_until_ > clock_.now() ? ifs_until_ : clock_.now());
}

void Mac::kick() {
    if (state_ != State::kIdle)
        return;
    if (scan_active_) {
        if (scan_beacon_request_pending_) {
            scan_beacon_request_pending_ = false;
            start_tx(TxKind::kBeaconRequest, beacon_request_buf_, beacon_request_len_, false, 0);
        }
        return;  // the radio is on a scanned channel: nothing else goes out
    }
    if (poll_pending_tx_) {
        poll_pending_tx_ = false;
        start_tx(TxKind::kPoll, poll_buf_, poll_len_, true, 0);
        return;
    }
    if (assoc_pending_tx_) {
        assoc_pending_tx_ = false;
        start_tx(TxKind::kAssocRequest, assoc_buf_, assoc_len_, true, 0);
        return;
    }
    if (disassoc_pending_tx_) {
        disassoc_pending_tx_ = false;
        start_tx(TxKind::kDisassociate, disassoc_buf_, disassoc_len_, true, 0);
        return;
    }
    for (auto it = indirect_.begin(); it != indirect_.end(); ++it) {
        if (!it->requested)
            continue;
        wire::MacFrame f = it->frame;
        f.seq = dsn_;
        f.frame_pending = !it->direct &&
                          std::count_if(indirect_.begin(), indirect_.end(), [&](const Indirect &e) {
                              return !e.direct && e.frame.dst == f.dst;
                          }) > 1;
        std::size_t len = 0;
        if (Status s = build(f, tx_buf_, &len); !s) {
            // The key went away or its counter ran out while the frame waited.
            const Indirect e = std::move(*it);
            indirect_.erase(it);
            rearm();
            if (e.internal) {
                internal_done(e, MacTxStatus::kSecurityError);
            } else {
                MacTxConfirm c;
                c.handle = e.handle;
                c.status = MacTxStatus::kSecurityError;
                c.time = clock_.now();
                if (listener_)
                    listener_->mcps_data_confirm(c);
            }
            kick();
            return;
        }
        ++dsn_;
        it->in_flight = true;
        it->requested = false;
        start_tx(TxKind::kIndirect, tx_buf_, len, f.ack_request, it->handle);
        return;
    }
    if (beacon_pending_) {
        beacon_pending_ = false;
        if (build_beacon()) {
            start_tx(TxKind::kBeacon, beacon_buf_, beacon_len_, false, 0);
            return;
        }
    }
    if (user_pending_) {
        user_pending_ = false;
        start_tx(TxKind::kUser, user_buf_, user_len_, user_ack_, user_handle_);
    }
}

void Mac::set_deadline(Instant *slot, Instant at) {
    *slot = at;
    rearm();
}

void Mac::rearm() {
    Instant next = std::min({tx_deadline_, poll_deadline_, scan_deadline_, assoc_deadline_});
    for (const Indirect &e : indirect_)
        if (!e.in_flight)
            next = std::min(next, e.expiry);
    if (next == armed_at_)
        return;
    armed_at_ = next;
    if (next == kNever)
        timer_.disarm();
    else
        timer_.arm(next);
}

void Mac::start_backoff(Instant base) {
    // Unslotted CSMA-CA: a random number of unit backoff periods in [0, 2^BE - 1].
    const auto periods = random_.uniform(1u << be_);
    const MacTiming t = MacTiming::for_channel(radio_.channel());
    state_ = State::kBackoff;
    set_deadline(&tx_deadline_, base + t.unit_backoff() * std::int64_t{periods});
}

void Mac::on_timer() {
    armed_at_ = kNever;
    const Instant now = clock_.now();
    expire_indirect(now);
    if (poll_deadline_ <= now) {
        poll_deadline_ = kNever;
        poll_done(MacPollStatus::kNoData);
    }
    if (scan_deadline_ <= now) {
        scan_deadline_ = kNever;
        scan_channel_done();
    }
    if (assoc_deadline_ <= now) {
        // macResponseWaitTime is over: ask the coordinator for the response.
        assoc_deadline_ = kNever;
        assoc_state_ = AssocState::kPolling;
        poll_coord_ = assoc_coord_;
        poll_pan_ = assoc_pan_;
        poll_security_ = wire::AuxSecurityHeader{};
        poll_auto_ = true;
        if (!queue_poll())
            assoc_done(MacAssociateStatus::kAborted);
    }
    if (tx_deadline_ <= now) {
        tx_deadline_ = kNever;
        tx_timer();
    }
    rearm();
}

void Mac::tx_timer() {
    if (state_ == State::kBackoff) {
        RadioTxRequest r;
        r.psdu = ByteSpan(tx_buf_, tx_len_);
        r.cca = true;
        r.cca_mode = cfg_.cca_mode;
        radio_wake();
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

void Mac::expire_indirect(Instant now) {
    std::vector<Indirect> expired;
    for (auto it = indirect_.begin(); it != indirect_.end();) {
        if (!it->in_flight && it->expiry <= now) {
            expired.push_back(std::move(*it));
            it = indirect_.erase(it);
        } else {
            ++it;
        }
    }
    for (const Indirect &e : expired) {
        ++counters_.indirect_expired;
        if (e.internal) {
            internal_done(e, MacTxStatus::kTransactionExpired);
            continue;
        }
        MacTxConfirm c;
        c.handle = e.handle;
        c.status = MacTxStatus::kTransactionExpired;
        c.time = now;
        if (listener_)
            listener_->mcps_data_confirm(c);
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
    tx_deadline_ = kNever;
    rearm();
    confirm_done(tx_kind_, status, frame_pending);
    kick();
    radio_idle();
}

void Mac::confirm_done(TxKind kind, MacTxStatus status, bool frame_pending) {
    MacTxConfirm c;
    c.handle = handle_;
    c.status = status;
    c.retries = retries_;
    c.busy_ccas = busy_ccas_;
    c.frame_pending = frame_pending;
    c.time = clock_.now();
    switch (kind) {
        case TxKind::kIndirect: {
            auto it = std::find_if(indirect_.begin(), indirect_.end(),
                                   [](const Indirect &e) { return e.in_flight; });
            if (it == indirect_.end())
                return;
            const Indirect e = std::move(*it);
            indirect_.erase(it);
            rearm();
            if (e.internal) {
                internal_done(e, status);
                return;
            }
            c.handle = e.handle;
            if (listener_)
                listener_->mcps_data_confirm(c);
            return;
        }
        case TxKind::kUser:
            if (listener_)
                listener_->mcps_data_confirm(c);
            return;
        case TxKind::kBeacon:
            counters_.beacons_sent += status == MacTxStatus::kSuccess;
            return;
        case TxKind::kBeaconRequest:
            if (scan_active_)
                set_deadline(&scan_deadline_, clock_.now() + scan_wait());
            return;
        case TxKind::kDisassociate:
            disassoc_done(status);
            return;
        case TxKind::kAssocRequest:
            switch (status) {
                case MacTxStatus::kSuccess: {
                    assoc_state_ = AssocState::kWaitResponse;
                    const MacTiming t = MacTiming::for_channel(radio_.channel());
                    set_deadline(&assoc_deadline_,
                                 clock_.now() + Duration(t.symbol_us * kResponseWaitTime *
                                                         MacTiming::kBaseSuperframeSymbols));
                    return;
                }
                case MacTxStatus::kNoAck:
                    assoc_done(MacAssociateStatus::kNoAck);
                    return;
                case MacTxStatus::kChannelAccessFailure:
                    assoc_done(MacAssociateStatus::kChannelAccessFailure);
                    return;
                default:
                    assoc_done(MacAssociateStatus::kAborted);
                    return;
            }
        case TxKind::kPoll:
            switch (status) {
                case MacTxStatus::kSuccess:
                    if (frame_pending) {
                        poll_waiting_data_ = true;
                        set_deadline(&poll_deadline_, clock_.now() + max_frame_total_wait());
                    } else {
                        poll_done(MacPollStatus::kNoData);
                    }
                    return;
                case MacTxStatus::kNoAck:
                    poll_done(MacPollStatus::kNoAck);
                    return;
                case MacTxStatus::kChannelAccessFailure:
                    poll_done(MacPollStatus::kChannelAccessFailure);
                    return;
                default:
                    poll_done(MacPollStatus::kAborted);
                    return;
            }
    }
}

void Mac::on_radio_tx_done(const RadioTxResult &result) {
    if (ack_in_flight_) {
        ack_in_flight_ = false;
        if (channel_after_ack_) {
            channel_after_ack_ = false;
            (void)radio_.set_channel(channel_after_ack_to_);
            kick();
        }
        radio_idle();
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
        const Duration wait = cfg_.ack_wait.count() > 0 ? cfg_.ack_wait : t.ack_wait();
        // The wait is for the ack's start (2015 macEnhAckWaitDuration: its PHY header); a
        // secured enh-ack may end after it.
        ack_sfd_by_ = result.end_time + wait;
        set_deadline(&tx_deadline_, ack_sfd_by_ + (ack_secured_ ? ack_airtime_ : Duration(0)));
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
        return scan_active_ || pan_id_ == 0xffff || !f.has_src_pan || f.src_pan == pan_id_;
    if (f.has_dst_pan && f.dst_pan != 0xffff && f.dst_pan != pan_id_)
        return false;
    switch (f.dst.mode) {
        case wire::MacAddrMode::kShort:
            return f.dst.short_address == wire::MacAddress::kBroadcastShort ||
                   f.dst.short_address == short_address_;
        case wire::MacAddrMode::kExtended:
            return f.dst.extended == extended_address_;
        case wire::MacAddrMode::kNone:
            // Only a PAN coordinator takes frames without a destination (2006 7.5.6.2).
            return pan_coordinator_ && (!f.has_src_pan || f.src_pan == pan_id_);
    }
    return false;
}

wire::MacFrame Mac::enh_ack_for(const wire::MacFrame &f, bool frame_pending) const {
    // Frame version 2, addressed back to the sender; no IEs, so no header termination.
    wire::MacFrame a;
    a.type = wire::MacFrameType::kAck;
    a.version = wire::MacFrameVersion::k2015;
    a.seq = f.seq;
    a.seq_suppressed = f.seq_suppressed;
    a.frame_pending = frame_pending;
    a.dst = f.src;
    if (!a.pan_id_compression()) {
        a.has_dst_pan = true;
        a.dst_pan = f.has_src_pan ? f.src_pan : pan_id_;
    }
    if (f.security_enabled) {
        // Secured like the frame it acknowledges: its level and key identifier (2015 7.3.3,
        // 9.2.1), under this MAC's own outgoing frame counter for that key.
        a.security_enabled = true;
        a.security.security_level = f.security.security_level;
        a.security.key_id_mode = f.security.key_id_mode;
        std::memcpy(a.security.key_source, f.security.key_source, sizeof a.security.key_source);
        a.security.key_index = f.security.key_index;
    }
    return a;
}

void Mac::expect_secured_ack() {
    ack_secured_ = false;
    if (!ack_requested_ || tx_len_ < 3 + wire::MacFrame::kFcsSize)
        return;
    const auto fcf = static_cast<std::uint16_t>(tx_buf_[0] | tx_buf_[1] << 8);
    if (!(fcf & 0x0008) || ((fcf >> 12) & 3) != 2)  // secured, frame version 2
        return;
    Result<wire::MacFrame> f =
        wire::MacFrame::parse_without_fcs(ByteSpan(tx_buf_, tx_len_ - wire::MacFrame::kFcsSize));
    if (!f)
        return;
    ack_secured_ = true;
    ack_security_ = f->security;
    ack_peer_ = 0;
    if (f->dst.mode == wire::MacAddrMode::kExtended) {
        ack_peer_ = f->dst.extended;
    } else if (f->dst.mode == wire::MacAddrMode::kShort) {
        const int d = security_.find_device_by_short(f->has_dst_pan ? f->dst_pan : pan_id_,
                                                     f->dst.short_address);
        if (d >= 0)
            ack_peer_ = security_.device(d)->extended_address;
    }
    static const std::uint8_t kZeroMic[16] = {};
    wire::MacFrame a = enh_ack_for(*f, true);
    a.mic = ByteSpan(kZeroMic, a.security.mic_size());
    // SHR (5 octets), PHR and the PSDU: 2 symbols an octet.
    const MacTiming t = MacTiming::for_channel(radio_.channel());
    ack_airtime_ = Duration(t.symbol_us * 2 * static_cast<std::int64_t>(6 + a.emitted_size()));
}

bool Mac::secured_ack_ok(const RadioRxFrame &rx, wire::MacFrame *ack) {
    if (rx.sfd_time > ack_sfd_by_) {  // began after the ack wait
        counters_.drops.count(MacRxDrop::kUnexpectedAck);
        return false;
    }
    // An imm-ack or an unsecured enh-ack cannot acknowledge a secured 2015 frame.
    if (!ack->security_enabled || ack->version != wire::MacFrameVersion::k2015) {
        counters_.drops.count(MacRxDrop::kUnsecured);
        return false;
    }
    const wire::AuxSecurityHeader &h = ack->security;
    const wire::AuxSecurityHeader &e = ack_security_;
    if (h.security_level != e.security_level || h.key_id_mode != e.key_id_mode ||
        (h.key_id_mode != 0 && h.key_index != e.key_index) ||
        std::memcmp(h.key_source, e.key_source,
                    wire::AuxSecurityHeader::key_source_size(h.key_id_mode)) != 0) {
        counters_.drops.count(MacRxDrop::kUnknownKey);  // not the key of the frame sent
        return false;
    }
    return static_cast<bool>(unsecure(rx, ack, ack_peer_, true));
}

void Mac::send_ack(const wire::MacFrame &f, bool frame_pending) {
    if (radio_.state() != RadioState::kReceive || ack_in_flight_) {
        counters_.drops.count(MacRxDrop::kAckNotSent);
        return;
    }
    std::size_t len = sizeof ack_buf_;
    const std::uint8_t *buf = ack_buf_;
    bool ok = false;
    const bool enhanced = f.version == wire::MacFrameVersion::k2015;
    if (enhanced) {
        const wire::MacFrame a = enh_ack_for(f, frame_pending);
        if (a.security_enabled) {
            // No key for the frame's key identifier (or its counter ran out): no ack; the
            // frame itself would be dropped as kUnknownKey.
            ok = static_cast<bool>(build(a, eack_buf_, &len, false, true));
        } else {
            len = a.emitted_size();
            ok = len <= sizeof eack_buf_ && a.emit(MutableByteSpan(eack_buf_, len));
        }
        buf = eack_buf_;
    } else {
        const wire::MacFrame ack = wire::MacFrame::imm_ack(f.seq, frame_pending);
        ok = static_cast<bool>(ack.emit(MutableByteSpan(ack_buf_, sizeof ack_buf_)));
    }
    if (!ok) {
        counters_.drops.count(MacRxDrop::kAckNotSent);
        return;
    }
    RadioTxRequest r;
    r.psdu = ByteSpan(buf, len);
    r.cca = false;  // aTurnaroundTime after the frame, without CCA (7.5.6.4.2)
    if (!radio_.transmit(r)) {
        counters_.drops.count(MacRxDrop::kAckNotSent);
        return;
    }
    ack_in_flight_ = true;
    ++counters_.acks_sent;
    counters_.enh_acks_sent += enhanced;
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

std::uint64_t Mac::source_extended(const wire::MacFrame &f) const {
    if (f.src.mode == wire::MacAddrMode::kExtended)
        return f.src.extended;
    if (f.src.mode == wire::MacAddrMode::kShort) {
        // The source PAN: given, or compressed into the destination PAN, or (2015, both
        // elided) ours.
        const std::uint16_t pan = f.has_src_pan ? f.src_pan : f.has_dst_pan ? f.dst_pan : pan_id_;
        const int d = security_.find_device_by_short(pan, f.src.short_address);
        if (d >= 0)
            return security_.device(d)->extended_address;
    }
    return 0;
}

bool Mac::security_exempt(const wire::MacFrame &f) const {
    if (f.type == wire::MacFrameType::kBeacon || f.type == wire::MacFrameType::kAck ||
        command_of(f) == kCmdBeaconRequest)
        return true;
    const std::uint64_t ext = source_extended(f);
    const int d = ext ? security_.find_device(ext) : -1;
    return d >= 0 && security_.device(d)->exempt;
}

Status Mac::unsecure(const RadioRxFrame &rx, wire::MacFrame *f, std::uint64_t src_address,
                     bool ack) {
    const wire::AuxSecurityHeader h = f->security;
    auto drop = [this](MacRxDrop r) {
        counters_.drops.count(r);
        return Status(Error::kChecksum);
    };
    if (f->payload_ies_encrypted || h.frame_counter_suppressed || h.asn_in_nonce ||
        h.security_level == 0)
        return drop(MacRxDrop::kSecurityMalformed);
    if (!ack && h.security_level < cfg_.min_security_level && !security_exempt(*f))
        return drop(MacRxDrop::kUnsecured);
    const std::uint64_t src = src_address != 0 ? src_address : source_extended(*f);
    int dev = src ? security_.find_device(src) : -1;
    // An unknown extended source may be learned, but only once its frame authenticates.
    const bool learn = dev < 0 && src != 0 && cfg_.learn_devices;
    if (dev < 0 && !learn)
        return drop(MacRxDrop::kUnknownDevice);
    const int key_slot = security_.find_key(h, src);
    const MacKeyDescriptor *key = security_.key(key_slot);
    if (!key)
        return drop(MacRxDrop::kUnknownKey);
    if (h.frame_counter == 0xffffffffu)
        return drop(MacRxDrop::kCounterError);
    if (dev >= 0 && !security_.counter_fresh(dev, key_slot, h.frame_counter))
        return drop(MacRxDrop::kReplay);
    const std::size_t mpdu = rx.psdu.size - wire::MacFrame::kFcsSize;
    std::memcpy(rx_buf_, rx.psdu.data, mpdu);
    const std::size_t a_len =
        static_cast<std::size_t>(f->payload.data - rx.psdu.data) + mac_open_payload_size(*f);
    std::uint8_t nonce[13];
    mac_ccm_nonce(src, h.frame_counter, h.security_level, nonce);
    if (Status s = mac_ccm_unsecure(key->key, nonce, h.security_level,
                                    MutableByteSpan(rx_buf_, mpdu), a_len);
        !s)
        return drop(s.error() == Error::kChecksum ? MacRxDrop::kMicFailure
                                                  : MacRxDrop::kSecurityMalformed);
    if (learn) {
        MacDeviceDescriptor d;
        d.pan_id = f->has_src_pan ? f->src_pan : f->has_dst_pan ? f->dst_pan : pan_id_;
        d.extended_address = src;
        if (!security_.add_device(d))
            return drop(MacRxDrop::kUnknownDevice);  // the table is full
        dev = security_.find_device(src);
        ++counters_.devices_learned;
    }
    security_.counter_accept(dev, key_slot, h.frame_counter);
    Result<wire::MacFrame> plain = wire::MacFrame::parse_without_fcs(ByteSpan(rx_buf_, mpdu));
    if (!plain)
        return drop(MacRxDrop::kSecurityMalformed);
    *f = *plain;
    if (ack)
        ++counters_.secured_acks_verified;
    else
        ++counters_.secured_rx;
    return Status();
}

void Mac::on_radio_receive(const RadioRxFrame &rx) {
    constexpr std::size_t kFcs = wire::MacFrame::kFcsSize;
    if (rx.psdu.size < 2 + kFcs) {
        counters_.drops.count(MacRxDrop::kBadFrame);
        return;
    }
    // The FCS is checked only for a frame this MAC takes: most frames heard in a mesh are
    // someone else's (and their acks), and the CRC over each was a tenth of a simulation's
    // time. A corrupted frame for another node counts as filtered rather than bad.
    const ByteSpan mpdu = rx.psdu.subspan(0, rx.psdu.size - kFcs);
    const auto fcs_ok = [&] {
        const std::size_t n = rx.psdu.size;
        return wire::mac_fcs(mpdu) ==
               static_cast<std::uint16_t>(rx.psdu[n - 2] | rx.psdu[n - 1] << 8);
    };
    Result<wire::MacFrame> parsed = wire::MacFrame::parse_without_fcs(mpdu);
    if (!parsed) {
        counters_.drops.count(MacRxDrop::kBadFrame);
        return;
    }
    wire::MacFrame f = *parsed;
    if (f.type == wire::MacFrameType::kAck) {
        if (state_ != State::kWaitAck || f.seq != tx_seq_) {
            counters_.drops.count(MacRxDrop::kUnexpectedAck);
            return;
        }
        if (!fcs_ok()) {
            counters_.drops.count(MacRxDrop::kBadFrame);
            return;
        }
        if (ack_secured_ && !secured_ack_ok(rx, &f))
            return;  // not acknowledged: the wait runs on, then a retry
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
    if (!fcs_ok()) {
        counters_.drops.count(MacRxDrop::kBadFrame);
        return;
    }
    if (cfg_.promiscuous) {
        ++counters_.indications;
        if (listener_)
            listener_->mcps_data_indication(f, rx);
        return;
    }
    if (f.ack_request && !f.dst.is_broadcast())
        send_ack(f, command_of(f) == kCmdDataRequest && pending_for(f.src));
    if (f.security_enabled) {
        if (!unsecure(rx, &f))
            return;
    } else if (cfg_.min_security_level > 0 && !security_exempt(f)) {
        counters_.drops.count(MacRxDrop::kUnsecured);
        return;
    }
    if (duplicate(f)) {
        counters_.drops.count(MacRxDrop::kDuplicate);
        return;
    }
    if (f.type == wire::MacFrameType::kBeacon) {
        handle_beacon(f, rx);
        if (scan_active_)
            return;  // a scan's beacons are for the confirm only
    } else if (command_of(f) == kCmdDataRequest) {
        ++counters_.data_requests_rx;
        handle_data_request(f);
    } else if (command_of(f) == kCmdBeaconRequest) {
        if (coordinator_) {
            beacon_pending_ = true;
            kick();
        }
    } else if (command_of(f) == kCmdDisassociation) {
        handle_disassociation(f);
    } else if (command_of(f) == kCmdOrphanNotification) {
        if (coordinator_ && f.src.mode == wire::MacAddrMode::kExtended && listener_)
            listener_->mlme_orphan_indication(f.src.extended);
    } else if (command_of(f) == kCmdCoordinatorRealignment) {
        handle_realignment(f);
    } else if (command_of(f) == kCmdAssociationRequest) {
        if (coordinator_ && association_permit_ && f.src.mode == wire::MacAddrMode::kExtended &&
            f.payload.size >= 2 && listener_)
            listener_->mlme_associate_indication(f.src.extended, f.payload[1]);
    }
    if (command_of(f) == kCmdAssociationResponse && assoc_state_ == AssocState::kPolling &&
        f.payload.size >= 4) {
        const std::uint16_t a = static_cast<std::uint16_t>(f.payload[1] | f.payload[2] << 8);
        const auto st = static_cast<MacAssociateStatus>(f.payload[3]);
        if (st == MacAssociateStatus::kSuccess) {
            set_short_address(a);
            coord_ext_ = f.src.mode == wire::MacAddrMode::kExtended          ? f.src.extended
                         : assoc_coord_.mode == wire::MacAddrMode::kExtended ? assoc_coord_.extended
                                                                             : 0;
            coord_short_ = assoc_coord_.mode == wire::MacAddrMode::kShort
                               ? assoc_coord_.short_address
                               : std::uint16_t{0xffff};
        }
        assoc_done(st, a);
    }
    if ((f.type == wire::MacFrameType::kData || command_of(f) == kCmdAssociationResponse ||
         command_of(f) == kCmdDisassociation) &&
        poll_waiting_data_) {
        const bool more = f.frame_pending;
        poll_done(MacPollStatus::kSuccess);
        if (more && !poll_active_) {  // the coordinator has more: ask again (2006 7.5.6.3)
            poll_auto_ = true;
            (void)queue_poll();
        }
    }
    ++counters_.indications;
    if (listener_)
        listener_->mcps_data_indication(f, rx);
}

void Mac::handle_data_request(const wire::MacFrame &f) {
    for (Indirect &e : indirect_) {
        if (e.in_flight || e.requested)
            continue;
        if (e.frame.dst == f.src) {
            e.requested = true;
            kick();
            return;
        }
    }
}

void Mac::handle_beacon(const wire::MacFrame &f, const RadioRxFrame &rx) {
    // Some beaconless coordinators send a beacon with an empty MAC payload (no superframe
    // specification): taken as BO = SO = 15, not PAN coordinator, association not permitted.
    const bool bare = f.payload.size == 0;
    Result<wire::BeaconPayload> b = bare ? Result<wire::BeaconPayload>(wire::BeaconPayload{})
                                         : wire::BeaconPayload::parse(f.payload);
    if (!b)
        return;
    ++counters_.beacons_rx;
    MacPanDescriptor d;
    d.coord = f.src;
    d.pan_id = f.src_pan;
    d.channel = rx.channel;
    d.superframe_spec = bare ? kBareBeaconSuperframe : b->superframe_spec;
    d.lqi = rx.lqi;
    d.rssi_dbm = rx.rssi_dbm;
    d.security_enabled = f.security_enabled;
    d.beacon_payload.assign(b->beacon_payload.begin(), b->beacon_payload.end());
    d.time = rx.sfd_time;
    if (scan_active_) {
        if (scan_req_.type == MacScanType::kEnergy)
            return;
        for (const MacPanDescriptor &p : scan_conf_.pans)
            if (p.coord == d.coord && p.pan_id == d.pan_id && p.channel == d.channel)
                return;
        scan_conf_.pans.push_back(std::move(d));
        return;
    }
    if (listener_)
        listener_->mlme_beacon_notify(d);
}

bool Mac::build_beacon() {
    // Beaconless (BO = SO = 15, final CAP slot 15), no GTS, pending addresses (up to 7, short
    // ones first, 2006 7.2.2.1.6) of the children with frames queued.
    wire::BeaconPayload b;
    b.superframe_spec = static_cast<std::uint16_t>(0x0fff | (pan_coordinator_ ? 0x4000 : 0) |
                                                   (association_permit_ ? 0x8000 : 0));
    constexpr std::size_t kMaxPending = 7;  // addresses in the pending address fields
    std::array<std::uint16_t, kMaxPending> shorts{};
    std::array<std::uint64_t, kMaxPending> exts{};
    std::size_t n_short = 0, n_ext = 0;
    for (const Indirect &e : indirect_) {
        if (n_short + n_ext == kMaxPending)
            break;
        if (e.direct)
            continue;
        const wire::MacAddress &d = e.frame.dst;
        if (d.mode == wire::MacAddrMode::kShort) {
            const auto end = shorts.begin() + static_cast<std::ptrdiff_t>(n_short);
            if (std::find(shorts.begin(), end, d.short_address) == end)
                shorts[n_short++] = d.short_address;
        } else {
            const auto end = exts.begin() + static_cast<std::ptrdiff_t>(n_ext);
            if (std::find(exts.begin(), end, d.extended) == end)
                exts[n_ext++] = d.extended;
        }
    }
    // Every write is bounded by the buffer itself (at most 7 * 8 octets are needed).
    std::uint8_t pend[kMaxPending * 8];
    std::size_t n = 0;
    const auto put = [&](std::uint8_t v) {
        if (n < sizeof pend)
            pend[n++] = v;
    };
    for (std::size_t i = 0; i < n_short; ++i) {
        put(static_cast<std::uint8_t>(shorts[i]));
        put(static_cast<std::uint8_t>(shorts[i] >> 8));
    }
    for (std::size_t i = 0; i < n_ext; ++i)
        for (int k = 0; k < 8; ++k)
            put(static_cast<std::uint8_t>(exts[i] >> (8 * k)));
    b.pending_spec = static_cast<std::uint8_t>(n_short | n_ext << 4);
    b.pending_addresses = ByteSpan(pend, n);
    b.beacon_payload = ByteSpan(beacon_payload_.data(), beacon_payload_.size());
    std::uint8_t payload[wire::MacFrame::kMaxPsduSize];
    const std::size_t plen = b.emitted_size();
    if (plen > sizeof payload || !b.emit(MutableByteSpan(payload, plen)))
        return false;
    wire::MacFrame f;
    f.type = wire::MacFrameType::kBeacon;
    f.version = wire::MacFrameVersion::k2006;
    f.seq = bsn_;
    f.src = own_source();
    f.has_src_pan = true;
    f.src_pan = pan_id_;
    f.payload = ByteSpan(payload, plen);
    if (!build(f, beacon_buf_, &beacon_len_))
        return false;
    ++bsn_;
    return true;
}

Status Mac::mlme_start(const MacStartRequest &request) {
    if (state_ != State::kIdle || scan_active_)
        return Status(Error::kBadState);
    if (Status s = radio_.set_channel(request.channel); !s)
        return s;
    set_pan_id(request.pan_id);
    coordinator_ = true;
    pan_coordinator_ = request.pan_coordinator;
    association_permit_ = request.association_permit;
    return Status();
}

Status Mac::set_beacon_payload(ByteSpan payload) {
    if (payload.size > kMaxBeaconPayload)
        return Status(Error::kInvalidArgument);
    beacon_payload_.assign(payload.begin(), payload.end());
    return Status();
}

Status Mac::mlme_scan(const MacScanRequest &request) {
    if (scan_active_ || state_ != State::kIdle)
        return Status(Error::kBadState);
    if (request.channels.empty() || request.duration > 14)
        return Status(Error::kInvalidArgument);
    if (request.type == MacScanType::kEnergy && !radio_.has(kRadioCapEnergyScan))
        return Status(Error::kUnsupported);
    scan_req_ = request;
    scan_conf_ = MacScanConfirm{};
    scan_conf_.type = request.type;
    scan_index_ = 0;
    scan_home_ = radio_.channel();
    scan_active_ = true;
    scan_realigned_ = false;
    radio_wake();
    scan_next_channel();
    return Status();
}

void Mac::scan_next_channel() {
    while (scan_index_ < scan_req_.channels.size()) {
        const RadioChannel ch = scan_req_.channels[scan_index_];
        if (!radio_.set_channel(ch)) {
            scan_conf_.unscanned.push_back(ch);
            ++scan_index_;
            continue;
        }
        const MacTiming t = MacTiming::for_channel(ch);
        const Duration window(t.symbol_us * MacTiming::kBaseSuperframeSymbols *
                              ((std::int64_t{1} << scan_req_.duration) + 1));
        switch (scan_req_.type) {
            case MacScanType::kEnergy:
                if (!radio_.start_energy_detect(window)) {
                    scan_conf_.unscanned.push_back(ch);
                    ++scan_index_;
                    continue;
                }
                return;  // on_radio_energy_detect_done
            case MacScanType::kPassive:
                set_deadline(&scan_deadline_, clock_.now() + window);
                return;
            case MacScanType::kActive:
            case MacScanType::kOrphan: {
                // Beacon request (2006 7.3.7) or orphan notification (7.3.6): broadcast, no
                // ack; the orphan's from its extended address, PAN ID compressed.
                const bool orphan = scan_req_.type == MacScanType::kOrphan;
                wire::MacFrame f;
                f.type = wire::MacFrameType::kMacCommand;
                f.version = wire::MacFrameVersion::k2003;
                f.seq = dsn_;
                f.has_dst_pan = true;
                f.dst_pan = 0xffff;
                f.dst = wire::MacAddress::from_short(wire::MacAddress::kBroadcastShort);
                if (orphan)
                    f.src = wire::MacAddress::from_extended(extended_address_);
                const std::uint8_t cmd = orphan ? kCmdOrphanNotification : kCmdBeaconRequest;
                f.payload = ByteSpan(&cmd, 1);
                if (!build(f, beacon_request_buf_, &beacon_request_len_)) {
                    scan_conf_.unscanned.push_back(ch);
                    ++scan_index_;
                    continue;
                }
                ++dsn_;
                scan_beacon_request_pending_ = true;
                kick();  // the deadline is set when it has gone out
                return;
            }
        }
    }
    finish_scan();
}

void Mac::on_radio_energy_detect_done(std::int8_t max_dbm) {
    if (!scan_active_ || scan_req_.type != MacScanType::kEnergy ||
        scan_index_ >= scan_req_.channels.size())
        return;
    scan_conf_.energy.push_back(MacEnergyResult{scan_req_.channels[scan_index_], max_dbm});
    ++scan_index_;
    scan_next_channel();
}

void Mac::scan_channel_done() {
    if (!scan_active_)
        return;
    ++scan_index_;
    scan_next_channel();
}

Duration Mac::scan_wait() const {
    const MacTiming t = MacTiming::for_channel(radio_.channel());
    if (scan_req_.type == MacScanType::kOrphan)  // macResponseWaitTime
        return Duration(t.symbol_us * kResponseWaitTime * MacTiming::kBaseSuperframeSymbols);
    return Duration(t.symbol_us * MacTiming::kBaseSuperframeSymbols *
                    ((std::int64_t{1} << scan_req_.duration) + 1));
}

void Mac::finish_scan() {
    if (!radio_.set_channel(scan_home_) && ack_in_flight_) {
        channel_after_ack_ = true;  // acking the realignment: tune when the ack has gone
        channel_after_ack_to_ = scan_home_;
    }
    scan_active_ = false;
    beacon_pending_ = false;  // a beacon request heard on another channel is not answered here
    scan_deadline_ = kNever;
    rearm();
    if (scan_req_.type == MacScanType::kOrphan)
        scan_conf_.status = scan_realigned_ ? MacScanStatus::kSuccess
                            : scan_conf_.unscanned.size() == scan_req_.channels.size()
                                ? MacScanStatus::kAborted
                                : MacScanStatus::kNoBeacon;
    else if (scan_conf_.unscanned.size() == scan_req_.channels.size())
        scan_conf_.status = MacScanStatus::kAborted;
    else if (scan_req_.type != MacScanType::kEnergy && scan_conf_.pans.empty())
        scan_conf_.status = MacScanStatus::kNoBeacon;
    scan_realigned_ = false;
    const MacScanConfirm c = std::move(scan_conf_);
    scan_conf_ = MacScanConfirm{};
    if (listener_)
        listener_->mlme_scan_confirm(c);
    kick();
    radio_idle();
}

Status Mac::mlme_poll(const wire::MacAddress &coord, std::uint16_t coord_pan,
                      const wire::AuxSecurityHeader &security) {
    if (poll_active_ || assoc_state_ != AssocState::kIdle)
        return Status(Error::kBadState);
    if (coord.is_none() || coord.is_broadcast())
        return Status(Error::kInvalidArgument);
    poll_coord_ = coord;
    poll_pan_ = coord_pan;
    poll_security_ = security;
    poll_auto_ = false;
    return queue_poll();
}

Status Mac::queue_poll() {
    wire::MacFrame f;
    f.type = wire::MacFrameType::kMacCommand;
    f.ack_request = true;
    f.seq = dsn_;
    f.has_dst_pan = true;
    f.dst_pan = poll_pan_;
    f.dst = poll_coord_;
    f.src = own_source();
    f.has_src_pan = poll_pan_ != pan_id_;
    f.src_pan = pan_id_;
    const std::uint8_t cmd = kCmdDataRequest;
    f.payload = ByteSpan(&cmd, 1);
    if (poll_security_.security_level != 0) {
        f.security_enabled = true;
        f.security = poll_security_;
    }
    if (Status s = build(f, poll_buf_, &poll_len_); !s)
        return s;
    ++dsn_;
    ++counters_.polls;
    poll_active_ = true;
    poll_pending_tx_ = true;
    kick();
    return Status();
}

void Mac::poll_done(MacPollStatus s) {
    const bool report = !poll_auto_;
    poll_active_ = false;
    poll_waiting_data_ = false;
    poll_auto_ = false;
    set_deadline(&poll_deadline_, kNever);
    if (assoc_state_ == AssocState::kPolling) {  // the response did not come
        assoc_done(s == MacPollStatus::kNoAck ? MacAssociateStatus::kNoAck
                   : s == MacPollStatus::kChannelAccessFailure
                       ? MacAssociateStatus::kChannelAccessFailure
                   : s == MacPollStatus::kAborted ? MacAssociateStatus::kAborted
                                                  : MacAssociateStatus::kNoData);
        return;
    }
    if (report && listener_)
        listener_->mlme_poll_confirm(s);
    radio_idle();
}

Status Mac::mlme_associate(const MacAssociateRequest &request) {
    if (assoc_state_ != AssocState::kIdle || poll_active_ || scan_active_)
        return Status(Error::kBadState);
    if (request.coord.is_none() || request.coord.is_broadcast() || request.coord_pan == 0xffff)
        return Status(Error::kInvalidArgument);
    if (radio_.channel() != request.channel) {
        if (state_ != State::kIdle)
            return Status(Error::kBadState);
        if (Status s = radio_.set_channel(request.channel); !s)
            return s;
    }
    set_pan_id(request.coord_pan);
    wire::MacFrame f;
    f.type = wire::MacFrameType::kMacCommand;
    f.ack_request = true;
    f.seq = dsn_;
    f.has_dst_pan = true;
    f.dst_pan = request.coord_pan;
    f.dst = request.coord;
    f.has_src_pan = true;  // the broadcast PAN: not yet a member (2006 7.3.1.1)
    f.src_pan = 0xffff;
    f.src = wire::MacAddress::from_extended(extended_address_);
    const std::uint8_t payload[2] = {kCmdAssociationRequest, request.capability};
    f.payload = ByteSpan(payload, 2);
    if (Status s = build(f, assoc_buf_, &assoc_len_); !s)
        return s;
    ++dsn_;
    assoc_coord_ = request.coord;
    assoc_pan_ = request.coord_pan;
    assoc_state_ = AssocState::kRequest;
    assoc_pending_tx_ = true;
    radio_wake();
    kick();
    return Status();
}

Status Mac::mlme_associate_response(std::uint64_t device, std::uint16_t short_address,
                                    MacAssociateStatus status) {
    if (static_cast<std::uint8_t>(status) > 2 || device == 0)
        return Status(Error::kInvalidArgument);
    if (indirect_.size() >= kMaxIndirect)
        return Status(Error::kNoSpace);
    indirect_.emplace_back();
    Indirect &e = indirect_.back();
    e.payload = {kCmdAssociationResponse, static_cast<std::uint8_t>(short_address),
                 static_cast<std::uint8_t>(short_address >> 8), static_cast<std::uint8_t>(status)};
    e.frame.type = wire::MacFrameType::kMacCommand;
    e.frame.ack_request = true;
    e.frame.has_dst_pan = true;
    e.frame.dst_pan = pan_id_;
    e.frame.dst = wire::MacAddress::from_extended(device);
    e.frame.src = wire::MacAddress::from_extended(extended_address_);
    e.frame.payload = ByteSpan(e.payload.data(), e.payload.size());
    e.internal = true;
    e.command = kCmdAssociationResponse;
    e.expiry = clock_.now() + transaction_persistence();
    ++counters_.indirect_queued;
    rearm();
    return Status();
}

void Mac::internal_done(const Indirect &e, MacTxStatus s) {
    if (e.command == kCmdDisassociation) {
        disassoc_done(s);
        return;
    }
    MacCommStatusIndication i;
    i.pan_id = e.frame.dst_pan;
    i.src = e.frame.src;
    i.dst = e.frame.dst;
    i.command = static_cast<wire::MacCommandId>(e.command);
    i.status = s;
    i.time = clock_.now();
    if (listener_)
        listener_->mlme_comm_status_indication(i);
}

bool Mac::is_coordinator_address(const wire::MacAddress &a) const {
    switch (a.mode) {
        case wire::MacAddrMode::kShort:
            return coord_short_ < wire::MacAddress::kNoShortAddress &&
                   a.short_address == coord_short_;
        case wire::MacAddrMode::kExtended:
            return coord_ext_ != 0 && a.extended == coord_ext_;
        case wire::MacAddrMode::kNone:
            break;
    }
    return false;
}

void Mac::forget_pan() {
    // 2006 7.5.3.2: a disassociated device removes all references to the PAN.
    set_pan_id(0xffff);
    set_short_address(0xffff);
    coord_short_ = 0xffff;
    coord_ext_ = 0;
}

Status Mac::mlme_disassociate(const MacDisassociateRequest &request) {
    if (disassoc_active_)
        return Status(Error::kBadState);
    const bool self = is_coordinator_address(request.device);
    if (request.device_pan != pan_id_ || pan_id_ == 0xffff || request.device.is_none() ||
        request.device.is_broadcast() || (!self && !coordinator_))
        return Status(Error::kInvalidArgument);
    wire::MacFrame f;
    f.type = wire::MacFrameType::kMacCommand;
    f.ack_request = true;
    f.has_dst_pan = true;  // PAN ID compression: the source PAN is the same
    f.dst_pan = pan_id_;
    f.dst = request.device;
    f.src = wire::MacAddress::from_extended(extended_address_);  // 2006 7.3.3: extended source
    const std::uint8_t payload[2] = {kCmdDisassociation, static_cast<std::uint8_t>(request.reason)};
    if (!self && request.tx_indirect) {
        if (indirect_.size() >= kMaxIndirect)
            return Status(Error::kNoSpace);
        indirect_.emplace_back();
        Indirect &e = indirect_.back();
        e.payload.assign(payload, payload + 2);
        e.frame = f;
        e.frame.payload = ByteSpan(e.payload.data(), e.payload.size());
        e.internal = true;
        e.command = kCmdDisassociation;
        e.expiry = clock_.now() + transaction_persistence();
        ++counters_.indirect_queued;
        rearm();
    } else {
        f.seq = dsn_;
        f.payload = ByteSpan(payload, 2);
        if (Status s = build(f, disassoc_buf_, &disassoc_len_); !s)
            return s;
        ++dsn_;
        disassoc_pending_tx_ = true;
    }
    disassoc_active_ = true;
    disassoc_self_ = self;
    disassoc_req_ = request;
    kick();
    return Status();
}

void Mac::disassoc_done(MacTxStatus s) {
    if (!disassoc_active_)
        return;
    disassoc_active_ = false;
    disassoc_pending_tx_ = false;
    if (disassoc_self_)
        forget_pan();  // acked or not (2006 7.5.3.2)
    MacDisassociateConfirm c;
    c.status = s;
    c.device = disassoc_req_.device;
    c.device_pan = disassoc_req_.device_pan;
    c.time = clock_.now();
    if (listener_)
        listener_->mlme_disassociate_confirm(c);
}

void Mac::handle_disassociation(const wire::MacFrame &f) {
    if (f.payload.size < 2)
        return;
    const std::uint64_t from =
        f.src.mode == wire::MacAddrMode::kExtended ? f.src.extended : source_extended(f);
    const auto reason = static_cast<MacDisassociateReason>(f.payload[1]);
    if (is_coordinator_address(f.src)) {
        forget_pan();  // sent away by the coordinator
    } else if (!coordinator_) {
        return;  // neither from our coordinator nor for a coordinator
    }
    if (listener_)
        listener_->mlme_disassociate_indication(from, reason);
}

Status Mac::mlme_orphan_response(std::uint64_t orphan, std::uint16_t short_address,
                                 bool associated_member) {
    if (orphan == 0)
        return Status(Error::kInvalidArgument);
    if (!associated_member)
        return Status();  // not ours: the orphan hears nothing from this coordinator
    if (indirect_.size() >= kMaxIndirect)
        return Status(Error::kNoSpace);
    // Coordinator realignment (2006 7.3.8) to the orphan: destination PAN broadcast, source
    // PAN ours (no compression), acked; PAN ID, coordinator short address, channel, the
    // orphan's short address, and the channel page when it is not 0 (frame version 1).
    const RadioChannel ch = radio_.channel();
    indirect_.emplace_back();
    Indirect &e = indirect_.back();
    e.payload = {kCmdCoordinatorRealignment,
                 static_cast<std::uint8_t>(pan_id_),
                 static_cast<std::uint8_t>(pan_id_ >> 8),
                 static_cast<std::uint8_t>(short_address_),
                 static_cast<std::uint8_t>(short_address_ >> 8),
                 ch.number,
                 static_cast<std::uint8_t>(short_address),
                 static_cast<std::uint8_t>(short_address >> 8)};
    if (ch.page != 0)
        e.payload.push_back(ch.page);
    e.frame.type = wire::MacFrameType::kMacCommand;
    e.frame.version = ch.page != 0 ? wire::MacFrameVersion::k2006 : wire::MacFrameVersion::k2003;
    e.frame.ack_request = true;
    e.frame.has_dst_pan = true;
    e.frame.dst_pan = 0xffff;
    e.frame.dst = wire::MacAddress::from_extended(orphan);
    e.frame.has_src_pan = true;
    e.frame.src_pan = pan_id_;
    e.frame.src = wire::MacAddress::from_extended(extended_address_);
    e.frame.payload = ByteSpan(e.payload.data(), e.payload.size());
    e.internal = true;
    e.command = kCmdCoordinatorRealignment;
    e.direct = true;
    e.requested = true;  // goes out at once, through CSMA-CA
    e.expiry = clock_.now() + transaction_persistence();
    rearm();
    kick();
    return Status();
}

void Mac::handle_realignment(const wire::MacFrame &f) {
    // Only an orphan scan takes a realignment addressed to this device (the broadcast one a
    // coordinator sends when its PAN changes is not handled).
    if (!scan_active_ || scan_req_.type != MacScanType::kOrphan || f.payload.size < 8 ||
        f.src.mode != wire::MacAddrMode::kExtended ||
        f.dst != wire::MacAddress::from_extended(extended_address_))
        return;
    const ByteSpan p = f.payload;
    set_pan_id(static_cast<std::uint16_t>(p[1] | p[2] << 8));
    coord_short_ = static_cast<std::uint16_t>(p[3] | p[4] << 8);
    coord_ext_ = f.src.extended;
    set_short_address(static_cast<std::uint16_t>(p[6] | p[7] << 8));
    scan_home_ = RadioChannel{p.size >= 9 ? p[8] : radio_.channel().page, p[5]};
    scan_realigned_ = true;
    scan_index_ = scan_req_.channels.size();
    finish_scan();
}

void Mac::assoc_done(MacAssociateStatus s, std::uint16_t short_address) {
    assoc_state_ = AssocState::kIdle;
    assoc_pending_tx_ = false;
    set_deadline(&assoc_deadline_, kNever);
    if (listener_)
        listener_->mlme_associate_confirm(s, short_address);
    radio_idle();
}

void Mac::radio_idle() {
    if (cfg_.rx_on_when_idle || state_ != State::kIdle || poll_waiting_data_ || poll_active_ ||
        scan_active_ || ack_in_flight_ || user_pending_)
        return;
    if (radio_.state() == RadioState::kReceive)
        (void)radio_.sleep();
}

void Mac::radio_wake() {
    if (radio_.state() == RadioState::kSleep)
        (void)radio_.receive();
}

Duration Mac::max_frame_total_wait() const {
    // ((sum_{k=0}^{m-1} 2^(minBE+k)) + (2^maxBE - 1)(macMaxCSMABackoffs - m)) backoff periods
    // + phyMaxFrameDuration, m = min(macMaxBE - macMinBE, macMaxCSMABackoffs).
    const int m = std::min(cfg_.max_be - cfg_.min_be, int{cfg_.max_csma_backoffs});
    std::int64_t periods = 0;
    for (int k = 0; k < m; ++k)
        periods += std::int64_t{1} << (cfg_.min_be + k);
    periods += ((std::int64_t{1} << cfg_.max_be) - 1) * (cfg_.max_csma_backoffs - m);
    const MacTiming t = MacTiming::for_channel(radio_.channel());
    return Duration(t.symbol_us * (periods * MacTiming::kUnitBackoffSymbols +
                                   MacTiming::kMaxFrameDurationSymbols));
}

Duration Mac::transaction_persistence() const {
    const MacTiming t = MacTiming::for_channel(radio_.channel());
    return Duration(t.symbol_us * MacTiming::kBaseSuperframeSymbols *
                    std::int64_t{cfg_.transaction_persistence_time});
}

Status Mac::mlme_set(MacPib a, std::uint64_t v) {
    auto fits = [v](std::uint64_t max) { return v <= max; };
    switch (a) {
        case MacPib::kPanId:
            if (!fits(0xffff))
                break;
            set_pan_id(static_cast<std::uint16_t>(v));
            return Status();
        case MacPib::kShortAddress:
            if (!fits(0xffff))
                break;
            set_short_address(static_cast<std::uint16_t>(v));
            return Status();
        case MacPib::kExtendedAddress:
            set_extended_address(v);
            return Status();
        case MacPib::kMinBe:
            if (!fits(cfg_.max_be))
                break;
            cfg_.min_be = static_cast<std::uint8_t>(v);
            return Status();
        case MacPib::kMaxBe:
            if (v < 3 || v > 8 || v < cfg_.min_be)
                break;
            cfg_.max_be = static_cast<std::uint8_t>(v);
            return Status();
        case MacPib::kMaxCsmaBackoffs:
            if (!fits(5))
                break;
            cfg_.max_csma_backoffs = static_cast<std::uint8_t>(v);
            return Status();
        case MacPib::kMaxFrameRetries:
            if (!fits(7))
                break;
            cfg_.max_frame_retries = static_cast<std::uint8_t>(v);
            return Status();
        case MacPib::kRxOnWhenIdle:
            if (!fits(1))
                break;
            cfg_.rx_on_when_idle = v != 0;
            if (cfg_.rx_on_when_idle)
                radio_wake();
            else
                radio_idle();
            return Status();
        case MacPib::kPromiscuousMode:
            if (!fits(1))
                break;
            cfg_.promiscuous = v != 0;
            radio_.set_promiscuous(cfg_.promiscuous);
            return Status();
        case MacPib::kTransactionPersistenceTime:
            if (!fits(0xffff))
                break;
            cfg_.transaction_persistence_time = static_cast<std::uint16_t>(v);
            return Status();
        case MacPib::kMinSecurityLevel:
            if (!fits(7))
                break;
            cfg_.min_security_level = static_cast<std::uint8_t>(v);
            return Status();
        case MacPib::kAssociationPermit:
            if (!fits(1))
                break;
            association_permit_ = v != 0;
            return Status();
        case MacPib::kDsn:
            if (!fits(0xff))
                break;
            dsn_ = static_cast<std::uint8_t>(v);
            return Status();
        case MacPib::kBsn:
            if (!fits(0xff))
                break;
            bsn_ = static_cast<std::uint8_t>(v);
            return Status();
        case MacPib::kCoordShortAddress:
            if (!fits(0xffff))
                break;
            coord_short_ = static_cast<std::uint16_t>(v);
            return Status();
        case MacPib::kCoordExtendedAddress:
            coord_ext_ = v;
            return Status();
    }
    return Status(Error::kInvalidArgument);
}

Result<std::uint64_t> Mac::mlme_get(MacPib a) const {
    switch (a) {
        case MacPib::kPanId:
            return std::uint64_t{pan_id_};
        case MacPib::kShortAddress:
            return std::uint64_t{short_address_};
        case MacPib::kExtendedAddress:
            return extended_address_;
        case MacPib::kMinBe:
            return std::uint64_t{cfg_.min_be};
        case MacPib::kMaxBe:
            return std::uint64_t{cfg_.max_be};
        case MacPib::kMaxCsmaBackoffs:
            return std::uint64_t{cfg_.max_csma_backoffs};
        case MacPib::kMaxFrameRetries:
            return std::uint64_t{cfg_.max_frame_retries};
        case MacPib::kRxOnWhenIdle:
            return std::uint64_t{cfg_.rx_on_when_idle};
        case MacPib::kPromiscuousMode:
            return std::uint64_t{cfg_.promiscuous};
        case MacPib::kTransactionPersistenceTime:
            return std::uint64_t{cfg_.transaction_persistence_time};
        case MacPib::kMinSecurityLevel:
            return std::uint64_t{cfg_.min_security_level};
        case MacPib::kAssociationPermit:
            return std::uint64_t{association_permit_};
        case MacPib::kDsn:
            return std::uint64_t{dsn_};
        case MacPib::kBsn:
            return std::uint64_t{bsn_};
        case MacPib::kCoordShortAddress:
            return std::uint64_t{coord_short_};
        case MacPib::kCoordExtendedAddress:
            return coord_ext_;
    }
    return Error::kInvalidArgument;
}

}  // namespace meshwork::mac
