// The IEEE 802.15.4 MAC data service over the Radio seam (IEEE 802.15.4-2006 7.1.1 MCPS-DATA,
// 7.5.1.4 unslotted CSMA-CA, 7.5.6.4 acknowledged transmission and retransmission, 7.5.6.2
// reception and rejection, 7.5.1.3 IFS), as a run-to-completion state machine: it acts only in
// data_request(), in the Radio's callbacks and in on_timer(), which its owner calls when the
// instant last given to MacTimer::arm() comes.
//
// One direct data request at a time (a queue belongs above); the MAC's own frames (beacons,
// beacon requests, data requests, indirect frames) are queued inside. MLME-shaped primitives:
// start (coordinator), scan (energy, active, passive), poll, associate, set/get of the PIB.
// Security: MacSecurity.h. The radio is assumed to do nothing itself (no auto-ack, CSMA, retries,
// filter, security): the capability bits are not used yet.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <vector>

#include "core/DropCounters.h"
#include "core/Error.h"
#include "core/Radio.h"
#include "core/Random.h"
#include "core/Time.h"
#include "mesh/mac/MacSecurity.h"
#include "wire/Ieee802154.h"

namespace meshwork::mac {

/// PIB attributes of the data service (IEEE 802.15.4-2006 table 86 defaults).
struct MacConfig {
    std::uint8_t min_be = 3;             // macMinBE
    std::uint8_t max_be = 5;             // macMaxBE
    std::uint8_t max_csma_backoffs = 4;  // macMaxCSMABackoffs
    std::uint8_t max_frame_retries = 3;  // macMaxFrameRetries
    CcaMode cca_mode = CcaMode::kEnergy;
    bool promiscuous = false;     // macPromiscuousMode: no filter, no acks
    bool rx_on_when_idle = true;  // macRxOnWhenIdle: false sleeps the radio between exchanges
    /// macTransactionPersistenceTime in unit periods of aBaseSuperframeDuration (960 symbols;
    /// beaconless, so BO = 15 does not scale it): 500 = 7.68 s at 2.4 GHz.
    std::uint16_t transaction_persistence_time = 500;
    /// Incoming data and command frames below this level are dropped (0: security not
    /// required); beacons, acks, beacon requests and exempt devices' frames are not.
    std::uint8_t min_security_level = 0;
    /// Device learning for a network-wide key (one PSK, key id mode 1, as Nanostack's PSK
    /// mode): a secured frame from an extended source with no device descriptor is
    /// authenticated and, when its MIC verifies, its source becomes a device (its counter then
    /// guards against replays). Off: such frames are kUnknownDevice. A full device table, or
    /// a short source the table does not know, still drops them as kUnknownDevice.
    bool learn_devices = false;
    /// How long to wait for an ack after a frame ends; 0: macAckWaitDuration for the channel.
    /// Longer waits are for links with latency of their own (a real-time bridge, docs/radio.md).
    Duration ack_wait{0};
};

/// Symbol-based constants (IEEE 802.15.4-2006 7.4.1, 7.4.2) in microseconds for a channel.
struct MacTiming {
    std::int64_t symbol_us = 16;
    static constexpr int kUnitBackoffSymbols = 20;        // aUnitBackoffPeriod
    static constexpr int kAckWaitSymbols = 54;            // macAckWaitDuration (2.4 GHz O-QPSK)
    static constexpr int kSifsSymbols = 12;               // macSIFSPeriod
    static constexpr int kLifsSymbols = 40;               // macLIFSPeriod
    static constexpr std::size_t kMaxSifsFrameSize = 18;  // aMaxSIFSFrameSize (MPDU octets)

    static constexpr int kBaseSuperframeSymbols = 960;    // aBaseSuperframeDuration
    static constexpr int kMaxFrameDurationSymbols = 266;  // phyMaxFrameDuration (O-QPSK)

