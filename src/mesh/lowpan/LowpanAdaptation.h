// The 6LoWPAN adaptation layer of one 802.15.4 interface (docs/lowpan.md): a stack link of kind
// LinkKind::kIp6 (IPv6 MTU 1280) over the MAC data service. Outgoing packets are IPHC/NHC
// compressed (RFC 6282) with the interface's context table, fragmented (RFC 4944 5.3: FRAG1 /
// FRAGN, one datagram tag counter per interface) to the MAC payload the frame's addressing and
// security leave, and sent one MCPS-DATA request at a time from a bounded queue. Received frames
// go through the mesh header (RFC 4944 5.2; only frames for this node), BC0, reassembly (keyed
// on source, size and tag; timeout, count and byte limits) and decompression, then into the
// stack. Link-layer address resolution: link-local IIDs derived from a MAC address need none;
// other next hops come from the neighbour table or a resolver hook (6LoWPAN-ND fills it later).
//
// Run to completion on the node's thread: it acts in send_packet(), in the MAC's callbacks and
// in poll(), which the owner calls when the instant last given to the timer comes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "core/DropCounters.h"
#include "core/Error.h"
#include "core/PacketBuffer.h"
#include "core/Random.h"
#include "core/Time.h"
#include "LowpanReassembly.h"
#include "mesh/mac/Mac.h"
#include "stack/Netif.h"
#include "stack/StackTypes.h"
#include "wire/Ieee802154.h"
#include "wire/Ip6Address.h"
#include "wire/LowpanIphc.h"

namespace meshwork::stack {
class Stack;
}

namespace meshwork::lowpan {

struct LowpanConfig {
    std::uint16_t pan_id = 0xffff;
    std::uint64_t extended_address = 0;  // EUI-64 as a number (wire::MacAddress::extended)
    /// 0xfffe: none. With one, frames are sent from it (and the stack's link-local address is
    /// derived from it when `short_link_local`).
    std::uint16_t short_address = wire::MacAddress::kNoShortAddress;
    bool short_link_local = false;
    std::size_t mtu = 1280;  // IPv6 MTU of the interface (RFC 4944 4)
    /// Link-layer security: 0 sends every data frame unsecured; 1..7 secures every data frame,
    /// unicast and broadcast, at this IEEE 802.15.4 level with key identifier mode 1 and
    /// `key_index` (one network key, as Nanostack's PSK mode). The key itself goes into the
    /// MAC's key table (Mac::security()). The auxiliary security header and the MIC are taken
    /// off the payload room of every frame (max_payload()).
    std::uint8_t security_level = 0;
    std::uint8_t key_index = 1;
    bool ack_unicast = true;
    /// Unicast frames the MAC gave up on (no ack after macMaxFrameRetries, or CSMA-CA failure)
    /// are requested again up to this many times, each after a random delay in
    /// [0, link_retry_delay]. The MAC's own retries come within a few milliseconds, inside the
    /// same collision with a hidden neighbour's retries; a later attempt does not share its
    /// fate. 0: a frame the MAC gave up on is dropped (kTxFailed).
    unsigned link_retries = 0;
    Duration link_retry_delay = std::chrono::milliseconds(50);
    std::size_t tx_queue_packets = 8;
    ReassemblyLimits reassembly;
    wire::IphcCompressOptions iphc;
};

struct LowpanStats {
    std::uint64_t tx_packets = 0;     // IPv6 packets fully sent
    std::uint64_t tx_frames = 0;      // MAC data requests confirmed successful
    std::uint64_t tx_fragmented = 0;  // packets sent as fragments
    std::uint64_t rx_frames = 0;
    std::uint64_t rx_packets = 0;  // packets handed to the stack
    std::uint64_t rx_reassembled = 0;
    std::uint64_t link_retries = 0;  // frames requested again (LowpanConfig::link_retries)
};

namespace detail {
// The transmit queue entries (outside the class so std::optional sees them complete).
struct TxPending {
    PacketBuffer packet;
    wire::MacAddress dst;
};
struct TxCurrent {
    PacketBuffer packet;
    wire::MacAddress dst;
    std::uint8_t header[wire::kIphcMaxUncompressedHeader + 16] = {};
    std::size_t header_len = 0;  // compressed IPHC + NHC bytes
    std::size_t consumed = 0;    // uncompressed bytes they stand for
    std::size_t offset = 0;      // uncompressed bytes sent so far
    bool fragmented = false;
    std::uint16_t tag = 0;
    std::size_t frames = 0;
};
}  // namespace detail

class LowpanAdaptation final : public stack::LinkOutput, public mac::MacListener {
  public:
    /// Resolves a next hop the layer cannot derive itself (the 6LoWPAN-ND registration table).
    using Resolver = std::function<std::optional<wire::MacAddress>(const wire::Ip6Address &)>;
    using Deliver = std::function<void(ByteSpan ipv6_packet)>;
    /// The outcome of one unicast MAC transmission (link-quality estimators such as RPL's
    /// ETX, RFC 6719 3.1): the destination, whether it was acknowledged, and the attempts made
    /// (1 + retransmissions). Called for acknowledged and unacknowledged frames only, not when
    /// the channel was busy (CSMA-CA failure) or the radio failed.
    using TxObserver =
        std::function<void(const wire::MacAddress &dst, bool success, unsigned attempts)>;

