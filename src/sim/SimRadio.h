// The core Radio seam on the simulated medium: one node's transceiver. It has no hardware
// address filter, auto-ack, CSMA, retries or security (the medium knows no protocol), so a MAC
// above it does all of that in software; it reports exact SFD timestamps and energy scans.
// Filter settings (PAN ID, addresses, promiscuous) are kept for the MAC to read back.
#pragma once

#include "core/Radio.h"
#include "sim/RadioMedium.h"

namespace meshwork::sim {

class SimRadio final : public Radio, private RadioMediumClient {
  public:
    /// Attaches to `node` of `medium` (one SimRadio per node); starts in kReceive on page 0
    /// channel 11.
    SimRadio(RadioMedium &medium, RadioNodeId node);
    ~SimRadio() override;
    SimRadio(const SimRadio &) = delete;
    SimRadio &operator=(const SimRadio &) = delete;

    RadioNodeId node() const { return node_; }
    RadioMedium &medium() { return medium_; }

    std::uint32_t capabilities() const override {
        return kRadioCapEnergyScan | kRadioCapRxTimestamp;
    }
    void set_listener(RadioListener *listener) override { listener_ = listener; }
    RadioState state() const override;
    Status receive() override;
    Status sleep() override;
    Status set_channel(RadioChannel channel) override;
    RadioChannel channel() const override { return medium_.channel(node_); }
    Status set_tx_power(std::int8_t dbm) override;
    std::int8_t tx_power() const override;
    std::int8_t receive_sensitivity() const override;
    void set_cca_energy_threshold(std::int8_t dbm) override;

    void set_pan_id(std::uint16_t pan_id) override { pan_id_ = pan_id; }
    void set_short_address(std::uint16_t address) override { short_address_ = address; }
    void set_extended_address(std::uint64_t address) override { extended_address_ = address; }
    void set_promiscuous(bool on) override { promiscuous_ = on; }
    std::uint16_t pan_id() const { return pan_id_; }
    std::uint16_t short_address() const { return short_address_; }
    std::uint64_t extended_address() const { return extended_address_; }
    bool promiscuous() const { return promiscuous_; }

    Status transmit(const RadioTxRequest &request) override;
    Status start_cca(CcaMode mode) override;
    Status start_energy_detect(Duration duration) override;
    std::int8_t rssi() const override;

  private:
    void medium_tx_done(const RadioTxResult &result) override;
    void medium_receive(const RadioRxFrame &frame) override;
    void medium_cca_done(bool clear) override;
    void medium_energy_detect_done(std::int8_t max_dbm) override;

    RadioMedium &medium_;
    RadioNodeId node_;
    RadioListener *listener_ = nullptr;
    std::uint16_t pan_id_ = 0xffff;
    std::uint16_t short_address_ = 0xffff;
    std::uint64_t extended_address_ = 0;
    bool promiscuous_ = false;
};

}  // namespace meshwork::sim
