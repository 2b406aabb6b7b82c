#include "sim/SimRadio.h"

#include <cmath>

namespace meshwork::sim {

SimRadio::SimRadio(RadioMedium &medium, RadioNodeId node) : medium_(medium), node_(node) {
    medium_.attach(node_, this);
}

SimRadio::~SimRadio() {
    medium_.attach(node_, nullptr);
}

RadioState SimRadio::state() const {
    if (medium_.failed(node_))
        return RadioState::kDisabled;
    if (medium_.busy(node_))
        return RadioState::kTransmit;
    return medium_.receiving(node_) ? RadioState::kReceive : RadioState::kSleep;
}

Status SimRadio::receive() {
    if (medium_.failed(node_) || medium_.busy(node_))
        return Status(Error::kBadState);
    medium_.set_receiving(node_, true);
    return Status();
}

Status SimRadio::sleep() {
    if (medium_.busy(node_))
        return Status(Error::kBadState);
    medium_.set_receiving(node_, false);
    return Status();
}

Status SimRadio::set_channel(RadioChannel channel) {
    return medium_.set_channel(node_, channel);
}

Status SimRadio::set_tx_power(std::int8_t dbm) {
    medium_.set_tx_power(node_, dbm);
    return Status();
}

std::int8_t SimRadio::tx_power() const {
    return static_cast<std::int8_t>(std::lround(medium_.tx_power(node_)));
}

std::int8_t SimRadio::receive_sensitivity() const {
    return static_cast<std::int8_t>(std::lround(medium_.config().sensitivity_dbm));
}

void SimRadio::set_cca_energy_threshold(std::int8_t dbm) {
    medium_.set_cca_threshold(node_, dbm);
}

Status SimRadio::transmit(const RadioTxRequest &request) {
    return medium_.transmit(node_, request.psdu, request.cca, request.cca_mode);
}

Status SimRadio::start_cca(CcaMode mode) {
    return medium_.start_cca(node_, mode);
}

Status SimRadio::start_energy_detect(Duration duration) {
    return medium_.start_energy_detect(node_, duration);
}

std::int8_t SimRadio::rssi() const {
    const double e = medium_.energy_dbm(node_);
    return static_cast<std::int8_t>(std::lround(std::fmax(-128.0, std::fmin(127.0, e))));
}

void SimRadio::medium_tx_done(const RadioTxResult &result) {
    if (listener_)
        listener_->on_radio_tx_done(result);
}

void SimRadio::medium_receive(const RadioRxFrame &frame) {
    if (listener_)
        listener_->on_radio_receive(frame);
}

void SimRadio::medium_cca_done(bool clear) {
    if (listener_)
        listener_->on_radio_cca_done(clear);
}

void SimRadio::medium_energy_detect_done(std::int8_t max_dbm) {
    if (listener_)
        listener_->on_radio_energy_detect_done(max_dbm);
}

}  // namespace meshwork::sim