    static MacTiming for_channel(RadioChannel channel);
    Duration unit_backoff() const { return Duration(symbol_us * kUnitBackoffSymbols); }
    Duration ack_wait() const { return Duration(symbol_us * kAckWaitSymbols); }
    Duration ifs(std::size_t mpdu_octets) const {
        return Duration(symbol_us *
                        (mpdu_octets <= kMaxSifsFrameSize ? kSifsSymbols : kLifsSymbols));
    }
};

enum class MacTxStatus : std::uint8_t {
    kSuccess,
    kChannelAccessFailure,  // CSMA-CA: more than macMaxCSMABackoffs busy CCAs
    kNoAck,                 // macMaxFrameRetries retransmissions without an ack
    kAborted,               // the radio failed or was turned off
    kTransactionExpired,    // indirect: no data request within macTransactionPersistenceTime
    kSecurityError,         // indirect: the key vanished or its frame counter ran out
};
const char *mac_tx_status_name(MacTxStatus s);

struct MacTxConfirm {
    std::uint8_t handle = 0;
    MacTxStatus status = MacTxStatus::kSuccess;
    std::uint8_t retries = 0;    // retransmissions (0: the first attempt worked)
    std::uint8_t busy_ccas = 0;  // busy CCAs over all attempts
    bool frame_pending = false;  // from the ack
    Instant time{};              // when the exchange ended
};

enum class MacRxDrop : std::uint8_t {
    kBadFrame,           // FCS or format
    kFiltered,           // not for this PAN / address
    kUnexpectedAck,      // no ack awaited, or another sequence number
    kAckNotSent,         // radio busy when an ack was due
    kDuplicate,          // same source and sequence number as the last frame (acked again)
    kUnsecured,          // below macMinSecurityLevel (unsecured where security is required)
    kSecurityMalformed,  // a secured frame this MAC cannot process (e.g. encrypted payload IEs)
    kUnknownDevice,      // no device descriptor for the source (nonce or counters unknown)
    kUnknownKey,         // no key for the key identifier
    kReplay,             // frame counter below the next one expected from this device and key
    kCounterError,       // frame counter 0xffffffff
    kMicFailure,         // the MIC did not verify (wrong key, or tampered)
    kCount
};
const char *drop_reason_name(MacRxDrop r);

struct MacCounters {
    std::uint64_t requests = 0;
    std::uint64_t transmissions = 0;  // frames put on the air (first attempts and retries)
    std::uint64_t success = 0;
    std::uint64_t retries = 0;
    std::uint64_t busy_ccas = 0;
    std::uint64_t channel_access_failures = 0;
    std::uint64_t no_ack = 0;
    std::uint64_t acks_sent = 0;
    std::uint64_t indications = 0;
    std::uint64_t secured_tx = 0;            // frames secured on transmit
    std::uint64_t secured_rx = 0;            // frames that passed incoming security
    std::uint64_t devices_learned = 0;       // devices added by MacConfig::learn_devices
    std::uint64_t tx_unavailable_key = 0;    // requests refused: no key for the identifier
    std::uint64_t tx_counter_exhausted = 0;  // requests refused: the key's counter ran out
    std::uint64_t indirect_queued = 0;
    std::uint64_t indirect_expired = 0;
    std::uint64_t data_requests_rx = 0;  // data request commands received (as a parent)
    std::uint64_t polls = 0;             // data requests sent (as a child)
    std::uint64_t beacons_sent = 0;
    std::uint64_t beacons_rx = 0;
    std::uint64_t enh_acks_sent = 0;
    std::uint64_t secured_acks_sent = 0;      // enh-acks secured (answering secured frames)
    std::uint64_t secured_acks_verified = 0;  // secured enh-acks that passed incoming security
    DropCounters<MacRxDrop> drops;
};

/// The owner's timer: one deadline at a time; arming again replaces it.
class MacTimer {
  public:
    virtual ~MacTimer() = default;
    virtual void arm(Instant at) = 0;
    virtual void disarm() = 0;
};

enum class MacScanType : std::uint8_t { kEnergy, kActive, kPassive, kOrphan };

/// MLME-SCAN.request: the channels in order, each for aBaseSuperframeDuration * (2^duration + 1)
/// symbols (duration 0..14). An orphan scan (2006 7.5.2.1.4) sends an orphan notification on
/// each channel and waits macResponseWaitTime for a coordinator realignment, which ends it:
/// the PAN ID, the short address, the coordinator's addresses and the channel are then the
/// realignment's (kSuccess), else kNoBeacon after the last channel.
struct MacScanRequest {
    MacScanType type = MacScanType::kActive;
    std::vector<RadioChannel> channels;
    std::uint8_t duration = 3;
};

/// One coordinator heard during an active or passive scan (PANDescriptor, 2006 table 55).
struct MacPanDescriptor {
    wire::MacAddress coord;
    std::uint16_t pan_id = 0xffff;
    RadioChannel channel;
    std::uint16_t superframe_spec = 0;
    std::uint8_t lqi = 0;
    std::int8_t rssi_dbm = 0;
    bool security_enabled = false;
    std::vector<std::uint8_t> beacon_payload;
    Instant time{};
};

struct MacEnergyResult {
    RadioChannel channel;
    std::int8_t max_dbm = 0;  // the strongest energy during the channel's scan window
};

enum class MacScanStatus : std::uint8_t {
    kSuccess,
    kNoBeacon,  // active/passive scan heard no coordinator
    kAborted,   // the radio refused (off, or the channel is not supported)
};

struct MacScanConfirm {
    MacScanType type = MacScanType::kActive;
    MacScanStatus status = MacScanStatus::kSuccess;
    std::vector<MacPanDescriptor> pans;   // active / passive, in the order heard
    std::vector<MacEnergyResult> energy;  // energy
    std::vector<RadioChannel> unscanned;  // channels the radio refused
};

enum class MacPollStatus : std::uint8_t {
    kSuccess,  // a data frame from the coordinator followed
    kNoData,   // acked without frame pending, or nothing came within macMaxFrameTotalWaitTime
    kNoAck,
    kChannelAccessFailure,
    kAborted,
};
const char *mac_poll_status_name(MacPollStatus s);

/// MLME-START.request for a beaconless PAN (BO = SO = 15): this MAC answers beacon requests
/// and, as PAN coordinator, takes frames without a destination address.
struct MacStartRequest {
    std::uint16_t pan_id = 0xffff;
    RadioChannel channel;
    bool pan_coordinator = true;
    bool association_permit = false;
};

/// PIB attributes readable and writable through mlme_get / mlme_set.
enum class MacPib : std::uint8_t {
    kPanId,
    kShortAddress,
    kExtendedAddress,
    kMinBe,
    kMaxBe,
    kMaxCsmaBackoffs,
    kMaxFrameRetries,
    kRxOnWhenIdle,
    kPromiscuousMode,
    kTransactionPersistenceTime,
    kMinSecurityLevel,  // 0..7; see MacConfig::min_security_level
    kAssociationPermit,
    kDsn,
    kBsn,
    kCoordShortAddress,     // macCoordShortAddress (0xffff: none); set by association
    kCoordExtendedAddress,  // macCoordExtendedAddress (0: none); set by association
};

/// MLME-ASSOCIATE status: the first three are the association response's on-air values.
enum class MacAssociateStatus : std::uint8_t {
    kSuccess = 0x00,
    kPanAtCapacity = 0x01,
    kPanAccessDenied = 0x02,
    kNoAck = 0x80,          // local: the request or the data request was not acked
    kNoData,                // local: no response after macResponseWaitTime
    kChannelAccessFailure,  // local
    kAborted,               // local
};
const char *mac_associate_status_name(MacAssociateStatus s);

/// MLME-ASSOCIATE.request (2006 7.1.3.1, 7.5.3.1): join `coord_pan` through `coord` on `channel`.
struct MacAssociateRequest {
    RadioChannel channel;
    wire::MacAddress coord;
    std::uint16_t coord_pan = 0xffff;
    std::uint8_t capability = 0x80;  // capability information (2006 7.3.1.2): allocate address
};

/// MLME-COMM-STATUS.indication (2006 7.1.12.1): how a frame the MAC sent on the next higher
/// layer's behalf without an MCPS confirm ended: the association response and the coordinator
/// realignment for an orphan (success, no-ack, channel access failure, transaction expired,
/// security error).
struct MacCommStatusIndication {
    std::uint16_t pan_id = 0xffff;
    wire::MacAddress src;
    wire::MacAddress dst;
    wire::MacCommandId command = wire::MacCommandId::kAssociationResponse;
    MacTxStatus status = MacTxStatus::kSuccess;
    Instant time{};
};

/// Disassociation notification reasons (2006 table 86).
enum class MacDisassociateReason : std::uint8_t {
    kCoordinatorWishesDeviceToLeave = 0x01,
    kDeviceWishesToLeave = 0x02,
};

/// MLME-DISASSOCIATE.request (2006 7.1.4.1). `device` is the coordinator's address (as given to
/// mlme_associate, or macCoordShortAddress / macCoordExtendedAddress) when a device leaves its
/// PAN, else the address of the device a coordinator sends away. `tx_indirect` (coordinator
/// side only): the notification waits for the device's data request.
struct MacDisassociateRequest {
    wire::MacAddress device;
    std::uint16_t device_pan = 0xffff;
    MacDisassociateReason reason = MacDisassociateReason::kDeviceWishesToLeave;
    bool tx_indirect = false;
};

/// MLME-DISASSOCIATE.confirm: how the notification went (kSuccess, kNoAck,
/// kChannelAccessFailure, kTransactionExpired, kSecurityError, kAborted). Either way the
/// device is no longer associated.
struct MacDisassociateConfirm {
    MacTxStatus status = MacTxStatus::kSuccess;
    wire::MacAddress device;
    std::uint16_t device_pan = 0xffff;
    Instant time{};
};

struct MacTxOptions {
    /// Indirect transmission: the frame waits in the queue for its destination's data request
    /// (up to macTransactionPersistenceTime); confirms come like direct ones.
    bool indirect = false;
};

class MacListener {
  public:
    virtual ~MacListener() = default;
    virtual void mcps_data_confirm(const MacTxConfirm &confirm) = 0;
    /// A frame for this node (or any frame in promiscuous mode); views valid during the call.
    /// A secured frame comes decrypted: `frame.payload` is plaintext, `frame.security` tells
    /// the level and key, `frame.mic` is the MIC as received.
    virtual void mcps_data_indication(const wire::MacFrame &frame, const RadioRxFrame &rx) = 0;
    virtual void mlme_scan_confirm(const MacScanConfirm &confirm) { (void)confirm; }
    virtual void mlme_poll_confirm(MacPollStatus status) { (void)status; }
    /// A beacon heard outside a scan (MLME-BEACON-NOTIFY, only with a beacon payload or
    /// pending addresses in 2006; here every beacon).
    virtual void mlme_beacon_notify(const MacPanDescriptor &pan) { (void)pan; }
    /// A coordinator with association permit heard an association request; answer with
    /// Mac::mlme_associate_response.
    virtual void mlme_associate_indication(std::uint64_t device, std::uint8_t capability) {
        (void)device, (void)capability;
    }
    /// The end of mlme_associate(); `short_address` is valid on kSuccess.
    virtual void mlme_associate_confirm(MacAssociateStatus status, std::uint16_t short_address) {
        (void)status, (void)short_address;
    }
    /// The association response queued by mlme_associate_response went out (or did not).
    virtual void mlme_comm_status_indication(const MacCommStatusIndication &indication) {
        (void)indication;
    }
    /// MLME-ORPHAN.indication (coordinator): a device that lost its coordinator sent an orphan
    /// notification; answer with Mac::mlme_orphan_response.
    virtual void mlme_orphan_indication(std::uint64_t orphan) { (void)orphan; }
    /// A disassociation notification for this MAC: from its coordinator (this device is no
    /// longer associated: PAN ID, short address and coordinator addresses are cleared), or, at
    /// a coordinator, from a device leaving. `device` is the sender's extended address.
    virtual void mlme_disassociate_indication(std::uint64_t device, MacDisassociateReason reason) {
        (void)device, (void)reason;
    }
    /// The end of mlme_disassociate().
    virtual void mlme_disassociate_confirm(const MacDisassociateConfirm &confirm) { (void)confirm; }
};

class Mac final : public RadioListener {
  public:
    Mac(Radio &radio, const Clock &clock, Random &random, MacTimer &timer,
        const MacConfig &config = {});
    Mac(const Mac &) = delete;
    Mac &operator=(const Mac &) = delete;

