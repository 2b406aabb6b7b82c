// The IEEE 802.15.4 MAC data service over the Radio seam (IEEE 802.15.4-2006 7.1.1 MCPS-DATA,
// 7.5.1.4 unslotted CSMA-CA, 7.5.6.4 acknowledged transmission and retransmission, 7.5.6.2
// reception and rejection, 7.5.1.3 IFS), as a run-to-completion state machine: it acts only in
// data_request(), in the Radio's callbacks and in on_timer(), which its owner calls when the
// instant last given to MacTimer::arm() comes.
//
// One request at a time (a queue belongs above). The radio is assumed to do nothing itself
// (no auto-ack, CSMA, retries, filter): the capability bits are not used yet.
#pragma once

#include <array>
#include <cstdint>

#include "core/DropCounters.h"
#include "core/Error.h"
#include "core/Radio.h"
#include "core/Random.h"
#include "core/Time.h"
#include "wire/Ieee802154.h"

namespace meshwork::mac {

/// PIB attributes of the data service (IEEE 802.15.4-2006 table 86 defaults).
struct MacConfig {
    std::uint8_t min_be = 3;             // macMinBE
    std::uint8_t max_be = 5;             // macMaxBE
    std::uint8_t max_csma_backoffs = 4;  // macMaxCSMABackoffs
    std::uint8_t max_frame_retries = 3;  // macMaxFrameRetries
    CcaMode cca_mode = CcaMode::kEnergy;
    bool promiscuous = false;  // macPromiscuousMode: no filter, no acks
};

/// Symbol-based constants (IEEE 802.15.4-2006 7.4.1, 7.4.2) in microseconds for a channel.
struct MacTiming {
    std::int64_t symbol_us = 16;
    static constexpr int kUnitBackoffSymbols = 20;        // aUnitBackoffPeriod
    static constexpr int kAckWaitSymbols = 54;            // macAckWaitDuration (2.4 GHz O-QPSK)
    static constexpr int kSifsSymbols = 12;               // macSIFSPeriod
    static constexpr int kLifsSymbols = 40;               // macLIFSPeriod
    static constexpr std::size_t kMaxSifsFrameSize = 18;  // aMaxSIFSFrameSize (MPDU octets)

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
    kBadFrame,       // FCS or format
    kFiltered,       // not for this PAN / address
    kUnexpectedAck,  // no ack awaited, or another sequence number
    kAckNotSent,     // radio busy when an ack was due
    kDuplicate,      // same source and sequence number as the last frame (acked again)
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
    DropCounters<MacRxDrop> drops;
};

/// The owner's timer: one deadline at a time; arming again replaces it.
class MacTimer {
  public:
    virtual ~MacTimer() = default;
    virtual void arm(Instant at) = 0;
    virtual void disarm() = 0;
};

class MacListener {
  public:
    virtual ~MacListener() = default;
    virtual void mcps_data_confirm(const MacTxConfirm &confirm) = 0;
    /// A frame for this node (or any frame in promiscuous mode); views valid during the call.
    virtual void mcps_data_indication(const wire::MacFrame &frame, const RadioRxFrame &rx) = 0;
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
    bool busy() const { return state_ != State::kIdle; }

    /// MCPS-DATA.request: sends `frame` (its sequence number is macDSN, assigned here) with
    /// CSMA-CA, and with acks and retries when it asks for an ack (unicast only). The confirm
    /// comes later through the listener. kBadState while a request is in progress,
    /// kInvalidArgument for a frame that cannot be emitted within 127 octets.
    Status data_request(const wire::MacFrame &frame, std::uint8_t handle);

    /// The owner calls this when the armed instant comes.
    void on_timer();

    void on_radio_tx_done(const RadioTxResult &result) override;
    void on_radio_receive(const RadioRxFrame &rx) override;

  private:
    enum class State : std::uint8_t { kIdle, kBackoff, kTransmitting, kWaitAck };

    void start_backoff(Instant base);
    void channel_busy();
    void retry();
    void finish(MacTxStatus status, bool frame_pending = false);
    bool accept(const wire::MacFrame &f) const;
    bool duplicate(const wire::MacFrame &f);
    void send_ack(const wire::MacFrame &f);

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
};

}  // namespace meshwork::mac
