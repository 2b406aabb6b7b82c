// The Radio seam: the boundary between an IEEE 802.15.4 MAC and a transceiver (IEEE
// 802.15.4-2006 6, the PD-SAP and PLME-SAP, reduced to what a driver implements). A driver for
// real hardware implements Radio; the simulator's SimRadio implements it on a shared medium.
//
// Event-driven and run to completion: every operation that takes air time (transmit, CCA,
// energy detect) returns at once and reports its end through RadioListener, from the owner's
// context (a simulation event, a driver's event loop). No threads, no waiting, no allocation
// required of the caller. The listener must not be called re-entrantly from inside a request
// (a driver defers it to its loop).
//
// Frames: a PSDU is the MPDU *including* its 2-octet FCS (aMaxPhyPacketSize = 127 octets). The
// MAC computes the FCS and writes it (wire::mac_fcs); a transceiver with kHardwareFcs overwrites
// the last two octets itself, so the MAC may leave them zero. Received PSDUs include the FCS as
// it arrived; a radio without kHardwareFcsCheck may deliver frames whose FCS is wrong, and the
// MAC checks it.
#pragma once

#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "core/Time.h"

namespace meshwork {

/// What the transceiver does itself (a MAC does in software what is not set).
enum RadioCapability : std::uint32_t {
    kRadioCapAutoAck = 1u << 0,           // answers AR frames with an imm-ack by itself
    kRadioCapAckTimeout = 1u << 1,        // waits for the ack and reports kNoAck
    kRadioCapRetransmit = 1u << 2,        // macMaxFrameRetries in hardware
    kRadioCapCsmaBackoff = 1u << 3,       // unslotted CSMA-CA backoffs in hardware
    kRadioCapTxSecurity = 1u << 4,        // AES-CCM* on transmit
    kRadioCapRxSecurity = 1u << 5,        // AES-CCM* on receive
    kRadioCapEnergyScan = 1u << 6,        // start_energy_detect() is supported
    kRadioCapAddressFilter = 1u << 7,     // drops frames not for its PAN ID / addresses
    kRadioCapHardwareFcs = 1u << 8,       // computes the FCS on transmit
    kRadioCapHardwareFcsCheck = 1u << 9,  // drops frames with a bad FCS on receive
    kRadioCapTxTiming = 1u << 10,         // transmit at a given instant (CSL, TSCH)
    kRadioCapRxTimestamp = 1u << 11,      // RadioRxFrame::sfd_time is exact to the microsecond
};

/// CCA modes (IEEE 802.15.4-2006 6.9.9).
enum class CcaMode : std::uint8_t {
    kEnergy = 1,            // mode 1: energy above the ED threshold
    kCarrierSense = 2,      // mode 2: an 802.15.4 signal (any power it can detect)
    kCarrierAndEnergy = 3,  // mode 3, AND: a signal with energy above the threshold
    kCarrierOrEnergy = 4,   // mode 3, OR
};

/// How a transmit request ended.
enum class RadioTxStatus : std::uint8_t {
    kOk,           // the whole PPDU went on air
    kChannelBusy,  // the CCA before it found the channel busy (nothing was sent)
    kAborted,      // the radio was turned off or failed during the request
    kNoAck,        // (kRadioCapAckTimeout only) no ack arrived
};
const char *radio_tx_status_name(RadioTxStatus s);

/// The radio's own state, as a MAC sees it.
enum class RadioState : std::uint8_t {
    kDisabled,  // powered off: no request is accepted (also while a fault holds it off)
    kSleep,     // off the air, configuration kept
    kReceive,   // listening (the state between requests)
    kTransmit,  // a transmit, CCA or energy detect is in progress
};

/// Channel page and number (IEEE 802.15.4-2006 6.1.2): page 0 channels 11-26 are 2.4 GHz
/// O-QPSK; page 2 channel 0 is 868 MHz O-QPSK and 1-10 are 915 MHz O-QPSK.
struct RadioChannel {
    std::uint8_t page = 0;
    std::uint8_t number = 11;
    bool operator==(const RadioChannel &o) const { return page == o.page && number == o.number; }
    bool operator!=(const RadioChannel &o) const { return !(*this == o); }
};

struct RadioTxRequest {
    ByteSpan psdu;    // including the FCS; the radio copies it before transmit() returns
    bool cca = true;  // one CCA first; busy ends the request with kChannelBusy
    CcaMode cca_mode = CcaMode::kEnergy;
};

struct RadioTxResult {
    RadioTxStatus status = RadioTxStatus::kOk;
    Instant sfd_time{};  // when the SFD left the antenna (kOk only)
    Instant end_time{};  // when the last symbol did
};

struct RadioRxFrame {
    ByteSpan psdu;  // valid only during the callback
    std::int8_t rssi_dbm = 0;
    std::uint8_t lqi = 0;  // 0..255, higher is better
    RadioChannel channel;
    Instant sfd_time{};  // when the SFD ended at this receiver (the frame's timestamp)
    Instant end_time{};  // when its last symbol did (the callback runs then)
};

/// Completion callbacks, run to completion in the radio owner's context.
class RadioListener {
  public:
    virtual ~RadioListener() = default;
    virtual void on_radio_tx_done(const RadioTxResult &result) = 0;
    virtual void on_radio_receive(const RadioRxFrame &frame) = 0;
    /// A start_cca() ended: true when the channel was clear.
    virtual void on_radio_cca_done(bool clear) { (void)clear; }
    /// A start_energy_detect() ended with the strongest energy seen in the window.
    virtual void on_radio_energy_detect_done(std::int8_t max_dbm) { (void)max_dbm; }
};

class Radio {
  public:
    virtual ~Radio() = default;