    void set_listener(MacListener *listener) { listener_ = listener; }
    void set_pan_id(std::uint16_t pan);
    void set_short_address(std::uint16_t address);
    void set_extended_address(std::uint64_t address);
    const MacCounters &counters() const { return counters_; }
    const MacConfig &config() const { return cfg_; }
    /// MacConfig::learn_devices at run time.
    void set_learn_devices(bool on) { cfg_.learn_devices = on; }
    bool busy() const { return state_ != State::kIdle; }

    /// MCPS-DATA.request: sends `frame` (its sequence number is macDSN, assigned here) with
    /// CSMA-CA, and with acks and retries when it asks for an ack (unicast only). The confirm
    /// comes later through the listener. kBadState while a request is in progress,
    /// kInvalidArgument for a frame that cannot be emitted within 127 octets.
    ///
    /// Security: a frame with `security_enabled` names its level (1..7), key identifier mode
    /// and key (`frame.security`); the MAC takes the key's frame counter, encrypts and adds
    /// the MIC (kNotFound: no such key; kNoSpace: the key's frame counter is exhausted;
    /// kUnsupported: payload IEs under security). The source extended address of the nonce is
    /// this MAC's.
    Status data_request(const wire::MacFrame &frame, std::uint8_t handle);
    /// The same with options (indirect transmission). kNoSpace when the indirect queue is full.
    Status data_request(const wire::MacFrame &frame, std::uint8_t handle,
                        const MacTxOptions &options);
    /// Frames waiting in the indirect queue (for `dst`, or for all).
    std::size_t indirect_pending() const { return indirect_.size(); }
    std::size_t indirect_pending(const wire::MacAddress &dst) const;