    /// Becomes `mac`'s listener and sets its PAN ID and addresses. `timer` (may be null) is armed
    /// with next_deadline() whenever it changes.
    LowpanAdaptation(mac::Mac &mac, const Clock &clock, Random &random, mac::MacTimer *timer,
                     LowpanConfig config);
    ~LowpanAdaptation() override;
    LowpanAdaptation(const LowpanAdaptation &) = delete;
    LowpanAdaptation &operator=(const LowpanAdaptation &) = delete;

    /// The NetifConfig to add this link to a Stack with (kIp6 link, MTU, link address).
    stack::NetifConfig netif_config(std::string name = "lowpan0") const;
    /// Received packets go to `stack`'s receive_packet(ifindex, ...).
    void attach(stack::Stack &stack, stack::IfIndex ifindex);
    /// Changes the PAN ID frames are sent in (and the MAC's), for a node that learns its PAN
    /// when it joins.
    void set_pan_id(std::uint16_t pan_id);
    /// Or to any sink (replaces attach()).
    void set_deliver(Deliver deliver) { deliver_ = std::move(deliver); }
    /// Turns link-layer security on (level 1..7, key index 1..255) or off (level 0): frames
    /// sent from now on are secured so (LowpanConfig::security_level), and the MAC refuses
    /// incoming data below `level` (macMinSecurityLevel) and learns the devices whose frames
    /// authenticate (MacConfig::learn_devices), so that neighbours never seen before are heard.
    /// kInvalidArgument for a level above 7 or key index 0 with security on.
    Status set_security(std::uint8_t level, std::uint8_t key_index);
    /// Called on every MAC data confirm of a unicast frame (empty: none).
    void set_tx_observer(TxObserver observer) { tx_observer_ = std::move(observer); }

    // ---- Contexts (RFC 6282 3.1.2; 6CO / Network Data fill them) ---------------------------
    /// Sets context `id` (0..15). Compression uses it only with `compress`; decompression uses
    /// it while valid. It is removed when `lifetime` (> 0) passes; Duration::max() keeps it.
    /// kInvalidArgument for an id above 15, a prefix longer than 128 bits or a lifetime <= 0.
    Status set_context(std::uint8_t id, const wire::Ip6Address &prefix, std::uint8_t prefix_len,
                       bool compress, Duration lifetime = Duration::max());
    Status clear_context(std::uint8_t id);
    const wire::LowpanContextTable &contexts() const { return contexts_; }

    // ---- Link-layer address resolution ---------------------------------------------------
    /// A neighbour table entry: `ip` is on the link at `mac` (short or extended). At most 64
    /// (kNoMemory); kInvalidArgument for a multicast or unspecified `ip` or a `mac` that is
    /// none, broadcast or 0xfffe.
    Status add_neighbor(const wire::Ip6Address &ip, const wire::MacAddress &mac);
    Status remove_neighbor(const wire::Ip6Address &ip);
    std::size_t neighbor_count() const { return neighbors_.size(); }
    void set_resolver(Resolver r) { resolver_ = std::move(r); }
    /// Addresses within `prefix` whose IID was formed from a MAC address (RFC 4944 6) resolve
    /// to that MAC when neither the table nor the resolver knows them: 6LoWPAN-ND forms every
    /// address of the mesh so, and a source route's next hop is a neighbour (RFC 6554 4.2).
    /// A zero length turns it off.
    void set_iid_prefix(const wire::Ip6Address &prefix, std::uint8_t prefix_len) {
        iid_prefix_ = prefix;
        iid_prefix_len_ = prefix_len;
    }
    /// The MAC address for an on-link next hop: the neighbour table, then a link-local IID
    /// derived from a MAC address (RFC 4944 6 / RFC 6282 3.2.2), then the resolver, then the
    /// IID of an address within set_iid_prefix().
    std::optional<wire::MacAddress> resolve(const wire::Ip6Address &next_hop) const;

