#include "LowpanAdaptation.h"

#include <algorithm>
#include <cstring>

#include "stack/Stack.h"
#include "wire/LowpanMesh.h"

namespace meshwork::lowpan {

using wire::LowpanDispatch;
using wire::LowpanFragHeader;
using wire::MacAddress;

namespace {
constexpr std::size_t kMaxNeighbors = 64;
constexpr std::uint8_t kIpv6Dispatch = 0x41;

bool has_short(std::uint16_t a) {
    return a != MacAddress::kNoShortAddress && a != MacAddress::kBroadcastShort;
}
}  // namespace

LowpanAdaptation::LowpanAdaptation(mac::Mac &mac, const Clock &clock, Random &random,
                                   mac::MacTimer *timer, LowpanConfig config)
    : mac_(mac),
      clock_(clock),
      random_(random),
      timer_(timer),
      cfg_(config),
      next_tag_(random.next_u16()),
      reassembler_(config.reassembly) {
    for (Instant &t : context_expiry_)
        t = kNever;
    mac_.set_listener(this);
    mac_.set_pan_id(cfg_.pan_id);
    mac_.set_extended_address(cfg_.extended_address);
    mac_.set_short_address(cfg_.short_address);
    if (cfg_.security_level != 0)
        (void)set_security(cfg_.security_level, cfg_.key_index);
}

Status LowpanAdaptation::set_security(std::uint8_t level, std::uint8_t key_index) {
    if (level > 7 || (level != 0 && key_index == 0))
        return Error::kInvalidArgument;
    cfg_.security_level = level;
    cfg_.key_index = key_index;
    if (Status s = mac_.mlme_set(mac::MacPib::kMinSecurityLevel, level); !s)
        return s;
    mac_.set_learn_devices(level != 0);
    return Status();
}

LowpanAdaptation::~LowpanAdaptation() {
    mac_.set_listener(nullptr);
    if (timer_)
        timer_->disarm();
}

stack::NetifConfig LowpanAdaptation::netif_config(std::string name) const {
    stack::NetifConfig c;
    c.name = std::move(name);
    c.link = stack::LinkKind::kIp6;
    c.mtu = cfg_.mtu;
    if (cfg_.short_link_local && has_short(cfg_.short_address)) {
        const std::uint8_t s[2] = {static_cast<std::uint8_t>(cfg_.short_address >> 8),
                                   static_cast<std::uint8_t>(cfg_.short_address & 0xff)};
        c.mac = stack::LinkAddress::from(ByteSpan(s, 2));
    } else {
        std::uint8_t eui[8];
        MacAddress::from_extended(cfg_.extended_address).to_eui64(eui);
        c.mac = stack::LinkAddress::from(ByteSpan(eui, 8));
    }
    return c;
}

void LowpanAdaptation::attach(stack::Stack &stack, stack::IfIndex ifindex) {
    deliver_ = [&stack, ifindex](ByteSpan p) { stack.receive_packet(ifindex, p); };
}

// ---- Contexts --------------------------------------------------------------------------------

Status LowpanAdaptation::set_context(std::uint8_t id, const wire::Ip6Address &prefix,
                                     std::uint8_t prefix_len, bool compress, Duration lifetime) {
    if (id >= wire::LowpanContextTable::kSize || prefix_len > 128 || lifetime <= Duration::zero())
        return Error::kInvalidArgument;
    contexts_.set(id, prefix, prefix_len, compress);
    context_expiry_[id] =
        lifetime == Duration::max() ? kNever : saturating_add(clock_.now(), lifetime);
    rearm();
    return Status();
}

Status LowpanAdaptation::clear_context(std::uint8_t id) {
    if (id >= wire::LowpanContextTable::kSize)
        return Error::kInvalidArgument;
    contexts_.contexts[id] = wire::LowpanContext();
    context_expiry_[id] = kNever;
    rearm();
    return Status();
}

void LowpanAdaptation::expire_contexts(Instant now) {
    for (std::size_t i = 0; i < wire::LowpanContextTable::kSize; ++i) {
        if (context_expiry_[i] <= now) {
            contexts_.contexts[i] = wire::LowpanContext();
            context_expiry_[i] = kNever;
        }
    }
}

// ---- Address resolution ----------------------------------------------------------------------

Status LowpanAdaptation::add_neighbor(const wire::Ip6Address &ip, const MacAddress &mac) {
    if (!ip.is_unicast() || mac.is_none() || mac.is_broadcast() ||
        (mac.mode == wire::MacAddrMode::kShort && mac.short_address == MacAddress::kNoShortAddress))
        return Error::kInvalidArgument;
    for (Neighbor &n : neighbors_) {
        if (n.ip == ip) {
            n.mac = mac;
            return Status();
        }
    }
    if (neighbors_.size() >= kMaxNeighbors)
        return Error::kNoMemory;
    neighbors_.push_back({ip, mac});
    return Status();
}

Status LowpanAdaptation::remove_neighbor(const wire::Ip6Address &ip) {
    auto it = std::find_if(neighbors_.begin(), neighbors_.end(),
                           [&](const Neighbor &n) { return n.ip == ip; });
    if (it == neighbors_.end())
        return Error::kNotFound;
    neighbors_.erase(it);
    return Status();
}

void LowpanAdaptation::set_pan_id(std::uint16_t pan_id) {
    cfg_.pan_id = pan_id;
    mac_.set_pan_id(pan_id);
}

std::optional<MacAddress> LowpanAdaptation::resolve(const wire::Ip6Address &next_hop) const {
    for (const Neighbor &n : neighbors_)
        if (n.ip == next_hop)
            return n.mac;
    auto from_iid = [&next_hop] {
        const wire::Ip6Iid iid = next_hop.iid();
        if (iid.is_short_address_form())
            return MacAddress::from_short(
                static_cast<std::uint16_t>(iid.bytes[6] << 8 | iid.bytes[7]));
        std::uint8_t eui[8];
        iid.to_eui64(eui);
        return MacAddress::from_eui64(eui);
    };
    if (next_hop.is_link_local())
        return from_iid();  // the IID is the MAC address (RFC 4944 6, RFC 6775 5.2)
    if (resolver_)
        if (auto m = resolver_(next_hop))
            return m;
    if (iid_prefix_len_ != 0 && !next_hop.is_multicast() &&
        next_hop.matches_prefix(iid_prefix_, iid_prefix_len_))
        return from_iid();
    return std::nullopt;
}

// ---- Transmit --------------------------------------------------------------------------------

MacAddress LowpanAdaptation::source_address() const {
    return has_short(cfg_.short_address) ? MacAddress::from_short(cfg_.short_address)
                                         : MacAddress::from_extended(cfg_.extended_address);
}

bool LowpanAdaptation::is_our_address(const MacAddress &a) const {
    if (a.mode == wire::MacAddrMode::kExtended)
        return a.extended == cfg_.extended_address;
    if (a.mode == wire::MacAddrMode::kShort)
        return has_short(cfg_.short_address) && a.short_address == cfg_.short_address;
    return false;
}

wire::MacFrame LowpanAdaptation::frame_to(const MacAddress &dst) const {
    wire::MacFrame f;
    f.type = wire::MacFrameType::kData;
    f.version = wire::MacFrameVersion::k2006;
    f.has_dst_pan = true;
    f.dst_pan = cfg_.pan_id;
    f.dst = dst;
    f.src = source_address();
    f.ack_request = cfg_.ack_unicast && !dst.is_broadcast();
    if (cfg_.security_level != 0) {
        f.security_enabled = true;
        f.security.security_level = cfg_.security_level;
        f.security.key_id_mode = 1;  // the key by its index alone (macDefaultKeySource)
        f.security.key_index = cfg_.key_index;
    }
    return f;
}

std::size_t LowpanAdaptation::max_payload(const MacAddress &dst) const {
    // The MHR with the auxiliary security header, and the MIC the MAC appends.
    const wire::MacFrame f = frame_to(dst);
    const std::size_t overhead =
        f.emitted_size() + (f.security_enabled ? f.security.mic_size() : 0);
    return overhead >= wire::MacFrame::kMaxPsduSize ? 0 : wire::MacFrame::kMaxPsduSize - overhead;
}

Status LowpanAdaptation::send_frame(PacketBuffer) {
    return Error::kUnsupported;
}

Status LowpanAdaptation::send_packet(PacketBuffer packet, const wire::Ip6Address &next_hop) {
    // Drops are counted here, once; the stack sees success.
    if (packet.size() < 40) {
        drops_.count(LowpanDrop::kCompress);  // not even an IPv6 header
        return Status();
    }
    if (packet.size() > cfg_.mtu || packet.size() > LowpanFragHeader::kMaxDatagramSize) {
        drops_.count(LowpanDrop::kTooBig);
        return Status();
    }
    MacAddress dst;
    if (next_hop.is_multicast()) {
        dst = MacAddress::from_short(MacAddress::kBroadcastShort);  // RFC 4944 9
    } else {
        auto r = resolve(next_hop);
        if (!r) {
            drops_.count(LowpanDrop::kNoLinkAddress);
            return Status();
        }
        dst = *r;
    }
    if (queue_.size() >= cfg_.tx_queue_packets) {
        drops_.count(LowpanDrop::kTxQueueFull);
        return Status();
    }
    queue_.push_back({std::move(packet), dst});
    pump();
    return Status();
}

void LowpanAdaptation::pump() {
    while (!in_flight_) {
        if (!current_) {
            if (queue_.empty())
                return;
            if (!start_next())
                continue;
        }
        if (send_next_fragment())
            return;
    }
}

bool LowpanAdaptation::start_next() {
    Pending p = std::move(queue_.front());
    queue_.pop_front();
    current_.emplace();
    Current &c = *current_;
    c.packet = std::move(p.packet);
    c.dst = p.dst;
    const wire::LinkAddresses link{source_address(), c.dst};
    auto r = wire::iphc_compress(c.packet.data(), link, contexts_,
                                 MutableByteSpan(c.header, sizeof c.header), cfg_.iphc);
    if (!r) {
        drop_current(LowpanDrop::kCompress);
        return false;
    }
    c.header_len = r->written;
    c.consumed = r->consumed;
    const std::size_t size = c.packet.size();
    const std::size_t room = max_payload(c.dst);
    if (c.header_len + (size - c.consumed) <= room)
        return true;
    // FRAG1 carries the compressed headers and uncompressed bytes up to an 8-byte boundary of
    // the uncompressed datagram; each FRAGN a multiple of 8 bytes (RFC 4944 5.3).
    if (room < LowpanFragHeader::kFragNSize + 8 ||
        room < LowpanFragHeader::kFrag1Size + c.header_len) {
        drop_current(LowpanDrop::kTooBig);
        return false;
    }
    const std::size_t first_end =
        (room - LowpanFragHeader::kFrag1Size - c.header_len + c.consumed) / 8 * 8;
    if (first_end < c.consumed || first_end == 0) {
        drop_current(LowpanDrop::kTooBig);
        return false;
    }
    c.fragmented = true;
    c.tag = next_tag_++;
    return true;
}

bool LowpanAdaptation::send_next_fragment() {
    Current &c = *current_;
    const std::size_t size = c.packet.size();
    const ByteSpan pkt = c.packet.data();
    if (c.offset >= size) {
        ++stats_.tx_packets;
        if (c.fragmented)
            ++stats_.tx_fragmented;
        current_.reset();
        return false;
    }
    const std::size_t room = max_payload(c.dst);
    ByteWriter w(MutableByteSpan(frame_buf_, sizeof frame_buf_));
    if (!c.fragmented) {
        w.bytes(ByteSpan(c.header, c.header_len));
        w.bytes(pkt.subspan(c.consumed));
        c.offset = size;
    } else {
        LowpanFragHeader h;
        h.datagram_size = static_cast<std::uint16_t>(size);
        h.datagram_tag = c.tag;
        if (c.offset == 0) {
            h.first = true;
            const std::size_t end = std::min(
                size, (room - LowpanFragHeader::kFrag1Size - c.header_len + c.consumed) / 8 * 8);
            (void)h.emit(w);
            w.bytes(ByteSpan(c.header, c.header_len));
            w.bytes(pkt.subspan(c.consumed, end - c.consumed));
            c.offset = end;
        } else {
            h.first = false;
            h.offset_units = static_cast<std::uint8_t>(c.offset / 8);
            const std::size_t n =
                std::min(size - c.offset, (room - LowpanFragHeader::kFragNSize) / 8 * 8);
            (void)h.emit(w);
            w.bytes(pkt.subspan(c.offset, n));
            c.offset += n;
        }
    }
    if (!w.ok()) {
        drop_current(LowpanDrop::kTooBig);
        return false;
    }
    last_frame_ = frame_to(c.dst);
    last_frame_.payload = w.written();
    ++c.frames;
    retries_left_ = last_frame_.dst.is_broadcast() ? 0 : cfg_.link_retries;
    link_attempts_ = 0;
    return send_frame_now();
}

bool LowpanAdaptation::send_frame_now() {
    if (!mac_.data_request(last_frame_, ++handle_)) {
        drop_current(LowpanDrop::kTxFailed);
        return false;
    }
    in_flight_ = true;
    return true;
}

void LowpanAdaptation::drop_current(LowpanDrop reason) {
    drops_.count(reason);
    current_.reset();
}

void LowpanAdaptation::mcps_data_confirm(const mac::MacTxConfirm &confirm) {
    if (!in_flight_ || confirm.handle != handle_)
        return;
    in_flight_ = false;
    // Only an ack or its absence says something about the link: a busy channel (CSMA-CA gave
    // up) or our own radio failing does not.
    const bool success = confirm.status == mac::MacTxStatus::kSuccess;
    const bool link_outcome = success || confirm.status == mac::MacTxStatus::kNoAck;
    if (link_outcome)
        link_attempts_ = 1u + confirm.retries;
    if (!success && current_ && retries_left_ > 0 &&
        (link_outcome || confirm.status == mac::MacTxStatus::kChannelAccessFailure)) {
        --retries_left_;
        ++stats_.link_retries;
        const auto max_us = static_cast<std::uint32_t>(
            std::min<std::int64_t>(cfg_.link_retry_delay.count(), 0xffffffff));
        retry_at_ = clock_.now() + Duration(random_.uniform(max_us + 1));
        in_flight_ = true;  // nothing else goes out before the retry
        rearm();
        return;
    }
    // One outcome per frame, that of its last MAC request: the link retries recover from
    // collisions (a passing state of the channel), and an estimator such as RPL's ETX that
    // counted them as the link's quality would drop good parents of a busy neighbourhood.
    if (tx_observer_ && current_ && !current_->dst.is_broadcast() && link_attempts_ > 0)
        tx_observer_(current_->dst, success, link_attempts_);
    if (success) {
        ++stats_.tx_frames;
    } else if (current_) {
        drop_current(LowpanDrop::kTxFailed);
    }
    pump();
}

// ---- Receive ---------------------------------------------------------------------------------

void LowpanAdaptation::mcps_data_indication(const wire::MacFrame &frame, const RadioRxFrame &) {
    if (frame.type != wire::MacFrameType::kData) {
        ++stats_.rx_frames;
        drops_.count(LowpanDrop::kFrameInvalid);
        return;
    }
    input(frame.payload, frame.src, frame.dst);
}

void LowpanAdaptation::deliver(ByteSpan packet) {
    if (!deliver_) {
        drops_.count(LowpanDrop::kNoStack);
        return;
    }
    ++stats_.rx_packets;
    deliver_(packet);
}

void LowpanAdaptation::input(ByteSpan payload, const MacAddress &src, const MacAddress &dst) {
    ++stats_.rx_frames;
    if (src.is_none()) {
        drops_.count(LowpanDrop::kFrameInvalid);
        return;
    }
    wire::LinkAddresses link{src, dst};
    ByteReader r(payload);
    bool mesh_allowed = true, bc0_allowed = true;
    for (;;) {
        if (r.remaining() == 0) {
            drops_.count(LowpanDrop::kFrameInvalid);
            return;
        }
        const ByteSpan rest = r.rest();
        const LowpanDispatch d = wire::lowpan_dispatch(rest[0]);
        if (d == LowpanDispatch::kMesh && mesh_allowed) {
            auto m = wire::LowpanMeshHeader::parse(r);
            if (!m) {
                drops_.count(LowpanDrop::kFrameInvalid);
                return;
            }
            // Mesh-under forwarding is not done: only frames whose final destination is us.
            if (!is_our_address(m->final_destination) && !m->final_destination.is_broadcast()) {
                drops_.count(LowpanDrop::kNotForUs);
                return;
            }
            // RFC 4944 11: addresses elided by IPHC come from the mesh header then.
            link = wire::LinkAddresses{m->originator, m->final_destination};
            mesh_allowed = false;
            continue;
        }
        if (d == LowpanDispatch::kBc0 && bc0_allowed) {
            if (!wire::LowpanBroadcastHeader::parse(r)) {
                drops_.count(LowpanDrop::kFrameInvalid);
                return;
            }
            mesh_allowed = bc0_allowed = false;
            continue;
        }
        switch (d) {
            case LowpanDispatch::kIphc:
            case LowpanDispatch::kIpv6:
                input_unfragmented(rest, link);
                return;
            case LowpanDispatch::kFrag1:
            case LowpanDispatch::kFragN:
                break;
            default:
                drops_.count(d == LowpanDispatch::kMesh || d == LowpanDispatch::kBc0
                                 ? LowpanDrop::kFrameInvalid
                                 : LowpanDrop::kUnsupportedDispatch);
                return;
        }
        auto h = LowpanFragHeader::parse(r);
        if (!h) {
            drops_.count(LowpanDrop::kFrameInvalid);
            return;
        }
        const ByteSpan data = r.rest();
        ByteSpan a = data, b;
        ChecksumFixup fixup;
        if (h->first) {
            if (data.size == 0) {
                drops_.count(LowpanDrop::kFragmentInvalid);
                return;
            }
            const LowpanDispatch inner = wire::lowpan_dispatch(data[0]);
            if (inner == LowpanDispatch::kIphc) {
                auto dr = wire::iphc_decompress(data, link, contexts_,
                                                MutableByteSpan(rx_header_, sizeof rx_header_),
                                                h->datagram_size);
                if (!dr) {
                    drops_.count(LowpanDrop::kDecompress);
                    return;
                }
                a = ByteSpan(rx_header_, dr->written);
                b = data.subspan(dr->consumed);
                fixup.pending = dr->udp_checksum_pending;
                fixup.udp_offset = dr->udp_offset;
            } else if (inner == LowpanDispatch::kIpv6) {
                a = data.subspan(1);
            } else {
                drops_.count(LowpanDrop::kUnsupportedDispatch);
                return;
            }
        }
        auto res = reassembler_.add(link.src, *h, a, b, clock_.now(), fixup);
        if (res.dropped)
            drops_.count(res.reason);
        if (res.datagram) {
            ++stats_.rx_reassembled;
            deliver(ByteSpan(res.datagram->data(), res.datagram->size()));
        }
        rearm();
        return;
    }
}

void LowpanAdaptation::input_unfragmented(ByteSpan payload, const wire::LinkAddresses &link) {
    if (payload[0] == kIpv6Dispatch) {
        deliver(payload.subspan(1));
        return;
    }
    auto dr = wire::iphc_decompress(payload, link, contexts_,
                                    MutableByteSpan(rx_header_, sizeof rx_header_));
    if (!dr) {
        drops_.count(LowpanDrop::kDecompress);
        return;
    }
    const ByteSpan rest = payload.subspan(dr->consumed);
    if (dr->written + rest.size > sizeof rx_packet_) {
        drops_.count(LowpanDrop::kTooBig);
        return;
    }
    std::memcpy(rx_packet_, rx_header_, dr->written);
    if (rest.size != 0)
        std::memcpy(rx_packet_ + dr->written, rest.data, rest.size);
    deliver(ByteSpan(rx_packet_, dr->written + rest.size));
}

// ---- Timers ----------------------------------------------------------------------------------

Instant LowpanAdaptation::next_deadline() const {
    Instant d = reassembler_.next_deadline();
    for (Instant t : context_expiry_)
        d = std::min(d, t);
    return std::min(d, retry_at_);
}

void LowpanAdaptation::poll() {
    armed_ = kNever;  // the armed instant has come
    const Instant now = clock_.now();
    drops_.count(LowpanDrop::kReassemblyTimeout, reassembler_.expire(now));
    expire_contexts(now);
    if (retry_at_ <= now) {
        retry_at_ = kNever;
        in_flight_ = false;
        if (current_)
            (void)send_frame_now();
    }
    pump();
    rearm();
}

void LowpanAdaptation::rearm() {
    if (!timer_)
        return;
    const Instant d = next_deadline();
    if (d == armed_)
        return;
    armed_ = d;
    if (d == kNever) {
        timer_->disarm();
    } else {
        timer_->arm(d);
    }
}

}  // namespace meshwork::lowpan