    /// The key and device tables (macKeyTable, macDeviceTable).
    MacSecurityTable &security() { return security_; }
    const MacSecurityTable &security() const { return security_; }

    /// MLME-START: becomes the coordinator of `pan_id` on `channel` (kUnsupported for a
    /// channel the radio lacks, kBadState while busy).
    Status mlme_start(const MacStartRequest &request);
    /// MLME-START's effect on a MAC already on its channel and PAN, at any time: answering
    /// beacon requests (a router that starts coordinating once it has joined), or no longer.
    void set_coordinator(bool on, bool pan_coordinator = false) {
        coordinator_ = on;
        pan_coordinator_ = on && pan_coordinator;
    }
    bool coordinator() const { return coordinator_; }
    /// The beacon payload (macBeaconPayload), at most 52 octets (kInvalidArgument).
    Status set_beacon_payload(ByteSpan payload);
    /// MLME-SCAN: one at a time (kBadState), channels must be non-empty (kInvalidArgument);
    /// the confirm comes through the listener and the radio returns to its channel.
    Status mlme_scan(const MacScanRequest &request);
    bool scanning() const { return scan_active_; }
    /// MLME-POLL: a data request command to the coordinator (`coord` in `coord_pan`), secured
    /// when `security.security_level` is not 0. kBadState while a poll is in progress.
    Status mlme_poll(const wire::MacAddress &coord, std::uint16_t coord_pan,
                     const wire::AuxSecurityHeader &security = {});
    /// MLME-ASSOCIATE (device side): tunes to the channel, takes the coordinator's PAN ID,
    /// sends the association request from the extended address, then after macResponseWaitTime
    /// (32 aBaseSuperframeDuration) polls for the response, which sets the short address.
    /// kBadState while associating or polling, kInvalidArgument without a coordinator address,
    /// the radio's error for a channel it lacks.
    Status mlme_associate(const MacAssociateRequest &request);
    bool associating() const { return assoc_state_ != AssocState::kIdle; }
    /// MLME-ASSOCIATE.response (coordinator side): queues the association response to `device`
    /// as an indirect frame (kNoSpace when the queue is full; kInvalidArgument for a local
    /// status).
    Status mlme_associate_response(std::uint64_t device, std::uint16_t short_address,
                                   MacAssociateStatus status);
    /// MLME-DISASSOCIATE (2006 7.5.3.2): sends the disassociation notification (acked; direct,
    /// or indirect from a coordinator with `tx_indirect`); the confirm comes through the
    /// listener. A device leaving its PAN forgets it (PAN ID, short address, coordinator
    /// addresses) when the notification is done, acked or not. kInvalidArgument when
    /// `device_pan` is not this MAC's PAN, or `device` is neither its coordinator nor (for a
    /// coordinator) a device address; kBadState while a disassociation is in progress;
    /// kNoSpace when the indirect queue is full.
    Status mlme_disassociate(const MacDisassociateRequest &request);
    /// MLME-ORPHAN.response (2006 7.1.8.2): for an associated member, sends the coordinator
    /// realignment (direct, acked) giving `orphan` its `short_address`, this PAN and channel;
    /// MLME-COMM-STATUS reports how it went. Not a member: nothing is sent. kNoSpace when the
    /// MAC's queue is full, kInvalidArgument for orphan 0.
    Status mlme_orphan_response(std::uint64_t orphan, std::uint16_t short_address,
                                bool associated_member);
    bool disassociating() const { return disassoc_active_; }
    /// MLME-SET / MLME-GET. kInvalidArgument for an out-of-range value.
    Status mlme_set(MacPib attribute, std::uint64_t value);
    Result<std::uint64_t> mlme_get(MacPib attribute) const;
    /// macMaxFrameTotalWaitTime (2015 8.4.3.1, from the CSMA and frame constants).
    Duration max_frame_total_wait() const;
    /// macTransactionPersistenceTime as a duration.
    Duration transaction_persistence() const;