    virtual std::uint32_t capabilities() const = 0;
    bool has(RadioCapability c) const { return (capabilities() & c) != 0; }
    virtual void set_listener(RadioListener *listener) = 0;

    virtual RadioState state() const = 0;
    /// kSleep -> kReceive (or stays). kBadState when disabled or busy transmitting.
    virtual Status receive() = 0;
    /// Leaves the air (an ongoing reception is lost). kBadState during a request.
    virtual Status sleep() = 0;

    /// kUnsupported for a page/channel this radio does not have; kBadState during a request.
    virtual Status set_channel(RadioChannel channel) = 0;
    virtual RadioChannel channel() const = 0;
    virtual Status set_tx_power(std::int8_t dbm) = 0;  // clamped to what the hardware can do
    virtual std::int8_t tx_power() const = 0;
    virtual std::int8_t receive_sensitivity() const = 0;
    virtual void set_cca_energy_threshold(std::int8_t dbm) = 0;

    /// Hardware address filter (kRadioCapAddressFilter) and auto-ack source: the MAC's own
    /// PAN ID and addresses. Promiscuous: deliver every frame, send no auto-ack.
    virtual void set_pan_id(std::uint16_t pan_id) = 0;
    virtual void set_short_address(std::uint16_t address) = 0;
    virtual void set_extended_address(std::uint64_t address) = 0;
    virtual void set_promiscuous(bool on) = 0;

    /// Sends one PPDU: from kReceive, [CCA] + aTurnaroundTime, then SHR, PHR and the PSDU;
    /// on_radio_tx_done when the last symbol has left. kInvalidArgument for an empty PSDU or
    /// one over 127 octets, kBadState unless in kReceive.
    virtual Status transmit(const RadioTxRequest &request) = 0;
    /// One CCA (8 symbols) in the given mode; on_radio_cca_done. kBadState unless kReceive.
    virtual Status start_cca(CcaMode mode) = 0;
    /// Measures the channel for `duration`; on_radio_energy_detect_done. kUnsupported without
    /// kRadioCapEnergyScan, kBadState unless kReceive.
    virtual Status start_energy_detect(Duration duration) = 0;
    /// Instantaneous received energy on the channel, in dBm.
    virtual std::int8_t rssi() const = 0;
};

}  // namespace meshwork