    // ---- Stack link --------------------------------------------------------------------
    /// Ethernet frames are not for this link: kUnsupported.
    Status send_frame(PacketBuffer frame) override;
    Status send_packet(PacketBuffer packet, const wire::Ip6Address &next_hop) override;

    // ---- Receive path ------------------------------------------------------------------
    void mcps_data_confirm(const mac::MacTxConfirm &confirm) override;
    void mcps_data_indication(const wire::MacFrame &frame, const RadioRxFrame &rx) override;
    /// The MLME side of the MAC (scan confirms, beacon notifications) goes to `listener`
    /// (null: nowhere); data stays with this layer.
    void set_mlme_listener(mac::MacListener *listener) { mlme_listener_ = listener; }
    void mlme_scan_confirm(const mac::MacScanConfirm &confirm) override {
        if (mlme_listener_)
            mlme_listener_->mlme_scan_confirm(confirm);
    }
    void mlme_beacon_notify(const mac::MacPanDescriptor &pan) override {
        if (mlme_listener_)
            mlme_listener_->mlme_beacon_notify(pan);
    }
    /// One MAC payload from `src` to `dst` (the path mcps_data_indication takes; for tests
    /// and fuzzing). Never fails: anything wrong is a counted drop.
    void input(ByteSpan payload, const wire::MacAddress &src, const wire::MacAddress &dst);

    // ---- Timers ------------------------------------------------------------------------
    Instant next_deadline() const;
    void poll();

    // ---- Introspection -----------------------------------------------------------------
    const DropCounters<LowpanDrop> &drops() const { return drops_; }
    const LowpanStats &stats() const { return stats_; }
    const LowpanConfig &config() const { return cfg_; }
    const LowpanReassembler &reassembler() const { return reassembler_; }
    std::size_t tx_queue_size() const { return queue_.size() + (current_ ? 1 : 0); }
    /// The MAC payload room of a frame to `dst` from this interface.
    std::size_t max_payload(const wire::MacAddress &dst) const;
    wire::MacAddress source_address() const;

  private:
    using Pending = detail::TxPending;
    using Current = detail::TxCurrent;

    wire::MacFrame frame_to(const wire::MacAddress &dst) const;
    void pump();
    bool start_next();
    bool send_next_fragment();
    void drop_current(LowpanDrop reason);
    void deliver(ByteSpan packet);
    void input_unfragmented(ByteSpan payload, const wire::LinkAddresses &link);
    void expire_contexts(Instant now);
    void rearm();
    bool is_our_address(const wire::MacAddress &a) const;

    bool send_frame_now();
    mac::Mac &mac_;
    const Clock &clock_;
    Random &random_;
    mac::MacTimer *timer_;
    LowpanConfig cfg_;
    wire::LowpanContextTable contexts_;
    Instant context_expiry_[wire::LowpanContextTable::kSize];
    struct Neighbor {
        wire::Ip6Address ip;
        wire::MacAddress mac;
    };
    std::vector<Neighbor> neighbors_;
    Resolver resolver_;
    wire::Ip6Address iid_prefix_;
    std::uint8_t iid_prefix_len_ = 0;
    Deliver deliver_;
    TxObserver tx_observer_;
    mac::MacListener *mlme_listener_ = nullptr;
    std::deque<Pending> queue_;
    std::optional<Current> current_;
    bool in_flight_ = false;
    // The frame last requested (its payload in frame_buf_), for a link-level retry.
    wire::MacFrame last_frame_;
    unsigned retries_left_ = 0;
    unsigned link_attempts_ = 0;  // MAC attempts of the last request that reached the link
    Instant retry_at_ = kNever;   // a retry waits for it (in_flight_ stays set meanwhile)
    std::uint8_t handle_ = 0;
    std::uint16_t next_tag_ = 0;
    std::uint8_t frame_buf_[wire::MacFrame::kMaxPsduSize] = {};
    std::uint8_t rx_header_[wire::kIphcMaxUncompressedHeader] = {};
    std::uint8_t rx_packet_[wire::kIphcMaxUncompressedHeader + wire::MacFrame::kMaxPsduSize] = {};
    LowpanReassembler reassembler_;
    DropCounters<LowpanDrop> drops_;
    LowpanStats stats_;
    Instant armed_ = kNever;
};

}  // namespace meshwork::lowpan