    /// The owner calls this when the armed instant comes.
    void on_timer();

    void on_radio_tx_done(const RadioTxResult &result) override;
    void on_radio_receive(const RadioRxFrame &rx) override;
    void on_radio_energy_detect_done(std::int8_t max_dbm) override;

  private:
    enum class State : std::uint8_t { kIdle, kBackoff, kTransmitting, kWaitAck };
    // What the frame on the way is.
    enum class TxKind : std::uint8_t {
        kUser,
        kIndirect,
        kBeacon,
        kBeaconRequest,
        kPoll,
        kAssocRequest,
        kDisassociate
    };
    enum class AssocState : std::uint8_t { kIdle, kRequest, kWaitResponse, kPolling };

    struct Indirect {
        wire::MacFrame frame;  // payload and header IEs are re-pointed at the copies below
        std::vector<std::uint8_t> payload, header_ies;
        std::uint8_t handle = 0;
        Instant expiry{};
        bool requested = false;  // the destination polled: send it
        bool in_flight = false;
        bool internal = false;  // the MAC's own command (association response,
                                // disassociation, realignment): no MCPS confirm, `command`
        std::uint8_t command = 0;
        bool direct = false;  // sent at once (realignment), not on a data request
    };

    void start_backoff(Instant base);
    void channel_busy();
    void retry();
    void finish(MacTxStatus status, bool frame_pending = false);
    void confirm_done(TxKind kind, MacTxStatus status, bool frame_pending);
    bool accept(const wire::MacFrame &f) const;
    bool duplicate(const wire::MacFrame &f);
    void send_ack(const wire::MacFrame &f, bool frame_pending);
    /// The enh-ack answering `f` (2015 7.3.3), secured like `f` when `f` is (the MIC and the
    /// frame counter are filled in by build()).
    wire::MacFrame enh_ack_for(const wire::MacFrame &f, bool frame_pending) const;
    /// After a secured 2015 frame goes on the air: what its secured enh-ack must carry.
    void expect_secured_ack();
    /// Checks an enh-ack for the frame on the way when it must be secured; false (the drop
    /// counted) when it does not acknowledge the frame.
    bool secured_ack_ok(const RadioRxFrame &rx, wire::MacFrame *ack);
    /// Emits `f` (secured if asked) into `out`; Status as data_request documents. `ack`: an
    /// enh-ack (counted apart from requests).
    Status build(wire::MacFrame f, std::uint8_t *out, std::size_t *len, bool dry_run = false,
                 bool ack = false);
    /// The outgoing key for a secured frame `f`, or null.
    MacKeyDescriptor *tx_key(const wire::MacFrame &f);
    /// Incoming security. `src`: the sender's extended address for the nonce (0: from the
    /// frame and the device table); `ack`: a secured enh-ack (counted apart).
    Status unsecure(const RadioRxFrame &rx, wire::MacFrame *f, std::uint64_t src = 0,
                    bool ack = false);
    bool security_exempt(const wire::MacFrame &f) const;
    std::uint64_t source_extended(const wire::MacFrame &f) const;
    void start_tx(TxKind kind, const std::uint8_t *psdu, std::size_t len, bool ack,
                  std::uint8_t handle);
    void tx_timer();
    Status queue_poll();
    void kick();
    void set_deadline(Instant *slot, Instant at);
    void rearm();
    void expire_indirect(Instant now);
    void handle_data_request(const wire::MacFrame &f);
    void handle_beacon(const wire::MacFrame &f, const RadioRxFrame &rx);
    bool pending_for(const wire::MacAddress &a) const;
    bool build_beacon();
    void scan_next_channel();
    void scan_channel_done();
    void finish_scan();
    void poll_done(MacPollStatus s);
    void assoc_done(MacAssociateStatus s, std::uint16_t short_address = 0xffff);
    /// An internal indirect frame (`e`, already out of the queue) ended with `s`.
    void internal_done(const Indirect &e, MacTxStatus s);
    void disassoc_done(MacTxStatus s);
    bool is_coordinator_address(const wire::MacAddress &a) const;
    void forget_pan();
    void handle_disassociation(const wire::MacFrame &f);
    void handle_realignment(const wire::MacFrame &f);
    Duration scan_wait() const;
    void radio_idle();
    void radio_wake();
    wire::MacAddress own_source() const;

    Radio &radio_;
    const Clock &clock_;
    Random &random_;
    MacTimer &timer_;
    MacConfig cfg_;
    MacListener *listener_ = nullptr;
    MacCounters counters_;

    std::uint16_t pan_id_ = 0xffff;
    std::uint16_t short_address_ = 0xffff;
    std::uint64_t extended_address_ = 0;
    std::uint8_t dsn_ = 0;

    State state_ = State::kIdle;
    std::uint8_t tx_buf_[127] = {};
    std::size_t tx_len_ = 0;
    std::uint8_t tx_seq_ = 0;
    std::uint8_t handle_ = 0;
    bool ack_requested_ = false;
    std::uint8_t nb_ = 0, be_ = 0, retries_ = 0, busy_ccas_ = 0;
    Instant ifs_until_{};
    std::uint8_t ack_buf_[5] = {};
    // The last sequence number per recent source, for duplicate rejection (a lost ack makes
    // the sender retransmit a frame already delivered).
    struct RecentSource {
        bool used = false;
        wire::MacAddress src;
        std::uint8_t seq = 0;
    };
    std::array<RecentSource, 16> recent_{};
    std::size_t recent_next_ = 0;
    bool ack_in_flight_ = false;
    std::uint8_t eack_buf_[wire::MacFrame::kMaxPsduSize] = {};
    // The frame on the way is a secured 2015 frame: its enh-ack must be secured with the same
    // level and key identifier by `ack_peer_` (the destination's extended address, for the
    // nonce), its SFD must come within the ack wait, and the ack may take `ack_airtime_`
    // beyond it (a secured enh-ack is longer than the 864 us an imm-ack fits in).
    bool ack_secured_ = false;
    wire::AuxSecurityHeader ack_security_;
    std::uint64_t ack_peer_ = 0;
    Duration ack_airtime_{0};
    Instant ack_sfd_by_{};

    MacSecurityTable security_;
    std::uint8_t rx_buf_[wire::MacFrame::kMaxPsduSize] = {};

    // The frame on the air (tx_buf_) is of kind tx_kind_; a direct request that came while the
    // MAC was sending its own frame waits in user_buf_.
    static constexpr Instant kNever = Instant::max();
    TxKind tx_kind_ = TxKind::kUser;
    bool user_pending_ = false;
    std::uint8_t user_buf_[127] = {};
    std::size_t user_len_ = 0;
    std::uint8_t user_handle_ = 0;
    bool user_ack_ = false;
    Instant tx_deadline_ = kNever;
    Instant armed_at_ = kNever;

    // Indirect queue (parent side), in request order.
    static constexpr std::size_t kMaxIndirect = 16;
    std::deque<Indirect> indirect_;

    // Coordinator (MLME-START) and beacons.
    bool coordinator_ = false;
    bool pan_coordinator_ = false;
    bool association_permit_ = false;
    bool beacon_pending_ = false;
    std::uint8_t bsn_ = 0;
    std::vector<std::uint8_t> beacon_payload_;
    std::uint8_t beacon_buf_[127] = {};
    std::size_t beacon_len_ = 0;

    // Poll (child side).
    bool poll_active_ = false;
    bool poll_pending_tx_ = false;
    bool poll_waiting_data_ = false;
    bool poll_auto_ = false;  // a repeat poll after a frame-pending data frame: no confirm
    wire::MacAddress poll_coord_;
    std::uint16_t poll_pan_ = 0xffff;
    wire::AuxSecurityHeader poll_security_;
    std::uint8_t poll_buf_[64] = {};
    std::size_t poll_len_ = 0;
    Instant poll_deadline_ = kNever;

    // Scan.
    bool scan_active_ = false;
    bool scan_beacon_request_pending_ = false;
    MacScanRequest scan_req_;
    MacScanConfirm scan_conf_;
    std::size_t scan_index_ = 0;
    RadioChannel scan_home_;
    Instant scan_deadline_ = kNever;
    std::uint8_t beacon_request_buf_[24] = {};  // a beacon request or an orphan notification
    bool scan_realigned_ = false;
    // A channel to tune to once the ack on the way has gone (a realignment moved the device).
    bool channel_after_ack_ = false;
    RadioChannel channel_after_ack_to_;

    // Association (device side).
    AssocState assoc_state_ = AssocState::kIdle;
    wire::MacAddress assoc_coord_;
    std::uint16_t assoc_pan_ = 0xffff;
    Instant assoc_deadline_ = kNever;
    std::uint8_t assoc_buf_[48] = {};
    std::size_t assoc_len_ = 0;
    bool assoc_pending_tx_ = false;
    std::size_t beacon_request_len_ = 0;
    // The coordinator this device associated through (macCoordShortAddress,
    // macCoordExtendedAddress).
    std::uint16_t coord_short_ = 0xffff;
    std::uint64_t coord_ext_ = 0;

    // Disassociation (one at a time): direct notifications wait in disassoc_buf_.
    bool disassoc_active_ = false;
    bool disassoc_pending_tx_ = false;
    bool disassoc_self_ = false;  // this device leaves its PAN
    MacDisassociateRequest disassoc_req_;
    std::uint8_t disassoc_buf_[48] = {};
    std::size_t disassoc_len_ = 0;
};

}  // namespace meshwork::mac
